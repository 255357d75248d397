"""Score the importer on the corpus of real directives (``fixtures/corpus``).

Shared by the benchmark (`tests.bench.bench_import_corpus`) and the floor test
(`tests.store.test_corpus_accuracy`). A document is extracted the way ``nhacviec import
--dry-run --json`` does it (`store.importing.extract`, then `store.deadlines.normalise_deadline`
with the directive's issue date); its tasks are matched with the labels by ``ref`` (when the
titles agree) and then, for the rest, by title similarity. A matched task is *exact* when its
lead set, due date and kind are all right; units compare equal after folding case and
diacritics and dropping person titles, or when the unit registry resolves both names to one
unit. Extracted tasks matching no label are *invented*.

The held-back part (README: ``sha1(ID) % 5 == 0``) is scored like the rest; callers print only
its totals.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from store.deadlines import normalise_deadline
from store.importing import ImportFormatError, extract
from store.registry import UnitRegistry
from store.text import fold
from store.units import seed_records
from tests.store.corpus_reasons import add_reasons, empty_reasons, wrong_reasons

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
LABEL_SUFFIX = ".expected.json"
DOCUMENT_SUFFIXES = (".txt", ".html", ".htm", ".md", ".docx", ".pdf")
_TITLE_MATCH = 72.0  # similarity of title starts needed to pair a task with a label
_REF_TITLE_SANITY = 45.0  # a ref match whose titles disagree this much is no match
_PERSON = re.compile(
    r"^(?:dong chi |lanh dao |thu truong |nguoi dung dau |chu tich |pho chu tich "
    r"|giam doc |tong giam doc |thong doc |chanh van phong |truong ban |bo truong |cuc truong "
    r"|vu truong |tong thanh tra )+"
)


def is_held_back(doc_id: str) -> bool:
    """The README's split rule, fixed before any tuning."""
    return int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 5 == 0


@dataclass
class Found:
    """One extracted task as ``nhacviec import --dry-run --json`` would print it."""

    ref: str
    title: str
    lead: list[str]
    cooperating: list[str]
    deadline_text: str
    due: str | None
    kind: str
    body: str = ""


@dataclass
class DocScore:
    """Figures of one document."""

    doc_id: str
    held_back: bool
    shape: str
    expected: int = 0
    extracted: int = 0
    matched: int = 0
    exact: int = 0
    invented: int = 0
    cooperating_ok: int = 0
    error: str = ""
    misses: list[dict[str, Any]] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=empty_reasons)

    def to_dict(self, *, details: bool) -> dict[str, Any]:
        """JSON-ready figures; `details` adds the per-task misses."""
        data = {k: v for k, v in self.__dict__.items() if k != "misses"}
        data["reasons"] = dict(self.reasons)
        if details:
            data["misses"] = self.misses
        return data


@dataclass
class Totals:
    """Sums over a set of documents."""

    documents: int = 0
    expected: int = 0
    extracted: int = 0
    matched: int = 0
    exact: int = 0
    invented: int = 0
    cooperating_ok: int = 0
    errors: int = 0
    reasons: dict[str, int] = field(default_factory=empty_reasons)

    def add(self, score: DocScore) -> None:
        """Add one document's figures."""
        self.documents += 1
        add_reasons(self.reasons, score.reasons)
        self.errors += bool(score.error)
        for name in ("expected", "extracted", "matched", "exact", "invented", "cooperating_ok"):
            setattr(self, name, getattr(self, name) + getattr(score, name))

    @property
    def exact_rate(self) -> float:
        """Share of labelled tasks found exact."""
        return self.exact / self.expected if self.expected else 0.0

    @property
    def invented_rate(self) -> float:
        """Share of extracted tasks that match no label."""
        return self.invented / self.extracted if self.extracted else 0.0

    @property
    def cooperating_rate(self) -> float:
        """Share of matched tasks whose cooperating units are right."""
        return self.cooperating_ok / self.matched if self.matched else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready totals with the rates."""
        return {
            **self.__dict__,
            "reasons": dict(self.reasons),
            "exact_rate": round(self.exact_rate, 4),
            "invented_rate": round(self.invented_rate, 4),
            "cooperating_rate": round(self.cooperating_rate, 4),
        }


def corpus_ids(part: str = "all", corpus: Path = CORPUS) -> list[str]:
    """Ids of the labelled documents of a part (``tuned``, ``heldback`` or ``all``)."""
    ids = sorted(p.name[: -len(LABEL_SUFFIX)] for p in corpus.glob(f"*{LABEL_SUFFIX}"))
    if part == "tuned":
        return [i for i in ids if not is_held_back(i)]
    if part == "heldback":
        return [i for i in ids if is_held_back(i)]
    return ids


def document_path(doc_id: str, corpus: Path = CORPUS) -> Path | None:
    """The document file of an id (``ID.txt``, ``ID.html`` ...), if present."""
    for suffix in DOCUMENT_SUFFIXES:
        path = corpus / f"{doc_id}{suffix}"
        if path.exists():
            return path
    return None


def run_document(path: Path) -> list[Found]:
    """Extract a document and normalise its deadlines like the importer's dry run."""
    return run_bytes(path.read_bytes(), path.name)


def run_bytes(data: bytes, filename: str) -> list[Found]:
    """Extract a file's bytes (any format the importer reads) like the importer's dry run."""
    parsed = extract(data, filename)
    out = []
    for task in parsed.tasks:
        deadline = normalise_deadline(task.deadline_text, parsed.dated)
        out.append(
            Found(
                ref=task.ref,
                title=task.title,
                lead=list(task.lead),
                cooperating=list(task.cooperating),
                deadline_text=task.deadline_text,
                due=deadline.due.isoformat() if deadline.due else None,
                kind=deadline.kind.value,
                body=task.body,
            )
        )
    return out


@cache
def _registry() -> UnitRegistry:
    return UnitRegistry.from_records(seed_records())


def unit_key(name: str) -> str:
    """A unit name folded, without person titles, punctuation or a leading ``và``."""
    key = fold(name).replace("&", " va ")
    key = re.sub(r"[^0-9a-z ]+", " ", key)
    key = re.sub(r"\s+", " ", key).strip()
    key = re.sub(r"^va ", "", key)
    return _PERSON.sub("", key + " ").strip()


@cache
def _resolved(name: str) -> str | None:
    match = _registry().match(name)
    return match.unit.code if match.unit is not None else None


def same_unit(a: str, b: str) -> bool:
    """Whether two unit names as written mean the same unit (see the module docstring).

    Spaces a capture lost or added (``Đảng uỷUBND xã``) do not count."""
    if unit_key(a).replace(" ", "") == unit_key(b).replace(" ", ""):
        return True
    code = _resolved(a)
    return code is not None and code == _resolved(b)


def same_units(found: Iterable[str], expected: Iterable[str]) -> bool:
    """Whether two unit lists name the same set of units, in any order.

    Entries split differently (``các Bộ`` + ``cơ quan ngang Bộ`` against ``các Bộ, cơ quan
    ngang Bộ``) are the same units written the same way: they compare equal too.
    """
    left, right = list(dict.fromkeys(found)), list(dict.fromkeys(expected))
    joined = ["".join(map(unit_key, side)).replace(" ", "") for side in (left, right)]
    if left and joined[0] == joined[1]:
        return True
    if len({unit_key(x) for x in left}) != len({unit_key(x) for x in right}):
        return False
    return all(any(same_unit(x, y) for y in right) for x in left) and all(
        any(same_unit(y, x) for x in left) for y in right
    )


def title_similarity(found: str, label: str) -> float:
    """How well an extracted title's start matches a label's title start (0-100)."""
    a, b = fold(found).replace(" ", ""), fold(label).replace(" ", "")  # lost spaces do not count
    n = min(len(a), len(b), 90)
    if n < 8:
        return 100.0 if a and a == b else 0.0
    return float(fuzz.ratio(a[:n], b[:n]))


def _norm_ref(ref: str) -> str:
    return re.sub(r"\s+", "", ref).strip(".").lower()


def match_tasks(found: list[Found], labels: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Pairs (found index, label index): by ref first, then by title similarity."""
    pairs: list[tuple[int, int]] = []
    used_f: set[int] = set()
    used_l: set[int] = set()
    by_ref: dict[str, int] = {}
    for i, task in enumerate(found):
        by_ref.setdefault(_norm_ref(task.ref), i)
    for j, label in enumerate(labels):
        i = by_ref.get(_norm_ref(str(label.get("ref", ""))))
        if i is None or i in used_f:
            continue
        if title_similarity(found[i].title, label.get("title", "")) >= _REF_TITLE_SANITY:
            pairs.append((i, j))
            used_f.add(i)
            used_l.add(j)
    scored = sorted(
        (
            (title_similarity(task.title, label.get("title", "")), i, j)
            for i, task in enumerate(found)
            if i not in used_f
            for j, label in enumerate(labels)
            if j not in used_l
        ),
        reverse=True,
    )
    for similarity, i, j in scored:
        if similarity < _TITLE_MATCH:
            break
        if i in used_f or j in used_l:
            continue
        pairs.append((i, j))
        used_f.add(i)
        used_l.add(j)
    # A label's title found inside an extracted task's text (the extractor's title started
    # earlier, with a topic heading, or later): the same task.
    for j, label in enumerate(labels):
        start = fold(str(label.get("title", ""))).replace(" ", "")[:45]
        if j in used_l or len(start) < 20:
            continue
        for i, task in enumerate(found):
            if i not in used_f and start in fold(f"{task.title} {task.body}").replace(" ", ""):
                pairs.append((i, j))
                used_f.add(i)
                used_l.add(j)
                break
    return pairs


def is_exact(task: Found, label: dict[str, Any]) -> bool:
    """Lead set, due date and kind all right."""
    return (
        same_units(task.lead, label.get("lead", []))
        and task.due == label.get("due")
        and task.kind == label.get("kind")
    )


def _miss(task: Found | None, label: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if label is not None:
        out["label"] = {k: label.get(k) for k in ("ref", "title", "lead", "due", "kind")}
        out["label"]["title"] = str(label.get("title", ""))[:90]
        out["label"]["deadline_text"] = label.get("deadline_text")
    if task is not None:
        out["found"] = {
            "ref": task.ref,
            "title": task.title[:90],
            "lead": task.lead,
            "deadline_text": task.deadline_text,
            "due": task.due,
            "kind": task.kind,
        }
    return out


def score_document(doc_id: str, corpus: Path = CORPUS) -> DocScore:
    """Extract one corpus document and compare it with its labels."""
    path = document_path(doc_id, corpus)
    if path is None:
        result, _expected = _unscored(doc_id, corpus)
        result.error = "document file missing"
        return result
    return score_file(doc_id, path.read_bytes(), path.name, corpus)


def score_file(doc_id: str, data: bytes, filename: str, corpus: Path = CORPUS) -> DocScore:
    """Score a file's bytes against a corpus document's labels, with the extraction and
    matching of `score_document`: another rendering of the document (.docx, .pdf, a scan)."""
    result, expected = _unscored(doc_id, corpus)
    return _score(result, expected, data, filename)


def _unscored(doc_id: str, corpus: Path) -> tuple[DocScore, list[dict[str, Any]]]:
    labels = json.loads((corpus / f"{doc_id}{LABEL_SUFFIX}").read_text(encoding="utf-8"))
    expected = labels.get("tasks", [])
    result = DocScore(doc_id, is_held_back(doc_id), str(labels.get("shape", "")))
    result.expected = len(expected)
    return result, expected


def _score(
    result: DocScore, expected: list[dict[str, Any]], data: bytes, filename: str
) -> DocScore:
    try:
        found = run_bytes(data, filename)
    except ImportFormatError as exc:
        result.error = f"{exc.code}: {exc}"
        found = []
    result.extracted = len(found)
    pairs = match_tasks(found, expected)
    result.matched = len(pairs)
    paired_f = {i for i, _ in pairs}
    paired_l = {j for _, j in pairs}
    for i, j in pairs:
        exact = is_exact(found[i], expected[j])
        result.exact += exact
        result.cooperating_ok += same_units(
            found[i].cooperating, expected[j].get("cooperating", [])
        )
        if not exact:
            why = wrong_reasons(found[i], expected[j], same_units, same_unit)
            add_reasons(result.reasons, dict.fromkeys(why, 1))
            result.misses.append({"kind": "wrong", "why": why, **_miss(found[i], expected[j])})
    for j, label in enumerate(expected):
        if j not in paired_l:
            result.misses.append({"kind": "missed", **_miss(None, label)})
    for i, task in enumerate(found):
        if i not in paired_f:
            result.invented += 1
            result.misses.append({"kind": "invented", **_miss(task, None)})
    result.reasons["not_found"] = result.expected - result.matched
    result.reasons["invented"] = result.invented
    return result


def score_corpus(part: str = "all", corpus: Path = CORPUS) -> dict[str, list[DocScore]]:
    """Scores of every labelled document, keyed ``tuned`` / ``heldback``."""
    out: dict[str, list[DocScore]] = {"tuned": [], "heldback": []}
    for doc_id in corpus_ids(part, corpus):
        out["heldback" if is_held_back(doc_id) else "tuned"].append(score_document(doc_id, corpus))
    return out


def totals(scores: Iterable[DocScore]) -> Totals:
    """Sum the figures of some documents."""
    out = Totals()
    for score in scores:
        out.add(score)
    return out

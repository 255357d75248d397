"""The fields of a progress report typed in chat: `bc nv 7 80% đã gửi dự thảo lên Bộ`."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from handlers.parsing import vocab
from handlers.parsing.scan import MAX_TOKENS, Scan
from store.text import fold

# A task ref: `7`, `2.a.1`, `II.5.a`; a bare roman `II` only counts if typed in capitals.
_REF = r"(?P<ref>\d{1,4}(?:\.[0-9a-z]{1,4})*|[ivx]{1,4}(?:\.[0-9a-z]{1,4})+|[ivx]{2,4})"
_NOT_PERCENT = r"(?![0-9a-z%/]|\.\d|\s*(?:phan\s*tram|percent))"
_PREFIXED_REF = re.compile(
    r"(?<![a-z0-9])(?:nhiem\s*vu|nvu|nv|task|cong\s*viec|viec|muc|item|phu\s*luc|pl|#)"
    r"\s*(?:so\s*|#\s*|no\.?\s*)?" + _REF + _NOT_PERCENT
)
_BARE_REF = re.compile(
    r"^\W*(?:(?:bao\s*cao|bc|report|cap\s*nhat|update|xong|hoan\s*thanh|done|finished)\W+)?"
    + _REF
    + _NOT_PERCENT
    # `7 ngày tới`, `3 tháng`: a count, not a task.
    + r"(?!\s*(?:ngay|tuan|thang|nam|quy|gio|phut|days?|weeks?|months?|years?|h)(?![a-z]))"
)
_PERCENT = re.compile(
    r"(?:(?<![a-z0-9])(?:da\s+)?(?:dat|duoc|at|la|len|tien\s*do|progress)\s*[:=]?\s*)?"
    # A minus typed against the number (`-5%`) is a sign; `NV 8 - 100%` is a separator.
    r"(?P<sign>(?<![\w-])[-\u2212\u2013](?=\d))?"
    r"(?<![\d.,])(?P<n>\d{1,6}(?:[.,]\d{1,2})?)\s*(?:%|phan\s*tram|percent|pct)"
)
# A percent sign after something that is not a plain number (`5o%`, `50%%`, `1.2.3%`).
_MALFORMED = re.compile(r"\d[0-9a-z.,]*[a-z.,][0-9a-z.,]*\s*%|%\s*%")
_PERCENT_WORD = re.compile(
    r"(?<![a-z0-9])(?:da\s+)?(?:dat|tien\s*do|progress)\s*:?\s*(?P<n>\d{1,6})(?![\d/.])"
)
# `NV 7 50`: a second bare number right after the ref is its percent.
_SECOND_NUMBER = re.compile(
    r"\s*[:,\-]?\s*(?:(?:dat|duoc|la|at)\s+)?(?P<n>\d{1,6})(?![\d/.a-z])"
    r"(?!\s*(?:ngay|thang|nam|tuan|quy|van|ban|days?|weeks?|months?))"
)
_EDGES = " \t\n,.;:-–—=+*/|"
_LINK_WORDS = "is|are|was|has|been|now|la|da|duoc|roi|ok|oke|i|we|toi|minh|em|chung"
# What may sit between a keyword and a ref or percent it belongs to (`task 5 is done`).
_LINK = re.compile(rf"(?:[\W_]|(?<![a-z0-9])(?:{_LINK_WORDS})\b)*")


def _joins(low: str, start: int, end: int) -> bool:
    """True when low[start:end] holds only punctuation and linking words."""
    return _LINK.fullmatch(low, start, end) is not None


@dataclass(slots=True)
class ReportFields:
    """What a report message says; `keyword` is True when it names itself (`bc`, `báo cáo`)."""

    ref: str | None = None
    percent: int | None = None
    status: str | None = None
    note: str = ""
    keyword: bool = False
    typed_percent: bool = False  # a percent the user wrote, not one implied by `xong`
    bad_percent: bool = False  # a negative or malformed percent: the handler refuses it
    negated: bool = False  # `chưa xong`, `không đạt 50%`: never recorded as reached
    note_start: int | None = None  # folded position where the free note begins


def _normal_ref(ref: str) -> str:
    """`ii.05.A` → `II.5.a`: roman head in capitals, other letters small, no leading zeros."""
    parts = ref.split(".")
    head = parts[0].upper() if not parts[0].isdigit() else str(int(parts[0]))
    rest = [str(int(p)) if p.isdigit() else p.lower() for p in parts[1:]]
    return ".".join([head, *rest])


def _negated_before(t: Scan, start: int, reach: int = 3) -> int | None:
    """Start of a negation (`chưa`, `không`, `not`) up to `reach` words before `start`."""
    before = [tok for tok in t.tokens if tok[2] <= start][-reach:]
    for tok, tok_start, _ in reversed(before):
        if tok in vocab.NEGATIONS:
            between = t.low[tok_start:start]
            return tok_start if not re.search(r"[,.;!?]", between) else None
    return None


def _read_percent(t: Scan, out: ReportFields, used: list[tuple[int, int]], window: int) -> None:
    """Read a typed percent; a negated one (`không đạt 50%`) is left in the note unread."""
    m = _PERCENT.search(t.low, 0, window)
    if m is None:
        if "%" in t.low and _MALFORMED.search(t.low):
            out.bad_percent = True
        return
    if _negated_before(t, m.start()) is not None:
        out.negated = True
        return
    value = int(float(m["n"].replace(",", ".")) + 0.5)
    if m["sign"]:
        out.bad_percent = True
        value = -value
    out.percent = value
    used.append(m.span())


def parse_report(t: Scan) -> ReportFields:
    """Read task ref, percent, status and note from a report message.

    A typed percent decides the status (100 → done, 0–99 → in_progress, anything else → None so
    the handler refuses it); otherwise `xong`/`done` means done at 100% and `chưa xong`,
    `không đạt 50%` or `đang thực hiện` in progress. The note is everything the person wrote
    except the task ref, the percent and a leading `báo cáo`; it is empty when nothing but a
    status word and politeness is left.
    """
    out = ReportFields()
    used: list[tuple[int, int]] = []
    # Search as far as keywords are looked for, plus room for a trailing `%`/`phần trăm`.
    window = t.tokens[-1][2] + 12 if len(t.tokens) == MAX_TOKENS else len(t.low)

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in used)

    _read_percent(t, out, used, window)
    for pattern in (_PREFIXED_REF, _BARE_REF):
        for m in pattern.finditer(t.low, 0, window):
            raw = t.cut(*m.span("ref"))
            roman = not raw[0].isdigit() and "." not in raw
            if free(*m.span()) and not (roman and not raw.isupper()):
                out.ref = _normal_ref(raw)
                used.append(m.span())
                break
        if out.ref:
            break
    if (
        out.percent is None
        and not out.negated
        and not out.bad_percent
        and out.ref
        and (m := _SECOND_NUMBER.match(t.low, used[-1][1]))
    ):
        out.percent = int(m["n"])
        used.append(m.span())
    m = None
    if out.percent is None and not out.negated and not out.bad_percent:
        m = _PERCENT_WORD.search(t.low, 0, window)
    if m is not None and free(*m.span()) and _negated_before(t, m.start()) is None:
        out.percent = int(m["n"])
        used.append(m.span())
    core = list(used)
    taken, negated = _status_words(t, used)
    out.negated = out.negated or negated
    out.keyword = "keyword" in taken
    out.typed_percent = out.percent is not None
    if out.percent is not None:
        out.status = _status_of(out.percent)
    elif "done" in taken:
        out.status, out.percent = ("in_progress", None) if negated else ("done", 100)
    elif "progress" in taken or out.negated:
        out.status = "in_progress"
    keyword = [span for name, span in taken.items() if name == "keyword"]
    out.note = _remainder(t, core + keyword)
    if _only_status(out.note):
        out.note = ""
    ends = [b for _, b in used]
    out.note_start = max(ends) if ends else None
    return out


def _status_words(t: Scan, used: list[tuple[int, int]]) -> tuple[dict[str, tuple[int, int]], bool]:
    """Find the done/progress/report keywords that belong to the report (not to its note).

    Keywords count only at the head of the message or next to what was already read, so
    `xong` or `bc` inside the note (`đã gửi bc, xong phần 1`) stay in the note. Returns the
    spans taken by name and whether the done word was negated (`chưa xong`).
    """

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in used)

    found = {
        name: span
        for name, phrases in (
            ("done", vocab.DONE_WORDS),
            ("progress", vocab.PROGRESS_WORDS),
            ("keyword", vocab.REPORT_WORDS),
        )
        if (span := t.find(phrases)) and free(*span)
    }
    if "progress" in found and t.low[slice(*found["progress"])].replace(" ", "") not in {
        p.replace(" ", "") for p in vocab.PROGRESS_WORDS
    }:
        del found["progress"]  # `đang lấy ý kiến` is not a typo of `đang làm`
    negated = False
    if "done" in found:
        start, end = found["done"]
        neg = _negated_before(t, start)
        if neg is not None:
            found["done"], negated = (neg, end), True
    taken: dict[str, tuple[int, int]] = {}
    for _ in range(len(found)):
        for name, (start, end) in found.items():
            if name in taken:
                continue
            left = max((b for _, b in used if b <= start), default=0)
            right = min((a for a, _ in used if a >= end), default=-1)
            if _joins(t.low, left, start):  # at the head, or right after something read
                span = (left, end)
            elif right >= end and _joins(t.low, end, right):
                span = (start, right)
            else:
                continue
            taken[name] = span
            used.append(span)
    return taken, negated


_STATUS_TOKENS = frozenset(
    " ".join(vocab.DONE_WORDS + vocab.PROGRESS_WORDS + vocab.REPORT_WORDS).split()
    + _LINK_WORDS.split("|")
    + ["nhe", "nha", "a", "ah", "ne", "day", "roi", "het", "nv", "nhiem", "vu", "task", "so"]
)


def _only_status(note: str) -> bool:
    """True when a note holds nothing but status words and politeness (`đã xong rồi nhé`)."""
    words = re.findall(r"[a-z0-9]+", fold(note))
    return all(w in _STATUS_TOKENS or w in vocab.FILLERS for w in words)


def _status_of(percent: int) -> str | None:
    # Out of range values get no status: the handler refuses them and must not act on a guess.
    if 0 <= percent < 100:
        return "in_progress"
    return "done" if percent == 100 else None


def _remainder(t: Scan, used: list[tuple[int, int]]) -> str:
    keep = [True] * len(t.orig)
    for start, end in used:
        if start < end <= len(t.pos):
            for i in range(t.pos[start], t.pos[end - 1] + 1):
                keep[i] = False
    text = "".join(ch for ch, k in zip(t.orig, keep, strict=True) if k)
    return " ".join(text.split()).strip(_EDGES)


_CONNECTORS = frozenset({"va", "voi", "and", "cung", "deu", "ca", "hai", "both", "all", "lan"})


def split_reports(t: Scan) -> list[ReportFields] | None:
    """Several tasks in one message (`nv 2 và nv 7 đều đạt 80%`): one report each.

    Returns None for a message naming at most one task. When every part carries its own
    percent or status, each part is its own report; when only the last does and the others
    are bare refs joined by `và`/`,`, they share it; otherwise the parts come back without a
    percent or status, so the handler asks rather than guesses.
    """
    starts = [m.start() for m in _PREFIXED_REF.finditer(t.low)]
    if len(starts) < 2:
        return None
    cuts = [*starts, len(t.low)]
    head = t.cut(0, starts[0]) if starts[0] > 0 else ""
    parts = [parse_report(Scan(t.cut(a, b))) for a, b in itertools.pairwise(cuts)]
    if any(p.ref is None for p in parts):
        return None
    if all(p.status is not None for p in parts):
        for p in parts:
            p.keyword = True
        return parts
    last = parts[-1]
    joined = all(
        all(w in _CONNECTORS for w in re.findall(r"[a-z0-9]+", fold(p.note))) for p in parts[:-1]
    )
    for p in parts[:-1]:
        if joined and last.status is not None:
            p.percent, p.status, p.typed_percent = last.percent, last.status, last.typed_percent
            p.note, p.negated = "", last.negated
        else:
            p.percent, p.status, p.note = None, None, ""
    if not joined:
        last.percent, last.status = None, None
    note = last.note
    words = note.split(maxsplit=1)
    if words and fold(words[0]) in _CONNECTORS:
        note = words[1] if len(words) > 1 else ""
    for p in parts:
        p.keyword = True
        p.note = (head + " " + note).strip() if joined else p.note
    return parts

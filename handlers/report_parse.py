"""The fields of a progress report typed in chat: `bc nv 7 80% đã gửi dự thảo lên Bộ`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers import vocab
from handlers.scan import MAX_TOKENS, Scan

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
)
_PERCENT = re.compile(
    r"(?:(?<![a-z0-9])(?:da\s+)?(?:dat|duoc|at|la|len|tien\s*do|progress)\s*:?\s*)?"
    r"(?<![\d.,])(?P<n>\d{1,6}(?:[.,]\d{1,2})?)\s*(?:%|phan\s*tram|percent|pct)"
)
_PERCENT_WORD = re.compile(
    r"(?<![a-z0-9])(?:da\s+)?(?:dat|tien\s*do|progress)\s*:?\s*(?P<n>\d{1,6})(?![\d/.])"
)
# `NV 7 50`: a second bare number right after the ref is its percent.
_SECOND_NUMBER = re.compile(
    r"\s*[:,\-]?\s*(?:(?:dat|duoc|la|at)\s+)?(?P<n>\d{1,6})(?![\d/.a-z])"
    r"(?!\s*(?:ngay|thang|nam|tuan|quy|van|ban|days?|weeks?|months?))"
)
_EDGES = " \t\n,.;:-–—"
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


def _normal_ref(ref: str) -> str:
    """`ii.05.A` → `II.5.a`: roman head in capitals, other letters small, no leading zeros."""
    parts = ref.split(".")
    head = parts[0].upper() if not parts[0].isdigit() else str(int(parts[0]))
    rest = [str(int(p)) if p.isdigit() else p.lower() for p in parts[1:]]
    return ".".join([head, *rest])


def parse_report(t: Scan) -> ReportFields:
    """Read task ref, percent, status and note from a report message.

    A typed percent decides the status (100 → done, 0–99 → in_progress, anything else → None so
    the handler refuses it); otherwise `xong`/`done` means done at 100% and `chưa xong` or
    `đang thực hiện` in progress. The note is what is left of the original text.
    """
    out = ReportFields()
    used: list[tuple[int, int]] = []
    # Search as far as keywords are looked for, plus room for a trailing `%`/`phần trăm`.
    window = t.tokens[-1][2] + 12 if len(t.tokens) == MAX_TOKENS else len(t.low)

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in used)

    if m := _PERCENT.search(t.low, 0, window):
        out.percent = int(float(m["n"].replace(",", ".")) + 0.5)
        used.append(m.span())
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
    if out.percent is None and out.ref and (m := _SECOND_NUMBER.match(t.low, used[-1][1])):
        out.percent = int(m["n"])
        used.append(m.span())
    if out.percent is None and (m := _PERCENT_WORD.search(t.low, 0, window)) and free(*m.span()):
        out.percent = int(m["n"])
        used.append(m.span())

    # Keywords count only at the head of the message or next to what was already read, so
    # `xong` or `bc` inside the note (`đã gửi bc, xong phần 1`) stay in the note.
    found = {
        name: span
        for name, phrases in (
            ("done", vocab.DONE_WORDS),
            ("progress", vocab.PROGRESS_WORDS),
            ("keyword", vocab.REPORT_WORDS),
        )
        if (span := t.find(phrases)) and free(*span)
    }
    negated = False
    if "done" in found:
        start, end = found["done"]
        before = [tok for tok in t.tokens if tok[2] <= start]
        if before and before[-1][0] in vocab.NEGATIONS:
            found["done"], negated = (before[-1][1], end), True
    taken: set[str] = set()
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
            taken.add(name)
            used.append(span)

    out.keyword = "keyword" in taken
    out.typed_percent = out.percent is not None
    if out.percent is not None:
        out.status = _status_of(out.percent)
    elif "done" in taken:
        out.status, out.percent = ("in_progress", None) if negated else ("done", 100)
    elif "progress" in taken:
        out.status = "in_progress"
    out.note = _remainder(t, used)
    return out


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

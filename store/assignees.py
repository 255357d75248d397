"""Assignee phrases → units: list splitting, collectives, owners and vague parts.

Name matching itself lives in `store.registry`, collective phrases in `store.collectives` and
vague ones in `store.vague`; the functions here take a `store.unit_index.UnitIndex` (the
registry's interface) and use its matcher. `store.registry` imports this module (for
`UnitRegistry.expand` and to re-export `Expansion`), so this one never imports the registry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from store import collectives, vague
from store.names import BRACKETS, normalize
from store.text import nfc
from store.unit_index import UnitIndex, UnitRef

_MAX_SPAN = 7  # the longest seeded name spans 5 list items (Ban Chỉ đạo của Chính phủ ...)
_SEP = re.compile(r"\s*(?:[;,\n]|\s[-–]\s|\sv[àa]\s+c[áa]c\s|\sv[àa]\s)\s*", re.IGNORECASE)
_DASH = re.compile(r"\s*[-–]\s*")
_BULLET = re.compile(r"^\s*(?:[-+•*–]|[a-zđ]\)|\d+[.)])\s+")
_LIST_HEAD = re.compile(r"(?:giua )?(?:cac |\d+ )?bo(?: co quan| nganh)?")
# `Nhóm công tác số 2 và số 3 của Tổ Giúp việc`, `Nhóm số 2, 3, 4, 5` (tb35): one item per
# number, each with the shared head and tail. Not `Kế hoạch số 02-KH/BCĐTW`.
_NUMBERED = re.compile(
    r"(?P<head>[^,;\n]*?\bs[ốo])\s+(?P<nums>\d+(?:\s*(?:,|\bv[àa]\b)\s*(?:s[ốo]\s+)?\d+)+)"
    r"\b(?![-/])(?P<tail>[^,;\n]*)",
    re.IGNORECASE,
)
_OWNER = re.compile(r"\s+c[ủu]a\s+", re.IGNORECASE)


@dataclass
class Expansion:
    """Units an assignee phrase stands for, and the parts that could not be resolved.

    `unresolved` holds (part, candidates) for parts that look like a unit, or like the sub-units
    of one, but matched none. Candidates are plausible or absent: they share the part's head
    noun (`Sở Ngoại vụ` gets no `Bộ` look-alike) and are communes only when the part may name
    one. `Thủ trưởng các đơn vị` with no issuer is unresolved with no candidates: an issuer
    would resolve it.

    `vague` holds parts that name no identifiable unit (`các cơ quan liên quan`, `nhà cung
    cấp`, `doanh nghiệp được phân công`, a category the seed does not enumerate such as `các
    ngân hàng`). Nobody could resolve them, so they stay out of `unresolved`; the task keeps
    the phrase as written.
    """

    phrase: str
    units: list[UnitRef] = field(default_factory=list)
    unresolved: list[tuple[str, list[tuple[UnitRef, float]]]] = field(default_factory=list)
    collective: bool = False
    # `... liên quan` / `được phân công`: only the relevant members are meant, not all of them.
    relevant_only: bool = False
    vague: list[str] = field(default_factory=list)


def expand(
    registry: UnitIndex, phrase: str, *, context_parent: str | UnitRef | None = None
) -> Expansion:
    """Resolve an assignee phrase against `registry` (the logic behind `UnitRegistry.expand`).

    Lists are split on `,` `;` `và` `và các`, new lines and `- ` bullets; a span is glued
    back when the longer text is a unit (`Bộ Văn hóa, Thể thao và Du lịch`). Parenthetical
    remarks are dropped; `X - <role>` keeps X; `Các Bộ: Xây dựng, Tài chính` reads each
    item as `Bộ <item>`; `Nhóm số 2 và số 3 của X` names two units of X.

    Args:
        registry: the units to resolve against.
        phrase: the lead or support cell as the directive writes it.
        context_parent: the issuing unit (ref, code or name), for `các đơn vị`, `Thủ trưởng
            các đơn vị` and `cấp ủy Đảng cùng cấp`; it is left out of the members of
            `các bộ, ngành...` (an issuer does not cooperate with itself).

    Returns:
        An `Expansion` with units in phrase order, without duplicates.
    """
    ctx = registry.resolve_context(context_parent)
    out = Expansion(phrase)
    for raw in BRACKETS.sub(" ", nfc(phrase or "")).splitlines():
        line = _BULLET.sub("", raw).strip(" \t.;,:")
        head, colon, rest = line.partition(":")
        prefix = ""
        if colon and _LIST_HEAD.fullmatch(normalize(head, designators=False)):
            prefix, line = "Bộ ", rest
        elif colon:
            line = f"{head}, {rest}"
        line = _NUMBERED.sub(_spread_numbers, line)
        if line.strip():
            _expand_line(registry, line, prefix, ctx, out)
    return out


def _spread_numbers(m: re.Match[str]) -> str:
    head, tail = m.group("head").strip(), m.group("tail").rstrip()
    return "; ".join(f"{head} {n}{tail}" for n in re.findall(r"\d+", m.group("nums")))


def _expand_line(
    registry: UnitIndex, line: str, prefix: str, ctx: UnitRef | None, out: Expansion
) -> None:
    atoms = _atoms(line)
    i = 0
    while i < len(atoms):
        j = _resolve_at(registry, line, atoms, i, prefix, ctx, out)
        if j is None:
            part = line[atoms[i][0] : atoms[i][1]].strip()
            m = registry.match_key(prefix + part, normalize(prefix + part), ctx, 5, cased=True)
            out.unresolved.append((part, m.candidates))
            j = i + 1
        i = j


def _resolve_at(
    registry: UnitIndex,
    line: str,
    atoms: list[tuple[int, int, str]],
    i: int,
    prefix: str,
    ctx: UnitRef | None,
    out: Expansion,
) -> int | None:
    """Resolve the longest span that starts at atom `i`; the atom after it, or None."""
    spans = list(_spans(line, atoms, i))
    # Units first, at every span length; only then may a span be vague or lack its owner,
    # so `Ngân hàng Nhà nước, các ngân hàng` keeps the State Bank.
    for j, span in spans:
        if _units(registry, span, prefix, ctx, j - i > 1, out):
            return j
    if i and _DASH.fullmatch(atoms[i][2]):
        return i + 1  # `Văn phòng Trung ương Đảng - Cơ quan Thường trực ...`: a role
    for j, span in spans:
        if _unknown(registry, span, ctx, j - i > 1, out):
            return j
    return None


def _spans(line: str, atoms: list[tuple[int, int, str]], i: int) -> Iterator[tuple[int, str]]:
    """(end, text) of the spans starting at atom `i`, longest first."""
    for j in range(min(len(atoms), i + _MAX_SPAN), i, -1):
        yield j, line[atoms[i][0] : atoms[j - 1][1]]


def _units(
    registry: UnitIndex,
    span: str,
    prefix: str,
    ctx: UnitRef | None,
    multi: bool,
    out: Expansion,
) -> bool:
    found = collectives.collective(registry, span, ctx, multi)
    if found is not None and found.units:
        out.collective = True
        out.relevant_only = out.relevant_only or found.relevant
        _add(out, found.units)
        return True
    for text in (prefix + span, span) if prefix else (span,):
        m = registry.match_key(text, normalize(text), ctx, 5, strict=multi, cased=True)
        if m.unit is not None:
            _add(out, [m.unit])
            return True
    unit = None if multi else _owned(registry, span, prefix)
    if unit is not None:
        _add(out, [unit])
        return True
    return False


def _owned(registry: UnitIndex, span: str, prefix: str) -> UnitRef | None:
    """`Nhóm công tác số 2 của Tổ Giúp việc Ban Chỉ đạo`: a unit named below its owner."""
    for sep in reversed(list(_OWNER.finditer(span))):
        owner_text = span[sep.end() :]
        owner = registry.match_key(owner_text, normalize(owner_text), None, 5, cased=True).unit
        if owner is None:
            continue
        head = prefix + span[: sep.start()]
        unit = registry.match_key(head, normalize(head), owner, 5, cased=True).unit
        if unit is not None and unit != owner and registry.is_under(unit, owner):
            return unit
    return None


def _unknown(
    registry: UnitIndex, span: str, ctx: UnitRef | None, multi: bool, out: Expansion
) -> bool:
    """Record a span that names no unit: vague, or a collective whose owner nobody named."""
    found = collectives.collective(registry, span, ctx, multi)
    if found is None and not vague.is_vague(collectives.qualify(span)[0]):
        return False
    if found is None or found.vague:
        out.vague.append(span.strip())
    else:
        out.unresolved.append((span.strip(), []))
    return True


def _add(out: Expansion, units: Iterable[UnitRef]) -> None:
    seen = {u.code for u in out.units}
    for unit in units:
        if unit.code not in seen:
            seen.add(unit.code)
            out.units.append(unit)


def _atoms(line: str) -> list[tuple[int, int, str]]:
    """Split a list into (start, end, separator before) spans of the original text."""
    atoms, pos, sep = [], 0, ""
    for m in _SEP.finditer(line):
        if line[pos : m.start()].strip():
            atoms.append((pos, m.start(), sep))
        pos, sep = m.end(), m.group()
    if line[pos:].strip():
        atoms.append((pos, len(line), sep))
    return atoms

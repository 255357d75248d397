"""Assignee phrases → units: list splitting and collective phrases (`các bộ, ngành, địa phương`).

Name matching itself lives in `store.registry`; the functions here take a `UnitRegistry` and use
its matcher. `store.registry` imports this module (for `UnitRegistry.expand` and to re-export
`Expansion`), so this one imports it only for type checking and, at run time, on first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from store.models import UnitKind
from store.text import nfc

if TYPE_CHECKING:
    from store.registry import UnitRef, UnitRegistry

_MAX_SPAN = 7  # the longest seeded name spans 5 list items (Ban Chỉ đạo của Chính phủ ...)
_SEP = re.compile(r"\s*(?:[;,\n]|\s[-–]\s|\sv[àa]\s+c[áa]c\s|\sv[àa]\s)\s*", re.IGNORECASE)
_DASH = re.compile(r"\s*[-–]\s*")
_BULLET = re.compile(r"^\s*(?:[-+•*–]|[a-zđ]\)|\d+[.)])\s+")
_LIST_HEAD = re.compile(r"(?:giua )?(?:cac |\d+ )?bo(?: co quan| nganh)?")
_TW = re.compile(r"\btw\b")
_TAIL = re.compile(r" (?:theo|tren dia ban|trong pham vi|thuc hien) .*$")
_RELEVANT = re.compile(r" (?:co )?lien quan\b| duoc phan cong\b| chu quan\b")
# Collective phrases, matched whole on the normalised text (designators kept, `UBND`, `Thủ
# trưởng`, `liên quan` and trailing `theo ...` removed). Order matters: specific before general.
_COLLECTIVES = [
    (re.compile(pattern), kind)
    for pattern, kind in (
        (
            r"(?:cac )?(?:bo nganh|bo co quan|bo nganh co quan|co quan|bo)(?: trung uong)?"
            r"(?: va)?(?: cac)? dia phuong",
            "central_local",
        ),
        (r"(?:cac )?bo co quan ngang bo", "ministries_ml"),
        (r"(?:cac )?bo(?: co quan ngang bo)? co quan thuoc chinh phu", "central"),
        (
            r"(?:cac )?(?:bo (?:nganh|co quan|nganh co quan)(?: trung uong)?|co quan trung uong)",
            "central",
        ),
        (r"(?:cac )?co quan ngang bo co quan thuoc chinh phu", "ministerial_agencies"),
        (r"(?:cac )?co quan ngang bo", "ministerial_level"),
        (r"(?:cac )?co quan thuoc chinh phu", "government_agencies"),
        (r"(?:cac )?bo", "ministries"),
        (
            r"(?:cac )?tinh thanh(?: pho)?(?: truc thuoc trung uong)?|cac tinh|cap tinh"
            r"|(?:cac )?dia phuong",
            "provinces",
        ),
        (r"(?:cac )?xa phuong(?: dac khu)?|cac xa|cap xa", "communes"),
        (
            r"(?:cac )?(?:(?:vu|cuc|co quan) )*don vi(?: (?:truc )?thuoc (?P<parent>.+))?",
            "children",
        ),
        (r"(?:cap uy|dang uy)(?: dang)? cung cap", "party_same_level"),
        (r"cac ban dang(?: o)?(?: trung uong)?", "central_party_boards"),
        (r"(?:cac )?hang hang khong", "airlines"),
    )
]


@dataclass
class Expansion:
    """Units an assignee phrase stands for, and the parts that could not be resolved."""

    phrase: str
    units: list[UnitRef] = field(default_factory=list)
    unresolved: list[tuple[str, list[tuple[UnitRef, float]]]] = field(default_factory=list)
    collective: bool = False
    # `... liên quan` / `được phân công`: only the relevant members are meant, not all of them.
    relevant_only: bool = False


def expand(
    registry: UnitRegistry, phrase: str, *, context_parent: str | UnitRef | None = None
) -> Expansion:
    """Resolve an assignee phrase against `registry` (the logic behind `UnitRegistry.expand`).

    Lists are split on `,` `;` `và` `và các`, new lines and `- ` bullets; a span is glued
    back when the longer text is a unit (`Bộ Văn hóa, Thể thao và Du lịch`). Parenthetical
    remarks are dropped; `X - <role>` keeps X; `Các Bộ: Xây dựng, Tài chính` reads each
    item as `Bộ <item>`.

    Args:
        registry: the units to resolve against.
        phrase: the lead or support cell as the directive writes it.
        context_parent: the issuing unit (ref, code or name), for `các đơn vị`, `Thủ trưởng
            các đơn vị` and `cấp ủy Đảng cùng cấp`; it is left out of the members of
            `các bộ, ngành...` (an issuer does not cooperate with itself).

    Returns:
        An `Expansion` with units in phrase order, without duplicates.
    """
    from store.registry import _BRACKETS  # deferred: store.registry imports this module

    ctx = registry.resolve_context(context_parent)
    out = Expansion(phrase)
    for raw in _BRACKETS.sub(" ", nfc(phrase or "")).splitlines():
        line = _BULLET.sub("", raw).strip(" \t.;,:")
        head, colon, rest = line.partition(":")
        prefix = ""
        if colon and _LIST_HEAD.fullmatch(_normalize(head, designators=False)):
            prefix, line = "Bộ ", rest
        elif colon:
            line = f"{head}, {rest}"
        if line.strip():
            _expand_line(registry, line, prefix, ctx, out)
    return out


def _normalize(text: str, *, designators: bool = True) -> str:
    """`store.registry.normalize`, imported on use because that module imports this one."""
    from store.registry import normalize

    return normalize(text, designators=designators)


def _expand_line(
    registry: UnitRegistry, line: str, prefix: str, ctx: UnitRef | None, out: Expansion
) -> None:
    atoms = _atoms(line)
    i = 0
    while i < len(atoms):
        for j in range(min(len(atoms), i + _MAX_SPAN), i, -1):
            span = line[atoms[i][0] : atoms[j - 1][1]]
            if _resolve(registry, span, prefix, ctx, j - i > 1, out):
                i = j
                break
        else:
            start, end, sep = atoms[i]
            part = line[start:end].strip()
            # `Văn phòng Trung ương Đảng - Cơ quan Thường trực ...`: a role, not another unit.
            if not (i and _DASH.fullmatch(sep)):
                m = registry._match(part, _normalize(prefix + part), ctx, 5)
                out.unresolved.append((part, m.candidates))
            i += 1


def _resolve(
    registry: UnitRegistry,
    span: str,
    prefix: str,
    ctx: UnitRef | None,
    multi: bool,
    out: Expansion,
) -> bool:
    found = _collective(registry, span, ctx, multi)
    if found is not None:
        members, relevant = found
        out.collective = True
        out.relevant_only = out.relevant_only or relevant
        _add(out, members)
        return True
    for text in (prefix + span, span) if prefix else (span,):
        m = registry._match(text, _normalize(text), ctx, 5, strict=multi)
        if m.unit is not None:
            _add(out, [m.unit])
            return True
    return False


def _collective(
    registry: UnitRegistry, span: str, ctx: UnitRef | None, multi: bool
) -> tuple[list[UnitRef], bool] | None:
    s = _TAIL.sub("", _TW.sub("trung uong", _normalize(span, designators=False)))
    relevant = bool(_RELEVANT.search(s))
    s = " ".join(_RELEVANT.sub(" ", s).split())
    for pattern, kind in _COLLECTIVES:
        m = pattern.fullmatch(s)
        if m:
            members = _members(registry, kind, m.groupdict().get("parent"), ctx, multi)
            if members is None:
                return None
            return [u for u in members if u != ctx], relevant
    return None


def _members(
    registry: UnitRegistry, kind: str, parent: str | None, ctx: UnitRef | None, multi: bool
) -> list[UnitRef] | None:
    ministries = [u for u in registry.of_kind(UnitKind.MINISTRY) if u.parent_code is None]
    ministerial = registry.group("ministerial_level")
    agencies = registry.group("government_agencies")
    provinces = registry.of_kind(UnitKind.PROVINCE)
    if kind == "children":
        owner = registry._match(parent, parent, None, 1, strict=multi).unit if parent else ctx
        return registry.children(owner.code) or None if owner else None
    if kind == "communes":
        if ctx is not None and ctx.kind == UnitKind.PROVINCE:
            return registry.children(ctx.code)
        return registry.of_kind(UnitKind.COMMUNE)
    if kind == "party_same_level":
        key = _normalize(f"Đảng ủy {ctx.name}") if ctx else ""
        hits = [u for u in registry._exact.get(key, ()) if u.kind == UnitKind.PARTY_BODY]
        return hits[:1] or None
    combos = {
        "central_local": [*ministries, *ministerial, *agencies, *provinces],
        "central": [*ministries, *ministerial, *agencies],
        "ministries_ml": [*ministries, *ministerial],
        "ministerial_agencies": [*ministerial, *agencies],
        "ministries": ministries,
        "provinces": provinces,
    }
    return combos[kind] if kind in combos else registry.group(kind) or None


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

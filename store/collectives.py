"""Collective assignee phrases (`các bộ, ngành, địa phương`) and the units they stand for.

A phrase is matched whole on its normalised text (`qualify`): designators kept, `TW` spelled out,
a doubled `các` collapsed (`các các tập đoàn`, as tb35 writes it), titles such as `Thủ trưởng` and
`UBND` stripped, relevance qualifiers (`liên quan`, `được phân công`, `chủ quản <data>`) and a
trailing `theo ...` removed. Members come from unit kinds, the issuer's sub-units, or the named
groups of `store/data/central_units.json`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.models import UnitKind
from store.names import normalize
from store.unit_index import UnitIndex, UnitRef

_TW = re.compile(r"\btw\b")
_TAIL = re.compile(r" (?:theo|tren dia ban|trong pham vi|thuc hien) .*$")
_REPEATS = re.compile(r"\b(cac )(?:cac )+")
# `... liên quan`, `được phân công`: only the relevant members are meant. `chủ quản` takes what
# is owned along (`các bộ, cơ quan chủ quản các CSDL quốc gia, chuyên ngành`, tb35).
_RELEVANT = re.compile(
    r" (?:co )?lien quan\b| duoc (?:phan cong|giao)\b"
    r"| chu quan\b(?: (?:cac )?(?:csdl|co so du lieu|he thong|nen tang|du lieu)\b.*$)?"
)
_FIRM = r"(?:tap doan|tong cong ty|doanh nghiep|cong ty)"
_FIRMS = rf"(?:cac )?{_FIRM}(?: (?:va )?(?:cac )?{_FIRM})*"
# Matched whole, in order: specific before general. A `group:` kind takes the members of that
# group of the seed; when the seed has no such group the phrase is a category it does not
# enumerate, reported as vague.
_COLLECTIVES = [
    (re.compile(pattern), kind)
    for pattern, kind in (
        (
            r"(?:cac )?(?:bo nganh|bo co quan|bo nganh co quan|co quan|bo)(?: trung uong)?"
            r"(?: va)?(?: cac)? dia phuong(?: cac cap)?",
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
        # `Các tỉnh, Thành ủy` (tb35: the provincial and municipal Party committees).
        (
            r"(?:ban thuong vu )?(?:cac )?(?:tinh uy|tinh) thanh uy(?: cac tinh thanh pho)?"
            r"(?: truc thuoc trung uong)?|(?:cac )?tinh uy",
            "provincial_party",
        ),
        (
            r"(?:cac )?tinh thanh(?: pho)?(?: truc thuoc trung uong)?|cac tinh|cap tinh"
            r"|(?:cac )?dia phuong(?: cac cap)?",
            "provinces",
        ),
        (r"(?:cac )?xa phuong(?: dac khu)?|cac xa|cap xa", "communes"),
        (
            r"(?:cac )?(?:(?:vu|cuc|co quan) )*don vi(?: (?:truc )?thuoc (?P<parent>.+))?",
            "children",
        ),
        (r"(?:cap uy|dang uy)(?: dang)? cung cap", "party_same_level"),
        (r"cac ban dang(?: o)?(?: trung uong)?", "central_party_boards"),
        (r"(?:cac )?hang (?:bay(?: hang khong)?|hang khong)", "group:airlines"),
        (
            r"(?:cac )?(?:don vi|doanh nghiep) (?:quan ly|khai thac)(?: khai thac)?(?: cac)?"
            r"(?: cum)? cang hang khong(?: san bay)?",
            "group:airport_operators",
        ),
        # tb35: `các Nhóm công tác hỗ trợ của Trung ương`, `Các Nhóm công tác của Tổ Giúp việc`.
        (
            r"cac nhom(?: cong tac)?(?: ho tro)? cua (?:to giup viec|trung uong|ban chi dao)\b.*"
            r"|cac nhom cong tac ho tro",
            "group:tgv_working_groups",
        ),
        (rf"{_FIRMS} nha nuoc", "group:state_enterprises"),
        (
            rf"(?:{_FIRMS}|(?:cac )?nha mang) vien thong|(?:cac )?nha mang(?: di dong)?",
            "group:telecom_enterprises",
        ),
    )
]


@dataclass(frozen=True)
class Collective:
    """What a collective phrase stands for.

    `units` empty and `vague` False: the members depend on an owner nobody named (`Thủ trưởng
    các đơn vị` with no issuer). `vague`: no identifiable set (`các cơ quan, đơn vị` with no
    owner, a category the seed does not enumerate).
    """

    units: list[UnitRef]
    relevant: bool
    vague: bool = False


def qualify(span: str) -> tuple[str, bool]:
    """Normalise a span for whole-phrase matching; also whether only relevant members are meant."""
    s = _TAIL.sub("", _TW.sub("trung uong", normalize(span, designators=False)))
    s = _REPEATS.sub(r"\1", s)
    relevant = bool(_RELEVANT.search(s))
    return " ".join(_RELEVANT.sub(" ", s).split()), relevant


def collective(
    registry: UnitIndex, span: str, ctx: UnitRef | None, multi: bool
) -> Collective | None:
    """The collective a span is, or None when it is not one.

    Args:
        registry: the units to take members from.
        span: one list item, or several glued back together (`multi`).
        ctx: the issuer, owner of `các đơn vị`; it is left out of the members.
        multi: the span was glued from several items, so an owner name must match strictly.
    """
    s, relevant = qualify(span)
    for pattern, kind in _COLLECTIVES:
        m = pattern.fullmatch(s)
        if not m:
            continue
        if kind == "children":
            return _children(registry, s, m.group("parent"), relevant, ctx, multi)
        members = _members(registry, kind, ctx)
        if members is None:
            return Collective([], relevant, vague=kind.startswith("group:"))
        return Collective([u for u in members if u != ctx], relevant)
    return None


def _children(
    registry: UnitIndex,
    s: str,
    parent: str | None,
    relevant: bool,
    ctx: UnitRef | None,
    multi: bool,
) -> Collective | None:
    if parent:
        owner = registry.match_key(parent, parent, None, 1, strict=multi).unit
        if owner is None:
            # A glued span may have swallowed the next unit into its owner's name: let the
            # caller try shorter spans.
            return None if multi else Collective([], relevant)
    else:
        owner = ctx
    units = registry.children(owner.code) if owner is not None else []
    if units:
        return Collective(units, relevant)
    # No owner: `các đơn vị` are the issuer's, so an issuer fixes it; `các cơ quan, đơn vị`
    # and `các đơn vị liên quan` are anybody's.
    return Collective([], relevant, vague=relevant or s.startswith(("cac co quan", "co quan")))


def _members(registry: UnitIndex, kind: str, ctx: UnitRef | None) -> list[UnitRef] | None:
    if kind.startswith("group:"):
        return registry.group(kind.removeprefix("group:")) or None
    ministries = [u for u in registry.of_kind(UnitKind.MINISTRY) if u.parent_code is None]
    ministerial = registry.group("ministerial_level")
    agencies = registry.group("government_agencies")
    provinces = registry.of_kind(UnitKind.PROVINCE)
    if kind == "communes":
        if ctx is not None and ctx.kind == UnitKind.PROVINCE:
            return registry.children(ctx.code)
        return registry.of_kind(UnitKind.COMMUNE)
    if kind == "party_same_level":
        key = normalize(f"Đảng ủy {ctx.name}") if ctx else ""
        hits = [u for u in registry.exact(key) if u.kind == UnitKind.PARTY_BODY]
        return hits[:1] or None
    if kind == "provincial_party":
        return [_party_committee(registry, p) for p in provinces]
    combos = {
        "central_local": [*ministries, *ministerial, *agencies, *provinces],
        "central": [*ministries, *ministerial, *agencies],
        "ministries_ml": [*ministries, *ministerial],
        "ministerial_agencies": [*ministerial, *agencies],
        "ministries": ministries,
        "provinces": provinces,
    }
    return combos[kind] if kind in combos else registry.group(kind) or None


def _party_committee(registry: UnitIndex, province: UnitRef) -> UnitRef:
    """The province's Party committee (`Tỉnh ủy Nghệ An`) if seeded, else the province itself.

    The seed has no provincial Party committees, so `các Tỉnh ủy, Thành ủy` resolves to the 34
    provinces: the provincial level answers for the task there, as it does for other local
    collectives. Seeding `Tỉnh ủy <tỉnh>` / `Thành ủy <thành phố>` party bodies switches it over.
    """
    place = normalize(province.name)
    for key in (f"tinh uy {place}", f"thanh uy {place}"):
        for unit in registry.exact(key):
            if unit.kind == UnitKind.PARTY_BODY:
                return unit
    return province

"""Unit seed records (central bodies, 34 provinces, their communes) and unit data functions.

Central bodies come from `store/data/central_units.json`; provinces and communes after the 2025
reorganisation from the `vietnam-provinces` package. Data functions take the session first and
never commit: the caller owns the transaction.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from vietnam_provinces import Province, VietNamDivisionType, Ward

from store.batching import UnitsArg, unit_filters
from store.models import Unit, UnitKind

logger = logging.getLogger(__name__)

CENTRAL_UNITS_PATH = Path(__file__).with_name("data") / "central_units.json"

_COMMUNE_PREFIX = {
    VietNamDivisionType.XA: "Xã",
    VietNamDivisionType.PHUONG: "Phường",
    VietNamDivisionType.DAC_KHU: "Đặc khu",
}


@dataclass(frozen=True)
class UnitRecord:
    """One unit as seeded: identified by its stable `code`, parent referenced by code."""

    code: str
    name: str
    short_name: str | None
    kind: UnitKind
    parent_code: str | None = None
    aliases: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        # Accept any sequence (JSON gives lists) but keep the record hashable and immutable.
        object.__setattr__(self, "aliases", tuple(self.aliases))
        object.__setattr__(self, "kind", UnitKind(self.kind))


@cache
def _central_data() -> dict[str, Any]:
    with CENTRAL_UNITS_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


def central_records() -> list[UnitRecord]:
    """Central bodies (ministries, agencies, Party bodies, VPCP units...) from the JSON file."""
    return [
        UnitRecord(
            code=u["code"],
            name=u["name"],
            short_name=u.get("short_name"),
            kind=UnitKind(u["kind"]),
            parent_code=u.get("parent_code"),
            aliases=tuple(u.get("aliases", ())),
        )
        for u in _central_data()["units"]
    ]


def unit_groups() -> dict[str, tuple[str, ...]]:
    """Named groups of unit codes (ministerial-level agencies, Government agencies...)."""
    groups = _central_data()["groups"]
    return {k: tuple(v) for k, v in groups.items() if not k.startswith("_")}


def province_code(province: Province) -> str:
    """Stable code of a province: `tp-ha-noi`, `tinh-nghe-an`."""
    city = province.division_type is VietNamDivisionType.THANH_PHO_TRUNG_UONG
    return ("tp-" if city else "tinh-") + province.codename.replace("_", "-")


def commune_code(ward: Ward) -> str:
    """Stable code of a commune: `xa-` and the five-digit official code (`xa-00070`)."""
    return f"xa-{int(ward.code):05d}"


def _province_record(province: Province, extra: Sequence[str]) -> UnitRecord:
    city = province.division_type is VietNamDivisionType.THANH_PHO_TRUNG_UONG
    bare = province.name.removeprefix("Thành phố ").strip()
    if city:
        name = province.name
        forms = [f"TP. {bare}", f"TP {bare}", f"UBND thành phố {bare}"]
        forms.append(f"Ủy ban nhân dân thành phố {bare}")
    else:
        name = f"Tỉnh {bare}"
        forms = [f"UBND tỉnh {bare}", f"Ủy ban nhân dân tỉnh {bare}"]
    aliases = [bare, *forms]
    aliases += [a for a in extra if a not in aliases]
    short = "TP.HCM" if province.codename == "ho_chi_minh" else bare
    return UnitRecord(
        province_code(province), name, short, UnitKind.PROVINCE, None, tuple(aliases)
    )


def local_records() -> list[UnitRecord]:
    """The 34 provinces, each followed by its communes (wards, communes, special zones)."""
    extras = {k: v for k, v in _central_data()["provinces"].items() if not k.startswith("_")}
    wards: dict[int, list[Ward]] = {}
    for ward in Ward.iter_all():
        wards.setdefault(int(ward.province_code), []).append(ward)
    records: list[UnitRecord] = []
    for province in sorted(Province.iter_all(), key=lambda p: int(p.code)):
        record = _province_record(province, extras.get(province.codename, ()))
        records.append(record)
        for ward in sorted(wards.get(int(province.code), ()), key=lambda w: int(w.code)):
            prefix = _COMMUNE_PREFIX.get(ward.division_type, "")
            short = ward.name.removeprefix(prefix).strip() if prefix else ward.name
            records.append(
                UnitRecord(
                    commune_code(ward), ward.name, short[:64], UnitKind.COMMUNE, record.code
                )
            )
    return records


@cache
def _seed() -> tuple[UnitRecord, ...]:
    records = (*central_records(), *local_records())
    codes = [r.code for r in records]
    if len(codes) != len(set(codes)):
        raise ValueError("duplicate unit codes in seed data")
    return records


def seed_records() -> list[UnitRecord]:
    """Every seeded unit: central bodies, then provinces each followed by its communes."""
    return list(_seed())


def _depth(record: UnitRecord, by_code: dict[str, UnitRecord]) -> int:
    depth, seen, parent = 0, {record.code}, record.parent_code
    while parent is not None and parent in by_code and parent not in seen:
        seen.add(parent)
        depth += 1
        parent = by_code[parent].parent_code
    return depth


def _merge_aliases(seeded: Iterable[str], current: Iterable[str] | None) -> list[str]:
    # Aliases an admin added to a seeded unit survive a reseed; seeded ones come first.
    merged = list(dict.fromkeys(seeded))
    merged += [a for a in current or () if a not in merged]
    return merged


async def seed_units(session: AsyncSession, records: Sequence[UnitRecord] | None = None) -> int:
    """Insert or update the seed units by code; returns how many rows were inserted or changed.

    Idempotent: a second call finds nothing to change. New rows are bulk-inserted one tree level at
    a time so each level can reference its parents' fresh ids. The `active` flag of existing rows
    is left alone (an admin may have retired a unit), and units not in the seed are untouched.
    """
    records = list(records) if records is not None else seed_records()
    by_code = {r.code: r for r in records}
    cols = (
        Unit.id,
        Unit.code,
        Unit.name,
        Unit.short_name,
        Unit.kind,
        Unit.parent_id,
        Unit.aliases,
    )
    existing = {row.code: row for row in (await session.execute(select(*cols))).all()}
    ids = {code: row.id for code, row in existing.items()}

    levels: dict[int, list[UnitRecord]] = {}
    for record in records:
        if record.code not in existing:
            levels.setdefault(_depth(record, by_code), []).append(record)
    inserted = 0
    for depth in sorted(levels):
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "short_name": r.short_name,
                "kind": r.kind,
                "parent_id": ids.get(r.parent_code) if r.parent_code else None,
                "aliases": list(r.aliases),
                "active": True,
            }
            for r in levels[depth]
        ]
        result = await session.execute(insert(Unit).returning(Unit.code, Unit.id), rows)
        ids.update({code: id_ for code, id_ in result.all()})
        inserted += len(rows)

    changes = []
    for record in records:
        row = existing.get(record.code)
        if row is None:
            continue
        wanted = {
            "name": record.name,
            "short_name": record.short_name,
            "kind": record.kind,
            "parent_id": ids.get(record.parent_code) if record.parent_code else None,
            "aliases": _merge_aliases(record.aliases, row.aliases),
        }
        if any(getattr(row, key) != value for key, value in wanted.items()):
            changes.append({"id": row.id, **wanted})
    if changes:
        await session.execute(update(Unit), changes)
    if inserted or changes:
        logger.info("seeded units: %d inserted, %d updated", inserted, len(changes))
    return inserted + len(changes)


async def get_unit(session: AsyncSession, unit_id: int) -> Unit | None:
    """The unit with this id, or None."""
    return await session.get(Unit, unit_id)


async def find_by_code(session: AsyncSession, code: str) -> Unit | None:
    """The unit with this stable code (`bo-cong-an`, `tp-ha-noi`, `xa-00070`), or None."""
    return (await session.execute(select(Unit).where(Unit.code == code))).scalar_one_or_none()


async def list_children(session: AsyncSession, unit_id: int) -> list[Unit]:
    """Direct sub-units of a unit, in seed order (ids ascend in the order units were added)."""
    stmt = select(Unit).where(Unit.parent_id == unit_id).order_by(Unit.id)
    return list((await session.execute(stmt)).scalars())


async def descendant_ids(
    session: AsyncSession, unit_id: int, *, include_self: bool = False
) -> set[int]:
    """Ids of every unit below this one (children, grandchildren...), for heads who see sub-units.

    One recursive query; UNION (not UNION ALL) so a parent cycle entered by hand cannot loop.
    """
    tree = select(Unit.id).where(Unit.parent_id == unit_id).cte("tree", recursive=True)
    tree = tree.union(select(Unit.id).where(Unit.parent_id == tree.c.id))
    ids = set((await session.execute(select(tree.c.id))).scalars())
    if include_self:
        ids.add(unit_id)
    else:
        ids.discard(unit_id)
    return ids


async def unit_names(session: AsyncSession, units: UnitsArg) -> dict[int, str]:
    """Display names (the short name if any) of units given as ids or a select of ids."""
    names: dict[int, str] = {}
    for condition in unit_filters(Unit.id, units):
        rows = await session.execute(select(Unit.id, Unit.name, Unit.short_name).where(condition))
        names.update({uid: short or name for uid, name, short in rows})
    return names


async def full_names(session: AsyncSession, ids: Sequence[int]) -> list[str]:
    """Full names of the units with these ids, in that order (unknown ids left out)."""
    if not ids:
        return []
    rows = await session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(list(ids))))
    by_id = {uid: name for uid, name in rows}
    return [by_id[i] for i in ids if i in by_id]


async def unit_count(session: AsyncSession) -> int:
    """How many units the registry holds (zero before the first seeding)."""
    return await session.scalar(select(func.count()).select_from(Unit)) or 0

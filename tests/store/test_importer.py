"""Importing real directives into the database: units resolved, idempotent, reports kept.

Fixtures: copies of shared/directives/qd230-vpcp-2025.txt and tb35-tgv-2025.txt (public
documents) in tests/store/fixtures/directives.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from store.importer import import_directive, source_hash
from store.importing.extract import ParsedDirective, ParsedTask, extract
from store.models import Assignment, Directive, Report, Role, Task, Unit
from store.registry import UnitRegistry
from store.reports import record_report
from store.units import seed_units
from tests.factories import NOW

DIRECTIVES = Path(__file__).resolve().parent / "fixtures" / "directives"


def _load(name: str) -> tuple[bytes, ParsedDirective]:
    data = (DIRECTIVES / name).read_bytes()
    return data, extract(data, name)


async def _import(sessionmaker, data: bytes, parsed: ParsedDirective):
    async with sessionmaker() as s, s.begin():
        registry = await UnitRegistry.load(s)
        return await import_directive(
            s, parsed, registry=registry, now=NOW, source_name="x", digest=source_hash(data)
        )


async def _count(sessionmaker, model) -> int:
    async with sessionmaker() as s:
        return await s.scalar(select(func.count()).select_from(model))


@pytest.fixture
async def seeded(sessionmaker):
    async with sessionmaker() as s, s.begin():
        await seed_units(s)
    return sessionmaker


async def test_import_230_creates_tasks_and_assignments(seeded):
    data, parsed = _load("qd230-vpcp-2025.txt")
    result = await _import(seeded, data, parsed)
    assert result.created_tasks == len(parsed.tasks) > 30
    assert await _count(seeded, Task) == len(parsed.tasks)
    assert await _count(seeded, Assignment) == result.assignments > len(parsed.tasks)
    async with seeded() as s:
        directive = await s.scalar(select(Directive))
        assert directive.number == "230/QĐ-VPCP"
        cuc = await s.scalar(select(Unit).where(Unit.code == "vpcp-cuc-kiem-soat-tthc"))
        leads = await s.scalar(
            select(func.count())
            .select_from(Assignment)
            .where(Assignment.unit_id == cuc.id, Assignment.role == Role.LEAD)
        )
    assert leads >= 10
    # Collective cooperating phrases expand to many units (các bộ, ngành, địa phương).
    assert result.assignments > 200


async def test_reimport_updates_in_place_and_keeps_reports(seeded):
    data, parsed = _load("qd230-vpcp-2025.txt")
    await _import(seeded, data, parsed)
    tasks, assignments = await _count(seeded, Task), await _count(seeded, Assignment)
    async with seeded() as s, s.begin():
        a = await s.scalar(select(Assignment).order_by(Assignment.id).limit(1))
        await record_report(
            s,
            assignment=a,
            author_id=None,
            percent=40,
            done=False,
            text="x",
            now=NOW,
            local_day=NOW.date(),
        )
    again = await _import(seeded, data, parsed)
    assert again.created_tasks == 0 and again.updated_tasks == tasks
    assert await _count(seeded, Task) == tasks
    assert await _count(seeded, Assignment) == assignments
    assert await _count(seeded, Report) == 1
    async with seeded() as s:
        a = await s.scalar(select(Assignment).order_by(Assignment.id).limit(1))
    assert a.progress == 40


async def test_assignment_numbers_stay_stable_across_imports(seeded):
    d230, p230 = _load("qd230-vpcp-2025.txt")
    d35, p35 = _load("tb35-tgv-2025.txt")
    await _import(seeded, d230, p230)
    async with seeded() as s:
        before = dict((await s.execute(select(Assignment.id, Assignment.seq))).all())
    await _import(seeded, d35, p35)
    await _import(seeded, d230, p230)
    async with seeded() as s:
        after = dict((await s.execute(select(Assignment.id, Assignment.seq))).all())
        dupes = await s.scalar(
            select(func.count()).select_from(
                select(Assignment.unit_id, Assignment.seq)
                .group_by(Assignment.unit_id, Assignment.seq)
                .having(func.count() > 1)
                .subquery()
            )
        )
    assert {k: after[k] for k in before} == before
    assert dupes == 0


async def test_unknown_units_are_listed_with_candidates(seeded):
    parsed = ParsedDirective(
        number="9/TB-TEST",
        doc_type="Thông báo",
        issuer="Văn phòng Chính phủ",
        issued_on=None,
        title="t",
        warnings=[],
        tasks=[
            ParsedTask(
                ref="1",
                title="Việc",
                body="Việc",
                lead=["Bộ Khoa hoc va Cong nghe", "Sở Ngoại vụ Sao Hỏa"],
                cooperating=[],
                deadline_text="Tháng 9/2025",
            )
        ],
    )
    result = await _import(seeded, b"", parsed)
    assert result.tasks[0].lead_units == ["Bộ Khoa học và Công nghệ"]
    assert [u.text for u in result.unresolved] == ["Sở Ngoại vụ Sao Hỏa"]
    assert result.tasks[0].due.isoformat() == "2025-09-30"


async def test_dry_run_writes_nothing(seeded):
    _data, parsed = _load("tb35-tgv-2025.txt")
    async with seeded() as s, s.begin():
        registry = await UnitRegistry.load(s)
        result = await import_directive(s, parsed, registry=registry, now=NOW, dry_run=True)
    assert result.tasks and result.assignments > 0
    assert await _count(seeded, Task) == 0


async def test_directive_without_number_is_refused(seeded):
    parsed = ParsedDirective(
        number=None, doc_type=None, issuer=None, issued_on=None, title="", tasks=[], warnings=[]
    )
    async with seeded() as s:
        registry = await UnitRegistry.load(s)
        with pytest.raises(ValueError, match="number"):
            await import_directive(s, parsed, registry=registry, now=NOW)

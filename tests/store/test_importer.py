"""Importing real directives into the database: units resolved, idempotent, reports kept.

Fixtures: copies of shared/directives/qd230-vpcp-2025.txt and tb35-tgv-2025.txt (public
documents) in tests/store/fixtures/directives.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from store.import_corrections import save_corrections
from store.import_drafts import create_draft, edit_task, view_draft
from store.importer import import_directive, source_hash
from store.importing.extract import ParsedDirective, ParsedTask, extract
from store.models import Assignment, Directive, Report, Role, Task, Unit
from store.registry import UnitRegistry
from store.reports import add_report
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
        await add_report(
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


def _directive(number: str | None, tasks: list[ParsedTask], **meta) -> ParsedDirective:
    return ParsedDirective(
        number=number,
        doc_type=meta.get("doc_type", "Kế hoạch"),
        issuer=meta.get("issuer", "Ủy ban nhân dân tỉnh Thử"),
        issued_on=meta.get("issued_on", date(2025, 3, 1)),
        title=meta.get("title", "Kế hoạch triển khai thử nghiệm"),
        tasks=tasks,
        warnings=[],
    )


def _task(ref: str, lead: list[str], deadline: str = "Tháng 9/2025", **kw) -> ParsedTask:
    return ParsedTask(
        ref=ref,
        title=kw.get("title", f"Việc {ref}"),
        body=f"Việc {ref}",
        lead=lead,
        cooperating=kw.get("cooperating", []),
        deadline_text=deadline,
        source=kw.get("source", [f"{ref}. Việc {ref} - {', '.join(lead)}"]),
        flags=kw.get("flags", []),
    )


async def test_directive_without_number_is_imported_under_its_identity(seeded):
    parsed = _directive(None, [_task("1", ["Bộ Tài chính"])])
    first = await _import(seeded, b"a", parsed)
    assert first.directive["numbered"] is False
    assert first.directive["number"].startswith("KS-")
    assert any("no directive number" in w for w in first.warnings)
    # The same document again (other bytes, other spacing of the title): the same directive.
    again = _directive(
        None, [_task("1", ["Bộ Tài chính"])], title="Kế hoạch  triển khai thử nghiệm"
    )
    second = await _import(seeded, b"b", again)
    assert second.directive["number"] == first.directive["number"]
    assert second.created_tasks == 0 and second.updated_tasks == 1
    assert await _count(seeded, Directive) == 1
    async with seeded() as s:
        directive = await s.scalar(select(Directive))
    assert directive.identity_key == first.directive["identity_key"]
    # Another document of the same issuer and day is another directive.
    other = _directive(None, [_task("1", ["Bộ Tài chính"])], title="Kế hoạch khác")
    third = await _import(seeded, b"c", other)
    assert third.directive["number"] != first.directive["number"]
    assert await _count(seeded, Directive) == 2


async def test_resolution_flags_and_source_are_kept(seeded):
    parsed = _directive(
        "5/KH-TEST",
        [
            _task("1", ["Bộ Tài chính"], flags=["deadline_span"]),
            _task("2", ["Sở Ngoại vụ Sao Hỏa"]),
            _task("3", ["Bộ Công"]),
            _task("4", ["các cơ quan liên quan"], deadline=""),
        ],
    )
    result = await _import(seeded, b"", parsed)
    flags = {t.ref: t.flags for t in result.tasks}
    assert flags["1"] == ["deadline_span"]
    assert flags["2"] == ["unit_unresolved"]
    assert flags["3"] == ["unit_ambiguous"]
    assert {"Bộ Công an", "Bộ Công Thương"} <= set(result.tasks[2].unresolved[0].candidates)
    assert "no_lead" in flags["4"]
    assert result.tasks[0].source == ["1. Việc 1 - Bộ Tài chính"]
    assert result.to_check == 4
    data = result.to_json()
    assert data["summary"] == {"tasks": 4, "to_check": 4}
    assert data["tasks"][1]["flags"] == ["unit_unresolved"]
    assert data["tasks"][0]["source"] == ["1. Việc 1 - Bộ Tài chính"]


async def test_saved_corrections_are_applied_on_every_import(seeded):
    parsed = _directive(
        "6/KH-TEST", [_task("1", ["Sở Ngoại vụ Sao Hỏa"]), _task("2", ["Bộ Tư pháp"])]
    )
    async with seeded() as s, s.begin():
        await save_corrections(
            s,
            "6/KH-TEST",
            {"1": {"lead": ["Bộ Tài chính"], "deadline": "30/9/2025"}, "2": {"drop": True}},
            actor_id=None,
            now=NOW,
        )
    for _round in range(2):
        result = await _import(seeded, b"", parsed)
        assert [t.ref for t in result.tasks] == ["1"] and result.dropped == ["2"]
        task = result.tasks[0]
        assert task.lead_units == ["Bộ Tài chính"] and task.flags == []
        assert task.due == date(2025, 9, 30) and task.corrected == ["lead", "deadline"]
    async with seeded() as s:
        rows = (await s.execute(select(Task.ref, Task.lead_text, Task.due))).all()
    assert rows == [("1", "Bộ Tài chính", date(2025, 9, 30))]


async def test_a_new_draft_of_the_same_directive_replaces_the_open_one(seeded):
    parsed = _directive("9/KH-TEST", [_task("1", ["Sở Ngoại vụ Sao Hỏa"]), _task("2", ["BCA"])])
    async with seeded() as s, s.begin():
        first = await create_draft(s, parsed, now=NOW, actor_id=None)
        edit_task(first, "1", lead=["Bộ Tài chính"])
        edit_task(first, "9", drop=True)  # a ref the new text no longer has: not carried
        second = await create_draft(s, parsed, now=NOW, actor_id=None)
        registry = await UnitRegistry.load(s)
        view = await view_draft(s, second, registry)
    assert (first.status, second.status) == ("replaced", "open")
    assert second.edits == {"1": {"lead": ["Bộ Tài chính"]}}
    assert [i.task.lead_units for i in view.items] == [["Bộ Tài chính"], ["Bộ Công an"]]
    assert view.items[0].edited == ["lead"] and view.to_check == []
    assert await _count(seeded, Task) == 0  # a draft is never live

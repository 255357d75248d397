"""Issue 9: deadline extensions asked in a conversation, decided by a head or an admin,
kept across a re-import and shown in the card and the export."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.export import write_unit_workbook
from handlers.context import Options
from handlers.markup import to_plain
from store.extensions import decide_extension, request_extension
from store.importer import import_directive
from store.models import Assignment, AuditLog, Extension, Task, Unit
from store.registry import UnitRegistry
from store.sample import sample_directive
from store.units import seed_units
from tests.factories import NOW
from tests.handlers.trustworld import assignment, text, trust_world


@pytest.fixture
async def world(sessionmaker):
    """Bộ Công an with six tasks, an officer, a head and an admin (see `trust_world`)."""
    return await trust_world(sessionmaker)


async def test_extension_approved_moves_the_due_date_and_keeps_history(
    world, sessionmaker, tmp_path
):
    chan, ids = world
    before = text(await chan.push("quá hạn"))
    assert "Báo cáo quý I" in before
    replies = await chan.push("xin gia hạn NV 3 đến 31/3/2025 vì chờ số liệu của các bộ")
    assert "Đã gửi đề nghị" in text(replies)
    asked = {addr.user_id: out for addr, out in chan.sent if addr.user_id in ("boss", "head")}
    assert set(asked) == {"boss", "head"}
    assert "chờ số liệu của các bộ" in to_plain(asked["boss"].text)
    approve = next(
        b.data for row in asked["boss"].buttons for b in row if b.data.startswith("ea:")
    )
    out = text(await chan.press(approve, user="boss"))
    assert "Đã duyệt" in out
    told = [o for a, o in chan.sent if a.user_id == "u1"][-1]
    assert "đã được duyệt" in to_plain(told.text)
    a = await assignment(sessionmaker, ids["t3"], ids["bca"])
    assert a.due == date(2025, 3, 31)
    async with sessionmaker() as s:
        task = await s.get(Task, ids["t3"])
        actions = list(await s.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert task.due == date(2025, 2, 28)  # the directive's date stays on the record
    assert "extension_request" in actions and "extension_approve" in actions
    # Reminders and the overdue list follow the approved date.
    assert "Báo cáo quý I" not in text(await chan.push("quá hạn"))
    card = text(await chan.push("nv 3"))
    assert "Hạn ban đầu: 28/02/2025" in card and "đã gia hạn" in card
    assert "đề nghị lùi đến 31/03/2025 — đã duyệt" in card
    # A second press decides nothing.
    assert "đã được quyết định" in text(await chan.press(approve, user="head"))
    # The export shows the directive's date and the change next to the approved date.
    out = tmp_path / "bca.xlsx"
    async with sessionmaker() as s:
        unit = await s.get(Unit, ids["bca"])
        await write_unit_workbook(s, unit, out, today=date(2025, 3, 10), tz=Options().tz)
    rows = {row[1]: row for row in list(load_workbook(out)["Nhiệm vụ"].values)[1:]}
    assert rows[3][7].date() == date(2025, 3, 31) and rows[3][11].date() == date(2025, 2, 28)
    assert rows[3][12] == "10/03/2025 → 31/03/2025: đã duyệt"


async def test_extension_refused_keeps_the_date_and_tells_the_requester(world, sessionmaker):
    chan, ids = world
    await chan.push("gia han nv 1 den 30/4/2025")
    out = text(await chan.push("chờ ý kiến thẩm định của Bộ Tư pháp"))  # the reason, asked for
    assert "Đã gửi đề nghị" in out
    async with sessionmaker() as s:
        ext = await s.scalar(select(Extension))
    assert ext.reason == "chờ ý kiến thẩm định của Bộ Tư pháp"
    # An officer cannot decide; the unit's head can.
    assert "Chỉ quản trị viên" in text(await chan.press(f"er:{ext.id}", user="u1"))
    assert "Đã từ chối" in text(await chan.press(f"er:{ext.id}", user="head"))
    told = [o for a, o in chan.sent if a.user_id == "u1"][-1]
    assert "không được chấp thuận" in to_plain(told.text)
    assert (await assignment(sessionmaker, ids["t1"], ids["bca"])).due == date(2025, 3, 31)
    card = text(await chan.push("nv 1"))
    assert "đề nghị lùi đến 30/04/2025 — không được chấp thuận" in card
    assert "lý do: chờ ý kiến thẩm định" in card


async def test_an_approved_extension_outlives_a_reimport(sessionmaker):
    today = date(2025, 3, 10)
    parsed, _done = sample_directive(today)
    async with sessionmaker() as s, s.begin():
        await seed_units(s)
        registry = await UnitRegistry.load(s)
        await import_directive(s, parsed, registry=registry, now=NOW, source_name="a")
        a = await s.scalar(
            select(Assignment).where(Assignment.due.is_not(None)).order_by(Assignment.id)
        )
        later = a.due + timedelta(days=40)
        ext = await request_extension(
            s, assignment=a, requested_by=None, new_due=later, reason="chờ", now=NOW
        )
        await decide_extension(s, ext.id, approve=True, decided_by=None, now=NOW)
        aid = a.id
    async with sessionmaker() as s, s.begin():
        registry = await UnitRegistry.load(s)
        await import_directive(s, parsed, registry=registry, now=NOW, source_name="b")
    async with sessionmaker() as s:
        assert (await s.get(Assignment, aid)).due == later


async def test_an_extension_can_ask_for_more_days(world, sessionmaker):
    chan, _ids = world
    out = text(await chan.push("xin gia hạn nv 1 thêm 10 ngày vì chờ Bộ Tài chính góp ý"))
    assert "đến 10/04/2025" in out
    async with sessionmaker() as s:
        ext = await s.scalar(select(Extension))
    assert (ext.old_due, ext.new_due) == (date(2025, 3, 31), date(2025, 4, 10))
    # A date before the current deadline is refused with the reason.
    out = text(await chan.push("gia hạn nv 5 đến 1/4/2025 vì thiếu số liệu"))
    assert "Ngày mới phải sau hạn hiện tại (30/04/2025)" in out

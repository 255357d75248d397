"""Task lists a page at a time with a button per task, and a task's full card."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from store.models import Assignment, Role, TaskKind
from tests.factories import NOW, make_directive, make_task, make_unit, make_user
from tests.fakes.fake_channel import FakeChannel


@pytest.fixture
async def world(sessionmaker):
    """Bộ Công an with 23 open tasks (21 dated in March, two recurring); Bộ Tài chính with one."""
    async with sessionmaker() as s, s.begin():
        bca = await make_unit(s, "bo-cong-an", "Bộ Công an")
        btc = await make_unit(s, "bo-tai-chinh", "Bộ Tài chính")
        d = await make_directive(s)
        for i in range(1, 22):
            await make_task(
                s, d, str(i), f"Nhiệm vụ số {i:02d}", date(2025, 3, i + 5), [(bca, Role.LEAD)]
            )
        for i in (22, 23):
            await make_task(
                s,
                d,
                str(i),
                f"Nhiệm vụ thường xuyên {i}",
                None,
                [(bca, Role.LEAD)],
                kind=TaskKind.RECURRING,
                deadline_text="Thường xuyên",
            )
        other = await make_task(
            s, d, "99", "Việc của Bộ Tài chính", date(2025, 3, 20), [(btc, Role.LEAD)]
        )
        await make_user(s, "officer", bca)
        await make_user(s, "btc", btc)
        other_id = await s.scalar(select(Assignment.id).where(Assignment.task_id == other.id))
    chan = FakeChannel(Dispatcher(sessionmaker, Options(page_size=10), clock=lambda: NOW))
    return chan, other_id


def data(reply) -> list[str]:
    return [b.data for row in reply.buttons for b in row]


async def test_list_pages_with_a_button_per_task(world):
    chan, _other = world
    [page1] = await chan.push("/list", user="officer")
    text = to_plain(page1.text)
    assert "trang 1/3, 23 nhiệm vụ" in text
    assert "Nhiệm vụ số 01" in text and "Nhiệm vụ số 10" in text
    assert "Nhiệm vụ số 11" not in text
    buttons = data(page1)
    assert len([b for b in buttons if b.startswith("t:")]) == 10
    assert buttons[-1] == "pg:l:2"  # no "previous" on the first page
    assert all(len(b.encode()) <= 64 for b in buttons)

    [page2] = await chan.press("pg:l:2", user="officer")
    assert "Nhiệm vụ số 11" in to_plain(page2.text) and "Nhiệm vụ số 01" not in to_plain(
        page2.text
    )
    assert data(page2)[-2:] == ["pg:l:1", "pg:l:3"]

    [page3] = await chan.press("pg:l:3", user="officer")
    text = to_plain(page3.text)
    assert "Nhiệm vụ số 21" in text and "Nhiệm vụ thường xuyên 23" in text
    # Section headings on the page where they change.
    assert text.index("Có thời hạn") < text.index("Nhiệm vụ số 21")
    assert text.index("Nhiệm vụ số 21") < text.index("Thường xuyên hoặc chưa có thời hạn")
    assert data(page3)[-1] == "pg:l:2"
    # A page number past the end (tasks were closed meanwhile) shows the last page.
    [late] = await chan.press("pg:l:9", user="officer")
    assert "trang 3/3" in to_plain(late.text)


async def test_task_button_shows_the_card_with_report_buttons(world):
    chan, _other = world
    [page1] = await chan.push("/list", user="officer")
    first = next(b for b in data(page1) if b.startswith("t:"))
    [card] = await chan.press(first, user="officer")
    text = to_plain(card.text)
    assert "NV 1" in text and "Nhiệm vụ số 01" in text and "1/QĐ-TEST" in text
    assert "Thời hạn: Tháng 03/2025 → 06/03/2025" in text
    assert "Vai trò của đơn vị anh/chị: chủ trì" in text and "Chủ trì: Bộ Công an" in text
    aid = first.split(":")[1]
    # Overdue once-only work: report, done, and ask for more time.
    assert data(card) == [f"r:{aid}", f"p:{aid}:100", f"e:{aid}"]
    # The card's report button starts the guided report.
    [ask] = await chan.press(f"r:{aid}", user="officer")
    assert f"p:{aid}:50" in data(ask)
    await chan.press("x", user="officer")
    await chan.push("NV 1 đạt 40% đã có dự thảo", user="officer")
    [card] = await chan.press(first, user="officer")
    assert "40%" in to_plain(card.text) and "đã có dự thảo" in to_plain(card.text)


async def test_another_units_task_card_is_not_shown(world):
    chan, other = world
    [reply] = await chan.press(f"t:{other}", user="officer")
    assert "Việc của Bộ Tài chính" not in to_plain(reply.text)
    assert "Không xem được" in to_plain(reply.text)
    [reply] = await chan.press("t:424242", user="officer")
    assert "Không xem được" in to_plain(reply.text)
    [reply] = await chan.press(f"t:{other}", user="btc")
    assert "Việc của Bộ Tài chính" in to_plain(reply.text)


@pytest.mark.parametrize(
    "payload",
    ["pg:z:1", "pg:l", "pg:l:x", "pg:d:1", "pg:d:1:20250399:20250331", "pg:d:1:20250331:20250301",
     "pg:l:1:2", "t:abc", "t:99999999999999", "t"],
)  # fmt: skip
async def test_malformed_page_and_task_buttons_get_a_clear_answer(world, payload):
    chan, _other = world
    [reply] = await chan.press(payload, user="officer")
    assert "không hợp lệ" in to_plain(reply.text)


async def test_due_summary_offers_all_tasks_when_it_had_to_cut(world):
    chan, _other = world
    [reply] = await chan.push("đến hạn tháng này", user="officer")
    assert "Nhiệm vụ số 11" not in to_plain(reply.text)
    more = data(reply)[-1]
    assert more == "pg:d:1:20250301:20250331"
    [page] = await chan.press(more, user="officer")
    assert "Đến hạn tháng 3/2025" in to_plain(page.text)
    [page2] = await chan.press(data(page)[-1], user="officer")
    assert "Nhiệm vụ số 11" in to_plain(page2.text)


async def test_unlinked_person_sees_no_pages(world):
    chan, other = world
    [reply] = await chan.press("pg:l:1", user="stranger")
    assert "/start" in to_plain(reply.text)
    [reply] = await chan.press(f"t:{other}", user="stranger")
    assert "Việc của Bộ Tài chính" not in to_plain(reply.text)

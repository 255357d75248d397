"""Heads hand tasks to officials of their unit (issue 13), through the fake channel."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from handlers.markup import to_plain
from store.models import AuditLog, TaskAssignee
from store.task_assignees import add_assignee
from tests.factories import NOW
from tests.handlers.unit_world import build_unit_world


@pytest.fixture
async def world(sessionmaker):
    return await build_unit_world(sessionmaker)


def _text(replies) -> str:
    return "\n".join(to_plain(r.text) for r in replies)


def _buttons(replies) -> list[tuple[str, str]]:
    return [(b.label, b.data) for r in replies for row in r.buttons for b in row]


async def _assignees(sessionmaker, assignment_id: int) -> set[int]:
    async with sessionmaker() as s:
        rows = await s.scalars(
            select(TaskAssignee.user_id).where(TaskAssignee.assignment_id == assignment_id)
        )
        return set(rows)


async def _aid(sessionmaker, world, task: str, unit: str = "bca") -> int:
    async with sessionmaker() as s:
        return (await world.assignment(s, task, unit)).id


async def test_head_hands_a_task_by_name_and_the_official_gets_the_card(sessionmaker, world):
    ch = world.channel
    replies = await ch.push("giao NV 1 cho Minh", user="head")
    aid = await _aid(sessionmaker, world, "t1")
    assert "Lê Văn Minh" in _text(replies)
    assert await _assignees(sessionmaker, aid) == {world.users["minh"]}
    told = [out for addr, out in ch.sent if addr.chat_id == "minh"]
    assert len(told) == 1
    card = to_plain(told[0].text)
    assert "Trần Văn Hùng" in card and "Xây dựng cơ sở dữ liệu dân cư" in card
    assert "Lê Văn Minh" in card  # the card says who has it
    assert [b.data for row in told[0].buttons for b in row] == [f"r:{aid}"]
    async with sessionmaker() as s:
        log = (await s.scalars(select(AuditLog).where(AuditLog.action == "task:assign"))).one()
    assert (log.actor_id, log.target, log.detail) == (
        world.users["head"],
        f"assignment:{aid}",
        {"user_id": world.users["minh"]},
    )


async def test_a_name_that_fits_several_officials_gives_a_picker(sessionmaker, world):
    ch = world.channel
    replies = await ch.push("/giao nv 1 cho lan", user="head")
    aid = await _aid(sessionmaker, world, "t1")
    assert await _assignees(sessionmaker, aid) == set()
    labels = dict(_buttons(replies))
    assert set(labels) == {"Nguyễn Thị Lan", "Phạm Thị Lan"}
    await ch.press(labels["Phạm Thị Lan"], user="head")
    assert await _assignees(sessionmaker, aid) == {world.users["lan2"]}
    # Pressing the ticked name takes the task back, audited too.
    await ch.press(labels["Phạm Thị Lan"], user="head")
    assert await _assignees(sessionmaker, aid) == set()
    async with sessionmaker() as s:
        actions = list(await s.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert actions.count("task:assign") == 1 and actions.count("task:unassign") == 1


async def test_giao_without_a_name_lists_the_units_officials(sessionmaker, world):
    replies = await world.channel.push("/giao NV 2", user="head")
    labels = {label for label, _data in _buttons(replies)}
    assert labels == {"Trần Văn Hùng", "Lê Văn Minh", "Nguyễn Thị Lan", "Phạm Thị Lan"}
    assert "cả đơn vị" in _text(replies)  # nobody yet: the whole unit


async def test_an_unknown_name_is_said_and_the_list_shown(sessionmaker, world):
    replies = await world.channel.push("giao nv 1 cho Tuấn", user="head")
    assert "Tuấn" in _text(replies)
    assert len(_buttons(replies)) == 4


async def test_officers_cannot_hand_tasks_out(sessionmaker, world):
    replies = await world.channel.push("/giao NV 1 cho Lan", user="minh")
    assert "lãnh đạo đơn vị" in _text(replies).lower()
    assert await _assignees(sessionmaker, await _aid(sessionmaker, world, "t1")) == set()
    aid = await _aid(sessionmaker, world, "t1")
    replies = await world.channel.press(f"as:{aid}:{world.users['lan']}", user="minh")
    assert await _assignees(sessionmaker, aid) == set()


async def test_the_card_has_the_assign_button_for_heads_only(sessionmaker, world):
    aid = await _aid(sessionmaker, world, "t1")
    # The head also sees the sub-unit's NV 1: the card comes from the choice.
    head = await world.channel.press(f"t:{aid}", user="head")
    assert f"ao:{aid}" in {data for _label, data in _buttons(head)}
    officer = await world.channel.push("/nv 1", user="minh")
    assert f"ao:{aid}" not in {data for _label, data in _buttons(officer)}
    picker = await world.channel.press(f"ao:{aid}", user="head")
    assert len(_buttons(picker)) == 4


async def test_a_head_cannot_hand_work_to_someone_of_another_unit(sessionmaker, world):
    aid = await _aid(sessionmaker, world, "t1")
    replies = await world.channel.press(f"as:{aid}:{world.users['cuc']}", user="head")
    assert await _assignees(sessionmaker, aid) == set()
    assert replies


async def test_my_work_shows_what_is_handed_to_me_and_what_nobody_has(sessionmaker, world):
    ch = world.channel
    await ch.push("giao NV 1 cho Minh", user="head")
    minh = _text(await ch.push("/cuatoi", user="minh"))
    lan = _text(await ch.push("việc của tôi", user="lan"))
    assert "Xây dựng cơ sở dữ liệu dân cư" in minh
    assert "Xây dựng cơ sở dữ liệu dân cư" not in lan
    for other in ("Báo cáo quý I", "Vận hành hệ thống"):
        assert other in minh and other in lan  # nobody has them: the whole unit's
    head = _text(await ch.push("/cuatoi", user="head"))
    assert "chưa giao cho ai" in head


async def test_the_store_action_refuses_someone_outside_the_unit(sessionmaker, world):
    aid = await _aid(sessionmaker, world, "t1")
    async with sessionmaker() as s, s.begin():
        with pytest.raises(ValueError):
            await add_assignee(
                s, assignment_id=aid, user_id=world.users["cuc"], actor_id=None, now=NOW
            )
    assert await _assignees(sessionmaker, aid) == set()

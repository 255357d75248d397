"""The action layer (store.actions): the data work and the audit row, whoever calls it."""

from __future__ import annotations

from sqlalchemy import func, select

from store.actions import CHAT, CLI, Actor
from store.actions.broadcasts import record_broadcast
from store.actions.groups import LinkOutcome, link_group, unlink_group
from store.actions.invites import IssuedInvite, UnitNotFound, issue_invite
from store.models import AuditLog, Broadcast, Chat, Invite, UserRole
from tests.factories import NOW, make_unit, make_user


async def _audit(session) -> list[tuple[int | None, str, dict]]:
    rows = await session.execute(
        select(AuditLog.actor_id, AuditLog.action, AuditLog.detail).order_by(AuditLog.id)
    )
    return [tuple(row) for row in rows]


async def test_a_broadcast_nobody_would_receive_is_not_recorded(session):
    unit = await make_unit(session, "bo-noi-vu", "Bộ Nội vụ")
    done = await record_broadcast(
        session, actor=Actor(None, CLI), text="Họp", targets={"units": [unit.id]}, now=NOW
    )
    assert done.broadcast_id is None and done.recipients == 0
    assert await session.scalar(select(func.count()).select_from(Broadcast)) == 0
    assert await _audit(session) == []


async def test_groups_are_resolved_when_recorded_and_the_cli_is_named(session):
    session.add_all(
        [
            Chat(channel="telegram", chat_id="-1", title="A", active=True),
            Chat(channel="telegram", chat_id="-2", title="B", active=True),
            Chat(channel="telegram", chat_id="-3", title="C", active=False),
        ]
    )
    await session.flush()
    active = sorted(await session.scalars(select(Chat.id).where(Chat.active.is_(True))))
    done = await record_broadcast(
        session, actor=Actor(None, CLI), text="Họp", targets={"groups": True}, now=NOW
    )
    assert done.recipients == 2 and done.draft is None and done.directive_id is None
    broadcast = await session.get(Broadcast, done.broadcast_id)
    assert sorted(broadcast.targets["chats"]) == active and broadcast.created_by is None
    ((actor, action, detail),) = await _audit(session)
    assert (actor, action) == (None, "broadcast")
    assert detail["recipients"] == 2 and detail["import"] is False and detail["via"] == "cli"


async def test_an_invite_for_an_unknown_unit_writes_nothing(session):
    await make_unit(session, "bo-cong-an", "Bộ Công an")
    admin = await make_user(session, "1", None, role=UserRole.ADMIN)
    missing = await issue_invite(
        session, actor=Actor(admin.id, CHAT), unit="Bộ Công Thương", role=UserRole.HEAD, now=NOW
    )
    assert isinstance(missing, UnitNotFound)
    assert await session.scalar(select(func.count()).select_from(Invite)) == 0
    issued = await issue_invite(
        session, actor=Actor(admin.id, CHAT), unit="bo cong an", role=UserRole.HEAD, now=NOW
    )
    assert isinstance(issued, IssuedInvite) and issued.unit_name == "Bộ Công an"
    assert await _audit(session) == [(admin.id, "invite", {"role": "head"})]


async def test_linking_and_unlinking_a_group(session):
    one = await make_unit(session, "bo-noi-vu", "Bộ Nội vụ")
    two = await make_unit(session, "bo-cong-an", "Bộ Công an")
    gone = await make_unit(session, "bo-cu", "Bộ Cũ")
    gone.active = False
    actor = Actor(None, CHAT)
    where = {"channel": "telegram", "chat_id": "-100"}
    first = await link_group(session, actor=actor, unit_id=one.id, now=NOW, **where)
    assert first.outcome == LinkOutcome.LINKED and first.units == ("Bộ Nội vụ",)
    again = await link_group(session, actor=actor, unit_id=one.id, now=NOW, **where)
    assert again.outcome == LinkOutcome.ALREADY
    inactive = await link_group(session, actor=actor, unit_id=gone.id, now=NOW, **where)
    assert inactive.outcome == LinkOutcome.NO_UNIT
    both = await link_group(session, actor=actor, unit_id=two.id, now=NOW, **where)
    assert both.units == ("Bộ Công an", "Bộ Nội vụ")
    chat = await session.scalar(select(Chat))
    assert chat.oversight
    removed = await unlink_group(session, actor=actor, unit_id=one.id, now=NOW, **where)
    assert removed.removed and removed.unit_name == "Bộ Nội vụ" and not chat.oversight
    twice = await unlink_group(session, actor=actor, unit_id=one.id, now=NOW, **where)
    assert not twice.removed
    actions = [action for _actor, action, _detail in await _audit(session)]
    assert actions == ["group_link", "group_link", "group_unlink"]

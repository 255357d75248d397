"""One person on several apps: link codes, merging accounts, the preferred app, missed pushes."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from handlers.missed import TOLD_KEY, WINDOW_PREFIX
from handlers.types import Address, Outgoing
from scheduler.outbox.dispatcher import enqueue
from store.invites import create_invite
from store.models import Delivery, DeliveryStatus, Identity, Report, Role, User, UserRole
from tests.factories import NOW, make_directive, make_task, make_unit, make_user
from tests.fakes.fake_channel import FakeChannel


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


@pytest.fixture
async def world(sessionmaker):
    """Bộ Công an with March work, a Telegram officer of it, and two Zalo channels."""
    async with sessionmaker() as s, s.begin():
        bca = await make_unit(s, "bo-cong-an", "Bộ Công an")
        btc = await make_unit(s, "bo-tai-chinh", "Bộ Tài chính")
        d = await make_directive(s)
        await make_task(s, d, "1", "Xây dựng cơ sở dữ liệu", date(2025, 3, 31), [(bca, Role.LEAD)])
        await make_task(s, d, "2", "Báo cáo quý I", date(2025, 2, 28), [(bca, Role.LEAD)])
        await make_user(s, "tg-lan", bca, channel="telegram")
        invite = await create_invite(s, unit_id=bca.id, role=UserRole.OFFICER, now=NOW)
        other = await create_invite(s, unit_id=btc.id, role=UserRole.OFFICER, now=NOW)
        codes = {"bca": invite.code, "btc": other.code}
    clock = Clock()
    dispatcher = Dispatcher(sessionmaker, Options(), clock=clock)
    return {
        "telegram": FakeChannel(dispatcher, name="telegram"),
        "zalo": FakeChannel(dispatcher, name="zalo"),
        "zalo_oa": FakeChannel(dispatcher, name="zalo_oa"),
        "codes": codes,
        "clock": clock,
    }


def text(replies: list[Outgoing]) -> str:
    return "\n".join(to_plain(r.text) for r in replies)


def _code(replies: list[Outgoing]) -> str:
    found = re.search(r"/start ([A-Z0-9]{8})", text(replies))
    assert found, text(replies)
    return found.group(1)


async def _users(sessionmaker) -> list[User]:
    async with sessionmaker() as s:
        return list(await s.scalars(select(User).order_by(User.id)))


async def _identities(sessionmaker) -> list[tuple[str, int]]:
    async with sessionmaker() as s:
        rows = await s.execute(select(Identity.channel, Identity.user_id).order_by(Identity.id))
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def test_zalo_only_official_links_with_an_invite_code(world) -> None:
    zalo = world["zalo"]
    out = text(await zalo.push(f"/start {world['codes']['bca']}", user="z-minh"))
    assert "Đã liên kết với Bộ Công an" in out
    out = text(await zalo.push("thang nay co viec gi den han", user="z-minh"))
    assert "Xây dựng cơ sở dữ liệu" in out


async def test_second_app_joins_the_same_person(world, sessionmaker) -> None:
    tg, zalo = world["telegram"], world["zalo"]
    me = await tg.push("/me", user="tg-lan")
    code = _code(me)
    assert "Các tài khoản của anh/chị: Telegram (nhận nhắc việc)" in text(me)
    assert text(await tg.push("/me", user="tg-lan")).count(code) == 1  # same code while valid
    # Before linking, the Zalo account is a stranger...
    assert "chưa liên kết" in text(await zalo.push("quá hạn", user="z-lan"))
    linked = await zalo.push(f"/start {code}", user="z-lan")
    assert "Đã liên kết tài khoản" in text(linked)
    assert "Telegram (nhận nhắc việc), Zalo" in text(linked)
    assert [[b.data for b in row] for row in linked[-1].buttons] == [["ch:telegram", "ch:zalo"]]
    # ...now it is Lan: same unit, same work, one user with two accounts.
    assert "Báo cáo quý I" in text(await zalo.push("quá hạn", user="z-lan"))
    users = await _users(sessionmaker)
    assert len(users) == 1
    assert sorted(await _identities(sessionmaker)) == [
        ("telegram", users[0].id),
        ("zalo", users[0].id),
    ]
    assert "Nhắc việc sẽ được gửi đến Zalo" in text(await zalo.press("ch:zalo", user="z-lan"))
    assert (await _users(sessionmaker))[0].preferred_channel == "zalo"
    # The code was used up.
    assert "không hợp lệ" in text(await world["zalo_oa"].push(f"/start {code}", user="oa-lan"))


async def test_merge_keeps_history_and_the_linked_account(world, sessionmaker) -> None:
    """The new account already reported (via an invite) before joining: nothing is lost."""
    tg, zalo = world["telegram"], world["zalo"]
    await zalo.push(f"/start {world['codes']['bca']}", user="z-lan")
    assert "Đã nhận" in text(await zalo.push("nv 1 đạt 40%", user="z-lan"))
    # An unlinked account gets no personal code from /me...
    assert re.search(r"/start [A-Z0-9]{8}", text(await tg.push("/me", user="tg-new"))) is None
    # ...so the linked Zalo account gives the code and the Telegram newcomer enters it.
    code = _code(await zalo.push("/me", user="z-lan"))
    assert "Đã liên kết tài khoản" in text(await tg.push(f"/start {code}", user="tg-new"))
    async with sessionmaker() as s:
        users = list(await s.scalars(select(User).where(User.unit_id.is_not(None))))
        authors = set(await s.scalars(select(Report.author_id)))
        count = await s.scalar(select(func.count()).select_from(User))
    assert count == 2  # Lan (Telegram + Zalo) and the original Telegram officer
    lan = next(u for u in users if u.id in authors)
    channels = {c for c, uid in await _identities(sessionmaker) if uid == lan.id}
    assert channels == {"zalo", "telegram"}
    assert "Xây dựng cơ sở dữ liệu" in text(await tg.push("/list", user="tg-new"))


async def test_link_refused_for_different_units_or_a_second_account_on_one_app(world) -> None:
    tg, zalo = world["telegram"], world["zalo"]
    await zalo.push(f"/start {world['codes']['btc']}", user="z-other")
    code = _code(await tg.push("/me", user="tg-lan"))
    out = text(await zalo.push(f"/start {code}", user="z-other"))
    assert "hai đơn vị khác nhau (Bộ Công an và Bộ Tài chính)" in out
    out = text(await tg.push(f"/start {code}", user="tg-someone-else"))
    assert "mỗi ứng dụng chỉ liên kết được một tài khoản" in out
    out = text(await tg.push(f"/start {code}", user="tg-lan"))
    assert "đã được liên kết với anh/chị" in out


async def test_code_expires_and_is_never_shown_in_groups(world) -> None:
    tg, zalo = world["telegram"], world["zalo"]
    code = _code(await tg.push("/me", user="tg-lan"))
    world["clock"].now = NOW + timedelta(minutes=16)
    assert "không hợp lệ" in text(await zalo.push(f"/start {code}", user="z-lan"))
    out = text(await tg.push("/me", user="tg-lan", chat="-100200"))
    assert "Bộ Công an" in out and "/start" not in out


async def test_kenh_chooses_where_reminders_go(world, sessionmaker) -> None:
    tg, zalo = world["telegram"], world["zalo"]
    code = _code(await tg.push("/me", user="tg-lan"))
    await zalo.push(f"/start {code}", user="z-lan")
    assert "Nhắc việc sẽ được gửi đến Zalo" in text(await tg.push("/kenh zalo", user="tg-lan"))
    assert (await _users(sessionmaker))[0].preferred_channel == "zalo"
    out = await zalo.push("/channel viber", user="z-lan")
    assert "chưa liên kết tài khoản viber" in text(out)
    assert [b.data for b in out[-1].buttons[0]] == ["ch:telegram", "ch:zalo"]
    assert "Telegram" in text(await zalo.push("/kenh Telegram", user="z-lan"))
    assert (await _users(sessionmaker))[0].preferred_channel == "telegram"
    assert "không hợp lệ" in text(await zalo.press("ch:zalo_oa", user="z-lan"))
    assert "cuộc trò chuyện riêng" in text(
        await tg.push("/kenh zalo", user="tg-lan", chat="-1009")
    )
    assert (await _users(sessionmaker))[0].preferred_channel == "telegram"


async def test_unreachable_preferred_app_gives_way_to_the_one_in_use(world, sessionmaker) -> None:
    tg, zalo = world["telegram"], world["zalo"]
    code = _code(await tg.push("/me", user="tg-lan"))
    await zalo.push(f"/start {code}", user="z-lan")
    await zalo.press("ch:zalo", user="z-lan")
    async with sessionmaker() as s, s.begin():
        await s.execute(update(Identity).where(Identity.channel == "zalo").values(reachable=False))
    out = text(await tg.push("quá hạn", user="tg-lan"))
    assert "Hiện không gửi được tin cho anh/chị qua Zalo" in out
    assert (await _users(sessionmaker))[0].preferred_channel == "telegram"
    assert "Hiện không gửi được" not in text(await tg.push("quá hạn", user="tg-lan"))


async def test_missed_pushes_are_told_once_on_any_app(world, sessionmaker) -> None:
    tg = world["telegram"]
    (lan,) = await _users(sessionmaker)
    async with sessionmaker() as s, s.begin():
        for n, (status, error) in enumerate(
            [
                (
                    DeliveryStatus.UNREACHABLE,
                    f"{WINDOW_PREFIX} the user has not written for 7 days",
                ),
                (DeliveryStatus.FAILED, "Forbidden: bot was blocked by the user"),
                (DeliveryStatus.FAILED, "timeout; retried once: timed out"),
                (DeliveryStatus.SENT, None),
            ]
        ):
            await enqueue(
                s,
                key=f"reminder:{n}",
                kind="reminder",
                address=Address("zalo_oa", "oa-lan"),
                outgoing=Outgoing(f"Nhắc việc số {n}\nchi tiết"),
                user_id=lan.id,
                now=NOW - timedelta(hours=n + 1),
            )
            await s.execute(
                update(Delivery)
                .where(Delivery.key == f"reminder:{n}")
                .values(status=status, last_error=error)
            )
    replies = await tg.push("quá hạn", user="tg-lan")
    note = to_plain(replies[0].text)
    assert note.startswith("2 tin nhắn không gửi được đến anh/chị:")
    assert "Nhắc việc số 0" in note and "Nhắc việc số 1" in note
    assert "số 2" not in note and "số 3" not in note  # a timeout may have arrived; one was sent
    assert "(Zalo OA)" in note and "48 giờ" in note
    assert "Báo cáo quý I" in text(replies[1:])  # the answer itself follows
    async with sessionmaker() as s:
        told = [r.key for r in await s.scalars(select(Delivery)) if TOLD_KEY in r.payload]
    assert sorted(told) == ["reminder:0", "reminder:1"]
    assert "không gửi được" not in text(await tg.push("quá hạn", user="tg-lan"))

"""Broadcast fan-out into the outbox: recipients, idempotency, crashes, the author's report,
statistics and acknowledgements, and delivery through the real Telegram channel."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from bot.channels.telegram.channel import TelegramChannel
from handlers.types import Address, Outgoing
from scheduler import broadcasts as fan
from scheduler.broadcasts import BroadcastPump, fan_out, finish_sent, start_queued
from scheduler.outbox.dispatcher import OutboxDispatcher, SystemClock
from scheduler.outbox.ratelimit import TELEGRAM_LIMITS
from store import broadcasts as store
from store.models import Broadcast, Chat, Delivery, DeliveryStatus, Identity, User
from tests.factories import NOW, make_unit, make_user
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegramServer

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


async def _queue(sessionmaker, targets, *, text="Họp trực tuyến 14:00", **extra) -> int:
    async with sessionmaker() as s, s.begin():
        b = await store.create_broadcast(
            s,
            created_by=extra.pop("created_by", None),
            text=text,
            targets=targets,
            now=NOW,
            **extra,
        )
        return b.id


async def _rows(sessionmaker) -> list[Delivery]:
    async with sessionmaker() as s:
        return list(await s.scalars(select(Delivery).order_by(Delivery.id)))


async def _identity(s, user: User, channel: str, chat: str, *, reachable=True, seen=None):
    s.add(
        Identity(
            user_id=user.id,
            channel=channel,
            external_id=chat,
            chat_id=chat,
            reachable=reachable,
            last_seen_at=seen,
        )
    )
    await s.flush()


@pytest.fixture
async def people(sessionmaker):
    """Officials of one unit on Telegram, plus the people a broadcast must not reach."""
    async with sessionmaker() as s, s.begin():
        unit = await make_unit(s, "bo-noi-vu", "Bộ Nội vụ")
        other = await make_unit(s, "bo-y-te", "Bộ Y tế")
        for n in range(3):
            await make_user(s, f"{100 + n}", unit, channel="telegram")
        await make_user(s, "200", other, channel="telegram")
        await make_user(s, "300", None, channel="telegram")  # not linked
        gone = await make_user(s, "400", unit, channel="telegram")
        gone.active = False
    return {"unit": unit.id, "other": other.id}


async def test_fan_out_queues_one_keyed_delivery_per_official(sessionmaker, people):
    bid = await _queue(sessionmaker, {"units": [people["unit"]]})
    started = await start_queued(sessionmaker, now=NOW)
    assert started[bid]["queued"] == 3
    rows = await _rows(sessionmaker)
    assert sorted(r.chat_id for r in rows) == ["100", "101", "102"]
    assert all(r.broadcast_id == bid and r.kind == "broadcast" for r in rows)
    assert all(r.key == f"broadcast:{bid}:user{r.user_id}" for r in rows)
    assert all(r.status == DeliveryStatus.PENDING for r in rows)
    payload = Outgoing.from_payload(rows[0].payload)
    assert payload.buttons[0][0].data == f"ack:{bid}"
    async with sessionmaker() as s:
        assert (await s.get(Broadcast, bid)).status == "sending"


async def test_everyone_linked_means_active_linked_officials(sessionmaker, people):
    await _queue(sessionmaker, {"all": True})
    await start_queued(sessionmaker, now=NOW)
    assert sorted(r.chat_id for r in await _rows(sessionmaker)) == ["100", "101", "102", "200"]


async def test_fan_out_twice_or_in_parallel_queues_nothing_twice(sessionmaker, people):
    bid = await _queue(sessionmaker, {"all": True})
    first, second = await asyncio.gather(
        start_queued(sessionmaker, now=NOW), start_queued(sessionmaker, now=NOW)
    )
    assert sorted([len(first), len(second)]) == [0, 1]  # one replica claimed it
    assert len(await _rows(sessionmaker)) == 4
    async with sessionmaker() as s, s.begin():
        again = await fan_out(s, await s.get(Broadcast, bid), now=NOW)
    assert again["already"] == 4 and again["queued"] == 0
    assert len(await _rows(sessionmaker)) == 4


async def test_a_crash_during_fan_out_leaves_it_queued_for_the_next_round(
    sessionmaker, people, monkeypatch
):
    bid = await _queue(sessionmaker, {"all": True})
    real = fan.fan_out

    async def crash(session, broadcast, **kwargs):
        await real(session, broadcast, **kwargs)  # rows written...
        raise RuntimeError("process killed")  # ...then the transaction never commits

    monkeypatch.setattr(fan, "fan_out", crash)
    with pytest.raises(RuntimeError):
        await start_queued(sessionmaker, now=NOW)
    assert await _rows(sessionmaker) == []
    async with sessionmaker() as s:
        assert (await s.get(Broadcast, bid)).status == "queued"
    monkeypatch.setattr(fan, "fan_out", real)
    assert (await start_queued(sessionmaker, now=NOW))[bid]["queued"] == 4


async def test_recipient_channel_is_the_preferred_reachable_one(sessionmaker):
    async with sessionmaker() as s, s.begin():
        unit = await make_unit(s, "tinh-a", "Tỉnh A")
        # Prefers Telegram but blocked the bot there: reached on Zalo instead.
        lan = User(name="Lan", unit_id=unit.id, preferred_channel="telegram", locale="en")
        # Blocked everywhere: recorded as unreachable, not silently left out.
        minh = User(name="Minh", unit_id=unit.id, preferred_channel="telegram")
        # No account at all.
        s.add_all([lan, minh, User(name="Ghost", unit_id=unit.id)])
        await s.flush()
        await _identity(s, lan, "telegram", "11", reachable=False)
        await _identity(s, lan, "zalo", "z-11", seen=NOW)
        await _identity(s, minh, "telegram", "22", reachable=False)
        ids = {"lan": lan.id, "minh": minh.id}
    bid = await _queue(sessionmaker, {"units": [unit.id]})
    counts = (await start_queued(sessionmaker, now=NOW))[bid]
    assert counts == {"queued": 1, "unreachable": 1, "no_account": 1}
    rows = {r.user_id: r for r in await _rows(sessionmaker)}
    assert (rows[ids["lan"]].channel, rows[ids["lan"]].chat_id) == ("zalo", "z-11")
    assert "Announcement" in rows[ids["lan"]].payload["text"]  # her language
    assert rows[ids["minh"]].status == DeliveryStatus.UNREACHABLE
    # A channel this deployment cannot send on counts as unreachable too.
    bid2 = await _queue(sessionmaker, {"units": [unit.id]})
    async with sessionmaker() as s, s.begin():
        b = await s.get(Broadcast, bid2)
        assert (await fan_out(s, b, now=NOW, channels={"telegram"}))["unreachable"] == 2


async def test_groups_get_one_copy_each(sessionmaker):
    async with sessionmaker() as s, s.begin():
        live = Chat(channel="telegram", chat_id="-1001", title="Tổ công tác")
        left = Chat(channel="telegram", chat_id="-1002", title="Nhóm cũ", active=False)
        s.add_all([live, left])
        await s.flush()
        ids = await store.active_group_ids(s)
        assert ids == [live.id]
    bid = await _queue(sessionmaker, {"chats": [live.id, left.id]})
    await start_queued(sessionmaker, now=NOW)
    (row,) = await _rows(sessionmaker)
    assert (row.key, row.chat_id, row.user_id) == (f"broadcast:{bid}:chat{live.id}", "-1001", None)


async def test_stats_and_acknowledgements(sessionmaker, people):
    bid = await _queue(sessionmaker, {"all": True})
    await start_queued(sessionmaker, now=NOW)
    rows = await _rows(sessionmaker)
    outcome = [DeliveryStatus.SENT, DeliveryStatus.SENT, DeliveryStatus.UNREACHABLE]
    async with sessionmaker() as s, s.begin():
        for row, status in zip(rows, outcome, strict=False):
            await s.execute(update(Delivery).where(Delivery.id == row.id).values(status=status))
        await s.execute(
            update(Delivery).where(Delivery.id == rows[3].id).values(status=DeliveryStatus.FAILED)
        )
    async with sessionmaker() as s, s.begin():
        first = await store.acknowledge(
            s, bid, user_id=rows[0].user_id, channel="telegram", chat_id="100", now=NOW
        )
        again = await store.acknowledge(
            s, bid, user_id=rows[0].user_id, channel="telegram", chat_id="100", now=NOW
        )
        stranger = await store.acknowledge(
            s, bid, user_id=9999, channel="telegram", chat_id="9999", now=NOW
        )
    assert (first, again, stranger) == (True, False, None)
    async with sessionmaker() as s:
        stats = await store.broadcast_stats(s, bid, names=None)
    assert stats.to_json() == {
        "total": 4,
        "delivered": 2,
        "pending": 0,
        "blocked": 1,
        "failed": 1,
        "acknowledged": 1,
        "not_acknowledged": ["User 101 (Bộ Nội vụ)"],
    }
    assert stats.finished


async def test_author_gets_the_report_once_when_sending_is_over(sessionmaker, people):
    async with sessionmaker() as s, s.begin():
        admin = await make_user(s, "900", None, channel="telegram", locale="en")
    bid = await _queue(sessionmaker, {"units": [people["other"]]}, created_by=admin.id)
    cli = await _queue(sessionmaker, {"units": [people["other"]]})  # from the command line
    await start_queued(sessionmaker, now=NOW)
    assert await finish_sent(sessionmaker, now=NOW, tz=TZ) == []  # still pending
    async with sessionmaker() as s, s.begin():
        await s.execute(update(Delivery).values(status=DeliveryStatus.SENT, sent_at=NOW))
    later = NOW + timedelta(minutes=3)
    assert sorted(await finish_sent(sessionmaker, now=later, tz=TZ)) == [bid, cli]
    assert await finish_sent(sessionmaker, now=later, tz=TZ) == []
    (report,) = [r for r in await _rows(sessionmaker) if r.kind == "broadcast_report"]
    assert report.key == f"broadcast:{bid}:report" and report.broadcast_id is None
    assert report.chat_id == "900"
    assert "Finished sending at 10:03" in report.payload["text"]
    assert "Delivered: 1" in report.payload["text"]
    async with sessionmaker() as s:
        b = await s.get(Broadcast, bid)
        assert (b.status, b.sent_at) == ("done", later)
        assert (await store.broadcast_stats(s, bid)).total == 1  # the report is not counted


async def test_pump_wakes_the_dispatcher_only_when_there_is_work(sessionmaker, people):
    woken = []
    pump = BroadcastPump(sessionmaker, tz=TZ, clock=lambda: NOW, wake=lambda: woken.append(1))
    assert await pump.run_once() == ({}, [])
    assert woken == []
    bid = await _queue(sessionmaker, {"all": True})
    started, _finished = await pump.run_once()
    assert list(started) == [bid] and woken == [1]
    stop = asyncio.Event()
    stop.set()
    await pump.run_forever(stop)  # returns at once when stopped


async def test_document_and_ack_button_reach_telegram_as_one_message(sessionmaker, people):
    """Through the real Telegram channel and the fake Bot API: the document goes by reference
    with the text as its caption and the Acknowledge button; a blocked official is marked."""
    async with FakeTelegramServer(rate_limits=True) as tg:
        stored = tg.add_file(b"%PDF-1.7 ...", name="KH-12.pdf", mime="application/pdf")
        tg.block(102)
        bid = await _queue(
            sessionmaker,
            {"units": [people["unit"]]},
            text="Kế hoạch <12> & phụ lục",
            file_ref=f"telegram:{stored.file_id}",
            file_name="KH-12.pdf",
        )
        channel = TelegramChannel(DEFAULT_TOKEN, base_url=tg.base_url)
        outbox = OutboxDispatcher(
            sessionmaker,
            {"telegram": channel},
            {"telegram": TELEGRAM_LIMITS},
            SystemClock(),
            rng=random.Random(3),
        )
        try:
            pump = BroadcastPump(sessionmaker, tz=TZ, channels={"telegram"}, clock=lambda: NOW)
            await pump.run_once()
            while await outbox.run_once():
                pass
        finally:
            await channel.stop()
        calls = tg.calls_of("sendDocument")
        assert not tg.calls_of("sendMessage")
        assert sorted(c.params["chat_id"] for c in calls) == [100, 101, 102]
        assert [c.status for c in calls if c.params["chat_id"] == 102] == [403]
        for chat in (100, 101):
            (message,) = tg.sent_to(chat)
            assert message["document"]["file_id"] == stored.file_id
            assert message["caption"].startswith("Thông báo")
            assert "Kế hoạch <12> & phụ lục" in message["caption"]
            keyboard = message["reply_markup"]["inline_keyboard"]
            assert keyboard[0][0]["callback_data"] == f"ack:{bid}"
    async with sessionmaker() as s:
        stats = await store.broadcast_stats(s, bid)
        reachable = await s.scalar(
            select(func.count()).select_from(Identity).where(Identity.reachable.is_(False))
        )
    assert (stats.delivered, stats.blocked, stats.pending) == (2, 1, 0)
    assert reachable == 1


async def test_long_text_with_a_document_goes_as_text_then_file(sessionmaker, people):
    async with FakeTelegramServer() as tg:
        stored = tg.add_file(b"PK...", name="PL.docx")
        await _queue(
            sessionmaker,
            {"units": [people["other"]]},
            text="Nội dung rất dài. " * 80,
            file_ref=f"telegram:{stored.file_id}",
            file_name="PL.docx",
        )
        channel = TelegramChannel(DEFAULT_TOKEN, base_url=tg.base_url)
        try:
            await start_queued(sessionmaker, now=NOW)
            (row,) = await _rows(sessionmaker)
            await channel.send(Address("telegram", "200"), Outgoing.from_payload(row.payload))
        finally:
            await channel.stop()
        text, document = tg.sent_to(200)
        assert text["text"].startswith("Thông báo")
        assert text["reply_markup"]["inline_keyboard"][0][0]["callback_data"].startswith("ack:")
        assert document["document"]["file_id"] == stored.file_id

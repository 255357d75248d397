"""ZaloOAChannel against the fake OA server: signed webhooks, sends, errors, the window rule
(declared by the channel, checked by the outbox before a send: `store.oa_window`)."""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.zalo_oa.channel import ZaloOAChannel
from bot.channels.zalo_oa.tokens import PROVIDER
from bot.channels.zalo_oa.window import WindowPolicy
from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from handlers.missed import TOLD_KEY, WINDOW_PREFIX
from handlers.types import Address, Button, Kind, Outgoing, SendError, SendErrorKind
from scheduler.outbox.dispatcher import OutboxDispatcher, enqueue
from scheduler.outbox.ratelimit import Limits
from store.models import Delivery, DeliveryStatus, Identity, User
from store.tokens import DatabaseTokenStore
from tests.bot.conftest import RecordingSink
from tests.factories import make_unit, make_user
from tests.fakes.recording_channel import FakeClock
from tests.fakes.zalo_oa_server import OA_SECRET, SECRET_KEY, FakeZaloOAServer, Fault

Maker = async_sessionmaker[AsyncSession]
USER = "8436129951312846321"
FAST = Limits(global_rate=1e6, private_rate=1e6, group_rate=1e6)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def oa() -> AsyncIterator[FakeZaloOAServer]:
    """A started fake OA server."""
    async with FakeZaloOAServer() as server:
        yield server


@dataclass
class Hook:
    """An OA channel with its own webhook server, started."""

    channel: ZaloOAChannel
    url: str


def _channel(
    oa: FakeZaloOAServer, sessionmaker: Maker, clock: FakeClock, **kwargs: object
) -> ZaloOAChannel:
    access, refresh = oa.authorize()
    options: dict[str, object] = {
        "app_id": oa.app_id,
        "secret_key": SECRET_KEY,
        "oa_secret_key": OA_SECRET,
        "tokens": DatabaseTokenStore(sessionmaker, PROVIDER),
        "access_token": access,
        "refresh_token": refresh,
        "api_base": oa.base_url,
        "oauth_base": oa.base_url,
        "request_timeout": 1.0,
        "clock": clock.now,
    }
    options.update(kwargs)
    return ZaloOAChannel(**options)  # type: ignore[arg-type]


@pytest.fixture
async def hook(
    oa: FakeZaloOAServer, sessionmaker: Maker, clock: FakeClock, sink: RecordingSink
) -> AsyncIterator[Hook]:
    channel = _channel(oa, sessionmaker, clock)
    await channel.start(sink)
    yield Hook(channel, f"http://127.0.0.1:{channel.webhook_port}/zalo-oa/webhook")
    await channel.stop()


async def _seen(sessionmaker: Maker, clock: FakeClock, ago: timedelta, user: str = USER) -> int:
    """An official with a Zalo OA account whose last message was `ago` before now."""
    async with sessionmaker() as s, s.begin():
        unit = await make_unit(s, f"u-{user}", "Bộ Tư pháp")
        person = await make_user(s, user, unit, channel="zalo_oa")
        await s.execute(
            update(Identity)
            .where(Identity.external_id == user)
            .values(last_seen_at=clock.now() - ago)
        )
        return person.id


# -- receiving ---------------------------------------------------------------------------------


async def test_signed_text_event_becomes_incoming(
    hook: Hook, oa: FakeZaloOAServer, sink: RecordingSink
) -> None:
    event = oa.text_event(USER, "thang nay co viec gi den han")
    assert await oa.deliver(hook.url, event) == 200
    [incoming] = await sink.wait(1)
    assert incoming.kind is Kind.TEXT
    assert incoming.text == "thang nay co viec gi den han"
    assert incoming.address == Address("zalo_oa", USER, USER)
    assert incoming.message_id == event["message"]["msg_id"]


async def test_forged_or_missing_signatures_are_refused(
    hook: Hook, oa: FakeZaloOAServer, sink: RecordingSink
) -> None:
    event = oa.text_event(USER, "giả mạo")
    assert await oa.deliver(hook.url, event, signature=None) == 401
    assert await oa.deliver(hook.url, event, signature="mac=" + "0" * 64) == 401
    # Signed with the wrong OA secret, or for another app:
    other = FakeZaloOAServer(oa_secret="not-our-secret")
    body = json.dumps(event, ensure_ascii=False).encode()
    assert await oa.deliver(hook.url, event, signature=other.sign(body, event["timestamp"])) == 401
    stranger = {**event, "app_id": "1"}
    foreign = FakeZaloOAServer(app_id="1")
    body = json.dumps(stranger, ensure_ascii=False).encode()
    sig = foreign.sign(body, stranger["timestamp"])
    assert await oa.deliver(hook.url, stranger, signature=sig) == 401
    # A genuine event after them is the first (and only) thing the sink gets.
    assert await oa.deliver(hook.url, oa.text_event(USER, "mốc")) == 200
    assert [i.text for i in await sink.wait(1)] == ["mốc"]


async def test_redelivered_event_is_processed_once(
    hook: Hook, oa: FakeZaloOAServer, sink: RecordingSink
) -> None:
    event = oa.text_event(USER, "một lần")
    assert await oa.deliver(hook.url, event) == 200
    assert await oa.deliver(hook.url, event) == 200
    assert await oa.deliver(hook.url, oa.text_event(USER, "lần hai")) == 200
    assert await oa.deliver(hook.url, oa.text_event(USER, "mốc")) == 200
    items = await sink.wait(3)
    assert sorted(i.text for i in items) == ["lần hai", "mốc", "một lần"]


async def test_follow_greets_and_files_download(
    hook: Hook, oa: FakeZaloOAServer, sink: RecordingSink
) -> None:
    assert await oa.deliver(hook.url, oa.follow_event(USER)) == 200
    url = oa.add_file("bao-cao.pdf", b"%PDF-1.7")
    assert await oa.deliver(hook.url, oa.file_event(USER, url, "bao-cao.pdf", 8)) == 200
    follow, file = await sink.wait(2)
    assert (follow.kind, follow.text) == (Kind.COMMAND, "/start")
    assert file.kind is Kind.FILE and file.file is not None
    assert (file.file.name, file.file.size, file.file.ref) == ("bao-cao.pdf", 8, url)
    assert file.file.fetch is not None and await file.file.fetch() == b"%PDF-1.7"


# -- sending -----------------------------------------------------------------------------------


async def test_send_uses_the_token_and_numbers_choices(
    oa: FakeZaloOAServer, sessionmaker: Maker, clock: FakeClock, sink: RecordingSink
) -> None:
    await _seen(sessionmaker, clock, timedelta(minutes=1))
    channel = _channel(oa, sessionmaker, clock)
    await channel.start(sink)
    outgoing = Outgoing("Chọn nhiệm vụ", [[Button("NV 1", "r:1")], [Button("Hủy", "x")]])
    await channel.send(Address("zalo_oa", USER, USER), outgoing)
    await channel.stop()
    assert oa.texts_to(USER) == ["Chọn nhiệm vụ\n  1. NV 1\n  2. Hủy"]


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        (Fault(500), SendErrorKind.RETRY),
        (Fault(429), SendErrorKind.RETRY),
        (Fault(200, -32, "Your application reached limit call api"), SendErrorKind.RETRY),
        (Fault(200, -201, "message is invalid"), SendErrorKind.PERMANENT),
        (Fault(200, None, "", delay=3.0), SendErrorKind.TIMEOUT),
    ],
)
async def test_send_failures_are_classified(
    oa: FakeZaloOAServer,
    sessionmaker: Maker,
    clock: FakeClock,
    sink: RecordingSink,
    fault: Fault,
    kind: SendErrorKind,
) -> None:
    await _seen(sessionmaker, clock, timedelta(minutes=1))
    channel = _channel(oa, sessionmaker, clock)
    await channel.start(sink)
    oa.fail("send", fault)
    with pytest.raises(SendError) as caught:
        await channel.send(Address("zalo_oa", USER, USER), Outgoing("xin chào"))
    await channel.stop()
    assert caught.value.kind is kind


async def test_not_a_follower_is_unreachable(
    oa: FakeZaloOAServer, sessionmaker: Maker, clock: FakeClock, sink: RecordingSink
) -> None:
    await _seen(sessionmaker, clock, timedelta(minutes=1))
    channel = _channel(oa, sessionmaker, clock)
    await channel.start(sink)
    oa.not_followers.add(USER)
    with pytest.raises(SendError) as caught:
        await channel.send(Address("zalo_oa", USER, USER), Outgoing("xin chào"))
    await channel.stop()
    assert caught.value.kind is SendErrorKind.UNREACHABLE
    assert "-213" in caught.value.reason


# -- the messaging window ----------------------------------------------------------------------


async def _push(
    sessionmaker: Maker,
    clock: FakeClock,
    channel: ZaloOAChannel,
    text: str,
    *,
    key: str,
    user: str = USER,
    user_id: int | None = None,
) -> Delivery:
    """Queue one push to `user`, run the outbox once, and return the row as recorded."""
    async with sessionmaker() as s, s.begin():
        await enqueue(
            s,
            key=key,
            kind="reminder",
            address=Address("zalo_oa", user),
            outgoing=Outgoing(text),
            user_id=user_id,
            now=clock.now(),
        )
    outbox = OutboxDispatcher(
        sessionmaker, {"zalo_oa": channel}, {"zalo_oa": FAST}, clock, rng=random.Random(1)
    )
    await outbox.run_once()
    async with sessionmaker() as s:
        row = await s.scalar(select(Delivery).where(Delivery.key == key))
    assert row is not None
    return row


@pytest.mark.parametrize(
    ("ago", "paid", "refused"),
    [
        (timedelta(hours=47), False, None),
        (timedelta(hours=49), False, "free messages end after 48 h"),
        (timedelta(hours=49), True, None),
        (timedelta(days=8), True, "no message from the user for 8 days"),
    ],
)
async def test_window_is_checked_before_sending(
    oa: FakeZaloOAServer,
    sessionmaker: Maker,
    clock: FakeClock,
    sink: RecordingSink,
    ago: timedelta,
    paid: bool,
    refused: str | None,
) -> None:
    user_id = await _seen(sessionmaker, clock, ago)
    channel = _channel(oa, sessionmaker, clock, window=WindowPolicy(paid=paid))
    await channel.start(sink)
    row = await _push(sessionmaker, clock, channel, "nhắc việc", key="push:1", user_id=user_id)
    if refused is None:
        assert row.status is DeliveryStatus.SENT
        assert oa.texts_to(USER) == ["nhắc việc"]
    else:
        assert row.status is DeliveryStatus.UNREACHABLE
        assert row.last_error is not None and row.last_error.startswith(WINDOW_PREFIX)
        assert refused in row.last_error
        assert oa.send_calls == []  # refused by the outbox's check, Zalo never asked
    await channel.stop()


async def test_eight_free_messages_then_refused(
    oa: FakeZaloOAServer, sessionmaker: Maker, clock: FakeClock, sink: RecordingSink
) -> None:
    user_id = await _seen(sessionmaker, clock, timedelta(hours=2))
    async with sessionmaker() as s, s.begin():
        for n in range(8):
            await enqueue(
                s,
                key=f"push:{n}",
                kind="reminder",
                address=Address("zalo_oa", USER),
                outgoing=Outgoing(f"tin {n}"),
                user_id=user_id,
                now=clock.now(),
            )
    channel = _channel(oa, sessionmaker, clock)
    await channel.start(sink)
    outbox = OutboxDispatcher(
        sessionmaker, {"zalo_oa": channel}, {"zalo_oa": FAST}, clock, rng=random.Random(1)
    )
    assert await outbox.run_once() == 8
    assert len(oa.texts_to(USER)) == 8
    row = await _push(sessionmaker, clock, channel, "tin thứ chín", key="push:9", user_id=user_id)
    await channel.stop()
    assert row.status is DeliveryStatus.UNREACHABLE
    assert row.last_error is not None and row.last_error.startswith(WINDOW_PREFIX)
    assert "8 messages already sent" in row.last_error
    assert len(oa.texts_to(USER)) == 8


async def test_api_window_refusal_is_recorded_and_told_next_time(
    oa: FakeZaloOAServer, sessionmaker: Maker, clock: FakeClock, sink: RecordingSink
) -> None:
    """The local check passes, Zalo says -230: the row is unreachable with the reason, the
    person is told when they next write, once."""
    user_id = await _seen(sessionmaker, clock, timedelta(hours=1))
    oa.outside_window.add(USER)
    async with sessionmaker() as s, s.begin():
        await enqueue(
            s,
            key="reminder:2025-07-15:zalo",
            kind="reminder",
            address=Address("zalo_oa", USER),
            outgoing=Outgoing("Nhắc việc: đơn vị còn 2 nhiệm vụ chưa báo cáo hôm nay."),
            user_id=user_id,
            now=clock.now(),
        )
    dispatcher = Dispatcher(sessionmaker, Options(), clock=clock.now)
    channel = _channel(oa, sessionmaker, clock)
    dispatcher.channels["zalo_oa"] = channel
    await channel.start(dispatcher)
    outbox = OutboxDispatcher(
        sessionmaker, {"zalo_oa": channel}, {"zalo_oa": FAST}, clock, rng=random.Random(1)
    )
    await outbox.run_once()
    async with sessionmaker() as s:
        row = await s.scalar(select(Delivery))
        identity = await s.scalar(select(Identity).where(Identity.external_id == USER))
    assert row is not None and identity is not None
    assert row.status is DeliveryStatus.UNREACHABLE
    assert row.last_error is not None and row.last_error.startswith(WINDOW_PREFIX)
    assert "-230" in row.last_error
    assert identity.reachable is False  # so reminders can use another linked app meanwhile
    # The official writes again: the window reopens and the first reply says what was missed.
    oa.outside_window.clear()
    clock.advance(3600)
    url = f"http://127.0.0.1:{channel.webhook_port}/zalo-oa/webhook"
    assert await oa.deliver(url, oa.text_event(USER, "quá hạn")) == 200
    await oa.wait_sent(2)
    note = oa.texts_to(USER)[0]
    assert "1 tin nhắn không gửi được" in note
    assert "Nhắc việc: đơn vị còn 2 nhiệm vụ chưa báo cáo hôm nay." in note
    assert "48 giờ" in note
    async with sessionmaker() as s:
        row = await s.scalar(select(Delivery).execution_options(populate_existing=True))
        identity = await s.scalar(select(Identity).where(Identity.external_id == USER))
    assert row is not None and TOLD_KEY in row.payload
    assert identity is not None and identity.reachable is True
    before = len(oa.sent)
    assert await oa.deliver(url, oa.text_event(USER, "quá hạn")) == 200
    # One more message: its answer comes after anything the previous one caused.
    assert await oa.deliver(url, oa.text_event(USER, "quá hạn")) == 200
    await oa.wait_sent(before + 2)
    assert all("không gửi được" not in to_plain(t) for t in oa.texts_to(USER)[before:])
    await channel.stop()


async def test_pushes_to_people_never_seen_are_refused(
    oa: FakeZaloOAServer, sessionmaker: Maker, clock: FakeClock, sink: RecordingSink
) -> None:
    channel = _channel(oa, sessionmaker, clock)
    await channel.start(sink)
    row = await _push(sessionmaker, clock, channel, "x", key="push:stranger", user="stranger")
    await channel.stop()
    assert row.status is DeliveryStatus.UNREACHABLE
    assert row.last_error == f"{WINDOW_PREFIX} the user has never written to the OA"
    assert oa.send_calls == []
    async with sessionmaker() as s:
        assert await s.scalar(select(User)) is None


def test_oa_needs_its_secrets(sessionmaker: Maker) -> None:
    for missing in ("app_id", "secret_key", "oa_secret_key"):
        options: dict[str, object] = {
            "app_id": "1",
            "secret_key": "s",
            "oa_secret_key": "o",
            "tokens": DatabaseTokenStore(sessionmaker, PROVIDER),
        }
        options[missing] = ""
        with pytest.raises(ValueError, match="ZALO_OA_"):
            ZaloOAChannel(**options)  # type: ignore[arg-type]


async def test_start_without_any_token_says_what_to_set(
    oa: FakeZaloOAServer, sessionmaker: Maker, clock: FakeClock, sink: RecordingSink
) -> None:
    channel = _channel(oa, sessionmaker, clock, access_token=None, refresh_token=None)
    with pytest.raises(RuntimeError, match="ZALO_OA_REFRESH_TOKEN"):
        await channel.start(sink)

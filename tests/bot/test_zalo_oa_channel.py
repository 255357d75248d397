"""ZaloOAChannel against the fake OA server: signed webhooks, sends, errors, the window rule
(declared by the channel, checked by the outbox before a send: `store.oa_window`)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot.channels.zalo_oa.channel import ZaloOAChannel
from bot.channels.zalo_oa.tokens import PROVIDER
from handlers.types import Address, Button, Kind, Outgoing, SendError, SendErrorKind
from store.tokens import DatabaseTokenStore
from tests.bot.conftest import RecordingSink
from tests.bot.zalo_oa_support import USER, Maker
from tests.bot.zalo_oa_support import make_channel as _channel
from tests.bot.zalo_oa_support import seen_official as _seen
from tests.fakes.recording_channel import FakeClock
from tests.fakes.zalo_oa_server import FakeZaloOAServer, Fault


@dataclass
class Hook:
    """An OA channel with its own webhook server, started."""

    channel: ZaloOAChannel
    url: str


@pytest.fixture
async def hook(
    oa: FakeZaloOAServer, sessionmaker: Maker, clock: FakeClock, sink: RecordingSink
) -> AsyncIterator[Hook]:
    channel = _channel(oa, sessionmaker, clock)
    await channel.start(sink)
    yield Hook(channel, f"http://127.0.0.1:{channel.webhook_port}/zalo-oa/webhook")
    await channel.stop()


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

"""ZaloBotChannel against the fake Bot Platform: real HTTP, ephemeral ports, both modes."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiohttp import web

from bot.channels.redact import REDACTED
from bot.channels.webhook import WebhookOptions
from bot.channels.zalo.channel import GROUPS_UNSUPPORTED, ZaloBotChannel
from handlers.markup import bold
from handlers.types import (
    Address,
    Attachment,
    Button,
    Incoming,
    Kind,
    Outgoing,
    SendError,
    SendErrorKind,
)
from tests.bot.conftest import RecordingSink
from tests.fakes.zalo_bot_server import DEFAULT_TOKEN, FakeZaloBotServer, Fault
from tests.support import eventually

SECRET = "zalo-webhook-secret-42"
USER = FakeZaloBotServer.default_user


def _channel(zalo: FakeZaloBotServer, **kwargs: object) -> ZaloBotChannel:
    options: dict[str, object] = {"poll_timeout": 1, "request_timeout": 1.0, "retry_delay": 0.05}
    options.update(kwargs)
    return ZaloBotChannel(zalo.token, base_url=zalo.base_url, **options)  # type: ignore[arg-type]


def _to(chat_id: str) -> Address:
    return Address("zalo", chat_id, chat_id)


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZaloBotServer]:
    """A started fake Bot Platform."""
    async with FakeZaloBotServer() as server:
        yield server


@pytest.fixture
async def polling(zalo: FakeZaloBotServer, sink: RecordingSink) -> AsyncIterator[ZaloBotChannel]:
    """A channel receiving by long polling."""
    channel = _channel(zalo)
    await channel.start(sink)
    yield channel
    await channel.stop()


@dataclass
class Hook:
    """A webhook-mode channel mounted on our own aiohttp app."""

    channel: ZaloBotChannel
    url: str
    runner: web.AppRunner


@pytest.fixture
async def hook(zalo: FakeZaloBotServer, sink: RecordingSink) -> AsyncIterator[Hook]:
    """A started webhook-mode channel; the fake delivers updates to it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/zalo/webhook"
    app = web.Application()
    channel = _channel(zalo, webhook=WebhookOptions(url=url, secret=SECRET, app=app))
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    await channel.start(sink)
    yield Hook(channel, url, runner)
    await channel.stop()
    await runner.cleanup()


# -- receiving ---------------------------------------------------------------------------------


async def test_polling_text_becomes_incoming(
    polling: ZaloBotChannel, zalo: FakeZaloBotServer, sink: RecordingSink
) -> None:
    assert [c.method for c in zalo.calls[:2]] == ["getMe", "deleteWebhook"]
    update = zalo.push_text("Báo cáo \x02nv\x03 2 <b>xong</b>", name="Lan")
    [incoming] = await sink.wait(1)
    assert incoming.kind is Kind.TEXT
    assert incoming.text == "Báo cáo nv 2 <b>xong</b>"  # markup markers stripped
    assert incoming.address == Address("zalo", USER, USER)
    assert incoming.address.is_private
    assert incoming.user_name == "Lan"
    assert incoming.message_id == update["message"]["message_id"]


async def test_commands_and_numbered_choices(
    polling: ZaloBotChannel, zalo: FakeZaloBotServer, sink: RecordingSink
) -> None:
    zalo.push_text("/start ABC123")
    [command] = await sink.wait(1)
    assert (command.kind, command.text, command.payload) == (
        Kind.COMMAND,
        "/start ABC123",
        "start",
    )
    buttons = [[Button("25%", "p:7:25"), Button("50%", "p:7:50")], [Button("Hủy", "x")]]
    await polling.send(_to(USER), Outgoing(bold("Tiến độ?"), buttons))
    [shown] = zalo.texts_to(USER)
    assert shown == "Tiến độ?\n  1. 25%\n  2. 50%\n  3. Hủy"
    # The channel keeps nothing: a typed number arrives as text and the dispatcher resolves
    # it against the choices stored for the chat (tests/handlers/test_choices.py).
    zalo.push_text("2")
    _, two = await sink.wait(2)
    assert (two.kind, two.text) == (Kind.TEXT, "2")


async def test_polling_survives_faults_and_empty_polls(
    polling: ZaloBotChannel, zalo: FakeZaloBotServer, sink: RecordingSink
) -> None:
    await zalo.wait_calls("getUpdates", 1)
    zalo.fail("getUpdates", Fault.http(500))
    zalo.fail("getUpdates", Fault.ok_false(400, "temporarily broken"))
    await zalo.wait_calls("getUpdates", 4)  # the poll in flight ends empty (408), two fail
    zalo.push_text("vẫn nhận được")
    [incoming] = await sink.wait(1, within=10)
    assert incoming.text == "vẫn nhận được"
    failed = [(c.status, c.error_code) for c in zalo.calls_of("getUpdates") if c.error_code]
    assert failed[:3] == [(408, 408), (500, 500), (200, 400)]  # errors with HTTP 200 too


async def test_duplicate_update_reaches_the_sink_once(
    polling: ZaloBotChannel, zalo: FakeZaloBotServer, sink: RecordingSink
) -> None:
    update = zalo.push_text("một lần thôi")
    zalo.push(update)
    zalo.push_text("tin sau")
    zalo.push_text("mốc")  # updates arrive in order: the duplicate would come before it
    items = await sink.wait(3)
    assert [i.text for i in items] == ["một lần thôi", "tin sau", "mốc"]


async def test_a_failing_sink_does_not_stop_polling(zalo: FakeZaloBotServer) -> None:
    seen: list[str] = []

    async def sink(incoming: Incoming) -> None:
        seen.append(incoming.text)
        if len(seen) == 1:
            raise RuntimeError("handler bug")

    channel = _channel(zalo)
    await channel.start(sink)
    zalo.push_text("một")
    zalo.push_text("hai")
    await eventually(lambda: len(seen) >= 2, message="polling stopped after a failing sink")
    await channel.stop()
    assert seen == ["một", "hai"]


async def test_photo_arrives_as_file_that_downloads(
    polling: ZaloBotChannel, zalo: FakeZaloBotServer, sink: RecordingSink
) -> None:
    url = zalo.add_file("p1.jpg", b"\xff\xd8jpeg")
    zalo.push(zalo.update(photo=url))
    [incoming] = await sink.wait(1)
    assert incoming.kind is Kind.FILE and incoming.file is not None
    assert incoming.file.ref == url
    assert incoming.file.fetch is not None
    assert await incoming.file.fetch() == b"\xff\xd8jpeg"


async def test_webhook_registers_and_receives_bare_and_wrapped(
    hook: Hook, zalo: FakeZaloBotServer, sink: RecordingSink
) -> None:
    [call] = zalo.calls_of("setWebhook")
    assert call.params == {"url": hook.url, "secret_token": SECRET}
    assert not zalo.calls_of("getUpdates")
    zalo.push_text("qua webhook")
    zalo.wrap_webhook = True
    zalo.push_text("bọc trong result")
    first, second = await sink.wait(2)
    assert (first.text, second.text) == ("qua webhook", "bọc trong result")
    assert all(status == 200 for _, status in zalo.webhook_deliveries)


async def test_webhook_rejects_forged_or_missing_secret(
    hook: Hook, zalo: FakeZaloBotServer, sink: RecordingSink
) -> None:
    update = zalo.update("giả mạo")
    assert await zalo.post_webhook(update, "wrong-secret-123") == 401
    assert await zalo.post_webhook(update, None) == 401
    assert await zalo.post_webhook(update, SECRET + "x") == 401
    assert await zalo.post_webhook(b"{not json", SECRET) == 400
    # A genuine update after them is the first (and only) thing the sink gets.
    assert await zalo.post_webhook(zalo.update("mốc"), SECRET) == 200
    assert [i.text for i in await sink.wait(1)] == ["mốc"]


async def test_webhook_redelivery_is_processed_once(
    hook: Hook, zalo: FakeZaloBotServer, sink: RecordingSink
) -> None:
    update = zalo.update("gửi lại")
    assert await zalo.post_webhook(update, SECRET) == 200
    assert await zalo.post_webhook(update, SECRET) == 200
    assert await zalo.post_webhook(zalo.update("khác"), SECRET) == 200
    assert await zalo.post_webhook(zalo.update("mốc"), SECRET) == 200
    items = await sink.wait(3)
    assert sorted(i.text for i in items) == ["gửi lại", "khác", "mốc"]


def test_webhook_needs_a_valid_secret() -> None:
    url = "https://bot.example.gov.vn/zalo/webhook"
    for bad in (None, "short", "x" * 257):
        with pytest.raises(ValueError, match="ZALO_WEBHOOK_SECRET"):
            ZaloBotChannel(DEFAULT_TOKEN, webhook=WebhookOptions(url=url, secret=bad))
    with pytest.raises(ValueError, match="ZALO_WEBHOOK_URL"):
        ZaloBotChannel(DEFAULT_TOKEN, webhook=WebhookOptions(secret=SECRET))


# -- sending -----------------------------------------------------------------------------------


async def test_long_text_is_split_under_2000_on_lines(zalo: FakeZaloBotServer) -> None:
    channel = _channel(zalo)
    lines = [f"{i:03d} " + "nhiệm vụ " * 20 for i in range(60)]
    await channel.send(_to(USER), Outgoing("\n".join(lines)))
    await channel.stop()
    sent = zalo.texts_to(USER)
    assert len(sent) > 1
    assert all(len(t) <= 2000 for t in sent)
    assert "\n".join(sent).split("\n") == lines  # nothing lost, cut only between lines


async def test_attachment_is_named_not_dropped(zalo: FakeZaloBotServer) -> None:
    channel = _channel(zalo)
    outgoing = Outgoing("Bảng điểm", attachments=[Attachment("bang-diem.png", b"png")])
    await channel.send(_to(USER), outgoing)
    await channel.stop()
    [text] = zalo.texts_to(USER)
    assert text.startswith("Bảng điểm\n") and "bang-diem.png" in text


@pytest.mark.parametrize(
    ("fault", "kind", "retry_after"),
    [
        (Fault.ok_false(400, "text is invalid"), SendErrorKind.PERMANENT, None),
        (Fault.http(401, "Unauthorized"), SendErrorKind.PERMANENT, None),
        (Fault(429, 429, "Quota exceeded", retry_after=7), SendErrorKind.RETRY, 7.0),
        (Fault.ok_false(429, "Quota exceeded"), SendErrorKind.RETRY, None),
        (Fault.http(502), SendErrorKind.RETRY, None),
        (Fault.slow(3.0), SendErrorKind.TIMEOUT, None),
    ],
)
async def test_send_failures_are_classified(
    zalo: FakeZaloBotServer, fault: Fault, kind: SendErrorKind, retry_after: float | None
) -> None:
    channel = _channel(zalo)
    zalo.fail("sendMessage", fault)
    with pytest.raises(SendError) as caught:
        await channel.send(_to(USER), Outgoing("xin chào"))
    await channel.stop()
    assert caught.value.kind is kind
    assert caught.value.retry_after == retry_after
    assert DEFAULT_TOKEN not in str(caught.value)


async def test_blocked_user_is_unreachable(zalo: FakeZaloBotServer) -> None:
    channel = _channel(zalo)
    zalo.blocked.add(USER)
    with pytest.raises(SendError) as caught:
        await channel.send(_to(USER), Outgoing("xin chào"))
    await channel.stop()
    assert caught.value.kind is SendErrorKind.UNREACHABLE


async def test_unreachable_api_means_retry_later() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    channel = ZaloBotChannel(DEFAULT_TOKEN, base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(SendError) as caught:
        await channel.send(_to(USER), Outgoing("xin chào"))
    await channel.stop()
    assert caught.value.kind is SendErrorKind.RETRY


async def test_group_sends_are_refused_with_a_reason_when_getme_says_so(
    polling: ZaloBotChannel, zalo: FakeZaloBotServer, sink: RecordingSink
) -> None:
    assert polling.supports_groups is False
    zalo.push_text("/due", chat="grp-1", group=True)
    [incoming] = await sink.wait(1)
    assert incoming.address == Address("zalo", "grp-1", USER)
    assert not incoming.address.is_private
    with pytest.raises(SendError) as caught:
        await polling.send(Address("zalo", "grp-1"), Outgoing("tổng hợp"))
    assert caught.value.kind is SendErrorKind.PERMANENT
    assert caught.value.reason == GROUPS_UNSUPPORTED
    assert zalo.texts_to("grp-1") == []
    await polling.send(_to(USER), Outgoing("riêng tư vẫn gửi được"))
    assert zalo.texts_to(USER) == ["riêng tư vẫn gửi được"]


async def test_group_sends_work_when_the_bot_may_join_groups(sink: RecordingSink) -> None:
    async with FakeZaloBotServer(can_join_groups=True) as zalo:
        channel = _channel(zalo)
        await channel.start(sink)
        zalo.push_text("/due", chat="grp-2", group=True)
        await sink.wait(1)
        await channel.send(Address("zalo", "grp-2"), Outgoing("tổng hợp"))
        await channel.stop()
        assert channel.supports_groups is True
        assert zalo.texts_to("grp-2") == ["tổng hợp"]


# -- the token -------------------------------------------------------------------------------


async def test_token_never_reaches_logs_or_errors(
    zalo: FakeZaloBotServer, sink: RecordingSink, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    channel = _channel(zalo)
    await channel.start(sink)
    zalo.fail("getUpdates", Fault.http(500, f"boom for {DEFAULT_TOKEN}"))
    zalo.fail("sendMessage", Fault.ok_false(400, f"bad request on /bot{DEFAULT_TOKEN}/x"))
    with pytest.raises(SendError) as caught:
        await channel.send(_to(USER), Outgoing("x"))
    await zalo.wait_calls("getUpdates", 3)
    logging.getLogger("bot.channels.zalo.channel").warning(
        "url was %s", zalo.base_url + "/bot" + zalo.token
    )
    await channel.stop()
    assert DEFAULT_TOKEN not in str(caught.value) and REDACTED in caught.value.reason
    assert caplog.records
    assert all(DEFAULT_TOKEN not in r.getMessage() for r in caplog.records)
    assert any(REDACTED in r.getMessage() for r in caplog.records)
    assert DEFAULT_TOKEN not in repr(channel)


async def test_rejected_token_stops_start_without_echoing_it(
    zalo: FakeZaloBotServer, sink: RecordingSink
) -> None:
    token = "999:wrong-token-abcdef"
    channel = ZaloBotChannel(token, base_url=zalo.base_url)
    with pytest.raises(RuntimeError) as caught:
        await channel.start(sink)
    assert "ZALO_BOT_TOKEN" in str(caught.value)
    assert token not in str(caught.value)


async def test_start_survives_a_bad_minute_of_getme_and_setwebhook(
    zalo: FakeZaloBotServer, sink: RecordingSink, caplog: pytest.LogCaptureFixture
) -> None:
    zalo.fail("getMe", Fault.http(500))
    zalo.fail("setWebhook", Fault.http(502), times=2)
    channel = _channel(
        zalo,
        webhook=WebhookOptions(url="https://nhacviec.example.org/zalo", secret="zalo-secret-123"),
    )
    channel.start_wait = 0.01
    await channel.start(sink)
    try:
        assert zalo.webhook_url == "https://nhacviec.example.org/zalo"
    finally:
        await channel.stop()
    retried = [r for r in caplog.records if "retrying" in r.getMessage()]
    assert len(retried) == 3 and all(r.levelno == logging.WARNING for r in retried)
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]

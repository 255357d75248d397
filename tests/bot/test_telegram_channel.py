"""TelegramChannel against the fake Bot API: real PTB, real HTTP, ephemeral ports."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest
from aiohttp import web

from bot.channels.redact import REDACTED
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.render import file_base_url, utf16_len
from bot.channels.webhook import WebhookOptions
from handlers.markup import bold, to_plain
from handlers.types import (
    Address,
    Attachment,
    Button,
    Kind,
    Outgoing,
    SendError,
    SendErrorKind,
)
from tests.bot.conftest import RecordingSink
from tests.fakes.telegram_api import Fault
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegramServer

SECRET = "s3cret-Webhook_token"
USER = FakeTelegramServer.default_user_id
SUPERGROUP = -1001234567890123  # 64-bit: beyond any 32-bit int
GROUP = -4001234


def _channel(tg: FakeTelegramServer, **kwargs: object) -> TelegramChannel:
    options: dict[str, object] = {"poll_timeout": 2, "request_timeout": 2.0}
    options.update(kwargs)
    return TelegramChannel(tg.token, base_url=tg.base_url, **options)  # type: ignore[arg-type]


def _to(chat_id: int) -> Address:
    return Address("telegram", str(chat_id), str(chat_id) if chat_id > 0 else None)


@pytest.fixture
async def polling(
    fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> AsyncIterator[TelegramChannel]:
    """A channel receiving by long polling."""
    channel = _channel(fake_telegram)
    await channel.start(sink)
    yield channel
    await channel.stop()


@pytest.fixture
async def sender(fake_telegram: FakeTelegramServer) -> AsyncIterator[TelegramChannel]:
    """A channel that is never started: sends only (as CLI jobs do), short timeouts."""
    channel = _channel(fake_telegram, request_timeout=0.5)
    yield channel
    await channel.stop()


@dataclass
class Hook:
    """A webhook-mode channel mounted on our own aiohttp app, and the URL it answers on."""

    channel: TelegramChannel
    url: str
    runner: web.AppRunner


async def _mounted(tg: FakeTelegramServer, **kwargs: object) -> Hook:
    # Bind first so the public URL (given to the channel before the app starts) has the port.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/telegram/webhook"
    app = web.Application()
    webhook = WebhookOptions(url=url, secret=SECRET, app=app)
    channel = _channel(tg, webhook=webhook, **kwargs)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    return Hook(channel, url, runner)


@pytest.fixture
async def hook(fake_telegram: FakeTelegramServer, sink: RecordingSink) -> AsyncIterator[Hook]:
    """A started webhook-mode channel; the fake server delivers updates to it."""
    mounted = await _mounted(fake_telegram)
    await mounted.channel.start(sink)
    yield mounted
    await mounted.channel.stop()
    await mounted.runner.cleanup()


# -- receiving: translation ------------------------------------------------------------------


async def test_text_message_becomes_incoming(
    polling: TelegramChannel, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    user = fake_telegram.user(language_code="en")
    fake_telegram.push_text("Báo cáo \x02nv\x03 2.a <b>xong</b>", user=user)
    [incoming] = await sink.wait(1)
    assert incoming.kind is Kind.TEXT
    assert incoming.text == "Báo cáo nv 2.a <b>xong</b>"  # markup markers stripped
    assert incoming.address == Address("telegram", str(USER), str(USER))
    assert incoming.address.is_private
    assert incoming.locale_hint == "en"
    assert incoming.user_name == "Lan Nguyễn Thị"
    assert incoming.message_id == "1"
    assert incoming.raw["update_id"] > 0


async def test_group_command_for_this_bot_loses_its_suffix(
    polling: TelegramChannel, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    assert polling.bot_username == "nhacviec_test_bot"
    fake_telegram.push_command("due", "tuần này", mention="NhacViec_Test_Bot", chat_id=SUPERGROUP)
    fake_telegram.push_command("start", mention="OtherBot", chat_id=SUPERGROUP)
    fake_telegram.push_command("start", "ABC123")
    first, second = await sink.wait(2)
    assert first.kind is Kind.COMMAND
    assert first.text == "/due tuần này"
    assert first.payload == "due"
    assert first.address == Address("telegram", "-1001234567890123", str(USER))
    assert not first.address.is_private
    # The command addressed to another bot was dropped; the private one came through.
    assert (second.text, second.payload, second.address.chat_id) == (
        "/start ABC123",
        "start",
        str(USER),
    )
    assert len(sink.items) == 2


async def test_button_press_becomes_incoming_and_is_answered(
    polling: TelegramChannel, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    await polling.send(_to(USER), Outgoing("Chọn", [[Button("50%", "rep:2.a:50")]]))
    update = fake_telegram.push_callback("rep:2.a:50")
    [incoming] = await sink.wait(1)
    assert incoming.kind is Kind.BUTTON
    assert incoming.payload == "rep:2.a:50"
    # The press's own id (a redelivery repeats it), not the id of the message it was under.
    assert incoming.message_id == "cb" + update["callback_query"]["id"]
    assert incoming.address == Address("telegram", str(USER), str(USER))
    # The spinner was stopped before the sink ran.
    assert update["callback_query"]["id"] in fake_telegram.answered


async def test_document_arrives_as_file_that_downloads(
    polling: TelegramChannel, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    content = b"%PDF-1.7 bao cao tien do" * 100
    fake_telegram.push_document(content, "Báo cáo 2.a.pdf", caption="bc 2.a 100%")
    [incoming] = await sink.wait(1)
    assert incoming.kind is Kind.FILE
    assert incoming.text == "bc 2.a 100%"
    assert incoming.file is not None
    assert (incoming.file.name, incoming.file.size, incoming.file.mime) == (
        "Báo cáo 2.a.pdf",
        len(content),
        "application/pdf",
    )
    assert incoming.file.fetch is not None
    assert await incoming.file.fetch() == content
    assert fake_telegram.calls_of("getFile")[0].params["file_id"] == incoming.file.ref


async def test_photo_arrives_as_its_largest_size(
    polling: TelegramChannel, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    content = b"\xff\xd8\xff\xe0 full size picture " * 50
    fake_telegram.push_photo(content, caption="ảnh hiện trường")
    [incoming] = await sink.wait(1)
    assert incoming.kind is Kind.FILE
    assert incoming.text == "ảnh hiện trường"
    assert incoming.file is not None and incoming.file.fetch is not None
    assert incoming.file.mime == "image/jpeg"
    assert incoming.file.size == len(content)
    assert await incoming.file.fetch() == content


async def test_too_big_file_fails_to_fetch_cleanly(
    polling: TelegramChannel, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    fake_telegram.push_document(b"x", "big.zip", "application/zip", declared_size=25 << 20)
    [incoming] = await sink.wait(1)
    assert incoming.file is not None and incoming.file.fetch is not None
    with pytest.raises(SendError) as caught:
        await incoming.file.fetch()
    assert caught.value.kind is SendErrorKind.PERMANENT
    assert "too big" in caught.value.reason


async def test_group_migration_becomes_event(
    polling: TelegramChannel, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    fake_telegram.push_migration(GROUP, SUPERGROUP)
    fake_telegram.push_text("sau khi nâng cấp", chat_id=SUPERGROUP)
    migrated, text = await sink.wait(2)
    assert migrated.kind is Kind.EVENT
    assert migrated.payload == f"migrated:{SUPERGROUP}"
    assert migrated.address.chat_id == str(GROUP)
    # The service message in the new supergroup is not an event of its own.
    assert text.text == "sau khi nâng cấp"
    assert len(sink.items) == 2


@pytest.mark.parametrize(
    ("chat_id", "status", "old_status", "payload"),
    [
        (GROUP, "kicked", "member", "removed"),
        (SUPERGROUP, "left", "administrator", "removed"),
        (GROUP, "member", "left", "added"),
        (USER, "kicked", "member", "removed"),  # a private chat: the user blocked the bot
    ],
)
async def test_bot_membership_changes_become_events(
    polling: TelegramChannel,
    fake_telegram: FakeTelegramServer,
    sink: RecordingSink,
    chat_id: int,
    status: str,
    old_status: str,
    payload: str,
) -> None:
    fake_telegram.push_member_status(chat_id, "administrator", old_status="member")  # ignored
    fake_telegram.push_member_status(chat_id, status, old_status=old_status)
    [event] = await sink.wait(1)
    assert (event.kind, event.payload) == (Kind.EVENT, payload)
    assert event.address.chat_id == str(chat_id)
    assert event.address.is_private == (chat_id > 0)


# -- receiving: polling lifecycle --------------------------------------------------------------


async def test_polling_deletes_webhook_and_keeps_updates_sent_while_down(
    fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    fake_telegram.push_text("gửi lúc bot tắt")
    channel = _channel(fake_telegram)
    await channel.start(sink)
    try:
        [incoming] = await sink.wait(1)
    finally:
        await channel.stop()
    assert incoming.text == "gửi lúc bot tắt"
    methods = [c.method for c in fake_telegram.calls]
    assert methods.index("deleteWebhook") < methods.index("getUpdates")
    assert fake_telegram.calls_of("deleteWebhook")[0].params["drop_pending_updates"] is False
    # Stopping confirmed what was fetched: a restart does not see it again.
    assert fake_telegram.pending_updates == []


async def test_sink_failure_does_not_stop_polling(
    fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    async def flaky(incoming: object) -> None:
        if not sink.items and getattr(incoming, "text", "") == "boom":
            raise RuntimeError("handler bug")
        await sink(incoming)  # type: ignore[arg-type]

    channel = _channel(fake_telegram)
    await channel.start(flaky)
    try:
        fake_telegram.push_text("boom")
        fake_telegram.push_text("vẫn chạy")
        [incoming] = await sink.wait(1)
    finally:
        await channel.stop()
    assert incoming.text == "vẫn chạy"


# -- receiving: webhook ---------------------------------------------------------------------


async def test_webhook_start_registers_url_secret_and_update_types(
    hook: Hook, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    [call] = fake_telegram.calls_of("setWebhook")
    assert call.params["url"] == hook.url
    assert call.params["secret_token"] == SECRET
    assert call.params["allowed_updates"] == ["message", "callback_query", "my_chat_member"]
    assert not fake_telegram.calls_of("getUpdates")
    fake_telegram.push_text("qua webhook")
    [incoming] = await sink.wait(1)
    assert incoming.text == "qua webhook"


async def test_webhook_translates_every_kind(
    hook: Hook, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    fake_telegram.push_command("list", chat_id=SUPERGROUP)
    fake_telegram.push_callback("page:2")
    fake_telegram.push_document(b"data", "kq.xlsx", "application/vnd.ms-excel")
    fake_telegram.push_migration(GROUP, SUPERGROUP)
    fake_telegram.push_member_status(GROUP, "left")
    items = await sink.wait(5)
    assert [(i.kind, i.payload) for i in items] == [
        (Kind.COMMAND, "list"),
        (Kind.BUTTON, "page:2"),
        (Kind.FILE, ""),
        (Kind.EVENT, f"migrated:{SUPERGROUP}"),
        (Kind.EVENT, "removed"),
    ]
    assert items[2].file is not None and items[2].file.fetch is not None
    assert await items[2].file.fetch() == b"data"
    assert len(fake_telegram.answered) == 1


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET + "x", "sécret"])
async def test_webhook_rejects_missing_or_forged_secret(
    hook: Hook, fake_telegram: FakeTelegramServer, sink: RecordingSink, secret: str | None
) -> None:
    forged = fake_telegram.push_text("giả mạo", queue=False)
    status, _ = await fake_telegram.post_update(hook.url, forged, secret=secret)
    assert status == 401
    # Updates are processed in order: once the genuine one arrives, nothing else did.
    fake_telegram.push_text("thật")
    await sink.wait(1)
    assert [i.text for i in sink.items] == ["thật"]


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[1, 2]", b'{"no": "id"}'])
async def test_webhook_rejects_malformed_bodies(
    hook: Hook, fake_telegram: FakeTelegramServer, sink: RecordingSink, body: bytes
) -> None:
    status, _ = await fake_telegram.post_update(hook.url, body, secret=SECRET)
    assert status == 400
    fake_telegram.push_text("sau")
    await sink.wait(1)
    assert [i.text for i in sink.items] == ["sau"]


async def test_webhook_processes_a_redelivered_update_once(
    hook: Hook, fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    update = fake_telegram.push_text("một lần", queue=False)
    for _ in range(2):
        status, _ = await fake_telegram.post_update(hook.url, update, secret=SECRET)
        assert status == 200
    fake_telegram.push_text("tiếp")
    await sink.wait(2)
    assert [i.text for i in sink.items] == ["một lần", "tiếp"]


async def test_webhook_acknowledges_before_processing_and_stop_drains(
    fake_telegram: FakeTelegramServer,
) -> None:
    mounted = await _mounted(fake_telegram)
    gate = asyncio.Event()
    done: list[str] = []

    async def slow_sink(incoming: object) -> None:
        await gate.wait()
        done.append(getattr(incoming, "text", ""))

    await mounted.channel.start(slow_sink)
    try:
        update = fake_telegram.push_text("chậm", queue=False)
        status, _ = await fake_telegram.post_update(mounted.url, update, secret=SECRET)
        assert status == 200 and done == []  # acknowledged while the sink still waits
        stopping = asyncio.create_task(mounted.channel.stop())
        await asyncio.sleep(0)
        gate.set()
        await stopping
    finally:
        await mounted.runner.cleanup()
    assert done == ["chậm"]


async def test_stop_cancels_processing_that_outlives_the_drain_timeout(
    fake_telegram: FakeTelegramServer,
) -> None:
    mounted = await _mounted(fake_telegram, drain_timeout=0.05)
    started = asyncio.Event()
    cancelled: list[bool] = []

    async def stuck_sink(incoming: object) -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    await mounted.channel.start(stuck_sink)
    try:
        update = fake_telegram.push_text("kẹt", queue=False)
        await fake_telegram.post_update(mounted.url, update, secret=SECRET)
        await asyncio.wait_for(started.wait(), 5)
        await mounted.channel.stop()
    finally:
        await mounted.runner.cleanup()
    assert cancelled == [True]


async def test_webhook_before_start_answers_503_so_telegram_retries(
    fake_telegram: FakeTelegramServer,
) -> None:
    mounted = await _mounted(fake_telegram)
    try:
        update = fake_telegram.push_text("sớm", queue=False)
        assert (await fake_telegram.post_update(mounted.url, update, secret=SECRET))[0] == 503
        assert (await fake_telegram.post_update(mounted.url, update, secret="bad"))[0] == 401
    finally:
        await mounted.channel.stop()
        await mounted.runner.cleanup()


async def test_webhook_on_the_channels_own_server(
    fake_telegram: FakeTelegramServer, sink: RecordingSink
) -> None:
    channel = _channel(
        fake_telegram,
        webhook=WebhookOptions(url="https://nhacviec.example.org/tg", secret=SECRET, path="/tg"),
    )
    await channel.start(sink)
    try:
        assert channel.webhook_port
        url = f"http://127.0.0.1:{channel.webhook_port}/tg"
        update = fake_telegram.push_text("cổng riêng", queue=False)
        assert (await fake_telegram.post_update(url, update, secret="nope"))[0] == 401
        assert (await fake_telegram.post_update(url, update, secret=SECRET))[0] == 200
        [incoming] = await sink.wait(1)
    finally:
        await channel.stop()
    assert incoming.text == "cổng riêng"
    assert channel.webhook_port is None
    # Stopping leaves the webhook in place so Telegram queues updates while we are down.
    assert fake_telegram.webhook_url == "https://nhacviec.example.org/tg"


def test_webhook_needs_a_valid_secret() -> None:
    for secret in (None, "", "có dấu", "x" * 257):
        with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_SECRET"):
            TelegramChannel(
                DEFAULT_TOKEN, webhook=WebhookOptions(url="https://h/tg", secret=secret)
            )
    with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_URL"):
        TelegramChannel(DEFAULT_TOKEN, webhook=WebhookOptions(secret=SECRET))


# -- sending ---------------------------------------------------------------------------------


async def test_send_escapes_user_text_and_renders_bold(
    polling: TelegramChannel, fake_telegram: FakeTelegramServer
) -> None:
    text = bold("Nhiệm vụ 2.a") + "\nNgười dùng viết: <b>to</b> & R&D &amp; 1 < 2"
    await polling.send(_to(USER), Outgoing(text))
    [message] = fake_telegram.sent_to(USER)
    assert message["text"] == to_plain(text)  # what the user sees, after Telegram parsed it
    assert message["entities"] == [{"type": "bold", "offset": 0, "length": 12}]
    assert "&lt;b&gt;to&lt;/b&gt; &amp; R&amp;D &amp;amp; 1 &lt; 2" in (
        fake_telegram.raw_text(message) or ""
    )
    call = fake_telegram.calls_of("sendMessage")[0]
    assert '"method": "sendMessage"' in fake_telegram.calls_json()
    assert call.params["parse_mode"] == "HTML"
    assert call.params["link_preview_options"] == {"is_disabled": True}


async def test_long_text_is_split_with_nothing_lost(
    sender: TelegramChannel, fake_telegram: FakeTelegramServer
) -> None:
    lines = [f"{i:03d}. Nhiệm vụ & <kết quả> số {i} — đang thực hiện trong hạn" for i in range(90)]
    text = "\n".join(lines)
    assert len(text) > 5000
    buttons = [[Button("Trang sau", "page:2")]]
    await sender.send(_to(SUPERGROUP), Outgoing(text, buttons))
    sent = fake_telegram.sent_to(SUPERGROUP)
    assert len(sent) == 2
    assert "\n".join(m["text"] for m in sent) == text
    assert all(utf16_len(m["text"]) <= 4096 for m in sent)
    assert "reply_markup" not in sent[0]
    assert sent[1]["reply_markup"] == {
        "inline_keyboard": [[{"text": "Trang sau", "callback_data": "page:2"}]]
    }


async def test_long_emoji_line_is_split_by_telegram_units(
    sender: TelegramChannel, fake_telegram: FakeTelegramServer
) -> None:
    text = "📌" * 3000  # 3,000 characters but 6,000 UTF-16 units, on one line
    await sender.send(_to(USER), Outgoing(text))
    sent = fake_telegram.sent_to(USER)
    assert len(sent) == 2
    assert "".join(m["text"] for m in sent) == text


async def test_bold_span_cut_by_a_split_stays_bold_on_both_sides(
    sender: TelegramChannel, fake_telegram: FakeTelegramServer
) -> None:
    text = bold("\n".join(["Quá hạn: nhiệm vụ rất dài"] * 300))
    await sender.send(_to(USER), Outgoing(text))
    sent = fake_telegram.sent_to(USER)
    assert len(sent) == 2
    assert "\n".join(m["text"] for m in sent) == to_plain(text)
    for message in sent:
        assert message["entities"] == [
            {"type": "bold", "offset": 0, "length": utf16_len(message["text"])}
        ]


async def test_keyboard_rows_and_64_byte_callback_data(
    sender: TelegramChannel, fake_telegram: FakeTelegramServer
) -> None:
    rows = [
        [Button("Hoàn thành", "rep:2.a:100"), Button("Đang làm", "rep:2.a:50")],
        [Button("Dài", "x" * 64)],
    ]
    await sender.send(_to(USER), Outgoing("Cập nhật tiến độ?", rows))
    [message] = fake_telegram.sent_to(USER)
    assert message["reply_markup"]["inline_keyboard"] == [
        [
            {"text": "Hoàn thành", "callback_data": "rep:2.a:100"},
            {"text": "Đang làm", "callback_data": "rep:2.a:50"},
        ],
        [{"text": "Dài", "callback_data": "x" * 64}],
    ]


@pytest.mark.parametrize("data", ["x" * 65, "đ" * 33, ""])  # "đ" is two bytes in UTF-8
async def test_oversized_callback_data_fails_before_anything_is_sent(
    sender: TelegramChannel, fake_telegram: FakeTelegramServer, data: str
) -> None:
    with pytest.raises(SendError) as caught:
        await sender.send(_to(USER), Outgoing("Chọn", [[Button("Nút", data)]]))
    assert caught.value.kind is SendErrorKind.PERMANENT
    assert not fake_telegram.calls_of("sendMessage")


async def test_attachments_go_as_document_or_photo(
    sender: TelegramChannel, fake_telegram: FakeTelegramServer
) -> None:
    pdf = Attachment("Bảng điểm tháng 9.pdf", b"%PDF-1.7 ...", "application/pdf")
    png = Attachment("chart.png", b"\x89PNG\r\n\x1a\n chart", "image/png")
    await sender.send(_to(USER), Outgoing("", [[Button("Tải lại", "reload")]], [pdf, png]))
    document, photo = fake_telegram.sent_to(USER)
    assert not fake_telegram.calls_of("sendMessage")  # no empty text message
    doc_call, photo_call = (
        fake_telegram.calls_of("sendDocument")[0],
        fake_telegram.calls_of("sendPhoto")[0],
    )
    assert doc_call.files["document"]["filename"] == "Bảng điểm tháng 9.pdf"
    assert doc_call.files["document"]["content_type"] == "application/pdf"
    assert fake_telegram.file_content(document["document"]["file_id"]) == pdf.content
    assert fake_telegram.file_content(photo["photo"][-1]["file_id"]) == png.content
    assert photo_call.files["photo"]["content_type"] == "image/png"
    # Without text the keyboard rides on the last attachment.
    assert "reply_markup" not in document
    assert photo["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "reload"


@pytest.mark.parametrize(
    ("fault", "kind", "retry_after", "migrate_to"),
    [
        (Fault.flood(7), SendErrorKind.RETRY, 7.0, None),
        (Fault.blocked(), SendErrorKind.UNREACHABLE, None, None),
        (Fault.kicked(), SendErrorKind.UNREACHABLE, None, None),
        (Fault.chat_not_found(), SendErrorKind.UNREACHABLE, None, None),
        (Fault.migrated(SUPERGROUP), SendErrorKind.UNREACHABLE, None, str(SUPERGROUP)),
        (Fault.server_error(500), SendErrorKind.RETRY, None, None),
        (Fault.server_error(503), SendErrorKind.RETRY, None, None),
        (Fault.bad_gateway(), SendErrorKind.RETRY, None, None),
        (
            Fault.bad_request("Bad Request: message is too long"),
            SendErrorKind.PERMANENT,
            None,
            None,
        ),
        (Fault.slow(2.0), SendErrorKind.TIMEOUT, None, None),
    ],
    ids=lambda v: v.label if isinstance(v, Fault) else None,
)
async def test_send_failures_are_classified(
    sender: TelegramChannel,
    fake_telegram: FakeTelegramServer,
    fault: Fault,
    kind: SendErrorKind,
    retry_after: float | None,
    migrate_to: str | None,
) -> None:
    fake_telegram.fail("sendMessage", fault)
    with pytest.raises(SendError) as caught:
        await sender.send(_to(GROUP), Outgoing("Nhắc việc"))
    error = caught.value
    assert (error.kind, error.retry_after, error.migrate_to) == (kind, retry_after, migrate_to)
    assert error.reason
    # The fault was used up: the next send goes through.
    await sender.send(_to(GROUP), Outgoing("Nhắc việc"))
    assert fake_telegram.sent_to(GROUP)[-1]["text"] == "Nhắc việc"


async def test_unreachable_api_means_retry_later() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as closed:
        closed.bind(("127.0.0.1", 0))  # bound but never listening: connections are refused
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/bot"
        channel = TelegramChannel(DEFAULT_TOKEN, base_url=url, request_timeout=1.0)
        try:
            with pytest.raises(SendError) as caught:
                await channel.send(_to(USER), Outgoing("a"))
        finally:
            await channel.stop()
    assert caught.value.kind is SendErrorKind.RETRY
    assert DEFAULT_TOKEN not in caught.value.reason


async def test_blocked_and_migrated_chats_stay_unreachable(
    sender: TelegramChannel, fake_telegram: FakeTelegramServer
) -> None:
    fake_telegram.block(USER)
    fake_telegram.migrated[GROUP] = SUPERGROUP
    with pytest.raises(SendError) as blocked:
        await sender.send(_to(USER), Outgoing("a"))
    with pytest.raises(SendError) as moved:
        await sender.send(_to(GROUP), Outgoing("b"))
    assert blocked.value.kind is SendErrorKind.UNREACHABLE
    assert (moved.value.kind, moved.value.migrate_to) == (
        SendErrorKind.UNREACHABLE,
        str(SUPERGROUP),
    )


async def test_edit_replaces_text_and_keyboard(
    sender: TelegramChannel, fake_telegram: FakeTelegramServer
) -> None:
    await sender.send(_to(USER), Outgoing("Chọn mức", [[Button("50%", "p:50")]]))
    [message] = fake_telegram.sent_to(USER)
    done = Outgoing(bold("Đã ghi nhận") + " 50%")
    await sender.edit(_to(USER), str(message["message_id"]), done)
    assert message["text"] == "Đã ghi nhận 50%"
    assert "reply_markup" not in message
    await sender.edit(_to(USER), str(message["message_id"]), done)  # unchanged: no error


async def test_typing_and_command_menus(
    sender: TelegramChannel, fake_telegram: FakeTelegramServer
) -> None:
    await sender.send_typing(_to(USER))
    assert fake_telegram.calls_of("sendChatAction")[0].params["action"] == "typing"
    vi = [("due", "Việc sắp đến hạn"), ("report", "Báo cáo tiến độ")]
    en = [("due", "Tasks due soon"), ("report", "Report progress")]
    await sender.set_commands({"vi": vi, "en": en})
    vi_json = [{"command": c, "description": d} for c, d in vi]
    en_json = [{"command": c, "description": d} for c, d in en]
    assert fake_telegram.commands == {
        ("default", "vi"): vi_json,
        ("default", "en"): en_json,
        ("default", ""): vi_json,
    }


@pytest.mark.parametrize(
    ("base", "files"),
    [
        ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
        ("https://proxy.example/tg/bot{token}", "https://proxy.example/tg/file/bot{token}"),
    ],
)
def test_file_url_follows_the_api_url(base: str, files: str) -> None:
    assert file_base_url(base) == files


# -- the token stays secret ------------------------------------------------------------------


async def test_token_never_reaches_logs(
    fake_telegram: FakeTelegramServer, sink: RecordingSink, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    channel = _channel(fake_telegram)
    await channel.start(sink)
    try:
        fake_telegram.push_document(b"abc", "a.txt", "text/plain")
        [incoming] = await sink.wait(1)
        assert incoming.file is not None and incoming.file.fetch is not None
        await incoming.file.fetch()  # a download URL has the token too
        await channel.send(_to(USER), Outgoing("xin chào"))
        token = fake_telegram.token
        logging.getLogger("telegram.ext.Updater").error(
            "failed at %s", f"/bot{token}/getUpdates", exc_info=RuntimeError(f"GET /bot{token}")
        )
        logging.getLogger("httpx").info("HTTP Request: POST /bot%s/x", token.replace(":", "%3A"))
        assert repr(channel) == "TelegramChannel(@nhacviec_test_bot, polling)"
    finally:
        await channel.stop()
    assert "/getMe" in caplog.text and "/file/bot" + REDACTED in caplog.text
    assert fake_telegram.token not in caplog.text
    assert fake_telegram.token.split(":", 1)[1] not in caplog.text


async def test_rejected_token_is_not_echoed(
    fake_telegram: FakeTelegramServer, sink: RecordingSink, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "987654321:AAwrongTOKEN_nobody-should-see"
    channel = TelegramChannel(wrong, base_url=fake_telegram.base_url)
    with pytest.raises(RuntimeError) as caught:
        await channel.start(sink)
    assert "rejected" in str(caught.value)
    assert wrong not in str(caught.value) and caught.value.__cause__ is None
    assert wrong not in caplog.text
    await channel.stop()


async def test_send_error_reason_never_contains_the_token(
    sender: TelegramChannel, fake_telegram: FakeTelegramServer
) -> None:
    fake_telegram.fail(
        "sendMessage", Fault.bad_request(f"Bad Request: odd URL /bot{fake_telegram.token}/x")
    )
    with pytest.raises(SendError) as caught:
        await sender.send(_to(USER), Outgoing("a"))
    assert fake_telegram.token not in caught.value.reason
    assert REDACTED in caught.value.reason
    assert caught.value.__cause__ is None


# -- the fake itself enforces what matters -----------------------------------------------------


async def _raw(tg: FakeTelegramServer, method: str, token: str | None = None, **params: object):
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{tg.base_url}{token or tg.token}/{method}", json=params) as resp,
    ):
        return resp.status, await resp.json()


async def test_fake_enforces_telegram_limits(fake_telegram: FakeTelegramServer) -> None:
    chat = {"chat_id": USER, "parse_mode": "HTML"}
    status, body = await _raw(fake_telegram, "sendMessage", text="x" * 4097, **chat)
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    # The limit counts parsed text: 4,096 escaped ampersands are 4,096 characters.
    assert (await _raw(fake_telegram, "sendMessage", text="&amp;" * 4096, **chat))[0] == 200
    status, body = await _raw(fake_telegram, "sendMessage", text="<b>mở", **chat)
    assert status == 400 and "can't parse entities" in body["description"]
    status, body = await _raw(fake_telegram, "sendMessage", text="1 < 2", **chat)
    assert status == 400 and "can't parse entities" in body["description"]
    markup = {"inline_keyboard": [[{"text": "a", "callback_data": "y" * 65}]]}
    status, body = await _raw(fake_telegram, "sendMessage", text="a", reply_markup=markup, **chat)
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")
    status, body = await _raw(fake_telegram, "getMe", token="1:forged")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    fake_telegram.fail("sendMessage", Fault.flood(5))
    status, body = await _raw(fake_telegram, "sendMessage", text="a", chat_id=USER)
    assert status == 429 and body["parameters"] == {"retry_after": 5}


async def test_fake_rate_limits_when_asked() -> None:
    async with FakeTelegramServer(rate_limits=True) as tg:
        assert (await _raw(tg, "sendMessage", chat_id=USER, text="1"))[0] == 200
        status, body = await _raw(tg, "sendMessage", chat_id=USER, text="2")
        assert status == 429 and body["parameters"]["retry_after"] >= 1
        assert (await _raw(tg, "sendMessage", chat_id=USER + 1, text="3"))[0] == 200


async def test_fake_long_poll_waits_for_an_update(fake_telegram: FakeTelegramServer) -> None:
    poll = asyncio.create_task(_raw(fake_telegram, "getUpdates", timeout=5))
    await fake_telegram.wait_for("getUpdates")
    update = fake_telegram.push_text("đến ngay")
    status, body = await poll
    assert status == 200 and body["result"] == [update]
    status, body = await _raw(
        fake_telegram, "getUpdates", offset=update["update_id"] + 1, timeout=0
    )
    assert body["result"] == [] and fake_telegram.pending_updates == []

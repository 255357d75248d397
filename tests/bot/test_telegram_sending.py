"""TelegramChannel sending: rendering, splitting, keyboards, files, error classification."""

from __future__ import annotations

import socket

import pytest

from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.render import file_base_url, utf16_len
from handlers.markup import bold, to_plain
from handlers.types import (
    Attachment,
    Button,
    Outgoing,
    SendError,
    SendErrorKind,
)
from tests.bot.telegram_channel_support import GROUP, SUPERGROUP, USER
from tests.bot.telegram_channel_support import address_to as _to
from tests.fakes.telegram_api import Fault
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegramServer

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

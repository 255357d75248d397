"""Neutral `Outgoing` → Telegram: HTML chunks under the length limit and inline keyboards."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.markup import split_text, to_html, to_plain
from handlers.types import Attachment, Button, Outgoing, SendError, SendErrorKind

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes, UTF-8
PHOTO_LIMIT = 10 * 1024 * 1024  # sendPhoto refuses bigger pictures; they go as documents
PHOTO_MIMES = frozenset({"image/jpeg", "image/png", "image/webp"})


@dataclass(frozen=True, slots=True)
class Chunk:
    """One sendMessage call: HTML text and, on the last chunk only, the keyboard."""

    html: str
    keyboard: InlineKeyboardMarkup | None = None


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (Telegram measures texts and entity offsets in them)."""
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split neutral text into chunks whose *visible* text fits Telegram's limit.

    Splitting happens before rendering: the limit applies to the text after entity parsing,
    so `&amp;` and `<b>` added by `to_html` never count, and a split can never fall inside an
    escape sequence. Telegram counts UTF-16 units, so an emoji is two: if a chunk is over in
    those units we split again a little shorter. Whitespace-only chunks are dropped because
    Telegram rejects empty messages (it trims surrounding whitespace anyway).
    """
    size = limit
    while True:
        chunks = split_text(text, size)
        over = max(utf16_len(to_plain(c)) for c in chunks) - limit
        if over <= 0 or size == 1:
            return [c for c in chunks if to_plain(c).strip()]
        size = max(1, size - over)


def keyboard(rows: list[list[Button]]) -> InlineKeyboardMarkup | None:
    """Build an inline keyboard; refuse callback data Telegram would reject (1-64 bytes)."""
    if not rows:
        return None
    for row in rows:
        for button in row:
            if not 1 <= len(button.data.encode()) <= CALLBACK_DATA_LIMIT:
                raise SendError(
                    SendErrorKind.PERMANENT,
                    f"button data must be 1-{CALLBACK_DATA_LIMIT} bytes: {button.data[:80]!r}",
                )
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows]
    )


def render(outgoing: Outgoing) -> list[Chunk]:
    """Render a reply as HTML message chunks, the keyboard on the last one only.

    Validation (the keyboard) happens before anything is sent, so a bad button never leaves
    a half-delivered reply behind.
    """
    markup = keyboard(outgoing.buttons)
    texts = split_message(outgoing.text) if outgoing.text.strip() else []
    chunks = [Chunk(to_html(t)) for t in texts]
    if chunks and markup is not None:
        chunks[-1] = Chunk(chunks[-1].html, markup)
    return chunks


def as_caption(outgoing: Outgoing) -> str | None:
    """The HTML caption when a reply is one file sent by reference plus a short text.

    None otherwise: the text then goes as messages of its own, before the files.
    """
    if len(outgoing.attachments) != 1 or not outgoing.attachments[0].ref:
        return None
    visible = to_plain(outgoing.text).strip()
    if not visible or utf16_len(visible) > CAPTION_LIMIT:
        return None
    return to_html(outgoing.text)


def is_photo(attachment: Attachment) -> bool:
    """True when the attachment can go as a photo (inline picture) rather than a document."""
    return attachment.mime.lower() in PHOTO_MIMES and len(attachment.content) <= PHOTO_LIMIT


def file_base_url(base_url: str) -> str:
    """Derive PTB's `base_file_url` from `base_url`, as the Bot API lays its routes out.

    `https://api.telegram.org/bot` → `https://api.telegram.org/file/bot`; a self-hosted or fake
    server at `http://host:port/prefix/bot` serves files at `http://host:port/prefix/file/bot`.
    A `{token}` placeholder in the last segment is kept.
    """
    head, _, last = base_url.rpartition("/")
    if not head or "//" not in base_url or head.endswith(":/"):
        raise ValueError("base_url must look like https://host[/prefix]/bot")
    return f"{head}/file/{last}"

"""Bot API rules the fake Telegram server enforces: HTML parsing, limits, errors and faults.

Written from the public Bot API documentation (core.telegram.org/bots/api); the error texts
are the ones Telegram returns, so code under test sees what it would see in production.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MESSAGE_LIMIT = 4096  # characters of the text *after* entity parsing
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile refuses bigger files for cloud bots
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
BOT_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")

# Update types Telegram sends when allowed_updates was never set.
DEFAULT_ALLOWED = frozenset(
    {"message", "edited_message", "channel_post", "callback_query", "my_chat_member"}
)
# Methods addressed to a chat (checked for blocks, migrations and, if sent, flood limits).
CHAT_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendChatAction",
        "editMessageText",
        "editMessageReplyMarkup",
    }
)
RATE_LIMITED = frozenset({"sendMessage", "sendDocument", "sendPhoto"})

# Parameters whose values are always plain strings; every other form field is JSON-decoded when
# it parses (numbers, booleans, objects), the way Telegram reads form-encoded calls.
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "secret_token",
        "url",
        "callback_query_id",
        "file_id",
        "language_code",
        "action",
        "ip_address",
        "description",
        "short_description",
        "name",
    }
)

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?>")
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart call."""

    filename: str
    content_type: str
    content: bytes


class ApiError(Exception):
    """A Bot API error reply: HTTP status, description and optional `parameters`."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        """The JSON body Telegram sends with this error."""
        out: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            out["parameters"] = self.parameters
        return out


@dataclass(frozen=True)
class Fault:
    """What the next call of a method should suffer instead of (or before) a normal answer.

    `delay` holds the answer back; with `passthrough` the call is still carried out (a message
    is delivered) and only the answer is late, which is what a client timeout looks like.
    `raw_body` replaces the JSON error body (e.g. an HTML page from a proxy).
    """

    status: int = 200
    description: str = ""
    parameters: dict[str, Any] | None = None
    delay: float = 0.0
    passthrough: bool = False
    raw_body: bytes | None = None
    reset: bool = False

    @classmethod
    def flood(cls, retry_after: int = 3) -> Fault:
        """429 Too Many Requests with `retry_after` seconds."""
        return cls(
            429,
            f"Too Many Requests: retry after {retry_after}",
            {"retry_after": retry_after},
        )

    @classmethod
    def blocked(cls) -> Fault:
        """403: the user blocked the bot."""
        return cls(403, "Forbidden: bot was blocked by the user")

    @classmethod
    def kicked(cls) -> Fault:
        """403: the bot was removed from the group."""
        return cls(403, "Forbidden: bot was kicked from the group chat")

    @classmethod
    def chat_not_found(cls) -> Fault:
        """400: unknown chat id."""
        return cls(400, "Bad Request: chat not found")

    @classmethod
    def migrated(cls, new_chat_id: int) -> Fault:
        """400: the group became a supergroup with `new_chat_id`."""
        return cls(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": new_chat_id},
        )

    @classmethod
    def bad_request(cls, description: str = "Bad Request: wrong parameter") -> Fault:
        """A 400 with any description."""
        return cls(400, description)

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        """A 5xx with Telegram's JSON body."""
        return cls(status, "Internal Server Error")

    @classmethod
    def bad_gateway(cls) -> Fault:
        """502 with an HTML body, as the front proxy sends during Telegram outages."""
        page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
        return cls(502, "Bad Gateway", raw_body=page)

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        """Carry the call out but answer only after `seconds` (a client timeout)."""
        return cls(delay=seconds, passthrough=True)

    @classmethod
    def connection_reset(cls, *, after_delivery: bool = False) -> Fault:
        """Drop the connection without an answer (after carrying the call out, if asked)."""
        return cls(0, "connection reset", passthrough=after_delivery, reset=True)

    @property
    def label(self) -> str:
        """A short name for the call log."""
        if self.reset:
            return "reset after delivery" if self.passthrough else "reset"
        if self.passthrough:
            return f"slow {self.delay}s"
        return f"{self.status} {self.description}"

    def error(self) -> ApiError:
        """The error this fault answers with."""
        return ApiError(self.status, self.description, self.parameters)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram counts offsets and limits in."""
    return len(text.encode("utf-16-le")) // 2


def decode_params(items: dict[str, str]) -> dict[str, Any]:
    """Decode form fields the way the Bot API reads them (JSON where it parses)."""
    out: dict[str, Any] = {}
    for key, value in items.items():
        if key in STRING_PARAMS:
            out[key] = value
            continue
        try:
            out[key] = json.loads(value)
        except ValueError:
            out[key] = value
    return out


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into plain text and entities; raise ApiError 400 like Telegram.

    Only the tags Telegram supports are accepted, they must nest properly, and `<` must start
    a tag. Named entities `&lt; &gt; &amp; &quot;` and numeric ones are decoded; any other
    `&` is kept literally, as Telegram does.
    """
    out: list[str] = []
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, int]] = []
    pos = 0
    offset = 0  # UTF-16 offset in the parsed text
    while pos < len(text):
        char = text[pos]
        if char == "<":
            match = _TAG.match(text, pos)
            byte_offset = len(text[:pos].encode())
            if not match:
                raise _parse_error(f"Unsupported start tag at byte offset {byte_offset}")
            closing, name = match.group(1) == "/", match.group(2).lower()
            if name not in _HTML_TAGS:
                raise _parse_error(f'Unsupported start tag "{name}" at byte offset {byte_offset}')
            if closing:
                if not stack:
                    raise _parse_error(f"Unexpected end tag at byte offset {byte_offset}")
                if stack[-1][0] != name:
                    raise _parse_error(
                        f'Unmatched end tag at byte offset {byte_offset}, expected "</'
                        f'{stack[-1][0]}>", found "</{name}>"'
                    )
                tag, start = stack.pop()
                if offset > start:
                    entities.append(
                        {"type": _HTML_TAGS[tag], "offset": start, "length": offset - start}
                    )
            else:
                stack.append((name, offset))
            pos = match.end()
            continue
        if char == "&" and (match := _ENTITY.match(text, pos)):
            code = match.group(1)
            if code.startswith("#x"):
                char = chr(int(code[2:], 16))
            elif code.startswith("#"):
                char = chr(int(code[1:]))
            else:
                char = _NAMED[code]
            pos = match.end()
        else:
            pos += 1
        out.append(char)
        offset += utf16_len(char)
    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _parse_error(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")


def parse_text(text: str, parse_mode: str | None, *, limit: int, what: str) -> dict[str, Any]:
    """Parse a message text or caption, strip it as Telegram does and enforce its limit."""
    if parse_mode and parse_mode.upper() == "HTML":
        plain, entities = parse_html(text)
    else:
        plain, entities = text, []
    # Telegram trims surrounding whitespace; entity offsets move with the leading trim.
    lead = utf16_len(plain) - utf16_len(plain.lstrip())
    plain = plain.strip()
    for entity in entities:
        entity["offset"] = max(0, entity["offset"] - lead)
    if what == "message" and not plain:
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(plain) > limit:
        raise ApiError(400, f"Bad Request: {what} is too long")
    return {"text": plain, "entities": entities}


def check_reply_markup(markup: Any) -> None:
    """Validate an inline keyboard like Telegram: rows of buttons, callback data 1-64 bytes."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise ApiError(400, "Bad Request: can't parse inline keyboard button")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise ApiError(400, "Bad Request: BUTTON_TEXT_EMPTY")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_LIMIT:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def check_commands(commands: Any) -> list[dict[str, str]]:
    """Validate setMyCommands' list: names 1-32 of [a-z0-9_], descriptions 1-256 chars."""
    if not isinstance(commands, list) or len(commands) > 100:
        raise ApiError(400, "Bad Request: commands must be a list of at most 100 commands")
    for command in commands:
        if not BOT_COMMAND.match(str(command.get("command", ""))):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
    return commands


def chat_id_param(params: dict[str, Any]) -> int:
    """The numeric `chat_id` of a call; 400 "chat not found" otherwise."""
    value = params.get("chat_id")
    if isinstance(value, int) and not isinstance(value, bool) and value != 0:
        return value
    # Telegram resolves "@channelname"; the fake knows no public usernames.
    raise ApiError(400, "Bad Request: chat not found")


class RateLimits:
    """Telegram's documented broadcast limits: 30 msg/s overall, 1/s per chat, 20/min per group."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._global: deque[float] = deque()
        self._chats: dict[int, deque[float]] = defaultdict(deque)
        self.rejected = 0

    def check(self, chat_id: int) -> int | None:
        """Count a message to `chat_id`; return seconds to wait if it breaks a limit."""
        now = self._clock()
        per_chat = (20, 60.0) if chat_id < 0 else (1, 1.0)
        windows = [(self._global, 30, 1.0), (self._chats[chat_id], *per_chat)]
        wait = 0.0
        for hits, limit, period in windows:
            while hits and hits[0] <= now - period:
                hits.popleft()
            if len(hits) >= limit:
                wait = max(wait, hits[0] + period - now)
        if wait > 0:
            self.rejected += 1
            return max(1, math.ceil(wait))
        for hits, _, _ in windows:
            hits.append(now)
        return None

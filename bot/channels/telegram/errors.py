"""PTB errors → `SendError`, with the bot token kept out of the reason.

The token is part of every Bot API URL (`/bot<token>/method`) and so of some exception texts;
the reasons end up in the outbox and in logs, so they pass through the redactor (see redact).
"""

from __future__ import annotations

import datetime as dt
import logging

import httpx
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.channels.redact import REDACTOR
from handlers.types import SendError, SendErrorKind

# 400s that mean "this chat cannot be reached", not "this message is malformed".
UNREACHABLE_400 = (
    "chat not found",
    "user not found",
    "peer_id_invalid",
    "chat_write_forbidden",
    "not enough rights to send",
    "have no rights to send",
)


# PTB includes a proxy's whole error page in the message ("Bad Gateway (502). Parsing the
# server response b'<html>...' failed"); the status is what matters.
_PARSE_FAILED = ". Parsing the server response"


class _QuietInvalidJson(logging.Filter):
    """PTB logs a proxy's HTML error page (a 502 during an outage) as an error with a
    traceback, although the failure is raised, classified and retried: make it one warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("Can not load invalid JSON data"):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = "Telegram answered with a non-JSON body (retried)", ()
            record.exc_info, record.exc_text = None, None
        return True


logging.getLogger("telegram.request.BaseRequest").addFilter(_QuietInvalidJson())


def short_reason(exc: TelegramError) -> str:
    """The error's message without a token or an HTML error page."""
    return REDACTOR.redact(exc.message).split(_PARSE_FAILED, 1)[0]


def transient_wait(exc: BaseException) -> float | None:
    """For start-up retries: None if the error will not pass, else the least wait (s)."""
    if isinstance(exc, RetryAfter):
        return _seconds(exc.retry_after) or 1.0
    if isinstance(exc, InvalidToken | BadRequest | Forbidden):
        return None
    if isinstance(exc, NetworkError):  # 5xx, timeouts, resets (BadRequest excluded above)
        return 0.0
    return None


def _seconds(value: object) -> float | None:
    # PTB ≥ 22.2 reports time periods as timedelta when PTB_TIMEDELTA is on, int otherwise.
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, int | float):
        return float(value)
    return None


def _not_sent(exc: TimedOut) -> bool:
    # PTB folds all httpx timeouts into TimedOut. A connect or pool timeout means the request
    # never left this machine, so retrying cannot duplicate a message.
    return isinstance(exc.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout)


def _dropped_after_sending(exc: NetworkError) -> bool:
    # The request went out whole and the connection died before the answer: Telegram may
    # have delivered the message, which is a timeout's case, not a plain retry's.
    return isinstance(exc.__cause__, httpx.ReadError | httpx.RemoteProtocolError)


def to_send_error(exc: TelegramError) -> SendError:
    """Classify a PTB error for the outbox; the reason never contains a token."""
    reason = short_reason(exc)
    if isinstance(exc, RetryAfter):
        return SendError(SendErrorKind.RETRY, reason, retry_after=_seconds(exc.retry_after))
    if isinstance(exc, ChatMigrated):
        return SendError(SendErrorKind.UNREACHABLE, reason, migrate_to=str(exc.new_chat_id))
    if isinstance(exc, TimedOut):
        kind = SendErrorKind.RETRY if _not_sent(exc) else SendErrorKind.TIMEOUT
        return SendError(kind, reason or "timed out")
    if isinstance(exc, Forbidden):
        return SendError(SendErrorKind.UNREACHABLE, reason)
    if isinstance(exc, BadRequest):
        # BadRequest subclasses NetworkError in PTB, so it must be checked before it.
        lowered = reason.lower()
        if any(text in lowered for text in UNREACHABLE_400):
            return SendError(SendErrorKind.UNREACHABLE, reason)
        return SendError(SendErrorKind.PERMANENT, reason)
    if isinstance(exc, NetworkError):
        # Connection errors and 5xx (PTB raises NetworkError for any other status).
        kind = SendErrorKind.TIMEOUT if _dropped_after_sending(exc) else SendErrorKind.RETRY
        return SendError(kind, reason)
    # InvalidToken, EndPointNotFound, Conflict and the rest will not get better by waiting.
    return SendError(SendErrorKind.PERMANENT, reason)


def describe_error(exc: BaseException) -> str:
    """One line for a log about a failed call: the reason without token or HTML page."""
    return short_reason(exc) if isinstance(exc, TelegramError) else repr(exc)


def mentions_token(exc: BaseException | None) -> bool:
    """Whether an exception or its causes mention a registered secret (then drop the chain)."""
    seen = 0
    while exc is not None and seen < 10:
        text = f"{exc} {exc.args!r}"
        if REDACTOR.redact(text) != text:
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False

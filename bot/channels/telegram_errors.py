"""PTB errors → `SendError`, with the bot token kept out of the reason.

The token is part of every Bot API URL (`/bot<token>/method`) and so of some exception texts;
the reasons end up in the outbox and in logs, so they pass through the redactor (see redact).
"""

from __future__ import annotations

import datetime as dt

import httpx
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.channels.redact import REDACTOR
from handlers.types import SendError, SendErrorKind

# 400s that mean "this chat cannot be reached", not "this message is malformed".
_UNREACHABLE_400 = (
    "chat not found",
    "user not found",
    "peer_id_invalid",
    "chat_write_forbidden",
    "not enough rights to send",
    "have no rights to send",
)


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


def to_send_error(exc: TelegramError) -> SendError:
    """Classify a PTB error for the outbox; the reason never contains a token."""
    reason = REDACTOR.redact(exc.message)
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
        if any(text in lowered for text in _UNREACHABLE_400):
            return SendError(SendErrorKind.UNREACHABLE, reason)
        return SendError(SendErrorKind.PERMANENT, reason)
    if isinstance(exc, NetworkError):
        # Connection errors and 5xx (PTB raises NetworkError for any other status).
        return SendError(SendErrorKind.RETRY, reason)
    # InvalidToken, EndPointNotFound, Conflict and the rest will not get better by waiting.
    return SendError(SendErrorKind.PERMANENT, reason)

"""PTB errors → `SendError`, and keeping the bot token out of logs and messages.

The token is part of every Bot API URL (`/bot<token>/method`), so httpx's request log lines,
PTB's debug lines and some exception texts contain it. Anyone with the token controls the bot.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

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

from handlers.types import SendError, SendErrorKind

REDACTED = "<redacted>"
# Loggers whose records may carry request URLs; PTB's children are covered by `install`.
_LOGGERS = ("telegram", "httpx", "httpcore", "bot.channels")
# 400s that mean "this chat cannot be reached", not "this message is malformed".
_UNREACHABLE_400 = (
    "chat not found",
    "user not found",
    "peer_id_invalid",
    "chat_write_forbidden",
    "not enough rights to send",
    "have no rights to send",
)


class TokenRedactor(logging.Filter):
    """A logging filter that replaces bot tokens in messages and tracebacks.

    One instance serves every channel in the process; each adds its token. Filters on a logger
    only see records created on that very logger (not its children), so `install` attaches
    the filter to every existing `telegram.*` logger as well as the parents.
    """

    def __init__(self) -> None:
        super().__init__()
        self._tokens: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add(self, token: str) -> None:
        """Redact `token` from now on and make sure the filter sits on all relevant loggers."""
        if token and token not in self._tokens:
            self._tokens.add(token)
            forms = {f for t in self._tokens for f in (t, t.replace(":", "%3A"))}
            longest_first = sorted(forms, key=len, reverse=True)
            self._pattern = re.compile("|".join(map(re.escape, longest_first)), re.IGNORECASE)
        manager = logging.Logger.manager
        names = [n for n in list(manager.loggerDict) if n.startswith(_LOGGERS)]
        for name in {*_LOGGERS, *names}:
            logger = logging.getLogger(name)
            if self not in logger.filters:
                logger.addFilter(self)

    def redact(self, text: str) -> str:
        """Replace every known token (also URL-encoded) in `text`.

        Case-insensitive: PTB lower-cases error descriptions it strips a prefix from.
        """
        if self._pattern is not None:
            text = self._pattern.sub(REDACTED, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        if not self._tokens:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the handler's problem, not ours
            return True
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


REDACTOR = TokenRedactor()


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

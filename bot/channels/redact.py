"""Keeping bot tokens and other channel secrets out of logs and error messages.

The Telegram and Zalo Bot tokens are part of every API URL (`/bot<token>/method`), so httpx's
request log lines, PTB's debug lines and the text of some exceptions (aiohttp's
`ClientResponseError`, `InvalidURL`) contain them. Webhook secrets appear in PTB's debug log of
setWebhook. OA access and refresh tokens travel in headers and form fields, which aiohttp does
not log, but are registered too in case a server echoes them. Whoever holds a token controls
the bot.

One filter serves every channel in the process; each registers its secrets with `add`.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from urllib.parse import quote

REDACTED = "<redacted>"
# Loggers whose records may carry request URLs or secrets. A filter sees only the records
# created on the logger it is attached to (not on its children), so `add` also attaches it to
# every existing logger below these names (PTB's `telegram.ext.*`, for one); the Zalo modules
# are named because they may not have been imported yet when the first secret is added.
_LOGGERS = (
    "telegram",
    "httpx",
    "httpcore",
    "bot.channels",
    "bot.channels.webhook",
    "bot.channels.zalo.channel",
    "bot.channels.zalo.api",
    "bot.channels.zalo_oa.channel",
    "bot.channels.zalo_oa.api",
    "bot.channels.zalo_oa.tokens",
    "aiohttp.client",
    "aiohttp.internal",
    "aiohttp.server",
    "aiohttp.web",
    "aiohttp.access",
)


class SecretRedactor(logging.Filter):
    """A logging filter that replaces registered secrets in messages and tracebacks."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        # OA tokens rotate daily: remember the recent ones only, so the pattern stays small.
        self._rotating: deque[str] = deque(maxlen=16)
        self._pattern: re.Pattern[str] | None = None

    def add(self, secret: str, *, rotating: bool = False) -> None:
        """Redact `secret` (also URL-encoded) from now on, on every relevant logger.

        Args:
            secret: The text to hide.
            rotating: A short-lived token (the OA's); only the most recent ones are kept.
        """
        known = secret in self._secrets or secret in self._rotating
        if secret and not known:
            (self._rotating.append if rotating else self._secrets.add)(secret)
            everything = self._secrets | set(self._rotating)
            # As it stands in a URL path: fully percent-encoded (aiohttp), or with only the
            # colon of a `<bot id>:<secret>` token encoded (httpx's request log lines).
            forms = {
                form for s in everything for form in (s, quote(s, safe=""), s.replace(":", "%3A"))
            }
            longest_first = sorted(forms, key=len, reverse=True)
            # Case-insensitive: PTB lower-cases error descriptions it strips a prefix from.
            self._pattern = re.compile("|".join(map(re.escape, longest_first)), re.IGNORECASE)
        manager = logging.Logger.manager
        below = [n for n in list(manager.loggerDict) if n.startswith(_LOGGERS)]
        for name in {*_LOGGERS, *below}:
            logger = logging.getLogger(name)
            if self not in logger.filters:
                logger.addFilter(self)

    def redact(self, text: str) -> str:
        """Replace every registered secret in `text`."""
        if self._pattern is not None:
            text = self._pattern.sub(REDACTED, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        if self._pattern is None:
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


REDACTOR = SecretRedactor()

"""Telegram Mini App `initData`: verified as Telegram documents it, before anything is trusted.

From "Validating data received via the Mini App" (core.telegram.org/bots/webapps): the
data-check-string is every received field except `hash`, sorted by key, as `key=value`
(values URL-decoded) joined by a line feed; the secret key is HMAC-SHA-256 of the bot token
keyed with the constant "WebAppData"; the data is genuine when the hex HMAC-SHA-256 of the
data-check-string under that key equals `hash`. `auth_date` (Unix time the Mini App was
opened) is checked for freshness; the caller also records each accepted `hash` so the same
`initData` cannot sign in twice (`store.web_sessions.claim_init_data`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

#: How old an `initData` may be when it is presented (Telegram signs it when the app opens).
MAX_AGE = timedelta(minutes=5)
#: Clock skew tolerated for an `auth_date` in the future.
SKEW = timedelta(seconds=30)
_MAX_LEN = 8192


class InitDataError(ValueError):
    """The `initData` is malformed, forged or stale; the message says which (for logs)."""


@dataclass(frozen=True, slots=True)
class WebAppUser:
    """The verified Telegram user and when the Mini App was opened."""

    user_id: int
    first_name: str
    language_code: str | None
    auth_date: datetime
    hash: str


def secret_key(bot_token: str) -> bytes:
    """HMAC-SHA-256 of the bot token, keyed with "WebAppData"."""
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    """The fields other than `hash`, sorted by key, as `key=value` lines."""
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")


def sign(fields: dict[str, str], bot_token: str) -> str:
    """The `hash` Telegram would put on these fields (for tests and the fake client)."""
    mac = hmac.new(secret_key(bot_token), data_check_string(fields).encode(), hashlib.sha256)
    return mac.hexdigest()


def verify_init_data(
    init_data: str, bot_token: str, *, now: datetime, max_age: timedelta = MAX_AGE
) -> WebAppUser:
    """Check an `initData` query string and return its user; raise InitDataError if not genuine.

    Args:
        init_data: `Telegram.WebApp.initData` exactly as the client gave it.
        bot_token: The bot's token (the key Telegram signed with).
        now: The current time (timezone-aware).
        max_age: Oldest `auth_date` accepted.
    """
    if not init_data or len(init_data) > _MAX_LEN:
        raise InitDataError("empty or oversized")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataError("not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("a field is repeated")
    given = fields.get("hash", "")
    if len(given) != 64:
        raise InitDataError("no hash")
    expected = sign(fields, bot_token)
    if not hmac.compare_digest(expected.encode(), given.lower().encode()):
        raise InitDataError("hash does not match")
    # Only signed data from here on.
    try:
        auth_date = datetime.fromtimestamp(int(fields["auth_date"]), UTC)
    except (KeyError, ValueError, OverflowError, OSError):
        raise InitDataError("no auth_date") from None
    if auth_date < now - max_age:
        raise InitDataError("stale")
    if auth_date > now + SKEW:
        raise InitDataError("auth_date in the future")
    try:
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError):
        raise InitDataError("no user") from None
    lang = user.get("language_code")
    return WebAppUser(
        user_id=user_id,
        first_name=str(user.get("first_name") or ""),
        language_code=lang if isinstance(lang, str) else None,
        auth_date=auth_date,
        hash=expected,
    )

"""A thin aiohttp client for the Zalo Official Account API v3 and OAuth v4 token refresh.

Sending is `POST {api}/v3.0/oa/message/cs` with the access token in an `access_token` header
and `{"recipient": {"user_id"}, "message": {"text"}}`; success is `error: 0`. Refreshing is
`POST {oauth}/v4/oa/access_token` with the app secret in a `secret_key` header and a form of
`refresh_token`, `app_id`, `grant_type=refresh_token`; the refresh token is single-use.

Error codes (developers.zalo.me, "Bảng mã lỗi"): -216/-220 the access token is invalid or
expired; -230 the user has not interacted with the OA for 7 days, -232 never, -218 the user's
receiving limit is reached (the 8 free replies of the 48-hour window); -213 not a follower, -227
inactive account, -244 the user restricts this type; -32 too many calls, -211 OA quota spent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

import aiohttp

from bot.channels.redact import REDACTOR
from bot.channels.zalo.http import HttpClient, json_object
from handlers.missed import WINDOW_PREFIX
from handlers.types import SendError, SendErrorKind

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://openapi.zalo.me"
DEFAULT_OAUTH_BASE = "https://oauth.zaloapp.com"
TEXT_LIMIT = 2000
# Zalo documents refresh tokens as valid for about three months when the answer omits it.
REFRESH_LIFETIME = timedelta(days=90)

TOKEN_ERRORS = frozenset({-216, -220})
WINDOW_ERRORS = {
    -230: "the user has not written to the OA for 7 days (Zalo error -230)",
    -232: "the user has never written to the OA (Zalo error -232)",
    -218: "the user's free replies are used up (8 within 48 h; Zalo error -218)",
}
UNREACHABLE_ERRORS = frozenset({-213, -217, -227, -244})
RETRY_AFTER = {-32: 60.0, -211: 3600.0}


class TokenRejected(Exception):
    """The API refused the access token (-216 invalid, -220 expired or revoked)."""


class RefreshRejected(Exception):
    """OAuth refused the refresh token: already used, expired or revoked. Not retryable."""


class RefreshFailed(Exception):
    """The refresh could not be carried out now (network, 5xx); it may have been used."""


@dataclass(frozen=True, slots=True)
class Refreshed:
    """A new credential pair from OAuth."""

    access_token: str
    refresh_token: str
    expires_in: timedelta
    refresh_expires_in: timedelta

    def __repr__(self) -> str:
        return f"Refreshed(<redacted>, expires in {self.expires_in})"


def _send_error(code: int, message: str) -> SendError:
    reason = f"Zalo OA error {code}: {message}"
    if code in WINDOW_ERRORS:
        return SendError(SendErrorKind.UNREACHABLE, f"{WINDOW_PREFIX} {WINDOW_ERRORS[code]}")
    if code in UNREACHABLE_ERRORS:
        return SendError(SendErrorKind.UNREACHABLE, reason)
    if code in RETRY_AFTER:
        return SendError(SendErrorKind.RETRY, reason, retry_after=RETRY_AFTER[code])
    return SendError(SendErrorKind.PERMANENT, reason)


class OAClient(HttpClient):
    """Calls the OA message API and the OAuth token endpoint.

    Args:
        app_id: The Zalo app linked to the OA.
        secret_key: The app's secret key (OAuth `secret_key` header).
        api_base: OpenAPI base (`https://openapi.zalo.me`, or a test fake).
        oauth_base: OAuth base (`https://oauth.zaloapp.com`, or a test fake).
        request_timeout: Seconds allowed for one call.
    """

    def __init__(
        self,
        app_id: str,
        secret_key: str,
        *,
        api_base: str = DEFAULT_API_BASE,
        oauth_base: str = DEFAULT_OAUTH_BASE,
        request_timeout: float = 10.0,
    ) -> None:
        REDACTOR.add(secret_key)
        self._app_id = app_id
        self._secret_key = secret_key
        self._send_url = f"{api_base.rstrip('/')}/v3.0/oa/message/cs"
        self._oauth_url = f"{oauth_base.rstrip('/')}/v4/oa/access_token"
        self._timeout = aiohttp.ClientTimeout(total=request_timeout, connect=5.0)

    def __repr__(self) -> str:
        return f"OAClient(app {self._app_id})"

    async def send_text(self, access_token: str, user_id: str, text: str) -> str:
        """Send one consultation (cs) text message; returns Zalo's message id.

        Raises:
            TokenRejected: Refresh the access token and try again.
            SendError: Anything else, classified for the outbox.
        """
        body = {"recipient": {"user_id": user_id}, "message": {"text": text}}
        headers = {"access_token": access_token}
        try:
            async with self.session.post(
                self._send_url, json=body, headers=headers, timeout=self._timeout
            ) as resp:
                status, raw = resp.status, await resp.read()
        except aiohttp.ConnectionTimeoutError:
            raise SendError(SendErrorKind.RETRY, "Zalo OA: connection timed out") from None
        except (TimeoutError, aiohttp.ServerTimeoutError, aiohttp.ServerDisconnectedError):
            raise SendError(SendErrorKind.TIMEOUT, "Zalo OA: no answer in time") from None
        except aiohttp.ClientError as exc:
            raise SendError(SendErrorKind.RETRY, f"Zalo OA: {type(exc).__name__}") from None
        if status == 429 or status >= 500:
            raise SendError(SendErrorKind.RETRY, f"Zalo OA: HTTP {status}")
        data = json_object(raw)
        code = data.get("error")
        if status == 200 and code == 0:
            result = data.get("data")
            return str(result.get("message_id", "")) if isinstance(result, dict) else ""
        if not isinstance(code, int):
            raise SendError(SendErrorKind.PERMANENT, f"Zalo OA: unexpected answer (HTTP {status})")
        if code in TOKEN_ERRORS:
            raise TokenRejected(code)
        raise _send_error(code, REDACTOR.redact(str(data.get("message") or "")))

    async def refresh(self, refresh_token: str) -> Refreshed:
        """Exchange a refresh token (single-use) for a new pair.

        Raises:
            RefreshRejected: OAuth refused the token (used, expired, revoked).
            RefreshFailed: No usable answer (network, 5xx, timeout); the token may be used.
        """
        form = {
            "refresh_token": refresh_token,
            "app_id": self._app_id,
            "grant_type": "refresh_token",
        }
        try:
            async with self.session.post(
                self._oauth_url,
                data=form,
                headers={"secret_key": self._secret_key},
                timeout=self._timeout,
            ) as resp:
                status, raw = resp.status, await resp.read()
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise RefreshFailed(f"OAuth: {type(exc).__name__}") from None
        if status == 429 or status >= 500:
            raise RefreshFailed(f"OAuth: HTTP {status}")
        data = json_object(raw)
        access, refresh = data.get("access_token"), data.get("refresh_token")
        if status == 200 and isinstance(access, str) and isinstance(refresh, str):
            REDACTOR.add(access, rotating=True)
            REDACTOR.add(refresh, rotating=True)
            return Refreshed(
                access,
                refresh,
                timedelta(seconds=_seconds(data.get("expires_in"), 90_000)),
                timedelta(
                    seconds=_seconds(
                        data.get("refresh_token_expires_in"), REFRESH_LIFETIME.total_seconds()
                    )
                ),
            )
        detail = data.get("error_description") or data.get("error_name") or f"HTTP {status}"
        raise RefreshRejected(f"OAuth error {data.get('error')}: {REDACTOR.redact(str(detail))}")


def _seconds(value: object, default: float) -> float:
    try:
        return float(value)  # Zalo sends it as a string: "90000"
    except (TypeError, ValueError):
        return default

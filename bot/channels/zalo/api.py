"""A thin aiohttp client for the Zalo Bot Platform API, and its errors as `SendError`.

Every method is `POST {base}/bot<token>/<method>` with a JSON body; replies are
`{ok, result, description, error_code}`. Errors may come with HTTP 200, so the client branches on
`ok`, never on the status alone. No retries here: a retried sendMessage could deliver twice, and
the outbox decides what to do with each kind of failure.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp

from bot.channels.redact import REDACTOR
from bot.channels.zalo.http import HttpClient, json_object
from handlers.types import SendError, SendErrorKind

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
NO_UPDATE = 408  # getUpdates: the long poll ended without an update


class ZaloBotError(SendError):
    """A failed Bot API call, classified for the outbox, with Zalo's status and code."""

    def __init__(
        self,
        kind: SendErrorKind,
        reason: str,
        *,
        status: int = 0,
        code: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(kind, REDACTOR.redact(reason), retry_after=retry_after)
        self.status = status
        self.code = code


def classify(status: int, code: int | None, description: str) -> SendErrorKind:
    """What an error answer means for the outbox (the Bot Platform publishes few codes)."""
    effective = code or status
    text = description.lower()
    if effective == 429 or status == 429 or effective >= 500 or status >= 500:
        return SendErrorKind.RETRY
    if effective == NO_UPDATE:
        return SendErrorKind.RETRY
    if effective == 403 or "blocked" in text:
        return SendErrorKind.UNREACHABLE
    if effective in (400, 404) and ("chat" in text or "user" in text) and "not" in text:
        return SendErrorKind.UNREACHABLE  # "chat not found", "user not exist"
    return SendErrorKind.PERMANENT  # 401 (token), malformed requests


class ZaloBotApi(HttpClient):
    """Calls Bot API methods. The token never appears in logs, errors or reprs.

    Args:
        token: The bot token (`<bot id>:<secret>`).
        base_url: API base; the client appends `/bot<token>/<method>`.
        request_timeout: Seconds allowed for an ordinary call.
    """

    def __init__(self, token: str, base_url: str = DEFAULT_BASE_URL, *, request_timeout: float):
        if not token:
            raise ValueError("the Zalo bot token is empty")
        REDACTOR.add(token)
        self._root = f"{base_url.rstrip('/')}/bot{token}"
        self._timeout = request_timeout

    def __repr__(self) -> str:
        return "ZaloBotApi(<redacted>)"

    async def call(
        self, method: str, params: dict[str, Any] | None = None, *, seconds: float | None = None
    ) -> Any:
        """Call one method and return its `result`.

        Args:
            method: The Bot API method, e.g. `sendMessage`.
            params: Its parameters (sent as JSON).
            seconds: Time allowed for this call (longer for a long poll).

        Raises:
            ZaloBotError: The call failed; `kind` says whether retrying can help. A TIMEOUT
                means the request may have been carried out.
        """
        limit = aiohttp.ClientTimeout(total=seconds or self._timeout, connect=5.0)
        try:
            async with self.session.post(
                f"{self._root}/{method}", json=params or {}, timeout=limit
            ) as resp:
                status = resp.status
                raw = await resp.read()
                retry_header = resp.headers.get("Retry-After")
        except aiohttp.ConnectionTimeoutError:
            raise ZaloBotError(SendErrorKind.RETRY, f"{method}: connection timed out") from None
        except (TimeoutError, aiohttp.ServerTimeoutError):
            raise ZaloBotError(SendErrorKind.TIMEOUT, f"{method}: timed out") from None
        except aiohttp.ClientConnectorError:
            # Nothing was sent: the connection never opened.
            raise ZaloBotError(SendErrorKind.RETRY, f"{method}: cannot connect") from None
        except aiohttp.ServerDisconnectedError:
            raise ZaloBotError(SendErrorKind.TIMEOUT, f"{method}: server disconnected") from None
        except aiohttp.ClientError as exc:
            # Some of these carry the URL (and so the token) in their text: never chain them.
            reason = f"{method}: {type(exc).__name__}"
            raise ZaloBotError(SendErrorKind.RETRY, reason) from None
        return self._result(method, status, raw, retry_header)

    def _result(self, method: str, status: int, raw: bytes, retry_header: str | None) -> Any:
        body = json_object(raw)
        if status == 200 and body.get("ok") is True:
            return body.get("result")
        code = body.get("error_code")
        code = code if isinstance(code, int) else None
        description = str(body.get("description") or f"HTTP {status}")
        kind = classify(status, code, description)
        retry_after = _retry_after(body, retry_header) if kind is SendErrorKind.RETRY else None
        reason = f"{method}: {description} ({code or status})"
        raise ZaloBotError(kind, reason, status=status, code=code, retry_after=retry_after)


def _retry_after(body: dict[str, Any], header: str | None) -> float | None:
    params = body.get("parameters")
    if isinstance(params, dict) and isinstance(params.get("retry_after"), int | float):
        return float(params["retry_after"])
    if header:
        try:
            return float(header)
        except ValueError:
            return None
    return None


async def sleep_backoff(attempt: int, base: float = 1.0, cap: float = 30.0) -> None:
    """Wait before the next poll after `attempt` consecutive failures (base, 2x, 4x ... cap)."""
    await asyncio.sleep(min(cap, base * 2.0 ** max(attempt - 1, 0)))

"""HTTP plumbing both Zalo clients share: the session, JSON answers and file downloads.

The Bot Platform client (zalo_api) and the OA client (zalo_oa_api) speak different APIs, but
hold their aiohttp session the same way and read answers that may be empty, not JSON or not an
object (a proxy's error page, a 502) the same way; both channels fetch users' files alike.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from handlers.types import SendError, SendErrorKind


class HttpClient:
    """Holds an aiohttp session, opened on first use and again after `close`.

    A channel stopped and then used to send (a CLI job after `stop`) gets a fresh session.
    """

    _session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        """The HTTP session (created on first use, also for downloads)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        return self._session

    async def close(self) -> None:
        """Release connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None


def json_object(raw: bytes) -> dict[str, Any]:
    """The answer's JSON object, or `{}` when the body is empty, not JSON or not an object."""
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


async def download(session: aiohttp.ClientSession, url: str, limit: int) -> bytes:
    """Fetch a file Zalo links to (a photo or attachment URL), at most `limit` bytes.

    Raises:
        SendError: PERMANENT for a bad address, a refusal or a file over the limit; RETRY for
            network trouble and server errors.
    """
    if not url.startswith(("https://", "http://")):
        raise SendError(SendErrorKind.PERMANENT, "the file address is not a web address")
    try:
        async with session.get(url, timeout=aiohttp.ClientTimeout(total=60)) as resp:
            if resp.status != 200:
                kind = SendErrorKind.RETRY if resp.status >= 500 else SendErrorKind.PERMANENT
                raise SendError(kind, f"file download failed: HTTP {resp.status}")
            parts: list[bytes] = []
            size = 0
            async for part in resp.content.iter_chunked(65536):
                size += len(part)
                if size > limit:
                    raise SendError(SendErrorKind.PERMANENT, "the file is too large")
                parts.append(part)
    except (TimeoutError, aiohttp.ClientError) as exc:
        raise SendError(
            SendErrorKind.RETRY, f"file download failed: {type(exc).__name__}"
        ) from None
    return b"".join(parts)

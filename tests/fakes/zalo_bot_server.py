"""A fake Zalo Bot Platform API: real HTTP on 127.0.0.1, an ephemeral port, no internet.

Serves `/bot<token>/<method>` the way bot-api.zaloplatforms.com does: JSON or form parameters,
answers `{ok, result}` or `{ok: false, error_code, description}` (errors often with HTTP 200),
getUpdates returning one update per call and 408 when the long poll ends empty, setWebhook with
an 8-256 character secret echoed in `X-Bot-Api-Secret-Token`. Tests queue user messages, read
what the bot sent, and inject faults: `ok:false` with HTTP 200, 401, 429, 5xx and slow answers.

    async with FakeZaloBotServer() as zalo:
        zalo.push_text("xin chào")
        ...
        assert zalo.texts_to(zalo.default_user)[0] == "..."
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections import deque
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from tests.fakes.http_server import FakeHttpServer, read_params

DEFAULT_TOKEN = "1459232241454765289:zaloFAKEtoken-for_tests_0123456789"
SECRET_HEADER = "X-Bot-Api-Secret-Token"


@dataclass
class Call:
    """One API call as received, and how it ended."""

    method: str
    params: dict[str, Any]
    status: int = 200
    error_code: int | None = None


@dataclass
class Fault:
    """What to do instead of answering normally.

    `status` is the HTTP status; `error_code` and `description` fill an `ok:false` body (HTTP
    200 with an error is how Zalo often answers). `delay` makes the answer slow (a timeout for
    a client with a shorter one); with `then_ok` the call succeeds after the delay.
    """

    status: int = 200
    error_code: int | None = None
    description: str = ""
    delay: float = 0.0
    then_ok: bool = False
    retry_after: float | None = None

    @classmethod
    def ok_false(cls, code: int = 400, description: str = "Bad request") -> Fault:
        """`{ok: false}` with HTTP 200."""
        return cls(200, code, description)

    @classmethod
    def http(cls, status: int, description: str = "") -> Fault:
        """An HTTP error status with an `ok:false` body."""
        return cls(status, status, description or f"HTTP {status}")

    @classmethod
    def slow(cls, delay: float, *, then_ok: bool = True) -> Fault:
        """An answer that takes `delay` seconds (then succeeds, as the platform may)."""
        return cls(delay=delay, then_ok=then_ok, error_code=504, description="Gateway timeout")


@dataclass
class Sent:
    """A message the bot sent."""

    chat_id: str
    text: str
    message_id: str


class FakeZaloBotServer(FakeHttpServer[Fault]):
    """The fake Bot Platform. Use as an async context manager or `start()` / `close()`.

    Args:
        token: The only token accepted; others get HTTP 401.
        can_join_groups: What getMe says about group support.
        wrap_webhook: Post webhook updates wrapped in `{ok, result}` instead of bare.
    """

    default_user = "e4ea2cd5189df1c3a88c"

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        can_join_groups: bool = False,
        wrap_webhook: bool = False,
    ) -> None:
        super().__init__()
        self.token = token
        self.can_join_groups = can_join_groups
        self.wrap_webhook = wrap_webhook
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.blocked: set[str] = set()
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.webhook_deliveries: list[tuple[str, int]] = []  # (message_id, HTTP status)
        self.files: dict[str, bytes] = {}
        self._updates: deque[dict[str, Any]] = deque()
        self._ids = itertools.count(1)

    def routes(self, app: web.Application) -> None:
        """The Bot API and file routes."""
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/files/{name}", self._file)

    @property
    def base_url(self) -> str:
        """What to pass as ZALO_API_BASE_URL."""
        return self.url

    # -- what users do ---------------------------------------------------------------------

    def update(
        self,
        text: str | None = None,
        *,
        user: str | None = None,
        name: str = "Nguyễn Văn A",
        chat: str | None = None,
        group: bool = False,
        photo: str | None = None,
        event: str | None = None,
    ) -> dict[str, Any]:
        """Build an update as the platform sends it (not queued)."""
        user = user or self.default_user
        message: dict[str, Any] = {
            "from": {"id": user, "display_name": name, "is_bot": False},
            "chat": {"id": chat or user, "chat_type": "GROUP" if group else "PRIVATE"},
            "message_id": f"{next(self._ids):020x}",
            "date": 1766619597466,
        }
        if text is not None:
            message["text"] = text
        if photo is not None:
            message["photo"] = photo
        kind = "message.image.received" if photo else "message.text.received"
        return {"event_name": event or kind, "message": message}

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (getUpdates serves it, or it is posted to the webhook)."""
        self._updates.append(update)
        self.notify()
        self._kick_delivery()
        return update

    def push_text(self, text: str, **kwargs: Any) -> dict[str, Any]:
        """A user writes `text` (private chat by default)."""
        return self.push(self.update(text, **kwargs))

    def add_file(self, name: str, content: bytes) -> str:
        """Serve a file (e.g. a photo a user sends) and return its URL."""
        self.files[name] = content
        return f"{self.base_url}/files/{name}"

    # -- assertions ------------------------------------------------------------------------

    def calls_of(self, method: str) -> list[Call]:
        """Recorded calls of one method."""
        return [c for c in self.calls if c.method == method]

    def texts_to(self, chat_id: str) -> list[str]:
        """Texts the bot sent to a chat, in order."""
        return [s.text for s in self.sent if s.chat_id == chat_id]

    async def wait_sent(self, count: int, *, chat: str | None = None, within: float = 60) -> None:
        """Wait until `count` messages were sent (to `chat`, or anywhere)."""
        await self.wait_until(
            lambda: len([s for s in self.sent if chat in (None, s.chat_id)]) >= count, within
        )

    async def wait_calls(self, method: str, count: int = 1, within: float = 60) -> None:
        """Wait until `method` was called `count` times."""
        await self.wait_until(lambda: len(self.calls_of(method)) >= count, within)

    async def post_webhook(self, body: bytes | dict[str, Any], secret: str | None) -> int:
        """POST a body to the registered webhook as Zalo would; return the HTTP status."""
        assert self.webhook_url
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        return (await self.post(self.webhook_url, data, headers))[0]

    # -- HTTP ------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        fields, typed, _ = await read_params(request)
        params: dict[str, Any] = {**fields, **typed}
        call = Call(method, params)
        self.calls.append(call)
        self.notify()
        if request.match_info["token"] != self.token:
            return self._error(call, 401, 401, "Unauthorized", http=401)
        fault = self.take_fault(method)
        if fault is not None:
            await self.sleep(fault.delay)
            if not fault.then_ok:
                headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else None
                return self._error(
                    call,
                    fault.status,
                    fault.error_code,
                    fault.description,
                    http=fault.status,
                    headers=headers,
                )
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._error(call, 404, 404, "Method not found", http=404)
        answer = await handler(call, params)
        if isinstance(answer, web.Response):
            return answer
        return web.json_response({"ok": True, "result": answer})

    def _error(
        self,
        call: Call,
        status: int,
        code: int | None,
        description: str,
        *,
        http: int,
        headers: dict[str, str] | None = None,
    ) -> web.Response:
        call.status, call.error_code = status, code
        body = {"ok": False, "error_code": code, "description": description}
        return web.json_response(body, status=http, headers=headers)

    async def _file(self, request: web.Request) -> web.Response:
        content = self.files.get(request.match_info["name"])
        if content is None:
            return web.Response(status=404)
        return web.Response(body=content, content_type="image/jpeg")

    # -- methods ---------------------------------------------------------------------------

    async def _m_getMe(self, call: Call, params: dict[str, Any]) -> Any:
        return {
            "id": self.token.split(":", 1)[0],
            "account_name": "bot.NhacViec",
            "account_type": "BASIC",
            "can_join_groups": self.can_join_groups,
        }

    async def _m_getUpdates(self, call: Call, params: dict[str, Any]) -> Any:
        if self.webhook_url:
            return self._error(call, 409, 409, "Webhook is active", http=200)
        timeout = min(float(params.get("timeout") or 30), 60.0)
        deadline = asyncio.get_running_loop().time() + timeout
        while not self._updates:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0 or self.closing:
                return self._error(call, 408, 408, "Request timeout", http=408)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed(), remaining)
        return self._updates.popleft()  # one update per call, no offset

    async def _m_setWebhook(self, call: Call, params: dict[str, Any]) -> Any:
        url, secret = str(params.get("url") or ""), str(params.get("secret_token") or "")
        if not url or not 8 <= len(secret) <= 256:
            return self._error(call, 400, 400, "url and secret_token (8-256) required", http=200)
        self.webhook_url, self.webhook_secret = url, secret
        self._kick_delivery()
        return {"url": url, "updated_at": 1749538250568}

    async def _m_deleteWebhook(self, call: Call, params: dict[str, Any]) -> Any:
        self.webhook_url, self.webhook_secret = "", None
        return {"url": "", "updated_at": 1749538250568}

    async def _m_getWebhookInfo(self, call: Call, params: dict[str, Any]) -> Any:
        return {"url": self.webhook_url, "updated_at": 1749633372026}

    async def _m_sendMessage(self, call: Call, params: dict[str, Any]) -> Any:
        chat_id, text = str(params.get("chat_id") or ""), params.get("text")
        if not chat_id:
            return self._error(call, 400, 400, "chat_id is required", http=200)
        if not isinstance(text, str) or not 1 <= len(text) <= 2000:
            return self._error(call, 400, 400, "text must be 1-2000 characters", http=200)
        if chat_id in self.blocked:
            return self._error(call, 403, 403, "User has blocked the bot", http=200)
        message_id = f"{next(self._ids):020x}"
        self.sent.append(Sent(chat_id, text, message_id))
        self.notify()
        return {"message_id": message_id, "date": 1749632637199}

    async def _m_sendChatAction(self, call: Call, params: dict[str, Any]) -> Any:
        return True

    # -- webhook delivery ------------------------------------------------------------------

    def _kick_delivery(self) -> None:
        if self.webhook_url and self._updates:
            self.in_background(self._deliver)

    async def _deliver(self) -> None:
        """Post queued updates one by one, retrying until acknowledged with 200."""
        while self.webhook_url and self._updates and not self.closing:
            update = self._updates[0]
            body = {"ok": True, "result": update} if self.wrap_webhook else update
            try:
                status = await self.post_webhook(body, self.webhook_secret)
            except aiohttp.ClientError:
                status = 0
            self.webhook_deliveries.append((update["message"]["message_id"], status))
            self.notify()
            if status == 200:
                if self._updates and self._updates[0] is update:
                    self._updates.popleft()
            else:
                await self.sleep(0.05)

"""A fake Telegram Bot API server: real HTTP on 127.0.0.1, an ephemeral port, no internet.

Point a client at `server.base_url` (PTB's `base_url`) and it serves `/bot<token>/<method>`
and file downloads at `/file/bot<token>/<path>`. Every call is recorded with its decoded
parameters; tests inject updates (served by getUpdates, or POSTed to a registered webhook) and
faults (429, 403, 400, migrations, 5xx, slow answers) and assert on what the client sent.

Parts: `telegram_api` (Bot API rules, error texts, faults, rate limits), `telegram_world` (users,
chats, messages, files, the `push_*` update helpers), `telegram_messages` (send/edit/answer/
upload/download methods) and this module (HTTP, getUpdates long polling, webhook delivery).

    async with FakeTelegramServer() as tg:
        tg.push_text("xin chào")
        ...
        assert tg.sent_to(tg.default_user_id)[0]["text"] == "..."
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from tests.fakes.http_server import FakeHttpServer, read_params
from tests.fakes.telegram_api import (
    CHAT_METHODS,
    DEFAULT_ALLOWED,
    RATE_LIMITED,
    SECRET_TOKEN,
    ApiError,
    Fault,
    RateLimits,
    Upload,
    chat_id_param,
    decode_params,
)
from tests.fakes.telegram_messages import MessageMethods

DEFAULT_TOKEN = "123456789:AAHfakeTOKENfor-tests_0123456789abcdef"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

Handler = Callable[[dict[str, Any], dict[str, Upload]], Awaitable[Any]]


@dataclass
class Call:
    """One API call as received: method, decoded parameters, uploads, and how it ended."""

    method: str
    params: dict[str, Any]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    status: int = 200
    error: str | None = None
    fault: str | None = None


class FakeTelegramServer(MessageMethods, FakeHttpServer[Fault]):
    """The fake Bot API. Use as an async context manager or call `start()` / `close()`.

    Args:
        token: The only token accepted; others get 401 Unauthorized.
        username: The bot's username returned by getMe.
        rate_limits: Enforce Telegram's flood limits with 429 + retry_after (off by default).
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        username: str = "nhacviec_test_bot",
        rate_limits: bool = False,
    ) -> None:
        FakeHttpServer.__init__(self)
        MessageMethods.__init__(
            self,
            {
                "id": int(token.split(":", 1)[0]),
                "is_bot": True,
                "first_name": "Nhắc việc",
                "username": username,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            },
        )
        self.token = token
        self.calls: list[Call] = []
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status)
        self.rate_limits: RateLimits | None = None
        self.first_delivery = 0.0  # loop time of the first and last message stored
        self.last_delivery = 0.0
        self.deliveries: list[tuple[float, int]] = []  # (loop time, chat) of each message
        self.arrived_at: dict[str, float] = {}  # text -> loop time it first arrived
        self._rate_limits_on = rate_limits
        self._allowed: frozenset[str] = DEFAULT_ALLOWED
        self._poll_generation = 0
        self._methods: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "getUpdates": self._get_updates,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_reply_markup,
                "answerCallbackQuery": self._answer_callback_query,
                "sendDocument": self._send_document,
                "sendPhoto": self._send_photo,
                "getFile": self._get_file,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "sendChatAction": self._send_chat_action,
            }.items()
        }

    # -- lifecycle -------------------------------------------------------------------------

    def routes(self, app: web.Application) -> None:
        """The Bot API, file downloads, and stats for a fake in another process."""
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_get("/_fake/stats", self._handle_stats)

    async def started(self) -> None:
        """Start the flood limits' clock on the running loop (if enforced)."""
        if self._rate_limits_on:
            self.rate_limits = RateLimits(asyncio.get_running_loop().time)

    @property
    def base_url(self) -> str:
        """What to pass as PTB's `base_url` (the token is appended by the client)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """What to pass as PTB's `base_file_url`."""
        return f"{self.url}/file/bot"

    # -- assertions ------------------------------------------------------------------------

    def calls_json(self) -> str:
        """Every call so far as JSON (method, params, uploads, outcome), e.g. for a fixture."""
        return json.dumps([asdict(c) for c in self.calls], ensure_ascii=False, indent=1)

    def calls_of(self, method: str) -> list[Call]:
        """Recorded calls of one method (case-insensitive, like Telegram)."""
        return [c for c in self.calls if c.method.lower() == method.lower()]

    async def wait_for(self, method: str, count: int = 1, within: float = 60.0) -> list[Call]:
        """Wait (at most `within` seconds) until `method` was called `count` times."""
        await self.wait_until(lambda: len(self.calls_of(method)) >= count, within)
        return self.calls_of(method)

    # -- fault injection, webhook posts ----------------------------------------------------

    def fail(self, method: str, fault: Fault, times: int = 1) -> None:
        """Make the next `times` calls of `method` (any case, like Telegram) suffer `fault`."""
        super().fail(method.lower(), fault, times)

    async def post_update(
        self,
        url: str,
        update: dict[str, Any] | bytes,
        *,
        secret: str | None,
        content_type: str = "application/json",
    ) -> tuple[int, str]:
        """POST an update to a webhook the way Telegram does; return (status, body)."""
        body = update if isinstance(update, bytes) else json.dumps(update).encode()
        headers = {"Content-Type": content_type}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        return await self.post(url, body, headers)

    # -- HTTP plumbing ---------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        found = self._methods.get(request.match_info["method"].lower())
        if found is None:
            return web.json_response(ApiError(404, "Not Found").body(), status=404)
        name, handler = found
        params, uploads = await _api_params(request)
        files = {
            key: {"filename": u.filename, "content_type": u.content_type, "size": len(u.content)}
            for key, u in uploads.items()
        }
        call = Call(name, params, files)
        self.calls.append(call)
        self.notify()
        fault = self.take_fault(name.lower())
        try:
            if fault and not fault.passthrough:
                call.fault = fault.label
                await self.sleep(fault.delay)
                if fault.reset:
                    return _reset(request)
                if fault.raw_body is not None:
                    call.status, call.error = fault.status, fault.description
                    return web.Response(
                        status=fault.status, body=fault.raw_body, content_type="text/html"
                    )
                raise fault.error()
            if name in CHAT_METHODS:
                self._check_chat(name, params)
            result = await handler(params, uploads)
            if name in RATE_LIMITED:
                now = asyncio.get_running_loop().time()
                self.first_delivery = self.first_delivery or now
                self.last_delivery = now
                self.deliveries.append((now, chat_id_param(params)))
                self.arrived_at.setdefault(str(params.get("text") or params.get("caption")), now)
            if fault:
                call.fault = fault.label
                await self.sleep(fault.delay)
                if fault.reset:
                    return _reset(request)
        except ApiError as err:
            call.status, call.error = err.status, err.description
            return web.json_response(err.body(), status=err.status)
        return web.json_response({"ok": True, "result": result})

    async def _handle_stats(self, request: web.Request) -> web.StreamResponse:
        received: dict[int, int] = defaultdict(int)
        texts: dict[str, int] = defaultdict(int)
        for message in self.sent:
            received[message["chat"]["id"]] += 1
            texts[message.get("text") or message.get("caption") or ""] += 1
        rejected = self.rate_limits.rejected if self.rate_limits else 0
        body = {
            "received": received,
            "texts": texts,
            "rejected": rejected,
            "calls": len(self.calls),
            "span": self.last_delivery - self.first_delivery,
            "arrived_at": self.arrived_at,
        }
        return web.json_response(body)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.Response(status=401, text="Unauthorized")
        path = request.match_info["path"]
        for stored in self._files.values():
            if stored.path == path:
                return web.Response(body=stored.content, content_type="application/octet-stream")
        return web.Response(status=404, text="Not Found")

    def _check_chat(self, method: str, params: dict[str, Any]) -> None:
        chat_id = chat_id_param(params)
        if chat_id in self.migrated:
            raise Fault.migrated(self.migrated[chat_id]).error()
        if chat_id in self.blocked:
            raise (Fault.blocked() if chat_id > 0 else Fault.kicked()).error()
        if self.rate_limits and method in RATE_LIMITED:
            wait = self.rate_limits.check(chat_id)
            if wait is not None:
                raise Fault.flood(wait).error()

    def _queued(self) -> None:
        self.notify()
        self._kick_delivery()

    # -- webhook delivery ------------------------------------------------------------------

    def _kick_delivery(self) -> None:
        # Only loopback webhooks get deliveries: the fake never reaches out of the machine.
        host = urlsplit(self.webhook_url).hostname if self.webhook_url else None
        if host not in ("127.0.0.1", "localhost"):
            return
        if self._pending:
            self.in_background(self._deliver)

    async def _deliver(self) -> None:
        """Post pending updates one by one, retrying (with backoff) until acknowledged."""
        backoff = 0.05
        while self.webhook_url and self._pending and not self.closing:
            update = self._pending[0]
            try:
                status, _ = await self.post_update(
                    self.webhook_url, update, secret=self.webhook_secret
                )
            except aiohttp.ClientError:
                status = 0
            self.webhook_deliveries.append((update["update_id"], status))
            self.notify()
            if 200 <= status < 300:
                if self._pending and self._pending[0] is update:
                    self._pending.pop(0)
                backoff = 0.05
            else:
                await self.sleep(backoff)
                backoff = min(1.0, backoff * 2)

    # -- methods ---------------------------------------------------------------------------

    async def _get_me(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        return self.bot_user

    async def _get_updates(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(0.0, float(params.get("timeout") or 0))
        if isinstance(params.get("allowed_updates"), list):
            self._allowed = frozenset(params["allowed_updates"]) or DEFAULT_ALLOWED
        if offset > 0:
            # Confirming: everything before `offset` is forgotten for good.
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        self._poll_generation += 1
        generation = self._poll_generation
        self.notify()  # an older long poll still waiting now ends with 409
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            self._pending = [u for u in self._pending if _kind(u) in self._allowed]
            ready = self._pending[:limit]
            if ready or self.closing:
                return ready
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return []
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed(), remaining)

    async def _set_webhook(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        url = str(params.get("url") or "")
        secret = params.get("secret_token")
        if secret is not None and not SECRET_TOKEN.match(secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if url and not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        if isinstance(params.get("allowed_updates"), list):
            self._allowed = frozenset(params["allowed_updates"]) or DEFAULT_ALLOWED
        self.webhook_url, self.webhook_secret = url, secret
        self.notify()
        self._kick_delivery()
        return True

    async def _delete_webhook(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        if params.get("drop_pending_updates"):
            self._pending.clear()
        self.webhook_url, self.webhook_secret = "", None
        return True

    async def _get_webhook_info(self, params: dict[str, Any], uploads: dict[str, Upload]) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self.webhook_url:
            info["max_connections"] = 40
            info["allowed_updates"] = sorted(self._allowed)
        return info


def _reset(request: web.Request) -> web.Response:
    """Abort the connection: the client sees it closed with no answer."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=500)  # never reaches the client


def _kind(update: dict[str, Any]) -> str:
    return next(k for k in update if k != "update_id")


async def _api_params(request: web.Request) -> tuple[dict[str, Any], dict[str, Upload]]:
    """A Bot API call from the query string and a form, multipart or JSON body."""
    fields, typed, files = await read_params(request)
    uploads = {key: Upload(*file) for key, file in files.items()}
    return {**decode_params(fields), **typed}, uploads

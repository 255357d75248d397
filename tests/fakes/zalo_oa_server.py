"""A fake Zalo Official Account API and OAuth server: real HTTP on 127.0.0.1, ephemeral port.

Serves `POST /v3.0/oa/message/cs` (the `access_token` header, `error: 0` on success, Zalo's
negative error codes otherwise) and `POST /v4/oa/access_token` (refresh: the `secret_key`
header, a single-use refresh token). Tests issue token pairs, expire them, mark users outside
the messaging window (-230), inject faults (5xx, 429, slow answers), and post signed webhook
events (`X-ZEvent-Signature: mac=sha256(app_id + body + timestamp + OA secret)`).

    async with FakeZaloOAServer() as oa:
        access, refresh = oa.authorize()
        ...
        assert oa.texts_to("user-1") == ["..."]
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.http_server import FakeHttpServer

APP_ID = "4291763606161179100"
SECRET_KEY = "zalo-app-secret-key-TEST-1234"
OA_SECRET = "zalo-oa-secret-key-TEST-5678"
SIGNATURE_HEADER = "X-ZEvent-Signature"


@dataclass
class Fault:
    """Answer a call this way instead (`status` HTTP; `error` and `message` a Zalo error)."""

    status: int = 200
    error: int | None = None
    message: str = ""
    delay: float = 0.0


@dataclass
class Sent:
    """A consultation message the OA sent."""

    user_id: str
    text: str
    message_id: str


@dataclass
class _Tokens:
    access: dict[str, bool] = field(default_factory=dict)  # token -> expired
    refresh: dict[str, str] = field(default_factory=dict)  # token -> valid|used|expired


class FakeZaloOAServer(FakeHttpServer[Fault]):
    """The fake OA API and OAuth server. Use as an async context manager.

    Args:
        app_id: The app id OAuth and webhooks expect.
        secret_key: The app secret OAuth requires in the `secret_key` header.
        oa_secret: The OA secret key webhook signatures are made with.
    """

    def __init__(
        self, app_id: str = APP_ID, secret_key: str = SECRET_KEY, oa_secret: str = OA_SECRET
    ) -> None:
        super().__init__()
        self.app_id = app_id
        self.secret_key = secret_key
        self.oa_secret = oa_secret
        self.sent: list[Sent] = []
        self.send_calls: list[dict[str, Any]] = []  # every send attempt, with its outcome
        self.refresh_calls: list[tuple[str, str]] = []  # (refresh token, outcome)
        self.outside_window: set[str] = set()  # users who have not written for 7 days
        self.not_followers: set[str] = set()
        self.files: dict[str, bytes] = {}
        # Called with the access token of every send before it is checked (test probes).
        self.on_send: Callable[[str], Awaitable[None]] | None = None
        self._tokens = _Tokens()
        self._ids = itertools.count(1)

    def routes(self, app: web.Application) -> None:
        """The message, OAuth and file routes."""
        app.router.add_post("/v3.0/oa/message/cs", self._send)
        app.router.add_post("/v4/oa/access_token", self._refresh)
        app.router.add_get("/files/{name}", self._file)

    @property
    def base_url(self) -> str:
        """What to pass as ZALO_OA_API_BASE_URL and ZALO_OA_OAUTH_BASE_URL."""
        return self.url

    # -- tokens ----------------------------------------------------------------------------

    def authorize(self) -> tuple[str, str]:
        """Issue a fresh pair, as the OAuth code flow does when an admin authorises the OA."""
        n = next(self._ids)
        access, refresh = f"access-{n:04d}-" + "a" * 24, f"refresh-{n:04d}-" + "r" * 24
        self._tokens.access[access] = False
        self._tokens.refresh[refresh] = "valid"
        return access, refresh

    def expire_access(self) -> None:
        """Every access token issued so far expires (the API answers -220)."""
        for token in self._tokens.access:
            self._tokens.access[token] = True

    def expire_refresh(self, token: str) -> None:
        """A refresh token passes its three months."""
        self._tokens.refresh[token] = "expired"

    def refresh_state(self, token: str) -> str | None:
        """valid, used, expired, or None for a token never issued."""
        return self._tokens.refresh.get(token)

    def use_refresh(self, token: str) -> tuple[str, str]:
        """Spend a refresh token out of band (a process that refreshed, then crashed)."""
        assert self._tokens.refresh.get(token) == "valid"
        self._tokens.refresh[token] = "used"
        self.refresh_calls.append((token, "ok"))
        return self.authorize()

    # -- assertions and faults -------------------------------------------------------------

    def texts_to(self, user_id: str) -> list[str]:
        """Texts sent to a user, in order."""
        return [s.text for s in self.sent if s.user_id == user_id]

    def add_file(self, name: str, content: bytes) -> str:
        """Serve a file (an attachment a user sends) and return its URL."""
        self.files[name] = content
        return f"{self.base_url}/files/{name}"

    # -- webhook events --------------------------------------------------------------------

    def text_event(self, user_id: str, text: str, *, msg_id: str | None = None) -> dict[str, Any]:
        """A `user_send_text` event."""
        return {
            "app_id": self.app_id,
            "event_name": "user_send_text",
            "sender": {"id": user_id},
            "recipient": {"id": "579745863508352884"},
            "message": {"msg_id": msg_id or f"msg{next(self._ids):08d}", "text": text},
            "timestamp": str(1_750_000_000_000 + next(self._ids)),
            "user_id_by_app": f"app-{user_id}",
        }

    def file_event(self, user_id: str, url: str, name: str, size: int) -> dict[str, Any]:
        """A `user_send_file` event."""
        event = self.text_event(user_id, "")
        event["event_name"] = "user_send_file"
        event["message"] = {
            "msg_id": f"msg{next(self._ids):08d}",
            "attachments": [{"type": "file", "payload": {"url": url, "name": name, "size": size}}],
        }
        return event

    def follow_event(self, user_id: str) -> dict[str, Any]:
        """A `follow` event (the user pressed "Quan tâm")."""
        return {
            "app_id": self.app_id,
            "event_name": "follow",
            "follower": {"id": user_id},
            "oa_id": "579745863508352884",
            "timestamp": str(1_750_000_000_000 + next(self._ids)),
        }

    def sign(self, body: bytes, timestamp: str) -> str:
        """The signature header value Zalo would send."""
        data = self.app_id.encode() + body + timestamp.encode() + self.oa_secret.encode()
        return "mac=" + hashlib.sha256(data).hexdigest()

    async def deliver(
        self, url: str, event: dict[str, Any], *, signature: str | None = "valid"
    ) -> int:
        """POST an event to a webhook as Zalo does; `signature=None` omits the header."""
        body = json.dumps(event, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if signature == "valid":
            headers[SIGNATURE_HEADER] = self.sign(body, str(event.get("timestamp", "")))
        elif signature is not None:
            headers[SIGNATURE_HEADER] = signature
        return (await self.post(url, body, headers))[0]

    async def wait_sent(self, count: int, within: float = 60.0) -> None:
        """Wait until `count` messages were sent."""
        await self.wait_until(lambda: len(self.sent) >= count, within)

    # -- HTTP ------------------------------------------------------------------------------

    async def _fault(self, endpoint: str) -> web.Response | None:
        fault = self.take_fault(endpoint)
        if fault is None:
            return None
        await self.sleep(fault.delay)
        if fault.error is None and fault.status == 200:
            return None  # only slow
        body = {"error": fault.error or fault.status, "message": fault.message or "fault"}
        return web.json_response(body, status=fault.status)

    def _error(self, call: dict[str, Any], code: int, message: str) -> web.Response:
        call["error"] = code
        return web.json_response({"error": code, "message": message})

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.json()
        call: dict[str, Any] = {"body": body, "error": None}
        self.send_calls.append(call)
        self.notify()
        fault = await self._fault("send")
        if fault is not None:
            call["error"] = fault.status
            return fault
        token = request.headers.get("access_token", "")
        if self.on_send is not None:
            await self.on_send(token)
        if token not in self._tokens.access:
            return self._error(call, -216, "Access token is invalid")
        if self._tokens.access[token]:
            return self._error(call, -220, "access_token is expired or removed")
        user_id = str((body.get("recipient") or {}).get("user_id") or "")
        text = (body.get("message") or {}).get("text")
        if not user_id or not isinstance(text, str) or not 1 <= len(text) <= 2000:
            return self._error(call, -201, "message is invalid")
        if user_id in self.not_followers:
            return self._error(call, -213, "User has not followed OA")
        if user_id in self.outside_window:
            return self._error(call, -230, "User has not interacted with the OA in 7 days")
        message_id = f"{next(self._ids):032x}"
        self.sent.append(Sent(user_id, text, message_id))
        self.notify()
        return web.json_response(
            {
                "error": 0,
                "message": "Success",
                "data": {"message_id": message_id, "user_id": user_id},
            }
        )

    async def _refresh(self, request: web.Request) -> web.Response:
        form = await request.post()
        token = str(form.get("refresh_token", ""))
        fault = await self._fault("refresh")
        if fault is not None:
            self.refresh_calls.append((token, f"fault {fault.status}"))
            return fault
        if request.headers.get("secret_key") != self.secret_key:
            self.refresh_calls.append((token, "bad secret"))
            return web.json_response({"error": -14002, "error_name": "Invalid app secret"})
        if form.get("app_id") != self.app_id or form.get("grant_type") != "refresh_token":
            self.refresh_calls.append((token, "bad request"))
            return web.json_response({"error": -14003, "error_name": "Invalid parameter"})
        state = self._tokens.refresh.get(token)
        if state != "valid":
            outcome = {"used": "already used", "expired": "expired"}.get(state or "", "invalid")
            self.refresh_calls.append((token, outcome))
            return web.json_response(
                {
                    "error": -14014,
                    "error_name": "Invalid refresh token",
                    "error_description": f"refresh_token is {outcome}",
                }
            )
        self._tokens.refresh[token] = "used"
        self.refresh_calls.append((token, "ok"))
        access, refresh = self.authorize()
        return web.json_response(
            {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}
        )

    async def _file(self, request: web.Request) -> web.Response:
        content = self.files.get(request.match_info["name"])
        if content is None:
            return web.Response(status=404)
        return web.Response(body=content, content_type="application/octet-stream")

"""What the web app's middleware and its route modules share: the keys under which a request
carries its session, viewer and language, the signed session cookie, and rendering.

The route modules (auth, pages, files) import this module, never bot.web.app, which imports
them to register their routes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from jinja2 import Environment

from bot.web.config import WebConfig
from store.db import Session, SessionMaker
from store.web_scope import Viewer

CONFIG = web.AppKey("config", WebConfig)
DB = web.AppKey("db", SessionMaker)
ENV = web.AppKey("env", Environment)
REQ_DB = web.RequestKey("nv_db", Session)
REQ_VIEWER = web.RequestKey("nv_viewer", Viewer)
REQ_LOCALE = web.RequestKey("nv_locale", str)
REQ_SECRET = web.RequestKey("nv_session_secret", str)
SESSION_COOKIE = "nv_session"
LANG_COOKIE = "nv_lang"


def now_of(request: web.Request) -> datetime:
    """The current time for this request (the configured clock, for tests)."""
    clock = request.app[CONFIG].clock
    return clock() if clock else datetime.now(UTC)


def db(request: web.Request) -> Session:
    """The request's database session."""
    return request[REQ_DB]


def viewer(request: web.Request) -> Viewer:
    """The signed-in viewer (private pages only)."""
    return request[REQ_VIEWER]


def sign_cookie(key: bytes, secret: str) -> str:
    """`secret.signature`: an HMAC over the session secret, checked before any lookup."""
    mac = hmac.new(key, secret.encode(), hashlib.sha256).digest()
    return f"{secret}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


def unsign_cookie(key: bytes, value: str) -> str | None:
    """The session secret of a well-signed cookie value, else None."""
    secret, _, _sig = value.rpartition(".")
    if not secret or len(value) > 200:
        return None
    return secret if hmac.compare_digest(sign_cookie(key, secret), value) else None


def set_session_cookie(
    response: web.StreamResponse, config: WebConfig, secret: str, *, framed: bool = False
) -> None:
    """Set the session cookie: HTTP-only, SameSite, Secure over HTTPS.

    `framed` (the Mini App, which Telegram's web clients show in an iframe) needs
    `SameSite=None; Partitioned` to be sent at all there, which browsers allow only with
    `Secure`; over plain HTTP (development) it stays `Lax`.
    """
    cross = framed and config.secure
    response.set_cookie(
        SESSION_COOKIE,
        sign_cookie(config.cookie_key, secret),
        path="/app",
        httponly=True,
        secure=config.secure,
        samesite="None" if cross else "Lax",
        partitioned=True if cross else None,
        max_age=12 * 3600,
    )


def url_with(request: web.Request, **changes: object) -> str:
    """This page's address with some query parameters changed (None removes one)."""
    query = dict(request.query)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    return str(request.rel_url.with_query(query))


def redirect(location: str) -> web.Response:
    """A 303 See Other to a path of the app."""
    return web.Response(status=303, headers={"Location": location})


def render(request: web.Request, name: str, *, status: int = 200, **data: Any) -> web.Response:
    """A template rendered in the request's language."""
    env = request.app[ENV]
    html = env.get_template(name).render(
        request=request,
        viewer=request.get(REQ_VIEWER),
        lang=request.get(REQ_LOCALE, "vi"),
        static=lambda f: str(request.app.router["static"].url_for(filename=f)),
        url_with=lambda **changes: url_with(request, **changes),
        **data,
    )
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def parse_int(value: str | None) -> int | None:
    """A positive database id from a URL or query value; None when it is not one."""
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None

"""The web app as an aiohttp application mounted at `/app`: middlewares and routes.

Every request opens one database session (one transaction), reads the signed session cookie,
loads the viewer and what they may see (`store.web_scope`), picks the language (`?lang=`,
then the `lang` cookie, then the person's setting, then Vietnamese) in a ContextVar for this
request only, and leaves with the security headers: a strict CSP that only Telegram's web
clients may frame, `no-store` on every private page, no referrer (links carry tokens).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.web.config import TELEGRAM_FRAMERS, WebConfig
from handlers.i18n import gettext, ngettext, resolve_locale, use_locale
from store.web_scope import Viewer, load_viewer
from store.web_sessions import load_session

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
CONFIG = web.AppKey("config", WebConfig)
DB = web.AppKey("db", async_sessionmaker)
ENV = web.AppKey("env", Environment)
REQ_DB = web.RequestKey("nv_db", AsyncSession)
REQ_VIEWER = web.RequestKey("nv_viewer", Viewer)
REQ_LOCALE = web.RequestKey("nv_locale", str)
REQ_SECRET = web.RequestKey("nv_session_secret", str)
SESSION_COOKIE = "nv_session"
LANG_COOKIE = "nv_lang"
# Pages anyone may open: signing in, the Mini App entry, the static files.
PUBLIC = ("/app/login", "/app/tg", "/app/auth/", "/app/static/", "/app/signed-out")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def now_of(request: web.Request) -> datetime:
    """The current time for this request (the configured clock, for tests)."""
    clock = request.app[CONFIG].clock
    return clock() if clock else datetime.now(UTC)


def db(request: web.Request) -> AsyncSession:
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


def _csp() -> str:
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'self' " + " ".join(TELEGRAM_FRAMERS),
        ]
    )


_HEADERS = {
    "Content-Security-Policy": _csp(),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def _secure(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in _HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path.startswith("/app/static/"):
        # Versioned URLs (`?v=` hash): safe to keep for a day.
        response.headers["Cache-Control"] = "public, max-age=86400"
    else:
        response.headers["Cache-Control"] = "no-store"
    if request.app[CONFIG].secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")


def _locale(request: web.Request, person: Viewer | None) -> str:
    asked = request.query.get("lang")
    if asked in ("vi", "en"):
        return asked
    return resolve_locale(request.cookies.get(LANG_COOKIE), person.locale if person else None)


@web.middleware
async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Database session, viewer, language and security headers around every request."""
    config = request.app[CONFIG]
    if request.path == "/app":
        return redirect("/app/")
    if request.path.startswith("/app/static/"):
        response = await handler(request)
        _secure(request, response)
        return response
    async with request.app[DB]() as session, session.begin():
        request[REQ_DB] = session
        person = await _viewer(request, session, config)
        request[REQ_VIEWER] = person
        locale = _locale(request, person)
        request[REQ_LOCALE] = locale
        with use_locale(locale):
            try:
                if person is None and not request.path.startswith(PUBLIC):
                    response: web.StreamResponse = render(
                        request, "signin.html", status=401, reason="needed"
                    )
                else:
                    response = await handler(request)
            except web.HTTPException as exc:
                # Forbidden and missing look the same: nobody learns what exists elsewhere.
                if exc.status in (403, 404):
                    response = render(request, "error.html", status=404)
                else:
                    response = web.Response(status=exc.status, headers=exc.headers)
    if request.query.get("lang") in ("vi", "en"):
        response.set_cookie(
            LANG_COOKIE, locale, path="/app", httponly=True, samesite="Lax", max_age=31536000
        )
    _secure(request, response)
    return response


async def _viewer(request: web.Request, session: AsyncSession, config: WebConfig) -> Viewer | None:
    raw = request.cookies.get(SESSION_COOKIE)
    secret = unsign_cookie(config.cookie_key, raw) if raw else None
    if secret is None:
        return None
    grant = await load_session(session, secret, now_of(request))
    if grant is None:
        return None
    request[REQ_SECRET] = secret
    person = await load_viewer(
        session,
        grant.user_id,
        identity_id=grant.identity_id,
        chat_pk=grant.chat_pk,
        admin_ids=config.admin_ids,
    )
    return person if person is not None and not person.scope.empty else None


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


def make_env() -> Environment:
    """The Jinja2 environment: autoescaped, translated per request through handlers.i18n."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(("html", "svg")),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # The callables read the request's ContextVar: nothing process-wide is installed.
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    from bot.web import formatting

    env.filters.update(formatting.FILTERS)
    env.globals.update(formatting.GLOBALS)
    return env


def build_web_app(config: WebConfig, sessionmaker: async_sessionmaker) -> web.Application:
    """The web app (mount it at `/app` with `mount_web_app`)."""
    from bot.web import auth, files, pages

    app = web.Application(middlewares=[middleware])
    app[CONFIG] = config
    app[DB] = sessionmaker
    app[ENV] = make_env()
    auth.add_routes(app)
    pages.add_routes(app)
    files.add_routes(app)
    app.router.add_static("/static", HERE / "static", name="static", append_version=True)
    return app


def mount_web_app(
    parent: web.Application, config: WebConfig, sessionmaker: async_sessionmaker
) -> web.Application:
    """Serve the web app under `/app` on an existing aiohttp application (before it starts)."""
    sub = build_web_app(config, sessionmaker)
    parent.add_subapp("/app", sub)
    return sub

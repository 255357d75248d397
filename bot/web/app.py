"""The web app as an aiohttp application mounted at `/app`: middlewares and routes.

Every request opens one database session (one transaction), reads the signed session cookie,
loads the viewer and what they may see (`store.web_scope`), picks the language (`?lang=`,
then the `lang` cookie, then the person's setting, then Vietnamese) in a ContextVar for this
request only, and leaves with the security headers: a strict CSP that only Telegram's web
clients may frame, `no-store` on every private page, no referrer (links carry tokens).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.web.config import TELEGRAM_FRAMERS, WebConfig
from bot.web.shared import (
    CONFIG,
    DB,
    ENV,
    LANG_COOKIE,
    REQ_DB,
    REQ_LOCALE,
    REQ_SECRET,
    REQ_VIEWER,
    SESSION_COOKIE,
    now_of,
    redirect,
    render,
    unsign_cookie,
)
from handlers.i18n import gettext, ngettext, resolve_locale, use_locale
from store.db import Session, SessionMaker
from store.web_scope import Viewer, load_viewer
from store.web_sessions import load_session

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
# Pages anyone may open: signing in, the Mini App entry, the static files.
PUBLIC = ("/app/login", "/app/tg", "/app/auth/", "/app/static/", "/app/signed-out")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


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


async def _viewer(request: web.Request, session: Session, config: WebConfig) -> Viewer | None:
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


def build_web_app(config: WebConfig, sessionmaker: SessionMaker) -> web.Application:
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
    parent: web.Application, config: WebConfig, sessionmaker: SessionMaker
) -> web.Application:
    """Serve the web app under `/app` on an existing aiohttp application (before it starts)."""
    sub = build_web_app(config, sessionmaker)
    parent.add_subapp("/app", sub)
    return sub

"""Signing in without passwords: a one-time link from the bot, or the Telegram Mini App.

A link (`/app/login/TOKEN`) shows a button; only pressing it (a POST) uses the token, so a
link preview or a mail scanner that fetches the page does not burn it. The Mini App page
posts `Telegram.WebApp.initData`, verified with the bot token (`bot.web.initdata`), fresh,
and never seen before. Either way the browser gets a session cookie and nothing else; a
refused sign-in gets a page that says so and no data.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.web.initdata import MAX_AGE, InitDataError, verify_init_data
from bot.web.shared import (
    CONFIG,
    REQ_SECRET,
    REQ_VIEWER,
    SESSION_COOKIE,
    db,
    now_of,
    redirect,
    render,
    set_session_cookie,
)
from handlers.i18n import gettext as _
from store.audit import audit
from store.web_scope import identity_of, load_viewer
from store.web_sessions import (
    Grant,
    claim_init_data,
    consume_link_token,
    create_session,
    peek_link_token,
    revoke_session,
)

logger = logging.getLogger(__name__)


async def login_page(request: web.Request) -> web.StreamResponse:
    """GET /app/login/{token}: a sign-in button, if the link is still good."""
    token = request.match_info["token"]
    if not await peek_link_token(db(request), token, now_of(request)):
        return render(request, "signin.html", status=410, reason="link")
    return render(request, "login.html", token=token)


async def login(request: web.Request) -> web.StreamResponse:
    """POST /app/login: use the one-time token and open a session."""
    form = await request.post()
    token = str(form.get("token", ""))
    now = now_of(request)
    grant = await consume_link_token(db(request), token, now) if token else None
    if grant is None:
        return render(request, "signin.html", status=410, reason="link")
    return await _open_session(request, grant, via="link")


async def telegram_page(request: web.Request) -> web.StreamResponse:
    """GET /app/tg: the Mini App entry; its script posts initData to /app/auth/telegram."""
    if request.get(REQ_VIEWER) is not None:
        return redirect("/app/")
    return render(request, "tg.html")


async def telegram_auth(request: web.Request) -> web.StreamResponse:
    """POST /app/auth/telegram: sign in with verified, fresh, unused Mini App initData."""
    config = request.app[CONFIG]
    form = await request.post()
    init_data = str(form.get("init_data", ""))
    now = now_of(request)
    refused = web.json_response(
        {"ok": False, "message": _("Sign-in refused. Open the dashboard again from the bot.")},
        status=403,
    )
    if not config.bot_token:
        return refused
    try:
        user = verify_init_data(init_data, config.bot_token, now=now)
    except InitDataError as exc:
        logger.warning("Mini App sign-in refused: %s", exc)
        return refused
    session = db(request)
    if not await claim_init_data(session, user.hash, now=now, expires_at=now + 2 * MAX_AGE):
        logger.warning("Mini App sign-in refused: initData replayed")
        return refused
    found = await identity_of(session, "telegram", str(user.user_id))
    if found is None:
        return _not_linked_json()
    grant = Grant(found[0], found[1], None)
    if not await _can_see_something(request, grant):
        return _not_linked_json()
    secret = await create_session(session, grant, via="telegram", now=now)
    audit(session, actor_id=grant.user_id, action="web_sign_in", now=now, detail={"via": "tg"})
    response = web.json_response({"ok": True, "next": "/app/"})
    set_session_cookie(response, config, secret, framed=True)
    return response


def _not_linked_json() -> web.Response:
    message = _("You are not linked to a unit yet, so there is nothing to show.")
    return web.json_response({"ok": False, "message": message}, status=403)


async def _can_see_something(request: web.Request, grant: Grant) -> bool:
    person = await load_viewer(
        db(request),
        grant.user_id,
        identity_id=grant.identity_id,
        chat_pk=grant.chat_pk,
        admin_ids=request.app[CONFIG].admin_ids,
    )
    return person is not None and not person.scope.empty


async def _open_session(request: web.Request, grant: Grant, *, via: str) -> web.StreamResponse:
    if not await _can_see_something(request, grant):
        return render(request, "signin.html", status=403, reason="unlinked")
    now = now_of(request)
    secret = await create_session(db(request), grant, via=via, now=now)
    audit(db(request), actor_id=grant.user_id, action="web_sign_in", now=now, detail={"via": via})
    response = redirect("/app/")
    set_session_cookie(response, request.app[CONFIG], secret)
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    """POST /app/logout: end the session."""
    secret = request.get(REQ_SECRET)
    if secret:
        await revoke_session(db(request), secret, now_of(request))
    response = redirect("/app/signed-out")
    response.del_cookie(SESSION_COOKIE, path="/app")
    return response


async def signed_out(request: web.Request) -> web.StreamResponse:
    """GET /app/signed-out: confirmation."""
    return render(request, "signin.html", reason="signed_out")


def add_routes(app: web.Application) -> None:
    """Mount the sign-in routes."""
    app.router.add_get("/login/{token}", login_page)
    app.router.add_post("/login", login)
    app.router.add_get("/tg", telegram_page)
    app.router.add_post("/auth/telegram", telegram_auth)
    app.router.add_post("/logout", logout)
    app.router.add_get("/signed-out", signed_out)

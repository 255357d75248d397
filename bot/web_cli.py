"""`nhacviec web` (the dashboard alone) and `nhacviec web-link --user CHANNEL:ID`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from datetime import UTC, datetime

from aiohttp import web

from bot.app import open_app, report_rules_from
from bot.config import ConfigError, Settings
from bot.web.app import mount_web_app
from bot.web.config import Fetcher, web_config_from
from store.web_scope import identity_of, load_viewer
from store.web_sessions import create_link_token

logger = logging.getLogger(__name__)


async def web_link(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec web-link --user CHANNEL:ID`: print a one-time sign-in link for that person."""
    base = (settings.public_url or "").rstrip("/")
    if not base:
        raise ConfigError("invalid setting NHACVIEC_PUBLIC_URL: required for sign-in links")
    channel, _, external = args.user.partition(":")
    if not channel or not external:
        print("nhacviec: --user must be CHANNEL:ID, e.g. telegram:123456", file=sys.stderr)
        return 2
    async with open_app(settings) as app, app.sessionmaker() as session, session.begin():
        found = await identity_of(session, channel.lower(), external)
        viewer = None
        if found is not None:
            viewer = await load_viewer(
                session,
                found[0],
                identity_id=found[1],
                chat_pk=None,
                admin_ids=settings.admin_ids,
            )
        if viewer is None or viewer.scope.empty:
            print(f"nhacviec: {args.user} is not a linked official", file=sys.stderr)
            return 1
        token = await create_link_token(
            session, user_id=found[0], identity_id=found[1], chat_pk=None, now=datetime.now(UTC)
        )
    print(f"{base}/app/login/{token}")
    return 0


async def serve_web(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec web`: serve the dashboard on HTTP_HOST:HTTP_PORT until interrupted."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    fetchers, close = _telegram_fetchers(settings)
    config = web_config_from(settings, report_rules_from(settings), fetchers)  # checked first
    try:
        async with open_app(settings) as app:
            parent = web.Application()
            parent.router.add_get("/healthz", _health)
            mount_web_app(parent, config, app.sessionmaker)
            runner = web.AppRunner(parent)
            await runner.setup()
            try:
                site = web.TCPSite(runner, settings.http_host, settings.http_port)
                await site.start()
                print(f"dashboard on {config.public_url}/app/", flush=True)
                await stop.wait()
            finally:
                await runner.cleanup()
    finally:
        if close is not None:
            await close()
    return 0


def _telegram_fetchers(settings: Settings) -> tuple[dict[str, Fetcher], object]:
    """Evidence downloads through Telegram (a channel that is built, never started)."""
    if settings.telegram_bot_token is None:
        return {}, None
    from bot.channels.telegram.channel import TelegramChannel
    from bot.channels.telegram.menu import file_fetcher

    channel = TelegramChannel(
        settings.telegram_bot_token.get_secret_value(), base_url=settings.telegram_api_base_url
    )
    return {"telegram": file_fetcher(channel)}, channel._shutdown


async def _health(request: web.Request) -> web.Response:
    return web.Response(text="ok")

"""`nhacviec run`: the configured channels (and their webhook server) until stopped."""

from __future__ import annotations

import asyncio
import dataclasses
import logging

from aiohttp import web

from bot.app import App, open_app
from bot.config import Settings
from handlers.menu import command_menu

logger = logging.getLogger(__name__)


async def run_channels(settings: Settings, stop: asyncio.Event) -> None:
    """Start every configured channel, serve webhooks, and wait for `stop`."""
    async with open_app(settings) as app:
        web_app = web.Application(client_max_size=settings.max_upload_bytes)
        web_app.router.add_get("/healthz", _health)
        telegram = _telegram(settings, web_app)
        runner: web.AppRunner | None = None
        if settings.telegram_webhook_url:
            runner = web.AppRunner(web_app)
            await runner.setup()
            await web.TCPSite(runner, settings.http_host, settings.http_port).start()
            logger.info("webhook server on %s:%s", settings.http_host, settings.http_port)
        try:
            if telegram is not None:
                await _start_telegram(app, telegram)
            await stop.wait()
        finally:
            for channel in list(app.channels.values()):
                await channel.stop()
            if runner is not None:
                await runner.cleanup()


def _telegram(settings: Settings, web_app: web.Application):  # type: ignore[no-untyped-def]
    if settings.telegram_bot_token is None:
        return None
    from bot.channels.telegram import TelegramChannel

    secret = settings.telegram_webhook_secret
    return TelegramChannel(
        settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_api_base_url,
        webhook_url=settings.telegram_webhook_url,
        webhook_secret=secret.get_secret_value() if secret else None,
        webhook_app=web_app if settings.telegram_webhook_url else None,
    )


async def _start_telegram(app: App, channel) -> None:  # type: ignore[no-untyped-def]
    app.add_channel(channel)
    await channel.start(app.dispatcher)
    app.dispatcher.options = dataclasses.replace(
        app.dispatcher.options, bot_username=channel.bot_username
    )
    try:
        await channel.set_commands(command_menu())
    except Exception as exc:  # the bot works without a menu
        logger.warning("could not publish the command menu: %s", type(exc).__name__)


async def _health(request: web.Request) -> web.Response:
    return web.Response(text="ok")

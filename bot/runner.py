"""`nhacviec run`: the configured channels (and their webhook server) until stopped."""

from __future__ import annotations

import asyncio
import dataclasses
import logging

from aiohttp import web

from bot.app import App, open_app
from bot.channels.zalo_setup import needs_webhook_server, zalo_channels
from bot.config import Settings
from bot.push_runtime import PushRuntime
from handlers.menu import command_menu
from scheduler.broadcasts import BroadcastPump

logger = logging.getLogger(__name__)


async def run_channels(settings: Settings, stop: asyncio.Event) -> None:
    """Start every configured channel, serve webhooks, and wait for `stop`."""
    async with open_app(settings) as app:
        web_app = web.Application(client_max_size=settings.max_upload_bytes)
        web_app.router.add_get("/healthz", _health)
        telegram = _telegram(settings, web_app)
        zalo = zalo_channels(settings, web_app, app.sessionmaker)  # routes mounted, not started
        runner: web.AppRunner | None = None
        if settings.telegram_webhook_url or needs_webhook_server(settings):
            runner = web.AppRunner(web_app)
            await runner.setup()
            await web.TCPSite(runner, settings.http_host, settings.http_port).start()
            logger.info("webhook server on %s:%s", settings.http_host, settings.http_port)
        pushes = PushRuntime(app)
        pump_stop = asyncio.Event()
        pumping: asyncio.Task[None] | None = None
        try:
            if telegram is not None:
                await _start_telegram(app, telegram)
            for channel in zalo:
                app.add_channel(channel)
                await channel.start(app.dispatcher)
            # After every channel is added: the outbox dispatcher sends on the ones it sees.
            await pushes.start()
            # Confirmed broadcasts are fanned out into the outbox here, for these channels.
            pump = BroadcastPump(
                app.sessionmaker,
                tz=settings.tz,
                channels=set(app.channels),
                wake=pushes.dispatcher.wake if pushes.dispatcher else None,
            )
            pumping = asyncio.create_task(pump.run_forever(pump_stop), name="broadcasts")
            await stop.wait()
        finally:
            pump_stop.set()
            if pumping is not None:
                await pumping
            # Jobs and sends stop before the channels they send through.
            await pushes.stop()
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

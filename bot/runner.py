"""`nhacviec run`: the configured channels (and their webhook server) until stopped.

Order matters: the outbox dispatcher starts before any channel receives, so the very first
reply already goes through the shared rate limiter (`scheduler.outbox.reply`); settings are
checked before the database is opened, and a channel that cannot start ends start-up with one
line (`StartupError`), after transient platform errors were retried with backoff.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging

from aiohttp import web

from bot.app import App, open_app
from bot.channel_setup import needs_webhook_server, zalo_channels
from bot.config import ConfigError, Settings
from bot.push_runtime import PushRuntime
from bot.web.app import mount_web_app
from bot.web.mount import publish_menu_button, web_config_for_run
from handlers.menu import command_menu
from scheduler.broadcasts import BroadcastPump

logger = logging.getLogger(__name__)


class StartupError(ConfigError, RuntimeError):
    """A channel could not start (token refused, platform down after retries): one line."""


async def run_channels(settings: Settings, stop: asyncio.Event) -> None:
    """Start every configured channel, serve webhooks, and wait for `stop`."""
    web_app = web.Application(client_max_size=settings.max_upload_bytes)
    web_app.router.add_get("/healthz", _health)
    telegram = _telegram(settings, web_app)  # a bad setting stops us before the database
    web_config = web_config_for_run(settings, telegram)  # the dashboard (bot/web), if on
    async with open_app(settings) as app:
        zalo = zalo_channels(settings, web_app, app.sessionmaker)  # routes mounted, not started
        if web_config is not None:
            mount_web_app(web_app, web_config, app.sessionmaker)
        runner: web.AppRunner | None = None
        if settings.telegram_webhook_url or needs_webhook_server(settings) or web_config:
            runner = web.AppRunner(web_app)
            await runner.setup()
            await web.TCPSite(runner, settings.http_host, settings.http_port).start()
            logger.info("webhook server on %s:%s", settings.http_host, settings.http_port)
        pushes = PushRuntime(app)
        pump_stop = asyncio.Event()
        pumping: asyncio.Task[None] | None = None
        try:
            for channel in [telegram, *zalo] if telegram is not None else zalo:
                app.add_channel(channel)
            # After every channel is added (the dispatcher sends on the ones it sees), before
            # any receives: replies take the dispatcher's rate limiter from the first one on.
            await pushes.start()
            pushes.route_replies(app.dispatcher.channels)
            if telegram is not None:
                await _start(telegram, app, _telegram_started)
            for channel in zalo:
                await _start(channel, app)
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
    from bot.channels.telegram.channel import TelegramChannel
    from bot.channels.webhook import WebhookOptions

    secret = settings.telegram_webhook_secret
    url = settings.telegram_webhook_url
    try:
        return TelegramChannel(
            settings.telegram_bot_token.get_secret_value(),
            base_url=settings.telegram_api_base_url,
            webhook=WebhookOptions(
                url=url,
                secret=secret.get_secret_value() if secret else None,
                app=web_app if url else None,
            ),
        )
    except ValueError as exc:  # the message names the setting
        raise ConfigError(f"invalid setting {exc}") from None


async def _start(channel, app: App, then=None) -> None:  # type: ignore[no-untyped-def]
    try:
        await channel.start(app.dispatcher)
    except RuntimeError as exc:  # the channel's message is one line without secrets
        raise StartupError(str(exc)) from None
    if then is not None:
        await then(app, channel)


async def _telegram_started(app: App, channel) -> None:  # type: ignore[no-untyped-def]
    app.dispatcher.options = dataclasses.replace(
        app.dispatcher.options, bot_username=channel.bot_username
    )
    try:
        await channel.set_commands(command_menu())
    except Exception as exc:  # the bot works without a menu
        logger.warning("could not publish the command menu: %s", type(exc).__name__)
    await publish_menu_button(app.settings, channel)


async def _health(request: web.Request) -> web.Response:
    return web.Response(text="ok")

"""Building the Zalo channels from the settings (for `nhacviec run` and one-shot commands).

Zalo Bot Platform: ZALO_BOT_TOKEN enables it; ZALO_WEBHOOK_URL (+ ZALO_WEBHOOK_SECRET) switches
it from long polling to a webhook served on the bot's HTTP server at that URL's path.
Zalo OA: ZALO_OA_APP_ID enables it, and then ZALO_OA_SECRET_KEY and ZALO_OA_WEBHOOK_SECRET are
required; the token pair comes from ZALO_OA_ACCESS_TOKEN / ZALO_OA_REFRESH_TOKEN on first start
and from the database after that. The OA only has webhooks.

The channels hold no database access: what they need from it is wired in here (the linked-group
lookup for the Bot Platform, the token store for the OA).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from bot.channels.webhook import WebhookOptions
from bot.config import ConfigError, Settings
from handlers.types import Channel
from store.db import SessionMaker
from store.group_chats import is_linked_group
from store.tokens import DatabaseTokenStore

_DEFAULT_BOT_PATH = "/zalo/webhook"


def _secret(value: object) -> str | None:
    get = getattr(value, "get_secret_value", None)
    return get() if callable(get) else None


def check_zalo_settings(settings: Settings) -> None:
    """Raise ConfigError naming the first missing or invalid Zalo setting."""
    if settings.zalo_webhook_url:
        if settings.zalo_bot_token is None:
            raise ConfigError("invalid setting ZALO_WEBHOOK_URL: ZALO_BOT_TOKEN is not set")
        secret = _secret(settings.zalo_webhook_secret) or ""
        if not 8 <= len(secret) <= 256:
            raise ConfigError("invalid setting ZALO_WEBHOOK_SECRET: must be 8-256 characters")
    elif settings.zalo_webhook_secret is not None:
        raise ConfigError("invalid setting ZALO_WEBHOOK_SECRET: ZALO_WEBHOOK_URL is not set")
    if settings.zalo_oa_app_id:
        for name, value in (
            ("ZALO_OA_SECRET_KEY", settings.zalo_oa_secret_key),
            ("ZALO_OA_WEBHOOK_SECRET", settings.zalo_oa_webhook_secret),
        ):
            if not _secret(value):
                raise ConfigError(f"missing setting {name}: required with ZALO_OA_APP_ID")
        if not settings.zalo_oa_webhook_path.startswith("/"):
            raise ConfigError("invalid setting ZALO_OA_WEBHOOK_PATH: must start with /")


def zalo_configured(settings: Settings) -> bool:
    """True if a Zalo channel (Bot Platform or OA) is configured."""
    return settings.zalo_bot_token is not None or bool(settings.zalo_oa_app_id)


def needs_webhook_server(settings: Settings) -> bool:
    """True if a Zalo channel receives by webhook on the bot's HTTP server."""
    return bool(settings.zalo_webhook_url and settings.zalo_bot_token) or bool(
        settings.zalo_oa_app_id
    )


def group_lookup(sessionmaker: SessionMaker) -> Callable[[str], Awaitable[bool]]:
    """A check whether a Zalo chat id is a linked group (for the Bot Platform channel)."""

    async def is_group(chat_id: str) -> bool:
        """True if a Zalo group chat with this id was linked (a `Chat` row)."""
        async with sessionmaker() as s:
            return await is_linked_group(s, "zalo", chat_id)

    return is_group


def zalo_channels(
    settings: Settings, web_app: web.Application | None, sessionmaker: SessionMaker
) -> list[Channel]:
    """The configured Zalo channels, webhook routes mounted on `web_app` (not started).

    Without `web_app` (one-shot commands that only send) no route is mounted.

    Raises:
        ConfigError: A Zalo setting is missing or invalid.
    """
    check_zalo_settings(settings)
    channels: list[Channel] = []
    token = _secret(settings.zalo_bot_token)
    if token:
        from bot.channels.zalo.channel import ZaloBotChannel

        url = settings.zalo_webhook_url if web_app is not None else None
        webhook = WebhookOptions()
        if url:
            webhook = WebhookOptions(
                url=url,
                secret=_secret(settings.zalo_webhook_secret),
                app=web_app,
                path=urlsplit(url).path or _DEFAULT_BOT_PATH,
            )
        channels.append(
            ZaloBotChannel(
                token,
                base_url=settings.zalo_api_base_url,
                webhook=webhook,
                max_download_bytes=settings.max_upload_bytes,
                group_lookup=group_lookup(sessionmaker),
            )
        )
    if settings.zalo_oa_app_id:
        from bot.channels.zalo_oa.channel import ZaloOAChannel
        from bot.channels.zalo_oa.tokens import PROVIDER
        from bot.channels.zalo_oa.window import WindowPolicy

        channels.append(
            ZaloOAChannel(
                app_id=settings.zalo_oa_app_id,
                secret_key=_secret(settings.zalo_oa_secret_key) or "",
                oa_secret_key=_secret(settings.zalo_oa_webhook_secret) or "",
                tokens=DatabaseTokenStore(sessionmaker, PROVIDER),
                access_token=_secret(settings.zalo_oa_access_token),
                refresh_token=_secret(settings.zalo_oa_refresh_token),
                api_base=settings.zalo_oa_api_base_url,
                oauth_base=settings.zalo_oa_oauth_base_url,
                window=WindowPolicy(paid=settings.zalo_oa_paid_messages),
                webhook=WebhookOptions(app=web_app, path=settings.zalo_oa_webhook_path),
                max_download_bytes=settings.max_upload_bytes,
            )
        )
    return channels

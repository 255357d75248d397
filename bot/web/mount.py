"""How `nhacviec run` serves the dashboard next to the webhooks, and the Mini App button."""

from __future__ import annotations

import logging
from typing import Any

from bot.config import Settings
from bot.web.config import WebConfig, web_config_from, web_enabled
from handlers.i18n import translations

logger = logging.getLogger(__name__)


def web_config_for_run(settings: Settings, telegram: Any | None) -> WebConfig | None:
    """The dashboard's configuration when NHACVIEC_PUBLIC_URL is set (checked), else None.

    Evidence is fetched through the running Telegram channel when there is one.
    """
    if not web_enabled(settings):
        return None
    from bot.app import report_rules_from

    fetchers = {}
    if telegram is not None:
        from bot.channels.telegram.menu import file_fetcher

        fetchers["telegram"] = file_fetcher(telegram)
    return web_config_from(settings, report_rules_from(settings), fetchers)


async def publish_menu_button(settings: Settings, telegram: Any) -> None:
    """Point the bot's menu button at the Mini App when TELEGRAM_WEBAPP_URL is set."""
    if not settings.telegram_webapp_url:
        return
    from bot.channels.telegram.menu import set_webapp_menu

    text = translations("vi").gettext("Dashboard")
    try:
        await set_webapp_menu(telegram, settings.telegram_webapp_url, text)
    except Exception as exc:  # the bot works without the button
        logger.warning("could not set the Mini App menu button: %s", type(exc).__name__)

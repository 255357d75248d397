"""The Telegram menu button that opens the dashboard as a Mini App (TELEGRAM_WEBAPP_URL)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import MenuButtonWebApp, WebAppInfo


async def set_webapp_menu(channel: Any, url: str, text: str) -> None:
    """Make the bot's menu button (in every private chat) open `url` as a Mini App."""
    await channel._ensure_bot()
    button = MenuButtonWebApp(text=text, web_app=WebAppInfo(url=url))
    await channel._call(channel._app.bot.set_chat_menu_button(menu_button=button))


def file_fetcher(channel: Any) -> Callable[[str], Awaitable[bytes]]:
    """Download a file by its Telegram `file_id` through the channel (evidence in the web app)."""

    async def fetch(file_id: str) -> bytes:
        return await channel._fetcher(file_id)()

    return fetch

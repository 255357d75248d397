"""The web app's settings, taken from the one Settings object and checked when it runs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.config import ConfigError, Settings
from handlers.tasks.daily import ReportRules

#: Downloads an evidence file by the channel's reference (e.g. a Telegram file_id).
Fetcher = Callable[[str], Awaitable[bytes]]
Clock = Callable[[], datetime]

#: Telegram's web clients, the only pages allowed to frame the app (the Mini App in a browser).
TELEGRAM_FRAMERS = ("https://web.telegram.org",)


@dataclass(frozen=True, slots=True)
class WebConfig:
    """What the web app needs: its address, keys, clock, zone and scoring rules."""

    public_url: str
    cookie_key: bytes
    tz: ZoneInfo
    rules: ReportRules
    bot_token: str | None = None
    admin_ids: frozenset[tuple[str, str]] = frozenset()
    fetchers: Mapping[str, Fetcher] = field(default_factory=dict)
    clock: Clock | None = None
    page_size: int = 50

    @property
    def secure(self) -> bool:
        """Whether the app is reached over HTTPS (cookies then carry `Secure`)."""
        return self.public_url.startswith("https://")

    def link(self, path: str) -> str:
        """An absolute address under the app (for links sent in chat)."""
        return self.public_url.rstrip("/") + path


def check_web_settings(settings: Settings) -> tuple[str, bytes]:
    """The public URL and cookie key; ConfigError naming the setting when one is bad."""
    url = (settings.public_url or "").strip()
    parts = urlsplit(url)
    if not url:
        raise ConfigError("invalid setting NHACVIEC_PUBLIC_URL: required for the web app")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError("invalid setting NHACVIEC_PUBLIC_URL: expected http(s)://host[:port]")
    secret = settings.web_secret.get_secret_value() if settings.web_secret else ""
    if len(secret) < 32:
        raise ConfigError(
            "invalid setting NHACVIEC_WEB_SECRET: required for the web app, at least 32 "
            "characters (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
        )
    return url.rstrip("/"), secret.encode()


def web_enabled(settings: Settings) -> bool:
    """`nhacviec run` serves the web app when NHACVIEC_PUBLIC_URL is set."""
    return bool(settings.public_url)


def web_config_from(
    settings: Settings, rules: ReportRules, fetchers: Mapping[str, Fetcher] | None = None
) -> WebConfig:
    """The web app's configuration from the settings (checked)."""
    url, key = check_web_settings(settings)
    token = settings.telegram_bot_token
    return WebConfig(
        public_url=url,
        cookie_key=key,
        tz=settings.tz,
        rules=rules,
        bot_token=token.get_secret_value() if token else None,
        admin_ids=settings.admin_ids,
        fetchers=dict(fetchers or {}),
    )

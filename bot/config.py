"""One frozen settings object, read from the environment once at start."""

from __future__ import annotations

from datetime import date, time
from functools import cached_property
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings.exceptions import SettingsError


class ConfigError(Exception):
    """A missing or invalid setting; the message names it in one line."""


class Settings(BaseSettings):
    """Every setting of the bot (environment variables, optionally a `.env` file)."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        frozen=True,
        extra="ignore",
        populate_by_name=True,
    )

    database_url: str = Field(
        default_factory=lambda: f"sqlite:///{Path.cwd() / 'nhacviec.sqlite3'}",
        alias="DATABASE_URL",
    )
    telegram_bot_token: SecretStr | None = Field(None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field(
        "https://api.telegram.org/bot", alias="TELEGRAM_API_BASE_URL"
    )
    telegram_webhook_url: str | None = Field(None, alias="TELEGRAM_WEBHOOK_URL")
    telegram_webhook_secret: SecretStr | None = Field(None, alias="TELEGRAM_WEBHOOK_SECRET")
    zalo_bot_token: SecretStr | None = Field(None, alias="ZALO_BOT_TOKEN")
    zalo_api_base_url: str = Field("https://bot-api.zaloplatforms.com", alias="ZALO_API_BASE_URL")
    zalo_webhook_url: str | None = Field(None, alias="ZALO_WEBHOOK_URL")
    zalo_webhook_secret: SecretStr | None = Field(None, alias="ZALO_WEBHOOK_SECRET")
    admins: str = Field("", alias="NHACVIEC_ADMINS")
    timezone: str = Field("Asia/Ho_Chi_Minh", alias="NHACVIEC_TIMEZONE")
    reminder_time: time = Field(time(16, 0), alias="NHACVIEC_REMINDER_TIME")
    nudge_time: time | None = Field(time(15, 0), alias="NHACVIEC_NUDGE_TIME")
    digest_time: time = Field(time(8, 0), alias="NHACVIEC_DIGEST_TIME")
    extra_holidays: Annotated[list[date], NoDecode] = Field(
        default_factory=list, alias="NHACVIEC_EXTRA_HOLIDAYS"
    )
    extra_workdays: Annotated[list[date], NoDecode] = Field(
        default_factory=list, alias="NHACVIEC_EXTRA_WORKDAYS"
    )
    max_upload_bytes: int = Field(10_000_000, alias="NHACVIEC_MAX_UPLOAD_BYTES", gt=0)
    http_host: str = Field("0.0.0.0", alias="HTTP_HOST")
    http_port: int = Field(8080, alias="HTTP_PORT", ge=0, le=65535)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("admins")
    @classmethod
    def _admin_list(cls, value: str) -> str:
        for item in filter(None, (p.strip() for p in value.split(","))):
            channel, _, ident = item.partition(":")
            if not channel or not ident:
                raise ValueError(f"expected channel:id, got {item!r}")
        return value

    @field_validator("extra_holidays", "extra_workdays", mode="before")
    @classmethod
    def _date_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [p.strip() for p in value.split(",") if p.strip()]
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        """The zone that "today" and "this month" mean."""
        return ZoneInfo(self.timezone)

    @cached_property
    def admin_ids(self) -> frozenset[tuple[str, str]]:
        """(channel, user id) pairs allowed to administer the bot."""
        pairs = set()
        for item in filter(None, (p.strip() for p in self.admins.split(","))):
            channel, _, ident = item.partition(":")
            pairs.add((channel.strip().lower(), ident.strip()))
        return frozenset(pairs)


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; raise ConfigError naming the first bad one."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        field = err["loc"][0] if err["loc"] else "?"
        name = _env_name(str(field))
        raise ConfigError(f"invalid setting {name}: {err['msg']}") from None
    except SettingsError as exc:
        raise ConfigError(f"invalid setting: {exc}") from None


def _env_name(field: str) -> str:
    info = Settings.model_fields.get(field)
    if info is not None and info.alias:
        return info.alias
    return field

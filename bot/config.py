"""One frozen settings object, read from the environment once at start."""

from __future__ import annotations

from datetime import date, time
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
)
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
    # Zalo Official Account: enabled by ZALO_OA_APP_ID (see bot/channel_setup.py).
    zalo_oa_app_id: str | None = Field(None, alias="ZALO_OA_APP_ID")
    zalo_oa_secret_key: SecretStr | None = Field(None, alias="ZALO_OA_SECRET_KEY")
    zalo_oa_webhook_secret: SecretStr | None = Field(None, alias="ZALO_OA_WEBHOOK_SECRET")
    zalo_oa_access_token: SecretStr | None = Field(None, alias="ZALO_OA_ACCESS_TOKEN")
    zalo_oa_refresh_token: SecretStr | None = Field(None, alias="ZALO_OA_REFRESH_TOKEN")
    zalo_oa_api_base_url: str = Field("https://openapi.zalo.me", alias="ZALO_OA_API_BASE_URL")
    zalo_oa_oauth_base_url: str = Field(
        "https://oauth.zaloapp.com", alias="ZALO_OA_OAUTH_BASE_URL"
    )
    zalo_oa_webhook_path: str = Field("/zalo-oa/webhook", alias="ZALO_OA_WEBHOOK_PATH")
    zalo_oa_paid_messages: bool = Field(False, alias="ZALO_OA_PAID_MESSAGES")
    admins: str = Field("", alias="NHACVIEC_ADMINS")
    timezone: str = Field("Asia/Ho_Chi_Minh", alias="NHACVIEC_TIMEZONE")
    reminder_time: time = Field(time(16, 0), alias="NHACVIEC_REMINDER_TIME")
    # Before nudge_time: its validator reads it (a disabled nudge's time is not checked).
    nudge_enabled: bool = Field(True, alias="NHACVIEC_NUDGE_ENABLED")
    nudge_time: time | None = Field(time(15, 0), alias="NHACVIEC_NUDGE_TIME")
    # After the 16:00 cut-off, so "who has not reported today" means something.
    digest_time: time = Field(time(16, 30), alias="NHACVIEC_DIGEST_TIME")
    scoreboard_time: time = Field(time(8, 30), alias="NHACVIEC_SCOREBOARD_TIME")
    quiet_after: time = Field(time(21, 0), alias="NHACVIEC_QUIET_AFTER")
    reminder_horizon_days: int = Field(30, alias="NHACVIEC_REMINDER_HORIZON_DAYS", ge=0, le=366)
    score_weight_completion: float = Field(0.6, alias="NHACVIEC_SCORE_WEIGHT_COMPLETION", ge=0)
    score_weight_discipline: float = Field(0.4, alias="NHACVIEC_SCORE_WEIGHT_DISCIPLINE", ge=0)
    score_late_credit: float = Field(0.5, alias="NHACVIEC_SCORE_LATE_CREDIT", ge=0, le=1)
    scheduler_enabled: bool = Field(True, alias="NHACVIEC_SCHEDULER_ENABLED")
    leader_lock_id: int = Field(
        0x6E686163, alias="NHACVIEC_LEADER_LOCK_ID", ge=-(2**63), le=2**63 - 1
    )
    leader_retry_seconds: float = Field(15.0, alias="NHACVIEC_LEADER_RETRY_SECONDS", gt=0)
    extra_holidays: Annotated[list[date], NoDecode] = Field(
        default_factory=list, alias="NHACVIEC_EXTRA_HOLIDAYS"
    )
    extra_workdays: Annotated[list[date], NoDecode] = Field(
        default_factory=list, alias="NHACVIEC_EXTRA_WORKDAYS"
    )
    max_upload_bytes: int = Field(10_000_000, alias="NHACVIEC_MAX_UPLOAD_BYTES", gt=0)
    # Language of the command line's output (`--lang` overrides it per command).
    cli_lang: Literal["vi", "en"] = Field("vi", alias="NHACVIEC_LANG")
    # Daily housekeeping (scheduler/housekeeping.py): what is purged, and how old it must be.
    housekeeping_time: time = Field(time(3, 0), alias="NHACVIEC_HOUSEKEEPING_TIME")
    processed_retention_days: int = Field(
        7, alias="NHACVIEC_PROCESSED_RETENTION_DAYS", ge=1, le=3650
    )
    conversation_retention_days: int = Field(
        2, alias="NHACVIEC_CONVERSATION_RETENTION_DAYS", ge=1, le=3650
    )
    housekeeping_batch: int = Field(1000, alias="NHACVIEC_HOUSEKEEPING_BATCH", ge=1, le=100_000)
    http_host: str = Field("0.0.0.0", alias="HTTP_HOST")
    http_port: int = Field(8080, alias="HTTP_PORT", ge=0, le=65535)
    # The web app (bot/web): where officials reach it (one-time links), the Mini App menu
    # button, and the key that signs session cookies (checked only when the web app runs).
    public_url: str | None = Field(None, alias="NHACVIEC_PUBLIC_URL")
    telegram_webapp_url: str | None = Field(None, alias="TELEGRAM_WEBAPP_URL")
    web_secret: SecretStr | None = Field(None, alias="NHACVIEC_WEB_SECRET")

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

    @field_validator("nudge_time", mode="wrap")
    @classmethod
    def _nudge_only_if_enabled(
        cls, value: object, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> time | None:
        if info.data.get("nudge_enabled") is False:
            return None  # settings of a disabled feature are not checked
        return handler(value)

    @field_validator("nudge_time")
    @classmethod
    def _nudge_before_reminder(cls, value: time | None, info: ValidationInfo) -> time | None:
        reminder = info.data.get("reminder_time")
        if value is not None and reminder is not None and value >= reminder:
            raise ValueError("the nudge must come before NHACVIEC_REMINDER_TIME")
        return value

    @field_validator("score_weight_discipline")
    @classmethod
    def _some_weight(cls, value: float, info: ValidationInfo) -> float:
        if value + info.data.get("score_weight_completion", 0.0) <= 0:
            raise ValueError("at least one score weight must be positive")
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
        message = str(err["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"invalid setting {name}: {message}") from None
    except SettingsError as exc:
        raise ConfigError(f"invalid setting: {exc}") from None


def _env_name(field: str) -> str:
    info = Settings.model_fields.get(field)
    if info is not None and info.alias:
        return info.alias
    return field

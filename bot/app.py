"""Wiring: database, dispatcher and channels, and their lifecycle."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings
from handlers.context import Options
from handlers.tasks.daily import ReportRules
from handlers.types import Channel
from scheduler.calendar import WorkCalendar
from store.db import Engine, SessionMaker, make_engine, make_sessionmaker, upgrade
from store.units import seed_units, unit_count

if TYPE_CHECKING:  # the conversation is imported when an app is opened, not by every command
    from handlers.dispatcher import Clock, Dispatcher

logger = logging.getLogger(__name__)


@dataclass
class App:
    """The running pieces: engine, session factory, dispatcher and channels."""

    settings: Settings
    engine: Engine
    sessionmaker: SessionMaker
    dispatcher: Dispatcher
    channels: dict[str, Channel] = field(default_factory=dict)

    def add_channel(self, channel: Channel) -> None:
        """Register a channel so replies and pushes can reach it."""
        self.channels[channel.name] = channel
        self.dispatcher.channels[channel.name] = channel


def options_from(
    settings: Settings, extra_admins: frozenset[tuple[str, str]] = frozenset()
) -> Options:
    """The conversation options derived from the settings."""
    return Options(
        tz=settings.tz,
        admins=settings.admin_ids | extra_admins,
        max_upload_bytes=settings.max_upload_bytes,
        reporting=report_rules_from(settings),
        web_url=settings.public_url.rstrip("/") if settings.public_url else None,
    )


def work_calendar_from(settings: Settings) -> WorkCalendar:
    """The working-day calendar with the Government's announced swaps from the settings."""
    try:
        return WorkCalendar(settings.extra_holidays, settings.extra_workdays)
    except ValueError as exc:
        raise ConfigError(f"invalid setting NHACVIEC_EXTRA_WORKDAYS: {exc}") from None


def report_rules_from(settings: Settings, calendar: WorkCalendar | None = None) -> ReportRules:
    """The daily reporting rules and score weights derived from the settings."""
    return ReportRules(
        cutoff=settings.reminder_time,
        horizon_days=settings.reminder_horizon_days,
        weight_completion=settings.score_weight_completion,
        weight_discipline=settings.score_weight_discipline,
        late_credit=settings.score_late_credit,
        is_workday=(calendar or work_calendar_from(settings)).is_workday,
    )


async def prepare_database(engine: Engine, sessionmaker: SessionMaker) -> None:
    """Upgrade the schema and seed the unit registry on first use."""
    await upgrade(engine)
    async with sessionmaker() as session, session.begin():
        if not await unit_count(session):
            added = await seed_units(session)
            logger.info("seeded %d units", added)


@asynccontextmanager
async def open_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    extra_admins: frozenset[tuple[str, str]] = frozenset(),
) -> AsyncIterator[App]:
    """Open the database (migrated and seeded) and build the dispatcher; close on exit."""
    from handlers.dispatcher import Dispatcher, utc_now
    from handlers.flood import FloodGuard

    engine = make_engine(settings.database_url)
    try:
        sessionmaker = make_sessionmaker(engine)
        await prepare_database(engine, sessionmaker)
        dispatcher = Dispatcher(
            sessionmaker,
            options_from(settings, extra_admins),
            clock or utc_now,
            flood=FloodGuard(),
        )
        yield App(settings, engine, sessionmaker, dispatcher)
    finally:
        await engine.dispose()

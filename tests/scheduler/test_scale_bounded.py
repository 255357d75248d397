"""Every job runs on a database with more overdue work than a statement may bind parameters.

PostgreSQL refuses statements with more than 32,767 bound parameters; a job that bound every
overdue assignment (or every unit) in one `IN` list failed there on every retry.
"""

from __future__ import annotations

from datetime import date

from handlers.parsing.periods import month_period
from scheduler.digest import DIGEST
from scheduler.jobs import JobConfig, run_job
from scheduler.reminders import REMINDER
from scheduler.scoreboard import scoreboard_for
from tests.bench.scale_seed import TZ, Shape, seed_world
from tests.scheduler.pushworld import local

TODAY = date(2025, 7, 15)  # a Tuesday, no holiday
SHAPE = Shape(
    units=1_000,
    officials=1_000,
    groups=100,
    units_per_group=10,
    assignments=40_000,
    reports=2_000,
    overdue_share=0.95,
    recurring_share=0.02,
)


async def test_every_job_runs_with_more_overdue_work_than_bindable_parameters(sessionmaker):
    world = await seed_world(sessionmaker, TODAY, SHAPE)
    assert world.overdue > 33_000
    cfg = JobConfig(tz=TZ)

    reminder = await run_job(sessionmaker, REMINDER, local(TODAY, 16), cfg)
    # Every unit has overdue work and nobody reported on all of it: every official is reminded.
    assert (reminder.status, reminder.queued) == ("done", world.officials)

    digest = await run_job(sessionmaker, DIGEST, local(TODAY, 16, 30), cfg)
    assert (digest.status, digest.queued) == ("done", world.groups)

    june = month_period(2025, 6, "last_month")
    board = await run_job(sessionmaker, scoreboard_for(june), local(TODAY, 9), cfg)
    # Text and chart for the oversight group, which sees every unit.
    assert (board.status, board.queued) == ("done", 2)

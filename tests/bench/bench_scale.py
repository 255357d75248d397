"""Benchmark: the daily jobs, the chat and the outbox at a whole government's size.

Run: .venv/bin/python -m tests.bench.bench_scale [--url URL] [--officials N] [--json]
     [--backends sqlite,postgresql] [--million] [--no-outbox]

For each database (a temporary SQLite file; a fresh PostgreSQL database made on the server of
NHACVIEC_TEST_POSTGRES_URL, or the one `--url` names, which must be empty) it seeds
`tests.bench.scale_seed` (10,000 officials, 1,000 groups of 10 units, 100,000 assignments,
50,000 reports by default; `--officials 100000` scales every count by ten) and reports:

- CPU seconds (process time, this process only: the database server is not counted) and peak
  Python memory (tracemalloc, a separate run) of the reminder, digest and score jobs;
- answer latency (median, p95) of "tháng này đơn vị tôi có việc gì đến hạn?" through the real
  dispatcher, alone and while each job runs in the same event loop;
- with `--million`, the same question over 1,000,000 assignments;
- the outbox figures of `tests.bench.bench_fanout` (when that module offers `fanout_figures`).

Figures are for comparison between runs on the same (shared, noisy) machine. `--json` prints
`{"sqlite": {...}, "postgresql": {...}}` with the keys listed in issue 11.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import delete, select, text

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.parsing.periods import month_period
from scheduler.digest import DIGEST
from scheduler.jobs import JobConfig, run_job
from scheduler.reminders import REMINDER
from scheduler.scoreboard import scoreboard_for
from store.db import make_engine, make_sessionmaker, upgrade
from store.models import Assignment, Delivery, Identity, JobRun, User
from tests.bench.scale_seed import TZ, Shape, seed_world

TODAY = date(2025, 7, 15)
QUESTION = "tháng này đơn vị tôi có việc gì đến hạn?"
PG_URL = os.environ.get("NHACVIEC_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(TODAY.year, TODAY.month, TODAY.day, hour, minute, tzinfo=TZ)


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * q + 0.5) - 1)] if ordered else float("nan")


async def _reset_jobs(sessionmaker) -> None:
    async with sessionmaker() as s, s.begin():
        await s.execute(delete(Delivery))
        await s.execute(delete(JobRun))


def _jobs(cfg: JobConfig) -> dict[str, Callable[[Any], Awaitable[Any]]]:
    june = month_period(2025, 6, "last_month")
    return {
        "reminder": lambda sm: run_job(sm, REMINDER, _at(16), cfg),
        "digest": lambda sm: run_job(sm, DIGEST, _at(16, 30), cfg),
        "score": lambda sm: run_job(sm, scoreboard_for(june), _at(9), cfg),
    }


async def _measure_job(sessionmaker, run) -> tuple[float, float]:
    """CPU seconds of one run, then peak traced MiB of another."""
    await _reset_jobs(sessionmaker)
    cpu0 = time.process_time()
    await run(sessionmaker)
    cpu = time.process_time() - cpu0
    await _reset_jobs(sessionmaker)
    tracemalloc.start()
    await run(sessionmaker)
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return cpu, peak / 2**20


async def _chat(sessionmaker) -> Callable[[int], Awaitable[float]]:
    """A linked official on a fake channel; returns a function timing one due question."""
    from tests.fakes.fake_channel import FakeChannel

    async with sessionmaker() as s, s.begin():
        busiest = (
            await s.execute(
                select(Assignment.unit_id)
                .group_by(Assignment.unit_id)
                .order_by(text("count(*) DESC"))
                .limit(1)
            )
        ).scalar_one()
        user = User(name="bench", unit_id=busiest)
        s.add(Identity(user=user, channel="fake", external_id="bench", chat_id="bench"))
    now = _at(10).astimezone(UTC)
    channel = FakeChannel(Dispatcher(sessionmaker, Options(), clock=lambda: now))

    async def ask(i: int) -> float:
        t, cpu = time.perf_counter(), time.process_time()
        replies = await channel.push(QUESTION, user="bench", message_id=f"q{uuid.uuid4().hex}")
        assert replies, "no answer"
        cpu_ms.append((time.process_time() - cpu) * 1000)
        return (time.perf_counter() - t) * 1000

    # CPU milliseconds of each question asked alone (on a shared machine the wall-clock
    # latency also counts the time other processes held the CPU).
    cpu_ms: list[float] = []
    ask.cpu_ms = cpu_ms  # type: ignore[attr-defined]
    return ask


async def _answers_during(sessionmaker, ask, run, repeat: int = 3) -> list[float]:
    """Latencies of questions asked back to back while the job runs (`repeat` runs)."""
    samples: list[float] = []
    for _ in range(repeat):
        await _reset_jobs(sessionmaker)
        job = asyncio.create_task(run(sessionmaker))
        i = 0
        while not job.done():
            samples.append(await ask(i))
            i += 1
        await job
    return samples


async def bench_database(url: str, shape: Shape, *, million: bool) -> dict[str, Any]:
    """Seed one database and measure it; returns the figures."""
    engine = make_engine(url)
    await upgrade(engine)
    sessionmaker = make_sessionmaker(engine)
    t0 = time.perf_counter()
    world = await seed_world(sessionmaker, TODAY, shape)
    print(
        f"[{engine.dialect.name}] seeded {world.officials:,} officials, {world.groups:,} groups,"
        f" {world.assignments:,} assignments ({world.overdue:,} overdue), {world.reports:,}"
        f" reports in {time.perf_counter() - t0:.0f} s"
    )
    out: dict[str, Any] = {}
    cfg = JobConfig(tz=TZ)
    for name, run in _jobs(cfg).items():
        cpu, peak = await _measure_job(sessionmaker, run)
        out[f"{name}_cpu_s"] = round(cpu, 2)
        out[f"{name}_peak_mib"] = round(peak, 1)
        print(f"[{engine.dialect.name}] {name}: {cpu:.2f} s CPU, peak {peak:.1f} MiB traced")
    ask = await _chat(sessionmaker)
    ask.cpu_ms.clear()
    alone = [await ask(i) for i in range(100)]
    out["due_median_ms"] = round(statistics.median(alone), 1)
    out["due_p95_ms"] = round(_p(alone, 0.95), 1)
    out["due_cpu_median_ms"] = round(statistics.median(ask.cpu_ms), 1)
    during: list[float] = []
    for name, run in _jobs(cfg).items():
        samples = await _answers_during(sessionmaker, ask, run)
        during += samples
        print(
            f"[{engine.dialect.name}] answers during {name}: n={len(samples)}, median"
            f" {statistics.median(samples):.1f} ms, p95 {_p(samples, 0.95):.1f} ms"
        )
    out["answer_p95_ms_during_job"] = round(_p(during, 0.95), 1)
    print(
        f"[{engine.dialect.name}] due question alone: median {out['due_median_ms']} ms,"
        f" p95 {out['due_p95_ms']} ms (CPU median {out['due_cpu_median_ms']} ms)"
    )
    if million:
        await _million(sessionmaker, ask, engine.dialect.name, out)
    await engine.dispose()
    return out


async def _million(sessionmaker, ask, name: str, out: dict[str, Any]) -> None:
    """Grow the assignments to 1,000,000 and time the due question again."""
    async with sessionmaker() as s:
        have = await s.scalar(select(text("count(*)")).select_from(Assignment))
    # More worlds of the same kind add their own units and tasks: the asking official's
    # unit keeps its work, the table grows around it.
    while have < 1_000_000:
        step = min(200_000, 1_000_000 - have)
        grow = Shape(
            units=10_000,
            officials=1,
            groups=1,
            units_per_group=1,
            assignments=step,
            reports=0,
            tag=f"m{have}",
        )
        await seed_world(sessionmaker, TODAY, grow)
        have += step
    # A server that has been running has its statistics and caches warm: analyse the grown
    # tables, collect the seeding's garbage and ask 10 questions that are not counted.
    async with sessionmaker() as s, s.begin():
        await s.execute(text("ANALYZE"))
    gc.collect()
    for i in range(10):
        await ask(i)
    ask.cpu_ms.clear()
    samples = [await ask(i) for i in range(200)]
    out["due_p95_ms_1m"] = round(_p(samples, 0.95), 1)
    out["due_cpu_median_ms_1m"] = round(statistics.median(ask.cpu_ms), 1)
    print(
        f"[{name}] due question at {have:,} assignments: median"
        f" {statistics.median(samples):.1f} ms, p95 {out['due_p95_ms_1m']} ms"
        f" (CPU median {out['due_cpu_median_ms_1m']} ms)"
    )


def _pg_database(base: str) -> tuple[str, str]:
    name = f"nhacviec_bench_{os.getpid()}"
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path="/" + name)), name


async def _pg_admin(sql: str) -> None:
    engine = make_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=None)
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


def _outbox() -> dict[str, Any]:
    try:
        from tests.bench import bench_fanout
    except ImportError:  # pragma: no cover - optional
        return {}
    figures = getattr(bench_fanout, "fanout_figures", None)
    if figures is None:
        print("outbox: tests.bench.bench_fanout offers no fanout_figures(); run it directly")
        return {}
    return figures()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an empty database to use instead of the defaults")
    parser.add_argument("--officials", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--million", action="store_true", help="also 1,000,000 assignments")
    parser.add_argument("--no-outbox", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    k = args.officials / 10_000
    shape = Shape(
        units=int(10_000 * k),
        officials=args.officials,
        groups=int(1_000 * k),
        assignments=int(100_000 * k),
        reports=int(50_000 * k),
    )
    results: dict[str, dict[str, Any]] = {}
    outbox = {} if args.no_outbox else _outbox()
    if args.url:
        name = "postgresql" if args.url.startswith("postgres") else "sqlite"
        results[name] = await bench_database(args.url, shape, million=args.million) | outbox
    for backend in [b for b in args.backends.split(",") if b and not args.url]:
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite:///{tmp}/scale.sqlite3"
                results["sqlite"] = await bench_database(url, shape, million=args.million)
        else:
            url, db = _pg_database(PG_URL)
            await _pg_admin(f'DROP DATABASE IF EXISTS "{db}"')
            await _pg_admin(f'CREATE DATABASE "{db}"')
            try:
                results["postgresql"] = await bench_database(url, shape, million=args.million)
            finally:
                await _pg_admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        results[backend] |= outbox
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    asyncio.run(main())

"""Benchmark: "what is due this month" for one unit among 100,000 assignments / 10,000 units,
and the time to import Quyết định 230/QĐ-VPCP (the copy of shared/directives/qd230-vpcp-2025.txt
kept in tests/store/fixtures/directives).

Run: .venv/bin/python -m tests.bench.bench_due_query [--url DATABASE_URL] [--queries 200]
(--url must name an empty database, e.g. `createdb -h 127.0.0.1 -U postgres benchdb`.)
Prints medians and p95 in milliseconds; the figures are for comparison between runs on the same
machine, not absolute targets.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from store.db import make_engine, make_sessionmaker, upgrade
from store.importer import import_directive
from store.importing.extract import extract
from store.models import (
    Assignment,
    Directive,
    Identity,
    Role,
    Task,
    TaskKind,
    Unit,
    UnitKind,
    User,
)
from store.registry import UnitRegistry
from store.units import seed_units
from tests.fakes.fake_channel import FakeChannel

UNITS = 10_000
TASKS = 10_000
PER_TASK = 10  # 1 lead + 9 supporting → 100,000 assignments
NOW = datetime(2025, 7, 10, 3, 0, tzinfo=UTC)
DIRECTIVE = (
    Path(__file__).resolve().parents[1]
    / "store"
    / "fixtures"
    / "directives"
    / "qd230-vpcp-2025.txt"
)


async def seed(sessionmaker) -> int:
    rng = random.Random(42)
    async with sessionmaker() as s, s.begin():
        await s.execute(
            insert(Unit),
            [
                {
                    "code": f"bench-{i}",
                    "name": f"Đơn vị thử {i}",
                    "kind": UnitKind.COMMUNE,
                    "aliases": [],
                    "active": True,
                }
                for i in range(UNITS)
            ],
        )
        unit_ids = list((await s.scalars(select(Unit.id).where(Unit.code.like("bench-%")))).all())
        d = Directive(number="BENCH/1", title="bench")
        s.add(d)
        await s.flush()
        start = date(2024, 1, 1)
        tasks = []
        for i in range(TASKS):
            due = start + timedelta(days=rng.randrange(730))
            tasks.append(
                {
                    "directive_id": d.id,
                    "ref": str(i),
                    "position": i,
                    "title": f"Nhiệm vụ {i}",
                    "body": "",
                    "lead_text": "",
                    "support_text": "",
                    "deadline_text": "",
                    "due": due,
                    "kind": TaskKind.ONCE,
                    "product": "",
                }
            )
        await s.execute(insert(Task), tasks)
        task_rows = (
            await s.execute(select(Task.id, Task.due).where(Task.directive_id == d.id))
        ).all()
        seqs: dict[int, int] = {}
        rows = []
        for task_id, due in task_rows:
            for k, uid in enumerate(rng.sample(unit_ids, PER_TASK)):
                seqs[uid] = seqs.get(uid, 0) + 1
                rows.append(
                    {
                        "task_id": task_id,
                        "unit_id": uid,
                        "seq": seqs[uid],
                        "role": Role.LEAD if k == 0 else Role.SUPPORT,
                        "due": due,
                        "state": "open",
                        "progress": 0,
                    }
                )
        for i in range(0, len(rows), 5000):
            await s.execute(insert(Assignment), rows[i : i + 5000])
        busiest = max(seqs, key=seqs.__getitem__)
        user = User(name="bench", unit_id=busiest)
        s.add(Identity(user=user, channel="fake", external_id="u1", chat_id="u1"))
        return len(rows)


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(ordered):.2f} ms, p95 {p95:.2f} ms (n={len(ordered)})"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=None, help="database URL (default: a temp SQLite file)")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{tmp}/bench.sqlite3"
        engine = make_engine(url)
        await upgrade(engine)
        sessionmaker = make_sessionmaker(engine)
        t0 = time.perf_counter()
        count = await seed(sessionmaker)
        print(
            f"backend: {engine.dialect.name}; seeded {count:,} assignments over {UNITS:,} units "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        chan = FakeChannel(Dispatcher(sessionmaker, Options(), clock=lambda: NOW))
        samples = []
        for i in range(args.queries):
            t = time.perf_counter()
            replies = await chan.push(
                "tháng này đơn vị tôi có việc gì đến hạn?", message_id=f"q{i}"
            )
            samples.append((time.perf_counter() - t) * 1000)
            assert replies, "no answer"
        print(f"due this month, one unit, full dispatcher round trip: {summary(samples)}")

        async with sessionmaker() as s, s.begin():
            await seed_units(s)
        data = DIRECTIVE.read_bytes()
        timings = []
        for run in range(3):
            t = time.perf_counter()
            parsed = extract(data, DIRECTIVE.name)
            async with sessionmaker() as s, s.begin():
                registry = await UnitRegistry.load(s)
                result = await import_directive(s, parsed, registry=registry, now=NOW)
            timings.append((time.perf_counter() - t) * 1000)
            label = "first import" if run == 0 else "re-import"
            print(
                f"import 230/QĐ-VPCP ({label}): {timings[-1]:.0f} ms, {len(result.tasks)} tasks, "
                f"{result.assignments} assignments"
            )
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())

"""Benchmark: the compiled daily report of one unit with 1,000 tasks (issue 13).

Seeds a unit with N tasks needing a daily report, a report on every other one (some with
evidence), then times reading the day (store.daily_report, bounded SQL), building the .docx and
the .xlsx, and prints their sizes and the size of the outbox payload they make (base64, as
queued inline by scheduler.daily_report).

Run: .venv/bin/python -m tests.bench.bench_daily_report [--tasks 1000] [--url DATABASE_URL]
(--url must name an empty database). Figures are for comparison between runs on one machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from handlers.summaries.daily_report_build import compile_days, report_files
from handlers.tasks.daily import ReportRules
from handlers.types import Outgoing
from store.db import make_engine, make_sessionmaker, upgrade
from store.models import (
    Assignment,
    AssignmentState,
    Directive,
    Report,
    Role,
    Task,
    TaskKind,
    Unit,
    UnitKind,
    User,
)

DAY = date(2025, 3, 10)
AT_1600 = datetime(2025, 3, 10, 9, tzinfo=UTC)


async def seed(sessionmaker, tasks: int) -> int:  # type: ignore[no-untyped-def]
    """One unit with `tasks` tasks due this month over ten directives; returns its id."""
    async with sessionmaker() as s, s.begin():
        unit = Unit(code="bench", name="Bộ Công an", kind=UnitKind.MINISTRY, aliases=[])
        user = User(name="Nguyễn Thị Lan")
        s.add_all([unit, user])
        await s.flush()
        user.unit_id = unit.id
        directives = [Directive(number=f"{n}/QĐ-TTg", title="Kế hoạch " * 10) for n in range(10)]
        s.add_all(directives)
        await s.flush()
        rows = [
            {
                "directive_id": directives[i % 10].id,
                "ref": f"II.{i}",
                "position": i,
                "title": "Xây dựng cơ sở dữ liệu quốc gia " * 6,
                "due": DAY + timedelta(days=i % 40 - 10),
                "kind": TaskKind.ONCE,
            }
            for i in range(tasks)
        ]
        ids = list(await s.scalars(insert(Task).returning(Task.id), rows))
        assigned = [
            {
                "task_id": tid,
                "unit_id": unit.id,
                "seq": n + 1,
                "role": Role.LEAD,
                "due": rows[n]["due"],
                "state": AssignmentState.OPEN,
                "progress": 30,
            }
            for n, tid in enumerate(ids)
        ]
        aids = list(await s.scalars(insert(Assignment).returning(Assignment.id), assigned))
        evidence = json.dumps({"name": "minh-chung.pdf"})
        reports = [
            {
                "assignment_id": aid,
                "author_id": user.id,
                "text": "Đã hoàn thành một phần công việc, đang phối hợp " * 8,
                "percent": 50,
                "state": AssignmentState.OPEN,
                "attachment": evidence if n % 4 == 1 else None,
                "created_at": AT_1600 - timedelta(hours=3),
            }
            for n, aid in enumerate(aids)
            if n % 2
        ]
        await s.execute(insert(Report), reports)
        return unit.id


async def main() -> None:
    """Seed, then time the three steps and print the sizes."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        engine = make_engine(url)
        await upgrade(engine)
        sessionmaker = make_sessionmaker(engine)
        unit_id = await seed(sessionmaker, args.tasks)
        tz = ZoneInfo("Asia/Ho_Chi_Minh")
        t0 = time.perf_counter()
        async with sessionmaker() as s:
            reports = await compile_days(
                s, [unit_id], day=DAY, now=AT_1600, tz=tz, rules=ReportRules()
            )
        t1 = time.perf_counter()
        docx, xlsx = report_files(reports[unit_id], tz)
        t2 = time.perf_counter()
        payload = len(json.dumps(Outgoing("", attachments=[docx]).to_payload()))
        report = reports[unit_id]
        print(f"tasks in the report: {len(report.items)} (unreported {len(report.unreported)})")
        print(f"read the day (SQL): {1000 * (t1 - t0):.0f} ms")
        print(f"build .docx + .xlsx: {1000 * (t2 - t1):.0f} ms")
        print(
            f".docx {len(docx.content) / 1024:.0f} KiB, .xlsx {len(xlsx.content) / 1024:.0f} KiB"
        )
        print(f"outbox payload of the .docx delivery: {payload / 1024:.0f} KiB")
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())

"""Benchmark: how late answers and reminders are when things go wrong (figures, no asserts).

Run: .venv/bin/python -m tests.bench.bench_faults [--starts 300] [--reminders 1000]
     [--skip-starts] [--skip-crash] [--json]

1. 300 officials press Start at once; `nhacviec run` (long polling) against the fake Bot API
   enforcing 30 msg/s overall and 1/s per chat. Printed: confirmations received, the latest
   one after the burst (the acceptance line is 30 s), 429s answered.
2. kill -9 of the sender process in the middle of a fan-out of 1,000 reminders at Telegram's
   pace (30 msg/s), on SQLite and on PostgreSQL (when reachable): lost, duplicated (the bound
   is the sender's concurrency, 20), how long after the restart the first taken-over reminder
   left and the last reminder arrived (the acceptance line is 60 s).
The tests in tests/scheduler/test_faults_*.py and tests/bot/test_telegram_flood.py assert the
counts; the times live here.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import tempfile
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from store.db import make_engine, make_sessionmaker, upgrade
from tests.fakes.telegram_server import FakeTelegramServer
from tests.scheduler.faultkit import SenderProcess, open_rows, queue_fanout, tally, until

PG_ADMIN = os.environ.get("NHACVIEC_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
CONCURRENCY = 20


async def starts(count: int) -> dict[str, Any]:
    """`count` simultaneous /start with one invite; latest confirmation after the burst."""
    from bot.app import open_app
    from bot.config import load_settings
    from bot.runner import run_channels
    from store.invites import create_invite
    from store.models import UserRole
    from store.units import find_by_code

    first = 6_200_001
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeTelegramServer(rate_limits=True) as tg:
            os.environ.update(
                DATABASE_URL=f"sqlite:///{tmp}/bot.sqlite3",
                TELEGRAM_BOT_TOKEN=tg.token,
                TELEGRAM_API_BASE_URL=tg.base_url,
                NHACVIEC_SCHEDULER_ENABLED="false",
            )
            for name in ("TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET", "ZALO_BOT_TOKEN"):
                os.environ.pop(name, None)
            async with open_app(load_settings()) as app, app.sessionmaker() as s, s.begin():
                unit = await find_by_code(s, "bo-cong-an")
                assert unit is not None
                invite = await create_invite(
                    s,
                    unit_id=unit.id,
                    role=UserRole.OFFICER,
                    now=datetime.now(UTC),
                    max_uses=count,
                )
                code = invite.code
            stop = asyncio.Event()
            bot = asyncio.create_task(run_channels(load_settings(), stop))
            await until(lambda: bool(tg.calls_of("getUpdates")), within=60)
            loop = asyncio.get_running_loop()
            burst = loop.time()
            for n in range(count):
                user = tg.user(first + n, first_name=f"Cán bộ {n}", last_name=None)
                tg.push_command("start", code, user=user)

            def confirmed() -> dict[int, float]:
                chats = {
                    m["chat"]["id"]
                    for m in tg.sent
                    if m["chat"]["id"] >= first and "Đã liên kết" in m.get("text", "")
                }
                return {chat: at for at, chat in tg.deliveries if chat in chats}

            with contextlib.suppress(TimeoutError):  # then the figures say how many
                await until(lambda: len(confirmed()) >= count, within=300)
            stop.set()
            await bot
            times = sorted(at - burst for at in confirmed().values())
            rejected = tg.rate_limits.rejected if tg.rate_limits else 0
    return {
        "starts": count,
        "confirmed": len(times),
        "latest_confirmation_s": round(times[-1], 2) if times else None,
        "median_confirmation_s": round(times[len(times) // 2], 2) if times else None,
        "answered_429": rejected,
    }


async def crash(url: str, count: int) -> dict[str, Any]:
    """kill -9 of the sender mid fan-out at 30 msg/s; recovery figures after the restart."""
    engine = make_engine(url)
    await upgrade(engine)
    sessionmaker = make_sessionmaker(engine)
    chats = await queue_fanout(sessionmaker, count)
    async with FakeTelegramServer(rate_limits=True) as tg:
        loop = asyncio.get_running_loop()
        first = SenderProcess(url, tg.base_url, concurrency=CONCURRENCY, rate=30.0)
        await first.start()
        await until(lambda: len(tg.sent) >= count * 0.4, within=300)
        await first.kill()
        at_kill = len(tg.sent)
        second = SenderProcess(url, tg.base_url, concurrency=CONCURRENCY, rate=30.0)
        spawned = loop.time()
        await second.start()
        restart = loop.time()  # the new sender is dispatching
        await until(lambda: not tally(tg, chats)[0], within=600)
        all_out = loop.time() - restart
        await until(lambda: _drained(sessionmaker), within=120)
        await second.stop()
        lost, duplicated = tally(tg, chats)
        first_after = min((at for at, _ in tg.deliveries if at >= restart), default=restart)
    await engine.dispose()
    return {
        "database": engine.dialect.name,
        "reminders": count,
        "sent_before_kill": at_kill,
        "lost": lost,
        "duplicated": duplicated,
        "concurrency": CONCURRENCY,
        "restart_to_first_send_s": round(first_after - restart, 2),
        "restart_to_all_out_s": round(all_out, 2),
        "sender_start_s": round(restart - spawned, 2),
    }


async def _drained(sessionmaker) -> bool:  # type: ignore[no-untyped-def]
    return await open_rows(sessionmaker) == 0


async def _pg_database() -> str | None:
    admin = make_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", poolclass=None)
    name = f"bench_faults_{uuid.uuid4().hex[:8]}"
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: SQLite only
        print(f"PostgreSQL not reachable ({type(exc).__name__}); SQLite only", flush=True)
        return None
    finally:
        await admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


async def _drop(url: str) -> None:
    admin = make_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", poolclass=None)
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    await admin.dispose()


async def main() -> None:
    """Run the scenarios and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--starts", type=int, default=300)
    parser.add_argument("--reminders", type=int, default=1000)
    parser.add_argument("--skip-starts", action="store_true")
    parser.add_argument("--skip-crash", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    if not args.skip_starts:
        results["starts"] = await starts(args.starts)
        print("starts:", results["starts"], flush=True)
    if not args.skip_crash:
        with tempfile.TemporaryDirectory() as tmp:
            results["crash_sqlite"] = await crash(f"sqlite:///{tmp}/b.sqlite3", args.reminders)
        print("kill -9, SQLite:", results["crash_sqlite"], flush=True)
        pg = await _pg_database()
        if pg is not None:
            try:
                results["crash_postgresql"] = await crash(pg, args.reminders)
            finally:
                await _drop(pg)
            print("kill -9, PostgreSQL:", results["crash_postgresql"], flush=True)
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    asyncio.run(main())

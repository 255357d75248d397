"""Benchmark: the 16:00 reminder fanned out to 10,000 officials under Telegram's real limits.

Run: .venv/bin/python -m tests.bench.bench_fanout [--recipients 10000] [--url DATABASE_URL]
     [--skip-ptb] [--skip-outbox] [--concurrency 20]
(--url must name an empty database, e.g. `createdb -h 127.0.0.1 -U postgres benchdb`; the
default is a temporary SQLite file.) `--recipients 600` is a quick run (~20 s per side).

What runs, all real: `enqueue` writes one `reminder:<date>:user<N>` Delivery per official into
the database; the `OutboxDispatcher` sends them through the `TelegramChannel` (PTB over HTTP) to
the fake Bot API server, which enforces Telegram's limits in real time (30 messages/s overall,
1/s per chat, 20/min per group) and answers 429 + retry_after beyond them. The comparison is a
plain python-telegram-bot loop with `AIORateLimiter` against a fresh server of the same kind.

Printed per side: throughput as a fraction of the 30 msg/s limit, 429 answers, messages lost
(enqueued but never received) and duplicated (received more than once, by chat), elapsed time
and peak memory (tracemalloc peak while sending, and the process's maximum RSS so far). Both
the fake server and the client run in this process, so memory includes the server's records.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, insert, select

from bot.channels.telegram import TelegramChannel
from handlers.markup import bold
from handlers.types import Address, Button, Outgoing
from scheduler.outbox import OutboxDispatcher, SystemClock, enqueue
from scheduler.ratelimit import TELEGRAM_LIMITS
from store.db import make_engine, make_sessionmaker, upgrade
from store.models import Delivery, DeliveryStatus, Identity, User
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegramServer

LIMIT = TELEGRAM_LIMITS.global_rate  # the overall limit the fake server enforces too
FIRST_CHAT = 5_000_000_001  # private chats: positive ids, one per official
DAY = date(2025, 7, 15)


@dataclass
class Result:
    """What one side of the comparison measured."""

    name: str
    enqueued: int
    delivered: int
    lost: int
    duplicated: int
    rejected_429: int
    elapsed: float
    peak_traced: int
    max_rss: int
    notes: str = ""

    @property
    def rate(self) -> float:
        """Messages per second accepted by the server."""
        return self.delivered / self.elapsed if self.elapsed else 0.0

    def lines(self) -> list[str]:
        """Human-readable figures."""
        return [
            f"{self.name}:",
            f"  delivered {self.delivered:,} of {self.enqueued:,} in {self.elapsed:.1f} s",
            f"  throughput {self.rate:.2f} msg/s = {self.rate / LIMIT:.1%} of the {LIMIT:g} "
            "msg/s limit",
            f"  429 answers {self.rejected_429:,}; lost {self.lost:,}; duplicated "
            f"{self.duplicated:,}",
            f"  peak memory: tracemalloc {self.peak_traced / 2**20:.1f} MiB while sending, "
            f"max RSS {self.max_rss / 2**20:.1f} MiB",
            *([f"  {self.notes}"] if self.notes else []),
        ]


def reminder(n: int) -> Outgoing:
    """A reminder-like message: a bold title, three open tasks and report buttons."""
    lines = [bold("Nhắc việc: đơn vị chưa báo cáo hôm nay (trước 16:00)")]
    for k in range(1, 4):
        lines.append(
            f"{bold(f'NV {k}')} · Rà soát, cắt giảm thủ tục hành chính nội bộ — hạn 31/07/2025"
        )
    lines.append(f"Người nhận #{n}")  # makes every text distinct
    buttons = [[Button(f"Báo cáo NV {k}", f"r:{n * 10 + k}") for k in range(1, 4)]]
    return Outgoing("\n".join(lines), buttons)


def _max_rss() -> int:
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


def _tally(server: FakeTelegramServer, chats: list[int]) -> tuple[int, int, int]:
    """(delivered distinct, lost, duplicated) from what the server stored."""
    received = Counter(m["chat"]["id"] for m in server.sent)
    wanted = set(chats)
    delivered = sum(1 for c in received if c in wanted)
    lost = sum(1 for c in wanted if c not in received)
    duplicated = sum(n - 1 for c, n in received.items() if n > 1)
    return delivered, lost, duplicated


async def seed(sessionmaker, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    """Officials with a Telegram identity each, and their reminders in the outbox."""
    chats = [FIRST_CHAT + n for n in range(count)]
    async with sessionmaker() as s, s.begin():
        await s.execute(
            insert(User), [{"name": f"Cán bộ {n}", "role": "officer"} for n in range(count)]
        )
        user_ids = list((await s.scalars(select(User.id).order_by(User.id))).all())
        await s.execute(
            insert(Identity),
            [
                {
                    "user_id": uid,
                    "channel": "telegram",
                    "external_id": str(chat),
                    "chat_id": str(chat),
                    "reachable": True,
                }
                for uid, chat in zip(user_ids, chats, strict=True)
            ],
        )
        now = datetime.now(UTC)
        for n, (uid, chat) in enumerate(zip(user_ids, chats, strict=True)):
            await enqueue(
                s,
                key=f"reminder:{DAY.isoformat()}:user{uid}",
                kind="reminder",
                address=Address("telegram", str(chat)),
                outgoing=reminder(n),
                user_id=uid,
                now=now,
            )
    return chats


class TimedChannel:
    """Wraps the real channel to note when the last successful send finished."""

    def __init__(self, inner: TelegramChannel) -> None:
        self.inner = inner
        self.name = inner.name
        self.last_ok = 0.0

    async def start(self, sink: Callable[..., Awaitable[None]]) -> None:
        """Not used: the benchmark only sends."""

    async def send(self, address: Address, outgoing: Outgoing) -> None:
        """Send through the real channel."""
        await self.inner.send(address, outgoing)
        self.last_ok = time.monotonic()

    async def stop(self) -> None:
        """Close the real channel."""
        await self.inner.stop()


async def _open(sessionmaker) -> int:  # type: ignore[no-untyped-def]
    async with sessionmaker() as s:
        return await s.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]))
        )


async def run_outbox(url: str, count: int, concurrency: int) -> Result:
    """Enqueue `count` reminders and drain them with the real dispatcher and channel."""
    engine = make_engine(url)
    await upgrade(engine)
    sessionmaker = make_sessionmaker(engine)
    t = time.perf_counter()
    chats = await seed(sessionmaker, count)
    print(f"outbox: enqueued {count:,} reminders in {time.perf_counter() - t:.1f} s", flush=True)
    async with FakeTelegramServer(rate_limits=True) as server:
        channel = TimedChannel(TelegramChannel(DEFAULT_TOKEN, base_url=server.base_url))
        await channel.inner._ensure_bot()  # getMe before the clock starts, as `start` would
        dispatcher = OutboxDispatcher(
            sessionmaker,
            {"telegram": channel},
            {"telegram": TELEGRAM_LIMITS},
            SystemClock(),
            concurrency=concurrency,
        )
        stop = asyncio.Event()
        tracemalloc.start()
        start = time.monotonic()
        task = asyncio.create_task(dispatcher.run_forever(stop))
        last_report = start
        while True:
            await asyncio.sleep(0.5)
            if task.done():
                break
            remaining = await _open(sessionmaker)
            if time.monotonic() - last_report >= 30:
                last_report = time.monotonic()
                sent = count - remaining
                print(
                    f"  ... {sent:,} sent after {last_report - start:.0f} s "
                    f"({sent / (last_report - start):.1f}/s), 429s: "
                    f"{server.rate_limits.rejected if server.rate_limits else 0}",
                    flush=True,
                )
            if remaining == 0:
                break
        stop.set()
        await task
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        elapsed = (channel.last_ok or time.monotonic()) - start
        delivered, lost, duplicated = _tally(server, chats)
        rejected = server.rate_limits.rejected if server.rate_limits else 0
        await channel.stop()
    async with sessionmaker() as s:
        by_status = dict(
            (
                await s.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
            ).all()
        )
    await engine.dispose()
    stats = ", ".join(f"{k} {v}" for k, v in sorted(dispatcher.stats.items()))
    rows = ", ".join(f"{k.value} {v}" for k, v in sorted(by_status.items()))
    return Result(
        f"nhacviec outbox ({engine.dialect.name}, {concurrency} workers)",
        count,
        delivered,
        lost,
        duplicated,
        rejected,
        elapsed,
        peak,
        _max_rss(),
        notes=f"rows: {rows}; dispatcher: {stats}",
    )


async def run_ptb(count: int) -> Result:
    """A plain PTB loop: `await bot.send_message(...)` per recipient, `AIORateLimiter` pacing."""
    from telegram.constants import ParseMode
    from telegram.error import TelegramError
    from telegram.ext import AIORateLimiter, Application

    from bot.channels.telegram_render import render

    chats = [FIRST_CHAT + n for n in range(count)]
    failures = 0
    async with FakeTelegramServer(rate_limits=True) as server:
        # max_retries: AIORateLimiter retries a 429 after retry_after (0 would drop the message).
        app = (
            Application.builder()
            .token(DEFAULT_TOKEN)
            .base_url(server.base_url)
            .rate_limiter(AIORateLimiter(max_retries=5))
            .job_queue(None)
            .updater(None)
            .build()
        )
        await app.initialize()
        tracemalloc.start()
        start = time.monotonic()
        last_ok = start
        for n, chat in enumerate(chats):
            chunk = render(reminder(n))[0]
            try:
                await app.bot.send_message(
                    chat, chunk.html, parse_mode=ParseMode.HTML, reply_markup=chunk.keyboard
                )
                last_ok = time.monotonic()
            except TelegramError:
                failures += 1
            if n and n % 1000 == 0:
                print(f"  ... {n:,} sent after {time.monotonic() - start:.0f} s", flush=True)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        await app.shutdown()
        delivered, lost, duplicated = _tally(server, chats)
        rejected = server.rate_limits.rejected if server.rate_limits else 0
    return Result(
        "plain PTB loop + AIORateLimiter",
        count,
        delivered,
        lost,
        duplicated,
        rejected,
        last_ok - start,
        peak,
        _max_rss(),
        notes=f"send_message calls that raised: {failures}",
    )


async def main() -> None:
    """Parse arguments, run both sides and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--url", default=None, help="database URL (default: temp SQLite file)")
    parser.add_argument("--concurrency", type=int, default=20, help="dispatcher workers")
    parser.add_argument("--skip-ptb", action="store_true", help="only the outbox side")
    parser.add_argument("--skip-outbox", action="store_true", help="only the PTB side")
    args = parser.parse_args()
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_outbox:
            url = args.url or f"sqlite:///{tmp}/bench.sqlite3"
            results.append(await run_outbox(url, args.recipients, args.concurrency))
            print("\n".join(results[-1].lines()), flush=True)
        if not args.skip_ptb:
            results.append(await run_ptb(args.recipients))
            print("\n".join(results[-1].lines()), flush=True)
    if len(results) == 2:
        ours, ptb = results
        print(
            f"summary: outbox {ours.rate / LIMIT:.1%} of the limit, {ours.rejected_429} × 429, "
            f"{ours.lost} lost, {ours.duplicated} duplicated | PTB+AIORateLimiter "
            f"{ptb.rate / LIMIT:.1%}, {ptb.rejected_429} × 429, {ptb.lost} lost, "
            f"{ptb.duplicated} duplicated"
        )


if __name__ == "__main__":
    asyncio.run(main())

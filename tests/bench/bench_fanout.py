"""Benchmark: the outbox under Telegram's real limits with a mixed workload, next to PTB.

Run: .venv/bin/python -m tests.bench.bench_fanout [--recipients 1000] [--url DATABASE_URL]
     [--concurrency 20] [--no-busy] [--skip-ptb] [--json]
(--url must name an empty database; the default is a temporary SQLite file.)

The workload, all at once as at 16:00: 10 % of the recipients are groups; every chat gets a
broadcast copy and then its own push (the reminder; a group its digest), so each chat receives
two messages back to back and the per-chat (1/s) and per-group (20/min) limits matter; and
while that goes out, 5 % of the chats get an interactive reply (the urgent lane). The fake Bot
API runs in ANOTHER process (`tests.fakes.telegram_process`) enforcing Telegram's limits in
real time, and, unless --no-busy, a third process spins on a core the whole time.

Measured for the outbox (real dispatcher, real Telegram channel, real database): CPU of this
process per delivered message, throughput as a share of 30 msg/s, 429s, lost and duplicated
messages (by text), and reply latency. Then the same messages through python-telegram-bot with
`AIORateLimiter` on its defaults (max_retries=0) and with retries (max_retries=5), by the same
number of concurrent senders, each against a fresh fake. `figures()` returns the headline
numbers as a dict for `bench_scale`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from bot.channels.telegram.channel import TelegramChannel
from handlers.types import Address, Outgoing
from scheduler.outbox.dispatcher import OutboxDispatcher, SystemClock
from scheduler.outbox.enqueue import delivery_row, enqueue_rows
from scheduler.outbox.ratelimit import TELEGRAM_LIMITS
from scheduler.outbox.reply import ReplySender
from store.db import make_engine, make_sessionmaker, upgrade
from store.models import Delivery, DeliveryStatus
from tests.fakes.telegram_process import FakeTelegramProcess
from tests.fakes.telegram_server import DEFAULT_TOKEN

LIMIT = TELEGRAM_LIMITS.global_rate
FIRST_PRIVATE = 5_000_000_001
FIRST_GROUP = -4_000_000_001


@dataclass
class Message:
    """One message of the workload: where, what, and whether it is a reply."""

    chat: int
    text: str
    reply: bool = False


@dataclass
class Side:
    """What one side measured."""

    name: str
    messages: int
    delivered: int = 0
    lost: int = 0
    duplicated: int = 0
    rejected_429: int = 0
    elapsed: float = 0.0
    cpu_s: float = 0.0
    reply_ms: list[float] = field(default_factory=list)

    @property
    def share(self) -> float:
        """Delivered messages per second as a share of the overall limit."""
        return self.delivered / self.elapsed / LIMIT if self.elapsed else 0.0

    def line(self) -> str:
        """One line of figures."""
        replies = ""
        if self.reply_ms:
            p95 = statistics.quantiles(self.reply_ms, n=20)[-1] if len(self.reply_ms) > 1 else 0
            replies = (
                f", replies median {statistics.median(self.reply_ms):.0f} ms p95 {p95:.0f} ms"
            )
        return (
            f"{self.name}: {self.delivered}/{self.messages} in {self.elapsed:.1f} s = "
            f"{self.share:.1%} of {LIMIT:g} msg/s; 429s {self.rejected_429}; lost {self.lost}; "
            f"duplicated {self.duplicated}; CPU {1000 * self.cpu_s / max(self.delivered, 1):.2f} "
            f"ms/msg{replies}"
        )


def workload(recipients: int) -> list[Message]:
    """Broadcast copy then own push per chat (10 % groups), plus replies to 5 % of chats."""
    groups = recipients // 10
    chats = [FIRST_GROUP - n for n in range(groups)]
    chats += [FIRST_PRIVATE + n for n in range(recipients - groups)]
    chats.sort(key=lambda c: abs(hash(c)) % 7919)  # groups spread through the fan-out
    messages: list[Message] = []
    for chat in chats:
        messages.append(Message(chat, f"Thông báo chung #{chat}"))
        own = "Tổng hợp quá hạn" if chat < 0 else "Nhắc việc"
        messages.append(Message(chat, f"{own} #{chat}"))
    messages += [Message(chat, f"Trả lời #{chat}", reply=True) for chat in chats[::20]]
    return messages


def cpu_seconds() -> float:
    """User + system CPU time of this process."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def score(side: Side, messages: list[Message], stats: dict[str, Any]) -> None:
    """Fill in delivered, lost, duplicated and 429s from the fake's counters."""
    got = Counter({text: n for text, n in stats["texts"].items()})
    for text in {m.text for m in messages}:
        n = got.get(text, 0)
        side.delivered += min(n, 1)
        side.lost += n == 0
        side.duplicated += max(n - 1, 0)
    side.rejected_429 = stats["rejected"]
    # From the first message to the last one the platform stored: what the client achieved,
    # not when it noticed it was done.
    side.elapsed = stats["span"] or side.elapsed


async def _queue(sessionmaker, messages: list[Message]) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    rows = [
        delivery_row(
            key=f"bench:{n}",
            kind="broadcast" if m.text.startswith("Thông báo") else "reminder",
            address=Address("telegram", str(m.chat)),
            payload=Outgoing(m.text).to_payload(),
            user_id=None,
            now=now,
        )
        for n, m in enumerate(messages)
        if not m.reply
    ]
    async with sessionmaker() as s, s.begin():
        await enqueue_rows(s, rows)


async def _open(sessionmaker) -> int:  # type: ignore[no-untyped-def]
    async with sessionmaker() as s:
        due = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
        stmt = select(func.count()).select_from(Delivery).where(Delivery.status.in_(due))
        return int(await s.scalar(stmt) or 0)


async def run_outbox(url: str, messages: list[Message], concurrency: int) -> Side:
    """Queue the pushes, dispatch them, and send the replies through the urgent lane."""
    engine = make_engine(url)
    await upgrade(engine)
    sessionmaker = make_sessionmaker(engine)
    await _queue(sessionmaker, messages)
    side = Side(f"outbox ({engine.dialect.name}, {concurrency} senders)", len(messages))
    async with FakeTelegramProcess(rate_limits=True) as tg:
        channel = TelegramChannel(DEFAULT_TOKEN, base_url=tg.base_url)
        await channel._ensure_bot()
        clock = SystemClock()
        channels = {"telegram": channel}
        dispatcher = OutboxDispatcher(
            sessionmaker, channels, {"telegram": TELEGRAM_LIMITS}, clock, concurrency=concurrency
        )
        replies = ReplySender(
            sessionmaker, channels, dispatcher.limiter, clock, dispatcher.wake_urgent
        )
        stop = asyncio.Event()
        cpu, start = cpu_seconds(), time.monotonic()
        task = asyncio.create_task(dispatcher.run_forever(stop))

        asked: dict[str, float] = {}

        async def reply(m: Message) -> None:
            asked[m.text] = time.monotonic()  # the fake's clock is the same (CLOCK_MONOTONIC)
            await replies.send(Address("telegram", str(m.chat)), Outgoing(m.text))

        await asyncio.sleep(3)  # the fan-out is under way
        answering = []
        for m in (m for m in messages if m.reply):  # one every 100 ms during the fan-out
            answering.append(asyncio.create_task(reply(m)))
            await asyncio.sleep(0.1)
        await asyncio.gather(*answering)
        while await _open(sessionmaker):  # noqa: ASYNC110 - the state is in the database
            await asyncio.sleep(0.5)
        side.elapsed = time.monotonic() - start
        stop.set()
        await task
        side.cpu_s = cpu_seconds() - cpu
        await channel.stop()
        stats = await tg.stats()
        score(side, messages, stats)
        arrived = stats["arrived_at"]
        side.reply_ms = [1000 * (arrived[t] - at) for t, at in asked.items() if t in arrived]
    await engine.dispose()
    return side


async def run_ptb(messages: list[Message], concurrency: int, max_retries: int) -> Side:
    """The same messages by `concurrency` PTB senders sharing one `AIORateLimiter`."""
    from telegram.error import TelegramError
    from telegram.ext import AIORateLimiter, Application

    side = Side(f"PTB + AIORateLimiter(max_retries={max_retries})", len(messages))
    async with FakeTelegramProcess(rate_limits=True) as tg:
        app = (
            Application.builder()
            .token(DEFAULT_TOKEN)
            .base_url(tg.base_url)
            .rate_limiter(AIORateLimiter(max_retries=max_retries))
            .job_queue(None)
            .updater(None)
            .build()
        )
        await app.initialize()
        queue: asyncio.Queue[Message] = asyncio.Queue()
        for m in sorted(messages, key=lambda m: not m.reply):
            queue.put_nowait(m)
        cpu, start = cpu_seconds(), time.monotonic()

        async def worker() -> None:
            while not queue.empty():
                m = queue.get_nowait()
                with contextlib.suppress(TelegramError):
                    await app.bot.send_message(m.chat, m.text)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        side.elapsed = time.monotonic() - start
        side.cpu_s = cpu_seconds() - cpu
        await app.shutdown()
        score(side, messages, await tg.stats())
    return side


@contextlib.contextmanager
def busy_core(enabled: bool):  # type: ignore[no-untyped-def]
    """Another process keeping one core busy."""
    if not enabled:
        yield
        return
    proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        proc.kill()
        proc.wait()


async def measure(
    *,
    url: str | None = None,
    recipients: int = 1000,
    concurrency: int = 20,
    busy: bool = True,
    ptb: bool = True,
) -> list[Side]:
    """Run every side in one run (same machine state); returns their figures."""
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    messages = workload(recipients)
    sides: list[Side] = []
    with tempfile.TemporaryDirectory() as tmp, busy_core(busy):
        sides.append(
            await run_outbox(url or f"sqlite:///{tmp}/bench.sqlite3", messages, concurrency)
        )
        print(sides[-1].line(), flush=True)
        if ptb:
            for retries in (0, 5):
                sides.append(await run_ptb(messages, concurrency, retries))
                print(sides[-1].line(), flush=True)
    return sides


def figures(sides: list[Side]) -> dict[str, float]:
    """The headline numbers `bench_scale` reports."""
    ours = sides[0]
    out = {
        "outbox_cpu_ms_per_msg": round(1000 * ours.cpu_s / max(ours.delivered, 1), 3),
        "outbox_share_of_limit": round(ours.share, 4),
        "outbox_lost": ours.lost,
        "outbox_duplicated": ours.duplicated,
        "outbox_429s": ours.rejected_429,
        "reply_p95_ms": round(statistics.quantiles(ours.reply_ms, n=20)[-1], 1)
        if len(ours.reply_ms) > 1
        else 0.0,
    }
    ptb = [s for s in sides[1:] if "max_retries=5" in s.name]
    if ptb:
        out["ptb_share_of_limit"] = round(ptb[0].share, 4)
        out["ptb_lost"] = ptb[0].lost
        out["ptb_429s"] = ptb[0].rejected_429
    return out


def fanout_figures(**kwargs: Any) -> dict[str, float]:
    """Run the benchmark (see `measure` for the arguments) and return `figures`."""
    return figures(asyncio.run(measure(**kwargs)))


def main() -> None:
    """Parse arguments, run every side and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--url", default=None, help="database URL (default: temp SQLite file)")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--no-busy", action="store_true", help="no CPU-burning neighbour")
    parser.add_argument("--skip-ptb", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sides = asyncio.run(
        measure(
            url=args.url,
            recipients=args.recipients,
            concurrency=args.concurrency,
            busy=not args.no_busy,
            ptb=not args.skip_ptb,
        )
    )
    result = figures(sides)
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))
    if args.json:
        print(json.dumps([asdict(s) | {"reply_ms": len(s.reply_ms)} for s in sides]))


if __name__ == "__main__":
    main()

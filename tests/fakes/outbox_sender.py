"""The outbox dispatcher as a process of its own, for kill -9 tests and benchmarks.

    python -m tests.fakes.outbox_sender --url DATABASE_URL --base-url BOT_API_BASE
        [--concurrency 20] [--rate 30] [--request-timeout 10]

Runs the real `OutboxDispatcher` with the real `TelegramChannel` until SIGTERM (a clean stop)
or SIGKILL (a crash). Prints `READY <pid>` once dispatching, and on a clean stop one JSON line
`STATS {...}` with the CPU seconds this process used and the dispatcher's counters.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import sys

from bot.channels.telegram.channel import TelegramChannel
from scheduler.outbox.dispatcher import OutboxDispatcher, SystemClock
from scheduler.outbox.ratelimit import Limits
from store.db import make_engine, make_sessionmaker
from tests.fakes.telegram_server import DEFAULT_TOKEN


def cpu_seconds() -> float:
    """User + system CPU time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def main(argv: list[str] | None = None) -> None:
    """Dispatch until SIGTERM."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--request-timeout", type=float, default=10.0)
    args = parser.parse_args(argv)
    engine = make_engine(args.url)
    channel = TelegramChannel(
        DEFAULT_TOKEN, base_url=args.base_url, request_timeout=args.request_timeout
    )
    await channel._ensure_bot()  # getMe before dispatching, as `start` would
    limits = Limits(global_rate=args.rate)
    dispatcher = OutboxDispatcher(
        make_sessionmaker(engine),
        {"telegram": channel},
        {"telegram": limits},
        SystemClock(),
        concurrency=args.concurrency,
    )
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    start_cpu = cpu_seconds()
    task = asyncio.create_task(dispatcher.run_forever(stop))
    print(f"READY {os.getpid()}", flush=True)
    await task
    used = cpu_seconds() - start_cpu
    await channel.stop()
    await engine.dispose()
    stats = {"cpu_s": used, **dispatcher.stats}
    print(f"STATS {json.dumps(stats)}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))

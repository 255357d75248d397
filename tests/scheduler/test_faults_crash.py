"""kill -9 of the sender process in the middle of a fan-out of 1,000 reminders.

A real dispatcher process sends to the fake Bot API (in this process) and is killed with
SIGKILL once 300 messages are out; a new one is started. Asserted: nothing lost, at most the
sender's concurrency sent twice, every row marked sent. How long the recovery takes is a
figure of `tests/bench/bench_faults.py`; here the waits are only bounds for a stuck test.
"""

from __future__ import annotations

from collections import Counter

from store.models import DeliveryStatus
from tests.fakes.telegram_server import FakeTelegramServer
from tests.scheduler.faultkit import (
    Maker,
    SenderProcess,
    open_rows,
    queue_fanout,
    statuses,
    tally,
    until,
)

COUNT = 1_000
CONCURRENCY = 20
RATE = 100.0  # messages/s: recovery is under test here, not Telegram's pacing
BATCH = 100  # rows a dispatcher claims at a time (its default)


async def test_kill_9_mid_fanout_loses_nothing_and_repeats_at_most_the_inflight(
    sessionmaker: Maker, db_url: str
) -> None:
    chats = await queue_fanout(sessionmaker, COUNT)
    async with FakeTelegramServer() as tg:
        first = SenderProcess(db_url, tg.base_url, concurrency=CONCURRENCY, rate=RATE)
        await first.start()
        await until(lambda: len(tg.sent) >= 300, within=120)
        await first.kill()
        before = len(tg.sent)
        rows = await statuses(sessionmaker)
        assert 0 < rows[DeliveryStatus.SENT.value] < COUNT
        # Every message the platform took is either marked sent or was in flight.
        assert before - rows[DeliveryStatus.SENT.value] <= CONCURRENCY

        async with SenderProcess(db_url, tg.base_url, concurrency=CONCURRENCY, rate=RATE):
            await until(lambda: not tally(tg, chats)[0], within=180)
            await until(lambda: _drained(sessionmaker), within=60)
        lost, duplicated = tally(tg, chats)
        assert lost == 0
        assert duplicated <= CONCURRENCY
        assert (await statuses(sessionmaker)) == Counter({DeliveryStatus.SENT.value: COUNT})
        # Only the reminders queued were sent, each to its own chat.
        assert {m["chat"]["id"] for m in tg.sent} == set(chats)
        # In queue order, up to the dispatcher's window (a batch claimed ahead, the sends in
        # flight): the rows taken over from the dead sender go first after the restart.
        first_arrival = list(dict.fromkeys(m["chat"]["id"] for m in tg.sent))
        displacement = max(abs(n - chats.index(chat)) for n, chat in enumerate(first_arrival))
        assert displacement <= BATCH + CONCURRENCY


async def _drained(sessionmaker: Maker) -> bool:
    return await open_rows(sessionmaker) == 0

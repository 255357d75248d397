"""Rate limiter maths on virtual time: per chat, per group, overall, bursts and 429 pauses."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from scheduler.outbox.ratelimit import (
    TELEGRAM_LIMITS,
    ZALO_LIMITS,
    Limits,
    RateLimiter,
    default_limits,
)
from tests.fakes.recording_channel import FakeClock


def _limiter(clock: FakeClock, limits: Limits = TELEGRAM_LIMITS) -> RateLimiter:
    # The pacing maths without the safety margin between two messages to one chat.
    exact = dataclasses.replace(limits, chat_margin=0.0)
    return RateLimiter(exact, monotonic=clock.monotonic, sleep=clock.sleep)


async def _grant_times(clock: FakeClock, limiter: RateLimiter, chats: list[str]) -> list[float]:
    async def one(chat: str) -> float:
        await limiter.acquire(chat, chat.startswith("-"))
        return clock.monotonic()

    return list(await asyncio.gather(*(one(c) for c in chats)))


async def test_private_chat_gets_one_message_per_second() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    times = await _grant_times(clock, limiter, ["42", "42", "42"])
    assert times == pytest.approx([0.0, 1.0, 2.0])


async def test_group_gets_twenty_messages_per_minute() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    times = await _grant_times(clock, limiter, ["-100"] * 21)
    assert times[-1] == pytest.approx(60.0)
    assert sum(t < 60.0 for t in times) == 20


async def test_overall_rate_is_thirty_per_second() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    times = sorted(await _grant_times(clock, limiter, [str(n) for n in range(90)]))
    # Every 30 messages the one-second window waits its safety margin.
    assert times[-1] == pytest.approx(89 / 30 + 2 * TELEGRAM_LIMITS.window_margin)
    for start in times:
        # (less a float hair: 30 additions of 1/30 do not quite make 1.0)
        assert sum(start <= t < start + 1.0 - 1e-9 for t in times) <= 30


async def test_a_stalled_loop_does_not_release_a_burst_over_the_limit() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    waiting = asyncio.gather(*(_grant_times(clock, limiter, [str(n)]) for n in range(90)))
    await asyncio.sleep(0)  # every task has reserved its slot
    clock.advance(0.5)  # the event loop was busy for half a second: 15 slots have passed
    times = sorted(t for (t,) in await waiting)
    for start in times:
        assert sum(start <= t < start + 1.0 for t in times) <= 30


async def test_a_send_held_up_counts_in_the_window_from_when_it_could_have_arrived() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    quick = await limiter.acquire("a", False)
    limiter.settle(quick)  # sent at once: the fastest send so far
    slow = await limiter.acquire("b", False)  # let through at 1/30 s...
    clock.advance(0.5)
    limiter.settle(slow)  # ...but only sent half a second later
    times = await _grant_times(clock, limiter, [str(n) for n in range(30)])
    # The 30th message after `slow` waits a full window after `slow` could have arrived.
    margin = TELEGRAM_LIMITS.window_margin
    assert max(times) == pytest.approx(0.5 + 1 / 30 + 1.0 + margin)


async def test_chats_do_not_wait_for_each_other_beyond_the_overall_rate() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    times = await _grant_times(clock, limiter, ["1", "1", "2", "-100", "3"])
    assert times[0] == pytest.approx(0.0)
    assert times[1] == pytest.approx(1.0)
    assert max(times[2:]) < 0.5


async def test_burst_allows_several_at_once_then_paces() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, Limits(private_burst=3))
    times = await _grant_times(clock, limiter, ["7"] * 5)
    # The global pace (1/30 s) still spaces the burst slightly.
    assert times[2] < 0.1
    assert times[3] == pytest.approx(1.0, abs=0.07)
    assert times[4] == pytest.approx(2.0, abs=0.07)


async def test_penalise_chat_holds_only_that_chat() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    limiter.penalise("42", 30.0)
    times = await _grant_times(clock, limiter, ["42", "43"])
    assert times[0] == pytest.approx(30.0)
    assert times[1] < 0.1


async def test_penalise_none_pauses_the_whole_channel() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    limiter.penalise(None, 5.0)
    times = sorted(await _grant_times(clock, limiter, ["1", "2", "3"]))
    assert times[0] == pytest.approx(5.0)
    assert times[2] == pytest.approx(5.0 + 2 / 30)


async def test_penalty_during_a_wait_applies_to_slots_already_handed_out() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    waiting = asyncio.gather(*(limiter.acquire(str(n), False) for n in range(60)))
    await asyncio.sleep(0)  # every task has reserved its slot (up to 2 s ahead)
    limiter.penalise(None, 10.0)
    started = clock.monotonic()
    await waiting
    assert clock.monotonic() - started >= 10.0


async def test_penalty_for_a_chat_arriving_while_its_next_message_waits() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    await limiter.acquire("42", False)
    second = asyncio.ensure_future(limiter.acquire("42", False))
    await asyncio.sleep(0)
    limiter.penalise("42", 20.0)  # the first message got a 429
    await second
    assert clock.monotonic() == pytest.approx(20.0)


async def test_idle_chat_buckets_are_dropped() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    peak = 0
    for n in range(10_000):
        await limiter.acquire(str(n), False)
        peak = max(peak, limiter.tracked_chats)
    # 30 chats a second, buckets idle after 1 s, swept every 5 s.
    assert peak <= 30 * 7
    margins = (9_999 // 30) * TELEGRAM_LIMITS.window_margin
    assert clock.monotonic() == pytest.approx(9_999 / 30 + margins)


async def test_limits_are_validated() -> None:
    with pytest.raises(ValueError):
        Limits(global_rate=0)
    with pytest.raises(ValueError):
        Limits(group_burst=0)


def test_zalo_defaults_are_more_conservative_than_telegram() -> None:
    assert default_limits("telegram") is TELEGRAM_LIMITS
    assert default_limits("zalo") is ZALO_LIMITS
    assert ZALO_LIMITS.global_rate < TELEGRAM_LIMITS.global_rate
    assert ZALO_LIMITS.private_rate <= TELEGRAM_LIMITS.private_rate
    assert ZALO_LIMITS.group_rate <= TELEGRAM_LIMITS.group_rate


async def test_messages_to_one_chat_keep_a_margin_over_the_platform_pace() -> None:
    clock = FakeClock()
    limiter = RateLimiter(TELEGRAM_LIMITS, monotonic=clock.monotonic, sleep=clock.sleep)
    times = await _grant_times(clock, limiter, ["42", "42", "-7", "-7"])
    margin = TELEGRAM_LIMITS.chat_margin
    assert sorted(times) == pytest.approx([0.0, 1 / 30, 1 + margin, 1 / 30 + 3 + margin])


async def test_urgent_message_goes_ahead_of_queued_bulk_sends() -> None:
    clock = FakeClock()
    limiter = _limiter(clock)
    order: list[str] = []

    async def send(chat: str, *, urgent: bool = False) -> None:
        await limiter.acquire(chat, False, urgent=urgent)
        order.append(chat)

    bulk = [asyncio.create_task(send(f"b{n}")) for n in range(60)]  # two seconds of work
    await clock.sleep(0.2)
    await send("reply", urgent=True)
    await asyncio.gather(*bulk)
    # Bulk sends already let through stay; the reply takes the next place in the window.
    assert order.index("reply") <= 8
    assert clock.monotonic() == pytest.approx(61 / 30, abs=0.1)  # the overall rate holds

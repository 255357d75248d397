"""Per-user flood control: a polite answer, then silence, and no queued work."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.flood import FloodGuard, Verdict
from handlers.markup import to_plain
from handlers.types import Kind
from store.models import ProcessedMessage, Report, Role
from tests.factories import NOW, make_directive, make_task, make_unit, make_user
from tests.fakes.fake_channel import FakeChannel


def test_bucket_allows_a_burst_then_refills_at_the_rate():
    guard = FloodGuard(burst=3, per_second=0.5)
    assert [guard.check("a", 0.0).allowed for _ in range(3)] == [True, True, True]
    refused = guard.check("a", 0.0)
    assert (refused.allowed, refused.warn, refused.retry_after) == (False, True, 2.0)
    assert guard.check("a", 1.0) == Verdict(False, False, 1.0)
    assert guard.check("a", 2.0).allowed  # one token back after two seconds
    assert guard.check("b", 2.0).allowed  # other people are not affected


def test_warns_once_per_episode():
    guard = FloodGuard(burst=1, per_second=1.0)
    guard.check("a", 0.0)
    assert guard.check("a", 0.0).warn
    assert not guard.check("a", 0.1).warn
    assert guard.check("a", 5.0).allowed
    assert guard.check("a", 5.0).warn  # a new episode warns again


def test_memory_is_bounded():
    guard = FloodGuard(burst=2, per_second=1.0, max_keys=100)
    for i in range(1000):
        guard.check(f"user{i}", float(i))
    assert len(guard) == 100


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        FloodGuard(burst=0)


@pytest.fixture
async def world(sessionmaker):
    async with sessionmaker() as s, s.begin():
        bca = await make_unit(s, "bo-cong-an", "Bộ Công an")
        d = await make_directive(s)
        await make_task(s, d, "1", "Xây dựng dữ liệu", date(2025, 3, 31), [(bca, Role.LEAD)])
        await make_user(s, "u1", bca)
    clock = {"now": NOW}
    dispatcher = Dispatcher(
        sessionmaker,
        Options(),
        clock=lambda: clock["now"],
        flood=FloodGuard(burst=5, per_second=0.5),
    )
    return FakeChannel(dispatcher), clock


async def test_a_flooding_user_gets_one_polite_answer_and_no_work_is_done(world, sessionmaker):
    chan, clock = world
    answered = [await chan.push(f"nv 1 dat {i}%") for i in range(1, 21)]
    assert all(answered[:5])
    [warning] = answered[5]
    assert "quá nhanh" in to_plain(warning.text) and "2 giây" in to_plain(warning.text)
    assert all(r == [] for r in answered[6:])  # silence, not a queue of answers
    async with sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(Report)) == 5
        # Dropped messages never opened a transaction.
        assert await s.scalar(select(func.count()).select_from(ProcessedMessage)) == 5
    # Others are served meanwhile; the flooder is served again once the bucket refills.
    assert await chan.push("/help", user="u2")
    clock["now"] = NOW + timedelta(seconds=2)
    assert "Đã nhận" in to_plain((await chan.push("nv 1 dat 90%"))[0].text)


async def test_platform_events_are_never_throttled(world):
    chan, _clock = world
    for _ in range(10):
        await chan.push("/help")
    before = len(chan.sent)
    await chan.push(chat="-100", kind=Kind.EVENT, payload="added")
    assert len(chan.sent) == before + 1

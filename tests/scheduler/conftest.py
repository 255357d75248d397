"""Fixtures of the outbox tests: a fake clock and a recording Telegram channel."""

from __future__ import annotations

import pytest

from tests.fakes.recording_channel import FakeClock, RecordingChannel
from tests.scheduler.outboxkit import START


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def channel(clock: FakeClock) -> RecordingChannel:
    return RecordingChannel("telegram", clock=clock)

"""300 officials press Start at once while the Bot API enforces 30 messages/s.

`nhacviec run` against the fake Bot API with Telegram's limits on: every reply goes through
the outbox's rate limiter (urgent lane), and one the platform still refuses is queued and
retried, so all 300 get "Đã liên kết". How late the last one is goes to
`tests/bench/bench_faults.py`; the wait here only bounds a stuck test.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import open_app
from bot.config import load_settings
from store.invites import create_invite
from store.models import UserRole
from store.units import find_by_code
from tests.bot.telegram_harness import running_bot, until
from tests.fakes.telegram_server import FakeTelegramServer

OFFICIALS = 300
FIRST_USER = 6_100_001


@pytest.fixture
async def limited_telegram() -> FakeTelegramServer:
    """The fake Bot API answering 429 beyond 30 msg/s overall and 1/s per chat."""
    async with FakeTelegramServer(rate_limits=True) as server:
        yield server  # type: ignore[misc]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limited_telegram) -> Path:
    """Environment of `nhacviec run` against the rate-limited fake (long polling)."""
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET", "ZALO_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'nhacviec.sqlite3'}")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", limited_telegram.token)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", limited_telegram.base_url)
    monkeypatch.setenv("NHACVIEC_SCHEDULER_ENABLED", "false")
    return tmp_path


async def shared_invite(uses: int) -> str:
    """An invite code to Bộ Công an that `uses` officials may use."""
    async with open_app(load_settings()) as app, app.sessionmaker() as s, s.begin():
        unit = await find_by_code(s, "bo-cong-an")
        assert unit is not None
        invite = await create_invite(
            s, unit_id=unit.id, role=UserRole.OFFICER, now=datetime.now(UTC), max_uses=uses
        )
        return invite.code


def confirmed(tg: FakeTelegramServer) -> set[int]:
    """Officials whose chat got the link confirmation."""
    return {
        m["chat"]["id"]
        for m in tg.sent
        if m["chat"]["id"] >= FIRST_USER and "Đã liên kết" in m.get("text", "")
    }


async def test_300_simultaneous_starts_under_the_flood_limit_all_get_confirmed(
    env: Path, limited_telegram: FakeTelegramServer
) -> None:
    tg = limited_telegram
    code = await shared_invite(OFFICIALS)
    async with running_bot(tg):
        for n in range(OFFICIALS):
            user = tg.user(FIRST_USER + n, first_name=f"Cán bộ {n}", last_name=None)
            tg.push_command("start", code, user=user)
        await until(lambda: len(confirmed(tg)) == OFFICIALS, within=240)
    assert len(confirmed(tg)) == OFFICIALS
    # Each official got one confirmation, none twice.
    links = [m for m in tg.sent if "Đã liên kết" in m.get("text", "")]
    assert len(links) == OFFICIALS

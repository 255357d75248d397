"""Shared setup of the Telegram end-to-end tests: ids, the seeded registry, CLI and DB helpers."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import open_app
from bot.cli import main as cli
from bot.config import load_settings
from store.models import (
    Assignment,
    Delivery,
    DeliveryStatus,
    Role,
    UserRole,
)
from store.units import find_by_code
from tests.factories import make_directive, make_task, make_user
from tests.support import eventually

DIRECTIVES = Path(__file__).resolve().parents[1] / "store" / "fixtures" / "directives"
SECRET = "wh-Secret_for-e2e-0123456789"
ADMIN, OFFICER, BTC_OFFICER, HEAD, STRANGER = 5001, 5002, 5003, 5004, 5005
GROUP, SUPERGROUP = -4009001, -1009876543210987
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def today() -> date:
    """Today where the bot's "this month" is counted."""
    return datetime.now(UTC).astimezone(TZ).date()


def debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Capture every log line at DEBUG (where PTB prints URLs and call parameters)."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="aiosqlite")  # SQL parameters: noise, no secrets


async def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """`nhacviec ARGS` in-process (it runs its own event loop, so in a thread); its stdout."""
    capsys.readouterr()
    code = await asyncio.to_thread(cli, list(args))
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def write_plan(path: Path, title: str, lead: str, due: date) -> Path:
    """A one-task spreadsheet (CSV) with a deadline this month."""
    path.write_text(
        "Số hiệu: 12/KH-E2E\n"
        f"Ngày ban hành: {due.replace(day=1):%d/%m/%Y}\n"
        "TT,Tên nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Thời gian hoàn thành\n"
        f"1,{title},{lead},Bộ Tài chính,ngày {due.day}/{due.month}/{due.year}\n",
        encoding="utf-8",
    )
    return path


async def seed() -> dict[str, int]:
    """Tasks due this month for two ministries and linked officials (before the bot starts)."""
    due = today()
    async with open_app(load_settings()) as app, app.sessionmaker() as s, s.begin():
        bca = await find_by_code(s, "bo-cong-an")
        btc = await find_by_code(s, "bo-tai-chinh")
        assert bca is not None and btc is not None
        d = await make_directive(s, "99/QĐ-E2E")
        own = await make_task(s, d, "1", "Số hóa hồ sơ cư trú", due, [(bca, Role.LEAD)])
        other = await make_task(s, d, "2", "Rà soát phí, lệ phí", due, [(btc, Role.LEAD)])
        await make_user(s, str(OFFICER), bca, channel="telegram")
        await make_user(s, str(BTC_OFFICER), btc, channel="telegram")
        await make_user(s, str(HEAD), bca, UserRole.HEAD, channel="telegram")
        ids = {"bca": bca.id, "btc": btc.id}
        for name, task in (("own", own), ("other", other)):
            ids[name] = await s.scalar(select(Assignment.id).where(Assignment.task_id == task.id))
    return ids


async def replies_drained(within: float = 120.0) -> None:
    """Wait until no answer is left waiting in the outbox."""
    waiting = select(Delivery.id).where(
        Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING])
    )

    async def drained() -> bool:
        return not await query(waiting)

    await eventually(drained, within=within, interval=0.2, message="answers still queued")


async def query(stmt):  # type: ignore[no-untyped-def]
    """Read from the bot's database."""
    async with open_app(load_settings()) as app, app.sessionmaker() as s:
        return (await s.execute(stmt)).scalars().all()

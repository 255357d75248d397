"""End to end on Zalo: `nhacviec run` (bot.runner) against the fake Zalo Bot and OA servers.

Settings come from the environment as `nhacviec run` reads them; the database is migrated and
seeded by the runner; the invite comes from the CLI. Only the world's clock is real, so tasks
are dated this month. Every scenario runs by long polling and by webhook.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlalchemy import select

from bot.app import open_app
from bot.cli import main as cli
from bot.config import load_settings
from bot.runner import run_channels
from store.models import Identity, Report, Role, User
from store.units import find_by_code
from tests.bot.telegram_harness import free_port
from tests.factories import make_directive, make_task
from tests.fakes.zalo_bot_server import SECRET_HEADER, FakeZaloBotServer
from tests.fakes.zalo_oa_server import OA_SECRET, SECRET_KEY, FakeZaloOAServer
from tests.support import PATIENCE, eventually

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SECRET = "zalo-e2e-webhook-secret"
LAN, PROBE = "a1b2c3d4e5f6a7b8c9d0", "f0e1d2c3b4a5968778695"


def today() -> date:
    return datetime.now(UTC).astimezone(TZ).date()


def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    """No channel settings from the machine running the tests."""
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_WEBHOOK_URL",
        "TELEGRAM_WEBHOOK_SECRET",
        "ZALO_BOT_TOKEN",
        "ZALO_WEBHOOK_URL",
        "ZALO_WEBHOOK_SECRET",
        "ZALO_OA_APP_ID",
        "ZALO_OA_SECRET_KEY",
        "ZALO_OA_WEBHOOK_SECRET",
        "ZALO_OA_ACCESS_TOKEN",
        "ZALO_OA_REFRESH_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(params=["polling", "webhook"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZaloBotServer]:
    async with FakeZaloBotServer() as server:
        yield server


@pytest.fixture
def env(tmp_path, monkeypatch, db_url: str, zalo: FakeZaloBotServer, mode: str) -> str | None:
    """`nhacviec run` with only ZALO_BOT_TOKEN (and the webhook settings in webhook mode)."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    _clean(monkeypatch)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("ZALO_BOT_TOKEN", zalo.token)
    monkeypatch.setenv("ZALO_API_BASE_URL", zalo.base_url)
    monkeypatch.setenv("NHACVIEC_SCHEDULER_ENABLED", "false")  # no 16:00 job mid-test
    if mode == "polling":
        return None
    port = free_port()
    url = f"http://127.0.0.1:{port}/zalo/webhook"
    monkeypatch.setenv("ZALO_WEBHOOK_URL", url)
    monkeypatch.setenv("ZALO_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("HTTP_HOST", "127.0.0.1")
    monkeypatch.setenv("HTTP_PORT", str(port))
    return url


async def until(predicate: Callable[[], bool], within: float = PATIENCE) -> None:
    """Wait until `predicate()` holds (the state lives in the fake server)."""
    await eventually(predicate, within=within, interval=0.005)


@asynccontextmanager
async def running(zalo: FakeZaloBotServer, receiving: str) -> AsyncIterator[None]:
    """`nhacviec run` in the background until the block ends."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_channels(load_settings(), stop))
    try:
        await until(lambda: bool(zalo.calls_of(receiving)) or task.done(), within=30)
        if task.done():
            task.result()
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)


async def say(zalo: FakeZaloBotServer, text: str, user: str = LAN) -> str:
    """Write to the bot as `user`; return everything it answered (in order)."""
    mark = len(zalo.texts_to(user))
    zalo.push_text(text, user=user)
    # Updates are handled in order: once a probe is answered, so is everything before it.
    probe = len(zalo.texts_to(PROBE))
    zalo.push_text("/help", user=PROBE)
    await until(lambda: len(zalo.texts_to(PROBE)) > probe)
    return "\n".join(zalo.texts_to(user)[mark:])


def choice(answer: str, label: str) -> str:
    """The number shown for a choice whose label contains `label`."""
    found = re.search(rf"^\s+(\d+)\. [^\n]*{re.escape(label)}", answer, re.M)
    assert found, answer
    return found.group(1)


async def seed() -> None:
    """A task of Bộ Công an due this month (before the bot starts)."""
    async with open_app(load_settings()) as app, app.sessionmaker() as s, s.begin():
        bca = await find_by_code(s, "bo-cong-an")
        assert bca is not None
        d = await make_directive(s, "77/QĐ-ZALO")
        await make_task(s, d, "1", "Số hóa hồ sơ hộ tịch", today(), [(bca, Role.LEAD)])


def invite_code(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    assert cli(["invite", "--unit", "Bộ Công an", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


async def test_start_due_question_and_guided_report_over_zalo(
    env: str | None, mode: str, zalo: FakeZaloBotServer, capsys, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="aiosqlite")
    await seed()
    invite = await asyncio.to_thread(invite_code, capsys)
    assert invite["link"] is None  # no Telegram bot: no t.me link, the code is what counts
    async with running(zalo, "setWebhook" if env else "getUpdates"):
        if env:
            [hook] = zalo.calls_of("setWebhook")
            assert hook.params == {"url": env, "secret_token": SECRET}
        else:
            assert zalo.calls_of("deleteWebhook")
        assert "Đã liên kết với Bộ Công an" in await say(zalo, f"/start {invite['code']}")
        due = await say(zalo, "thang nay co viec gi den han")
        assert "Số hóa hồ sơ hộ tịch" in due and f"{today():%d/%m/%Y}" in due
        assert "<b>" not in due and "\x02" not in due  # plain text on Zalo

        # The guided report, answered with the numbers shown for the buttons.
        pick = await say(zalo, "báo cáo")
        progress = await say(zalo, choice(pick, "Số hóa hồ sơ hộ tịch"))
        note = await say(zalo, choice(progress, "50%"))
        assert "ghi chú" in note.lower()
        evidence = await say(zalo, "Đã số hóa 60% hồ sơ")
        confirm = await say(zalo, choice(evidence, "Bỏ qua"))
        assert "50%" in confirm and "Đã số hóa 60% hồ sơ" in confirm
        received = await say(zalo, choice(confirm, "Gửi"))
        assert "Đã nhận báo cáo NV 1 — 50%" in received
        if env:
            # A forged or missing secret is refused, and nothing is handled.
            async with aiohttp.ClientSession() as http:
                body = zalo.update("quá hạn", user=LAN)
                for headers in ({SECRET_HEADER: "not-the-secret"}, {}):
                    async with http.post(env, json=body, headers=headers) as resp:
                        assert resp.status == 401
            assert all(status == 200 for _, status in zalo.webhook_deliveries)
    async with open_app(load_settings()) as app, app.sessionmaker() as s:
        report = await s.scalar(select(Report))
        identity = await s.scalar(select(Identity).where(Identity.external_id == LAN))
    assert report is not None and report.percent == 50 and report.text == "Đã số hóa 60% hồ sơ"
    assert identity is not None and identity.channel == "zalo"
    assert zalo.token not in caplog.text
    assert zalo.token.split(":")[1] not in caplog.text


async def test_zalo_official_account_only(
    monkeypatch, tmp_path, db_url: str, capsys, caplog
) -> None:
    """`nhacviec run` with only the OA configured: signed webhooks in, replies out."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="aiosqlite")
    monkeypatch.chdir(tmp_path)
    _clean(monkeypatch)
    async with FakeZaloOAServer() as oa:
        access, refresh = oa.authorize()
        port = free_port()
        for name, value in {
            "DATABASE_URL": db_url,
            "ZALO_OA_APP_ID": oa.app_id,
            "ZALO_OA_SECRET_KEY": SECRET_KEY,
            "ZALO_OA_WEBHOOK_SECRET": OA_SECRET,
            "ZALO_OA_ACCESS_TOKEN": access,
            "ZALO_OA_REFRESH_TOKEN": refresh,
            "ZALO_OA_API_BASE_URL": oa.base_url,
            "ZALO_OA_OAUTH_BASE_URL": oa.base_url,
            "HTTP_HOST": "127.0.0.1",
            "HTTP_PORT": str(port),
            "NHACVIEC_SCHEDULER_ENABLED": "false",
        }.items():
            monkeypatch.setenv(name, value)
        await seed()
        invite = await asyncio.to_thread(invite_code, capsys)
        url = f"http://127.0.0.1:{port}/zalo-oa/webhook"
        stop = asyncio.Event()
        task = asyncio.create_task(run_channels(load_settings(), stop))
        try:

            async def followed() -> bool:
                assert not task.done(), task
                try:
                    return await oa.deliver(url, oa.follow_event(LAN)) == 200
                except aiohttp.ClientError:
                    return False  # not listening yet

            await eventually(followed, interval=0.05, message="the OA webhook never listened")
            await oa.wait_sent(1)
            assert "Chào mừng" in oa.texts_to(LAN)[0]
            assert await oa.deliver(url, oa.text_event(LAN, f"/start {invite['code']}")) == 200
            await oa.wait_sent(2)
            assert "Đã liên kết với Bộ Công an" in oa.texts_to(LAN)[1]
            event = oa.text_event(LAN, "quá hạn")
            assert await oa.deliver(url, event, signature="mac=" + "f" * 64) == 401
            assert await oa.deliver(url, oa.text_event(LAN, "thang nay co viec gi den han")) == 200
            await oa.wait_sent(3)
            assert "Số hóa hồ sơ hộ tịch" in oa.texts_to(LAN)[2]
        finally:
            stop.set()
            await asyncio.wait_for(task, 20)
    async with open_app(load_settings()) as app, app.sessionmaker() as s:
        user = await s.scalar(select(User).join(Identity).where(Identity.external_id == LAN))
    assert user is not None and user.unit_id is not None and user.preferred_channel == "zalo_oa"
    for secret in (access, refresh, SECRET_KEY, OA_SECRET):
        assert secret not in caplog.text


def test_run_without_any_channel_names_the_settings(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    _clean(monkeypatch)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert cli(["run"]) == 2
    err = capsys.readouterr().err
    assert "ZALO_BOT_TOKEN" in err and "ZALO_OA_APP_ID" in err


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"ZALO_OA_APP_ID": "1"}, "ZALO_OA_SECRET_KEY"),
        ({"ZALO_OA_APP_ID": "1", "ZALO_OA_SECRET_KEY": "k"}, "ZALO_OA_WEBHOOK_SECRET"),
        (
            {"ZALO_BOT_TOKEN": "1:x", "ZALO_WEBHOOK_URL": "https://b.vn/zalo/webhook"},
            "ZALO_WEBHOOK_SECRET",
        ),
        ({"ZALO_BOT_TOKEN": "1:x", "ZALO_WEBHOOK_SECRET": "12345678"}, "ZALO_WEBHOOK_SECRET"),
    ],
)
def test_bad_zalo_settings_stop_start_up_with_one_line(
    monkeypatch, tmp_path, capsys, env: dict[str, str], named: str
) -> None:
    monkeypatch.chdir(tmp_path)
    _clean(monkeypatch)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cli(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert named in err and "\n" not in err

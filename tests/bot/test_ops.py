"""`nhacviec remind|digest|export|score` against a real database and the fake Telegram server."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot import ops, push_runtime
from bot.app import open_app
from bot.cli import _parser, main
from bot.config import ConfigError, load_settings
from scheduler.reminders import REMINDER
from store.models import Chat, Delivery, DeliveryStatus, Identity, JobRun
from store.reports import record_report
from tests.fakes.recording_channel import FakeClock
from tests.fakes.telegram_api import Fault
from tests.fakes.telegram_server import DEFAULT_TOKEN
from tests.scheduler.pushworld import AT_1600, DAY, build, deliveries, local

PRIVATE = {101, 105}  # the reachable Telegram officials of Bộ Công an


@pytest.fixture
def env(monkeypatch, db_url, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "ZALO_OA_APP_ID", "TELEGRAM_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", db_url)
    return monkeypatch


@pytest.fixture
async def world(env, sessionmaker):
    return await build(sessionmaker, channel="telegram")


@pytest.fixture
def telegram(env, fake_telegram):
    env.setenv("TELEGRAM_BOT_TOKEN", DEFAULT_TOKEN)
    env.setenv("TELEGRAM_API_BASE_URL", fake_telegram.base_url)
    return fake_telegram


def _sent(server, chat_id: int) -> list[dict]:
    """Messages the bot sent to a chat."""
    return server.sent_to(chat_id)


async def _cli(capsys, *argv: str) -> tuple[int, str]:
    """Parse like the console script, then run the command in this event loop."""
    args = _parser().parse_args(list(argv))
    handler = {"remind": ops.remind, "digest": ops.digest, "export": ops.export}[argv[0]]
    code = await handler(load_settings(), args)
    return code, capsys.readouterr().out


async def test_remind_now_sends_through_the_outbox_once(world, telegram, capsys):
    code, out = await _cli(capsys, "remind", "--now", "2025-07-15T16:00")
    assert code == 0
    assert out.splitlines()[0].startswith("reminder 2025-07-15: done (queued 3")
    assert "deliveries via telegram: 2 sent, 1 pending" in out  # the Zalo one waits for Zalo
    for chat in PRIVATE:
        (msg,) = _sent(telegram, chat)
        assert "Báo cáo sơ kết 6 tháng" in msg["text"]
        assert msg["reply_markup"]["inline_keyboard"][0][0]["callback_data"].startswith("r:")
    # Again, as an operator might: the run is claimed, nothing is sent twice.
    code, out = await _cli(capsys, "remind", "--now", "2025-07-15T16:05:00+07:00", "--json")
    data = json.loads(out)
    assert (data["status"], data["deliveries"]) == ("already_ran", {"sent": 2, "pending": 1})
    assert all(len(_sent(telegram, chat)) == 1 for chat in PRIVATE)


async def test_remind_marks_a_blocked_official_and_follows_nothing_else(
    world, telegram, sessionmaker, capsys
):
    telegram.block(105)
    code, out = await _cli(capsys, "remind", "--now", "2025-07-15T16:00")
    assert code == 0 and "1 sent" in out and "1 unreachable" in out
    async with sessionmaker() as s:
        reach = await s.scalar(select(Identity.reachable).where(Identity.chat_id == "105"))
    assert reach is False


async def test_429_and_5xx_are_retried_within_the_run(world, telegram, env, sessionmaker):
    telegram.fail("sendMessage", Fault.flood(7))
    telegram.fail("sendMessage", Fault.server_error(502))
    clock = FakeClock(AT_1600)  # virtual time for the pauses; the HTTP is real
    result, counts, used = await ops.run_and_send(
        load_settings(), REMINDER, AT_1600, "reminder:2025-07-15:", clock=clock
    )
    assert result.queued == 3
    assert used == ["telegram"] and counts == {"sent": 2, "pending": 1}
    assert all(len(_sent(telegram, chat)) == 1 for chat in PRIVATE)
    assert clock.monotonic() >= 7  # retry_after was honoured
    async with sessionmaker() as s:
        rows = (await s.execute(select(Delivery.chat_id, Delivery.attempts))).all()
    attempts = {chat: n for chat, n in rows}
    assert sorted(attempts[str(c)] for c in PRIVATE) == [2, 2]  # one 429, one 502


async def test_digest_now_follows_a_group_migration(world, telegram, sessionmaker, capsys):
    telegram.migrated[-100] = -100777
    code, out = await _cli(capsys, "digest", "--now", "2025-07-15T16:30")
    assert code == 0 and "2 sent" in out
    assert "Tổng hợp tình hình ngày 15/07/2025" in _sent(telegram, -100777)[0]["text"]
    assert "Bộ Công an" in _sent(telegram, -900)[0]["text"]
    async with sessionmaker() as s:
        assert await s.scalar(select(Chat.chat_id).where(Chat.id == world.chats["unit"])) == (
            "-100777"
        )


def test_without_a_channel_remind_only_queues(world, capsys):
    assert main(["remind", "--now", "2025-07-15T16:00"]) == 0
    out = capsys.readouterr().out
    assert "no channel configured" in out and "3 deliveries stay queued" in out


def test_remind_on_tet_sends_nothing(world, capsys):
    assert main(["remind", "--now", "2026-02-17T16:00", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "not_workday"


def test_bad_now_is_refused_with_one_line(world, capsys):
    assert main(["remind", "--now", "tomorrow"]) == 2
    assert capsys.readouterr().err.strip() == "nhacviec: --now: not an ISO date-time: 'tomorrow'"


async def test_remind_while_the_service_runs_sends_nothing_twice(
    world, telegram, sessionmaker, capsys
):
    settings = load_settings()
    async with open_app(settings) as app:
        for channel in push_runtime.sending_channels(settings).values():
            app.add_channel(channel)
        runtime = push_runtime.PushRuntime(app, job_clock=lambda: local(DAY, 16))
        await runtime.start()
        try:
            # The service's catch-up and an operator's manual run, at the same time.
            code, _out = await _cli(capsys, "remind", "--now", "2025-07-15T16:00")
            await _until_sent(sessionmaker, 2)
        finally:
            await runtime.stop()
            for channel in app.channels.values():
                await channel.stop()
    assert code == 0
    assert all(len(_sent(telegram, chat)) == 1 for chat in PRIVATE)
    async with sessionmaker() as s:
        # One run: whichever claimed the day first (the service limits itself to the channels
        # it has, so the Zalo-only official is left out when it wins).
        assert await s.scalar(select(func.count()).select_from(JobRun)) == 1


async def _until_sent(sessionmaker, n: int) -> None:
    for _ in range(500):
        rows = await deliveries(sessionmaker)
        if sum(r.status is DeliveryStatus.SENT for r in rows) >= n:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("deliveries not sent")


async def test_export_writes_tasks_and_reports_with_vietnamese_headers(
    world, sessionmaker, tmp_path, capsys
):
    async with sessionmaker() as s, s.begin():
        await record_report(
            s,
            assignment=await world.assignment(s, "t1", "bca"),
            author_id=world.users["officer"],
            percent=60,
            done=False,
            text='=HYPERLINK("http://evil.example","bấm")',
            now=local(DAY, 9, 15),
            local_day=DAY,
            attachment="file-id-1|du-thao.docx",
        )
    out = tmp_path / "bca.xlsx"
    code, printed = await _cli(capsys, "export", "--unit", "Bộ Công an", "--out", str(out))
    assert code == 0 and printed.startswith(f"wrote {out}: 5 tasks and 2 reports of Bộ Công an")
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames == ["Nhiệm vụ", "Báo cáo"]
    tasks = list(wb["Nhiệm vụ"].values)
    assert tasks[0][:4] == ("Đơn vị", "Số NV", "Văn bản", "Mục trong văn bản")
    by_seq = {row[1]: row for row in tasks[1:]}
    assert by_seq[2][4] == "Báo cáo sơ kết 6 tháng"
    assert by_seq[2][5] == "chủ trì"
    assert by_seq[2][7].date() == DAY - timedelta(days=5)
    assert by_seq[5][8] == "hoàn thành đúng hạn"
    assert by_seq[1][9] == 60 and by_seq[1][10].strftime("%d/%m %H:%M") == "15/07 09:15"
    reports = list(wb["Báo cáo"].values)
    assert reports[0][4:6] == ("Thời gian báo cáo", "Người báo cáo")
    note = next(r for r in reports[1:] if r[1] == 1)
    assert note[8] == '=HYPERLINK("http://evil.example","bấm")'  # text, not a formula
    assert wb["Báo cáo"].cell(row=reports.index(note) + 1, column=9).data_type == "s"
    assert note[9] == "du-thao.docx"


async def test_export_refuses_an_unknown_unit(world, tmp_path, capsys):
    args = _parser().parse_args(
        ["export", "--unit", "Bộ Không Có", "--out", str(tmp_path / "x.xlsx")]
    )
    assert await ops.export(load_settings(), args) == 1
    assert "no unit matches" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


async def test_score_prints_the_month_and_sends_it_to_oversight_groups(
    world, telegram, tmp_path, capsys
):
    chart = tmp_path / "chart.png"
    args = _parser().parse_args(["score", "--month", "2025-07", "--chart", str(chart)])
    assert await ops.score(load_settings(), args) == 0
    out = capsys.readouterr().out
    assert out.startswith("Bảng xếp hạng — tháng 7/2025")
    assert "Bộ Công an" in out and "Điểm = 60% hoàn thành đúng hạn" in out
    assert chart.read_bytes().startswith(b"\x89PNG")
    args = _parser().parse_args(["score", "--month", "2025-07", "--send", "--json"])
    assert await ops.score(load_settings(), args) == 0
    scores, run = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert scores["month"] == "2025-07" and {s["unit"] for s in scores["scores"]} >= {"Bộ Công an"}
    # The text and then the chart (3 s later: Telegram allows 20 messages a minute per group).
    assert (run["job"], run["status"], run["deliveries"]) == ("scoreboard", "done", {"sent": 2})
    assert telegram.calls_of("sendPhoto")  # the chart went to the oversight group
    assert not _sent(telegram, -100)  # the unit's own group gets no scoreboard


def test_scheduler_settings_are_checked_and_mapped(env):
    with pytest.raises(ConfigError, match="NHACVIEC_NUDGE_TIME"):
        load_settings(NHACVIEC_NUDGE_TIME="16:30")
    with pytest.raises(ConfigError, match="NHACVIEC_SCORE_WEIGHT_DISCIPLINE"):
        load_settings(NHACVIEC_SCORE_WEIGHT_COMPLETION="0", NHACVIEC_SCORE_WEIGHT_DISCIPLINE="0")
    with pytest.raises(ConfigError, match="NHACVIEC_SCORE_LATE_CREDIT"):
        load_settings(NHACVIEC_SCORE_LATE_CREDIT="1.5")
    settings = load_settings(
        NHACVIEC_NUDGE_ENABLED="false",
        NHACVIEC_REMINDER_TIME="16:30",
        NHACVIEC_EXTRA_WORKDAYS="2026-05-09",
        NHACVIEC_SCORE_WEIGHT_COMPLETION="1",
        NHACVIEC_SCORE_WEIGHT_DISCIPLINE="1",
    )
    cfg = push_runtime.job_config(settings, ["telegram"])
    assert cfg.nudge_time is None and cfg.reminder_time.strftime("%H:%M") == "16:30"
    assert cfg.channels == frozenset({"telegram"})
    assert cfg.calendar.is_workday(date(2026, 5, 9))  # the swapped Saturday
    assert cfg.rules.is_workday(date(2026, 5, 9))
    assert (cfg.rules.weight_completion, cfg.rules.weight_discipline) == (1.0, 1.0)

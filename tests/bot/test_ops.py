"""`nhacviec remind|digest|export|score` against a real database and the fake Telegram server."""

from __future__ import annotations

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
from store.reports import add_report
from tests.fakes.recording_channel import FakeClock
from tests.fakes.telegram_api import Fault
from tests.fakes.telegram_server import DEFAULT_TOKEN
from tests.scheduler.pushworld import AT_1600, DAY, build, deliveries, local
from tests.support import eventually

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
    assert out.splitlines()[0].startswith("Lời nhắc ngày 15/07/2025: đã chạy — 3 tin đưa vào")
    assert "Gửi qua telegram: 2 đã gửi, 1 đang chờ gửi" in out  # the Zalo one waits for Zalo
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
    assert code == 0 and "1 đã gửi" in out and "1 không gửi được (đã chặn bot)" in out
    async with sessionmaker() as s:
        reach = await s.scalar(select(Identity.reachable).where(Identity.chat_id == "105"))
    assert reach is False


async def test_429_and_5xx_are_retried_within_the_run(world, telegram, env, sessionmaker):
    telegram.fail("sendMessage", Fault.flood(7))
    telegram.fail("sendMessage", Fault.server_error(502))
    clock = FakeClock(AT_1600)  # virtual time for the pauses; the HTTP is real
    result, counts, used, _messages = await ops.run_and_send(
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
    assert code == 0 and "2 đã gửi" in out
    assert "Tổng hợp tình hình ngày 15/07/2025" in _sent(telegram, -100777)[0]["text"]
    assert "Bộ Công an" in _sent(telegram, -900)[0]["text"]
    async with sessionmaker() as s:
        assert await s.scalar(select(Chat.chat_id).where(Chat.id == world.chats["unit"])) == (
            "-100777"
        )


def test_without_a_channel_remind_only_queues(world, capsys):
    assert main(["remind", "--now", "2025-07-15T16:00"]) == 0
    out = capsys.readouterr().out
    assert "Chưa cấu hình kênh gửi ở đây" in out and "3 tin vẫn nằm trong hàng đợi" in out


def test_remind_on_tet_sends_nothing(world, capsys):
    assert main(["remind", "--now", "2026-02-17T16:00", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "not_workday"


def test_bad_now_is_refused_with_one_line(world, capsys):
    assert main(["remind", "--now", "tomorrow"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "nhacviec: --now: không phải ngày giờ dạng ISO: 'tomorrow'"
    assert main(["remind", "--now", "tomorrow", "--lang", "en"]) == 2
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
        runs = select(func.count()).where(JobRun.job == "reminder")
        assert await s.scalar(runs) == 1


async def _until_sent(sessionmaker, n: int) -> None:
    async def sent() -> bool:
        rows = await deliveries(sessionmaker)
        return sum(r.status is DeliveryStatus.SENT for r in rows) >= n

    await eventually(sent, message=f"{n} deliveries not sent")


async def test_export_writes_tasks_and_reports_with_vietnamese_headers(
    world, sessionmaker, tmp_path, capsys
):
    async with sessionmaker() as s, s.begin():
        await add_report(
            s,
            assignment=await world.assignment(s, "t1", "bca"),
            author_id=world.users["officer"],
            percent=60,
            done=False,
            text='=HYPERLINK("http://evil.example","bấm")',
            now=local(DAY, 9, 15),
            local_day=DAY,
            attachment=json.dumps(
                {"channel": "telegram", "ref": "BQACAgIAAxkBAAIC", "name": "dự-thảo.docx"}
            ),
        )
    out = tmp_path / "bca.xlsx"
    code, printed = await _cli(capsys, "export", "--unit", "Bộ Công an", "--out", str(out))
    assert code == 0
    assert printed.startswith(f"Đã ghi {out}: 5 nhiệm vụ và 2 báo cáo của Bộ Công an")
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
    assert note[9] == "dự-thảo.docx"  # the file's name, not the stored JSON


async def test_export_refuses_an_unknown_unit(world, tmp_path, capsys):
    args = _parser().parse_args(
        ["export", "--unit", "Bộ Không Có", "--out", str(tmp_path / "x.xlsx")]
    )
    assert await ops.export(load_settings(), args) == 1
    assert "không tìm thấy đơn vị 'Bộ Không Có'" in capsys.readouterr().err
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
    keep = push_runtime.housekeeping_from(
        load_settings(
            NHACVIEC_HOUSEKEEPING_TIME="02:30",
            NHACVIEC_PROCESSED_RETENTION_DAYS="3",
            NHACVIEC_CONVERSATION_RETENTION_DAYS="1",
        )
    )
    assert (keep.at_time.strftime("%H:%M"), keep.processed_age, keep.conversation_age) == (
        "02:30",
        timedelta(days=3),
        timedelta(days=1),
    )
    assert push_runtime.housekeeping_from(settings).batch == 1000  # the defaults
    with pytest.raises(ConfigError, match="NHACVIEC_PROCESSED_RETENTION_DAYS"):
        load_settings(NHACVIEC_PROCESSED_RETENTION_DAYS="0")


def test_remind_show_prints_each_message_once_with_its_recipients(world, capsys):
    assert main(["remind", "--now", "2025-07-15T16:00", "--show"]) == 0
    out = capsys.readouterr().out
    # Two officials of Bộ Công an read the same Vietnamese list, one reads it in English.
    assert "3 tin trong hàng đợi cho ngày 15/07/2025, 2 nội dung khác nhau:" in out
    headers = [line for line in out.splitlines() if line.startswith("── Người nhận: ")]
    assert headers == [
        "── Người nhận: Lan (telegram 101), Minh (zalo z102)",
        "── Người nhận: Anna (telegram 105)",
    ]
    assert out.count("NV 2 · Báo cáo sơ kết 6 tháng") == 1
    assert "[Báo cáo NV 2 | Báo cáo NV 1 | Báo cáo NV 3]" in out  # the buttons, as labels
    # A second run queues nothing new, and --show still shows what the day holds.
    assert main(["remind", "--now", "2025-07-15T16:10", "--show", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "already_ran" and len(data["messages"]) == 3
    assert {m["status"] for m in data["messages"]} == {"pending"}
    assert {m["recipient"] for m in data["messages"]} == {"Lan", "Minh", "Anna"}


def test_remind_and_digest_say_plainly_when_nobody_is_linked(env, capsys):
    assert main(["digest", "--now", "2025-07-15T16:30"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Chưa có nhóm chat nào được liên kết với đơn vị")
    assert "/link" in out
    assert main(["remind", "--now", "2025-07-15T16:00", "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("No official is linked to a unit yet")


async def test_nothing_is_claimed_when_nobody_is_linked(env, sessionmaker, capsys):
    args = _parser().parse_args(["digest", "--now", "2025-07-15T16:30"])
    assert await ops.digest(load_settings(), args) == 0
    async with sessionmaker() as s:
        # Linking a group later that day and running again still sends the digest.
        assert await s.scalar(select(func.count()).select_from(JobRun)) == 0


def test_cli_language_comes_from_nhacviec_lang(world, env, capsys):
    env.setenv("NHACVIEC_LANG", "en")
    assert main(["remind", "--now", "2025-07-15T16:00"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The reminder for 15/07/2025: ran — 3 queued")
    assert "No channel is configured here" in out
    assert main(["digest", "--now", "2025-07-15T16:30", "--lang", "vi"]) == 0
    assert capsys.readouterr().out.startswith("Bản tổng hợp gửi nhóm ngày 15/07/2025: đã chạy")
    env.setenv("NHACVIEC_LANG", "fr")
    assert main(["remind"]) == 2
    assert "NHACVIEC_LANG" in capsys.readouterr().err


async def test_score_counts_units_without_data_and_names_only_measured_parts(
    world, tmp_path, capsys
):
    args = _parser().parse_args(
        ["score", "--month", "2025-07", "--chart", str(tmp_path / "c.png")]
    )
    assert await ops.score(load_settings(), args) == 0
    out = capsys.readouterr().out
    # Bộ Xây dựng has work only in 2026: it is counted, not listed.
    assert "1 đơn vị khác chưa có số liệu chấm điểm" in out
    assert "Bộ Xây dựng" not in out
    assert "Điểm = 60% hoàn thành đúng hạn" in out and "40% báo cáo hằng ngày" in out

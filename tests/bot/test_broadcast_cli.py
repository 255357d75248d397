"""`nhacviec broadcast`: queue, fan out and send from the command line; `status`; refusals."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import broadcast_cli
from bot.cli import _parser
from bot.config import load_settings
from scheduler.broadcasts import start_queued
from store.models import Broadcast, Directive
from tests.factories import make_unit, make_user
from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeTelegramServer
from tests.handlers.test_broadcast import PLAN


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "NHACVIEC_ADMINS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def plan_file(tmp_path) -> Path:
    path = tmp_path / "kh.csv"
    path.write_bytes(PLAN)
    return path


@pytest.fixture
async def officials(sessionmaker):
    async with sessionmaker() as s, s.begin():
        unit = await make_unit(s, "bo-noi-vu", "Bộ Nội vụ")
        await make_unit(s, "bo-cong-an", "Bộ Công an")
        for n in range(3):
            await make_user(s, f"{100 + n}", unit, channel="telegram")


async def run(db_url: str, argv: list[str], **settings: str) -> int:
    args = _parser().parse_args(["broadcast", *argv])
    return await broadcast_cli.broadcast(load_settings(database_url=db_url, **settings), args)


async def test_without_a_channel_it_is_queued_for_the_running_bot(
    db_url, sessionmaker, officials, capsys
):
    argv = ["--text", "Họp giao ban 14:00", "--units", "bo noi vu", "--yes", "--json"]
    assert await run(db_url, argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["broadcast"]["status"] == "queued" and out["stats"]["total"] == 0
    async with sessionmaker() as s:
        b = await s.scalar(select(Broadcast))
    assert b.text == "Họp giao ban 14:00" and b.created_by is None
    # `nhacviec run` fans it out for its channels; status reports on it.
    await start_queued(sessionmaker, now=b.created_at, channels={"telegram"})
    assert await run(db_url, ["status", str(b.id), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["stats"]["pending"] == 3
    assert await run(db_url, ["status"]) == 0
    out = capsys.readouterr().out
    assert "3 người nhận: 0 đã nhận, 3 đang gửi" in out
    # Local time (Hà Nội), and the zone named: an admin compares it with their own clock.
    created = b.created_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    first = out.splitlines()[0]
    assert first == (
        f"Thông báo #{b.id} (đang gửi), tạo lúc {created:%d/%m/%Y %H:%M} (giờ Asia/Ho_Chi_Minh)"
    )
    assert await run(db_url, ["status", "--lang", "en"]) == 0
    assert "3 recipients: 0 delivered, 3 still sending" in capsys.readouterr().out


async def test_file_is_uploaded_once_then_sent_by_reference(
    db_url, sessionmaker, officials, capsys, plan_file
):
    plan = plan_file
    async with FakeTelegramServer() as tg:
        argv = ["--text", "Kế hoạch 12", "--file", str(plan), "--all", "--import"]
        code = await run(
            db_url,
            [*argv, "--yes", "--json"],
            telegram_bot_token=DEFAULT_TOKEN,
            telegram_api_base_url=tg.base_url,
            admins="telegram:999",
        )
        assert code == 0
        out = json.loads(capsys.readouterr().out)
        uploads = [c for c in tg.calls_of("sendDocument") if c.files]
        assert [c.params["chat_id"] for c in uploads] == [999]  # the admin's copy
        (copy,) = tg.sent_to(999)
        file_id = copy["document"]["file_id"]
        assert tg.file_content(file_id) == PLAN
        for chat in (100, 101, 102):
            (message,) = tg.sent_to(chat)
            assert message["document"]["file_id"] == file_id
            assert "Kế hoạch 12" in message["caption"]
    assert out["broadcast"]["status"] == "done"
    assert out["broadcast"]["directive"] == "12/KH-BCĐ"
    assert out["stats"]["delivered"] == 3
    async with sessionmaker() as s:
        assert (await s.scalar(select(Directive.number))) == "12/KH-BCĐ"


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["--text", "x"], 2, "choose the recipients"),
        (["--units", "Bộ Nội vụ"], 2, "give --text, --file or both"),
        (["--text", "x", "--all", "--import"], 2, "--import needs --file"),
        (["--text", "x" * 3501, "--all"], 2, "at most 3500"),
        (["--text", "x", "--units", "qqq", "--yes"], 1, "no unit matches 'qqq'"),
        (["--text", "x", "--units", "Bộ Công an", "--yes"], 1, "nobody would receive it"),
        (["--text", "x", "--all"], 1, "add --yes"),  # stdin is not a terminal
        (["--text", "x", "--file", "kh.csv", "--all", "--yes"], 2, "--file needs"),
        (["status", "abc"], 2, "not a broadcast number"),
        (["status", "7"], 1, "no such broadcast"),
    ],
)
async def test_refusals(db_url, sessionmaker, officials, capsys, plan_file, argv, code, message):
    assert await run(db_url, argv, cli_lang="en") == code
    assert message in capsys.readouterr().err
    async with sessionmaker() as s:
        assert await s.scalar(select(Broadcast)) is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--text", "x"], "chọn người nhận: --units A,B, --all hoặc --groups"),
        (["--text", "x", "--units", "qqq", "--yes"], "không tìm thấy đơn vị 'qqq'; gần nhất: -"),
        (["--text", "x", "--all"], "chưa gửi (thêm --yes để gửi không cần hỏi)"),
        (["status", "7"], "không có thông báo này"),
    ],
)
async def test_refusals_are_in_vietnamese_by_default(db_url, officials, capsys, argv, message):
    assert await run(db_url, argv) in (1, 2)
    assert capsys.readouterr().err.strip() == f"nhacviec: {message}"

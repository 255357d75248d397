"""`nhacviec daily-report` and `nhacviec rollup` against a real database (issue 13)."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.cli import main
from store.reports import add_report
from tests.handlers.unit_world import AT_1600, DAY, TZ, build_unit_world


@pytest.fixture
def env(monkeypatch, db_url, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "ZALO_OA_APP_ID", "NHACVIEC_ADMINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", db_url)
    return tmp_path


@pytest.fixture
async def world(env, sessionmaker):
    w = await build_unit_world(sessionmaker)
    async with sessionmaker() as s, s.begin():
        await add_report(
            s,
            assignment=await w.assignment(s, "t1"),
            author_id=w.users["minh"],
            percent=60,
            done=False,
            text="Đã hoàn thành khung",
            now=AT_1600 - timedelta(hours=2),
            local_day=DAY,
        )
        done_on = datetime(2025, 3, 12, 10, 0, tzinfo=TZ)
        await add_report(
            s,
            assignment=await w.assignment(s, "t1"),
            author_id=w.users["minh"],
            percent=100,
            done=True,
            text="Xong",
            now=done_on,
            local_day=done_on.date(),
        )
    return w


def test_daily_report_writes_the_docx_and_xlsx_and_prints_json(world, env, capsys):
    out, xlsx = env / "bc.docx", env / "bc.xlsx"
    code = main(
        ["daily-report", "--unit", "bo-cong-an", "--day", "2025-03-10", "--out", str(out),
         "--xlsx", str(xlsx), "--json"]
    )  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"unit", "day", "tasks", "unreported", "overdue"}
    assert (data["unit"], data["day"]) == ("Bộ Công an", "2025-03-10")
    task = data["tasks"][0]
    assert set(task) >= {"ref", "title", "due", "status", "percent", "notes", "reported_by"}
    # NV 1 was reported that day (its completion two days later is another day's news).
    assert [t["ref"] for t in data["tasks"]] == ["1", "2", "3"]
    assert task["reported_by"] == ["Lê Văn Minh"]
    assert [n["text"] for n in task["notes"]] == ["Đã hoàn thành khung"]
    assert [t["ref"] for t in data["unreported"]] == ["2", "3"]
    assert [(t["ref"], t["days_overdue"]) for t in data["overdue"]] == [("2", 5)]
    text = "\n".join(p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs)
    assert "BÁO CÁO" in text and "10/03/2025" in text
    assert load_workbook(xlsx).sheetnames == ["Nhiệm vụ", "Chưa báo cáo", "Quá hạn"]


def test_daily_report_refuses_a_wrong_suffix_and_an_unknown_unit(world, env, capsys):
    assert main(["daily-report", "--unit", "bo-cong-an", "--out", str(env / "x.pdf")]) == 2
    assert ".docx" in capsys.readouterr().err
    assert (
        main(["daily-report", "--unit", "Không có đơn vị này", "--out", str(env / "a.docx")]) == 1
    )


def test_rollup_of_a_month(world, env, capsys):
    out, xlsx = env / "th.docx", env / "th.xlsx"
    code = main(
        ["rollup", "--period", "2025-03", "--unit", "bo-cong-an", "--out", str(out),
         "--xlsx", str(xlsx), "--json"]
    )  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == "2025-03"
    units = {u["unit"]: u for u in data["units"]}
    bca = units["Bộ Công an"]
    # NV 1 done on 12/3 (due 31/3); NV 2 due 5/3 never done: overdue at the end of March.
    assert (bca["on_time"], bca["late"], bca["overdue"]) == (1, 0, 1)
    assert "Cục Cảnh sát" in units  # sub-units come with --unit
    doc = Document(io.BytesIO(out.read_bytes()))
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "Bộ Công an" in cells
    assert load_workbook(xlsx).active.max_row == 1 + len(data["units"])
    assert main(["rollup", "--period", "March", "--out", str(out)]) == 2

"""The compiled daily report (issue 13): what it holds, read back from the .docx and .xlsx; sent
once to the oversight group and the admins; `/baocao` gives the same document."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from docx import Document
from openpyxl import load_workbook

from handlers.types import Outgoing
from scheduler.daily_report import DAILY_REPORT
from scheduler.jobs import JobConfig, run_job
from store.reports import add_report
from tests.handlers.unit_world import AT_1600, DAY, TZ, build_unit_world
from tests.scheduler.pushworld import deliveries

CFG = JobConfig(tz=TZ)


@pytest.fixture
async def world(sessionmaker):
    w = await build_unit_world(sessionmaker)
    await w.channel.push("giao NV 2 cho Nguyễn Thị Lan", user="head")
    async with sessionmaker() as s, s.begin():
        await add_report(
            s,
            assignment=await w.assignment(s, "t1"),
            author_id=w.users["minh"],
            percent=60,
            done=False,
            text="Đã hoàn thành khung cơ sở dữ liệu",
            now=AT_1600 - timedelta(hours=6),
            local_day=DAY,
        )
        # After the cut-off: not in the day's report.
        await add_report(
            s,
            assignment=await w.assignment(s, "t3"),
            author_id=w.users["lan2"],
            percent=None,
            done=False,
            text="Báo cáo muộn",
            now=AT_1600 + timedelta(hours=1),
            local_day=DAY,
        )
    return w


def docx_text(content: bytes) -> tuple[str, list[list[list[str]]]]:
    """All paragraphs (heading table included) and every table's rows of cell texts."""
    doc = Document(io.BytesIO(content))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    paragraphs = [p.text for p in doc.paragraphs]
    return "\n".join(paragraphs + [c for t in tables for row in t for c in row]), tables


def _files(rows, key_part: str) -> dict[str, bytes]:
    out = {}
    for row in rows:
        if key_part in row.key and row.key.rsplit(":", 1)[-1] in ("docx", "xlsx"):
            (attachment,) = Outgoing.from_payload(row.payload).attachments
            out[row.key.rsplit(":", 1)[-1]] = attachment.content
    return out


async def test_the_report_holds_exactly_the_days_reports_gaps_and_overdue(sessionmaker, world):
    result = await run_job(sessionmaker, DAILY_REPORT, AT_1600, CFG)
    assert result.status == "done"
    rows = [r for r in await deliveries(sessionmaker) if r.key.startswith("daily_report:")]
    group = f"chat{world.chats['g1']}"
    files = _files(rows, f"unit{world.units['bca']}:{group}")
    text, tables = docx_text(files["docx"])
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BỘ CÔNG AN",
        "BÁO CÁO",
        "Tình hình thực hiện nhiệm vụ ngày 10/03/2025",
        "Văn bản số 35-TB/TGV",
    ):
        assert expected in text
    main, unreported, overdue = tables[1], tables[2], tables[3]
    assert [r[0] for r in main[1:]] == ["NV 1", "NV 2", "NV 3"]  # NV 4 is due in December
    nv1 = main[1]
    assert "Đã hoàn thành khung cơ sở dữ liệu" in nv1[6] and "60%" in nv1[6]
    assert nv1[7] == "Lê Văn Minh"
    assert main[2][4] == "quá hạn"
    assert "Báo cáo muộn" not in text  # sent after the cut-off
    assert [r[0] for r in unreported[1:]] == ["NV 2", "NV 3"]
    assert unreported[1][5] == "Nguyễn Thị Lan" and unreported[2][5] == "cả đơn vị"
    assert [(r[0], r[5]) for r in overdue[1:]] == [("NV 2", "5")]
    doc = Document(io.BytesIO(files["docx"]))
    assert doc.styles["Normal"].font.name == "Times New Roman"
    wb = load_workbook(io.BytesIO(files["xlsx"]))
    tasks, missing, late = (list(ws.iter_rows(min_row=2, values_only=True)) for ws in wb)
    assert [r[0] for r in tasks] == [1, 2, 3]
    assert tasks[0][9] == "Lê Văn Minh" and tasks[0][11] == "có"
    assert [r[0] for r in missing] == [2, 3]
    assert [r[0] for r in late] == [2]
    assert wb.sheetnames == ["Nhiệm vụ", "Chưa báo cáo", "Quá hạn"]


async def test_it_is_sent_once_to_the_group_and_the_admins(sessionmaker, world):
    first = await run_job(sessionmaker, DAILY_REPORT, AT_1600, CFG)
    second = await run_job(sessionmaker, DAILY_REPORT, AT_1600 + timedelta(hours=2), CFG)
    assert second.status == "already_ran"
    keys = sorted(r.key for r in await deliveries(sessionmaker) if "daily_report" in r.key)
    group, admin = f"chat{world.chats['g1']}", f"user{world.users['admin']}"
    bca, c06 = f"unit{world.units['bca']}", f"unit{world.units['c06']}"
    day = "daily_report:2025-03-10"
    assert keys == sorted(
        [
            f"{day}:{group}",
            f"{day}:{bca}:{group}:docx",
            f"{day}:{bca}:{group}:xlsx",
            f"{day}:{admin}",
            # The admins get every unit; the group only the unit it is linked to.
            *(f"{day}:{u}:{admin}:{ext}" for u in (bca, c06) for ext in ("docx", "xlsx")),
        ]
    )
    assert first.counts["units"] == 2
    # A catch-up run of the job body itself queues nothing twice (the delivery keys).
    assert len(keys) == len(set(keys))


async def test_baocao_gives_the_same_document(sessionmaker, world):
    await run_job(sessionmaker, DAILY_REPORT, AT_1600, CFG)
    rows = await deliveries(sessionmaker)
    filed = _files(rows, f"unit{world.units['bca']}:chat{world.chats['g1']}")
    world.clock[0] = AT_1600 + timedelta(hours=3)  # later that evening
    replies = await world.channel.push("/baocao", user="head")
    (reply,) = replies
    names = [a.name for a in reply.attachments]
    assert names == [
        "bao-cao-ngay-2025-03-10-bo-cong-an.docx",
        "bao-cao-ngay-2025-03-10-bo-cong-an.xlsx",
    ]
    assert docx_text(reply.attachments[0].content) == docx_text(filed["docx"])
    asked = load_workbook(io.BytesIO(reply.attachments[1].content))
    sent = load_workbook(io.BytesIO(filed["xlsx"]))
    for a, b in zip(asked, sent, strict=True):
        assert list(a.values) == list(b.values)
    # A past day by its date; officers may not ask.
    past = await world.channel.push("/baocao 07/03", user="head")
    assert past[0].attachments
    refused = await world.channel.push("/baocao", user="minh")
    assert not refused[0].attachments


async def test_the_weeks_first_working_day_brings_last_weeks_rollup(sessionmaker, world):
    # Monday 10 March: the roll-up of 3–9 March goes to the oversight group, once.
    await run_job(sessionmaker, DAILY_REPORT, AT_1600, CFG)
    rows = {r.key: r for r in await deliveries(sessionmaker) if r.key.startswith("rollup:")}
    key = f"rollup:2025-W10:chat{world.chats['g1']}"
    assert set(rows) == {key, key + ":chart", key + ":docx", key + ":xlsx"}
    text = Outgoing.from_payload(rows[key].payload).text
    assert "Tổng hợp kết quả — tuần 03/03/2025 – 09/03/2025" in text
    assert "Bộ Công an: 0 đúng hạn, 0 quá hạn, 1 đang quá hạn" in text  # NV 2 (due 5/3)
    (docx,) = Outgoing.from_payload(rows[key + ":docx"].payload).attachments
    body, tables = docx_text(docx.content)
    assert "Tổng hợp kết quả thực hiện nhiệm vụ tuần 03/03/2025 – 09/03/2025" in body
    assert [row[1] for row in tables[1][1:]] == ["Bộ Công an"]  # the group's unit only
    (chart,) = Outgoing.from_payload(rows[key + ":chart"].payload).attachments
    assert chart.content.startswith(b"\x89PNG")

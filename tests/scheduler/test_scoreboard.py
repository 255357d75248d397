"""The monthly scoreboard on a hand-computed example, its chart, its delivery, and /score.

July 2025 has no public holiday; the directives below are imported late in the month so only
a few working days count. The rules are the defaults: cut-off 16:00, horizon 30 days, weights
60 % completion / 40 % discipline, work done late worth 50 %.

Bộ A (directive imported Mon 28/7 08:00): A1 due 29/7, A2 due 29/7, A3 due 30/7, A4 recurring,
A5 due 30/9 (beyond the 30-day horizon all month, so never needs a daily report).
  28/7 10:00  A1 50%, A2 30%, A3 20%, A4        needs A1-A4, all reported     -> reported day
  29/7 09:00  A1 done, A3 40%, A4               needs A1-A4, A2 missing       -> not
  30/7 17:00  A2, A3, A4 (after the cut-off)    needs A2, A3, A4 (A1 is done) -> not
  31/7 11:00  A2 done, A3 70%, A4               needs A2, A3, A4              -> reported day
   1/8 09:00  A3 done (August: too late for July)
  discipline D = 2 / 4 = 0.5
  completion: A1 on time (29/7 <= 29/7), A2 late (31/7 > 29/7), A3 not done by 31/7
              C = (1 + 0.5 x 1 + 0) / 3 = 0.5
  score = 100 x (0.6 x 0.5 + 0.4 x 0.5) / (0.6 + 0.4) = 50.0
Bộ B (imported 28/7 08:00): B1 recurring; reported 28, 29, 30 before 16:00, 31 at 16:05.
  D = 3 / 4 = 0.75; nothing due in July, so C is left out: score = 100 x 0.75 = 75.0
Bộ C (imported Thu 10/7 08:00): C1 due 15/7, done 10/7 at 09:00.
  required days: only 10/7 (done that day), reported before 16:00: D = 1 / 1
  C = 1 / 1; score = 100 x (0.6 + 0.4) = 100.0
Bộ E: only work due in September: nothing to score, not ranked.
Ranking: 1. Bộ C 100, 2. Bộ B 75, 3. Bộ A 50.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from handlers.parsing.periods import month_period
from handlers.summaries.pushes import score_text
from handlers.summaries.score import compute_scores
from handlers.tasks.daily import ReportRules
from scheduler.calendar import WorkCalendar
from scheduler.jobs import JobConfig, run_job
from scheduler.scoreboard import SCOREBOARD, scoreboard_for
from store.models import Assignment, Chat, ChatUnit, Role, TaskKind, UnitKind, UserRole
from store.reports import add_report
from tests.factories import make_task, make_unit, make_user
from tests.fakes.fake_channel import FakeChannel
from tests.scheduler.pushworld import TZ, deliveries, directive, local, message

CAL = WorkCalendar()
RULES = ReportRules(is_workday=CAL.is_workday)
CFG = JobConfig(tz=TZ, calendar=CAL, rules=RULES)
JULY = month_period(2025, 7, "month")
AUG_1 = local(date(2025, 8, 1), 8, 30)  # Friday: the first working day of August


@pytest.fixture
async def board(sessionmaker):
    """The example of the module docstring; returns unit and chat ids."""
    async with sessionmaker() as s, s.begin():
        parent = await make_unit(s, "ban-chi-dao", "Ban Chỉ đạo", UnitKind.WORKING_GROUP)
        units = {
            k: await make_unit(s, f"bo-{k}", f"Bộ {k.upper()}", parent=parent)
            for k in ("a", "b", "c", "e")
        }
        late_july = datetime(2025, 7, 28, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
        d1 = await directive(s, "1/QĐ-A", late_july)
        d2 = await directive(s, "2/QĐ-B", late_july)
        d3 = await directive(s, "3/QĐ-C", datetime(2025, 7, 10, 1, 0, tzinfo=UTC))
        d4 = await directive(s, "4/QĐ-E", late_july)
        a = units["a"]
        tasks = {}
        for ref, due, kind in (
            ("A1", date(2025, 7, 29), TaskKind.ONCE),
            ("A2", date(2025, 7, 29), TaskKind.ONCE),
            ("A3", date(2025, 7, 30), TaskKind.ONCE),
            ("A4", None, TaskKind.RECURRING),
            ("A5", date(2025, 9, 30), TaskKind.ONCE),
        ):
            tasks[ref] = await make_task(s, d1, ref, f"Việc {ref}", due, [(a, Role.LEAD)], kind)
        tasks["B1"] = await make_task(
            s, d2, "B1", "Việc B1", None, [(units["b"], Role.LEAD)], TaskKind.RECURRING
        )
        tasks["C1"] = await make_task(
            s, d3, "C1", "Việc C1", date(2025, 7, 15), [(units["c"], Role.LEAD)]
        )
        await make_task(s, d4, "E1", "Việc E1", date(2025, 9, 30), [(units["e"], Role.LEAD)])
        author = await make_user(s, "a1", a)

        async def report(ref: str, day: int, hh: int, mm: int = 0, *, pct=50, done=False):
            when = date(2025, 7, day) if day > 1 else date(2025, 8, 1)
            assignment = await s.scalar(
                select(Assignment).where(Assignment.task_id == tasks[ref].id)
            )
            await add_report(
                s,
                assignment=assignment,
                author_id=author.id,
                percent=pct,
                done=done,
                text="",
                now=local(when, hh, mm),
                local_day=when,
            )

        for ref in ("A1", "A2", "A3", "A4"):
            await report(ref, 28, 10)
        await report("A1", 29, 9, done=True)
        await report("A3", 29, 9)
        await report("A4", 29, 9)
        for ref in ("A2", "A3", "A4"):
            await report(ref, 30, 17)
        await report("A2", 31, 11, done=True)
        await report("A3", 31, 11)
        await report("A4", 31, 11)
        await report("A3", 1, 9, done=True)
        for day in (28, 29, 30):
            await report("B1", day, 15, 59)
        await report("B1", 31, 16, 5)
        await report("C1", 10, 9, done=True)

        oversight = Chat(channel="fake", chat_id="-900", title="Tổ công tác", oversight=True)
        small = Chat(channel="fake", chat_id="-901", title="Tổ B-C", oversight=True)
        plain = Chat(channel="fake", chat_id="-100", title="Bộ A")
        s.add_all([oversight, small, plain])
        await s.flush()
        for k in ("a", "b", "c", "e"):
            s.add(ChatUnit(chat_pk=oversight.id, unit_id=units[k].id))
        for k in ("b", "c"):
            s.add(ChatUnit(chat_pk=small.id, unit_id=units[k].id))
        s.add(ChatUnit(chat_pk=plain.id, unit_id=a.id))
        await make_user(s, "head", parent, role=UserRole.HEAD)
        ids = {k: u.id for k, u in units.items()}
        ids |= {"parent": parent.id, "oversight": oversight.id, "small": small.id}
    return ids


async def test_scores_match_the_hand_computed_example(sessionmaker, board):
    async with sessionmaker() as s:
        scores = await compute_scores(
            s,
            [board[k] for k in ("a", "b", "c", "e")],
            start=JULY.start,
            end=JULY.end,
            now=AUG_1,
            tz=TZ,
            rules=RULES,
        )
    by_name = {sc.name: sc for sc in scores}
    a, b, c, e = (by_name[f"Bộ {k}"] for k in "ABCE")
    assert (a.due, a.on_time, a.late, a.missed) == (3, 1, 1, 1)
    assert (a.required_days, a.reported_days) == (4, 2)
    assert (a.completion, a.discipline, a.score) == (0.5, 0.5, 50.0)
    assert (b.due, b.required_days, b.reported_days) == (0, 4, 3)
    assert (b.completion, b.discipline, b.score) == (None, 0.75, 75.0)
    assert (c.due, c.on_time, c.required_days, c.reported_days) == (1, 1, 1, 1)
    assert c.score == 100.0
    assert (e.score, e.rank) == (None, None)
    assert [(sc.rank, sc.name) for sc in scores] == [
        (1, "Bộ C"),
        (2, "Bộ B"),
        (3, "Bộ A"),
        (None, "Bộ E"),
    ]


async def test_weights_and_late_credit_are_configurable(sessionmaker, board):
    # All weight on completion and no credit for late work: A = (1 + 0) / 3 = 33.3.
    rules = ReportRules(
        weight_completion=1, weight_discipline=0, late_credit=0, is_workday=CAL.is_workday
    )
    async with sessionmaker() as s:
        scores = await compute_scores(
            s,
            [board["a"], board["b"]],
            start=JULY.start,
            end=JULY.end,
            now=AUG_1,
            tz=TZ,
            rules=rules,
        )
    by_name = {sc.name: sc for sc in scores}
    assert by_name["Bộ A"].score == 33.3
    assert by_name["Bộ B"].score is None  # discipline weighs nothing, and nothing was due


async def test_scoreboard_text_states_each_component_and_the_formula(sessionmaker, board):
    async with sessionmaker() as s:
        scores = await compute_scores(
            s,
            [board["a"], board["e"]],
            start=JULY.start,
            end=JULY.end,
            now=AUG_1,
            tz=TZ,
            rules=RULES,
        )
    text = to_plain(score_text(scores, JULY, RULES, date(2025, 8, 1)))
    assert text.splitlines()[0] == "Bảng xếp hạng — tháng 7/2025"
    assert "1. Bộ A — 50 điểm" in text
    assert (
        "hoàn thành 50%: 1 đúng hạn, 1 quá hạn, 1 chưa hoàn thành / 3 nhiệm vụ; "
        "báo cáo 50%: 2/4 ngày"
    ) in text
    assert "1 đơn vị khác chưa có số liệu chấm điểm" in text and "Bộ E" not in text
    assert (
        "Điểm = 60% hoàn thành đúng hạn (hoàn thành quá hạn được tính 50%) + 40% báo cáo "
        "hằng ngày trước 16:00 các ngày làm việc."
    ) in text


async def test_monthly_job_sends_ranking_and_chart_to_oversight_groups(sessionmaker, board):
    result = await run_job(sessionmaker, SCOREBOARD, AUG_1, CFG)
    assert result.queued == 4  # a text and a chart for each oversight group
    rows = {r.key: r for r in await deliveries(sessionmaker)}
    big_key = f"scoreboard:2025-07:chat{board['oversight']}"
    small_key = f"scoreboard:2025-07:chat{board['small']}"
    assert set(rows) == {big_key, big_key + ":chart", small_key, small_key + ":chart"}
    # The plain unit group gets no scoreboard; the text is queued before its chart.
    assert {r.chat_id for r in rows.values()} == {"-900", "-901"}
    assert rows[big_key].id < rows[big_key + ":chart"].id
    big, small = message(rows[big_key]), message(rows[small_key])
    lines = to_plain(big.text).splitlines()
    assert [line.split(" — ")[0] for line in lines if line[:2] in ("1.", "2.", "3.")] == [
        "1. Bộ C",
        "2. Bộ B",
        "3. Bộ A",
    ]
    # Each group is ranked among its own units only.
    assert "1. Bộ C — 100 điểm" in to_plain(small.text)
    assert "2. Bộ B — 75 điểm" in to_plain(small.text)
    assert "Bộ A" not in to_plain(small.text)
    chart_message = message(rows[big_key + ":chart"])
    assert chart_message.text == "" and not big.attachments
    (chart,) = chart_message.attachments
    assert chart.mime == "image/png" and chart.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert chart.name == "bang-xep-hang-2025-07.png"


async def test_monthly_job_runs_on_the_first_working_day_only_and_once(sessionmaker, board):
    monday = await run_job(sessionmaker, SCOREBOARD, local(date(2025, 8, 4), 8, 30), CFG)
    assert monday.status == "not_first_workday"
    assert (await run_job(sessionmaker, SCOREBOARD, AUG_1, CFG)).queued == 4
    again = await run_job(sessionmaker, SCOREBOARD, AUG_1.replace(hour=11), CFG)
    assert again.status == "already_ran"
    # Sending July's board by hand later finds the month claimed: nothing twice.
    manual = await run_job(sessionmaker, scoreboard_for(JULY), local(date(2025, 8, 9), 10), CFG)
    assert manual.status == "already_ran"
    assert len(await deliveries(sessionmaker)) == 4


async def test_new_year_scoreboard_waits_for_2_january(sessionmaker, board):
    jan1 = await run_job(sessionmaker, SCOREBOARD, local(date(2026, 1, 1), 8, 30), CFG)
    assert jan1.status == "not_workday"  # Tết Dương lịch
    jan2 = await run_job(sessionmaker, SCOREBOARD, local(date(2026, 1, 2), 8, 30), CFG)
    assert (jan2.status, jan2.queued) == ("done", 4)
    rows = await deliveries(sessionmaker)
    assert {r.key.split(":")[1] for r in rows} == {"2025-12"}
    # December: open recurring and overdue work, never reported on -> 0 for discipline.
    text = to_plain(message(next(r for r in rows if r.key.endswith(f"chat{board['small']}"))).text)
    assert "Bộ B — 0 điểm" in text and "báo cáo 0%: 0/23 ngày" in text


async def test_score_command_for_an_officer_a_head_and_a_group(sessionmaker, board):
    options = Options(reporting=RULES)
    channel = FakeChannel(Dispatcher(sessionmaker, options, clock=lambda: AUG_1))
    officer = to_plain((await channel.push("/score tháng 7/2025", user="a1"))[0].text)
    assert "1. Bộ A — 50 điểm" in officer and "Bộ B" not in officer
    head = to_plain((await channel.push("bảng xếp hạng tháng 7/2025", user="head"))[0].text)
    assert head.index("1. Bộ C") < head.index("2. Bộ B") < head.index("3. Bộ A")
    group = to_plain((await channel.push("/score tháng 7", user="a1", chat="-901"))[0].text)
    assert "Bộ C" in group and "Bộ B" in group and "Bộ A" not in group
    stranger = to_plain((await channel.push("/score", user="nobody"))[0].text)
    assert "/start" in stranger
    future = to_plain((await channel.push("/score tháng 12/2025", user="a1"))[0].text)
    assert future == "Kỳ này chưa bắt đầu nên chưa có gì để chấm điểm."


async def test_score_so_far_this_month_judges_only_what_has_happened(sessionmaker, board):
    # 30/7 at 12:00: A1 and A2 (due 29/7) are judged; A3 (due 30/7) is still in time; days
    # 28 and 29 are judged, 30 not yet (before the cut-off). A2 is not done yet by then in
    # reality, but this database already holds its later completion, so it counts as late.
    async with sessionmaker() as s:
        (a,) = await compute_scores(
            s,
            [board["a"]],
            start=JULY.start,
            end=JULY.end,
            now=local(date(2025, 7, 30), 12),
            tz=TZ,
            rules=RULES,
        )
    assert (a.due, a.required_days, a.reported_days) == (2, 2, 1)

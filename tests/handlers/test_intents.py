"""Intent parsing: slash commands and free text in Vietnamese (with or without diacritics)."""

from __future__ import annotations

import json
import logging
import random
from datetime import date

import pytest

from handlers.parsing.intents import Intent, IntentName, parse_intent

TODAY = date(2025, 3, 10)
MARCH = ("2025-03-01", "2025-03-31")
N = IntentName


def span(intent: Intent) -> tuple[str, str] | None:
    if intent.period is None:
        return None
    return intent.period.start.isoformat(), intent.period.end.isoformat()


@pytest.mark.parametrize(
    ("text", "name", "period"),
    [
        # the examples that must parse
        ("việc gì đến hạn tháng này", N.DUE, MARCH),
        ("viec gi den han thang nay", N.DUE, MARCH),
        ("tuan sau co gi den han", N.DUE, ("2025-03-17", "2025-03-23")),
        ("tuần sau có gì đến hạn", N.DUE, ("2025-03-17", "2025-03-23")),
        ("what is due in April", N.DUE, ("2025-04-01", "2025-04-30")),
        ("tháng này đơn vị tôi có việc gì đến hạn?", N.DUE, MARCH),
        ("thang nay co viec gi den han", N.DUE, MARCH),
        ("đến hạn hôm nay", N.DUE, ("2025-03-10", "2025-03-10")),
        ("den han hom nay", N.DUE, ("2025-03-10", "2025-03-10")),
        ("mai có gì đến hạn", N.DUE, ("2025-03-11", "2025-03-11")),
        ("mai co gi den han", N.DUE, ("2025-03-11", "2025-03-11")),
        ("due this week", N.DUE, ("2025-03-10", "2025-03-16")),
        ("quý 3 có việc gì", N.DUE, ("2025-07-01", "2025-09-30")),
        ("quy 3 co viec gi", N.DUE, ("2025-07-01", "2025-09-30")),
        ("tháng 9 có gì phải nộp", N.DUE, ("2025-09-01", "2025-09-30")),
        ("thang 9 co gi phai nop", N.DUE, ("2025-09-01", "2025-09-30")),
        ("deadline next month", N.DUE, ("2025-04-01", "2025-04-30")),
        ("tuần sau?", N.DUE, ("2025-03-17", "2025-03-23")),  # a bare period asks what is due
        # `đến hạn` without a period means this month (documented default)
        ("đến hạn", N.DUE, MARCH),
        ("den han", N.DUE, MARCH),
        ("có việc gì không", N.DUE, MARCH),
        # typos
        ("den hna", N.DUE, MARCH),
        ("dealine tuan sau", N.DUE, ("2025-03-17", "2025-03-23")),
        ("qua hna", N.OVERDUE, None),
        ("overdeu", N.OVERDUE, None),
        # overdue
        ("quá hạn", N.OVERDUE, None),
        ("qua han", N.OVERDUE, None),
        ("việc quá hạn của đơn vị", N.OVERDUE, None),
        ("viec qua han cua don vi", N.OVERDUE, None),
        ("what's overdue", N.OVERDUE, None),
        ("overdue tasks", N.OVERDUE, None),
        ("quá hạn tháng trước", N.OVERDUE, ("2025-02-01", "2025-02-28")),
        # list
        ("danh sách nhiệm vụ", N.LIST, None),
        ("danh sach nhiem vu", N.LIST, None),
        ("ds nv", N.LIST, None),
        ("list my tasks", N.LIST, None),
        ("các việc của tôi", N.LIST, None),
        ("cac viec cua toi", N.LIST, None),
        # score: without a period, this month
        ("điểm tháng này", N.SCORE, MARCH),
        ("diem thang nay", N.SCORE, MARCH),
        ("bảng xếp hạng", N.SCORE, MARCH),
        ("bang xep hang", N.SCORE, MARCH),
        ("score", N.SCORE, MARCH),
        ("scroe", N.SCORE, MARCH),
        ("my score last month", N.SCORE, ("2025-02-01", "2025-02-28")),
        # help, greetings
        ("giúp", N.HELP, None),
        ("giup", N.HELP, None),
        ("help", N.HELP, None),
        ("hướng dẫn", N.HELP, None),
        ("huong dan", N.HELP, None),
        ("?", N.HELP, None),
        ("xin chào", N.HELP, None),
        ("xin chao", N.HELP, None),
        ("hi", N.HELP, None),
        ("Hello bot", N.HELP, None),
        # whole-message commands
        ("hủy", N.CANCEL, None),
        ("huy", N.CANCEL, None),
        ("hủy đi", N.CANCEL, None),
        ("cancel", N.CANCEL, None),
        ("hoàn tác", N.UNDO, None),
        ("hoan tac", N.UNDO, None),
        ("undo", N.UNDO, None),
        ("tôi là ai", N.ME, None),
        ("who am i", N.ME, None),
        ("bắt đầu", N.START, None),
    ],
)
def test_free_text_gives_intent_and_period(
    text: str, name: IntentName, period: tuple[str, str] | None
) -> None:
    intent = parse_intent(text, TODAY)
    assert (intent.name, span(intent)) == (name, period)


@pytest.mark.parametrize(
    ("text", "ref", "percent", "status"),
    [
        ("nv 3 dat 40%", "3", 40, "in_progress"),
        ("NV 7 đạt 50%", "7", 50, "in_progress"),
        ("nv 7 dat 50%", "7", 50, "in_progress"),
        ("xong nhiệm vụ số 5", "5", 100, "done"),
        ("xong nhiem vu so 5", "5", 100, "done"),
        ("hoàn thành nv 5", "5", 100, "done"),
        ("hoan thanh nv 5", "5", 100, "done"),
        ("nv5 xong", "5", 100, "done"),
        ("done task 5", "5", 100, "done"),
        ("task 5 is done", "5", 100, "done"),
        ("tôi đã hoàn thành nv 5", "5", 100, "done"),
        ("báo cáo", None, None, None),
        ("bao cao", None, None, None),
        ("bc", None, None, None),
        ("bao cso", None, None, None),
        ("bc nv 7", "7", None, None),
        ("NV II.5.a đạt 30%", "II.5.a", 30, "in_progress"),
        ("nv ii.05.A xong", "II.5.a", 100, "done"),
        ("nhiệm vụ 2.a.1 đạt 10%", "2.a.1", 10, "in_progress"),
        ("task 3 at 60%", "3", 60, "in_progress"),
        ("nhiệm vụ 7 50 phần trăm", "7", 50, "in_progress"),
        ("nhiem vu 7 50 phan tram", "7", 50, "in_progress"),
        ("NV 7 50", "7", 50, "in_progress"),
        ("nv 7 100%", "7", 100, "done"),
        ("nv 3 dat 150%", "3", 150, None),  # kept as written; the handler refuses it
        ("nv 5 chưa xong", "5", None, "in_progress"),
        ("nv 7 đang thực hiện", "7", None, "in_progress"),
        ("hoàn thành 80%", None, 80, "in_progress"),  # "80% complete"
        ("xong", None, 100, "done"),
        ("7 50%", "7", 50, "in_progress"),
    ],
)
def test_report_messages_give_ref_percent_and_status(
    text: str, ref: str | None, percent: int | None, status: str | None
) -> None:
    intent = parse_intent(text, TODAY)
    assert intent.name is N.REPORT
    assert (intent.task_ref, intent.percent, intent.status) == (ref, percent, status)


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("bc nv 7 80% đã gửi dự thảo lên Bộ", "đã gửi dự thảo lên Bộ"),
        ("NV 7: 50%, đã họp với Sở Tài chính", "đã họp với Sở Tài chính"),
        ("đã gửi dự thảo, nv 7 đạt 80%", "đã gửi dự thảo"),
        # keywords inside the note stay in the note and do not set the status
        ("bc nv 7 đã gửi bc, xong phần 1", "đã gửi bc, xong phần 1"),
        ("NV 7 đạt 50%", ""),
    ],
)
def test_report_note_is_the_rest_of_the_message_as_typed(text: str, note: str) -> None:
    intent = parse_intent(text, TODAY)
    assert intent.name is N.REPORT
    assert intent.note == note


def test_note_keyword_does_not_mark_task_done() -> None:
    intent = parse_intent("bc nv 7 đã gửi bc, xong phần 1", TODAY)
    assert (intent.task_ref, intent.percent, intent.status) == ("7", None, None)


@pytest.mark.parametrize(
    ("text", "name", "period", "argument"),
    [
        ("/start ABC123", N.START, None, "ABC123"),
        ("/start@NhacViecBot Xy7Q", N.START, None, "Xy7Q"),
        ("/start", N.START, None, ""),
        ("/help", N.HELP, None, ""),
        ("/due", N.DUE, MARCH, ""),
        ("/due tuần sau", N.DUE, ("2025-03-17", "2025-03-23"), ""),
        ("/due@NhacViecBot tháng sau", N.DUE, ("2025-04-01", "2025-04-30"), ""),
        ("/denhan quy 3", N.DUE, ("2025-07-01", "2025-09-30"), ""),
        ("/overdue", N.OVERDUE, None, ""),
        ("/quahan", N.OVERDUE, None, ""),
        ("/list", N.LIST, None, ""),
        ("/score", N.SCORE, MARCH, ""),
        ("/diem thang truoc", N.SCORE, ("2025-02-01", "2025-02-28"), ""),
        ("/lang en", N.LANG, None, "en"),
        ("/lang English", N.LANG, None, "en"),
        ("/lang tiếng Việt", N.LANG, None, "vi"),
        ("/lang fr", N.LANG, None, "fr"),  # passed on for the handler to refuse
        ("/me", N.ME, None, ""),
        ("/cancel", N.CANCEL, None, ""),
        ("/undo", N.UNDO, None, ""),
        ("/import", N.IMPORT, None, ""),
        ("/broadcast Họp lúc 14h", N.BROADCAST, None, "Họp lúc 14h"),
        ("/invite --unit Sở Tài chính", N.INVITE, None, "--unit Sở Tài chính"),
        ("/link Sở Tài chính Hà Nội", N.LINK, None, "Sở Tài chính Hà Nội"),
        ("/link@NhacViecBot  UBND   tỉnh Lào Cai ", N.LINK, None, "UBND tỉnh Lào Cai"),
    ],
)
def test_commands_give_intent_and_argument(
    text: str, name: IntentName, period: tuple[str, str] | None, argument: str
) -> None:
    intent = parse_intent(text, TODAY)
    assert (intent.name, span(intent), intent.argument) == (name, period, argument)


@pytest.mark.parametrize(
    ("text", "ref", "percent", "status", "note"),
    [
        ("/report", None, None, None, ""),
        ("/report 7 50% đã họp", "7", 50, "in_progress", "đã họp"),
        ("/baocao nv 7 xong", "7", 100, "done", ""),
        ("/bc@NhacViecBot II.5.a 30", "II.5.a", 30, "in_progress", ""),
        ("/reprot 5 xong", "5", 100, "done", ""),  # a typo in a long command name
    ],
)
def test_report_command_reads_its_arguments(
    text: str, ref: str | None, percent: int | None, status: str | None, note: str
) -> None:
    intent = parse_intent(text, TODAY)
    assert intent.name is N.REPORT
    assert (intent.task_ref, intent.percent, intent.status, intent.note) == (
        ref,
        percent,
        status,
        note,
    )


def test_unknown_command_falls_back_to_free_text() -> None:
    assert parse_intent("/den han", TODAY).name is N.DUE
    assert parse_intent("/xyz", TODAY).name is N.UNKNOWN


@pytest.mark.parametrize("text", ["asdkjh", "thời tiết hôm nay", "thoi tiet hom nay", "/xyz"])
def test_nonsense_is_unknown_with_up_to_three_suggestions(text: str) -> None:
    intent = parse_intent(text, TODAY)
    assert intent.name is N.UNKNOWN
    assert 1 <= len(intent.suggestions) <= 3
    assert len(set(intent.suggestions)) == len(intent.suggestions)
    assert all(IntentName(s) for s in intent.suggestions)


def test_suggestions_rank_the_closest_intent_first() -> None:
    assert parse_intent("báo cho tôi", TODAY).suggestions[0] == "report"
    # A period alone with nothing else understood points at deadlines.
    assert parse_intent("thời tiết hôm nay", TODAY).suggestions[0] == "due"


def test_to_json_has_exactly_the_cli_fields() -> None:
    data = parse_intent("việc gì đến hạn tháng này", TODAY).to_json()
    assert data == {
        "intent": "due",
        "period": {"start": "2025-03-01", "end": "2025-03-31"},
        "task_ref": None,
        "percent": None,
        "status": None,
    }
    data = parse_intent("nv 3 dat 40%", TODAY).to_json()
    assert data == {
        "intent": "report",
        "period": None,
        "task_ref": "3",
        "percent": 40,
        "status": "in_progress",
    }
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\t", "👍", "🙏🙏🙏", "/", "//", "@", "%", "nv", "nv %", "9" * 5000, "x" * 5000],
)
def test_parse_intent_never_fails_on_odd_input(text: str) -> None:
    intent = parse_intent(text, TODAY)
    assert isinstance(intent, Intent)
    assert intent.name is N.UNKNOWN or intent.name in IntentName


def test_parse_intent_never_logs_an_error_on_random_text(caplog: pytest.LogCaptureFixture) -> None:
    # The parser has a safety net; this proves it is never needed on messy input.
    rng = random.Random(7)
    words = ("nv", "bc", "xong", "đạt", "%", "7", "II.5.a", "/", "tháng", "quý", "3", "hạn",
             "đến", "quá", "?", "😀", "số", "150", "--", ".", ",", "\n", "25/7", "ko")  # fmt: skip
    with caplog.at_level(logging.ERROR):
        for _ in range(1500):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 12)))
            parse_intent(text, TODAY)
        parse_intent("nv 7 " + "đã gửi dự thảo lên Bộ " * 250 + "50%", TODAY)
    assert not caplog.records


def test_parse_intent_is_deterministic() -> None:
    texts = ["asdkjh", "bc nv 7 80% đã gửi dự thảo lên Bộ", "quý 3 có việc gì", "den hna"]
    for text in texts:
        assert parse_intent(text, TODAY) == parse_intent(text, TODAY)

"""Review before tasks go live: an admin's directive import from the chat is a draft.

Everything real: the fake channel goes through the real dispatcher into a real database
(SQLite and PostgreSQL); officials ask their usual questions to see what is live.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from handlers.context import Options
from handlers.directives.import_review_commands import ReviewCommand, parse_review
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from handlers.types import FileRef, Kind, Outgoing
from store.import_drafts import DRAFT_TTL, create_draft
from store.importing.parsed import ParsedDirective, ParsedTask
from store.models import (
    Assignment,
    AuditLog,
    Directive,
    ImportCorrection,
    ImportDraft,
    Task,
)
from tests.factories import NOW, make_unit, make_user
from tests.fakes.fake_channel import FakeChannel

HEADER = "Số hiệu: 12/KH-BCĐ\n"
PLAN = """Ngày ban hành: 01/03/2025
Trích yếu: Kế hoạch triển khai
TT,Tên nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Thời gian hoàn thành
1,Rà soát thủ tục hành chính nội bộ,Bộ Công an,Bộ Tài chính,Tháng 4/2025
2,Số hóa hồ sơ lưu trữ,Sở Ngoại vụ Sao Hỏa,,Tháng 5/2025
3,Báo cáo kết quả thực hiện,Bộ Công,,Quý II/2025
4,Tổ chức hội nghị sơ kết,Bộ Công an,,Tháng 6/2025
"""


@pytest.fixture
async def world(sessionmaker):
    """Ministries with officials: u1 of BCA, u3 of BTC, u5 of BCT; `admin` is listed."""
    async with sessionmaker() as s, s.begin():
        bca = await make_unit(s, "bo-cong-an", "Bộ Công an")
        btc = await make_unit(s, "bo-tai-chinh", "Bộ Tài chính")
        bct = await make_unit(s, "bo-cong-thuong", "Bộ Công Thương")
        await make_user(s, "u1", bca)
        await make_user(s, "u3", btc)
        await make_user(s, "u5", bct)
        ids = {"bca": bca.id, "btc": btc.id, "bct": bct.id}
    options = Options(admins=frozenset({("fake", "admin")}))
    return FakeChannel(Dispatcher(sessionmaker, options, clock=lambda: NOW)), ids


def text(replies: list[Outgoing]) -> str:
    return "\n".join(to_plain(r.text) for r in replies)


def buttons(replies: list[Outgoing]) -> list[str]:
    return [b.data for r in replies for row in r.buttons for b in row]


def _file(content: str, name: str = "kehoach.csv") -> FileRef:
    data = content.encode()

    async def fetch() -> bytes:
        return data

    return FileRef(name=name, size=len(data), mime="text/csv", fetch=fetch, ref="f1")


async def send_file(chan: FakeChannel, content: str, user: str = "admin") -> list[Outgoing]:
    return await chan.push("", user=user, file=_file(content), locale="en")


async def press(chan: FakeChannel, payload: str, user: str = "admin") -> list[Outgoing]:
    return await chan.push(user=user, kind=Kind.BUTTON, payload=payload, locale="en")


async def admin(chan: FakeChannel, message: str) -> str:
    return text(await chan.push(message, user="admin", locale="en"))


async def _count(sessionmaker, model, *where) -> int:
    async with sessionmaker() as s:
        return await s.scalar(select(func.count()).select_from(model).where(*where))


async def test_draft_is_reviewed_corrected_and_confirmed(world, sessionmaker):
    chan, ids = world
    replies = await send_file(chan, HEADER + PLAN)
    summary = text(replies)
    assert "Draft import: 12/KH-BCĐ" in summary
    assert "4 tasks, 2 to check." in summary
    assert "Nothing is visible to officials until you confirm" in summary
    # The first flagged task comes with the summary: its card explains the flag.
    assert "Task 2/4 · 2" in summary and "was not recognised" in summary
    assert "Deadline: “Tháng 5/2025” → due 31 May 2025" in summary
    draft_id = await _scalar(sessionmaker, select(ImportDraft.id))
    assert f"ir:{draft_id}:c" in buttons(replies)

    # Nothing is live: officials of the units see none of its tasks.
    assert await _count(sessionmaker, Task) == 0
    assert await _count(sessionmaker, Assignment) == 0
    assert "Số hóa" not in text(await chan.push("tháng 5 có việc gì đến hạn", user="u3"))
    assert "Rà soát" not in text(await chan.push("danh sách nhiệm vụ", user="u1"))

    fixed = await admin(chan, "2 chủ trì Bộ Tài chính")
    assert "Task 2 corrected." in fixed and "Lead: Bộ Tài chính\n" in fixed
    fixed = await admin(chan, "2 hạn 30/9/2025")
    assert "Deadline: “30/9/2025” → due 30 Sep 2025" in fixed
    assert "Changed in this review: lead, deadline" in fixed
    # Task 3's `Bộ Công` is ambiguous: a candidate button settles it.
    card = await chan.push("3", user="admin", locale="en")
    assert "could be one of several" in text(card)
    pick = f"ir:{draft_id}:u:3:0.{ids['bct']}"
    assert pick in buttons(card)
    assert "Lead: Bộ Công Thương\n" in text(await press(chan, pick))
    dropped = await admin(chan, "bỏ 4")
    assert "Task 4 will be left out." in dropped
    assert "Nothing left to check: 3 tasks are ready." in dropped
    assert await _count(sessionmaker, Task) == 0  # still nothing live before confirming

    done = await admin(chan, "xác nhận")
    assert "12/KH-BCĐ is live." in done and "3 tasks (3 new, 0 updated)" in done
    assert "1 left out." in done

    # Now the units see their tasks, with the corrected values.
    due = text(await chan.push("tháng 9 có việc gì đến hạn", user="u3"))
    assert "Số hóa hồ sơ lưu trữ" in due and "30/09/2025" in due
    listed = text(await chan.push("danh sách nhiệm vụ", user="u1"))
    assert "Rà soát thủ tục hành chính nội bộ" in listed
    assert "Tổ chức hội nghị sơ kết" not in listed
    assert "Báo cáo kết quả" in text(await chan.push("danh sách nhiệm vụ", user="u5"))
    async with sessionmaker() as s:
        task = await s.scalar(select(Task).where(Task.ref == "2"))
        assert (task.lead_text, task.due) == ("Bộ Tài chính", date(2025, 9, 30))
        actions = list(await s.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert actions[0] == "import_draft" and "import" in actions
    # The draft is closed: its buttons no longer act.
    assert "is closed" in text(await press(chan, f"ir:{draft_id}:c"))


async def _scalar(sessionmaker, query):
    async with sessionmaker() as s:
        return await s.scalar(query)


async def test_only_admins_review_or_confirm(world, sessionmaker):
    chan, _ids = world
    refused = text(await send_file(chan, HEADER + PLAN, user="u1"))
    assert "Only admins can import directives" in refused
    assert await _count(sessionmaker, ImportDraft) == 0
    await send_file(chan, HEADER + PLAN)
    draft_id = await _scalar(sessionmaker, select(ImportDraft.id))
    for payload in (f"ir:{draft_id}:c", f"ir:{draft_id}:x:2", f"ir:{draft_id}:s"):
        out = text(await press(chan, payload, user="u1"))
        assert "Only admins can import directives or review their drafts." in out
    assert await _count(sessionmaker, Task) == 0
    assert await _scalar(sessionmaker, select(ImportDraft.status)) == "open"
    assert await _scalar(sessionmaker, select(ImportDraft.edits)) == {}


async def test_correction_survives_a_reimport(world, sessionmaker):
    chan, _ids = world
    await send_file(chan, HEADER + PLAN)
    await admin(chan, "2 chủ trì Bộ Tài chính")
    await admin(chan, "2 hạn 30/9/2025")
    await admin(chan, "giữ 3")
    await admin(chan, "bỏ 4")
    await admin(chan, "xác nhận")
    assert await _count(sessionmaker, ImportCorrection) == 2  # `giữ` is not a correction

    summary = text(await send_file(chan, HEADER + PLAN))
    assert "Corrections from an earlier review applied to tasks 2, 4." in summary
    assert "3 tasks, 1 to check." in summary  # only task 3 (`Bộ Công`) is open again
    card = await admin(chan, "2")
    assert "Corrected in an earlier review: lead, deadline" in card
    assert "Lead: Bộ Tài chính\n" in card and "due 30 Sep 2025" in card
    assert "Left out" in await admin(chan, "4")
    done = await admin(chan, "xác nhận")
    assert "0 new, 3 updated" in done
    async with sessionmaker() as s:
        rows = (await s.execute(select(Task.ref, Task.lead_text, Task.due))).all()
    assert ("2", "Bộ Tài chính", date(2025, 9, 30)) in rows
    assert await _count(sessionmaker, Directive) == 1


async def test_directive_without_number_imports_twice_to_one_directive(world, sessionmaker):
    chan, _ids = world
    for round_ in (1, 2):
        summary = text(await send_file(chan, PLAN))
        assert "No number was found in the document" in summary
        done = await admin(chan, "xác nhận")
        assert "is live." in done
        assert f"{4 if round_ == 1 else 0} new" in done
    async with sessionmaker() as s:
        directive = await s.scalar(select(Directive))
    assert await _count(sessionmaker, Directive) == 1
    assert directive.number.startswith("KS-") and directive.identity_key
    assert await _count(sessionmaker, Task) == 4


async def test_discard_and_the_draft_list(world, sessionmaker):
    chan, _ids = world
    await send_file(chan, HEADER + PLAN)
    assert "hủy nháp" in await admin(chan, "what now")  # not understood: the commands
    assert "hủy nháp" in await admin(chan, "2 chủ trì")  # a task number: a review message
    # An ordinary question is answered as usual, and the review goes on.
    assert "hủy nháp" not in await admin(chan, "tháng 9 có việc gì đến hạn")
    assert "Task 2 corrected." in await admin(chan, "2 chu tri bo tai chinh")
    await chan.push("hủy", user="admin", locale="en")  # leaves the review, keeps the draft
    listed = await chan.push("/import", user="admin", locale="en")
    assert "Drafts waiting for review:" in text(listed)
    draft_id = await _scalar(sessionmaker, select(ImportDraft.id))
    assert f"ir:{draft_id}:s" in buttons(listed)
    assert "4 tasks, 1 to check." in text(await press(chan, f"ir:{draft_id}:s"))
    out = await admin(chan, "hủy nháp")
    assert "discarded: nothing was imported" in out
    assert await _scalar(sessionmaker, select(ImportDraft.status)) == "cancelled"
    assert await _count(sessionmaker, Task) == 0


async def test_bad_fixes_get_a_clear_answer_and_change_nothing(world, sessionmaker):
    chan, _ids = world
    await send_file(chan, HEADER + PLAN)
    assert "No unit matches “Bộ Sao Hỏa”" in await admin(chan, "2 chủ trì Bộ Sao Hỏa")
    assert "could not read “sớm nhất có thể”" in await admin(chan, "2 hạn sớm nhất có thể")
    assert "There is no task 9" in await admin(chan, "bỏ 9")
    assert await _scalar(sessionmaker, select(ImportDraft.edits)) == {}


async def test_card_shows_flags_in_words_and_source_lines(world, sessionmaker):
    chan, _ids = world
    parsed = ParsedDirective(
        number="7/TB-VPCP",
        doc_type="Thông báo",
        issuer="Văn phòng Chính phủ",
        issued_on=date(2025, 3, 1),
        title="Kết luận",
        tasks=[
            ParsedTask(
                ref="2.a",
                title="Hoàn thiện hồ sơ",
                body="Hoàn thiện hồ sơ",
                lead=["Bộ Tài chính"],
                cooperating=[],
                deadline_text="Quý III, IV/2025",
                source=["2. Bộ Tài chính:", "a) Hoàn thiện hồ sơ <b>, Quý III, IV/2025"],
                flags=["deadline_span", "lead_from_heading"],
            )
        ],
    )
    async with sessionmaker() as s, s.begin():
        draft = await create_draft(s, parsed, now=NOW, actor_id=None)
    card = await press(chan, f"ir:{draft.id}:n")
    shown = text(card)
    assert "Task 1/1 · 2.a" in shown
    assert "the deadline is a span: due at its end" in shown
    assert "the lead unit was taken from a heading" in shown
    assert "│ a) Hoàn thiện hồ sơ <b>, Quý III, IV/2025" in shown  # plain text, escaped later
    assert "Task 1 will be imported as shown." in await admin(chan, "giữ 1")


async def test_an_unconfirmed_draft_expires(world, sessionmaker):
    chan, _ids = world
    parsed = ParsedDirective("8/KH-X", None, None, None, "t", [], [])
    async with sessionmaker() as s, s.begin():
        old = await create_draft(
            s, parsed, now=NOW - DRAFT_TTL - timedelta(hours=1), actor_id=None
        )
    listed = text(await chan.push("/import", user="admin", locale="en"))
    assert "Drafts waiting for review" not in listed
    assert "it expired" in text(await press(chan, f"ir:{old.id}:c"))
    assert await _scalar(sessionmaker, select(ImportDraft.status)) == "expired"
    assert await _count(sessionmaker, Directive) == 0


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("3 chủ trì Bộ Tài chính", ReviewCommand("lead", 3, "Bộ Tài chính")),
        ("3 chu tri BTC", ReviewCommand("lead", 3, "BTC")),
        (
            "3 phối hợp Bộ Tư pháp, Bộ Công an",
            ReviewCommand("support", 3, "Bộ Tư pháp, Bộ Công an"),
        ),
        ("3 hạn 30/9/2025", ReviewCommand("deadline", 3, "30/9/2025")),
        ("12 due Quý III/2025", ReviewCommand("deadline", 12, "Quý III/2025")),
        ("bỏ 5", ReviewCommand("drop", 5)),
        ("Giữ 5", ReviewCommand("keep", 5)),
        ("nv 7", ReviewCommand("show", 7)),  # on Zalo a bare number picks a listed choice
        ("Xác nhận", ReviewCommand("confirm")),
        ("huy nhap", ReviewCommand("discard")),
        ("tiếp", ReviewCommand("next")),
        ("3 chủ trì", None),
        ("chủ trì 3 Bộ Tài chính", None),
    ],
)
def test_review_messages_are_understood(message, expected):
    assert parse_review(message) == expected

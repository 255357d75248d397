"""Hostile files: each is refused or bounded by the import sandbox, naming the limit, and the
bot keeps answering other officials while one is read.

The files are generated at test time (`tests.store.hostile_samples`). Memory is asserted as the
worker's peak RSS: the cap is enforced by ``RLIMIT_AS``, so the assertion cannot flake. Time
figures are printed by ``tests/bench/bench_import_files.py``, never asserted here.
"""

from __future__ import annotations

import io
import os
import signal
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from handlers.types import FileRef
from store.importing.sandbox import ImportLimits, run_in_worker
from tests.factories import NOW, make_unit, make_user
from tests.fakes.fake_channel import FakeChannel
from tests.store import hostile_samples as hostile
from tests.support import eventually

LIMITS = ImportLimits()
PEAK = 400 * 2**20  # the bound; the worker's address-space cap is not above it
QD230 = Path(__file__).parent / "fixtures" / "directives" / "qd230-vpcp-2025.txt"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def giant_paragraph_docx(size: int = 50_000_000) -> bytes:
    """One paragraph of `size` bytes of runs: under the inflate cap, over any memory cap."""
    run = "<w:r><w:t>Giao Bộ Tài chính chủ trì </w:t></w:r>" * 20_000
    block = run.encode()
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w") as member,
    ):
        member.write(f'<w:document xmlns:w="{W}"><w:body><w:p>'.encode())
        for _ in range(size // len(block)):
            member.write(block)
        member.write(b"</w:p></w:body></w:document>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "name", "code", "limits"),
    [
        (hostile.inflating_docx, "nhiem-vu.docx", "limit", {"max_paragraphs"}),
        # The directory claims 1 KB: inflating stops there and the CRC check fails.
        (hostile.lying_docx, "ke-hoach.docx", "corrupt", {None}),
        (hostile.many_rows_xlsx, "phu-luc.xlsx", "limit", {"max_inflated", "max_rows"}),
        (hostile.many_pages_pdf, "van-ban.pdf", "limit", {"max_pages"}),
        (hostile.huge_png, "anh-chup.png", "limit", {"max_pixels"}),
    ],
    ids=["inflating-docx", "lying-zip", "200k-rows-xlsx", "5000-page-pdf", "gigapixel-png"],
)
async def test_hostile_file_is_refused_with_bounded_memory(
    make: Callable[[], bytes], name: str, code: str, limits: set[str | None]
) -> None:
    run = await run_in_worker(make(), name)
    assert run.error is not None and run.directive is None
    assert run.error.code == code and run.error.limit in limits
    if run.error.limit:
        assert run.error.limit in str(run.error)  # the message names the limit
    assert run.peak_rss is not None and run.peak_rss < min(PEAK, LIMITS.max_memory)


async def test_row_cap_refuses_a_sheet_within_the_inflate_cap() -> None:
    run = await run_in_worker(hostile.many_rows_xlsx(20_000), "phu-luc.xlsx")
    assert run.error is not None and run.error.limit == "max_rows"
    assert "5,000" in str(run.error)


async def test_memory_cap_is_enforced_by_the_kernel() -> None:
    limits = ImportLimits(max_memory=200 * 2**20)
    run = await run_in_worker(giant_paragraph_docx(), "mot-doan.docx", limits=limits)
    assert run.error is not None and run.error.limit == "max_memory"
    assert run.peak_rss is not None and run.peak_rss <= limits.max_memory


async def test_slow_file_is_killed_at_the_time_limit() -> None:
    # A limit no worker can meet (starting the interpreter alone takes longer): the outcome
    # does not depend on how fast this machine parses pages today.
    limits = ImportLimits(max_pages=10_000, max_seconds=0.01)
    run = await run_in_worker(hostile.many_pages_pdf(), "van-ban.pdf", limits=limits)
    assert run.error is not None
    assert (run.error.code, run.error.limit) == ("timeout", "max_seconds")


async def test_task_and_output_caps() -> None:
    data = QD230.read_bytes()
    run = await run_in_worker(data, "qd230.txt", limits=ImportLimits(max_tasks=5))
    assert run.error is not None and run.error.limit == "max_tasks"
    run = await run_in_worker(data, "qd230.txt", limits=ImportLimits(max_output=2_000))
    assert run.error is not None and run.error.limit == "max_output"
    run = await run_in_worker(data, "qd230.txt")
    assert run.error is None and run.directive is not None and len(run.directive.tasks) > 5


# --- the conversation goes on while a file is read ----------------------------------------


@pytest.fixture
async def chan(sessionmaker) -> FakeChannel:
    """An official of the Ministry of Finance (u1); `admin` is listed as an admin."""
    async with sessionmaker() as s, s.begin():
        btc = await make_unit(s, "bo-tai-chinh", "Bộ Tài chính")
        await make_user(s, "u1", btc)
    options = Options(admins=frozenset({("fake", "admin")}))
    return FakeChannel(Dispatcher(sessionmaker, options, clock=lambda: NOW))


def _file(data: bytes, name: str) -> FileRef:
    async def fetch() -> bytes:
        return data

    return FileRef(name=name, size=len(data), mime=None, fetch=fetch, ref="F1")


def _find_worker() -> int | None:
    """The pid of this process's running import worker, if any."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if f"PPid:\t{os.getpid()}\n" in status and b"sandbox_worker" in cmdline:
            return int(entry.name)
    return None


async def _worker(chan: FakeChannel) -> int:
    """The pid of the running import worker (waits for it to start)."""

    def seen() -> int | None:
        assert chan.dispatcher.background.busy, "the import finished before it was seen"
        return _find_worker()

    return int(await eventually(seen, message="no import worker started"))


@pytest.mark.parametrize(
    ("make", "name"),
    [(hostile.inflating_docx, "nhiem-vu.docx"), (hostile.many_rows_xlsx, "phu-luc.xlsx")],
    ids=["inflating-docx", "200k-rows-xlsx"],
)
async def test_officials_are_answered_while_a_hostile_file_is_read(
    chan: FakeChannel, make: Callable[[], bytes], name: str
) -> None:
    first = await chan.push("", user="admin", file=_file(make(), name), settle=False)
    assert [to_plain(o.text) for o in first] == [f"Đang đọc {name}…"]
    worker = await _worker(chan)
    os.kill(worker, signal.SIGSTOP)  # hold the worker mid-read: the test needs no timing
    try:
        answer = await chan.push("/help", user="u1", settle=False)
        assert answer and chan.dispatcher.background.busy  # answered; the read goes on
    finally:
        os.kill(worker, signal.SIGCONT)
    await chan.dispatcher.background.idle()
    order = [(a.user_id, to_plain(o.text)) for a, o in chan.sent]
    assert [who for who, _text in order] == ["admin", "u1", "admin"]
    refusal = order[-1][1]
    assert "quá lớn" in refusal or "quá" in refusal  # the localized refusal
    assert any(word in refusal for word in ("đoạn", "giải nén", "dòng"))  # names the limit


async def test_refusals_in_the_chat_say_what_to_do(chan: FakeChannel) -> None:
    word97 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2_000)
    replies = await chan.push("", user="admin", file=_file(word97, "cong-van.doc"))
    texts = [to_plain(o.text) for o in replies]
    assert texts[0] == "Đang đọc cong-van.doc…"
    assert ".docx" in texts[1] and "PDF" in texts[1]
    replies = await chan.push("", user="admin", file=_file(hostile.many_pages_pdf(), "vb.pdf"))
    assert "300" in to_plain(replies[-1].text)  # the page cap, named

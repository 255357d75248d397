"""Benchmark: reading directive files in the import sandbox -- wall time and peak memory.

Run: .venv/bin/python -m tests.bench.bench_import_files [--skip-cli]

For each file (generated here, never stored): a 20-page text PDF, one scanned page (OCR, when
Tesseract is installed), and each hostile file of the reliability issue, it prints the outcome,
the wall time and the worker's peak RSS of `store.importing.sandbox.run_in_worker`. Then, unless
``--skip-cli``, the whole ``nhacviec import FILE --dry-run`` of the 20-page PDF and of the scan
against a fresh SQLite database (process start, unit registry and the dry-run import included),
with the peak RSS of the CLI and its worker. Targets (issue 8): 20-page PDF under 5 s and
300 MB, a scanned page under 15 s; (issue 10): each hostile file refused or bounded within 30 s
and 400 MB. The figures are for this machine; compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from store.importing.readers.ocr import ocr_available
from store.importing.sandbox import run_in_worker
from tests.store import hostile_samples as hostile
from tests.store import import_samples as samples

MB = 2**20


def _files() -> list[tuple[str, str, Callable[[], bytes]]]:
    files = [("20-page text PDF", "kh20.pdf", lambda: samples.text_pdf(20))]
    if ocr_available():
        files.append(("scanned page (PDF)", "scan.pdf", lambda: samples.scanned_pdf(1)))
    return [
        *files,
        (".docx inflating to 190 MB", "bomb.docx", hostile.inflating_docx),
        (".docx with a lying zip directory", "lying.docx", hostile.lying_docx),
        ("200,000-row .xlsx", "rows.xlsx", hostile.many_rows_xlsx),
        ("5,000-page PDF", "pages.pdf", hostile.many_pages_pdf),
        ("40,000 × 40,000 PNG", "huge.png", hostile.huge_png),
    ]


async def _sandbox(files: list[tuple[str, str, Callable[[], bytes]]]) -> dict[str, bytes]:
    print(f"{'file':<34} {'size':>9} {'outcome':<34} {'wall s':>7} {'peak MB':>8}")
    made: dict[str, bytes] = {}
    for label, name, make in files:
        data = made[name] = make()
        run = await run_in_worker(data, name)
        if run.error is not None:
            outcome = f"{run.error.code} ({run.error.limit or '-'})"
        else:
            assert run.directive is not None
            outcome = f"ok: {len(run.directive.tasks)} tasks"
        peak = f"{run.peak_rss / MB:.0f}" if run.peak_rss else "?"
        print(f"{label:<34} {len(data):>9,} {outcome:<34} {run.seconds:>7.2f} {peak:>8}")
    return made


def _hwm(pid: int) -> tuple[int, list[int]]:
    """Peak RSS (bytes) of process `pid` so far, and its children's pids."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0, []
    peak = next((int(x.split()[1]) for x in status.splitlines() if x.startswith("VmHWM:")), 0)
    return peak * 1024, [int(c) for c in children]


def _watch_peak(proc: subprocess.Popen[bytes]) -> int:
    """Poll the CLI and its worker until the CLI exits; the largest peak RSS of either.

    (``ru_maxrss`` of a child would include this process's size at fork time.)
    """
    peak = 0
    while proc.poll() is None:
        own, children = _hwm(proc.pid)
        peak = max(peak, own, *(_hwm(child)[0] for child in children))
        time.sleep(0.05)
    return peak


def _cli(made: dict[str, bytes]) -> None:
    nhacviec = Path(sys.executable).with_name("nhacviec")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.db"}
        subprocess.run([nhacviec, "db", "upgrade"], env=env, check=True, capture_output=True)
        print(f"\n{'nhacviec import --dry-run':<34} {'wall s':>7} {'peak MB':>8}  result")
        for name in ("kh20.pdf", "scan.pdf"):
            if name not in made:
                continue
            path = Path(tmp) / name
            path.write_bytes(made[name])
            started = time.perf_counter()
            with subprocess.Popen(
                [nhacviec, "import", str(path), "--dry-run"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            ) as proc:
                peak = _watch_peak(proc)
                output = proc.stdout.read() if proc.stdout else b""
            wall = time.perf_counter() - started
            shown = f"{peak / MB:.0f}"
            first = output.decode().splitlines()[:1]
            print(f"{name:<34} {wall:>7.2f} {shown:>8}  {first[0] if first else ''}")


async def _answers_meanwhile(made: dict[str, bytes]) -> None:
    """How long an official waits for an answer while an admin's hostile file is read."""
    from handlers.context import Options
    from handlers.dispatcher import Dispatcher
    from handlers.types import FileRef
    from store.db import make_engine, make_sessionmaker, upgrade
    from tests.factories import make_unit, make_user
    from tests.fakes.fake_channel import FakeChannel

    print(f"\n{'official asks while a file is read':<34} {'answer s':>8} {'import s':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/chat.db")
        await upgrade(engine)
        sessionmaker = make_sessionmaker(engine)
        async with sessionmaker() as s, s.begin():
            await make_user(s, "u1", await make_unit(s, "bo-tai-chinh", "Bộ Tài chính"))
        options = Options(admins=frozenset({("fake", "admin")}))
        chan = FakeChannel(Dispatcher(sessionmaker, options))
        for name in ("bomb.docx", "rows.xlsx", "pages.pdf", "huge.png"):
            data = made[name]

            async def fetch(data: bytes = data) -> bytes:
                return data

            started = time.perf_counter()
            file = FileRef(name=name, size=len(data), mime=None, fetch=fetch, ref=name)
            await chan.push("", user="admin", file=file, settle=False)
            asked = time.perf_counter()
            await chan.push("/help", user="u1", settle=False)
            answered = time.perf_counter() - asked
            await chan.dispatcher.background.idle()
            total = time.perf_counter() - started
            print(f"{name:<34} {answered:>8.2f} {total:>8.2f}")
        await engine.dispose()


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-cli", action="store_true", help="only the sandbox figures")
    args = parser.parse_args()
    if not ocr_available():
        print("(Tesseract with its Vietnamese model is not installed: no scanned page)")
    made = asyncio.run(_sandbox(_files()))
    asyncio.run(_answers_meanwhile(made))
    if not args.skip_cli:
        _cli(made)


if __name__ == "__main__":
    main()

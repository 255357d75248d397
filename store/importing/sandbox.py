"""Read and extract a directive file in a separate, limited worker process.

A file sent by an admin is untrusted input for parsers written in C (libxml2, pdfium, zlib,
Tesseract): a 590 KB .docx can inflate to 190 MB of paragraphs, a PDF can claim thousands of
pages. `extract_in_worker` runs `store.importing.extract.extract` in a child process
(`store.importing.sandbox_worker`) so the bot's event loop and database are never held while a
file is read, and bounds it:

* memory: the worker's address space (``RLIMIT_AS``), inherited by Tesseract;
* time: wall clock (the worker is killed, with its OCR children, past ``max_seconds``) and CPU
  (``RLIMIT_CPU``);
* output: the worker's answer is read up to ``max_output`` bytes, then it is killed;
* while streaming, inside the worker: inflated bytes of zip members, paragraphs, rows, cells,
  pages, OCR pages, image pixels (`store.importing.readers.limits`), and the task count.

Every refusal is an `ImportFormatError` whose ``limit`` names the cap (``max_rows``,
``max_memory``, ``max_seconds`` ...). At most `ImportLimits.workers` files are read at once per
event loop; others wait their turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
import time
import weakref
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from store.importing.parsed import ImportFormatError, ParsedDirective
from store.importing.readers.limits import ReadLimits

logger = logging.getLogger(__name__)

_ROOT = str(Path(__file__).resolve().parents[2])
#: Environment the worker keeps (Tesseract's model directory included); nothing else leaks in.
_PASSED_ENV = frozenset({"PATH", "LANG", "LC_ALL", "HOME", "TMPDIR", "TESSDATA_PREFIX"})
_SEMAPHORES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True, slots=True)
class ImportLimits(ReadLimits):
    """The reader caps plus the worker's own: tasks, memory, time, output, concurrency."""

    #: Tasks one directive may have.
    max_tasks: int = 2_000
    #: Address space of the worker (bytes); Tesseract gets the same.
    max_memory: int = 400 * 2**20
    #: Wall-clock seconds before the worker is killed.
    max_seconds: float = 30.0
    #: CPU seconds of the worker (a backstop to `max_seconds`).
    max_cpu_seconds: int = 40
    #: Bytes of the worker's answer.
    max_output: int = 8_000_000
    #: Files read at the same time (per event loop).
    workers: int = 2


@dataclass(slots=True)
class WorkerRun:
    """What one worker run gave: the directive or the refusal, and what it cost."""

    directive: ParsedDirective | None
    error: ImportFormatError | None
    peak_rss: int | None  # bytes; None when it could not be measured
    seconds: float
    extra: dict[str, Any] = field(default_factory=dict)


async def extract_in_worker(
    data: bytes, filename: str, *, limits: ImportLimits | None = None
) -> ParsedDirective:
    """Extract a directive from `data` in a limited worker process (see the module docstring).

    Raises:
        ImportFormatError: what `extract` raises, plus ``limit`` and ``timeout`` with the
            cap's name in ``limit``.
    """
    run = await run_in_worker(data, filename, limits=limits)
    if run.error is not None:
        raise run.error
    assert run.directive is not None
    return run.directive


async def run_in_worker(
    data: bytes, filename: str, *, limits: ImportLimits | None = None
) -> WorkerRun:
    """Like `extract_in_worker`, but return the outcome with its peak memory and wall time."""
    limits = limits or ImportLimits()
    if len(data) > limits.max_bytes:  # no process for what is refused anyway
        error = ImportFormatError(
            "too_large", f"file is {len(data)} bytes, limit {limits.max_bytes}"
        )
        return WorkerRun(None, error, None, 0.0)
    async with _semaphore(limits.workers):
        started = time.perf_counter()
        answer, peak = await _run(data, filename, limits)
        seconds = time.perf_counter() - started
    peak = answer.get("peak_rss") or peak
    if "ok" in answer:
        return WorkerRun(_directive(answer["ok"]), None, peak, seconds)
    err = answer.get("error") or {}
    error = ImportFormatError(
        err.get("code", "corrupt"), err.get("message", "unreadable"), limit=err.get("limit")
    )
    logger.info("import of %s refused in the worker: %s (%s)", filename, error.code, error)
    return WorkerRun(None, error, peak, seconds)


def _semaphore(size: int) -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    if loop not in _SEMAPHORES:
        _SEMAPHORES[loop] = asyncio.Semaphore(size)
    return _SEMAPHORES[loop]


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in _PASSED_ENV}
    path = os.environ.get("PYTHONPATH")
    env["PYTHONPATH"] = _ROOT + (os.pathsep + path if path else "")
    # One OCR thread and few malloc arenas: the address-space cap is for data, not reserves.
    env.update(OMP_THREAD_LIMIT="1", MALLOC_ARENA_MAX="2", PYTHONDONTWRITEBYTECODE="1")
    return env


async def _run(
    data: bytes, filename: str, limits: ImportLimits
) -> tuple[dict[str, Any], int | None]:
    header = {
        "filename": filename,
        "limits": {f.name: getattr(limits, f.name) for f in fields(ReadLimits)},
        "max_tasks": limits.max_tasks,
        "max_memory": limits.max_memory,
        "max_cpu_seconds": limits.max_cpu_seconds,
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "store.importing.sandbox_worker",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=_environment(),
        start_new_session=True,  # its own process group: OCR children die with it
    )
    try:
        async with asyncio.timeout(limits.max_seconds):
            out, err = await asyncio.gather(
                _feed_and_read(proc, header, data, limits.max_output),
                _read_capped(proc.stderr, 64_000, stop=False),
            )
            await proc.wait()
    except TimeoutError:
        peak = _kill(proc)
        error = _error("timeout", f"reading took over {limits.max_seconds:g} s", "max_seconds")
        return error, peak
    except _OutputTooLong:
        peak = _kill(proc)
        return _error("limit", "the result is too large", "max_output"), peak
    finally:
        if proc.returncode is None:
            _kill(proc)
            await proc.wait()
    return _answer(proc.returncode, out, err, limits), None


class _OutputTooLong(Exception):
    pass


async def _feed_and_read(
    proc: asyncio.subprocess.Process, header: dict[str, Any], data: bytes, cap: int
) -> bytes:
    assert proc.stdin is not None and proc.stdout is not None
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        proc.stdin.write(json.dumps(header).encode() + b"\n")
        proc.stdin.write(data)
        await proc.stdin.drain()
        proc.stdin.close()
    out = await _read_capped(proc.stdout, cap)
    if len(out) > cap:
        raise _OutputTooLong
    return out


async def _read_capped(
    stream: asyncio.StreamReader | None, cap: int, *, stop: bool = True
) -> bytes:
    """Read until EOF, keeping at most `cap` + 1 bytes (enough to tell it was too long).

    With `stop`, reading ends as soon as the cap is passed; otherwise the rest is drained and
    dropped (stderr must not fill up and block the worker).
    """
    assert stream is not None
    chunks: list[bytes] = []
    size = 0
    while chunk := await stream.read(1 << 16):
        if size <= cap:
            chunks.append(chunk[: cap + 1 - size])
        size += len(chunk)
        if size > cap and stop:
            break
    return b"".join(chunks)


def _kill(proc: asyncio.subprocess.Process) -> int | None:
    """Kill the worker's process group; return its peak RSS read just before, if known."""
    peak = _peak_of(proc.pid)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    return peak


def _peak_of(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None


def _error(code: str, message: str, limit: str | None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "limit": limit}}


def _answer(
    returncode: int | None, out: bytes, err: bytes, limits: ImportLimits
) -> dict[str, Any]:
    try:
        answer = json.loads(out)
        if isinstance(answer, dict) and ("ok" in answer or "error" in answer):
            return answer
    except ValueError:
        pass
    tail = err.decode("utf-8", "replace")[-2000:]
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):  # RLIMIT_CPU: soft, then hard
        return _error(
            "timeout", f"reading used over {limits.max_cpu_seconds} s of CPU", "max_cpu_seconds"
        )
    if "MemoryError" in tail or "Cannot allocate memory" in tail:
        return _error("limit", "reading the file needs more memory than allowed", "max_memory")
    logger.error("import worker failed (exit %s): %s", returncode, tail)
    return _error("corrupt", "the file could not be read", None)


def _directive(data: dict[str, Any]) -> ParsedDirective:
    """Rebuild a `ParsedDirective` from its `to_dict` form (plain JSON, nothing executable)."""
    return ParsedDirective.from_dict(data)


__all__ = ["ImportLimits", "WorkerRun", "extract_in_worker", "run_in_worker"]

"""The import worker process: read one directive file under resource limits, print the result.

Started by `store.importing.sandbox` as ``python -m store.importing.sandbox_worker``. Its stdin
is one JSON line (file name and limits) followed by the file's bytes; its stdout is one JSON
object, ``{"ok": <ParsedDirective.to_dict()>}`` or ``{"error": {"code", "message", "limit"}}``,
with ``peak_rss`` (bytes, this process and its OCR children). The limits on memory (address
space) and CPU time are set by the process on itself before it reads anything, so whatever the
file does, the kernel stops it there; a ``MemoryError`` is reported as the ``max_memory`` limit.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from dataclasses import fields
from typing import Any

from store.importing.parsed import ImportFormatError
from store.importing.readers.limits import ReadLimits, use_limits

#: File descriptors: enough for Tesseract's pipes and temporary files.
_MAX_FILES = 64
#: Bytes a file written by the worker (Tesseract's temporary images) may have.
_MAX_FILE_SIZE = 256 * 2**20


_NEAR_CAP = 0.75
_MEMORY = {
    "error": {
        "code": "limit",
        "message": "reading the file needs more memory than allowed (limit max_memory)",
        "limit": "max_memory",
    }
}


def _peak_rss() -> int:
    """Peak RSS in bytes of this process and of the OCR runs it waited for.

    ``ru_maxrss`` of this process would include the bot's own size at fork time (Linux keeps
    it across exec), so its own peak is read from ``VmHWM``; a child's figure includes this
    process at its fork, an upper bound.
    """
    own = 0
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                own = int(line.split()[1])
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) * 1024  # KiB


def _set_limits(memory: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 2))
    resource.setrlimit(resource.RLIMIT_NOFILE, (_MAX_FILES, _MAX_FILES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (_MAX_FILE_SIZE, _MAX_FILE_SIZE))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.nice(10)  # the bot's own process answers people first


def _run(header: dict[str, Any], data: bytes) -> dict[str, Any]:
    from store.importing.extract import extract

    names = {f.name for f in fields(ReadLimits)}
    limits = ReadLimits(**{k: v for k, v in header["limits"].items() if k in names})
    with use_limits(limits):
        directive = extract(data, header["filename"], max_bytes=limits.max_bytes)
    max_tasks = int(header["max_tasks"])
    if len(directive.tasks) > max_tasks:
        raise ImportFormatError(
            "limit",
            f"too many tasks: more than {max_tasks:,} (limit max_tasks)",
            limit="max_tasks",
        )
    return {"ok": directive.to_dict()}


def main() -> None:
    """Read the request from stdin, extract, write the JSON answer to stdout."""
    stdin = sys.stdin.buffer
    header = json.loads(stdin.readline())
    _set_limits(int(header["max_memory"]), int(header["max_cpu_seconds"]))
    data = stdin.read(int(header["limits"]["max_bytes"]) + 1)
    try:
        answer = _run(header, data)
    except ImportFormatError as exc:
        answer = {"error": {"code": exc.code, "message": str(exc), "limit": exc.limit}}
        # libxml2 reports a failed allocation as an "unknown error": a parser that fails with
        # the process at its memory cap ran out of memory, whatever it says.
        if exc.code == "corrupt" and _peak_rss() > _NEAR_CAP * int(header["max_memory"]):
            answer = dict(_MEMORY)
    except MemoryError:
        answer = dict(_MEMORY)
    except RecursionError:
        answer = {"error": {"code": "corrupt", "message": "the file is nested too deeply"}}
    answer["peak_rss"] = _peak_rss()
    sys.stdout.buffer.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()

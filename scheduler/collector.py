"""The garbage collector's pace while a job runs.

A daily job at a government's size allocates a few hundred thousand short-lived objects (rows,
views, messages, buttons, delivery rows). With CPython's default first threshold (700) the
collector runs about a thousand times during the 16:00 reminder, promotes whatever is alive at
those moments and, every few dozen runs, walks the whole heap: measured at 10,000 officials
that was a third of the reminder's CPU time. While a job runs the first threshold is raised so
that most of those objects die by reference counting before the collector looks at them;
cyclic garbage is still collected, only less often. The previous thresholds come back when the
last running job ends (jobs can overlap: a manual run next to a scheduled one).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: The first-generation threshold while a job runs (CPython's default is 700).
JOB_THRESHOLD = 10_000

_running = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def job_pace() -> Iterator[None]:
    """Collect less often inside the block (nested and overlapping blocks are fine)."""
    global _running, _saved
    if _running == 0:
        _saved = gc.get_threshold()
        if _saved[0] and _saved[0] < JOB_THRESHOLD:  # 0: collection is off; leave it so
            gc.set_threshold(JOB_THRESHOLD, *_saved[1:])
    _running += 1
    try:
        yield
    finally:
        _running -= 1
        if _running == 0 and _saved is not None:
            gc.set_threshold(*_saved)
            _saved = None

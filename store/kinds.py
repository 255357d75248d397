"""Kinds of task deadlines, without the database: the directive reader (which runs in a worker
process) needs them and nothing else of `store.models`."""

from __future__ import annotations

import enum


class TaskKind(enum.StrEnum):
    """How a task's deadline recurs (ARCHITECTURE §4)."""

    ONCE = "once"
    RECURRING = "recurring"
    ANNUAL = "annual"
    UNSPECIFIED = "unspecified"

"""Keeping statements bounded: no statement's parameter count may grow with the data.

PostgreSQL accepts at most 32,767 bound parameters in one statement (SQLite 32,766 by
default), so a list of ids is either replaced by a subquery or bound in chunks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import ColumnElement, Select

#: Ids bound in one statement: far below both databases' limits, large enough to be cheap.
CHUNK = 5_000

#: Units given either as ids or as a subquery that selects them.
UnitsArg = Iterable[int] | Select[Any]


def chunks(ids: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    """The ids, sorted and de-duplicated, in lists of at most `size`."""
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), size):
        yield ordered[i : i + size]


def unit_filters(column: ColumnElement[int], units: UnitsArg) -> Iterator[ColumnElement[bool]]:
    """`column IN (...)` conditions that together cover `units`, each with a bounded size.

    A subquery gives one condition; ids give one per chunk (none for no ids).
    """
    if isinstance(units, Select):
        yield column.in_(units)
        return
    for part in chunks(units):
        yield column.in_(part)

"""Why a matched corpus task is not exact: the families of error the benchmark counts.

A matched task can be wrong on its lead set, its due date and its kind at once; each wrong
field counts once in its family. Lead sets compare unit by unit (`corpus_score.same_unit`):
*too many* when every labelled unit was found and more, *too few* when every found unit is
labelled but some labelled ones are missing (an empty lead included), *different* otherwise.
Due dates: *none* when a date was labelled and none read, *unexpected* when one was read and
none labelled, *different* when both are there and differ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

REASONS = (
    "not_found",
    "invented",
    "lead_too_many",
    "lead_too_few",
    "lead_different",
    "due_none",
    "due_unexpected",
    "due_different",
    "kind_wrong",
)


def empty_reasons() -> dict[str, int]:
    """A zero count for every family, in the order they are printed."""
    return dict.fromkeys(REASONS, 0)


def _covered(side: list[str], other: list[str], same: Callable[[str, str], bool]) -> bool:
    return all(any(same(x, y) for y in other) for x in side)


def lead_reason(found: list[str], expected: list[str], same: Callable[[str, str], bool]) -> str:
    """The lead family of a wrong lead set (see the module docstring)."""
    found_in_label = _covered(found, expected, same)
    label_in_found = _covered(expected, found, same)
    if label_in_found and not found_in_label:
        return "lead_too_many"
    if found_in_label and not label_in_found:
        return "lead_too_few"
    if found_in_label and label_in_found:  # same units, counted differently (duplicates)
        return "lead_too_many" if len(found) > len(expected) else "lead_too_few"
    return "lead_different"


def due_reason(found: str | None, expected: str | None) -> str:
    """The due-date family of a wrong due date."""
    if found is None:
        return "due_none"
    if expected is None:
        return "due_unexpected"
    return "due_different"


def wrong_reasons(
    task: Any,
    label: dict[str, Any],
    same_units: Callable[[Iterable[str], Iterable[str]], bool],
    same_unit: Callable[[str, str], bool],
) -> list[str]:
    """Every family a matched, not exact task falls in."""
    out = []
    lead = list(label.get("lead", []))
    if not same_units(task.lead, lead):
        out.append(lead_reason(list(task.lead), lead, same_unit))
    if task.due != label.get("due"):
        out.append(due_reason(task.due, label.get("due")))
    if task.kind != label.get("kind"):
        out.append("kind_wrong")
    return out


def add_reasons(into: dict[str, int], more: dict[str, int]) -> None:
    """Add one count of families to another."""
    for key, value in more.items():
        into[key] = into.get(key, 0) + value


def format_reasons(reasons: dict[str, int]) -> str:
    """One line of the families with a non-zero count, e.g. ``lead_too_many 3, due_none 2``."""
    shown = [f"{key} {reasons[key]}" for key in REASONS if reasons.get(key)]
    return "why not exact: " + (", ".join(shown) if shown else "nothing")

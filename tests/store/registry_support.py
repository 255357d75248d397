"""Helpers shared by the unit registry test modules."""

from __future__ import annotations

from store.assignees import Expansion


def codes(expansion: Expansion) -> list[str]:
    """Codes of the units an expansion resolved to, in order."""
    return [u.code for u in expansion.units]

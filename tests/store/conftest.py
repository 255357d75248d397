"""Fixtures shared by the store test modules."""

from __future__ import annotations

import pytest

from store.registry import UnitRegistry
from store.units import seed_records


@pytest.fixture(scope="module")
def registry() -> UnitRegistry:
    """A unit registry of the seed records, shared by a module."""
    return UnitRegistry.from_records(seed_records())

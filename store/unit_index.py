"""What assignee expansion needs from a set of units: the `UnitIndex` interface.

`store.registry.UnitRegistry` implements it; `store.assignees` (assignee phrases) and
`store.collectives` (collective phrases) take any `UnitIndex`, so they need not import the
registry, which imports them to expand phrases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from store.models import UnitKind

__all__ = ["Match", "UnitIndex", "UnitRef"]


@dataclass(frozen=True)
class UnitRef:
    """A unit as the registry knows it; `id` is None when built from seed records."""

    id: int | None
    code: str
    name: str
    kind: UnitKind
    parent_code: str | None = None


@dataclass
class Match:
    """Result of matching one name: the unit when confident, otherwise candidates to ask about."""

    query: str
    unit: UnitRef | None
    score: float
    candidates: list[tuple[UnitRef, float]] = field(default_factory=list)
    confident: bool = False


class UnitIndex(Protocol):
    """Units looked up by name, code, kind, group and hierarchy (see store.registry)."""

    def match_key(
        self,
        name: str,
        q: str,
        ctx: UnitRef | None,
        limit: int = 5,
        *,
        strict: bool = False,
        cased: bool = False,
    ) -> Match:
        """Match a name already normalised to `q` (`store.names.normalize`); `ctx` breaks ties."""
        ...

    def resolve_context(self, context: str | UnitRef | None) -> UnitRef | None:
        """A context unit given as a ref, a code or a name."""
        ...

    def exact(self, key: str) -> list[UnitRef]:
        """Units whose name or alias has exactly this normalised key."""
        ...

    def children(self, code: str) -> list[UnitRef]:
        """Direct sub-units of the unit with this code."""
        ...

    def group(self, name: str) -> list[UnitRef]:
        """Members of a named group."""
        ...

    def of_kind(self, kind: UnitKind) -> list[UnitRef]:
        """Units of one kind."""
        ...

    def is_under(self, unit: UnitRef, ancestor: UnitRef) -> bool:
        """Whether `unit` is `ancestor` or below it."""
        ...

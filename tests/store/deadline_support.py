"""Constants shared by the deadline normalisation test modules."""

from __future__ import annotations

from datetime import date

from store.models import TaskKind

ONCE = TaskKind.ONCE
RECURRING = TaskKind.RECURRING
ANNUAL = TaskKind.ANNUAL
UNSPECIFIED = TaskKind.UNSPECIFIED

ISSUED = date(2025, 5, 14)  # Quyết định 230/QĐ-VPCP

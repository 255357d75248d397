"""Performers and times written as labelled phrases inside an item, not as its subject.

Plans often name who does an item and by when after the work itself:

* a parenthesis: ``a) Rà soát văn bản ... (Sở Tư pháp chủ trì, thực hiện trong Quý II/2026).``;
* a field run into the sentence: ``... Cơ quan thực hiện: Sở Tư pháp; thời gian: Quý III/2026.``,
  ``... - Đơn vị chủ trì: các sở, ngành``, ``... Trách nhiệm: Văn phòng UBND tỉnh.``

Field labels are read like table columns (`store.importing.rows.column_of`).
"""

from __future__ import annotations

import re

from store.importing.rows import column_of
from store.importing.units import is_unit_start, split_units

#: ``(Sở Tư pháp chủ trì, ...)`` or ``(giao Sở Tư pháp chủ trì)``.
_PAREN_LEAD = re.compile(
    r"\((?:[Gg]iao\s+(?:cho\s+)?)?(?P<units>[^()]{3,160}?)\s+chủ\s?trì(?:\s*[,;][^()]*)?\)"
)
#: ``Cơ quan thực hiện: X``, ``Thời gian: Y`` after a sentence or a separator.
_FIELD = re.compile(
    r"(?:^|[.;,(]\s*|\s[-–]\s+)(?P<label>(?:[Cc]ơ quan|[Đđ]ơn vị|[Tt]rách nhiệm|[Tt]hời gian"
    r"|[Tt]hời hạn|[Tt]hực hiện|[Pp]hối hợp)[^:;.()]{0,30}):\s*(?P<value>[^;.()\n]{2,160})"
)


def role_fields(text: str) -> dict[str, str]:
    """The lead, cooperating units and deadline an item writes as labelled phrases."""
    found: dict[str, str] = {}
    paren = _PAREN_LEAD.search(text)
    if paren and is_unit_start(paren.group("units")):
        found["lead"] = paren.group("units")
    for match in _FIELD.finditer(text):
        kind = column_of(match.group("label"))
        value = match.group("value").strip(" ,")
        if kind in ("lead", "cooperating", "deadline") and value:
            found.setdefault(kind, value)
    return found


def role_lead(text: str) -> list[str]:
    """The units a labelled phrase names as the item's lead (``(Sở X chủ trì)``,
    ``Cơ quan thực hiện: Sở X``), or []."""
    lead = role_fields(text).get("lead", "")
    units = [unit for unit in split_units(lead) if is_unit_start(unit)]
    return units

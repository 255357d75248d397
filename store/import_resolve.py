"""An extracted directive made ready to persist: deadlines normalised, assignees resolved.

Pure functions over a `UnitRegistry`, no database: the importer, the draft review and
`nhacviec import --dry-run` all see the same tasks, flags and candidates.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from store.deadlines import normalise_deadline
from store.importing.parsed import ParsedDirective
from store.models import Role
from store.registry import MARGIN, UnitRegistry

logger = logging.getLogger(__name__)

#: Best candidate score from which a phrase with two close candidates is called ambiguous
#: (below it, the phrase simply matched nothing well).
AMBIGUOUS_FROM = 80.0
_UNIT_FLAGS = ("unit_unresolved", "unit_ambiguous")

Plan = dict[str, list[tuple[int | None, Role]]]


@dataclass(slots=True)
class Unresolved:
    """An assignee phrase that matched no unit, with the nearest candidates.

    `role` is ``lead`` or ``support``; `candidate_ids` are the candidates' unit ids (None for
    a registry built from seed records), for review buttons.
    """

    text: str
    candidates: list[str]
    role: str = ""
    candidate_ids: list[int | None] = field(default_factory=list)
    ambiguous: bool = False


@dataclass(slots=True)
class ImportedTask:
    """One task as imported: the phrases as written plus the units they resolved to.

    `flags` say what a reviewer should check (`store.importing.parsed.FLAGS`), `source` the
    document lines it was read from, `corrected` which fields a review changed.
    """

    ref: str
    title: str
    lead: list[str]
    cooperating: list[str]
    deadline_text: str
    due: date | None
    kind: str
    product: str
    lead_units: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (the due date as ISO text)."""
        item = asdict(self)
        item["due"] = self.due.isoformat() if self.due else None
        return item


def resolve(
    parsed: ParsedDirective,
    registry: UnitRegistry,
    vague: list[str] | None = None,
    corrected: dict[str, list[str]] | None = None,
) -> tuple[list[ImportedTask], list[Unresolved], Plan]:
    """Normalise deadlines and resolve assignee phrases to units, without touching the DB.

    Returns the imported tasks, the phrases nobody matched (once each), and per task ref the
    (unit id, role) pairs to assign; a unit named as both lead and support is lead. Phrases
    that name no identifiable unit are appended to `vague` when given; `corrected` (fields
    per ref) is copied onto the tasks.
    """
    context = registry.match(parsed.issuer).unit if parsed.issuer else None
    context_code = context.code if context else None
    unresolved: dict[str, Unresolved] = {}
    tasks: list[ImportedTask] = []
    plan: Plan = {}
    for pt in parsed.tasks:
        deadline = normalise_deadline(pt.deadline_text, parsed.dated)
        item = ImportedTask(
            ref=pt.ref,
            title=pt.title,
            lead=list(pt.lead),
            cooperating=list(pt.cooperating),
            deadline_text=deadline.text,
            due=deadline.due,
            kind=deadline.kind.value,
            product=pt.product,
            flags=[f for f in pt.flags if f not in _UNIT_FLAGS],
            source=list(pt.source),
            corrected=list((corrected or {}).get(pt.ref, [])),
        )
        roles: dict[int | None, Role] = {}
        for role, phrases, names in (
            (Role.LEAD, pt.lead, item.lead_units),
            (Role.SUPPORT, pt.cooperating, item.cooperating_units),
        ):
            for phrase in phrases:
                expansion = registry.expand(phrase, context_parent=context_code)
                for unit in expansion.units:
                    if unit.id in roles:
                        continue
                    roles[unit.id] = role
                    names.append(unit.name)
                for part in expansion.vague:
                    if vague is not None and part not in vague:
                        vague.append(part)
                for part, candidates in expansion.unresolved:
                    found = _unresolved(part, candidates, role)
                    if found is None:
                        continue
                    item.unresolved.append(found)
                    unresolved.setdefault(found.text, found)
        _flag_units(item)
        plan[pt.ref] = [(uid, role) for uid, role in roles.items()]
        tasks.append(item)
    return tasks, list(unresolved.values()), plan


def _unresolved(part: str, candidates: list[Any], role: Role) -> Unresolved | None:
    key = part.strip()
    if not key:
        return None
    top = candidates[:3]
    ambiguous = len(top) > 1 and top[0][1] >= AMBIGUOUS_FROM and top[1][1] > top[0][1] - MARGIN
    return Unresolved(
        key,
        [unit.name for unit, _score in top],
        role.value,
        [unit.id for unit, _score in top],
        ambiguous,
    )


def _flag_units(item: ImportedTask) -> None:
    """Add the resolution flags: a phrase unresolved or ambiguous, no lead unit at all."""
    if any(u.ambiguous for u in item.unresolved):
        item.flags.append("unit_ambiguous")
    if any(not u.ambiguous for u in item.unresolved):
        item.flags.append("unit_unresolved")
    lead_open = any(u.role == Role.LEAD.value for u in item.unresolved)
    if not item.lead_units and not lead_open and "no_lead" not in item.flags:
        item.flags.append("no_lead")

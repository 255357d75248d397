"""Issue an invite: a code that links whoever redeems it to a unit with a role.

The chat's /invite and `nhacviec invite` both call `issue_invite`; the unit is named as the
person typed it (abbreviations and typos allowed) and matched here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from store.actions import Actor, audit_as
from store.db import Session
from store.invites import create_invite
from store.models import UserRole
from store.registry import UnitRegistry

#: How long an invite is valid unless the caller says otherwise.
INVITE_TTL = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class IssuedInvite:
    """An invite just created."""

    code: str
    unit_id: int
    unit_name: str
    role: UserRole
    expires_at: datetime | None
    max_uses: int


@dataclass(frozen=True, slots=True)
class UnitNotFound:
    """No unit matched the name for sure; `candidates` are the closest names, best first."""

    name: str
    candidates: tuple[str, ...]


async def issue_invite(
    session: Session,
    *,
    actor: Actor,
    unit: str,
    role: UserRole,
    now: datetime,
    ttl: timedelta = INVITE_TTL,
    max_uses: int = 1,
) -> IssuedInvite | UnitNotFound:
    """Create an invite for the unit named `unit` and write the `invite` audit row."""
    match = (await UnitRegistry.load(session)).match(unit)
    if match.unit is None or match.unit.id is None:
        return UnitNotFound(unit, tuple(c.name for c, _score in match.candidates))
    invite = await create_invite(
        session,
        unit_id=match.unit.id,
        role=role,
        now=now,
        ttl=ttl,
        max_uses=max_uses,
        created_by=actor.user_id,
    )
    audit_as(
        session,
        actor,
        action="invite",
        target=f"unit:{match.unit.id}",
        detail={"role": role.value},
        now=now,
    )
    return IssuedInvite(
        code=invite.code,
        unit_id=match.unit.id,
        unit_name=match.unit.name,
        role=role,
        expires_at=invite.expires_at,
        max_uses=invite.max_uses,
    )

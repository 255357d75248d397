"""The units: every organisation that can be assigned work, with its parent and aliases."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.base import Base, enum_column
from store.models.enums import UnitKind


class Unit(Base):
    """An organisation that can be assigned work: a ministry, province, commune, office unit..."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    short_name: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id])

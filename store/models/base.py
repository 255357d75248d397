"""The declarative base, the UTC datetime type and how enumerations are stored."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy import DateTime, Enum
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored in UTC; SQLite keeps no zone, so it is attached on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a timezone-aware column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base; every datetime column is timezone-aware (UTC in the database)."""

    type_annotation_map: ClassVar = {datetime: UTCDateTime}


def enum_column(cls: type[enum.Enum]) -> Enum:
    """A column type storing an enumeration's values."""
    # Store the value (short ASCII) as a plain string column with a CHECK, so SQLite and
    # PostgreSQL behave alike and adding a member needs no ALTER TYPE.
    return Enum(
        cls,
        native_enum=False,
        values_callable=lambda e: [m.value for m in e],
        length=24,
        validate_strings=True,
    )

from datetime import UTC, datetime

from sqlalchemy import select

from store.models import AuditLog


async def test_aware_datetimes_round_trip(sessionmaker):
    when = datetime(2025, 7, 15, 9, 0, tzinfo=UTC)
    async with sessionmaker() as s, s.begin():
        s.add(AuditLog(action="test", created_at=when))
    async with sessionmaker() as s:
        row = (await s.execute(select(AuditLog))).scalar_one()
    assert row.created_at == when
    assert row.created_at.tzinfo is not None

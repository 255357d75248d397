"""The scheduler leader's lock: a PostgreSQL session-level advisory lock on its own connection.

The lock lives as long as the connection that took it: if the leader dies or its connection
drops, the server releases it and the next replica to try gets it. These functions run on a
dedicated connection in autocommit mode (`lock_connection`), never in a session's transaction.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

# The connection the lock lives on, for the layers above (they do not import SQLAlchemy).
LockConnection = AsyncConnection


def is_postgresql(engine: AsyncEngine) -> bool:
    """Whether the engine's database is PostgreSQL (the only one with advisory locks)."""
    return engine.dialect.name == "postgresql"


async def lock_connection(engine: AsyncEngine) -> LockConnection:
    """A new connection in autocommit mode, to hold the advisory lock."""
    conn = await engine.connect()
    await conn.execution_options(isolation_level="AUTOCOMMIT")
    return conn


async def try_lock(conn: LockConnection, key: int) -> bool:
    """Take the advisory lock `key` without waiting; True when this connection holds it."""
    got = await conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
    return bool(got)


async def ping(conn: LockConnection) -> None:
    """A round trip on the lock's connection (raises when it is gone)."""
    await conn.execute(text("SELECT 1"))


async def unlock(conn: LockConnection, key: int) -> None:
    """Release the advisory lock `key` this connection holds."""
    await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})

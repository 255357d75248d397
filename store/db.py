"""Engine, session factory and schema migrations (Alembic, run in-process)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, exc, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

if TYPE_CHECKING:  # Alembic is imported only when the schema has to change (start-up time)
    from alembic.config import Config
    from sqlalchemy.dialects import postgresql, sqlite

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

# The names the layers above use for sessions and engines: SQLAlchemy is imported in store/ only
# (tests/test_architecture.py), so bot/, scheduler/ and handlers/ annotate with these.
Session = AsyncSession
SessionMaker = async_sessionmaker[AsyncSession]
Engine = AsyncEngine
# Raised at flush or commit when a write breaks a unique or foreign-key constraint.
IntegrityError = exc.IntegrityError


def normalise_url(url: str) -> str:
    """Map plain database URLs to their async drivers (`postgresql://` → asyncpg)."""
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    return url


def make_engine(url: str, **kwargs: object) -> AsyncEngine:
    """Create an async engine; SQLite gets foreign keys, WAL and a busy timeout."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


def dialect_name(session: AsyncSession) -> str:
    """Name of the database behind the session: `sqlite` or `postgresql`."""
    return session.get_bind().dialect.name


def dialect_insert(session: AsyncSession) -> Callable[[Any], postgresql.Insert | sqlite.Insert]:
    """The `insert` of the session's database, the one with `on_conflict_do_nothing`.

    Raises:
        NotImplementedError: A database other than the two supported ones.
    """
    from sqlalchemy.dialects import postgresql, sqlite

    name = dialect_name(session)
    if name == "postgresql":
        return postgresql.insert
    if name == "sqlite":
        return sqlite.insert
    raise NotImplementedError(f"only PostgreSQL and SQLite are supported, not {name}")


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Session factory; objects stay usable after commit (no lazy IO after the transaction)."""
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    """Alembic configuration pointing at the packaged migration scripts."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


@cache
def head_revision() -> str | None:
    """The newest migration's id, read from the scripts; None if it is not one plain chain.

    A quick look that lets a start-up skip Alembic (about half a second of imports) when the
    database is already current; anything unusual leaves the decision to Alembic.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("[!_]*.py"):
        found = dict((k, v) for k, v in _REVISION.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found:
            return None
        revisions.add(found["revision"])
        if "down_revision" in found:
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _current(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def _upgrade(connection: Connection) -> None:
    head = head_revision()
    if head is not None and _current(connection) == head:
        return  # already current: Alembic is not even imported
    from alembic import command

    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "head")


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the schema to the newest revision (idempotent; runs at every start)."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade)
    logger.info("database schema is up to date")

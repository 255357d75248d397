"""Shared fixtures: a migrated database on SQLite always, and on PostgreSQL when reachable.

Set NHACVIEC_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test) to choose the
server; NHACVIEC_REQUIRE_POSTGRES=1 (set by .ci/run) turns "unreachable" into a failure.
Each test gets a fresh database copied from a template migrated once per session.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from store.db import make_engine, make_sessionmaker, upgrade

PG_URL = os.environ.get("NHACVIEC_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("NHACVIEC_REQUIRE_POSTGRES") == "1"


def _pg_reachable() -> bool:
    parts = urlsplit(PG_URL)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), 1):
            return True
    except OSError:
        return False


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


class _Templates:
    """Per-session migrated templates, made on first use."""

    sqlite: Path | None = None
    pg_name: str | None = None


@pytest.fixture(scope="session")
def _template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("db-template")


async def _make_sqlite_template(directory: Path) -> Path:
    path = directory / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    await upgrade(engine)
    async with engine.begin() as conn:
        await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    await engine.dispose()
    return path


async def _pg_admin(sql: str) -> None:
    engine = make_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=None)
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


async def _make_pg_template() -> str:
    name = f"nhacviec_tpl_{os.getpid()}"
    await _pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
    await _pg_admin(f'CREATE DATABASE "{name}"')
    engine = make_engine(_with_db(PG_URL, name))
    await upgrade(engine)
    await engine.dispose()
    return name


def _backends() -> list[object]:
    return ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=_backends())
async def db_url(request: pytest.FixtureRequest, tmp_path: Path, _template_dir: Path):
    """URL of a fresh, migrated database (one per test, per backend)."""
    if request.param == "sqlite":
        if _Templates.sqlite is None:
            _Templates.sqlite = await _make_sqlite_template(_template_dir)
        path = tmp_path / "nhacviec.sqlite3"
        shutil.copyfile(_Templates.sqlite, path)
        yield f"sqlite:///{path}"
        return
    if not _pg_reachable():
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required but unreachable at {PG_URL}")
        pytest.skip("PostgreSQL not reachable")
    if _Templates.pg_name is None:
        _Templates.pg_name = await _make_pg_template()
    name = f"nhacviec_t_{uuid.uuid4().hex[:12]}"
    await _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{_Templates.pg_name}"')
    yield _with_db(PG_URL, name)
    await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the per-test database."""
    eng = make_engine(db_url)
    yield eng
    await eng.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Session factory on the per-test database."""
    return make_sessionmaker(engine)


@pytest.fixture
async def session(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One session inside a transaction that commits when the test ends."""
    async with sessionmaker() as s, s.begin():
        yield s


@pytest.fixture(scope="session", autouse=True)
def _no_network() -> None:
    """Fail loudly on any connection that is not to this machine."""
    real = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")
        ):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real(self, address)

    socket.socket.connect = guarded  # type: ignore[method-assign]

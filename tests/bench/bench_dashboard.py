"""Benchmark: the dashboard's overview and unit pages on a whole government's database.

Run: .venv/bin/python -m tests.bench.bench_dashboard [--backends sqlite,postgresql]
     [--repeat 20] [--json]

Seeds `tests.bench.scale_seed` (10,000 units, 100,000 assignments, 50,000 reports, an
oversight group linked to every unit) in a temporary SQLite file and in a fresh PostgreSQL
database (NHACVIEC_TEST_POSTGRES_URL), then requests, through the real aiohttp app over
localhost with a signed-in session:

- the overview as an admin (every unit), as a member of the oversight group (10,000 unit ids),
  and its 20th page sorted by name;
- one unit's page as its officer.

Printed per page: server time (median and p95, milliseconds, request to last byte) and size.
Targets (issue 14): overview under 300 ms, unit page under 100 ms. Figures are for comparison
on the same (shared, noisy) machine; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from datetime import time as dtime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select, text

from bot.web.app import mount_web_app
from bot.web.config import WebConfig
from bot.web.shared import sign_cookie
from handlers.tasks.daily import ReportRules
from store.db import make_engine, make_sessionmaker, upgrade
from store.models import Chat, Identity, Unit, User, UserRole
from store.web_sessions import Grant, create_session
from tests.bench.scale_seed import TZ, Shape, seed_world

TODAY = date(2025, 7, 15)
NOW = datetime.combine(TODAY, dtime(17, 0), TZ).astimezone(UTC)
PG_URL = os.environ.get("NHACVIEC_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
KEY = b"b" * 32


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
    }


async def _sessions(sessionmaker) -> tuple[dict[str, str], int]:
    """Cookies for an admin, an oversight member and one unit's officer; that unit's id."""
    async with sessionmaker() as s, s.begin():
        unit_id = await s.scalar(select(Unit.id).where(Unit.code == "s-17"))
        officer = await s.scalar(select(User).where(User.unit_id == unit_id).limit(1))
        admin = User(name="Bench admin", role=UserRole.ADMIN, unit_id=unit_id)
        watcher = User(name="Bench watcher", role=UserRole.OFFICER)
        s.add_all([admin, watcher])
        await s.flush()
        chat_pk = await s.scalar(select(Chat.id).where(Chat.oversight.is_(True)).limit(1))
        ident = await s.scalar(select(Identity.id).where(Identity.user_id == officer.id))
        grants = {
            "admin": Grant(admin.id, None, None),
            "oversight": Grant(watcher.id, None, chat_pk),
            "officer": Grant(officer.id, ident, None),
        }
        cookies = {}
        for name, grant in grants.items():
            secret = await create_session(s, grant, via="link", now=NOW)
            cookies[name] = sign_cookie(KEY, secret)
    return cookies, unit_id


async def _time(client: TestClient, path: str, cookie: str, repeat: int) -> dict[str, Any]:
    samples = []
    size = 0
    for i in range(repeat + 2):
        start = time.perf_counter()
        resp = await client.get(path, cookies={"nv_session": cookie})
        body = await resp.read()
        elapsed = time.perf_counter() - start
        assert resp.status == 200, (path, resp.status, body[:500])
        size = len(body)
        if i >= 2:  # the first two warm the caches
            samples.append(elapsed)
    return _ms(samples) | {"bytes": size}


async def bench_database(url: str, repeat: int) -> dict[str, Any]:
    """Seed the database at `url` and time the pages."""
    engine = make_engine(url)
    await upgrade(engine)
    sessionmaker = make_sessionmaker(engine)
    started = time.perf_counter()
    world = await seed_world(sessionmaker, TODAY, Shape())
    seeded = time.perf_counter() - started
    if url.startswith("postgres"):
        # As autovacuum leaves a live database: statistics and the visibility map (without
        # the latter, no index-only scan).
        vacuum = make_engine(url, isolation_level="AUTOCOMMIT", poolclass=None)
        async with vacuum.connect() as conn:
            await conn.execute(text("VACUUM ANALYZE"))
        await vacuum.dispose()
    cookies, unit_id = await _sessions(sessionmaker)
    config = WebConfig(
        public_url="http://127.0.0.1",
        cookie_key=KEY,
        tz=TZ,
        rules=ReportRules(),
        clock=lambda: NOW,
    )
    parent = web.Application()
    mount_web_app(parent, config, sessionmaker)
    out: dict[str, Any] = {
        "units": world.units,
        "assignments": world.assignments,
        "seed_s": round(seeded, 1),
    }
    async with TestClient(TestServer(parent, host="127.0.0.1")) as client:
        out["overview_admin"] = await _time(client, "/app/", cookies["admin"], repeat)
        out["overview_oversight"] = await _time(client, "/app/", cookies["oversight"], repeat)
        out["overview_admin_page20_by_name"] = await _time(
            client, "/app/?sort=name&page=20", cookies["admin"], repeat
        )
        out["unit_officer"] = await _time(
            client, f"/app/unit/{unit_id}", cookies["officer"], repeat
        )
    await engine.dispose()
    return out


async def _pg_admin(sql: str) -> None:
    engine = make_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=None)
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    for backend in filter(None, args.backends.split(",")):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite:///{tmp}/dashboard.sqlite3"
                results["sqlite"] = await bench_database(url, args.repeat)
        else:
            name = f"nhacviec_dash_{os.getpid()}"
            url = urlunsplit(urlsplit(PG_URL)._replace(path="/" + name))
            await _pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
            await _pg_admin(f'CREATE DATABASE "{name}"')
            try:
                results["postgresql"] = await bench_database(url, args.repeat)
            finally:
                await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for page, figures in results[backend].items():
            print(f"{backend:<11} {page:<32} {figures}")
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    asyncio.run(main())

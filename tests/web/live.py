"""The dashboard served for real, as `nhacviec web` serves it: settings from the environment's
names, a SQLite file, evidence through a (fake) Telegram Bot API on an ephemeral port."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from sqlalchemy import select

from bot.app import open_app, report_rules_from
from bot.config import Settings, load_settings
from bot.web.app import mount_web_app
from bot.web.config import web_config_from
from bot.web_cli import _telegram_fetchers
from store.models import Report
from tests.fakes.telegram_server import FakeTelegramServer
from tests.web.world import EVIDENCE, TOKEN, World, build_world


@dataclass
class Live:
    """A running dashboard: its address, settings and world."""

    url: str
    settings: Settings
    world: World
    telegram: FakeTelegramServer


@asynccontextmanager
async def live_dashboard(tmp: Path) -> AsyncIterator[Live]:
    """Serve the dashboard on an ephemeral localhost port until the block ends."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    async with FakeTelegramServer(token=TOKEN) as tg:
        settings = load_settings(
            DATABASE_URL=f"sqlite:///{tmp / 'live.sqlite3'}",
            NHACVIEC_PUBLIC_URL=f"http://127.0.0.1:{port}",
            NHACVIEC_WEB_SECRET="s" * 40,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=tg.base_url,
        )
        fetchers, close = _telegram_fetchers(settings)
        config = web_config_from(settings, report_rules_from(settings), fetchers)
        async with open_app(settings) as app:
            world = await build_world(app.sessionmaker)
            stored = tg.add_file(EVIDENCE, name="bien-ban A1.pdf")
            async with app.sessionmaker() as s, s.begin():
                report = await s.scalar(select(Report).where(Report.id == world.report_a1))
                ref = json.loads(report.attachment) | {"ref": stored.file_id}
                report.attachment = json.dumps(ref)
            parent = web.Application()
            mount_web_app(parent, config, app.sessionmaker)
            runner = web.AppRunner(parent)
            await runner.setup()
            await web.SockSite(runner, sock).start()
            try:
                yield Live(config.public_url, settings, world, tg)
            finally:
                await runner.cleanup()
                if close is not None:
                    await close()

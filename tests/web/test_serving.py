"""How the dashboard is served: `nhacviec web` alone, the settings it needs, the Mini App
menu button published when TELEGRAM_WEBAPP_URL is set."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.config import ConfigError, load_settings
from bot.web.mount import publish_menu_button, web_config_for_run
from tests.fakes.telegram_server import FakeTelegramServer
from tests.web.world import TOKEN

ROOT = Path(__file__).resolve().parents[2]


def test_the_web_app_is_off_without_a_public_url():
    assert web_config_for_run(load_settings(NHACVIEC_PUBLIC_URL=None), None) is None


@pytest.mark.parametrize(
    "overrides, names",
    [
        ({"NHACVIEC_WEB_SECRET": None}, "NHACVIEC_WEB_SECRET"),
        ({"NHACVIEC_WEB_SECRET": "short"}, "NHACVIEC_WEB_SECRET"),
        ({"NHACVIEC_PUBLIC_URL": "ftp://x"}, "NHACVIEC_PUBLIC_URL"),
    ],
)
def test_a_bad_web_setting_stops_start_up_naming_it(overrides, names):
    settings = load_settings(
        **({"NHACVIEC_PUBLIC_URL": "https://nv.example", "NHACVIEC_WEB_SECRET": "x" * 40}
           | overrides)
    )  # fmt: skip
    with pytest.raises(ConfigError, match=names):
        web_config_for_run(settings, None)


async def test_the_menu_button_opens_the_mini_app():
    from bot.channels.telegram.channel import TelegramChannel

    async with FakeTelegramServer(token=TOKEN) as tg:
        seen: list[dict] = []

        async def set_menu(params, uploads):
            seen.append(params)
            return True

        # The fake Bot API has no setChatMenuButton yet: teach this instance.
        tg._methods["setchatmenubutton"] = ("setChatMenuButton", set_menu)
        channel = TelegramChannel(TOKEN, base_url=tg.base_url)
        settings = load_settings(TELEGRAM_WEBAPP_URL="https://nv.example/app/tg")
        try:
            await publish_menu_button(settings, channel)
        finally:
            await channel._shutdown()
    assert len(seen) == 1
    button = seen[0]["menu_button"]
    button = button if isinstance(button, dict) else __import__("json").loads(button)
    assert button["type"] == "web_app"
    assert button["web_app"]["url"] == "https://nv.example/app/tg"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_nhacviec_web_serves_the_dashboard_alone(tmp_path):
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(port),
        "NHACVIEC_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "NHACVIEC_WEB_SECRET": "w" * 40,
        "TELEGRAM_BOT_TOKEN": "",
    }
    env.pop("TELEGRAM_BOT_TOKEN")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from bot.cli import main; raise SystemExit(main(['web']))",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        line = await asyncio.wait_for(proc.stdout.readline(), 120)
        assert f"127.0.0.1:{port}/app/" in line.decode()
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                assert resp.status == 200
            async with http.get(f"http://127.0.0.1:{port}/app", allow_redirects=False) as resp:
                assert resp.status == 303 and resp.headers["Location"] == "/app/"
            async with http.get(f"http://127.0.0.1:{port}/app/") as resp:
                assert resp.status == 401
                assert "Content-Security-Policy" in resp.headers
    finally:
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 30) == 0

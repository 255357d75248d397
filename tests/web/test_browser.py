"""The dashboard in a real browser (Debian's headless Chromium, driven by Playwright), at a
phone viewport and a desktop one: sign in, see one's unit and not another's, follow
unit → task → evidence, download the export; forged and stale Mini App sign-ins get nothing.

Screenshots of the main pages are written under pytest's tmp dir (and, when
NHACVIEC_SCREENSHOT_DIR is set, there too, for CI artifacts). Skipped only when no Chromium is
installed (`apt-get install chromium`); Playwright never downloads a browser here.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from openpyxl import load_workbook

from bot.web.initdata import sign
from bot.web_cli import web_link
from tests.web.live import Live, live_dashboard
from tests.web.world import EVIDENCE, SECRET_B, TOKEN, UNIT_B

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
# Everything but this machine goes to a closed port: no test may reach the internet.
ARGS = [
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1;localhost",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        await b.close()


@pytest.fixture
async def live(tmp_path) -> Live:
    async with live_dashboard(tmp_path) as running:
        yield running


async def _shot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    keep = os.environ.get("NHACVIEC_SCREENSHOT_DIR")
    if keep:
        os.makedirs(keep, exist_ok=True)
        shutil.copy(path, os.path.join(keep, path.name))


async def _link(live: Live, who: str, capsys) -> str:
    """A one-time link printed by `nhacviec web-link` for one of the world's people."""
    capsys.readouterr()
    assert await web_link(live.settings, argparse.Namespace(user=f"telegram:{who}")) == 0
    return capsys.readouterr().out.strip()


def _read(path: object) -> bytes:
    with open(str(path), "rb") as fh:
        return fh.read()


async def _fits(page, width: int) -> None:
    overflow = await page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"page is {overflow}px wide at {width}px"


@pytest.mark.parametrize("size", sorted(VIEWPORTS))
async def test_link_sign_in_then_unit_task_evidence_and_export(
    browser, live, tmp_path, capsys, size
):
    ctx = await browser.new_context(viewport=VIEWPORTS[size], accept_downloads=True)
    page = await ctx.new_page()
    link = await _link(live, "officer_a1", capsys)
    assert link.startswith(live.url + "/app/login/")
    await page.goto(link)
    await page.get_by_role("button", name="Mở bảng điều hành").click()
    await page.wait_for_url(live.url + "/app/")
    body = await page.locator("main").inner_text()
    assert "Cục A Một" in body
    assert UNIT_B not in body and SECRET_B not in body
    await _fits(page, VIEWPORTS[size]["width"])
    await _shot(page, tmp_path, f"overview-{size}")

    await page.get_by_role("link", name="Cục A Một").first.click()
    await page.wait_for_url(f"**/app/unit/{live.world.unit_a1}")
    assert "Số hoá hồ sơ Cục A Một" in await page.locator("main").inner_text()
    await _fits(page, VIEWPORTS[size]["width"])
    await _shot(page, tmp_path, f"unit-{size}")

    async with page.expect_download() as xlsx:
        await page.get_by_role("link", name="Tải Excel (.xlsx)").click()
    saved = await (await xlsx.value).path()
    wb = load_workbook(io.BytesIO(_read(saved)))
    assert wb["Nhiệm vụ"]["A2"].value == "Cục A Một"

    await page.get_by_role("link", name="Số hoá hồ sơ Cục A Một").click()
    await page.wait_for_url(f"**/app/task/{live.world.task_a1}")
    await _fits(page, VIEWPORTS[size]["width"])
    await _shot(page, tmp_path, f"task-{size}")
    async with page.expect_download() as evidence:
        await page.get_by_role("link", name="bien-ban A1.pdf").click()
    file = await evidence.value
    assert file.suggested_filename == "bien-ban A1.pdf"
    assert _read(await file.path()) == EVIDENCE

    # Another unit's pages answer "not found", with nothing of it.
    resp = await page.goto(f"{live.url}/app/unit/{live.world.unit_b}")
    assert resp.status == 404
    assert UNIT_B not in await page.content()
    await ctx.close()


def _init_data(user_id: int, at: datetime, token: str = TOKEN) -> str:
    fields = {
        "query_id": "AAH-browser",
        "user": json.dumps({"id": user_id, "first_name": "Bê"}),
        "auth_date": str(int(at.timestamp())),
    }
    fields["hash"] = sign(fields, token)
    return urlencode(fields)


async def _telegram_id(live: Live, who: str, number: int) -> None:
    from sqlalchemy import select

    from bot.app import open_app
    from store.models import Identity

    async with open_app(live.settings) as app, app.sessionmaker() as s, s.begin():
        ident = await s.scalar(select(Identity).where(Identity.external_id == who))
        ident.external_id = str(number)


@pytest.mark.parametrize("size", sorted(VIEWPORTS))
@pytest.mark.parametrize("kind", ["forged", "stale", "replayed"])
async def test_bad_mini_app_sign_in_gets_nothing(browser, live, tmp_path, size, kind):
    await _telegram_id(live, "officer_b", 4242)
    now = datetime.now(UTC)
    raw = {
        "forged": _init_data(4242, now, token="999:someone-else"),
        "stale": _init_data(4242, now - timedelta(hours=2)),
        "replayed": _init_data(4242, now),
    }[kind]
    ctx = await browser.new_context(viewport=VIEWPORTS[size])
    page = await ctx.new_page()
    if kind == "replayed":  # used once (in another browser), then presented again
        first = await browser.new_context()
        p1 = await first.new_page()
        await p1.goto(f"{live.url}/app/tg#tgWebAppData={quote(raw)}")
        await p1.wait_for_url(live.url + "/app/")
        await first.close()
    await page.goto(f"{live.url}/app/tg#tgWebAppData={quote(raw)}")
    status = page.locator("#status.error")
    await status.wait_for()
    assert "từ chối" in await status.inner_text()
    await _shot(page, tmp_path, f"refused-{kind}-{size}")
    resp = await page.goto(f"{live.url}/app/")
    assert resp.status == 401
    text = await page.content()
    assert SECRET_B not in text and UNIT_B not in text
    await ctx.close()


async def test_mini_app_sign_in_opens_the_overview(browser, live, tmp_path):
    await _telegram_id(live, "officer_b", 4343)
    ctx = await browser.new_context(viewport=VIEWPORTS["phone"])
    page = await ctx.new_page()
    raw = _init_data(4343, datetime.now(UTC))
    await page.goto(f"{live.url}/app/tg#tgWebAppData={quote(raw)}")
    await page.wait_for_url(live.url + "/app/")
    body = await page.locator("main").inner_text()
    assert UNIT_B in body and "Cục A Một" not in body
    await _shot(page, tmp_path, "overview-mini-app-phone")
    await ctx.close()

"""Sign-in links, headers, languages, filters and downloads of the dashboard."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from store.models import AuditLog, Identity
from store.web_sessions import create_link_token
from tests.factories import NOW
from tests.web.conftest import link_for


async def test_a_link_works_once_and_a_preview_does_not_use_it(anon, sessionmaker, world):
    token = await link_for(sessionmaker, "officer_a1")
    for _ in range(2):  # a link preview fetching the page twice
        page = await anon.get(f"/app/login/{token}")
        assert page.status == 200
        assert 'name="token"' in await page.text()
    first = await anon.post("/app/login", data={"token": token}, allow_redirects=False)
    assert first.status == 303 and first.headers["Location"] == "/app/"
    assert (await anon.get("/app/")).status == 200
    anon.session.cookie_jar.clear()
    again = await anon.post("/app/login", data={"token": token}, allow_redirects=False)
    assert again.status == 410
    assert "nv_session" not in again.cookies
    assert (await anon.get(f"/app/login/{token}")).status == 410
    async with sessionmaker() as s:
        actions = list(await s.scalars(select(AuditLog.action)))
    assert actions.count("web_sign_in") == 1


async def test_an_expired_link_is_refused(anon, sessionmaker, world):
    async with sessionmaker() as s, s.begin():
        ident = await s.scalar(select(Identity).where(Identity.external_id == "officer_a1"))
        token = await create_link_token(
            s,
            user_id=ident.user_id,
            identity_id=ident.id,
            chat_pk=None,
            now=NOW - timedelta(minutes=10, seconds=1),
        )
    resp = await anon.post("/app/login", data={"token": token}, allow_redirects=False)
    assert resp.status == 410
    assert (await anon.get("/app/")).status == 401


async def test_private_pages_carry_the_security_headers(signed_in, world):
    client = await signed_in("officer_a1")
    resp = await client.get("/app/")
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://web.telegram.org" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    cookie = (await client.get("/app/signed-out")).headers.get("Set-Cookie")
    assert cookie is None  # the session cookie is set once, at sign-in


async def test_the_session_cookie_is_http_only_and_same_site(anon, sessionmaker, world):
    token = await link_for(sessionmaker, "officer_a1")
    resp = await anon.post("/app/login", data={"token": token}, allow_redirects=False)
    header = resp.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Path=/app" in header


async def test_a_tampered_cookie_is_not_a_session(anon, sessionmaker, world):
    token = await link_for(sessionmaker, "officer_a1")
    await anon.post("/app/login", data={"token": token}, allow_redirects=False)
    value = next(c.value for c in anon.session.cookie_jar if c.key == "nv_session")
    secret, _, sig = value.rpartition(".")
    anon.session.cookie_jar.clear()
    # Change the first character of the signed part (a last base64 character may carry only
    # padding bits, so changing it could leave the decoded value as it was).
    changed = "A" if secret[0] != "A" else "B"
    anon.session.cookie_jar.update_cookies({"nv_session": changed + secret[1:] + "." + sig})
    assert (await anon.get("/app/")).status == 401


async def test_vietnamese_by_default_english_on_request(signed_in, world):
    client = await signed_in("officer_a1")
    vi = await (await client.get("/app/")).text()
    assert '<html lang="vi">' in vi and "Tổng quan" in vi
    en = await (await client.get("/app/?lang=en")).text()
    assert '<html lang="en">' in en and "Overview" in en
    # Remembered for this browser only (a cookie), not for the process.
    assert '<html lang="en">' in await (await client.get(f"/app/unit/{world.unit_a1}")).text()
    other = await signed_in("head_a")
    assert '<html lang="vi">' in await (await other.get("/app/")).text()


async def test_the_first_page_is_small(signed_in, world):
    client = await signed_in("admin")
    page = await client.get("/app/")
    html = await page.read()
    css = await client.get("/app/static/app.css")
    assert "max-age" in css.headers["Cache-Control"]
    assert len(html) + len(await css.read()) < 100_000


async def test_sorting_and_filtering(signed_in, world):
    client = await signed_in("admin")
    text = await (await client.get("/app/?sort=name&dir=asc")).text()
    names = ["Bộ An Thử", "Bộ Bê Thử", "Cục A Một"]
    positions = [text.index(n) for n in names]
    assert positions == sorted(positions)
    overdue_first = await (await client.get("/app/?sort=overdue")).text()
    assert overdue_first.index("Bộ Bê Thử") < overdue_first.index("Cục A Một")
    # Due last month (February 2025): only B's task.
    feb = await (await client.get("/app/?period=last_month")).text()
    assert "Bộ Bê Thử" in feb and "Cục A Một" not in feb
    unreported = await (await client.get("/app/?unreported=1")).text()
    assert "Cục A Một" not in unreported  # it reported today
    assert "Bộ Bê Thử" in unreported


async def test_unknown_or_malformed_ids_are_not_found(signed_in, world):
    client = await signed_in("admin")
    for path in ("/app/unit/999999", "/app/task/abc", "/app/directive/0", "/app/evidence/9999"):
        assert (await client.get(path)).status == 404, path


async def test_the_export_is_the_units_workbook_in_the_page_language(signed_in, world):
    client = await signed_in("officer_a1")
    resp = await client.get(f"/app/export/unit/{world.unit_a1}.xlsx?lang=en")
    assert resp.status == 200
    wb = load_workbook(io.BytesIO(await resp.read()))
    assert wb.sheetnames == ["Tasks", "Reports"]
    rows = list(wb["Tasks"].iter_rows(values_only=True))
    assert rows[1][0] == "Cục A Một" and len(rows) == 2


async def test_evidence_that_changed_since_the_report_is_refused(
    server, sessionmaker, world, signed_in
):
    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from bot.web.app import mount_web_app
    from tests.web.conftest import sign_in, web_config

    async def tampered(ref: str) -> bytes:
        return b"something else"

    parent = web.Application()
    mount_web_app(parent, web_config(fetchers={"telegram": tampered}), sessionmaker)
    async with TestClient(TestServer(parent, host="127.0.0.1")) as client:
        await sign_in(client, sessionmaker, "officer_a1")
        resp = await client.get(f"/app/evidence/{world.report_a1}")
        assert resp.status == 502
        assert b"something else" not in await resp.read()


async def test_sign_out_ends_the_session(signed_in, world):
    client = await signed_in("officer_a1")
    resp = await client.post("/app/logout", allow_redirects=False)
    assert resp.status == 303
    assert (await client.get("/app/")).status == 401


async def test_long_lists_are_paged(sessionmaker, world):
    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from bot.web.app import mount_web_app
    from tests.web.conftest import sign_in, web_config

    parent = web.Application()
    mount_web_app(parent, web_config(page_size=1), sessionmaker)
    async with TestClient(TestServer(parent, host="127.0.0.1")) as client:
        await sign_in(client, sessionmaker, "admin")
        first = await (await client.get("/app/?sort=name&dir=asc")).text()
        assert "Bộ An Thử" in first and "Cục A Một" not in first
        assert 'rel="next"' in first
        third = await (await client.get("/app/?sort=name&dir=asc&page=3")).text()
        assert "Cục A Một" in third and 'rel="prev"' in third and 'rel="next"' not in third
        directive = await (await client.get(f"/app/directive/{world.directive}?page=2")).text()
        assert 'rel="prev"' in directive


async def test_what_officials_typed_is_escaped(signed_in, sessionmaker, world):
    from store.models import Report

    async with sessionmaker() as s, s.begin():
        report = await s.get(Report, world.report_a1)
        report.text = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client = await signed_in("officer_a1")
    for path in (f"/app/task/{world.task_a1}", f"/app/unit/{world.unit_a1}"):
        text = await (await client.get(path)).text()
        assert "<script>alert" not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert" in text

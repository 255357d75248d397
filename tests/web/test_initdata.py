"""Mini App sign-in: `initData` verified as Telegram documents it; forged, stale, replayed or
unknown gets nothing."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta
from urllib.parse import urlencode

import pytest

from bot.web.initdata import InitDataError, sign, verify_init_data
from tests.factories import NOW
from tests.web.world import SECRET_B, TOKEN


def init_data(user_id: str = "officer_a1", *, at=NOW, token: str = TOKEN, **extra) -> str:
    """What a Telegram client would pass the Mini App, signed with `token`."""
    fields = {
        "query_id": "AAH-test",
        "user": json.dumps({"id": user_id, "first_name": "An", "language_code": "vi"}),
        "auth_date": str(int(at.timestamp())),
        **extra,
    }
    fields["hash"] = sign(fields, token)
    return urlencode(fields)


def test_the_documented_algorithm_is_what_is_checked():
    # Independent of bot.web.initdata.sign: the steps as Telegram's page states them.
    raw = init_data("42")
    fields = dict(p.split("=", 1) for p in raw.split("&"))
    from urllib.parse import unquote_plus

    fields = {k: unquote_plus(v) for k, v in fields.items()}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")
    key = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    assert hmac.new(key, check.encode(), hashlib.sha256).hexdigest() == fields["hash"]
    user = verify_init_data(raw, TOKEN, now=NOW)
    assert user.user_id == 42
    assert user.auth_date.timestamp() == int(NOW.timestamp())


@pytest.mark.parametrize(
    "raw, why",
    [
        (init_data("42", token="999:other-bot"), "hash does not match"),
        (init_data("42").replace("first_name%22%3A+%22An", "first_name%22%3A+%22Bo"), "hash"),
        (init_data("42") + "&hash=" + "0" * 64, "repeated"),
        (init_data("42", at=NOW - timedelta(minutes=6)), "stale"),
        (init_data("42", at=NOW + timedelta(minutes=5)), "future"),
        ("auth_date=1&hash=abc", "no hash"),
        ("", "empty"),
    ],
)
def test_forged_or_stale_init_data_is_refused(raw, why):
    with pytest.raises(InitDataError, match=why):
        verify_init_data(raw, TOKEN, now=NOW)


def test_changing_the_user_breaks_the_signature():
    raw = init_data("42")
    forged = raw.replace("%22id%22%3A+%2242%22", "%22id%22%3A+%2243%22")
    assert forged != raw
    with pytest.raises(InitDataError, match="hash"):
        verify_init_data(forged, TOKEN, now=NOW)


async def _post(client, raw: str):
    resp = await client.post("/app/auth/telegram", data={"init_data": raw})
    return resp.status, await resp.json(), resp


async def test_valid_init_data_signs_in_once(anon, world, sessionmaker):
    from sqlalchemy import select

    from store.models import Identity

    async with sessionmaker() as s:
        ext = await s.scalar(select(Identity.external_id).where(Identity.external_id == "head_a"))
    assert ext == "head_a"
    # Identities of the world are named; Telegram ids are numbers: give head_a one.
    async with sessionmaker() as s, s.begin():
        ident = await s.scalar(select(Identity).where(Identity.external_id == "head_a"))
        ident.external_id = "5550001"
    raw = init_data("5550001")
    status, body, resp = await _post(anon, raw)
    assert status == 200 and body == {"ok": True, "next": "/app/"}
    cookie = resp.cookies["nv_session"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    page = await anon.get("/app/")
    assert page.status == 200
    assert "Cục A Một" in await page.text()
    # The same initData again, from a browser without the session: a replay.
    anon.session.cookie_jar.clear()
    status, body, _resp = await _post(anon, raw)
    assert status == 403 and body["ok"] is False
    page = await anon.get("/app/")
    assert page.status == 401
    assert "Cục A Một" not in await page.text()


@pytest.mark.parametrize("kind", ["forged", "stale", "unknown user"])
async def test_refused_init_data_gets_no_session_and_no_data(anon, world, kind):
    raw = {
        "forged": init_data("officer_b", token="1:not-our-bot"),
        "stale": init_data("officer_b", at=NOW - timedelta(hours=1)),
        "unknown user": init_data("77777"),
    }[kind]
    status, body, resp = await _post(anon, raw)
    assert status == 403 and body["ok"] is False
    assert "nv_session" not in resp.cookies
    page = await anon.get("/app/")
    assert page.status == 401
    text = await page.text()
    assert SECRET_B not in text and "Bộ Bê" not in text

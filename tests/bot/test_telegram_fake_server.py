"""The fake Bot API itself enforces the Telegram limits the channel tests rely on."""

from __future__ import annotations

import asyncio

import aiohttp

from tests.bot.telegram_channel_support import USER
from tests.fakes.telegram_api import Fault
from tests.fakes.telegram_server import FakeTelegramServer

# -- the fake itself enforces what matters -----------------------------------------------------


async def _raw(tg: FakeTelegramServer, method: str, token: str | None = None, **params: object):
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{tg.base_url}{token or tg.token}/{method}", json=params) as resp,
    ):
        return resp.status, await resp.json()


async def test_fake_enforces_telegram_limits(fake_telegram: FakeTelegramServer) -> None:
    chat = {"chat_id": USER, "parse_mode": "HTML"}
    status, body = await _raw(fake_telegram, "sendMessage", text="x" * 4097, **chat)
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    # The limit counts parsed text: 4,096 escaped ampersands are 4,096 characters.
    assert (await _raw(fake_telegram, "sendMessage", text="&amp;" * 4096, **chat))[0] == 200
    status, body = await _raw(fake_telegram, "sendMessage", text="<b>mở", **chat)
    assert status == 400 and "can't parse entities" in body["description"]
    status, body = await _raw(fake_telegram, "sendMessage", text="1 < 2", **chat)
    assert status == 400 and "can't parse entities" in body["description"]
    markup = {"inline_keyboard": [[{"text": "a", "callback_data": "y" * 65}]]}
    status, body = await _raw(fake_telegram, "sendMessage", text="a", reply_markup=markup, **chat)
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")
    status, body = await _raw(fake_telegram, "getMe", token="1:forged")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    fake_telegram.fail("sendMessage", Fault.flood(5))
    status, body = await _raw(fake_telegram, "sendMessage", text="a", chat_id=USER)
    assert status == 429 and body["parameters"] == {"retry_after": 5}


async def test_fake_rate_limits_when_asked() -> None:
    async with FakeTelegramServer(rate_limits=True) as tg:
        assert (await _raw(tg, "sendMessage", chat_id=USER, text="1"))[0] == 200
        status, body = await _raw(tg, "sendMessage", chat_id=USER, text="2")
        assert status == 429 and body["parameters"]["retry_after"] >= 1
        assert (await _raw(tg, "sendMessage", chat_id=USER + 1, text="3"))[0] == 200


async def test_fake_long_poll_waits_for_an_update(fake_telegram: FakeTelegramServer) -> None:
    poll = asyncio.create_task(_raw(fake_telegram, "getUpdates", timeout=5))
    await fake_telegram.wait_for("getUpdates")
    update = fake_telegram.push_text("đến ngay")
    status, body = await poll
    assert status == 200 and body["result"] == [update]
    status, body = await _raw(
        fake_telegram, "getUpdates", offset=update["update_id"] + 1, timeout=0
    )
    assert body["result"] == [] and fake_telegram.pending_updates == []

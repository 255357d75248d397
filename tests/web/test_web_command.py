"""/web in the chat and `nhacviec web-link`: one-time links that sign the right person in."""

from __future__ import annotations

import re

from handlers.context import Options
from handlers.dispatcher import Dispatcher
from handlers.markup import to_plain
from tests.factories import NOW
from tests.fakes.fake_channel import FakeChannel
from tests.web.world import SECRET_B

LINK = re.compile(r"http://127\.0\.0\.1/app/login/([A-Za-z0-9_\-]+)")


def _channel(sessionmaker, web_url: str | None = "http://127.0.0.1") -> FakeChannel:
    options = Options(web_url=web_url)
    return FakeChannel(Dispatcher(sessionmaker, options, clock=lambda: NOW), name="telegram")


async def _use(anon, token: str) -> int:
    resp = await anon.post("/app/login", data={"token": token}, allow_redirects=False)
    return resp.status


async def test_web_in_a_private_chat_answers_with_a_working_link(sessionmaker, world, anon):
    chan = _channel(sessionmaker)
    replies = await chan.push("/web", user="officer_a1")
    text = to_plain(replies[-1].text)
    token = LINK.search(text).group(1)
    assert "10" in text
    assert await _use(anon, token) == 303
    page = await (await anon.get("/app/")).text()
    assert "Cục A Một" in page and SECRET_B not in page


async def test_web_in_an_oversight_group_sends_the_link_privately(sessionmaker, world, anon):
    chan = _channel(sessionmaker)
    await chan.push("/web", user="watcher", chat="-100777")
    in_group = [o for a, o in chan.sent if a.chat_id == "-100777"]
    assert in_group and not any(LINK.search(to_plain(o.text)) for o in in_group)
    private = [(a, o) for a, o in chan.sent if a.chat_id == "watcher"]
    assert len(private) == 1
    token = LINK.search(to_plain(private[0][1].text)).group(1)
    assert await _use(anon, token) == 303
    page = await (await anon.get(f"/app/unit/{world.unit_b}")).text()
    assert SECRET_B in await (await anon.get(f"/app/task/{world.task_b}")).text()
    assert "Cục A Một" not in page


async def test_web_for_an_unlinked_person_gives_no_link(sessionmaker, world):
    chan = _channel(sessionmaker)
    replies = await chan.push("/web", user="stranger")
    assert not LINK.search(to_plain(replies[-1].text))
    assert "/start" in to_plain(replies[-1].text)


async def test_web_without_a_dashboard_says_so(sessionmaker, world):
    chan = _channel(sessionmaker, web_url=None)
    replies = await chan.push("/web", user="officer_a1")
    assert "/app/login" not in to_plain(replies[-1].text)

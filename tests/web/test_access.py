"""Who sees what, for every page and file: officer → own unit, head → unit and sub-units,
oversight group member → the group's units, admin → all; nothing of another unit appears."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from store.models import Chat
from tests.web.world import EVIDENCE, SECRET_B, UNIT_B

# Distinctive text of each unit's work (names, task titles, reports, file names).
TEXT = {
    "a": ["Bộ An Thử"],  # the shared task ("Việc chung hai bộ") is also B's
    "a1": ["Cục A Một", "Số hoá hồ sơ", "Đã xong 60% số hoá", "bien-ban A1.pdf"],
    "b": [UNIT_B, SECRET_B, "Báo cáo riêng của Bộ Bê", "mat-B.pdf"],
}
SEES = {
    "officer_a1": {"a1"},
    "head_a": {"a", "a1"},
    "officer_b": {"b"},
    "watcher": {"b"},  # through the oversight group's link
    "admin": {"a", "a1", "b"},
}


def pages(w) -> dict[str, tuple[str, set[str]]]:
    """Path → the units whose visibility it needs (any one of them)."""
    return {
        "/app/": ({"a", "a1", "b"}, set()),
        f"/app/unit/{w.unit_a}": ({"a"}, {"a"}),
        f"/app/unit/{w.unit_a1}": ({"a1"}, {"a1"}),
        f"/app/unit/{w.unit_b}": ({"b"}, {"b"}),
        f"/app/directive/{w.directive}": ({"a", "a1", "b"}, set()),
        f"/app/task/{w.task_a1}": ({"a1"}, {"a1"}),
        f"/app/task/{w.task_b}": ({"b"}, {"b"}),
        f"/app/task/{w.task_shared}": ({"a", "b"}, set()),
        "/app/exports": ({"a", "a1", "b"}, set()),
    }


async def _client(signed_in, sessionmaker, who: str):
    if who != "watcher":
        return await signed_in(who)
    async with sessionmaker() as s:
        chat_pk = await s.scalar(select(Chat.id).where(Chat.chat_id == "-100777"))
    return await signed_in(who, chat_pk)


@pytest.mark.parametrize("who", sorted(SEES))
async def test_every_page_shows_only_the_units_one_may_see(signed_in, sessionmaker, world, who):
    client = await _client(signed_in, sessionmaker, who)
    seen = SEES[who]
    for path, (needs, _own) in pages(world).items():
        resp = await client.get(path)
        text = await resp.text()
        if needs & seen:
            assert resp.status == 200, (who, path)
        else:
            assert resp.status == 404, (who, path)
        for unit, words in TEXT.items():
            if unit in seen:
                continue
            for word in words:
                assert word not in text, (who, path, word)


@pytest.mark.parametrize("who", sorted(SEES))
async def test_files_only_for_those_who_may_see_the_unit(signed_in, sessionmaker, world, who):
    client = await _client(signed_in, sessionmaker, who)
    seen = SEES[who]
    files = {
        f"/app/evidence/{world.report_a1}": "a1",
        f"/app/evidence/{world.report_b}": "b",
        f"/app/export/unit/{world.unit_a1}.xlsx": "a1",
        f"/app/export/unit/{world.unit_a}.xlsx": "a",
        f"/app/export/unit/{world.unit_b}.xlsx": "b",
    }
    for path, unit in files.items():
        resp = await client.get(path)
        body = await resp.read()
        if unit in seen:
            assert resp.status == 200, (who, path)
            assert resp.headers["Content-Disposition"].startswith("attachment;")
            if "evidence" in path:
                assert body == EVIDENCE
        else:
            assert resp.status == 404, (who, path)
            for unit_words in (w for u, w in TEXT.items() if u not in seen):
                for word in unit_words:
                    assert word.encode() not in body


async def test_head_sees_the_shared_task_without_the_other_ministry(signed_in, world):
    client = await signed_in("head_a")
    text = await (await client.get(f"/app/task/{world.task_shared}")).text()
    assert "Bộ An Thử" in text
    assert UNIT_B not in text


async def test_an_unlinked_person_cannot_sign_in(anon, sessionmaker, world):
    from tests.web.conftest import link_for

    token = await link_for(sessionmaker, "stranger")
    resp = await anon.post("/app/login", data={"token": token}, allow_redirects=False)
    assert resp.status == 403
    assert "nv_session" not in resp.cookies
    assert (await anon.get("/app/")).status == 401


async def test_a_group_link_stops_working_when_the_group_is_unlinked(
    signed_in, sessionmaker, world
):
    client = await _client(signed_in, sessionmaker, "watcher")
    assert (await client.get(f"/app/unit/{world.unit_b}")).status == 200
    async with sessionmaker() as s, s.begin():
        chat = await s.scalar(select(Chat).where(Chat.chat_id == "-100777"))
        chat.active = False
    # Checked on every request: the session now sees nothing and is asked to sign in.
    resp = await client.get(f"/app/unit/{world.unit_b}")
    assert resp.status == 401
    assert SECRET_B not in await resp.text()

"""The command runner comes back even when a left-over task will not end (issue 11)."""

from __future__ import annotations

import asyncio
import logging
import threading

from bot import event_loop


def _run_in_thread(coro_fn, **kwargs):
    """Run `event_loop.run` in a thread; a hang shows as a thread still alive after 60 s."""
    outcome: dict[str, object] = {}

    def target() -> None:
        outcome["value"] = event_loop.run(coro_fn(), **kwargs)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "event_loop.run did not come back"
    return outcome["value"]


def test_a_task_waiting_in_finally_is_cancelled_again():
    # The SQLAlchemy/aiosqlite shape: the first cancellation lands in a `finally` that waits
    # for a future nobody will ever resolve.
    state = {"reached_finally": False, "ended": False}

    async def graceful_close_forever() -> None:
        try:
            await asyncio.sleep(3600)
        finally:
            state["reached_finally"] = True
            try:
                await asyncio.get_running_loop().create_future()
            finally:
                state["ended"] = True

    async def main() -> int:
        task = asyncio.get_running_loop().create_task(graceful_close_forever())
        await asyncio.sleep(0)
        assert not task.done()
        return 7

    assert _run_in_thread(main, shutdown_timeout=1.0) == 7
    assert state == {"reached_finally": True, "ended": True}


def test_a_task_that_ignores_every_cancellation_is_left_behind_with_a_warning(caplog):
    async def stubborn() -> None:
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                continue

    async def main() -> str:
        task = asyncio.get_running_loop().create_task(stubborn(), name="stubborn")
        await asyncio.sleep(0)
        assert not task.done()
        return "done"

    with caplog.at_level(logging.WARNING, logger="bot.event_loop"):
        assert _run_in_thread(main, shutdown_timeout=0.5) == "done"
    assert "stubborn" in caplog.text


def test_ordinary_left_overs_are_cancelled_and_errors_reported():
    seen: list[str] = []

    async def sleeper() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            seen.append("cancelled")
            raise

    async def main() -> None:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda _loop, ctx: seen.append(ctx["message"]))
        tasks = [loop.create_task(sleeper())]

        async def fails_on_cancel() -> None:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                raise RuntimeError("cleanup failed") from None

        tasks.append(loop.create_task(fails_on_cancel()))
        await asyncio.sleep(0)

    _run_in_thread(main)
    assert sorted(seen) == ["cancelled", "unhandled exception during shutdown"]

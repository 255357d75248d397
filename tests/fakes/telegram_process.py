"""The fake Bot API in a process of its own, so a benchmark measures only the client's CPU.

    python -m tests.fakes.telegram_process [--rate-limits]

prints `PORT <n>` and serves the fake Bot API (see `telegram_server`) plus `GET /_fake/stats`:
`{"received": {chat_id: count}, "rejected": n, "calls": n}` (messages stored per chat, 429s
answered, API calls). `FakeTelegramProcess` starts it and reads the stats over HTTP.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import Any

import aiohttp

from tests.fakes.telegram_server import FakeTelegramServer


class FakeTelegramProcess:
    """Runs `python -m tests.fakes.telegram_process` and talks to it.

    Args:
        rate_limits: Enforce Telegram's limits (429 with retry_after beyond them).
    """

    def __init__(self, *, rate_limits: bool = True) -> None:
        self._rate_limits = rate_limits
        self._proc: asyncio.subprocess.Process | None = None
        self.port = 0

    async def __aenter__(self) -> FakeTelegramProcess:
        args = ["-m", "tests.fakes.telegram_process"]
        if self._rate_limits:
            args.append("--rate-limits")
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable, *args, stdout=asyncio.subprocess.PIPE
        )
        assert self._proc.stdout is not None
        line = await asyncio.wait_for(self._proc.stdout.readline(), 30)
        self.port = int(line.split()[1])
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._proc is not None and self._proc.returncode is None:
            self._proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._proc.wait(), 10)
            if self._proc.returncode is None:
                self._proc.kill()
                await self._proc.wait()

    @property
    def base_url(self) -> str:
        """PTB's `base_url` for this server."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def stats(self) -> dict[str, Any]:
        """Messages received per chat (int keys), 429s answered and calls made."""
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{self.port}/_fake/stats") as resp,
        ):
            data = await resp.json()
        data["received"] = {int(k): v for k, v in data["received"].items()}
        return data


async def _serve(rate_limits: bool) -> None:
    server = FakeTelegramServer(rate_limits=rate_limits)
    await server.start()
    print(f"PORT {server.port}", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await server.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate-limits", action="store_true")
    asyncio.run(_serve(parser.parse_args().rate_limits))

"""`nhacviec demo`: a chat in the terminal that shows the pushes too.

The console channel is one of the outbox's channels, so what the outbox sends it (the 16:00
reminder, a broadcast) arrives in the terminal as it would on a phone. `/nhac` queues today's
reminder at once (under its own delivery key, so it can be shown again), and the outbox sends
it like any other push.
"""

from __future__ import annotations

import argparse
import logging
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

from bot.app import App, open_app
from bot.config import Settings
from bot.ops import find_unit
from bot.push_runtime import PushRuntime, drain, job_config
from handlers.types import Incoming, Kind
from scheduler.jobs import JobResult, enqueue_many
from scheduler.reminders import reminder_pushes
from store.sample import SampleSummary, load_sample

logger = logging.getLogger(__name__)

REMIND_NOW = frozenset({"/nhac", "/nhacviec", "/remind"})


def banner(summary: SampleSummary) -> str:
    """The Vietnamese welcome text printed before the chat starts."""
    return "\n".join(
        [
            f"Nhắc việc — bản dùng thử. Anh/chị là cán bộ của {summary.unit_name}.",
            f"Dữ liệu mẫu: {summary.tasks} nhiệm vụ của 230/QĐ-VPCP, hạn quanh hôm nay.",
            "Thử: tháng này có việc gì đến hạn? · quá hạn · nv 2 xong chưa? · NV 2 đạt 50% · "
            "xin gia hạn nv 3 đến 31/1 vì chờ số liệu · báo cáo · /help",
            "/nhac gửi ngay lời nhắc 16:00; các thông báo và lời nhắc hiện ra tại đây như trên "
            "điện thoại.",
            "Gõ số để chọn một lựa chọn có đánh số; /file ĐƯỜNG_DẪN gửi tệp; /quit để thoát.",
        ]
    )


async def remind_now(app: App, settings: Settings, now: datetime) -> tuple[int, str]:
    """Queue today's reminder for the console's officials now.

    Returns:
        How many were queued, and the key prefix of this run's deliveries.
    """
    cfg = job_config(settings, ["console"])
    result = JobResult("reminder", now.astimezone(settings.tz).date(), "done", Counter())
    async with app.sessionmaker() as session, session.begin():
        found = await reminder_pushes(session, now, cfg, result, kind="reminder")
        prefix = f"demo-reminder:{now:%Y%m%dT%H%M%S%f}:"
        pushes = [replace(p, key=prefix + p.key) for p in found]
        queued = await enqueue_many(session, pushes, now)
    return len(queued), prefix


async def run_demo(settings: Settings, args: argparse.Namespace) -> int:
    """Load the sample, start the outbox for the console, and chat until /quit."""
    from bot.channels.console import ConsoleChannel

    admin = frozenset({("console", "demo")})
    async with open_app(settings, extra_admins=admin) as app:
        async with app.sessionmaker() as session, session.begin():
            unit = await find_unit(session, args.unit)
            if unit is None:
                return 1
            summary = await load_sample(
                session,
                unit_code=unit.code,
                now=datetime.now(UTC),
                tz=settings.tz,
                locale=args.lang,
            )
        console = ConsoleChannel(user_id="demo", user_name="Demo", locale=args.lang)
        app.add_channel(console)
        runtime = PushRuntime(app)
        await runtime.start()

        async def sink(incoming: Incoming) -> None:
            word = incoming.text.strip().split(" ")[0].lower() if incoming.text.strip() else ""
            if incoming.kind == Kind.COMMAND and word in REMIND_NOW:
                queued, prefix = await remind_now(app, settings, datetime.now(UTC))
                if not queued:
                    print("(Không có việc nào cần nhắc: đơn vị đã báo cáo đủ hôm nay.)")
                    return
                # Delivered through the outbox like any push; wait for it before the prompt.
                await drain(app.sessionmaker, {console.name: console}, prefix, patience=10.0)
                return
            await app.dispatcher(incoming)

        print(banner(summary))
        try:
            await console.start(sink)
        finally:
            await runtime.stop()
    return 0

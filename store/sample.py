"""The demo's sample directive, with deadlines placed relative to today."""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.importer import import_directive
from store.importing.extract import ParsedDirective, ParsedTask
from store.models import Assignment, Identity, Task, Unit, User, UserRole
from store.registry import UnitRegistry
from store.reports import add_report

SAMPLE = Path(__file__).with_name("data") / "demo_sample.json"


@dataclass(slots=True)
class SampleSummary:
    """What the demo loaded, for its welcome banner."""

    unit_name: str
    tasks: int

    def banner(self) -> str:
        """The console welcome text (the CLI prints it; it is not a chat message)."""
        return (
            f"Nhắc việc demo — you are an official of {self.unit_name}.\n"
            f"Sample: {self.tasks} tasks of 230/QĐ-VPCP with deadlines around today.\n"
            "Try: tháng này có việc gì đến hạn? · quá hạn · NV 2 đạt 50% · báo cáo · /help\n"
            "Numbers answer the numbered choices; /file PATH sends a file; /quit leaves."
        )


def _month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def deadline_text(spec: str, today: date) -> str:
    """A Vietnamese deadline phrase for a spec such as `month_end` or `days:-12`."""
    if spec == "recurring":
        return "Thường xuyên"
    if spec == "annual":
        return "Hàng năm"
    if spec == "month_end":
        return f"Tháng {today.month}/{today.year}"
    if spec == "next_month_end":
        nxt = _month_end(today) + timedelta(days=1)
        return f"Tháng {nxt.month}/{nxt.year}"
    if spec.startswith("days:"):
        due = today + timedelta(days=int(spec[5:]))
        # "trước ngày X" means due the day before X (strict), so name the day after.
        after = due + timedelta(days=1)
        return f"Hoàn thành trước ngày {after.day}/{after.month}/{after.year}"
    raise ValueError(f"unknown deadline spec {spec!r}")


def sample_directive(today: date) -> tuple[ParsedDirective, set[str]]:
    """The sample as a parsed directive, and the refs of tasks already done."""
    raw = json.loads(SAMPLE.read_text(encoding="utf-8"))
    tasks = [
        ParsedTask(
            ref=t["ref"],
            title=t["title"],
            body=t["title"],
            lead=t["lead"],
            cooperating=t["cooperating"],
            deadline_text=deadline_text(t["due"], today),
            product=t.get("product", ""),
        )
        for t in raw["tasks"]
    ]
    parsed = ParsedDirective(
        number=raw["number"],
        doc_type=raw["doc_type"],
        issuer=raw["issuer"],
        issued_on=today.replace(day=1) - timedelta(days=60),
        title=raw["title"],
        tasks=tasks,
        warnings=[],
    )
    return parsed, {t["ref"] for t in raw["tasks"] if t.get("done")}


async def load_sample(
    session: AsyncSession,
    *,
    unit_code: str,
    now: datetime,
    tz: ZoneInfo,
    locale: str | None = None,
) -> SampleSummary:
    """Import the sample (again: imports are idempotent) and link the console user."""
    today = now.astimezone(tz).date()
    parsed, done_refs = sample_directive(today)
    registry = await UnitRegistry.load(session)
    await import_directive(session, parsed, registry=registry, now=now, source_name=SAMPLE.name)
    unit = await session.scalar(select(Unit).where(Unit.code == unit_code))
    if unit is None:
        raise LookupError(f"unknown unit code {unit_code!r}")
    identity = await session.scalar(
        select(Identity).where(Identity.channel == "console", Identity.external_id == "demo")
    )
    if identity is None:
        user = User(name="Demo", unit_id=unit.id, role=UserRole.HEAD, preferred_channel="console")
        session.add(Identity(user=user, channel="console", external_id="demo", chat_id="demo"))
    else:
        user = await session.get(User, identity.user_id)
        assert user is not None
        user.unit_id = unit.id
    if locale:
        user.locale = locale
    await session.flush()
    for ref in done_refs:
        assignment = await session.scalar(
            select(Assignment)
            .join(Task)
            .where(Task.ref == ref, Assignment.unit_id == unit.id)
            .where(Task.directive.has(number=parsed.number))
        )
        if assignment is not None and assignment.completed_on is None:
            await add_report(
                session,
                assignment=assignment,
                author_id=user.id,
                percent=100,
                done=True,
                text="Đã hoàn thành (dữ liệu mẫu)",
                now=now,
                local_day=today,
            )
    return SampleSummary(unit_name=unit.name, tasks=len(parsed.tasks))

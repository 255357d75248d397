"""What the operator's one-shot commands print, in the CLI's language (`--lang`, NHACVIEC_LANG).

A run is summed up in words an admin reads at a glance ("Lời nhắc ngày 15/07/2025: đã chạy —
3 tin đưa vào hàng đợi; bỏ qua: 2 người mà đơn vị đã báo cáo"), the deliveries by status, and,
with `--show`, the messages themselves: each distinct text once, with who it goes to.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any, TextIO

from handlers.i18n import _
from handlers.markup import to_plain
from scheduler.jobs import JobResult
from store.db import SessionMaker
from store.delivery_report import queued_messages

#: Recipients named under a message shown with --show; the rest are counted.
NAMED = 5

_STATUS_ORDER = ("sent", "pending", "sending", "unreachable", "failed")


def job_label(name: str) -> str:
    """A job's name as an admin reads it (capitalised, for the start of a line)."""
    labels: dict[str, Callable[[], str]] = {
        "reminder": lambda: _("The reminder"),
        "nudge": lambda: _("The early nudge"),
        "digest": lambda: _("The group digest"),
        "scoreboard": lambda: _("The scoreboard"),
    }
    return labels[name]() if name in labels else name


def status_text(status: str) -> str:
    """What a run's status means."""
    texts: dict[str, Callable[[], str]] = {
        "done": lambda: _("ran"),
        "already_ran": lambda: _("it had already run for this day; nothing was queued again"),
        "not_workday": lambda: _("not a working day; nothing is sent"),
        "not_first_workday": lambda: _("not the first working day of the month; nothing is sent"),
        "disabled": lambda: _("switched off"),
        "not_due": lambda: _("not due yet"),
    }
    return texts[status]() if status in texts else status


def _count_text(key: str, n: int) -> str:
    texts: dict[str, Callable[[], str]] = {
        "queued": lambda: _("{n} queued"),
        "already_queued": lambda: _("{n} already queued before"),
        "skipped_inactive": lambda: _("{n} deactivated"),
        "skipped_unlinked": lambda: _("{n} not linked to a unit"),
        "skipped_reported": lambda: _("{n} whose unit has reported today"),
        "skipped_no_open_work": lambda: _("{n} whose unit has no work to report on"),
        "skipped_unreachable": lambda: _("{n} reachable on no channel"),
        "skipped_channel_unavailable": lambda: _("{n} on a channel not configured here"),
        "skipped_nothing_to_report": lambda: _("{n} groups with nothing to report"),
        "skipped_nothing_to_score": lambda: _("{n} groups with nothing to score"),
    }
    return texts[key]().format(n=n) if key in texts else f"{key} {n}"


def run_summary(result: JobResult) -> str:
    """One line: the job, its day, what happened, what was queued and who was skipped why."""
    line = _("{job} for {day}: {status}").format(
        job=job_label(result.job), day=f"{result.day:%d/%m/%Y}", status=status_text(result.status)
    )
    sent = [_count_text(k, n) for k, n in sorted(result.counts.items()) if n and "skip" not in k]
    skipped = [_count_text(k, n) for k, n in sorted(result.counts.items()) if n and "skip" in k]
    if sent:
        line += " — " + ", ".join(sent)
    if skipped:
        line += "; " + _("skipped: {reasons}").format(reasons=", ".join(skipped))
    return line


def _delivery_text(status: str, n: int) -> str:
    texts: dict[str, Callable[[], str]] = {
        "sent": lambda: _("{n} sent"),
        "pending": lambda: _("{n} waiting"),
        "sending": lambda: _("{n} being sent"),
        "unreachable": lambda: _("{n} unreachable (blocked the bot)"),
        "failed": lambda: _("{n} failed"),
    }
    return texts[status]().format(n=n) if status in texts else f"{n} {status}"


def print_run(
    result: JobResult,
    counts: dict[str, int],
    channels: list[str],
    *,
    as_json: bool,
    messages: list[dict[str, Any]] | None = None,
) -> None:
    """Print what a one-shot run did (summary lines, or one JSON object)."""
    if as_json:
        data: dict[str, Any] = {
            "job": result.job,
            "day": result.day.isoformat(),
            "status": result.status,
            "counts": dict(result.counts),
            "deliveries": counts,
            "channels": channels,
        }
        if messages is not None:
            data["messages"] = messages
        print(json.dumps(data, ensure_ascii=False))
        return
    print(run_summary(result))
    if not channels:
        queued = counts.get("pending", 0)
        print(
            _(
                "No channel is configured here (set TELEGRAM_BOT_TOKEN or ZALO_*): {n} messages "
                "stay queued; `nhacviec run` sends them."
            ).format(n=queued)
        )
        return
    ordered = [s for s in _STATUS_ORDER if counts.get(s)] + sorted(
        s for s in counts if s not in _STATUS_ORDER and counts[s]
    )
    summary = ", ".join(_delivery_text(s, counts[s]) for s in ordered) or _("nothing")
    print(
        _("Sent through {channels}: {summary}").format(
            channels=", ".join(channels), summary=summary
        )
    )


async def collect_messages(sessionmaker: SessionMaker, prefix: str) -> list[dict[str, Any]]:
    """The messages queued under `prefix`, one entry per delivery (for --show)."""
    async with sessionmaker() as session:
        return [
            {
                "channel": m.channel,
                "chat_id": m.chat_id,
                "recipient": m.recipient,
                "status": m.status,
                "text": to_plain(str(m.payload.get("text", ""))),
                "buttons": [b[0] for row in m.payload.get("buttons", []) for b in row],
                "attachments": [a[0] for a in m.payload.get("attachments", [])],
            }
            async for m in queued_messages(session, prefix)
        ]


def print_messages(messages: list[dict[str, Any]], day: date, out: TextIO) -> None:
    """Print each distinct message once, under the recipients it goes to."""
    if not messages:
        print(_("No message is queued for {day}.").format(day=f"{day:%d/%m/%Y}"), file=out)
        return
    groups: dict[tuple[str, tuple[str, ...], tuple[str, ...]], list[dict[str, Any]]] = {}
    for m in messages:
        key = (m["text"], tuple(m["buttons"]), tuple(m["attachments"]))
        groups.setdefault(key, []).append(m)
    print(
        _("{n} messages queued for {day}, {k} different:").format(
            n=len(messages), day=f"{day:%d/%m/%Y}", k=len(groups)
        ),
        file=out,
    )
    for (text, buttons, files), to in groups.items():
        names = [f"{m['recipient'] or '?'} ({m['channel']} {m['chat_id']})" for m in to]
        shown = ", ".join(names[:NAMED])
        if len(names) > NAMED:
            shown = _("{names} and {n} more").format(names=shown, n=len(names) - NAMED)
        print("", "── " + _("To {names}:").format(names=shown), sep="\n", file=out)
        if text:
            print(text, file=out)
        for name in files:
            print("[" + _("attachment: {name}").format(name=name) + "]", file=out)
        if buttons:
            print("[" + " | ".join(buttons) + "]", file=out)

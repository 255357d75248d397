"""The dashboard's pages: overview, unit, directive, task. Each checks the viewer's scope on
the server; a unit, directive or task outside it answers exactly like one that does not exist.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from aiohttp import web

from bot.web.charts import COLORS, bar_chart, stacked_bar
from bot.web.formatting import status_name
from bot.web.periods import PERIODS, last_months, period_label, period_range, score_range
from bot.web.shared import CONFIG, DB, db, now_of, parse_int, render, viewer
from handlers.i18n import gettext as _
from handlers.summaries.score import compute_scores
from store.dashboard import (
    COUNT_FIELDS,
    STATUS_KEYS,
    CountRow,
    Counts,
    Filters,
    count_rows,
    counts_of,
    directives_in,
    latest_reports,
    names_for,
    overdue_by_month,
    totals,
    unit_extensions,
    unit_people,
    unit_tasks,
    visible_children,
)
from store.dashboard_items import directive_tasks, get_directive, parse_attachment, task_view
from store.status import classify
from store.units import get_unit, unit_names
from store.web_scope import Scope

OPEN = 1 + COUNT_FIELDS.index("open")
REPORTED = 1 + COUNT_FIELDS.index("reported_today")
SORTS = (
    "name",
    "total",
    "overdue",
    "in_progress",
    "done_on_time",
    "done_late",
    "recurring",
    "reported_today",
    "on_time_rate",
)


def _page(request: web.Request) -> int:
    return min(parse_int(request.query.get("page")) or 1, 100_000)


def _today(request: web.Request) -> tuple[datetime, date]:
    now = now_of(request)
    return now, now.astimezone(request.app[CONFIG].tz).date()


def status_parts(c: Counts) -> list[tuple[str, int, str]]:
    """(name, value, colour) of each status, for a stacked bar and its legend."""
    return [(status_name(k), getattr(c, k), COLORS[k]) for k in STATUS_KEYS]


def _sort_key(key: str, names: dict[int, str]) -> Callable[[CountRow], Any]:
    if key == "name":
        return lambda r: (names.get(r[0], ""), r[0])
    if key == "on_time_rate":
        return lambda r: (r[2] / (r[2] + r[3]) if r[2] + r[3] else -1.0, r[0])
    return itemgetter(1 + COUNT_FIELDS.index(key), 0)


async def _add_scores(
    request: web.Request, rows: list[Counts], start: date, end: date, now: datetime
) -> None:
    if not rows:
        return
    config = request.app[CONFIG]
    scores = await compute_scores(
        db(request),
        [r.unit_id for r in rows],
        start=start,
        end=end,
        now=now,
        tz=config.tz,
        rules=config.rules,
    )
    by_unit = {s.unit_id: s.score for s in scores}
    for r in rows:
        r.score = by_unit.get(r.unit_id)


async def overview(request: web.Request) -> web.StreamResponse:
    """GET /app/: every visible unit's work at a glance, sortable and filterable."""
    config = request.app[CONFIG]
    person = viewer(request)
    now, today = _today(request)
    q = request.query
    period = q.get("period") if q.get("period") in PERIODS else "all"
    directive_id = parse_int(q.get("directive"))
    span = period_range(period, today)
    filters = Filters(directive_id, *(span or (None, None)))
    session = db(request)
    rows = await count_rows(session, person.scope, today=today, tz=config.tz, filters=filters)
    total = totals(rows)
    unreported = [r for r in rows if r[OPEN] and not r[REPORTED]]
    if q.get("unreported") == "1":
        rows = unreported
    sort = q.get("sort") if q.get("sort") in SORTS else "overdue"
    descending = q.get("dir", "asc" if sort == "name" else "desc") != "asc"
    names = await names_for(session, person.scope, [r[0] for r in rows]) if sort == "name" else {}
    rows.sort(key=_sort_key(sort, names), reverse=descending)
    page = _page(request)
    size = config.page_size
    page_rows = rows[(page - 1) * size : page * size]
    if sort != "name":
        names = await unit_names(session, [r[0] for r in page_rows])
    shown = [counts_of(r, names.get(r[0], "")) for r in page_rows]
    start, end = score_range(period, today)
    await _add_scores(request, shown, start, end, now)
    months = last_months(today)
    overdue = await overdue_by_month(db(request), person.scope, [e for _s, e in months])
    labels = [f"{s.month:02d}/{s.year % 100:02d}" for s, _e in months]
    return render(
        request,
        "overview.html",
        rows=shown,
        total=total,
        units=len(rows),
        not_reported=len(unreported),
        page=page,
        pages=max(1, -(-len(rows) // size)),
        sort=sort,
        descending=descending,
        query=dict(q),
        period=period,
        periods=[(k, period_label(k)) for k in PERIODS],
        directive_id=directive_id,
        directives=await directives_in(db(request), person.scope),
        status_bar=stacked_bar(status_parts(total), _("Tasks by status")),
        parts=status_parts(total),
        overdue_chart=bar_chart(
            labels, overdue, label=_("Overdue tasks at the end of each month"), color="#b3261e"
        ),
        today=today,
    )


async def _trend_scores(
    request: web.Request, unit_id: int, months: list[tuple[date, date]], now: datetime
) -> list[float | None]:
    """The unit's score in each month, computed side by side (a session each: a session
    runs one statement at a time, and these are independent reads)."""
    config = request.app[CONFIG]

    async def one(start: date, end: date) -> float | None:
        async with request.app[DB]() as session:
            got = await compute_scores(
                session, [unit_id], start=start, end=end, now=now, tz=config.tz, rules=config.rules
            )
        return got[0].score if got else None

    return list(await asyncio.gather(*(one(s, e) for s, e in months)))


async def unit_page(request: web.Request) -> web.StreamResponse:
    """GET /app/unit/{id}: a unit's tasks, reports, people, requests and trend."""
    config = request.app[CONFIG]
    person = viewer(request)
    unit_id = parse_int(request.match_info["unit_id"])
    if unit_id is None or not person.scope.allows(unit_id):
        raise web.HTTPNotFound()
    session = db(request)
    unit = await get_unit(session, unit_id)
    if unit is None:
        raise web.HTTPNotFound()
    now, today = _today(request)
    one = Scope(all_units=False, unit_ids=frozenset({unit_id}))
    found = await count_rows(session, one, today=today, tz=config.tz)
    counts = counts_of(found[0], unit.name) if found else Counts(unit_id, unit.name)
    page = _page(request)
    size = config.page_size
    tasks = await unit_tasks(session, unit_id, today=today, offset=(page - 1) * size, limit=size)
    months = last_months(today)
    scores = await _trend_scores(request, unit_id, months, now)
    overdue = await overdue_by_month(session, one, [e for _s, e in months])
    labels = [f"{s.month:02d}/{s.year % 100:02d}" for s, _e in months]
    parent = unit.parent_id if person.scope.allows(unit.parent_id) else None
    return render(
        request,
        "unit.html",
        unit=unit,
        parent_id=parent,
        counts=counts,
        status_bar=stacked_bar(status_parts(counts), _("Tasks by status")),
        parts=status_parts(counts),
        tasks=[(t, classify(t.state, t.due, t.completed_on, t.kind, today)) for t in tasks],
        page=page,
        pages=max(1, -(-counts.total // size)),
        reports=await latest_reports(session, unit_id),
        people=await unit_people(session, unit_id),
        extensions=await unit_extensions(session, unit_id),
        children=await visible_children(session, unit_id, person.scope),
        score_chart=bar_chart(
            labels,
            scores,
            label=_("Score by month"),
            color="#1f5fbf",
            max_value=100,
            empty=_("No score yet: nothing was due or to report."),
        ),
        overdue_chart=bar_chart(
            labels, overdue, label=_("Overdue tasks at the end of each month"), color="#b3261e"
        ),
        tz=config.tz,
    )


async def directive_page(request: web.Request) -> web.StreamResponse:
    """GET /app/directive/{id}: each task's progress across the visible units."""
    person = viewer(request)
    directive_id = parse_int(request.match_info["directive_id"])
    session = db(request)
    directive = await get_directive(session, directive_id) if directive_id else None
    if directive is None:
        raise web.HTTPNotFound()
    page = _page(request)
    size = request.app[CONFIG].page_size
    total, tasks = await directive_tasks(
        session, directive.id, person.scope, offset=(page - 1) * size, limit=size
    )
    if not total:
        raise web.HTTPNotFound()
    _now, today = _today(request)
    rows = [
        (t, [(a, classify(a.state, a.due, a.completed_on, t.kind, today)) for a in assigned])
        for t, assigned in tasks
    ]
    return render(
        request,
        "directive.html",
        directive=directive,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // size)),
    )


async def task_page(request: web.Request) -> web.StreamResponse:
    """GET /app/task/{id}: the task card, its visible assignments, reports and evidence."""
    person = viewer(request)
    task_id = parse_int(request.match_info["task_id"])
    view = await task_view(db(request), task_id, person.scope) if task_id else None
    if view is None:
        raise web.HTTPNotFound()
    _now, today = _today(request)
    t = view.task
    assignments = [
        (a, classify(a.state, a.due, a.completed_on, t.kind, today)) for a in view.assignments
    ]
    evidence = {
        r.id: parse_attachment(r.id, a.unit_id, r.attachment)
        for a in view.assignments
        for r in view.reports.get(a.id, [])
    }
    return render(
        request,
        "task.html",
        view=view,
        task=t,
        assignments=assignments,
        evidence=evidence,
        tz=request.app[CONFIG].tz,
    )


def add_routes(app: web.Application) -> None:
    """Mount the pages."""
    app.router.add_get("/", overview, name="overview")
    app.router.add_get("/unit/{unit_id}", unit_page)
    app.router.add_get("/directive/{directive_id}", directive_page)
    app.router.add_get("/task/{task_id}", task_page)

"""Files from the dashboard: evidence attached to reports, and the `.xlsx` export of a unit.

Both check the viewer's scope on the server before reading anything. Evidence bytes are not
kept by us (see `handlers.reporting.evidence`): they are fetched again through the channel that
received them and compared with the SHA-256 recorded when the report was made.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import tempfile
from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from bot.export import write_unit_workbook
from bot.web.shared import CONFIG, db, now_of, parse_int, render, viewer
from store.dashboard import scope_units
from store.dashboard_items import report_evidence
from store.units import get_unit

logger = logging.getLogger(__name__)

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/]+')


def _disposition(name: str) -> str:
    """`attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987)."""
    clean = _UNSAFE.sub("_", name).strip() or "file"
    ascii_name = clean.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(clean)}"


async def evidence(request: web.Request) -> web.StreamResponse:
    """GET /app/evidence/{report_id}: the report's file, for those who may see its unit."""
    report_id = parse_int(request.match_info["report_id"])
    found = (
        await report_evidence(db(request), report_id, viewer(request).scope) if report_id else None
    )
    if found is None:
        raise web.HTTPNotFound()
    fetch = request.app[CONFIG].fetchers.get(found.channel)
    if fetch is None:
        return render(request, "error.html", status=503, reason="evidence")
    try:
        content = await fetch(found.ref)
    except Exception as exc:  # the platform is down or forgot the file
        logger.warning("evidence %s: download failed: %s", report_id, type(exc).__name__)
        return render(request, "error.html", status=502, reason="evidence")
    if found.sha256 and hashlib.sha256(content).hexdigest() != found.sha256:
        logger.warning("evidence %s: content differs from the recorded hash", report_id)
        return render(request, "error.html", status=502, reason="evidence")
    return web.Response(
        body=content,
        content_type="application/octet-stream",
        headers={"Content-Disposition": _disposition(found.name)},
    )


async def exports_page(request: web.Request) -> web.StreamResponse:
    """GET /app/exports: the downloads the viewer may take."""
    person = viewer(request)
    units = await scope_units(db(request), person.scope)
    if not units and person.unit_id is not None:  # an admin: their own unit first
        unit = await get_unit(db(request), person.unit_id)
        units = [unit] if unit is not None else []
    return render(request, "exports.html", units=units)


async def unit_xlsx(request: web.Request) -> web.StreamResponse:
    """GET /app/export/unit/{id}.xlsx: a unit's tasks and reports as an Excel workbook."""
    unit_id = parse_int(request.match_info["unit_id"])
    if unit_id is None or not viewer(request).scope.allows(unit_id):
        raise web.HTTPNotFound()
    session = db(request)
    unit = await get_unit(session, unit_id)
    if unit is None:
        raise web.HTTPNotFound()
    config = request.app[CONFIG]
    today = now_of(request).astimezone(config.tz).date()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.xlsx"
        # The export writes in the current locale: the request's (a ContextVar).
        await write_unit_workbook(session, unit, path, today=today, tz=config.tz)
        body = await asyncio.to_thread(path.read_bytes)
    name = f"{unit.code}-{today:%Y%m%d}.xlsx"
    return web.Response(
        body=body,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": _disposition(name)},
    )


def add_routes(app: web.Application) -> None:
    """Mount the file routes."""
    app.router.add_get("/evidence/{report_id}", evidence)
    app.router.add_get("/exports", exports_page)
    app.router.add_get(r"/export/unit/{unit_id:\d+}.xlsx", unit_xlsx)

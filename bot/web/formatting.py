"""Template filters: dates as Vietnamese officials write them, statuses, roles, percentages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.web.charts import COLORS
from handlers.i18n import gettext as _
from handlers.render import status_label
from store.status import Status


def day(value: date | None) -> str:
    """`dd/mm/yyyy`, or an en dash for no date."""
    return value.strftime("%d/%m/%Y") if value else "–"


def moment(value: datetime | None, tz: Any = None) -> str:
    """`dd/mm/yyyy hh:mm` in the given zone."""
    if value is None:
        return "–"
    return (value.astimezone(tz) if tz else value).strftime("%d/%m/%Y %H:%M")


def status_name(key: str) -> str:
    """The Government Office's name for a status key."""
    if key == "recurring":
        return _("recurring / no fixed deadline")
    return status_label(Status(key))


def role_name(role: Any) -> str:
    """Lead or supporting, in the request's language."""
    return _("lead") if str(getattr(role, "value", role)) == "lead" else _("supporting")


def user_role_name(role: Any) -> str:
    """Officer, head of unit or admin."""
    value = str(getattr(role, "value", role))
    return {"head": _("head of unit"), "admin": _("admin")}.get(value, _("officer"))


def extension_state(value: str) -> str:
    """An extension request's state."""
    return {
        "pending": _("pending"),
        "approved": _("approved"),
        "refused": _("refused"),
        "withdrawn": _("withdrawn"),
    }.get(value, value)


def percent(value: float | None) -> str:
    """A share as a whole percentage, or an en dash."""
    return "–" if value is None else f"{round(100 * value)}%"


def score(value: float | None) -> str:
    """A score out of 100 with one decimal, or an en dash."""
    return "–" if value is None else f"{value:.1f}"


def size(value: int | None) -> str:
    """A file size in KB or MB."""
    if value is None:
        return ""
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f} MB"
    return f"{max(1, round(value / 1000))} KB"


FILTERS = {
    "day": day,
    "moment": moment,
    "status_name": status_name,
    "role_name": role_name,
    "user_role_name": user_role_name,
    "percent": percent,
    "extension_state": extension_state,
    "score": score,
    "size": size,
}
GLOBALS = {"COLORS": COLORS, "STATUS_KEYS": tuple(COLORS)}

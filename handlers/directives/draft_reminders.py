"""Texts of the draft reminders: an import draft about to expire, and one that expired.

Sent by the morning job (scheduler.draft_reminders) to the admin who made the draft, in their
language. The buttons are the review's own (`ir:<draft>:...`, handled by
handlers.directives.import_review), so pressing one acts exactly as it does in the review.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from handlers.directives import import_review_render as render
from handlers.i18n import _
from handlers.markup import bold
from handlers.render import fmt_date
from handlers.types import Button, Outgoing
from store.import_drafts import DraftView

logger = logging.getLogger(__name__)


def _when(expires: date, today: date) -> str:
    """The expiry day relative to today: today (date), tomorrow (date) or on date."""
    if expires <= today:
        return _("today ({date})").format(date=fmt_date(expires))
    if expires == today + timedelta(days=1):
        return _("tomorrow ({date})").format(date=fmt_date(expires))
    return _("on {date}").format(date=fmt_date(expires))


def _title(view: DraftView) -> list[str]:
    return [render.clip(view.directive.title, 200)] if view.directive.title else []


def expiring_message(view: DraftView, tz: ZoneInfo, today: date) -> Outgoing:
    """The reminder for an open draft that expires soon, with the review's buttons."""
    draft = view.draft
    expires = draft.expires_at.astimezone(tz).date()
    lines = [
        bold(
            _("⏳ Import draft {number} expires {when}.").format(
                number=render.clip(draft.number, 64), when=_when(expires, today)
            )
        ),
        *_title(view),
        _("Tasks: {n} · still flagged: {k}").format(n=len(view.kept), k=len(view.to_check)),
        _(
            "Nothing of it is visible to officials until you confirm it. If nobody confirms "
            "it, it is discarded with the corrections made in it, and the document has to be "
            "sent again."
        ),
    ]
    rows = [[Button(_("🔎 Open the review"), f"{render.CODE}:{draft.id}:s")]]
    return Outgoing("\n".join(lines), rows + render.summary_buttons(view))


def lapsed_message(view: DraftView, tz: ZoneInfo) -> Outgoing:
    """The notice that a draft expired unconfirmed: nothing of it went live."""
    draft = view.draft
    expired = draft.expires_at.astimezone(tz).date()
    lines = [
        bold(_("Import draft {number} has expired.").format(number=render.clip(draft.number, 64))),
        *_title(view),
        _(
            "It was not confirmed by {date}: none of its {n} tasks went live, and the "
            "corrections made in it were discarded. Send the document again to import it."
        ).format(date=fmt_date(expired), n=len(view.kept)),
    ]
    return Outgoing("\n".join(lines))

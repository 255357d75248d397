"""When a guided flow lets go: a message that reads confidently as something else.

A question (`nv 3 hạn khi nào?`), a complete report (`nv 7 đạt 50%`), a command (`/undo`,
`hoàn tác`), a request for more time or a query (`việc quá hạn`) leaves the flow; the router
says so in one line and answers it. What the step expects (a task number, a percent, a date,
free text for a note or a reason) continues the flow. Order of checks matters: what the step
expects is looked at first, so `60` at the progress step is a percent, not task 60.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from handlers.context import Context
from handlers.i18n import _
from handlers.parsing.intents import Intent, IntentName
from handlers.parsing.periods import parse_period
from handlers.reporting import extensions, report_confirm, reports
from handlers.types import Incoming, Kind
from store.text import fold

N = IntentName
Continue = Callable[[Context, str, dict[str, Any]], Awaitable[None]]

CONTINUE: dict[str, Continue] = {
    **dict.fromkeys(reports.FLOWS, reports.continue_flow),
    **dict.fromkeys(extensions.FLOWS, extensions.continue_flow),
}


async def _confirm_waiting(ctx: Context, flow: str, data: dict[str, Any]) -> None:
    ctx.reply(_("Press “Yes, record it” to save the report, or No."))


CONTINUE[report_confirm.FLOW] = _confirm_waiting
FLOWS = tuple(CONTINUE)

# Intents that always mean the person moved on, whatever the step.
_ALWAYS = {N.UNDO, N.ME, N.START, N.LANG}
# Queries that leave a step expecting a choice or a value; a free note or reason may mention
# `quá hạn` or `danh sách` without asking anything, so there only a question leaves.
_QUERIES = {N.DUE, N.LIST, N.HELP, N.TASK, N.UNREPORTED, N.SCORE, N.OVERDUE, N.EXTEND}
_PERCENT = re.compile(r"^\s*-?\d{1,3}([.,]\d+)?\s*(%|phan tram|percent)?\s*$")
_DONE = {"xong", "da xong", "hoan thanh", "done", "100"}
# Steps whose answer is free text (a note, a reason): only a question or a command leaves.
_FREE_TEXT = {reports.FLOW_NOTE, reports.FLOW_FILE, extensions.FLOW_REASON}
_ANY_DAY = date(2000, 1, 1)  # any day tells whether a text names a date at all


def leaves(flow: str, inc: Incoming, intent: Intent, is_command: bool) -> bool:
    """True when this message is not an answer to the flow's step but something else."""
    if inc.kind == Kind.FILE:
        return False  # evidence or a caption for the report
    if is_command:
        return True
    text = fold(inc.text)
    if flow == reports.FLOW_PROGRESS and (_PERCENT.match(text) or text in _DONE):
        return False
    if flow == reports.FLOW_PICK and intent.name is N.TASK and not intent.asked:
        return False  # `45`, `NV 45`, `#45`: the task to report on
    if flow == extensions.FLOW_DATE and parse_period(inc.text, _ANY_DAY) is not None:
        return intent.name in _ALWAYS
    if intent.name in _ALWAYS:
        return True
    if intent.name is N.EXTEND and intent.task_ref is not None:
        return True  # `xin gia hạn NV 7 ...`: a new request
    if intent.asked and intent.name is not N.UNKNOWN:
        return True
    complete = intent.name is N.REPORT and intent.task_ref is not None
    if complete and (intent.percent is not None or intent.status is not None or intent.parts):
        return True
    if flow in _FREE_TEXT:
        return False
    return intent.name in _QUERIES


def left_text(flow: str) -> str:
    """The one line that says the flow was left."""
    if flow in extensions.FLOWS:
        return _("(I stopped the extension request; nothing was sent.)")
    return _("(I stopped the report you were writing; nothing of it was saved.)")

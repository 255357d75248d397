"""The review flags every extracted task gets from its deadline and lead."""

from __future__ import annotations

from store.deadlines import normalise_deadline
from store.importing.parsed import ParsedTask


def deadline_flags(task: ParsedTask) -> None:
    """Add the deadline and lead flags every task gets (see `store.importing.parsed.FLAGS`)."""
    if not task.deadline_text:
        task.flags.append("no_deadline")
    else:
        read = normalise_deadline(task.deadline_text)
        if read.span:
            task.flags.append("deadline_span")
        if read.milestone:
            task.flags.append("deadline_milestone")
    if not task.lead:
        task.flags.append("no_lead")
    task.flags = list(dict.fromkeys(task.flags))

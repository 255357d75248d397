"""Texts of the import review: the draft summary and one card per task (neutral markup)."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.i18n import _
from handlers.markup import bold, clean_user_text
from handlers.render import fmt_date, shorten
from handlers.types import Button
from store.import_drafts import DraftItem, DraftView
from store.import_identity import is_unnumbered
from store.import_resolve import ImportedTask

logger = logging.getLogger(__name__)

CODE = "ir"  # ir:<draft>:<action>[:<position>[:<arg>]]
SOURCE_LINES = 6
IMPORT_TYPES = (
    ".txt", ".docx", ".xlsx", ".csv", ".pdf", ".html", ".htm", ".doc", ".xls",
    ".png", ".jpg", ".jpeg", ".tif", ".tiff",
)  # fmt: skip


def import_error_text(code: str) -> str:
    """A user-facing explanation of why a file could not be imported."""
    messages = {
        "empty": _("The file is empty."),
        "binary": _("The file does not contain readable text."),
        "too_large": _("The file is too large."),
        "unsupported": _(
            "This file type is not supported; send .docx, .pdf, .xlsx, .csv or .txt."
        ),
        "legacy_format": _("This is an old Word/Excel file: please save it as .docx or PDF."),
        "no_tasks": _("No tasks were found in this document."),
        "bad_columns": _("The spreadsheet lacks the required columns (task name, lead unit)."),
        "corrupt": _("The file is damaged and cannot be read."),
        "limit": _("The document is too big to read."),
        "timeout": _("Reading the document took too long."),
        "ocr_missing": _("This is a scan; text recognition is not installed on the server."),
    }
    return messages.get(code, _("The file could not be read."))


LIST_LIMIT = 12


def clip(text: str, limit: int = 160) -> str:
    """User or document text, cleaned of markup markers and shortened."""
    return shorten(clean_user_text(text or ""), limit)


def flag_text(flag: str) -> str:
    """A review flag in plain words."""
    words = {
        "unit_unresolved": _("a unit named here was not recognised"),
        "unit_ambiguous": _("a unit named here could be one of several"),
        "no_lead": _("no lead unit was found"),
        "no_deadline": _("no deadline was found"),
        "deadline_inherited": _("the deadline was taken from the item above"),
        "deadline_span": _("the deadline is a span: due at its end"),
        "deadline_milestone": _("several deadlines: the first was taken"),
        "lead_from_heading": _("the lead unit was taken from a heading"),
        "low_confidence": _("the item was hard to read"),
        "restated_in_table": _("the same work is also a row of the table: keep one of the two"),
    }
    return words.get(flag, flag)


def field_text(name: str) -> str:
    """A corrected field's name."""
    return {
        "lead": _("lead"),
        "cooperating": _("cooperating"),
        "deadline": _("deadline"),
        "drop": _("left out"),
    }.get(name, name)


def kind_text(task: ImportedTask) -> str:
    """Where a deadline leads: a due date or the kind of task."""
    if task.due is not None:
        return _("due {date}").format(date=fmt_date(task.due))
    return {
        "recurring": _("recurring, no due date"),
        "annual": _("every year"),
    }.get(task.kind, _("no due date"))


def _units(written: list[str], resolved: list[str]) -> str:
    text = "; ".join(clip(w, 120) for w in written) or "—"
    if resolved and [r for r in resolved] != written:
        shown = ", ".join(resolved[:4]) + (" …" if len(resolved) > 4 else "")
        text += " → " + clip(shown, 200)
    return text


def summary_text(view: DraftView, tz: ZoneInfo, now: datetime) -> str:
    """The draft summary: what the document is, N tasks, K to check, and how to go on."""
    draft, parsed = view.draft, view.directive
    kept, check = view.kept, view.to_check
    lines = [bold(_("Draft import: {number}").format(number=clip(draft.number, 64)))]
    if parsed.title:
        lines.append(clip(parsed.title, 200))
    facts = [clip(x, 80) for x in (parsed.doc_type, parsed.issuer) if x]
    if parsed.issued_on:
        facts.append(fmt_date(parsed.issued_on))
    if facts:
        lines.append(", ".join(facts))
    if is_unnumbered(draft.number):
        lines.append(
            _(
                "No number was found in the document: it is kept under {label}, known by its "
                "issuer, date and title, so importing it again finds it."
            ).format(label=draft.number)
        )
    lines.append(
        bold(_("{n} tasks, {k} to check.").format(n=len(kept), k=len(check)))
        + (
            " " + _("{d} left out.").format(d=len(view.items) - len(kept))
            if len(kept) < len(view.items)
            else ""
        )
    )
    earlier = [i.position for i in view.items if i.saved]
    if earlier:
        lines.append(
            _("Corrections from an earlier review applied to tasks {positions}.").format(
                positions=", ".join(map(str, earlier[:LIST_LIMIT]))
            )
        )
    for item in check[:LIST_LIMIT]:
        reasons = "; ".join(flag_text(f) for f in item.task.flags)
        lines.append(f"• {item.position} ({clip(item.task.ref, 24)}): {reasons}")
    if len(check) > LIST_LIMIT:
        lines.append(_("… and {n} more.").format(n=len(check) - LIST_LIMIT))
    expires = draft.expires_at.astimezone(tz).date()
    lines += [
        "",
        _(
            "Nothing is visible to officials until you confirm. The draft expires on {date}."
        ).format(date=fmt_date(expires)),
        help_text(),
    ]
    return "\n".join(lines)


def help_text() -> str:
    """How to fix tasks by typing."""
    return _(
        "Fix a task by its number: “3 chủ trì Bộ Tài chính”, “3 phối hợp Bộ Tư pháp, Bộ Công "
        "an”, “3 hạn 30/9/2025”, “bỏ 3” (leave out), “giữ 3” (keep as it is); send a number to "
        "see that task, “tiếp” for the next one to check, “xác nhận” to confirm, “hủy nháp” to "
        "discard the draft."
    )


def summary_buttons(view: DraftView) -> list[list[Button]]:
    """Review / Confirm / Discard under the summary."""
    did = view.draft.id
    rows: list[list[Button]] = []
    if view.to_check:
        rows.append([Button(_("🔎 Check the flagged tasks"), f"{CODE}:{did}:n")])
    rows.append([Button(_("✅ Confirm and publish"), f"{CODE}:{did}:c")])
    rows.append([Button(_("🗑 Discard the draft"), f"{CODE}:{did}:z")])
    return rows


def card_text(view: DraftView, item: DraftItem) -> str:
    """One task: ref, title, lead, cooperating, deadline, flags in words and its source."""
    task = item.task
    lines = [
        bold(
            _("Task {pos}/{n} · {ref}").format(
                pos=item.position, n=len(view.items), ref=clip(task.ref, 24)
            )
        ),
        clip(task.title, 300),
        _("Lead: {units}").format(units=_units(task.lead, task.lead_units)),
        _("Cooperating: {units}").format(units=_units(task.cooperating, task.cooperating_units)),
        _("Deadline: “{text}” → {due}").format(
            text=clip(task.deadline_text, 120) or "—", due=kind_text(task)
        ),
    ]
    for flag in task.flags:
        lines.append("⚠ " + flag_text(flag))
    for part in task.unresolved[:4]:
        if not part.candidates:
            lines.append(
                _("“{text}”: no unit of that name is known.").format(text=clip(part.text, 80))
            )
            continue
        hint = ", ".join(clip(c, 60) for c in part.candidates)
        lines.append(
            _("“{text}”: did you mean {hint}?").format(text=clip(part.text, 80), hint=hint)
        )
    if item.saved:
        lines.append(
            "✎ "
            + _("Corrected in an earlier review: {fields}").format(
                fields=", ".join(field_text(f) for f in item.saved)
            )
        )
    if item.edited:
        lines.append(
            "✎ "
            + _("Changed in this review: {fields}").format(
                fields=", ".join(field_text(f) for f in item.edited)
            )
        )
    if item.dropped:
        lines.append(bold(_("Left out: it will not be imported.")))
    elif item.checked and task.flags:
        lines.append(_("✓ Checked."))
    if task.source:
        lines.append(_("From the document:"))
        lines += ["│ " + clip(line, 300) for line in task.source[:SOURCE_LINES]]
        if len(task.source) > SOURCE_LINES:
            lines.append("│ …")
    return "\n".join(lines)


def card_buttons(view: DraftView, item: DraftItem) -> list[list[Button]]:
    """Candidate units, keep, leave out, next, confirm."""
    did, pos = view.draft.id, item.position
    rows: list[list[Button]] = []
    for index, part in enumerate(item.task.unresolved[:2]):
        label = _("Lead: {unit}") if part.role == "lead" else _("Cooperating: {unit}")
        for uid, name in zip(part.candidate_ids, part.candidates, strict=False):
            if uid is not None:
                rows.append(
                    [
                        Button(
                            clip(label.format(unit=name), 60),
                            f"{CODE}:{did}:u:{pos}:{index}.{uid}",
                        )
                    ]
                )
    if item.dropped:
        rows.append([Button(_("↩ Keep this task"), f"{CODE}:{did}:k:{pos}")])
    else:
        rows.append(
            [
                Button(_("✓ Correct as it is"), f"{CODE}:{did}:k:{pos}"),
                Button(_("🗑 Leave out"), f"{CODE}:{did}:x:{pos}"),
            ]
        )
    rows.append(
        [
            Button(_("Next task ▶"), f"{CODE}:{did}:n:{pos}"),
            Button(_("✅ Confirm"), f"{CODE}:{did}:c"),
        ]
    )
    return rows

"""Entry point: bytes of an uploaded directive → its metadata and tasks.

Spreadsheets (.xlsx, .csv) follow the column layout of `store.importing.tabular`. Documents are
read twice, and the two readings joined:

1. task tables (``TT | Tên nhiệm vụ | Đơn vị chủ trì | ...``) in any form
   (`store.importing.appendix`): each row is a task;
2. the outline of the text outside tables -- numbered, lettered and bulleted items
   (`store.importing.outline`, `store.importing.items`); items that took the body a notice's
   closing sentence notifies stay only when they open with work (`store.importing.notices`),
   and a ``Thời hạn ...`` item closing its section dates it (`store.importing.deadline_items`);
3. inspection schedules (``Đơn vị được kiểm tra | Thời gian kiểm tra``), read once the outline
   named the inspecting body (`store.importing.inspections`).

Both readings count: a plan's body and its appendix each assign work, and when the body restates
a row (a plan that announces in its text the tasks its appendix lists, each with its own leads)
the body item is kept and flagged ``restated_in_table`` so the reviewer can drop one of the two.
Dropping the body instead lost every task on documents whose body gives the work to all
ministries and whose appendix names the ministry in charge of each row. A document with neither
is read as running text (news articles: `store.importing.prose`). Every task then gets its
review flags.

The result is pure text -- unit names and deadlines as written; resolving units and dates is
done by the caller with the unit registry and the deadline normaliser.
"""

from __future__ import annotations

import logging
import re

from rapidfuzz import fuzz

from store.importing.appendix import parse_appendix
from store.importing.clauses import FORM_BLANK
from store.importing.cleanup import clean_lines, paragraphs
from store.importing.deadline_items import with_deadline_items
from store.importing.flags import deadline_flags
from store.importing.glue import fix_glued
from store.importing.inspections import schedule_tasks
from store.importing.items import parse_outline
from store.importing.meta import extract_meta
from store.importing.parsed import ImportFormatError, ParsedDirective, ParsedTask, unique_refs
from store.importing.parts import without_scoring_parts
from store.importing.prose import count_assignments, parse_prose
from store.importing.readers import read_document
from store.importing.tables import table_lines
from store.importing.tabular import parse_spreadsheet
from store.importing.units import is_unit_start
from store.text import fold

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10_000_000


def extract(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDirective:
    """Read a directive file (.txt, .docx, .xlsx, .csv) and extract its tasks.

    Args:
        data: The file's bytes.
        filename: Its name (the extension helps pick the reader).
        max_bytes: Files larger than this are refused.

    Returns:
        The directive's metadata and tasks in document order, with warnings about what was
        skipped.

    Raises:
        ImportFormatError: with `code` ``empty``, ``binary``, ``too_large``, ``unsupported``,
            ``corrupt``, ``bad_columns`` or ``no_tasks``.
    """
    document = read_document(data, filename, max_bytes=max_bytes)
    if document.kind == "table":
        directive = parse_spreadsheet(document.sheets)
        directive.warnings += unique_refs(directive.tasks)
        logger.info("extracted %d tasks from spreadsheet %s", len(directive.tasks), filename)
        return directive
    lines = clean_lines(document.lines)
    if not any(lines):
        raise ImportFormatError("empty", "the document has no text")
    meta = extract_meta(lines)
    tasks, warnings, shape = _tasks(lines)
    tasks = _without_blanks(_without_repeats(tasks))
    warnings += unique_refs(tasks)
    for task in tasks:
        deadline_flags(task)
    if not meta.number:
        warnings.append(
            "no directive number found: the directive is imported under an identity made of"
            " its issuer, date and title"
        )
    if meta.reference_on and not meta.issued_on:
        warnings.append(
            "no issue date (the date line is blank: an unsigned draft?); dates without a year"
            f" are read in {meta.reference_on:%m/%Y}"
        )
    if not tasks:
        raise ImportFormatError("no_tasks", "no task with a lead unit was recognised")
    logger.info("extracted %d tasks (%s) from %s", len(tasks), shape, filename)
    return ParsedDirective(
        number=meta.number,
        doc_type=meta.doc_type,
        issuer=meta.issuer,
        issued_on=meta.issued_on,
        title=meta.title,
        tasks=tasks,
        warnings=warnings,
        reference_on=meta.reference_on,
    )


def _without_repeats(tasks: list[ParsedTask]) -> list[ParsedTask]:
    """Drop a task that repeats an earlier one word for word, with the same leads (a page
    that carries its text twice)."""
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    out = []
    for task in tasks:
        key = (task.ref, fold(task.body), tuple(fold(unit) for unit in task.lead))
        if key not in seen:
            seen.add(key)
            out.append(task)
    return out


#: A lead cell that points to another document (``Theo phân công tại Quyết định số ...``)
#: names no performer.
_ASSIGNED_ELSEWHERE = re.compile(r"^Theo (?:phân công|quy định|chức năng)\b", re.IGNORECASE)


def _without_blanks(tasks: list[ParsedTask]) -> list[ParsedTask]:
    """Drop the units that are a form's blanks (``……… Chức vụ ………``: a template appended to
    the plan) or point to another document for the performer, and the tasks left with none."""
    out = []
    for task in tasks:
        lead = [
            u for u in task.lead if not FORM_BLANK.search(u) and not _ASSIGNED_ELSEWHERE.match(u)
        ]
        if lead:
            task.lead = lead
            out.append(task)
    return out


_SAME_TASK = 85.0  # title similarity at which a body item restates a table row


def _restates(task: ParsedTask, rows: list[str]) -> bool:
    title = fold(task.title)[:80]
    return any(fuzz.ratio(title, row[: len(title)]) >= _SAME_TASK for row in rows)


def _date_rows_from_body(rows: list[ParsedTask], body: list[ParsedTask]) -> None:
    """Rows without a deadline take the one the body sets for "the appendix" (``xử lý các kiến
    nghị (Phụ lục kèm theo), hoàn thành trước ngày 15/12/2025``), when one item sets it."""
    dated = [t for t in body if t.deadline_text and "phụ lục" in t.body.lower()]
    if len(dated) != 1:
        return
    for row in rows:
        if not row.deadline_text:
            row.deadline_text = dated[0].deadline_text
            row.flags.append("deadline_inherited")


#: The national motto (``Độc lập - Tự do - Hạnh phúc``) or the Party's name line under which
#: every directive's header stands.
_MOTTO = re.compile(r"doc lap\s*[-–]\s*tu do\s*[-–]\s*hanh phuc|^\W*dang cong san viet nam\W*$")
_SIGNED_END = re.compile(r"^\W*n[oơ]i nhan\s*:")
_ITEM_LINE = re.compile(r"^\W{0,4}(?:\(\d{1,2}\)|\d{1,2}[./]|[a-zđ]\)|[-+•])\s")


def from_the_document(lines: list[str]) -> list[str]:
    """The lines from the directive's own header on, when a web page put a summary of it
    before (a news item retelling the tasks, then the signed text): the summary's items that
    name performers would repeat the directive's in other words. A header after a recipients
    block (``Nơi nhận:``) is an appendix's, and lines before it stay."""
    motto = next((i for i, line in enumerate(lines) if _MOTTO.search(fold(line))), None)
    if motto is None or any(_SIGNED_END.match(fold(line)) for line in lines[:motto]):
        return lines  # the header of an appendix, after the signed text
    retold = [
        line
        for line in lines[:motto]
        if (item := _ITEM_LINE.match(line)) and is_unit_start(line[item.end() :])
    ]
    return lines[motto + 1 :] if retold else lines


def _tasks(lines: list[str]) -> tuple[list[ParsedTask], list[str], str]:
    lines = without_scoring_parts(from_the_document(lines))
    table_tasks, warnings, tables = parse_appendix(lines)
    skip = table_lines(lines)
    for table in tables:
        skip.update(range(table.start, table.end))
    text = [fix_glued(paragraph) for paragraph in paragraphs(lines, skip)]
    body, notes, _ = parse_outline(text)
    body = with_deadline_items(body)
    warnings += notes
    table_tasks += schedule_tasks(tables, body)
    if table_tasks:
        _date_rows_from_body(table_tasks, body)
        rows = [fold(task.title) for task in table_tasks]
        for task in body:
            if _restates(task, rows):
                task.flags.append("restated_in_table")
        return body + table_tasks, warnings, "table"
    # Paragraphs after the last item (refs ``2+1``) are no evidence of an outline: a news
    # article with one numbered line has many.
    items = sum("+" not in task.ref for task in body)
    if items >= 3:
        return body, warnings, "outline"
    tasks, more = parse_prose(paragraphs(lines))
    if count_assignments(paragraphs(lines)) <= 2 * items:
        return body, warnings, "outline"
    for task in tasks:
        task.flags.append("low_confidence")
    return tasks, warnings + more, "prose"

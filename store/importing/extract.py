"""Entry point: bytes of an uploaded directive → its metadata and tasks.

The document's shape decides the extractor, in this order:

1. spreadsheets (.xlsx, .csv): the column layout of `store.importing.tabular`;
2. a task table (``TT | Tên nhiệm vụ | Đơn vị chủ trì | ...``, 230/QĐ-VPCP's appendix): its
   rows are the tasks, and the body paragraphs that announce them are not read for tasks;
3. lettered items and bullets (35-TB/TGV): `store.importing.headings`;
4. otherwise running text (news articles): `store.importing.prose`.

The result is pure text -- unit names and deadlines as written; resolving units and dates is
done by the caller with the unit registry and the deadline normaliser.
"""

from __future__ import annotations

import logging

from store.importing.appendix import parse_appendix
from store.importing.cleanup import clean_lines, paragraphs
from store.importing.headings import parse_headings
from store.importing.meta import extract_meta
from store.importing.parsed import ImportFormatError, ParsedDirective, ParsedTask, unique_refs
from store.importing.prose import parse_prose
from store.importing.readers import read_document
from store.importing.tabular import parse_spreadsheet

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
    warnings += unique_refs(tasks)
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
    )


def _tasks(lines: list[str]) -> tuple[list[ParsedTask], list[str], str]:
    appendix = parse_appendix(lines)
    if appendix and appendix[0]:
        return appendix[0], appendix[1], "table"
    text = paragraphs(lines)
    tasks, warnings, structural = parse_headings(text)
    if structural:
        return tasks, warnings, "headings"
    tasks, warnings = parse_prose(text)
    return tasks, warnings, "prose"

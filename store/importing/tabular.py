"""Spreadsheet import (.xlsx, .csv): the column layout and how rows become tasks.

Layout
------
One sheet (the first that has a header row). Optional metadata rows may come first, each a
label and a value, in one cell (``Số hiệu: 230/QĐ-VPCP``) or two (``Số hiệu`` | ``230/QĐ-VPCP``):

=====================  ===========================================  =======================
label (any of)         meaning                                      example
=====================  ===========================================  =======================
Số hiệu, Số, number    directive number                             230/QĐ-VPCP
Ngày ban hành, issued  issue date (dd/mm/yyyy, yyyy-mm-dd, a date)  14/05/2025
Loại văn bản, type     document type                                Quyết định
Cơ quan ban hành,      issuer                                       Văn phòng Chính phủ
issuer
Trích yếu, title       title                                        Kế hoạch hành động ...
=====================  ===========================================  =======================

Then one header row, then one row per task. Headers are matched without regard to case or
diacritics, Vietnamese or English; column order is free and other columns are ignored:

==========================================  ==============  =========
header (any of)                             field           required
==========================================  ==============  =========
TT, STT, ref                                ref             no
Tên nhiệm vụ, Nội dung (nhiệm vụ), title    title           yes
Đơn vị chủ trì, Cơ quan chủ trì, lead       lead            yes
(Cơ quan,) đơn vị phối hợp, cooperating     cooperating     no
Thời gian hoàn thành, Thời hạn, deadline    deadline_text   no
Sản phẩm (dự kiến), product                 product         no
==========================================  ==============  =========

Several units in one cell are separated by ``;`` or a line break, or by ``,`` before each unit
name (``Bộ Công an, Bộ Tài chính``); a collective such as ``Các bộ, ngành, địa phương`` stays
whole. Deadlines are kept as written (``Tháng 9/2025``, ``Thường xuyên``, a date cell becomes
``dd/mm/yyyy``).

Rows follow the appendix rules of `store.importing.rows`: ``TT`` values I, II ... head groups,
numbers restart per group, letters (a, b) are sub-rows of the number above, a numbered row with
lettered rows under it only groups them. Without a ``TT`` column tasks are numbered 1, 2, ...
in row order. A row with only a title is a group heading; a row without a lead is skipped with a
warning. A sheet without the title or lead column raises ``ImportFormatError("bad_columns")``.
"""

from __future__ import annotations

import re

from store.importing.meta import Meta, apply_properties, fill_from_number
from store.importing.parsed import ImportFormatError, ParsedDirective
from store.importing.rows import FIELDS, REQUIRED, header_columns, rows_to_tasks

_MAX_HEADER_ROW = 40
_LABEL = re.compile(r"^\s*([^:]{2,40}?)\s*:\s*(.+)$")
_FIELD_NAMES = {"title": "Tên nhiệm vụ (title)", "lead": "Đơn vị chủ trì (lead)"}


def _find_header(sheet: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(sheet[:_MAX_HEADER_ROW]):
        columns = header_columns(row)
        if all(field in columns for field in REQUIRED):
            return index, columns
    return None


def _missing(sheets: list[list[list[str]]]) -> str:
    """Name the required columns missing from the best header candidate, for the error."""
    best: dict[str, int] = {}
    for sheet in sheets:
        for row in sheet[:_MAX_HEADER_ROW]:
            columns = header_columns(row)
            if len(columns) > len(best):
                best = columns
    missing = [_FIELD_NAMES[f] for f in REQUIRED if f not in best]
    return ", ".join(missing)


def _metadata(rows: list[list[str]]) -> Meta:
    pairs: dict[str, str] = {}
    for row in rows:
        cells = [cell for cell in row if cell.strip()]
        if not cells:
            continue
        match = _LABEL.match(cells[0])
        if match:
            pairs.setdefault(match.group(1), match.group(2))
        elif len(cells) >= 2:
            pairs.setdefault(cells[0], cells[1])
    meta = Meta()
    apply_properties(meta, pairs)
    fill_from_number(meta)
    return meta


def parse_spreadsheet(sheets: list[list[list[str]]]) -> ParsedDirective:
    """Tasks and metadata from spreadsheet rows laid out as the module docstring describes.

    Raises:
        ImportFormatError: ``bad_columns`` without a title and lead column, ``no_tasks`` when
            no row is a task, ``empty`` when there are no rows at all.
    """
    if not any(any(cell.strip() for cell in row) for sheet in sheets for row in sheet):
        raise ImportFormatError("empty", "the spreadsheet has no data")
    warnings: list[str] = []
    for number, sheet in enumerate(sheets):
        found = _find_header(sheet)
        if found is None:
            continue
        index, columns = found
        if any(_find_header(other) for other in sheets[number + 1 :]):
            warnings.append("only the first sheet with a task header was imported")
        meta = _metadata(sheet[:index])
        rows = [
            {f: (row[columns[f]] if columns.get(f, len(row)) < len(row) else "") for f in FIELDS}
            for row in sheet[index + 1 :]
            if any(cell.strip() for cell in row)
        ]
        if "ref" not in columns:
            rows = _number_rows(rows)
        tasks, notes = rows_to_tasks(rows)
        if not tasks:
            raise ImportFormatError("no_tasks", "no row of the spreadsheet has a task and a lead")
        return ParsedDirective(
            number=meta.number,
            doc_type=meta.doc_type,
            issuer=meta.issuer,
            issued_on=meta.issued_on,
            title=meta.title,
            tasks=tasks,
            warnings=warnings + notes,
        )
    raise ImportFormatError("bad_columns", f"missing required column(s): {_missing(sheets)}")


def _number_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Refs 1, 2, ... for a sheet without a TT column; title-only (group) rows get none."""
    count = 0
    out = []
    for row in rows:
        if any(row[f] for f in FIELDS if f not in {"ref", "title"}):
            count += 1
            row = dict(row, ref=str(count))
        out.append(row)
    return out

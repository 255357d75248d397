"""Turn uploaded bytes into text lines (documents) or rows (spreadsheets).

Every reader yields the same flat shape the web captures in ``/work/shared/directives`` have, so
one set of extractors serves all formats:

* plain text: its lines, decoded from UTF-8 (with or without BOM), UTF-16 (with BOM, or
  detected from its NUL bytes), or Windows-1258 as the last resort;
* .docx: paragraphs and tables in document order; a table row is a bare ``|`` line followed by
  one line per cell ending in `` |`` (an empty cell is a bare ``|``) -- exactly how the captures
  flatten tables; a cell's paragraphs are joined on its line (see `_one_line`);
* .csv / .xlsx: rows of cell strings (see `store.importing.tabular` for their layout).

All text is NFC-composed. Failures raise `ImportFormatError` with a machine code.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import TYPE_CHECKING

from store.importing.parsed import ImportFormatError
from store.text import nfc

if TYPE_CHECKING:
    from docx.table import Table, _Cell

#: Uncompressed size allowed inside a .docx/.xlsx per byte of the limit (zip bomb guard).
_INFLATE_FACTOR = 20
_CONTROL_OK = {"\t", "\n", "\r", "\f", "\v"}


@dataclass
class Document:
    """What a reader produced: text lines, or spreadsheet sheets (lists of rows)."""

    kind: str  # "text", "docx" or "table"
    lines: list[str] = field(default_factory=list)
    sheets: list[list[list[str]]] = field(default_factory=list)


def read_document(data: bytes, filename: str, *, max_bytes: int = 10_000_000) -> Document:
    """Read an uploaded file into lines or rows, choosing the reader by content and extension.

    Args:
        data: The file's bytes.
        filename: Its name; only the extension is used, and only to break ties.
        max_bytes: Size limit; larger files raise ``too_large``.

    Raises:
        ImportFormatError: ``empty``, ``too_large``, ``binary``, ``unsupported`` or ``corrupt``.
    """
    if len(data) > max_bytes:
        raise ImportFormatError("too_large", f"file is {len(data)} bytes, limit {max_bytes}")
    if not data.strip():
        raise ImportFormatError("empty", "the file is empty")
    ext = PurePath(filename or "").suffix.lower()
    head = data[:8]
    if head.startswith(b"PK\x03\x04") or ext in {".docx", ".xlsx", ".xlsm"}:
        return _read_zip(data, ext, max_bytes)
    if head.startswith(b"%PDF"):
        raise ImportFormatError("unsupported", "PDF is not supported; upload .docx or .txt")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFormatError(
            "unsupported", "legacy .doc/.xls is not supported; save as .docx or .xlsx"
        )
    if head.startswith(b"{\\rtf"):
        raise ImportFormatError("unsupported", "RTF is not supported; save as .docx")
    text = decode_text(data)
    if ext in {".csv", ".tsv"}:
        return Document(kind="table", sheets=[_csv_rows(text, ext)])
    return Document(kind="text", lines=text.splitlines())


def decode_text(data: bytes) -> str:
    """Decode text bytes: BOMs first, then UTF-16 by its NULs, UTF-8, Windows-1258.

    Raises:
        ImportFormatError: ``binary`` when the bytes are not text in any of these encodings,
            ``empty`` when they decode to white space only.
    """
    text: str | None = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _try(data, "utf-16")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = _try(data, "utf-8-sig")
    elif b"\x00" in data:
        # UTF-16 without a BOM: Vietnamese text is mostly ASCII, so every other byte is NUL.
        sample = data[:4096]
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        # (U+0300, U+1E00 ... have a zero low byte too, so allow a few on the other side.)
        if odd > len(sample) // 4 and even <= odd // 10:
            text = _try(data, "utf-16-le")
        elif even > len(sample) // 4 and odd <= even // 10:
            text = _try(data, "utf-16-be")
    else:
        text = _try(data, "utf-8")
        if text is None:
            # Older Vietnamese Word/Excel exports are Windows-1258 (combining tone marks).
            text = _try(data, "cp1258")
    if text is None or _looks_binary(text):
        raise ImportFormatError("binary", "the file is not text, .docx, .xlsx or .csv")
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise ImportFormatError("empty", "the file has no text")
    return text


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    bad = sum(
        1
        for ch in sample
        if (unicodedata.category(ch) in {"Cc", "Co", "Cs", "Cn"} and ch not in _CONTROL_OK)
        or ch == "\ufffd"
    )
    return bad > max(2, len(sample) // 200)


def _read_zip(data: bytes, ext: str, max_bytes: int) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFormatError("corrupt", f"cannot open the {ext or 'zip'} file: {exc}") from exc
    if inflated > max_bytes * _INFLATE_FACTOR:
        raise ImportFormatError("too_large", f"the archive inflates to {inflated} bytes")
    if "word/document.xml" in names:
        return Document(kind="docx", lines=_docx_lines(data))
    if "xl/workbook.xml" in names:
        return Document(kind="table", sheets=_xlsx_sheets(data))
    raise ImportFormatError("unsupported", "only .docx and .xlsx archives are supported")


def _docx_lines(data: bytes) -> list[str]:
    import docx  # local: python-docx is slow to import and only needed here
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_table_lines(block))
            else:
                lines.extend(block.text.splitlines() or [""])
    except Exception as exc:  # python-docx raises assorted lxml/KeyError/ValueError types
        raise ImportFormatError("corrupt", f"cannot read the .docx file: {exc}") from exc
    return [nfc(line) for line in lines]


def _table_lines(table: Table) -> list[str]:
    """Flatten a python-docx table the way the web captures do (see the module docstring)."""
    lines: list[str] = []
    for row in table.rows:
        lines.append("|")
        cells = [""] * row.grid_cols_before
        previous = None
        for cell in row.cells:
            # A horizontally merged cell is repeated once per grid column: keep its text in
            # the first column only so the column count (and the reader's stride) holds.
            cells.append("" if cell._tc is previous else _cell_text(cell))
            previous = cell._tc
        cells.extend([""] * row.grid_cols_after)
        for text in cells:
            lines.append(f"{_one_line(text)} |".lstrip())
    return lines


def _one_line(text: str) -> str:
    """A cell's paragraphs on one line: a break without punctuation separates list items.

    ``Sở Nội vụ`` / ``Văn phòng UBND tỉnh`` in one cell are two units, so they are joined with
    ``;`` (the unit separator); paragraphs that end a sentence are joined with a space.
    """
    out = ""
    for part in (p.strip() for p in text.splitlines()):
        if not part:
            continue
        if not out:
            out = part
        elif out.endswith((".", ";", ":", ",")):
            out = f"{out} {part}"
        else:
            out = f"{out}; {part}"
    return out


def _cell_text(cell: _Cell) -> str:
    from docx.table import Table

    parts: list[str] = []
    for block in cell.iter_inner_content():
        if isinstance(block, Table):  # nested table: keep its text, one cell per line
            parts.extend(" ".join(c.text for c in r.cells) for r in block.rows)
        else:
            parts.append(block.text)
    return "\n".join(parts)


def _xlsx_sheets(data: bytes) -> list[list[list[str]]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = [
            [[_cell_str(value) for value in row] for row in sheet.iter_rows(values_only=True)]
            for sheet in workbook.worksheets
        ]
        workbook.close()
    except Exception as exc:  # openpyxl raises assorted zip/XML/KeyError types
        raise ImportFormatError("corrupt", f"cannot read the .xlsx file: {exc}") from exc
    return sheets


def _cell_str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        # Spreadsheets store typed dates; write them the way directives do.
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value)).strip()


def _csv_rows(text: str, ext: str) -> list[list[str]]:
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
    except csv.Error:
        dialect = csv.excel_tab if ext == ".tsv" else csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]

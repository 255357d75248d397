"""Turn uploaded bytes into text lines (documents) or rows (spreadsheets).

Every reader yields the flat shape the extractors read, so one set of extractors serves all
formats:

* plain text (`text`): its lines, decoded from UTF-8, UTF-16 or Windows-1258;
* .docx (`docx`): paragraphs with Word's automatic numbering restored, text boxes, tables;
* .pdf (`pdf`): the text layer in reading order with its tables, OCR for scanned pages;
* images (`ocr`): .png/.jpg/.tif through Tesseract's Vietnamese model;
* .html (`html`): a saved legal-document web page, without its navigation;
* .csv / .xlsx (`text`, `sheets`): rows of cell strings (see `store.importing.tabular`).

Tables in documents are pipe rows, one line per row: ``| cell | cell | cell |``, a merged
cell's text repeated in every position it spans, a blank line before and after the table (see
`tables`). All text is NFC-composed; text typed in the legacy TCVN3 or VNI encodings is
converted, by its fonts where the format names them, else by its characters (`legacy`).
Every reader streams and counts what it produces against the caps of `limits` (the import
sandbox sets them); failures raise `ImportFormatError` with a machine code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from store.importing.parsed import ImportFormatError
from store.importing.readers.legacy import fix_lines
from store.importing.readers.limits import ReadLimits, current_limits, use_limits
from store.importing.readers.text import csv_rows, decode_text, text_lines
from store.importing.readers.zipguard import Budget, drain, open_archive

__all__ = [
    "Document",
    "ReadLimits",
    "current_limits",
    "decode_text",
    "read_document",
    "use_limits",
]

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_IMAGE_EXT = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
_HTML_EXT = {".html", ".htm", ".xhtml"}


@dataclass
class Document:
    """What a reader produced: text lines, or spreadsheet sheets (lists of rows)."""

    kind: str  # "text", "docx", "pdf", "html", "image" or "table"
    lines: list[str] = field(default_factory=list)
    sheets: list[list[list[str]]] = field(default_factory=list)


def read_document(data: bytes, filename: str, *, max_bytes: int | None = None) -> Document:
    """Read an uploaded file into lines or rows, choosing the reader by content and extension.

    Args:
        data: The file's bytes.
        filename: Its name; the extension only breaks ties the content leaves open.
        max_bytes: Size limit (default: the `ReadLimits` in force); larger files raise
            ``too_large``.

    Raises:
        ImportFormatError: ``empty``, ``too_large``, ``binary``, ``unsupported``,
            ``legacy_format``, ``corrupt``, ``limit`` or ``ocr_missing``.
    """
    limit = max_bytes if max_bytes is not None else current_limits().max_bytes
    if len(data) > limit:
        raise ImportFormatError("too_large", f"file is {len(data)} bytes, limit {limit}")
    if not data.strip():
        raise ImportFormatError("empty", "the file is empty")
    ext = PurePath(filename or "").suffix.lower()
    head = data[:8]
    # Content first: a Word 97 file renamed .docx is still a Word 97 file.
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFormatError(
            "legacy_format", "Word 97 .doc / Excel 97 .xls: save it as .docx or PDF and resend"
        )
    if head.startswith(b"%PDF") or (ext == ".pdf" and b"%PDF" in data[:1024]):
        from store.importing.readers.pdf import read_pdf

        return Document(kind="pdf", lines=fix_lines(read_pdf(data)))
    if head.startswith(b"PK\x03\x04") or ext in {".docx", ".xlsx", ".xlsm"}:
        return _read_zip(data, ext)
    if head.startswith(b"{\\rtf"):
        raise ImportFormatError("unsupported", "RTF is not supported; save as .docx or PDF")
    if head.startswith(_IMAGE_MAGIC) or ext in _IMAGE_EXT:
        from store.importing.readers.ocr import read_image

        return Document(kind="image", lines=read_image(data))
    if ext in _HTML_EXT or _looks_html(data):
        from store.importing.readers.html import read_html

        return Document(kind="html", lines=fix_lines(read_html(data)))
    if ext in {".csv", ".tsv"}:
        return Document(kind="table", sheets=[csv_rows(data, ext)])
    return Document(kind="text", lines=fix_lines(text_lines(data)))


def _looks_html(data: bytes) -> bool:
    start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _read_zip(data: bytes, ext: str) -> Document:
    archive = open_archive(data, ext)
    budget = Budget(current_limits())
    names = set(archive.namelist())
    if "word/document.xml" in names:
        from store.importing.readers.docx import read_docx

        return Document(kind="docx", lines=fix_lines(read_docx(archive, budget)))
    if "xl/workbook.xml" in names:
        from store.importing.readers.sheets import read_xlsx

        drain(archive, budget)
        return Document(kind="table", sheets=read_xlsx(data))
    raise ImportFormatError("unsupported", "only .docx and .xlsx archives are supported")

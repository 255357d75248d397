"""Directive import: read .txt/.docx/.xlsx/.csv files and extract their tasks as text.

Public API: `extract` (bytes → `ParsedDirective`), `read_document` (bytes → `Document`),
`ImportFormatError` (with a machine `code`), and the result types `ParsedDirective`,
`ParsedTask`. See `store.importing.parsed` for the ref scheme and
`store.importing.tabular` for the spreadsheet layout.
"""

from store.importing.extract import extract
from store.importing.parsed import ImportFormatError, ParsedDirective, ParsedTask
from store.importing.readers import Document, read_document

__all__ = [
    "Document",
    "ImportFormatError",
    "ParsedDirective",
    "ParsedTask",
    "extract",
    "read_document",
]

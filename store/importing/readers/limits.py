"""Caps that bound what a reader may produce, checked while it streams.

A directive is a few pages; a file that claims more is refused as soon as it crosses a cap, with
the cap named in the message (``ImportFormatError("limit", ...)``). The caps in force come from a
context variable so the import sandbox can set them for everything a worker reads without
threading them through every extractor (`use_limits`); outside a worker the defaults apply.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from store.importing.parsed import ImportFormatError


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """What one file may hold; a real directive stays far below every cap."""

    #: Bytes of the uploaded file.
    max_bytes: int = 10_000_000
    #: Bytes decompressed from a .docx/.xlsx archive, counted as they are inflated.
    max_inflated: int = 60_000_000
    #: Paragraphs (text lines) of a document.
    max_paragraphs: int = 20_000
    #: Table rows (all tables, all sheets).
    max_rows: int = 5_000
    #: Table cells (all tables, all sheets).
    max_cells: int = 60_000
    #: Pages of a PDF.
    max_pages: int = 300
    #: Pages (or images) read through OCR.
    max_ocr_pages: int = 20
    #: Pixels of one image (or one rendered page).
    max_pixels: int = 40_000_000
    #: Seconds Tesseract may spend on one page.
    ocr_page_seconds: float = 60.0


_CURRENT: ContextVar[ReadLimits] = ContextVar("read_limits", default=ReadLimits())  # noqa: B039


def current_limits() -> ReadLimits:
    """The caps in force for the reader running now."""
    return _CURRENT.get()


@contextmanager
def use_limits(limits: ReadLimits) -> Iterator[ReadLimits]:
    """Read with `limits` inside the block."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


def over(name: str, cap: int | float, what: str) -> ImportFormatError:
    """The error for crossing cap `name` (``max_rows`` ...); the message names it."""
    return ImportFormatError("limit", f"{what}: more than {cap:,} (limit {name})", limit=name)


def out_of_memory(exc: Exception) -> ImportFormatError | None:
    """The ``max_memory`` refusal when a C parser (libxml2) failed for lack of memory."""
    if "memory" in str(exc).lower():
        return ImportFormatError(
            "limit",
            "reading the file needs more memory than allowed (limit max_memory)",
            limit="max_memory",
        )
    return None


class Tally:
    """Counts paragraphs, rows and cells across one document and refuses past the caps."""

    def __init__(self, limits: ReadLimits | None = None) -> None:
        self.limits = limits or current_limits()
        self.paragraphs = 0
        self.rows = 0
        self.cells = 0

    def paragraph(self, count: int = 1) -> None:
        """Count `count` paragraphs (lines of text)."""
        self.paragraphs += count
        if self.paragraphs > self.limits.max_paragraphs:
            raise over("max_paragraphs", self.limits.max_paragraphs, "too many paragraphs")

    def row(self, cells: int) -> None:
        """Count one table row of `cells` cells."""
        self.rows += 1
        self.cells += cells
        if self.rows > self.limits.max_rows:
            raise over("max_rows", self.limits.max_rows, "too many table rows")
        if self.cells > self.limits.max_cells:
            raise over("max_cells", self.limits.max_cells, "too many table cells")

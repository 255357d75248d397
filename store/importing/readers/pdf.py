"""PDF: the text layer with its tables, or OCR for pages that are scans.

Library: **pdfplumber** (on pdfminer.six, MIT). It is the one well-kept Python PDF library that
gives both words with their positions and ruled-table detection with cell boxes, which is what a
directive's appendix needs (pypdf extracts text only, with no tables; PyMuPDF is AGPL). It ships
pypdfium2 (PDFium's bindings), used here to count pages before parsing, to render scanned pages
for OCR, and -- ten times faster than pdfminer -- for the characters of pages that have no
ruled table (fewer than `_TABLE_PATHS` drawn paths); only pages that may hold a table pay for
pdfplumber's table finder.

Per page, in reading order (top to bottom):

* ruled tables are found and written as pipe rows (`pdf_tables`); a merged cell's text is
  repeated over every grid position its box covers;
* task tables drawn without vertical rules (columns apart by white space only) are found by
  their header and written as pipe rows too (`pdf_unruled`);
* the remaining words become lines; a gap wider than `_COLUMN_GAP` splits a line, so the
  two-column header (``VĂN PHÒNG CHÍNH PHỦ`` | ``CỘNG HÒA ...``, ``Số: ...`` | ``Hà Nội, ngày
  ...``) gives one line per side instead of one mixed line;
* visual lines that wrap a paragraph are joined (see `_join_wrapped`); bare page numbers at the
  top or bottom of a page are dropped;
* text in legacy Vietnamese fonts (TCVN3 ``.VnTime``, VNI ``VNI-Times``) is converted to
  Unicode by the glyphs' font names (`pdf_legacy`);
* a scanned page (one image over half the page, under `_SCAN_TEXT` characters of text: a
  signature stamp may be text) is rendered at 300 dpi and read by OCR (`ocr`).
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from store.importing.parsed import ImportFormatError
from store.importing.readers.limits import Tally, current_limits, over
from store.importing.readers.ocr import check_pixels, ocr_lines, require_ocr
from store.importing.readers.pdf_legacy import fix_chars, fix_words
from store.importing.readers.pdf_tables import table_lines
from store.importing.readers.pdf_unruled import UnruledFinder, UnruledTable
from store.text import nfc

logger = logging.getLogger(__name__)

#: Horizontal gap (points) that separates two columns of one visual line.
_COLUMN_GAP = 36.0
_MARKER = re.compile(
    r"^(?:\d{1,3}(?:\.\d{1,3})*[.)]|[a-zđ]\)|[IVXLC]{1,6}[.)]|[-+•–]\s|Điều\s+\d|Chương\s|Mục\s)"
)
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,4}(?:\s*-)?$|^Trang\s+\d", re.IGNORECASE)
_OCR_DPI = 300
#: Drawn paths from which a page may hold a ruled table (a header's underline is one or two).
_TABLE_PATHS = 4
#: A page this much covered by one image, with fewer characters of text than `_SCAN_TEXT`,
#: is a scan.
_SCAN_COVER = 0.5
_SCAN_TEXT = 200
#: VNI's mark glyphs (the vowel's tone or hat), drawn over the letter before them.
_OVERLAY = frozenset("ùøûõïâáàåãäêéèúüëÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË")


@dataclass(slots=True)
class _Line:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str


class _Plumber:
    """pdfplumber's view of the document, opened on the first page that may hold a table."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pdf: Any = None

    def page(self, index: int) -> Any:
        """Page `index` as a pdfplumber page."""
        if self._pdf is None:
            import pdfplumber

            self._pdf = pdfplumber.open(io.BytesIO(self._data))
        return self._pdf.pages[index]

    def close(self) -> None:
        """Close the document if it was opened."""
        if self._pdf is not None:
            self._pdf.close()


def read_pdf(data: bytes) -> list[str]:
    """The document's lines: paragraphs in reading order, tables as pipe rows."""
    import pypdfium2
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    limits = current_limits()
    pages = _page_count(data)
    if pages > limits.max_pages:
        raise over("max_pages", limits.max_pages, f"the PDF has {pages} pages")
    tally = Tally()
    lines: list[str] = []
    scanned = 0
    document = _open(data)
    plumber = _Plumber(data)
    unruled = UnruledFinder()
    try:
        for index in range(pages):
            page_lines, scan = _read_page(document, plumber, index, tally, unruled)
            if scan:
                unruled.carry = None
                scanned += 1
                if scanned > limits.max_ocr_pages:
                    raise over("max_ocr_pages", limits.max_ocr_pages, "too many scanned pages")
                page_lines = _ocr_page(document, index)
                tally.paragraph(len(page_lines))
            lines.extend(page_lines)
    except (
        pypdfium2.PdfiumError,
        PDFSyntaxError,
        PSException,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
    ) as exc:
        raise ImportFormatError("corrupt", f"cannot read the PDF: {exc}") from exc
    finally:
        plumber.close()
        document.close()
    return [nfc(line) for line in lines]


def _read_page(
    document: Any, plumber: _Plumber, index: int, tally: Tally, finder: UnruledFinder
) -> tuple[list[str], bool]:
    """One page's lines, and whether it is a scan to read through OCR instead.

    A scan is a page mostly covered by an image with (almost) no text of its own: a stamp or
    a signature line may be text on an otherwise scanned page.
    """
    import pypdfium2.raw as pdfium_c

    page = document[index]
    try:
        # (Paths inside form XObjects count too: some producers draw tables there.)
        paths = sum(1 for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,)))
        scan = _image_cover(page, pdfium_c.FPDF_PAGEOBJ_IMAGE) >= _SCAN_COVER
        words = _pdfium_words(page)
        if scan and sum(len(w["text"]) for w in words) < _SCAN_TEXT:
            return [], True
        if paths < _TABLE_PATHS:
            unruled, words = finder.find(words)
            return _text_lines(_visual_lines(words), page.get_height(), unruled, tally), False
    finally:
        page.close()
    plumber_page = plumber.page(index)
    try:
        return _page_lines(plumber_page, tally, finder), False
    finally:
        plumber_page.close()


def _image_cover(page: Any, kind: int) -> float:
    """The largest share of the page one image covers (0 to 1)."""
    width, height = page.get_size()
    cover = 0.0
    for image in page.get_objects(filter=(kind,)):
        left, bottom, right, top = image.get_bounds()
        cover = max(cover, (right - left) * (top - bottom) / max(width * height, 1.0))
    return cover


def _pdfium_words(page: Any) -> list[dict[str, Any]]:
    """Words with their boxes (top-down coordinates, like pdfplumber's) from PDFium."""
    textpage = page.get_textpage()
    height = page.get_height()
    words: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    try:
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if not char or char.isspace() or unicodedata.category(char) == "Cc":
                current = None
                continue
            x0, y0, x1, y1 = textpage.get_charbox(i, loose=True)
            top, bottom = height - y1, height - y0
            joins = current is not None and abs(current["top"] - top) <= 2.5
            # (A VNI mark glyph is drawn over its vowel: it overlaps the word it belongs to.)
            if joins and (
                unicodedata.combining(char)
                or -2.0 <= x0 - current["x1"] <= 1.5
                or (char in _OVERLAY and current["x0"] <= x0 <= current["x1"])
            ):
                current["text"] += char
                current["x1"] = max(current["x1"], x1)
                continue
            current = {"text": char, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "i": i}
            words.append(current)
        fix_words(textpage, words)
    finally:
        textpage.close()
    return words


def _open(data: bytes) -> Any:
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise ImportFormatError("corrupt", f"cannot open the PDF: {exc}") from exc


def _page_count(data: bytes) -> int:
    document = _open(data)
    try:
        return len(document)
    finally:
        document.close()


def _ocr_page(document: Any, index: int) -> list[str]:
    require_ocr()
    page = document[index]
    try:
        width, height = page.get_size()
        scale = _OCR_DPI / 72
        cap = current_limits().max_pixels
        if width * height * scale * scale > cap:  # a poster-sized page: render smaller
            scale = (cap / (width * height)) ** 0.5
        check_pixels(int(width * scale), int(height * scale))
        image = page.render(scale=scale, grayscale=True).to_pil()
    finally:
        page.close()
    return [*ocr_lines(image), ""]


def _page_lines(page: Any, tally: Tally, finder: UnruledFinder) -> list[str]:
    """One page's lines: text outside tables, and each table as pipe rows, by position."""
    fix_chars(page)
    tables = page.find_tables()
    rest = page
    for table in tables:
        rest = rest.outside_bbox(table.bbox)
    words = rest.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5)
    unruled, words = finder.find(words)
    return _text_lines(_visual_lines(words), page.height, [*tables, *unruled], tally)


def _text_lines(text: list[_Line], height: float, tables: list[Any], tally: Tally) -> list[str]:
    """Paragraph lines and tables' pipe rows of one page, top to bottom."""
    text = [line for line in text if not _page_furniture(line, height)]
    tally.paragraph(len(text))
    # Group text lines between tables so each run is joined into paragraphs on its own.
    edges = sorted(t.bbox[1] for t in tables)
    runs: dict[int, list[_Line]] = {}
    for line in text:
        runs.setdefault(sum(1 for edge in edges if edge < line.top), []).append(line)
    blocks: list[tuple[float, list[str]]] = []
    for run in runs.values():
        blocks.append((run[0].top, _join_wrapped(run)))
    for table in tables:
        pipe_rows = (
            table.lines(tally) if isinstance(table, UnruledTable) else table_lines(table, tally)
        )
        blocks.append((table.bbox[1], pipe_rows))
    blocks.sort(key=lambda block: block[0])
    return [line for _top, block in blocks for line in block]


def _visual_lines(words: list[dict[str, Any]]) -> list[_Line]:
    """Lines of words top to bottom, split where a wide gap separates two columns."""
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - word["top"]) <= 2.5:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines: list[_Line] = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        current = [row[0]]
        for word in row[1:]:
            if word["x0"] - current[-1]["x1"] > _COLUMN_GAP:
                lines.append(_line(current))
                current = []
            current.append(word)
        lines.append(_line(current))
    return lines


def _line(words: list[dict[str, Any]]) -> _Line:
    return _Line(
        x0=words[0]["x0"],
        x1=words[-1]["x1"],
        top=min(w["top"] for w in words),
        bottom=max(w["bottom"] for w in words),
        text=" ".join(w["text"] for w in words),
    )


def _page_furniture(line: _Line, height: float) -> bool:
    near_edge = line.top < height * 0.08 or line.bottom > height * 0.92
    return near_edge and bool(_PAGE_NUMBER.match(line.text.strip()))


def _join_wrapped(lines: list[_Line]) -> list[str]:
    """Join visual lines that wrap one paragraph.

    A line continues the previous one when the previous one reached the right margin, the
    gap between them is no more than a line's height, and it neither starts with a list marker
    nor is indented (Vietnamese documents indent a paragraph's first line).
    """
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    out: list[str] = []
    previous: _Line | None = None
    for line in lines:
        height = max(line.bottom - line.top, 1.0)
        joins = (
            previous is not None
            and previous.x1 >= right - max(24.0, (right - left) * 0.06)
            and line.top - previous.bottom <= height * 1.2
            and line.x0 <= left + height * 1.5
            and not _MARKER.match(line.text)
            and not (previous.text.endswith((".", ":", ";")) and line.text[:1].isupper())
        )
        if joins:
            out[-1] = f"{out[-1]} {line.text}"
        else:
            out.append(line.text)
        previous = line
    return out

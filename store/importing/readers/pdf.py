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
* visual lines that wrap a paragraph are joined (see `join_wrapped`); bare page numbers at the
  top or bottom of a page are dropped;
* text in legacy Vietnamese fonts (TCVN3 ``.VnTime``, VNI ``VNI-Times``) is converted to
  Unicode by the glyphs' font names (`pdf_legacy`);
* a scanned page (one image over half the page, under `_SCAN_TEXT` characters of text: a
  signature stamp may be text) is rendered at 300 dpi and read by OCR (`ocr`); so is a scan
  whose hidden text layer is not Vietnamese (a scanner's OCR without the Vietnamese model
  writes ``uY BAN NgAN nAN`` for ``ỦY BAN NHÂN DÂN``: almost no word carries a Vietnamese
  letter, where a real text layer has them in four words of five).
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from typing import Any

from store.importing.parsed import ImportFormatError
from store.importing.readers.limits import Tally, current_limits, over
from store.importing.readers.ocr import check_pixels, ocr_lines, require_ocr
from store.importing.readers.pdf_legacy import fix_chars, fix_words
from store.importing.readers.pdf_lines import (
    Edge,
    Line,
    Page,
    edge,
    join_wrapped,
    joins,
    visual_lines,
)
from store.importing.readers.pdf_tables import table_lines
from store.importing.readers.pdf_unruled import UnruledFinder, UnruledTable
from store.importing.readers.tables import split_row_rest
from store.text import nfc

logger = logging.getLogger(__name__)

_PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,4}(?:\s*-)?$|^Trang\s+\d", re.IGNORECASE)
_OCR_DPI = 300
#: Drawn paths from which a page may hold a ruled table (a header's underline is one or two).
_TABLE_PATHS = 4
#: A page this much covered by one image, with fewer characters of text than `_SCAN_TEXT`,
#: is a scan.
_SCAN_COVER = 0.5
_SCAN_TEXT = 200
#: Under this share of words with a Vietnamese letter (``ă``, ``ơ``, ``đ``, a tone mark), a
#: scan's text layer is no Vietnamese reading of it.
_VIETNAMESE_SHARE = 0.2
_VIETNAMESE = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)
#: VNI's mark glyphs (the vowel's tone or hat), drawn over the letter before them.
_OVERLAY = frozenset("ùøûõïâáàåãäêéèúüëÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË")


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


#: The widest a filled box drawing a table's border is (points); Word draws borders as boxes.
_BORDER_WIDTH = 3.0


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
    tail: Edge | None = None  # what ended the last page with lines
    scanned = 0
    document = _open(data)
    plumber = _Plumber(data)
    unruled = UnruledFinder()
    try:
        for index in range(pages):
            page, scan = _read_page(document, plumber, index, tally, unruled)
            if scan:
                unruled.carry = None
                scanned += 1
                if scanned > limits.max_ocr_pages:
                    raise over("max_ocr_pages", limits.max_ocr_pages, "too many scanned pages")
                page = Page(_ocr_page(document, index))
                tally.paragraph(len(page.lines))
            _join_pages(lines, tail, page)
            lines.extend(page.lines)
            tail = page.tail if page.lines else tail
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


def _join_pages(lines: list[str], tail: Edge | None, page: Page) -> None:
    """Join what a page break split: a paragraph that runs over it, or a table row that goes
    on at the top of the next page (`split_row_rest`)."""
    if tail is None or not lines or not page.lines:
        return
    if tail.line is not None and page.head is not None and page.head.line is not None:
        if joins(
            tail.line, page.head.line, tail.left, tail.right, indents=tail.indents, next_page=True
        ):
            lines[-1] = f"{lines[-1]} {page.lines.pop(0)}"
        return
    if tail.line is None and page.head is not None and page.head.line is None:
        last = max(i for i, line in enumerate(lines) if line or i == 0)
        first = next(i for i, line in enumerate(page.lines) if line or i == len(page.lines) - 1)
        joined = split_row_rest(lines[last], page.lines[first])
        if joined is not None:
            lines[last] = joined
            del page.lines[first]


def _read_page(
    document: Any, plumber: _Plumber, index: int, tally: Tally, finder: UnruledFinder
) -> tuple[Page, bool]:
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
        if scan and (sum(len(w["text"]) for w in words) < _SCAN_TEXT or _not_vietnamese(words)):
            return Page([]), True
        if paths < _TABLE_PATHS:
            unruled, words = finder.find(words)
            return _text_lines(visual_lines(words), page.get_height(), unruled, tally), False
    finally:
        page.close()
    plumber_page = plumber.page(index)
    try:
        return _page_lines(plumber_page, tally, finder), False
    finally:
        plumber_page.close()


def _not_vietnamese(words: list[dict[str, Any]]) -> bool:
    """Whether a scan's text layer is a reading without Vietnamese letters (see above)."""
    texts = [w["text"] for w in words if any(ch.isalpha() for ch in w["text"])]
    marked = sum(1 for text in texts if _VIETNAMESE.search(text))
    return len(texts) >= 20 and marked < _VIETNAMESE_SHARE * len(texts)


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
            # (Glyphs of one line share their boxes' bottom; a letter with stacked marks
            # rises above its neighbours' tops.)
            joins = current is not None and abs(current["bottom"] - bottom) <= 2.5
            # (A VNI mark glyph is drawn over its vowel: it overlaps the word it belongs to.)
            if joins and (
                unicodedata.combining(char)
                or -2.0 <= x0 - current["x1"] <= 1.5
                or (char in _OVERLAY and current["x0"] <= x0 <= current["x1"])
            ):
                current["text"] += char
                current["x1"] = max(current["x1"], x1)
                current["top"] = max(current["top"], top)
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
    lines = ocr_lines(image)
    # A page number alone on the first or last line of the page (the text layer's furniture).
    while lines and _PAGE_NUMBER.match(lines[0].strip()):
        del lines[0]
    while lines and _PAGE_NUMBER.match(lines[-1].strip()):
        del lines[-1]
    return [*lines, ""]


def _page_lines(page: Any, tally: Tally, finder: UnruledFinder) -> Page:
    """One page's lines: text outside tables, and each table as pipe rows, by position."""
    fix_chars(page)
    tables = page.filter(_not_shading).find_tables()
    rest = page
    for table in tables:
        # (strict=False: a table drawn past the page edge, as a too wide one may be, is read
        # like any other instead of failing the whole file.)
        rest = rest.outside_bbox(table.bbox, strict=False)
    words = rest.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5)
    unruled, words = finder.find(words)
    return _text_lines(visual_lines(words), page.height, [*tables, *unruled], tally)


def _not_shading(obj: dict[str, Any]) -> bool:
    """Borders are lines and thin boxes; a filled box as tall as a line of text is shading
    (highlighted or shaded paragraphs, which Word draws line by line) and rules no table."""
    if obj.get("object_type") != "rect" or obj.get("stroke") or not obj.get("fill"):
        return True
    return min(obj["width"], obj["height"]) <= _BORDER_WIDTH


def _text_lines(text: list[Line], height: float, tables: list[Any], tally: Tally) -> Page:
    """Paragraph lines and tables' pipe rows of one page, top to bottom."""
    text = [line for line in text if not _page_furniture(line, height)]
    tally.paragraph(len(text))
    # Group text lines between tables so each run is joined into paragraphs on its own.
    edges = sorted(t.bbox[1] for t in tables)
    runs: dict[int, list[Line]] = {}
    for line in text:
        runs.setdefault(sum(1 for edge in edges if edge < line.top), []).append(line)
    blocks: list[tuple[float, list[str], list[Line]]] = []
    for run in runs.values():
        blocks.append((run[0].top, join_wrapped(run), run))
    for table in tables:
        pipe_rows = (
            table.lines(tally) if isinstance(table, UnruledTable) else table_lines(table, tally)
        )
        blocks.append((table.bbox[1], pipe_rows, []))
    blocks.sort(key=lambda block: block[0])
    page = Page([line for _top, block, _run in blocks for line in block])
    if blocks:
        page.head = edge(blocks[0][2], blocks[0][2][0] if blocks[0][2] else None)
        page.tail = edge(blocks[-1][2], blocks[-1][2][-1] if blocks[-1][2] else None)
    return page


def _page_furniture(line: Line, height: float) -> bool:
    near_edge = line.top < height * 0.08 or line.bottom > height * 0.92
    return near_edge and bool(_PAGE_NUMBER.match(line.text.strip()))

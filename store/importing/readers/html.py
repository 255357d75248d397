"""HTML pages saved from a legal-document website (thuvienphapluat.vn, vbpl.vn ...).

Parsed with lxml's HTML parser (already installed with python-docx; forgiving with the
malformed markup these sites serve). Scripts, styles, forms and navigation are dropped; when
the page marks its main content (``<main>``, ``<article>`` or a known content container of
these sites) only that is read. Block elements end lines, ``<br>`` breaks them; ordered and
unordered lists get their markers back (``a)``, ``1.``, ``-``); data tables become pipe rows with
``colspan``/``rowspan`` repeated (`tables`), while a one-column table -- a page laid out in a
table -- is read as ordinary blocks.
"""

from __future__ import annotations

import re

from lxml import etree, html

from store.importing.parsed import ImportFormatError
from store.importing.readers.limits import Tally
from store.importing.readers.numbering import format_number
from store.importing.readers.tables import Grid, one_line
from store.text import nfc

_DROP = {
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "svg", "button", "select", "input", "textarea", "head", "title", "meta", "link",
    "object", "embed", "canvas", "map", "dialog",
}  # fmt: skip
_BLOCK = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
    "ol", "dl", "dt", "dd", "blockquote", "pre", "center", "address", "figure", "figcaption",
    "hr", "body", "html", "caption", "tr",
}  # fmt: skip
#: ids/classes of page chrome on these sites (menus, breadcrumbs, share bars, related links).
_CHROME = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumbs?|footer|sidebar|banner|ads?|advert\w*|share|"
    r"social|comments?|login|search|popup|modal|cookie|related|tool-?bar)(?:$|[-_\s])",
    re.IGNORECASE,
)
#: Containers that hold the document's text on the common legal-document sites.
_CONTENT = (
    "//*[@id='divContentDoc']", "//*[contains(@class,'content1')]",
    "//*[@id='toanvancontent']", "//*[contains(@class,'fulltext')]", "//main", "//article",
)  # fmt: skip
_MAX_SPAN = 64
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def read_html(data: bytes) -> list[str]:
    """The page's text lines in reading order, tables as pipe rows."""
    text = _decode(data)
    try:
        root = html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ImportFormatError("corrupt", f"cannot read the HTML page: {exc}") from exc
    content = root
    for query in _CONTENT:
        found = root.xpath(query)
        if found and len(found[0].text_content().strip()) > 200:
            content = found[0]
            break
    writer = _Writer(Tally())
    try:
        writer.walk(content)
    except RecursionError as exc:
        raise ImportFormatError("corrupt", "the HTML page is nested too deeply") from exc
    writer.flush()
    return [nfc(line) for line in writer.lines]


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    declared = _META_CHARSET.search(data[:4096])
    encodings = [declared.group(1).decode("ascii", "replace")] if declared else []
    for encoding in [*encodings, "utf-8", "cp1258"]:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", "replace")


def _is_chrome(el: etree._Element) -> bool:
    marks = f"{el.get('id', '')} {el.get('class', '')} {el.get('role', '')}"
    return (bool(marks.strip()) and bool(_CHROME.search(marks))) or el.get("role") == "navigation"


class _Writer:
    """Walks the tree, collecting text into lines."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.lines: list[str] = []
        self._buffer: list[str] = []

    def text(self, value: str | None) -> None:
        """Add inline text to the current line."""
        if value:
            self._buffer.append(value)

    def flush(self) -> None:
        """End the current line (nothing when it is empty)."""
        line = " ".join("".join(self._buffer).split())
        self._buffer = []
        if line:
            self.tally.paragraph()
            self.lines.append(line)

    def walk(self, el: etree._Element, marker: str = "") -> None:
        """Write element `el` and its children (not its tail)."""
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in _DROP or _is_chrome(el):
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table":
            self.flush()
            self._table(el)
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        self.text(f"{marker} " if marker else "")
        self.text(el.text)
        counter = _list_counter(el)
        for child in el:
            self.walk(child, next(counter) if counter and child.tag == "li" else "")
            self.text(child.tail)
        if block:
            self.flush()

    def _table(self, table: etree._Element) -> None:
        rows = [tr for tr in table.iter("tr") if _owner(tr) is table]
        width = max((len([c for c in tr if c.tag in ("td", "th")]) for tr in rows), default=0)
        nested = any(_owner(t) is table for t in table.iter("table") if t is not table)
        if width <= 1 or nested:  # layout table: its cells are ordinary blocks
            for tr in rows:
                for cell in tr:
                    if cell.tag in ("td", "th"):
                        self.walk_cell(cell)
            return
        grid = Grid()
        for index, tr in enumerate(rows):
            cells = [c for c in tr if c.tag in ("td", "th")]
            self.tally.row(len(cells))
            for cell in cells:
                grid.add(
                    index,
                    _cell_text(cell, self.tally),
                    _span(cell, "colspan"),
                    _span(cell, "rowspan"),
                )
        self.lines.extend(grid.lines())

    def walk_cell(self, cell: etree._Element) -> None:
        """A layout cell: its contents as blocks."""
        self.flush()
        self.text(cell.text)
        for child in cell:
            self.walk(child)
            self.text(child.tail)
        self.flush()


def _owner(el: etree._Element) -> etree._Element | None:
    """The nearest table above `el`."""
    parent = el.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _span(cell: etree._Element, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1")), _MAX_SPAN))
    except ValueError:
        return 1


def _cell_text(cell: etree._Element, tally: Tally) -> str:
    writer = _Writer(tally)
    writer.walk_cell(cell)
    return one_line("\n".join(writer.lines))


def _list_counter(el: etree._Element):
    if el.tag == "ul":
        return iter(lambda: "-", None)
    if el.tag != "ol":
        return None
    kind = el.get("type", "1")
    try:
        start = int(el.get("start", "1"))
    except ValueError:
        start = 1
    fmt = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}
    closing = ")" if kind in ("a", "A") else "."

    def markers():
        n = start
        while True:
            yield format_number(n, fmt.get(kind, "decimal")) + closing
            n += 1

    return markers()

"""Word .docx: paragraphs and tables in document order, streamed from ``word/document.xml``.

The XML is parsed incrementally (lxml ``iterparse``) from a member stream whose inflated bytes are
counted (see `zipguard`), and each body paragraph or table is dropped from the tree once it is
turned into lines, so memory follows the largest table, not the document. Paragraphs and rows
are counted against the caps as they are parsed (see `limits`).

* A paragraph's Word automatic numbering comes back as its marker (``a)``, ``1.``, ``-``; see
  `numbering`), followed by its text; line breaks inside it split it into lines.
* A run in a TCVN3 (``.VnTime``) or VNI (``VNI-Times``) font is converted to Unicode (see
  `docx_fonts`).
* Text boxes (a header's ``Số: ...`` is often one) are read as lines of their own; the fallback
  copy Word writes for old readers (``mc:Fallback``) is skipped, as is deleted text.
* A table becomes pipe rows (see `tables`): ``gridSpan`` repeats a cell across the columns it
  spans, ``vMerge`` repeats the cell above down the rows it spans, ``gridBefore``/``gridAfter``
  give empty cells. A nested table's rows are joined into its cell's text.
"""

from __future__ import annotations

import zipfile

from lxml import etree

from store.importing.parsed import ImportFormatError
from store.importing.readers.docx_fonts import DocxFonts
from store.importing.readers.limits import Tally, out_of_memory
from store.importing.readers.numbering import Numbering, W, _int, _val
from store.importing.readers.tables import one_line, table_lines
from store.importing.readers.zipguard import Budget, open_member, read_member
from store.text import nfc

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TEXT_TAGS = {f"{W}t": None, f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n"}
_TEXT_TAGS |= {f"{W}noBreakHyphen": "-", f"{W}softHyphen": ""}
#: Subtrees that are not the document's current text: the fallback copy of drawings for old
#: readers, and tracked deletions and move sources.
_SKIP = {_MC_FALLBACK, f"{W}del", f"{W}moveFrom"}
#: Columns a cell may claim to span (a hostile ``gridSpan`` would otherwise pad rows forever).
_MAX_SPAN = 64
#: The document's fonts and a paragraph's own font (None inside a run: already converted).
_RunFont = tuple[DocxFonts, str | None] | None


def read_docx(archive: zipfile.ZipFile, budget: Budget) -> list[str]:
    """The document's lines: numbered paragraphs, text boxes and pipe-row tables."""
    styles = read_member(archive, "word/styles.xml", budget)
    numbering = Numbering(read_member(archive, "word/numbering.xml", budget), styles)
    numbering.fonts = DocxFonts(styles)
    tally = Tally()
    lines: list[str] = []
    stream = open_member(archive, "word/document.xml", budget)
    events = etree.iterparse(
        stream,
        events=("end",),
        tag=(f"{W}p", f"{W}tr", f"{W}tbl"),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        for _event, elem in events:
            tag = elem.tag
            if tag == f"{W}tr":
                tally.row(len(elem.findall(f"{W}tc")))
                continue
            if tag == f"{W}p":
                tally.paragraph()
            if _inside(elem, f"{W}tbl") or _inside(elem, f"{W}p"):
                continue  # read with the table or paragraph that holds it
            if tag == f"{W}p":
                lines.extend(_paragraph_lines(elem, numbering))
            else:
                lines.extend(table_lines(_table_rows(elem, numbering, tally)))
            _forget(elem)
    except etree.XMLSyntaxError as exc:
        raise out_of_memory(exc) or ImportFormatError(
            "corrupt", f"cannot read the .docx text: {exc}"
        ) from exc
    finally:
        stream.close()
    return [nfc(line) for line in lines]


def _inside(elem: etree._Element, tag: str) -> bool:
    parent = elem.getparent()
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _forget(elem: etree._Element) -> None:
    """Drop a finished block and everything before it from the tree being built."""
    elem.clear(keep_tail=False)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def _walk_text(
    node: etree._Element, out: list[str], boxes: list[etree._Element], font: _RunFont
) -> None:
    for child in node:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == f"{W}p":
            boxes.append(child)  # a paragraph inside a text box: its own line(s)
            continue
        if tag in _TEXT_TAGS:
            fixed = _TEXT_TAGS[tag]
            out.append(child.text or "" if fixed is None else fixed)
            continue
        if tag == f"{W}r" and font is not None:
            # A run typed in a TCVN3 / VNI font is converted as a whole (VNI's marks follow
            # their vowel within the run).
            run: list[str] = []
            _walk_text(child, run, boxes, None)
            out.append(font[0].run_text(child, "".join(run), font[1]))
            continue
        _walk_text(child, out, boxes, font)


def _paragraph_text(p: etree._Element, numbering: Numbering) -> tuple[str, list[etree._Element]]:
    parts: list[str] = []
    boxes: list[etree._Element] = []
    label = numbering.paragraph_label(p)
    fonts = numbering.fonts
    _walk_text(p, parts, boxes, (fonts, fonts.paragraph_font(p)) if fonts else None)
    text = "".join(parts)
    if label and text.strip():
        text = f"{label} {text.lstrip()}"
    elif label:
        text = label
    return text, boxes


def _paragraph_lines(p: etree._Element, numbering: Numbering) -> list[str]:
    text, boxes = _paragraph_text(p, numbering)
    lines: list[str] = []
    for box in boxes:
        lines.extend(_paragraph_lines(box, numbering))
    lines.extend(text.split("\n"))
    return lines


def _cell_text(tc: etree._Element, numbering: Numbering, tally: Tally) -> str:
    parts: list[str] = []
    for child in tc:
        if child.tag == f"{W}p":
            parts.extend(_paragraph_lines(child, numbering))
        elif child.tag == f"{W}tbl":
            parts.extend(" ".join(row) for row in _table_rows(child, numbering, tally))
        elif child.tag == f"{W}sdt":  # content control wrapping paragraphs
            for p in child.iter(f"{W}p"):
                parts.extend(_paragraph_lines(p, numbering))
    return one_line("\n".join(parts))


def _span(tc: etree._Element) -> int:
    return max(1, min(_int(_val(tc.find(f"{W}tcPr/{W}gridSpan")), 1), _MAX_SPAN))


def _table_rows(tbl: etree._Element, numbering: Numbering, tally: Tally) -> list[list[str]]:
    """The table's rows as cell texts, merged cells repeated over their grid positions."""
    rows: list[list[str]] = []
    above: list[str] = []
    for tr in tbl.iter(f"{W}tr"):
        if tr.getparent() is not tbl and tr.getparent().getparent() is not tbl:
            continue  # a row of a nested table (rows may sit in a content control)
        before = min(_int(_val(tr.find(f"{W}trPr/{W}gridBefore")), 0), _MAX_SPAN)
        cells = [""] * before
        for tc in tr.iter(f"{W}tc"):
            if tc.getparent() is not tr and tc.getparent().getparent() is not tr:
                continue
            tcpr = tc.find(f"{W}tcPr")
            v_merge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
            h_merge = tcpr.find(f"{W}hMerge") if tcpr is not None else None
            col = len(cells)
            if v_merge is not None and _val(v_merge, "continue") != "restart":
                text = above[col] if col < len(above) else ""
            elif h_merge is not None and _val(h_merge, "continue") != "restart" and cells:
                text = cells[-1]
            else:
                text = _cell_text(tc, numbering, tally)
            cells.extend([text] * _span(tc))
        after = min(_int(_val(tr.find(f"{W}trPr/{W}gridAfter")), 0), _MAX_SPAN)
        cells.extend([""] * after)
        rows.append(cells)
        above = cells
    return rows

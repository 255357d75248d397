"""The visual lines of a PDF page and the paragraphs they wrap.

Words become visual lines (a wide gap splits a line into the two columns of a header); lines
that wrap one paragraph are joined (`joins`): the line above reached the right margin, the gap
is no more than a line's height, and the line is neither indented nor opens a list marker. A
`Page` keeps what opens and ends it (`Edge`) so a paragraph or a table row cut by a page break
can be joined again (`store.importing.readers.pdf`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: Horizontal gap (points) that separates two columns of one visual line.
_COLUMN_GAP = 36.0
_MARKER = re.compile(
    r"^(?:\d{1,3}(?:\.\d{1,3})*[.)]|[a-zđ]\)|[IVXLC]{1,6}[.)]|[-+•–]\s|Điều\s+\d|Chương\s|Mục\s)"
)
#: A dash that opens a wrapped line inside a phrase (``- xã hội``, ``- 2030``), not a bullet.
_DASH_WRAP = re.compile(r"^[-–]\s+[a-zđà-ỹ0-9]")
_CLAUSE_END = (".", ":", ";", "!", "?")


@dataclass(slots=True)
class Line:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str


def rows_by_top(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words or glyphs grouped into visual rows (bottoms within 2.5 pt), top to bottom, each
    left to right.

    Rows are told by their boxes' bottoms: a glyph's box may rise with its marks (PDFium's
    box of ``ể`` or ``Ủ`` starts 3 pt above its neighbours'), while its bottom stays on the
    line's."""
    rows: list[list[dict[str, Any]]] = []
    for item in sorted(items, key=lambda w: (round(w["bottom"]), w["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - item["bottom"]) <= 2.5:
            rows[-1].append(item)
        else:
            rows.append([item])
    for row in rows:
        row.sort(key=lambda w: w["x0"])
    return rows


def visual_lines(words: list[dict[str, Any]]) -> list[Line]:
    """Lines of words top to bottom, split where a wide gap separates two columns."""
    lines: list[Line] = []
    for row in rows_by_top(words):
        current = [row[0]]
        for word in row[1:]:
            if word["x0"] - current[-1]["x1"] > _COLUMN_GAP:
                lines.append(_line(current))
                current = []
            current.append(word)
        lines.append(_line(current))
    return lines


def _line(words: list[dict[str, Any]]) -> Line:
    return Line(
        x0=words[0]["x0"],
        x1=words[-1]["x1"],
        top=min(w["top"] for w in words),
        bottom=max(w["bottom"] for w in words),
        text=" ".join(w["text"] for w in words),
    )


def join_wrapped(lines: list[Line]) -> list[str]:
    """Join visual lines that wrap one paragraph (see `joins`)."""
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    indents = _indents(lines, left)
    out: list[str] = []
    previous: Line | None = None
    for line in lines:
        if previous is not None and joins(previous, line, left, right, indents=indents):
            out[-1] = f"{out[-1]} {line.text}"
        else:
            out.append(line.text)
        previous = line
    return out


def _indented(line: Line, left: float) -> bool:
    return line.x0 > left + max(line.bottom - line.top, 1.0) * 1.5


def _indents(lines: list[Line], left: float) -> bool:
    """Whether the paragraphs of these lines start indented: then a line at the margin after
    a full line goes on with the paragraph even after a full stop."""
    return sum(1 for line in lines if _indented(line, left)) >= 2


def joins(
    previous: Line,
    line: Line,
    left: float,
    right: float,
    *,
    indents: bool = False,
    next_page: bool = False,
) -> bool:
    """Whether `line` continues the paragraph of `previous` (the line above, or the last line
    of the page before: `next_page`).

    It does when the previous line reached the right margin, the gap between them is no more
    than a line's height (on one page), and the line neither starts with a list marker nor is
    indented (Vietnamese documents indent a paragraph's first line). Where paragraphs are not
    indented (`indents` False), a capital after a full stop starts a paragraph too. A line
    that opens with a
    dash then a lower-case word or a digit after a full line that ends no clause is the rest
    of ``kinh tế - xã hội`` or ``2025 - 2030`` wrapped at its dash, not a bullet.
    """
    height = max(line.bottom - line.top, 1.0)
    wrapped_dash = bool(_DASH_WRAP.match(line.text)) and not previous.text.endswith(_CLAUSE_END)
    return (
        previous.x1 >= right - max(24.0, (right - left) * 0.06)
        and (next_page or line.top - previous.bottom <= height * 1.2)
        and not _indented(line, left)
        and (wrapped_dash or not _MARKER.match(line.text))
        and (indents or not (previous.text.endswith((".", ":", ";")) and line.text[:1].isupper()))
    )


@dataclass(slots=True)
class Edge:
    """What opens or ends a page: a text line, with the left and right margins of its run,
    or a table (`line` None)."""

    line: Line | None
    left: float = 0.0
    right: float = 0.0
    indents: bool = False


def edge(run: list[Line], line: Line | None) -> Edge:
    if line is None:
        return Edge(None)
    left = min(x.x0 for x in run)
    return Edge(line, left, max(x.x1 for x in run), _indents(run, left))


@dataclass(slots=True)
class Page:
    """A page's lines, and what opens and ends it (None: nothing, a scanned page)."""

    lines: list[str]
    head: Edge | None = None
    tail: Edge | None = None

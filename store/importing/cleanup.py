"""Strip what web captures add around a directive's text.

The example captures (``/work/shared/directives``) show the kinds of noise handled here:

* passages repeated verbatim: 230/QĐ-VPCP and 35-TB/TGV carry their opening (header table,
  preamble, first sections) twice, the second copy running on further than the first;
* footnote markers ``[1]`` in the text and the footnote bodies ``[1] Nghị định số ...`` at the
  end; photo captions (``Ảnh minh họa``);
* the site's furniture after the article: ``Tin bài khác`` followed by unrelated news (tb171),
  ``Đăng xuất`` / ``Việc làm Hồ Chí Minh`` after the document (qd230, tb35).
"""

from __future__ import annotations

import re

from store.text import fold, nfc

_FOOTNOTE_MARK = re.compile(r"\[\d{1,3}\]")
_FOOTNOTE_BODY = re.compile(r"^\[\d{1,3}\]\s")
_INVISIBLE = str.maketrans({"\u00a0": " ", "\u200b": None, "\ufeff": None, "\u2009": " "})
_SPACES = re.compile(r"[ \t]+")
#: A line that opens a list item (``a)``, ``(1)``, ``2.``, ``-``, ``+``, ``II.``).
LIST_MARKER = re.compile(r"^(?:[a-zđ]{1,2}\)|\(\d+\)|\d+(?:\.\d+)*[.)]|[-+•–*]\s?|[IVXLC]+[.)])")

#: Folded lines at which the article ends and the website's own content begins.
_TAIL_MARKERS = (
    "tin bai khac",
    "tin lien quan",
    "bai viet lien quan",
    "tin cung chuyen muc",
    "cac tin khac",
    "xem them",
    "dang xuat",
    "doc tiep",
    "tin moi nhat",
)
#: Lines that are page furniture wherever they occur.
_FURNITURE = ("anh minh hoa", "anh minh hoa:", "chia se", "in bai viet")

#: A repeated passage must be at least this long (characters and lines) to be dropped, so a
#: task legitimately repeated for two units (one paragraph) is never lost.
_MIN_REPEAT_CHARS = 200
_MIN_REPEAT_LINES = 3
_LONG_LINE = 40


def clean_lines(lines: list[str]) -> list[str]:
    """Return the document's lines without repeats, footnotes, captions and trailing news."""
    out: list[str] = []
    for raw in lines:
        line = _SPACES.sub(" ", nfc(raw).translate(_INVISIBLE)).strip()
        folded = fold(line) if len(line) < 40 else ""  # markers and furniture are short
        if folded in _TAIL_MARKERS:
            break
        caption = "ảnh minh họa:" in line.lower() or "ảnh minh hoạ:" in line.lower()
        if _FOOTNOTE_BODY.match(line) or folded in _FURNITURE or caption:
            continue
        out.append(_FOOTNOTE_MARK.sub("", line).strip() if "[" in line else line)
    return drop_repeated_passages(out)


def drop_repeated_passages(lines: list[str]) -> list[str]:
    """Drop every later copy of a passage that already occurred earlier in the text.

    A passage is a run of consecutive identical lines anchored on a long line (short lines
    such as ``|`` or ``Thường xuyên |`` repeat legitimately in tables); the run is extended
    backwards over short lines too, so the repeated header block before the repeated preamble
    goes with it.
    """
    first: dict[str, int] = {}
    drop = [False] * len(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        j = first.get(line)
        if j is None or len(line) < _LONG_LINE or drop[i]:
            first.setdefault(line, i)
            i += 1
            continue
        forward = 0
        while (
            i + forward < len(lines)
            and j + forward < i
            and lines[j + forward] == lines[i + forward]
        ):
            forward += 1
        back = 0
        while (
            j - back - 1 >= 0
            and i - back - 1 > j + forward - 1
            and not drop[i - back - 1]
            and lines[j - back - 1] == lines[i - back - 1]
        ):
            back += 1
        start, end = i - back, i + forward
        run = lines[start:end]
        if len(run) >= _MIN_REPEAT_LINES and sum(map(len, run)) >= _MIN_REPEAT_CHARS:
            for k in range(start, end):
                drop[k] = True
            i = end
        else:
            i += 1
    return [line for line, dropped in zip(lines, drop, strict=True) if not dropped]


def is_cell_line(line: str) -> bool:
    """Whether a line is (the end of) a flattened table cell: ``|`` or ``... |``."""
    return line == "|" or line.endswith(" |") or line.startswith("| ")


def paragraphs(lines: list[str]) -> list[str]:
    """Prose paragraphs: non-empty non-table lines, hard-wrapped lines re-joined.

    Captures keep one paragraph per line; a line that does not end a sentence and is followed by
    a line starting in lower case was wrapped (text pasted from a PDF), so the two are joined.
    """
    out: list[str] = []
    for line in lines:
        if not line or is_cell_line(line):
            continue
        if (
            out
            and line[0].islower()
            and not LIST_MARKER.match(line)
            and not out[-1].endswith((".", ";", ":", "!", "?"))
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out

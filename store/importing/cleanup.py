"""Strip what web captures add around a directive's text.

The example captures (``/work/shared/directives``) show the kinds of noise handled here:

* passages repeated verbatim: 230/QĐ-VPCP and 35-TB/TGV carry their opening (header table,
  preamble, first sections) twice, the second copy running on further than the first;
* footnote markers ``[1]`` in the text and the footnote bodies ``[1] Nghị định số ...`` at the
  end; photo captions (``Ảnh minh họa``);
* the site's furniture after the article: ``Tin bài khác`` followed by unrelated news (tb171),
  ``Đăng xuất`` / ``Việc làm Hồ Chí Minh`` after the document (qd230, tb35);
* Markdown emphasis of pages saved as Markdown (``**THỦ TƯỚNG**``, ``*(Phụ lục I kèm theo)*``,
  ``# heading``), and the block of footnote bodies that ends such pages (``[1] 07`` ...).
"""

from __future__ import annotations

import re
from statistics import median

from store.importing.wraps import LIST_MARKER, continues, name_pairs, wrap_width
from store.text import fold, nfc

_FOOTNOTE_MARK = re.compile(r"\[\d{1,3}\]")
_FOOTNOTE_BODY = re.compile(r"^\[\d{1,3}\]\s")
_PAGE_BREAK = re.compile(r"^-*\s*PAGE BREAK\s*-*$|^-{3,}$", re.IGNORECASE)
_FIRST_FOOTNOTE = re.compile(r"^\[1\](?:\s|$)")
_EMPHASIS = re.compile(r"\*{1,3}|(?<!\w)_{2}|_{2}(?!\w)")
_HEADING = re.compile(r"^#{1,6}\s*")
_BOLD_WRAP = 3  # lines a wrapped bold span may run over
_BOLD_HEAD = 80  # ... from a line no longer than a heading's first line
#: The line's last ``**`` opens a span: it ends the line or text follows it at once.
_OPENS_BOLD = re.compile(r"\*\*(?:$|[^\s*][^*]*$)")
_INVISIBLE = str.maketrans({"\u00a0": " ", "\u200b": None, "\ufeff": None, "\u2009": " "})
_SPACES = re.compile(r"[ \t]+")

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
    "van ban lien quan",
)
#: Lines that are page furniture wherever they occur.
_FURNITURE = ("anh minh hoa", "anh minh hoa:", "chia se", "in bai viet")

#: A repeated passage must be at least this long (characters and lines) to be dropped, so a
#: task legitimately repeated for two units (one paragraph) is never lost.
_MIN_REPEAT_CHARS = 200
_MIN_REPEAT_LINES = 3
_LONG_LINE = 40
_ITEM_START = re.compile(r"^(?:[a-zđ]\)|\d{1,2}[.)]|[-+]\s)")


def strip_markup(line: str) -> str:
    """Drop Markdown emphasis and heading marks; a ``* item`` bullet becomes ``- item``."""
    if line.startswith("* ") and not line.startswith("* *"):
        line = "- " + line[2:]
    elif line.startswith(("_ ", "~ ")):
        line = "- " + line[2:]  # a dash as OCR reads it
    line = _HEADING.sub("", line)
    if "*" in line or "__" in line:
        line = _EMPHASIS.sub("", line)
    return _SPACES.sub(" ", line).strip()


#: The last line of a website's summary of the document, placed before its full text
#: (``Xem chi tiết nội dung tại Công điện 227/CĐ-TTg ngày 23/11/2025.``).
_SUMMARY_END = re.compile(r"^[\W_]*Xem chi tiết(?: nội dung)?(?: tại)? (?=\w)", re.IGNORECASE)


def drop_page_summary(lines: list[str]) -> list[str]:
    """Drop a legal website's summary that restates the document's items before its text.

    The summary runs from the page's title heading (``## ...``) or the end of its metadata
    table (a ``|`` line) to ``Xem chi tiết tại <document>``; its bullets would read as the
    document's items a second time. When no signed text follows the marker, the page quoted
    the items themselves: they stay, and the page's other answers after the marker go."""
    for end, raw in enumerate(lines):
        if not _SUMMARY_END.match(raw.strip()) or len(raw) > 200:
            continue
        if not any(_signed_header(line) for line in lines[end + 1 :]):
            # An article quoting the text, with nothing of the document after it: what
            # follows is the site's other answers (the law's principles ...), not the text.
            return lines[:end] + _answers_on(lines[end + 1 :], raw)
        for start in range(end - 1, -1, -1):
            text = lines[start].strip()
            if text.startswith("#") or text == "|":
                first = start if text.startswith("#") else start + 1
                return lines[:first] + lines[end + 1 :]
        break
    return lines


#: A question heading of a Q&A page (``**Nội dung chỉ đạo ... theo Công điện 159?**``).
_QUESTION = re.compile(r"^[*#\s]*\S.{5,200}\?[*\s]*$")
_CITED_NUMBER = re.compile(r"\b(\d{1,5})/[A-ZĐ]")


def _answers_on(lines: list[str], marker: str) -> list[str]:
    """The sections of a Q&A page after its ``Xem chi tiết`` marker whose question names the
    document the marker cites (they quote more of it); the other answers are dropped."""
    number = _CITED_NUMBER.search(marker)
    kept: list[str] = []
    keep = False
    for line in lines:
        if _QUESTION.match(line.strip()):
            keep = number is not None and re.search(rf"\b{number.group(1)}\b", line) is not None
        if keep:
            kept.append(line)
    return kept


#: The signed text's own header: the national motto, or its number line.
_SIGNED_HEADER = re.compile(r"Độc lập\s*[-–]\s*Tự do|^\W*Số\s*(?:hiệu)?\s*:", re.IGNORECASE)


def _signed_header(line: str) -> bool:
    """The motto, the number line or the issuer in capitals (``THỦ TƯỚNG CHÍNH PHỦ``)."""
    text = line.strip(" *#|")
    issuer = text.isupper() and len(text.split()) >= 2 and len(text) <= 60
    return issuer or bool(_SIGNED_HEADER.search(text))


def join_bold_wraps(lines: list[str]) -> list[str]:
    """Join an item's line that opens a bold span (``**``) without closing it to the lines that
    close it: a capture wrapped a bold heading (``**2. Cục`` / ``Xuất bản, In và Phát
    hành**``). At most `_BOLD_WRAP` lines are joined, to a short first line that opens with an
    item's marker, never over another marker; a line whose odd ``**`` closes a span
    (``thực hiện** (danh mục ...``) opens none."""
    out: list[str] = []
    joined = -1  # lines joined to the open span, -1 when none is open
    for raw in lines:
        stripped = raw.strip()
        if 0 <= joined < _BOLD_WRAP and stripped and not LIST_MARKER.match(stripped.lstrip("*")):
            out[-1] = f"{out[-1].rstrip()} {stripped}"
            joined += 1
        else:
            out.append(raw)
            joined = 0
        line = out[-1].rstrip()
        if (
            line.count("**") % 2 == 0
            or not _OPENS_BOLD.search(line)
            or len(line) > _BOLD_HEAD
            or not LIST_MARKER.match(line.lstrip("* "))
        ):
            joined = -1
    return out


#: The text of a digital signature's stamp (``Người ký: ... / Email: ... / Cơ quan: ... /
#: Thời gian ký: 12.10.2021 14:52:05 +07:00``), which signed PDFs carry in their text layer,
#: wherever the stamp was placed on the page.
_STAMP_FIELD = re.compile(r"^(?:Người ký|Ký bởi|Email|E-mail|Cơ quan|Thời gian ký|Ngày ký)\s*:")
_STAMP_TIME = re.compile(r"^(?:Thời gian ký|Ngày ký)\s*:|^Email\s*:")


def drop_signature_stamps(lines: list[str]) -> list[str]:
    """Lines without the runs of a signature stamp's fields (two or more, one of them its
    time or e-mail: a lone ``Cơ quan:`` field of a letter stays)."""
    drop: set[int] = set()
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and _STAMP_FIELD.match(lines[end].strip()):
            end += 1
        run = range(start, end)
        if len(run) >= 2 and any(_STAMP_TIME.match(lines[i].strip()) for i in run):
            drop.update(run)
        start = end + 1 if end > start else start + 1
    return [line for i, line in enumerate(lines) if i not in drop]


def clean_lines(lines: list[str]) -> list[str]:
    """Return the document's lines without repeats, footnotes, captions and trailing news."""
    out: list[str] = []
    lines = join_bold_wraps(drop_page_summary(drop_signature_stamps(lines)))
    for position, raw in enumerate(lines):
        line = strip_markup(_SPACES.sub(" ", nfc(raw).translate(_INVISIBLE)).strip())
        folded = fold(line) if len(line) < 40 else ""  # markers and furniture are short
        if folded in _TAIL_MARKERS:
            break
        if _FIRST_FOOTNOTE.match(line) and position > len(lines) // 2:
            break  # the footnote bodies at the end of the page, and whatever follows them
        caption = "ảnh minh họa:" in line.lower() or "ảnh minh hoạ:" in line.lower()
        if (
            _FOOTNOTE_BODY.match(line)
            or folded in _FURNITURE
            or caption
            or _PAGE_BREAK.match(line)
        ):
            continue
        out.append(_FOOTNOTE_MARK.sub("", line).strip() if "[" in line else line)
        if raw.lstrip().startswith("#") and line:
            out.append("")  # a Markdown heading is a paragraph of its own
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
        # The same item under two headings (``3.1. Góp ý ...: a) Nghị định X - Cơ quan chủ
        # trì: ...`` then ``3.2. Triển khai ...: a) Nghị định X ...``): a run that opens with
        # an item marker after a line unlike the first copy's (where extending it back
        # stopped) is work listed twice, kept.
        opening = next((line for line in run if line.strip()), "")
        parallel = _ITEM_START.match(opening) is not None
        if (
            not parallel
            and len(run) >= _MIN_REPEAT_LINES
            and sum(map(len, run)) >= _MIN_REPEAT_CHARS
        ):
            for k in range(start, end):
                drop[k] = True
            i = end
        else:
            i += 1
    return [line for line, dropped in zip(lines, drop, strict=True) if not dropped]


def is_cell_line(line: str) -> bool:
    """Whether a line is (the end of) a flattened table cell: ``|`` or ``... |``."""
    return line == "|" or line.endswith(" |") or line.startswith("| ")


#: Where a paragraph always ends whatever the wrapping: after the closing mark of a document's
#: body (``./.``, Nghị định 30/2020/NĐ-CP) and before the recipients block (``Nơi nhận:``).
_BODY_END = re.compile(r"\./\.\s*$")
_RECIPIENTS_START = re.compile(r"^N[ơo]i nh[ậa]n\s*:", re.IGNORECASE)


_ADDRESS_LINE = re.compile(r"^\W*(?:Kính gửi|Đồng kính gửi)\s*:")


def _hard_break(previous: str, line: str) -> bool:
    """Whether `line` starts a new paragraph whatever the wrapping says."""
    return bool(
        _BODY_END.search(previous) or _RECIPIENTS_START.match(line) or _ADDRESS_LINE.match(line)
    )


#: The median line length beyond which lines are paragraphs, not a wrapped text's lines.
_PARAGRAPH_LINE = 150


def _blank_separated(lines: list[str]) -> bool:
    """Whether blank lines separate paragraphs whose lines are wrapped (text from a PDF)."""
    text = [i for i, line in enumerate(lines) if line]
    if len(text) < 10 or median(len(lines[i]) for i in text) > _PARAGRAPH_LINE:
        return False  # lines already a paragraph each (an OCR or PDF reader joined them)
    followed = sum(1 for i in text if i + 1 < len(lines) and lines[i + 1])
    blanks = sum(1 for line in lines if not line)
    return blanks >= len(text) * 0.1 and followed >= len(text) * 0.3


def paragraphs(lines: list[str], skip: set[int] | None = None) -> list[str]:
    """Prose paragraphs: non-empty non-table lines, hard-wrapped lines re-joined.

    Captures keep one paragraph per line, but text copied from a PDF or saved from some
    websites wraps its lines. Where blank lines separate paragraphs, the lines between them
    are one paragraph (unless a line opens a list item); otherwise a line that does not end a
    sentence is joined with the next one when that one starts in lower case or with a digit,
    follows a comma or a connecting word, or when the line reaches (close to) the width the
    text was wrapped at.

    Args:
        lines: Cleaned lines.
        skip: Indexes of lines to leave out (table cells, `store.importing.tables`).
    """
    kept: list[str] = []
    blocks = _blank_separated(lines)
    for index, line in enumerate(lines):
        if not line:
            if blocks and kept and kept[-1]:
                kept.append("")  # a paragraph break
            continue
        if not is_cell_line(line) and not (skip and index in skip):
            kept.append(line)
    width = wrap_width([line for line in kept if line])
    names = name_pairs(kept)
    out: list[str] = []
    broken = True
    last = ""
    for line in kept:
        if not line:
            broken = True
            continue
        joined = blocks and not LIST_MARKER.match(line)
        bare_marker = bool(out) and LIST_MARKER.fullmatch(out[-1].strip()) is not None
        if (
            out
            and not _hard_break(out[-1], line)
            and (
                bare_marker
                or (not broken and (joined or continues(out[-1], line, width, last, names)))
            )
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        broken, last = False, line
    return _unglue_all(out)


_GLUED_MARKER = re.compile(r"\s(\d{1,2}\.\d{1,2}\.)(?:\s+(?=[A-ZĐÀ-Ỹ])|$)")


def _unglue_markers(paragraph: str) -> list[str]:
    """``... tiến bộ 1.1. Tổ chức nghiên cứu`` → two paragraphs: a capture glued the item
    number of the next paragraph to the end of the previous one."""
    parts: list[str] = []
    start = 0
    for match in _GLUED_MARKER.finditer(paragraph):
        parts.append(paragraph[start : match.start()].strip())
        start = match.start(1)
    parts.append(paragraph[start:].strip())
    return [part for part in parts if part]


_HEADING_THEN_NUMBER = re.compile(r"^(.{4,}?)\s+(\d{1,2}\.)$")


def _heading_then_number(paragraph: str) -> re.Match[str] | None:
    """A heading in capitals that ends with the number of the next item."""
    match = _HEADING_THEN_NUMBER.match(paragraph)
    heading = match.group(1) if match else ""
    return match if heading.isupper() and len(heading) < 120 else None


def _unglue_all(paragraphs: list[str]) -> list[str]:
    out: list[str] = []
    carry = ""
    for paragraph in paragraphs:
        parts = _unglue_markers(paragraph)
        if carry and parts:
            parts[0] = f"{carry} {parts[0]}"
            carry = ""
        if parts and _GLUED_MARKER.fullmatch(" " + parts[-1]):
            carry = parts.pop()  # the number of the next paragraph
        elif parts and (head := _heading_then_number(parts[-1])):
            # "III. TỔ CHỨC THỰC HIỆN 1." then "Các sở, ban, ngành ...": the heading's line
            # took the number of the paragraph after it.
            parts[-1], carry = head.group(1), head.group(2)
        out.extend(parts)
    return out + ([carry] if carry else [])

"""A directive's number, type, issuer, date and title, from wherever the capture put them.

Sources, most reliable first (all seen in ``/work/shared/directives``):

* the property table of a legal-database page: ``| Số hiệu | 230/QĐ-VPCP |``,
  ``| Ngày ban hành | 14/05/2025 |``, ``| Loại văn bản | Quyết định |``,
  ``| Cơ quan ban hành | Văn phòng Chính phủ |``;
* the document's own header: ``Số: 230/QĐ-VPCP``, ``Số 35-TB/TGV``,
  ``Hà Nội, ngày 14 tháng 5 năm 2025``;
* a news article's lead: ``Văn phòng Chính phủ vừa có Thông báo số 56/TB-VPCP ngày
  23/02/2025 ...``, or the capture's ``date 2025-10-13`` stamp.

Type and issuer fall back on the number's codes (``TB`` → Thông báo, ``VPCP`` → Văn phòng Chính
phủ).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from store.importing.cleanup import is_cell_line
from store.text import fold

# Captures put spaces around the slash (``9387 /UBND-KT``); `_compact` takes them out again.
NUMBER = (
    r"\d{1,5}(?:/\d{4})?\s?[/-]\s?[A-ZĐ][A-Za-zĐđ&]*"
    r"(?:\s?[-/]\s?[A-ZĐ][A-Za-zĐđ0-9&.]*[A-Za-zĐđ0-9])+"
)
_NUMBER_RE = re.compile(rf"(?<![\w/-])({NUMBER})")
_DOC_TYPES = (
    "Quyết định", "Thông báo", "Chỉ thị", "Kế hoạch", "Nghị quyết", "Công điện", "Công văn",
    "Nghị định", "Thông tư", "Báo cáo", "Tờ trình", "Chương trình",
)  # fmt: skip
_TYPE_CODES = {
    "QĐ": "Quyết định", "TB": "Thông báo", "CT": "Chỉ thị", "KH": "Kế hoạch",
    "NQ": "Nghị quyết", "CĐ": "Công điện", "NĐ": "Nghị định", "TT": "Thông tư",
    "BC": "Báo cáo", "TTr": "Tờ trình", "KHPH": "Kế hoạch",
}  # fmt: skip
_ISSUER_CODES = {
    "VPCP": "Văn phòng Chính phủ", "TTg": "Thủ tướng Chính phủ", "CP": "Chính phủ",
    "BCĐTW": "Ban Chỉ đạo Trung ương", "VPTW": "Văn phòng Trung ương Đảng",
    "TGV": "Tổ Giúp việc Ban Chỉ đạo Trung ương", "BCA": "Bộ Công an", "BTC": "Bộ Tài chính",
}  # fmt: skip
_PROPERTY = re.compile(r"^\|\s*([^|]+?)\s*\|\s*([^|]*?)\s*\|?$")
_HEADER_NUMBER = re.compile(rf"(?<!\w)Số(?:\s+hiệu)?\s*:?\s*({NUMBER})")
_FRONT_MATTER = re.compile(r"^([a-z_]{2,30}):\s*\"?(.*?)\"?\s*$")
_INLINE_PAIR = re.compile(r"^\s*([^:|]{2,40}?)\s*:\s*(\S[^|]*?)\s*$")
_HEADER_LINES = 250
_PLACE_DATE = re.compile(
    r"(?:^|\s)[^\W\d][^,|:;]{1,40},\s*ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})",
    re.IGNORECASE,
)
#: A draft's date line with the day (and maybe the month) left blank for the signature:
#: ``Lâm Đồng, ngày    tháng 01 năm 2026``, ``ngày ... tháng ... năm 2026``.
_BLANK_DATE = re.compile(
    r"(?:^|\s)[^\W\d][^,|:;]{1,40},\s*ngày[\s.…_]*tháng[\s.…_]*(\d{1,2})?[\s.…_]*năm\s*(\d{4})",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"(\d{1,2})\s?/\s?(\d{1,2})\s?/\s?(\d{4})")
_WORDS = re.compile(r"(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})")
_STAMP = re.compile(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})\s*")
_TITLE_LIMIT = 1000
_NEWS_ISSUER = re.compile(
    r"^(.{3,60}?)\s+vừa\s+(?:có|ban hành|ra)\s+(?:" + "|".join(_DOC_TYPES) + ")",
    re.IGNORECASE,
)


@dataclass
class Meta:
    """Directive metadata as found; every field may be missing."""

    number: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    issued_on: date | None = None
    title: str = ""
    #: A draft's month (``ngày   tháng 01 năm 2026`` → 1 January 2026) when no issue date is
    #: written: year-less deadlines are read against it.
    reference_on: date | None = None


def make_date(day: str | int, month: str | int, year: str | int) -> date | None:
    """A date from its parts, or None when they do not make one."""
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """``14/05/2025``, ``14 tháng 5 năm 2025`` or ``2025-05-14`` → date."""
    text = text.strip()
    iso = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        return make_date(iso.group(3), iso.group(2), iso.group(1))
    match = _NUMERIC.search(text) or _WORDS.search(text)
    return make_date(*match.groups()) if match else None


def apply_properties(meta: Meta, pairs: dict[str, str]) -> None:
    """Fill `meta` from ``label → value`` pairs (property tables, spreadsheet header rows)."""
    for label, value in pairs.items():
        key, value = fold(label).replace("_", " ").rstrip(" :"), value.strip().strip('"')
        if not value:
            continue
        if key in {"so hieu", "so", "number", "so van ban", "ky hieu"} and not meta.number:
            found = re.search(NUMBER, value)
            meta.number = _compact(found.group(0)) if found else None
        elif key in {"ngay ban hanh", "issued", "issued on", "date", "ngay", "ngay ky"}:
            meta.issued_on = meta.issued_on or parse_date(value)
        elif key in {"loai van ban", "type", "doc type", "loai", "the loai"} and not meta.doc_type:
            meta.doc_type = value
        elif key in {"co quan ban hanh", "issuer", "noi ban hanh"} and not meta.issuer:
            meta.issuer = value
        elif key in {"trich yeu", "title", "ten van ban", "tieu de"} and not meta.title:
            meta.title = value


def _compact(number: str) -> str:
    """``9387 /UBND-KT`` → ``9387/UBND-KT``."""
    return re.sub(r"\s+", "", number)


def _pairs(lines: list[str]) -> dict[str, str]:
    """``label → value`` pairs wherever a capture keeps them: property tables (``| Số hiệu |
    230/QĐ-VPCP |``), front matter (``so_hieu: "5-TB/ĐU"``), inline pairs (``Số hiệu:
    5-TB/ĐU | Ngày ban hành: ...``) and a label line with its value a few lines below
    (``Số hiệu:`` / ``|`` / ``220/CĐ-TTg``)."""
    pairs: dict[str, str] = {}
    for index, line in enumerate(lines[:_HEADER_LINES]):
        match = _PROPERTY.match(line)
        if match and match.group(2) and ":" not in match.group(1):
            pairs.setdefault(match.group(1), match.group(2))
            continue
        front = _FRONT_MATTER.match(line)
        if front and front.group(2):
            pairs.setdefault(front.group(1), front.group(2))
            continue
        if line.endswith(":") and len(line) <= 40:
            value = next((v for v in lines[index + 1 : index + 4] if v and v != "|"), "")
            if value and not value.endswith(":"):
                pairs.setdefault(line[:-1], value.rstrip(" |"))
            continue
        for piece in line.split("|"):
            inline = _INLINE_PAIR.match(piece)
            if inline and fold(inline.group(1)) in {"so hieu", "ngay ban hanh", "loai van ban"}:
                pairs.setdefault(inline.group(1), inline.group(2))
    return pairs


def extract_meta(lines: list[str]) -> Meta:
    """Find a directive's metadata in its (cleaned) lines."""
    meta = Meta()
    apply_properties(meta, _pairs(lines))
    text_lines = [line for line in lines if line and not _PROPERTY.match(line)]
    # Header tables (``| Số: 230/QĐ-VPCP | Hà Nội, ngày ... |``) are read as text too.
    header = " ".join(
        line.replace("|", " ").strip() for line in lines[:_HEADER_LINES] if line.strip(" |")
    )
    number = _HEADER_NUMBER.search(header)
    if number and not meta.number:
        meta.number = _compact(number.group(1))
    place = _PLACE_DATE.search(header)
    if place and not meta.issued_on:
        meta.issued_on = make_date(*place.groups())
    blank = _BLANK_DATE.search(header) if not place else None
    if blank:
        meta.reference_on = make_date(1, blank.group(1) or 1, blank.group(2))
    _from_lead(meta, text_lines[:12])
    fill_from_number(meta)
    if not meta.issuer:
        meta.issuer = _issuing_body(text_lines)
    if not meta.title:
        meta.title = _title(text_lines)
    return meta


_NATIONAL_MOTTO = re.compile(r"^CỘNG\s*HÒA|^CỘNG$|^Độc lập", re.IGNORECASE)


def _issuing_body(lines: list[str]) -> str | None:
    """The body named in capitals at the top left of a signed document (``BỘ TƯ PHÁP``)."""
    block: list[str] = []
    for line in lines[:40]:
        text = line.rstrip(" |").strip(" -")
        if not text:
            continue
        if _NATIONAL_MOTTO.match(text):
            break
        if text.isupper() and len(text) < 80:
            block.append(text)
        elif block:
            block = []
    if not block:
        return None
    name = " ".join(block).strip()
    return name[:1] + name[1:].lower()


def _from_lead(meta: Meta, lines: list[str]) -> None:
    """News leads and title lines: ``... vừa có Thông báo số 56/TB-VPCP ngày 23/02/2025``.

    A draft (its own date line left blank) cites other documents' dates: they are not its own.
    """
    for raw in lines:
        stamp = _STAMP.match(raw)
        line = raw[stamp.end() :] if stamp else raw
        if stamp and not (meta.issued_on or meta.reference_on):
            meta.issued_on = make_date(stamp.group(3), stamp.group(2), stamp.group(1))
        kinds = "|".join(_DOC_TYPES)
        cited = re.search(
            rf"({kinds})(?: kết luận)?\s+(?:số\s+)?({NUMBER})"
            r"(?:\s*,?\s*ngày\s+([\d/ thángnăm]+))?",
            line,
            re.IGNORECASE,
        )
        if cited and not meta.number:
            meta.number = cited.group(2)
            meta.doc_type = meta.doc_type or cited.group(1).capitalize()
            if cited.group(3) and not (meta.issued_on or meta.reference_on):
                meta.issued_on = parse_date(cited.group(3))
        news = _NEWS_ISSUER.search(line)
        if news and not meta.issuer:
            meta.issuer = news.group(1).strip()
            if not meta.doc_type:
                kind = re.search(kinds, line[news.end(1) :], re.IGNORECASE)
                meta.doc_type = kind.group(0).capitalize() if kind else None


def fill_from_number(meta: Meta) -> None:
    """Missing type and issuer from the number's codes (``12/KH-UBND`` → Kế hoạch; a number
    without a type code, ``10989/BNV-TCBC``, is a Công văn)."""
    if meta.doc_type and meta.doc_type.isupper():
        meta.doc_type = meta.doc_type.capitalize()  # "THÔNG BÁO" from a property list
    if not meta.number:
        return
    codes = re.split(r"[-/]", meta.number)[1:]
    for code in codes:
        if not meta.doc_type and code in _TYPE_CODES:
            meta.doc_type = _TYPE_CODES[code]
    if not meta.doc_type and codes and not re.fullmatch(r"\d{4}", codes[0]):
        meta.doc_type = "Công văn"
    if not meta.issuer and codes and codes[-1] in _ISSUER_CODES:
        meta.issuer = _ISSUER_CODES[codes[-1]]


def _title(lines: list[str]) -> str:
    """The document's title.

    A signed document puts its type in capitals over its subject (``QUYẾT ĐỊNH`` / ``Về việc
    ban hành Kế hoạch ...``); a web page or article starts with a title line. Otherwise the
    first line of several words that is not a table cell.
    """
    types = {fold(t) for t in _DOC_TYPES}
    for index, line in enumerate(lines[:_HEADER_LINES]):
        if line.isupper() and fold(line) in types and index + 1 < len(lines):
            subject = lines[index + 1].rstrip(" |")
            if subject and not subject.isupper():
                return f"{line.capitalize()} {subject}"[:_TITLE_LIMIT]
    for line in lines[:10]:
        stamp = _STAMP.match(line)
        line = line[stamp.end() :] if stamp else line
        if is_cell_line(line) or len(line.split()) < 4:
            continue
        # The page title names the whole document; keep it whole (the limit only guards junk).
        return line[:_TITLE_LIMIT]
    return ""

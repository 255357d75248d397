"""Parts of a document that give no tasks, dropped before it is read: tables of criteria or
indicators, and an appendix's lists and descriptions of administrative procedures."""

from __future__ import annotations

import re

#: ``BẢNG TIÊU CHÍ ĐÁNH GIÁ, XẾP LOẠI``, ``BỘ CHỈ TIÊU ...``: a part that scores or measures
#: (labelling rules: targets and indicator tables are no tasks), up to the next title.
_SCORING = re.compile(
    r"^\W*(?:(?:BẢNG|BỘ|HỆ THỐNG)\s+(?:TIÊU CHÍ|CHỈ TIÊU|THANG ĐIỂM|ĐIỂM)|THANG ĐIỂM"
    # "THANG" / "ĐIỂM THI ĐUA PHONG TRÀO ...": a title wrapped after its first word
    r"|ĐIỂM (?:THI ĐUA|CHẤM|ĐÁNH GIÁ))\b"
)

_PROCEDURES = re.compile(
    r"^\W*(?:PHẦN\s+[IVX]+\W*|[A-H]\.\s+)?(?:DANH MỤC (?:CÁC )?THỦ TỤC"
    r"|NỘI DUNG CỤ THỂ CỦA (?:TỪNG |CÁC )?THỦ TỤC|QUY TRÌNH NỘI BỘ|THỦ TỤC HÀNH CHÍNH"
    # "PHÂN CẤP THỦ TỤC HÀNH CHÍNH LĨNH VỰC ...": procedures as a resolution now sets them
    r"|(?:PHÂN CẤP|PHÂN QUYỀN|ĐƠN GIẢN HÓA|ĐƠN GIẢN HOÁ|CẮT GIẢM)\b.{0,40}THỦ TỤC)"
)

_APPENDIX = re.compile(r"^PHỤ LỤC(?:\s+(?:SỐ\s*)?[0-9IVXLA-Z.]{1,8})?\s*$")

_PART_TITLE = re.compile(
    r"^(?:PHỤ LỤC|KẾ HOẠCH|QUYẾT ĐỊNH|QUY CHẾ|DANH MỤC|DANH SÁCH|CHƯƠNG TRÌNH"
    r"|THÔNG BÁO|NGHỊ QUYẾT|CHỈ THỊ|NHIỆM VỤ|GIẢI PHÁP|TỔ CHỨC THỰC HIỆN|[IVX]{1,4}[.\s]"
    r"|[A-H]\.\s+DANH MỤC)"
)


def without_scoring_parts(lines: list[str]) -> list[str]:
    """The lines without the parts a title in capitals opens as a table of criteria or
    indicators (``BẢNG TIÊU CHÍ ĐÁNH GIÁ, XẾP LOẠI``), up to the next title in capitals: what
    they list is scored or measured, not work given (labelling rules: indicator tables); nor,
    in an appendix, the parts that list or describe administrative procedures (``PHẦN I. DANH
    MỤC THỦ TỤC HÀNH CHÍNH``, ``NỘI DUNG CỤ THỂ CỦA TỪNG THỦ TỤC``): their steps and the
    agencies that receive the dossiers are standing rules."""
    out: list[str] = []
    scoring = title = appendix = False
    for line in lines:
        text = line.strip(" *|")
        capitals = len(text) >= 4 and text == text.upper() and any(ch.isalpha() for ch in text)
        opens = bool(_APPENDIX.match(text.upper()))  # "PHỤ LỤC", "Phụ lục III" alone on a line
        appendix = appendix or opens
        if capitals and (_SCORING.match(text) or (appendix and _PROCEDURES.match(text))):
            scoring = True
        elif (capitals or opens) and not title and _PART_TITLE.match(text.upper()):
            scoring = False  # the next part (a title may run over several lines in capitals)
        title = capitals or (title and not text)
        if not scoring:
            out.append(line)
    return out

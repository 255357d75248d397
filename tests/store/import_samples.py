"""Directive files generated at test time: PDFs (text and scanned), images, .docx, HTML.

Shared by the reader tests, the hostile-input suite and `tests/bench/bench_import_files.py`.
Fonts come from Debian's ``fonts-dejavu-core`` (a Unicode TTF for Vietnamese).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

HEADER = [
    ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("TỈNH LÀO CAI", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 125/KH-UBND", "Lào Cai, ngày 12 tháng 3 năm 2025"),
]
TITLE = ["KẾ HOẠCH", "Triển khai chuyển đổi số năm 2025"]
ITEMS = [
    "1. Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Tài chính xây dựng nền tảng dữ liệu "
    "dùng chung của tỉnh, hoàn thành trước ngày 30 tháng 6 năm 2025.",
    "2. Sở Nội vụ chủ trì rà soát thủ tục hành chính nội bộ, hoàn thành trong tháng 9/2025.",
    "3. Các sở, ban, ngành:",
    "a) Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính; thời gian thực hiện: thường xuyên.",
    "b) Báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ trước ngày 15 tháng 12 năm 2025.",
    "đ) Phối hợp với Công an tỉnh triển khai định danh điện tử trong Quý III/2025.",
]
TABLE = [
    ["TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"],
    ["1", "Nâng cấp trung tâm dữ liệu", "Sở Khoa học và Công nghệ", "Sở Tài chính", "Quý IV/2025"],
    ["2", "Đào tạo kỹ năng số", "Sở Nội vụ", "Các sở, ngành", "Tháng 10/2025"],
]


def pdf_page(size: int = 10) -> Any:
    """An fpdf2 document with the DejaVu fonts (regular, bold) and one page begun."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("dejavu", "", str(FONT))
    pdf.add_font("dejavu", "B", str(FONT_BOLD))
    pdf.add_page()
    pdf.set_font("dejavu", "", size)
    return pdf


def text_pdf(pages: int = 1, *, table: bool = True) -> bytes:
    """A text-layer PDF: header, title, numbered and lettered items on every page, and a ruled
    table (the appendix) on the last page."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("dejavu", "", str(FONT))
    pdf.add_font("dejavu", "B", str(FONT_BOLD))
    pdf.set_auto_page_break(True, margin=20)
    for number in range(pages):
        pdf.add_page()
        pdf.set_font("dejavu", "B" if number == 0 else "", 11)
        if number == 0:
            for left, right in HEADER:
                pdf.cell(80, 6, left, align="C")
                pdf.cell(0, 6, right, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
            for line in TITLE:
                pdf.cell(0, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("dejavu", "", 11)
        for item in ITEMS:
            pdf.multi_cell(0, 6, item, new_x="LMARGIN", new_y="NEXT")
        if table and number == pages - 1:  # the appendix table, on the last page
            pdf.ln(3)
            with pdf.table(col_widths=(10, 60, 45, 40, 25), text_align="LEFT") as grid:
                for values in TABLE:
                    row = grid.row()
                    for value in values:
                        row.cell(value)
            pdf.ln(3)
        for _ in range(6):  # filler paragraphs so a page looks like a page
            pdf.multi_cell(
                0,
                6,
                "Các cơ quan, đơn vị căn cứ chức năng, nhiệm vụ được giao tổ chức triển khai "
                "thực hiện nghiêm túc, hiệu quả các nội dung của Kế hoạch này; định kỳ báo cáo "
                "kết quả thực hiện theo quy định.",
                new_x="LMARGIN",
                new_y="NEXT",
            )
    return bytes(pdf.output())


def page_image(lines: list[str] | None = None, *, scale: float = 1.0) -> Image.Image:
    """An A4 page at 200 dpi (PIL image) with `lines` typeset in DejaVu Sans, like a scan."""
    from PIL import ImageDraw, ImageFont

    lines = lines or [left for left, _right in HEADER] + TITLE + ITEMS[:2]
    width, height = int(1654 * scale), int(2339 * scale)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), int(34 * scale))
    y = int(150 * scale)
    for line in lines:
        words, current = line.split(), ""
        for word in words:  # wrap at the right margin
            trial = f"{current} {word}".strip()
            if draw.textlength(trial, font=font) > width - 300 * scale:
                draw.text((150 * scale, y), current, font=font, fill=0)
                y += int(52 * scale)
                current = word
            else:
                current = trial
        draw.text((150 * scale, y), current, font=font, fill=0)
        y += int(70 * scale)
    return image


def png(image: Image.Image) -> bytes:
    """The image as PNG bytes."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def scanned_pdf(pages: int = 1) -> bytes:
    """A PDF whose pages are images only (no text layer)."""
    image = page_image().convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=200, save_all=True, append_images=[image] * (pages - 1))
    return buffer.getvalue()

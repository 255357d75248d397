"""Directives typed in the legacy TCVN3 (ABC) and VNI encodings come out in Unicode.

The fixtures are typed by hand from the code charts (TCVN 5712:1993 VN3, VNI for Windows), the
way such files' text layers read: TCVN3 ``Bé Tµi chÝnh``, VNI ``Boä Taøi chính``. PDFs use
DejaVu renamed to the legacy font names (`_font`), so their glyph fonts are named ``.VnTime``,
``.VnTimeH`` or ``VNI-Times`` as in the real files; their ``ư`` is ``-``, as PDF text layers give
TCVN3's soft-hyphen byte.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import docx
import pytest

from store.importing import extract, read_document
from store.importing.readers import legacy
from tests.store import import_samples as samples

UNICODE = [
    "UỶ BAN NHÂN DÂN",
    "TỈNH LÀO CAI",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 45/KH-UBND",
    "Lào Cai, ngày 12 tháng 3 năm 2009",
    "KẾ HOẠCH",
    "Triển khai công tác quản lý tài chính năm 2009",
    "1. Sở Tài chính chủ trì, phối hợp với Sở Nội vụ xây dựng quy chế quản lý tài sản công, "
    "hoàn thành trước ngày 30 tháng 6 năm 2009.",
    "2. Sở Xây dựng chủ trì rà soát quy hoạch, hoàn thành trong tháng 9/2009.",
]
#: (uppercase font?, text) typed in TCVN3; ``ư`` is written ``\u00ad`` (its byte, 0xAD).
TCVN3 = [
    (True, "Uû BAN NH©N D©N"),
    (True, "TØNH LµO CAI"),
    (True, "CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM"),
    (False, "§éc lËp - Tù do - H¹nh phóc"),
    (False, "Sè: 45/KH-UBND"),
    (False, "Lµo Cai, ngµy 12 th¸ng 3 n¨m 2009"),
    (True, "KÕ HO¹CH"),
    (False, "TriÓn khai c«ng t¸c qu¶n lý tµi chÝnh n¨m 2009"),
    (
        False,
        "1. Së Tµi chÝnh chñ tr×, phèi hîp víi Së Néi vô x©y dùng quy chÕ qu¶n lý tµi s¶n c«ng, "
        "hoµn thµnh tr\u00adíc ngµy 30 th¸ng 6 n¨m 2009.",
    ),
    (False, "2. Së X©y dùng chñ tr× rµ so¸t quy ho¹ch, hoµn thµnh trong th¸ng 9/2009."),
]
VNI = [
    "UYÛ BAN NHAÂN DAÂN",
    "TÆNH LAØO CAI",
    "COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM",
    "Ñoäc laäp - Töï do - Haïnh phuùc",
    "Soá: 45/KH-UBND",
    "Laøo Cai, ngaøy 12 thaùng 3 naêm 2009",
    "KEÁ HOAÏCH",
    "Trieån khai coâng taùc quaûn lyù taøi chính naêm 2009",
    "1. Sôû Taøi chính chuû trì, phoái hôïp vôùi Sôû Noäi vuï xaây döïng quy cheá quaûn lyù taøi "
    "saûn coâng, hoaøn thaønh tröôùc ngaøy 30 thaùng 6 naêm 2009.",
    "2. Sôû Xaây döïng chuû trì raø soaùt quy hoaïch, hoaøn thaønh trong thaùng 9/2009.",
]
#: Ordinary Unicode Vietnamese, with words whose letters a legacy chart also has.
PLAIN = [
    "Điều 1. Bộ Tài chính chủ trì, phối hợp với Bộ Nội vụ trình Chính phủ trong Quý III/2025.",
    "Quý IV: Bộ Xây dựng báo cáo; Có thể áp dụng mẫu số 2.",
    "Điều 2. Bộ Tư pháp thẩm định, hoàn thành trước ngày 30 tháng 6 năm 2025.",
]


def _font(directory: Path, name: str) -> Path:
    """DejaVu Sans under another font name (the PDF's BaseFont becomes ``MPDFAA+<name>``)."""
    from fontTools.ttLib import TTFont

    path = directory / f"{name.strip('.')}.ttf"
    if not path.exists():
        font = TTFont(str(samples.FONT))
        table = font["name"]
        table.names = [r for r in table.names if r.nameID not in {1, 2, 4, 6, 16, 17, 21, 22}]
        for name_id in (1, 4, 6):
            table.setName(name, name_id, 3, 1, 0x409)
        table.setName("Regular", 2, 3, 1, 0x409)
        font.save(str(path))
    return path


def _pdf(
    lines: list[tuple[str, str]], fonts: dict[str, Path], table: list[list[str]] | None = None
) -> bytes:
    """A one-page PDF of (font name, text) lines, and a ruled `table` (read with pdfplumber)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    for name, path in fonts.items():
        pdf.add_font(name, "", str(path))
    pdf.add_page()
    for name, text in lines:
        pdf.set_font(name, "", 11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    if table:  # the page goes through pdfplumber's table finder
        pdf.set_font(lines[-1][0], "", 10)
        with pdf.table(
            col_widths=(20, 60), text_align="LEFT", first_row_as_headings=False
        ) as grid:
            for values in table:
                row = grid.row()
                for value in values:
                    row.cell(value)
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def fonts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("fonts")
    return {name: _font(directory, name) for name in (".VnTime", ".VnTimeH", "VNI-Times")}


def _tcvn3_pdf_lines() -> list[tuple[str, str]]:
    return [
        (".VnTimeH" if upper else ".VnTime", text.replace("\u00ad", "-")) for upper, text in TCVN3
    ]


def _assert_directive(data: bytes, name: str) -> None:
    directive = extract(data, name)
    assert directive.number == "45/KH-UBND"
    tasks = {tuple(t.lead): t.deadline_text for t in directive.tasks}
    assert any("Sở Tài chính" in lead for lead in tasks), tasks
    first = next(t for t in directive.tasks if "Sở Tài chính" in t.lead)
    assert "30 tháng 6 năm 2009" in first.deadline_text


@pytest.mark.parametrize("ruled", [False, True], ids=["pdfium", "pdfplumber"])
def test_tcvn3_pdf_is_read_in_unicode_by_its_fonts(fonts, ruled) -> None:
    data = _pdf(_tcvn3_pdf_lines(), fonts, [["TT", "Ghi chó"], ["1", "Kh«ng"]] if ruled else None)
    lines = [line for line in read_document(data, "kh45.pdf").lines if line]
    assert lines[: len(UNICODE)] == UNICODE
    if ruled:  # table cells are converted too
        assert "| TT | Ghi chú |" in lines and "| 1 | Không |" in lines
    assert all(unicodedata.is_normalized("NFC", line) for line in lines)
    _assert_directive(data, "kh45.pdf")


@pytest.mark.parametrize("ruled", [False, True], ids=["pdfium", "pdfplumber"])
def test_vni_pdf_is_read_in_unicode_by_its_fonts(fonts, ruled) -> None:
    table = [["TT", "Ghi chuù"], ["1", "Khoâng"]] if ruled else None
    data = _pdf([("VNI-Times", t) for t in VNI], {"VNI-Times": fonts["VNI-Times"]}, table)
    lines = [line for line in read_document(data, "kh45.pdf").lines if line]
    assert lines[: len(UNICODE)] == UNICODE
    if ruled:
        assert "| TT | Ghi chú |" in lines and "| 1 | Không |" in lines
    _assert_directive(data, "kh45.pdf")


def _docx(paragraphs: list[tuple[str | None, str]], *, default: str | None = None) -> bytes:
    document = docx.Document()
    if default:
        document.styles["Normal"].font.name = default
    for font, text in paragraphs:
        run = document.add_paragraph().add_run(text)
        if font:
            run.font.name = font
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_tcvn3_docx_runs_are_converted_by_their_font() -> None:
    data = _docx([(".VnTimeH" if upper else ".VnTime", text) for upper, text in TCVN3])
    assert read_document(data, "kh45.docx").lines == UNICODE
    _assert_directive(data, "kh45.docx")


def test_vni_docx_in_a_vni_default_font_is_converted() -> None:
    # No run names a font: the document default (the Normal style) is VNI-Times.
    data = _docx([(None, text) for text in VNI], default="VNI-Times")
    assert read_document(data, "kh45.docx").lines == UNICODE
    _assert_directive(data, "kh45.docx")


def test_legacy_plain_text_is_recognised_by_its_characters() -> None:
    tcvn3 = "\n".join(text for _upper, text in TCVN3)
    # Bytes as the old editors saved them, and the same text pasted into a UTF-8 file.
    for data in (tcvn3.encode("latin-1"), tcvn3.encode("utf-8")):
        assert read_document(data, "kh45.txt").lines == UNICODE
    vni = "\n".join(VNI)
    for data in (vni.encode("latin-1"), vni.encode("utf-8")):
        assert read_document(data, "kh45.txt").lines == UNICODE
    # A page saved from an old web site (the fonts named in its CSS are not read).
    html = "".join(f"<p>{text}</p>" for _upper, text in TCVN3[4:])
    page = f"<html><body>{html}</body></html>".encode()
    assert read_document(page, "kh45.html").lines == UNICODE[4:]
    _assert_directive(tcvn3.encode("latin-1"), "kh45.txt")
    _assert_directive(vni.encode("utf-8"), "kh45.txt")


def test_unicode_text_is_never_converted(fonts) -> None:
    text = "\n".join(PLAIN)
    assert read_document(text.encode("utf-8"), "a.txt").lines == PLAIN
    # A .docx in Times New Roman, and one whose style still names .VnTime (converted to
    # Unicode by Word but keeping the old font name): Unicode runs are left alone.
    assert read_document(_docx([("Times New Roman", p) for p in PLAIN]), "a.docx").lines == PLAIN
    assert read_document(_docx([(None, p) for p in PLAIN], default=".VnTime"), "a.docx").lines == (
        PLAIN
    )
    data = _pdf([("dejavu", p) for p in PLAIN], {"dejavu": samples.FONT})
    assert [line for line in read_document(data, "a.pdf").lines if line] == PLAIN
    # Lines with only letters a chart shares with Unicode, and a few stray symbols.
    for line in ("Quý III/2025", "Bộ", "Điều 5 § 2, 25 m², 30 °C, ½ số phòng, « trích »"):
        assert legacy.detect(line) is None
        assert read_document(line.encode("utf-8"), "a.txt").lines == [line]


def test_font_names_map_to_their_encoding() -> None:
    assert legacy.font_codec("MPDFAA+.VnTime") == legacy.TCVN3
    assert legacy.font_codec(".VnTimeH,Bold") == legacy.TCVN3_UPPER
    assert legacy.font_codec(".VnArial NarrowH") == legacy.TCVN3_UPPER
    assert legacy.font_codec("ABCDEF+VNI-Times-Bold") == legacy.VNI
    for name in ("TimesNewRomanPSMT", "DejaVuSans", "Arial,Bold", None):
        assert legacy.font_codec(name) is None
    # Known pairs from the charts, the uppercase font, and ư lost to a hyphen in PDFs.
    assert legacy.convert("Qu¶n lý", legacy.TCVN3) == "Quản lý"
    assert legacy.convert("Bé Tµi chÝnh", legacy.TCVN3) == "Bộ Tài chính"
    assert legacy.convert("Boä Taøi chính", legacy.VNI) == "Bộ Tài chính"
    assert legacy.convert("quyÕt ®Þnh", legacy.TCVN3_UPPER) == "QUYẾT ĐỊNH"
    assert legacy.convert("n-íc, KH-UBND", legacy.TCVN3, hyphen=True) == "nước, KH-UBND"

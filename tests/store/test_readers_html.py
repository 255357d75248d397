"""The HTML reader on a page saved from a legal-document website."""

from __future__ import annotations

from store.importing import read_document

PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Kế hoạch 125/KH-UBND</title>
<style>.content1 { font: 13px Arial }</style>
<script>var menu = ["Văn bản mới", "Đăng nhập"]; document.write("quảng cáo");</script>
</head><body>
<nav class="navbar"><ul><li><a href="/">Trang chủ</a></li><li>Văn bản pháp luật</li></ul></nav>
<div class="breadcrumb">Trang chủ &gt; Văn bản &gt; Kế hoạch</div>
<div id="left-menu" class="sidebar-menu"><p>Văn bản liên quan</p></div>
<div class="content1"><div id="divContentDoc">
<table style="width:100%"><tr>
  <td><p><b>ỦY BAN NHÂN DÂN<br>TỈNH LÀO CAI</b></p><p>Số: 125/KH-UBND</p></td>
  <td><p><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>Độc lập - Tự do - Hạnh phúc</p>
      <p><i>Lào Cai, ngày 12 tháng 3 năm 2025</i></p></td>
</tr></table>
<p align="center"><b>KẾ HOẠCH</b></p>
<p align="center">Triển khai chuyển đổi số
năm 2025</p>
<p>1. Sở Khoa học và Công nghệ chủ trì,&nbsp;phối hợp với Sở Tài chính:</p>
<ol type="a"><li>Xây dựng nền tảng dữ liệu;</li><li>Đào tạo cán bộ;</li><li>Ba;</li><li>Bốn;</li>
<li>Năm, hoàn thành trước ngày 30/6/2025.</li></ol>
<p>2. Các sở, ngành:</p><ul><li>Báo cáo hằng quý.</li></ul>
<p><b>PHỤ LỤC</b></p>
<table border="1">
<tr><th>TT</th><th>Nhiệm vụ</th><th>Chủ trì</th><th>Thời hạn</th></tr>
<tr><td>I</td><td colspan="3">Nhóm nhiệm vụ hạ tầng</td></tr>
<tr><td>1</td><td>Nâng cấp mạng</td><td rowspan="2">Sở Khoa học<br>và Công nghệ</td>
    <td>Quý IV/2025</td></tr>
<tr><td>2</td><td>Số hóa hồ sơ</td><td>Tháng 9/2025</td></tr>
</table>
<p>Nơi nhận:</p>
</div></div>
<footer class="footer">Bản quyền © THƯ VIỆN PHÁP LUẬT</footer>
<div class="share-tools">Chia sẻ Facebook</div>
</body></html>"""


def test_saved_legal_page_reads_as_lines_and_pipe_rows() -> None:
    lines = read_document(PAGE.encode(), "kh125.html").lines
    assert lines == [
        # The header table is a table like any other: its cells' lines joined with "; ".
        "",
        "| ỦY BAN NHÂN DÂN; TỈNH LÀO CAI; Số: 125/KH-UBND | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM;"
        " Độc lập - Tự do - Hạnh phúc; Lào Cai, ngày 12 tháng 3 năm 2025 |",
        "",
        "KẾ HOẠCH",
        "Triển khai chuyển đổi số năm 2025",
        "1. Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Tài chính:",
        "a) Xây dựng nền tảng dữ liệu;",
        "b) Đào tạo cán bộ;",
        "c) Ba;",
        "d) Bốn;",
        "đ) Năm, hoàn thành trước ngày 30/6/2025.",
        "2. Các sở, ngành:",
        "- Báo cáo hằng quý.",
        "PHỤ LỤC",
        "",
        "| TT | Nhiệm vụ | Chủ trì | Thời hạn |",
        "| I | Nhóm nhiệm vụ hạ tầng | Nhóm nhiệm vụ hạ tầng | Nhóm nhiệm vụ hạ tầng |",
        "| 1 | Nâng cấp mạng | Sở Khoa học; và Công nghệ | Quý IV/2025 |",
        "| 2 | Số hóa hồ sơ | Sở Khoa học; và Công nghệ | Tháng 9/2025 |",
        "",
        "Nơi nhận:",
    ]


def test_one_column_layout_table_is_read_as_blocks() -> None:
    page = (
        "<html><body><table><tr><td><p>QUYẾT ĐỊNH</p><p>Điều 1. Giao Bộ Công an chủ trì.</p>"
        "</td></tr><tr><td>Điều 2. Hiệu lực.</td></tr></table></body></html>"
    )
    lines = read_document(page.encode(), "qd.html").lines
    assert lines == ["QUYẾT ĐỊNH", "Điều 1. Giao Bộ Công an chủ trì.", "Điều 2. Hiệu lực."]


def test_page_without_a_content_container_drops_navigation_and_scripts() -> None:
    page = (
        "<html><head><script>alert(1)</script></head><body>"
        "<div role='navigation'>Menu chính</div><header>Cổng thông tin</header>"
        "<main><h1>CÔNG VĂN</h1><p>Đề nghị UBND các tỉnh báo cáo.</p></main>"
        "<footer>Liên hệ</footer></body></html>"
    )
    lines = read_document(page.encode(), "cv.htm").lines
    assert lines == ["CÔNG VĂN", "Đề nghị UBND các tỉnh báo cáo."]

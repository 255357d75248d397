"""Hostile directive files, generated at test time (never stored): bombs and giants.

Each reproduces a file that froze the bot before the import sandbox: a .docx of tiny paragraphs
that inflates to 190 MB, a .docx whose zip directory lies about the member's size, a
200,000-row .xlsx, a PDF of thousands of pages and an image of more than a gigapixel. All are
built by streaming, so making them needs little memory.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from functools import cache

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOC_START = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'.encode()
_DOC_END = b"</w:body></w:document>"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _stream_member(archive: zipfile.ZipFile, name: str, chunks) -> None:
    with archive.open(name, "w", force_zip64=True) as member:
        for chunk in chunks:
            member.write(chunk)


@cache
def inflating_docx(inflated: int = 190_000_000) -> bytes:
    """A .docx (about 0.6 MB) whose document.xml inflates to `inflated` bytes of paragraphs."""
    paragraph = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>"
    block = paragraph * (1_000_000 // len(paragraph))

    def chunks():
        yield _DOC_START
        for _ in range(inflated // len(block)):
            yield block
        yield _DOC_END

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        _stream_member(archive, "word/document.xml", chunks())
    return buffer.getvalue()


@cache
def lying_docx(real: int = 300_000_000, claimed: int = 1_000) -> bytes:
    """A .docx whose directory says document.xml is `claimed` bytes; it inflates to `real`."""
    filler = b" " * 1_000_000

    def chunks():
        yield _DOC_START
        for _ in range(real // len(filler)):
            yield filler
        yield _DOC_END

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        with archive.open("word/document.xml", "w") as member:
            for chunk in chunks():
                member.write(chunk)
    data = bytearray(buffer.getvalue())
    name = b"word/document.xml"
    local = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name.decode()).header_offset
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    struct.pack_into("<I", data, local + 22, claimed)  # local header: uncompressed size
    struct.pack_into("<I", data, central + 24, claimed)  # central directory: the same lie
    return bytes(data)


@cache
def many_rows_xlsx(rows: int = 200_000) -> bytes:
    """A valid .xlsx with `rows` rows of five cells (inline strings), written directly."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    )
    root_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}"><Relationship '
        f'Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
        '<sheets><sheet name="Nhiệm vụ" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}"><Relationship '
        f'Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    )

    def cell(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    def chunks():
        head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}">'
        yield (head + "<sheetData>").encode()
        batch: list[str] = []
        for n in range(1, rows + 1):
            batch.append(
                f'<row r="{n}">{cell(f"A{n}", str(n))}{cell(f"B{n}", "Rà soát thủ tục")}'
                f"{cell(f'C{n}', 'Bộ Công an')}{cell(f'D{n}', 'Bộ Tài chính')}"
                f"{cell(f'E{n}', 'Tháng 9/2025')}</row>"
            )
            if len(batch) == 5_000:
                yield "".join(batch).encode()
                batch = []
        yield ("".join(batch) + "</sheetData></worksheet>").encode()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        _stream_member(archive, "xl/worksheets/sheet1.xml", chunks())
    return buffer.getvalue()


@cache
def many_pages_pdf(pages: int = 5_000) -> bytes:
    """A valid PDF of `pages` pages sharing one small content stream."""
    content = b"BT /F1 12 Tf 72 720 Td (Trang) Tj ET"
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    first = len(objects) + 1
    kids = " ".join(f"{first + i} 0 R" for i in range(pages))
    objects[1] = f"<< /Type /Pages /Count {pages} /Kids [{kids}] >>".encode()
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    page += b"/Resources << /Font << /F1 3 0 R >> >> >>"
    objects.extend([page] * pages)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


@cache
def huge_png(side: int = 40_000) -> bytes:
    """A valid black-and-white PNG of `side` × `side` pixels (1.6 gigapixels by default)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\xff" * ((side + 7) // 8)  # filter byte, then white pixels
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row * 1000) for _ in range(side // 1000))
    idat += packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )

"""Plain text and CSV: decode the bytes (BOMs, UTF-16, UTF-8, TCVN3/VNI, Windows-1258)."""

from __future__ import annotations

import csv
import io
import unicodedata

from store.importing.parsed import ImportFormatError
from store.importing.readers.legacy import detect, fix_lines
from store.importing.readers.limits import Tally, over
from store.text import nfc

_CONTROL_OK = {"\t", "\n", "\r", "\f", "\v"}


def decode_text(data: bytes) -> str:
    """Decode text bytes: BOMs first, then UTF-16 by its NULs, UTF-8, Windows-1258.

    Raises:
        ImportFormatError: ``binary`` when the bytes are not text in any of these encodings,
            ``empty`` when they decode to white space only.
    """
    text: str | None = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _try(data, "utf-16")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = _try(data, "utf-8-sig")
    elif b"\x00" in data:
        # UTF-16 without a BOM: Vietnamese text is mostly ASCII, so every other byte is NUL.
        sample = data[:4096]
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        # (U+0300, U+1E00 ... have a zero low byte too, so allow a few on the other side.)
        if odd > len(sample) // 4 and even <= odd // 10:
            text = _try(data, "utf-16-le")
        elif even > len(sample) // 4 and odd <= even // 10:
            text = _try(data, "utf-16-be")
    else:
        text = _try(data, "utf-8")
        if text is None:
            # Pre-Unicode Vietnamese files are TCVN3 or VNI (one byte a glyph, read here as the
            # Latin-1 characters of the same bytes); older Word/Excel exports are Windows-1258
            # (combining tone marks).
            text = _legacy(data.decode("latin-1")) or _try(data, "cp1258")
    if text is None or _looks_binary(text):
        raise ImportFormatError("binary", "the file is not text or a supported document")
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise ImportFormatError("empty", "the file has no text")
    return text


def text_lines(data: bytes) -> list[str]:
    """The lines of a text file, within the paragraph cap."""
    lines = decode_text(data).splitlines()
    Tally().paragraph(len(lines))
    return lines


def csv_rows(data: bytes, ext: str) -> list[list[str]]:
    """The rows of a CSV/TSV file (delimiter sniffed), within the row and cell caps."""
    text = decode_text(data)
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
    except csv.Error:
        dialect = csv.excel_tab if ext == ".tsv" else csv.excel
    tally = Tally()
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            tally.row(len(row))
            rows.append([cell.strip() for cell in row])
    except csv.Error as exc:  # a field over csv's own size limit
        raise over("max_cells", tally.limits.max_cells, f"unreadable CSV ({exc})") from exc
    return rows


def _legacy(raw: str) -> str | None:
    """TCVN3 or VNI bytes (as Latin-1 characters) in Unicode, or None for other text."""
    if detect(raw) is None:
        return None
    return "\n".join(fix_lines(raw.split("\n")))


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    bad = sum(
        1
        for ch in sample
        if (unicodedata.category(ch) in {"Cc", "Co", "Cs", "Cn"} and ch not in _CONTROL_OK)
        or ch == "\ufffd"
    )
    return bad > max(2, len(sample) // 200)

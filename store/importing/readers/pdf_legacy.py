"""PDF text typed in legacy Vietnamese fonts (TCVN3 ``.VnTime``, VNI ``VNI-Times``) to Unicode.

The font name of each glyph is the strong signal (see `legacy.font_codec`). Fonts are only
looked up on a page whose text holds a character Vietnamese does not use (`legacy.SUSPECT`):
every legacy page has many, a Unicode page rarely any, so Unicode documents pay one regular
expression per page.

* Pages read with PDFium: each word's font is that of its first glyph (`fix_words`).
* Pages read with pdfplumber: the glyphs themselves are rewritten before tables and words are
  built, run by run of one font, so table cells come out in Unicode too (`fix_chars`).
"""

from __future__ import annotations

import ctypes
from typing import Any

from store.importing.readers.legacy import SUSPECT, convert, convert_glyphs, font_codec

_NAME_BYTES = 256


def fix_words(textpage: Any, words: list[dict[str, Any]]) -> None:
    """Convert, in place, the PDFium words whose font is a legacy one (``i``: first glyph)."""
    if not words or not SUSPECT.search(" ".join(w["text"] for w in words)):
        return
    import pypdfium2.raw as pdfium_c

    buffer = ctypes.create_string_buffer(_NAME_BYTES)
    codecs: dict[bytes, str | None] = {}
    for word in words:
        size = pdfium_c.FPDFText_GetFontInfo(textpage.raw, word["i"], buffer, _NAME_BYTES, None)
        name = buffer.value if 0 < size <= _NAME_BYTES else b""
        if name not in codecs:
            codecs[name] = font_codec(name.decode("latin-1"))
        codec = codecs[name]
        if codec:
            word["text"] = convert(word["text"], codec, hyphen=True)


def fix_chars(page: Any) -> None:
    """Rewrite, in place, a pdfplumber page's glyphs that are in legacy fonts as Unicode."""
    chars: list[dict[str, Any]] = page.chars
    if not chars or not SUSPECT.search("".join(c["text"] for c in chars)):
        return
    codecs = {name: font_codec(name) for name in {c.get("fontname", "") for c in chars}}
    if not any(codecs.values()):
        return
    kept: list[dict[str, Any]] = []
    start = 0
    for end in range(1, len(chars) + 1):
        if end < len(chars) and chars[end].get("fontname") == chars[start].get("fontname"):
            continue
        run = chars[start:end]
        codec = codecs[run[0].get("fontname", "")]
        if codec:
            texts = convert_glyphs([c["text"] for c in run], codec)
            for char, text in zip(run, texts, strict=True):
                char["text"] = text
        for char in run:
            if char["text"]:
                kept.append(char)
            elif kept:  # a VNI mark folded into its vowel: the vowel's box takes its place
                kept[-1]["x1"] = max(kept[-1]["x1"], char["x1"])
                kept[-1]["width"] = kept[-1]["x1"] - kept[-1]["x0"]
        start = end
    chars[:] = kept

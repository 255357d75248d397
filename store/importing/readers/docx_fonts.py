"""Which legacy encoding a .docx run is typed in, from the font Word shows it in.

A run's font comes from its own ``w:rFonts``, else its character style, else its paragraph's
style (following ``basedOn``), else the document defaults (``w:docDefaults``). Characters above
ASCII are drawn with the ``w:hAnsi`` font, so that one decides; ``w:ascii`` is the fallback.
A TCVN3 (``.VnTime``) or VNI (``VNI-Times``) font means the run's characters are legacy code
points (see `legacy`).
"""

from __future__ import annotations

from lxml import etree

from store.importing.readers.legacy import convert, font_codec
from store.importing.readers.ooxml import W, parse_xml

_MAX_DEPTH = 16  # basedOn chains longer than this are cycles


def _font(rpr: etree._Element | None) -> str | None:
    fonts = rpr.find(f"{W}rFonts") if rpr is not None else None
    if fonts is None:
        return None
    return fonts.get(f"{W}hAnsi") or fonts.get(f"{W}ascii")


class DocxFonts:
    """Fonts of styles and defaults, and the legacy encoding of each run."""

    def __init__(self, styles_xml: bytes | None) -> None:
        self._styles: dict[str, tuple[str | None, str | None]] = {}
        self._default: str | None = None
        if not styles_xml:
            return
        root = parse_xml(styles_xml, "styles.xml")
        self._default = _font(root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr"))
        for style in root.iter(f"{W}style"):
            based = style.find(f"{W}basedOn")
            self._styles[style.get(f"{W}styleId", "")] = (
                _font(style.find(f"{W}rPr")),
                based.get(f"{W}val") if based is not None else None,
            )

    def _style_font(self, style: str | None) -> str | None:
        for _ in range(_MAX_DEPTH):
            if not style or style not in self._styles:
                return None
            font, style = self._styles[style]
            if font:
                return font
        return None

    def paragraph_font(self, p: etree._Element) -> str | None:
        """The font a paragraph's runs fall back on (its style's, else the default)."""
        style = p.find(f"{W}pPr/{W}pStyle")
        font = self._style_font(style.get(f"{W}val") if style is not None else None)
        return font or self._default

    def run_text(self, run: etree._Element, text: str, paragraph_font: str | None) -> str:
        """A run's text, converted when its font is a TCVN3 or VNI font."""
        if not text:
            return text
        rpr = run.find(f"{W}rPr")
        font = _font(rpr)
        if font is None and rpr is not None:
            style = rpr.find(f"{W}rStyle")
            font = self._style_font(style.get(f"{W}val") if style is not None else None)
        codec = font_codec(font or paragraph_font)
        return convert(text, codec) if codec else text

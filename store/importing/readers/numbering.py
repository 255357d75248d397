"""Word's automatic numbering: turn ``numbering.xml`` back into the markers a reader sees.

A numbered paragraph stores no ``a)`` or ``1.`` in its text, only ``<w:numPr>`` (a list
instance ``numId`` and a level ``ilvl``), directly or through its paragraph style. The list
instance points to an abstract definition whose levels give a start value, a format
(``decimal``, ``lowerLetter``, ``upperRoman``, ``bullet`` ...) and a template such as ``%1.``
or ``%2)`` in which ``%N`` is the current value of level N. `Numbering.label` replays the
counters in document order.

Letters follow the Vietnamese alphabet used by legal drafting (Nghị định 30/2020/NĐ-CP,
Phụ lục I): ``a, b, c, d, đ, e, g, h, i, k, ...`` -- the items a Vietnamese author numbers with
Word's ``lowerLetter`` are read as the ``đ)`` the document refers to. Bullets come back as
``-`` (``+`` below the first level, or when the bullet itself is a plus sign).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree

from store.importing.readers.ooxml import W, parse_xml

if TYPE_CHECKING:
    from store.importing.readers.docx_fonts import DocxFonts

_LETTERS = "abcdđeghiklmnopqrstuvxy"
_ROMAN = [
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
]  # fmt: skip
_DASHES = {"-", "–", "—", "‒", "−", "‐"}
_PLACEHOLDER = re.compile(r"%([1-9])")


@dataclass(slots=True)
class Level:
    """One level of a list definition."""

    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    legal: bool = False  # isLgl: show every level's number as decimal


@dataclass(slots=True)
class _Instance:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, Level] = field(default_factory=dict)


def _val(node: etree._Element | None, default: str | None = None) -> str | None:
    return default if node is None else node.get(f"{W}val", default)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _level(node: etree._Element) -> Level:
    return Level(
        start=_int(_val(node.find(f"{W}start")), 1),
        fmt=_val(node.find(f"{W}numFmt"), "decimal") or "decimal",
        text=_val(node.find(f"{W}lvlText"), "") or "",
        legal=node.find(f"{W}isLgl") is not None,
    )


def _letters(n: int, upper: bool) -> str:
    n = max(n, 1) - 1
    letter = _LETTERS[n % len(_LETTERS)] * (n // len(_LETTERS) + 1)
    return letter.upper() if upper else letter


def _roman(n: int, upper: bool) -> str:
    out = ""
    for value, digits in _ROMAN:
        while n >= value:
            out, n = out + digits, n - value
    return out.upper() if upper else out


def format_number(n: int, fmt: str) -> str:
    """Value `n` written in Word format `fmt` (unknown formats as decimal)."""
    if fmt in ("lowerLetter", "upperLetter"):
        return _letters(n, fmt == "upperLetter")
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n, fmt == "upperRoman") if n > 0 else str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


class Numbering:
    """List definitions of one document and the running counters of its lists."""

    def __init__(self, numbering_xml: bytes | None, styles_xml: bytes | None) -> None:
        self._abstract: dict[str, dict[int, Level]] = {}
        self._instances: dict[str, _Instance] = {}
        self._styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        self._counters: dict[str, list[int | None]] = {}
        # Definitions that only point to a numbering style (numStyleLink) use that style's list.
        self._style_links: dict[str, str] = {}
        #: The document's fonts, for runs typed in legacy encodings (set by the .docx reader).
        self.fonts: DocxFonts | None = None
        if numbering_xml:
            self._load_numbering(parse_xml(numbering_xml, "numbering.xml"))
        if styles_xml:
            self._load_styles(parse_xml(styles_xml, "styles.xml"))

    def _load_numbering(self, root: etree._Element) -> None:
        for node in root.iterchildren(f"{W}abstractNum"):
            levels = {_int(lvl.get(f"{W}ilvl"), 0): _level(lvl) for lvl in node.iter(f"{W}lvl")}
            abstract_id = node.get(f"{W}abstractNumId", "")
            self._abstract[abstract_id] = levels
            link = _val(node.find(f"{W}numStyleLink"))
            if link:
                self._style_links[abstract_id] = link
        for node in root.iterchildren(f"{W}num"):
            instance = _Instance(_val(node.find(f"{W}abstractNumId"), "") or "")
            for override in node.iterchildren(f"{W}lvlOverride"):
                ilvl = _int(override.get(f"{W}ilvl"), 0)
                start = override.find(f"{W}startOverride")
                if start is not None:
                    instance.starts[ilvl] = _int(_val(start), 1)
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    instance.levels[ilvl] = _level(lvl)
            self._instances[node.get(f"{W}numId", "")] = instance

    def _load_styles(self, root: etree._Element) -> None:
        for node in root.iterchildren(f"{W}style"):
            num_pr = node.find(f"{W}pPr/{W}numPr")
            num_id = _val(num_pr.find(f"{W}numId")) if num_pr is not None else None
            ilvl = _val(num_pr.find(f"{W}ilvl")) if num_pr is not None else None
            based = _val(node.find(f"{W}basedOn"))
            self._styles[node.get(f"{W}styleId", "")] = (num_id, ilvl, based)

    def _style_numbering(self, style: str | None) -> tuple[str | None, str | None]:
        seen: set[str] = set()
        while style and style not in seen:  # follow basedOn, guarding against loops
            seen.add(style)
            num_id, ilvl, based = self._styles.get(style, (None, None, None))
            if num_id is not None:
                return num_id, ilvl
            style = based
        return None, None

    def paragraph_label(self, p: etree._Element) -> str:
        """The marker Word shows before paragraph `p` (``a)``, ``1.``, ``-``), or ``""``.

        Call once per paragraph, in document order: the counters advance.
        """
        ppr = p.find(f"{W}pPr")
        if ppr is None or not self._instances:
            return ""
        num_pr = ppr.find(f"{W}numPr")
        num_id = ilvl = None
        if num_pr is not None:
            num_id = _val(num_pr.find(f"{W}numId"))
            ilvl = _val(num_pr.find(f"{W}ilvl"))
        if num_id is None:
            style_num, style_lvl = self._style_numbering(_val(ppr.find(f"{W}pStyle")))
            num_id, ilvl = style_num, ilvl or style_lvl
        if num_id is None or num_id == "0":
            return ""
        return self.label(num_id, _int(ilvl, 0))

    def _levels(self, instance: _Instance) -> dict[int, Level]:
        levels = self._abstract.get(instance.abstract, {})
        link = self._style_links.get(instance.abstract)
        if not levels and link:
            num_id, _ilvl = self._style_numbering(link)
            target = self._instances.get(num_id or "")
            if target is not None and target.abstract != instance.abstract:
                levels = self._abstract.get(target.abstract, {})
        return {**levels, **instance.levels}

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance list `num_id` at level `ilvl` and return the marker it shows."""
        instance = self._instances.get(num_id)
        if instance is None or not 0 <= ilvl <= 8:
            return ""
        levels = self._levels(instance)
        level = levels.get(ilvl)
        if level is None:
            return ""
        # Instances of one definition continue one list unless they restart it.
        key = f"n{num_id}" if instance.starts else f"a{instance.abstract}"
        counters = self._counters.setdefault(key, [None] * 9)
        start = instance.starts.get(ilvl, level.start)
        current = counters[ilvl]
        counters[ilvl] = start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        if level.fmt == "bullet":
            return _bullet(level.text, ilvl)

        def value(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            other = levels.get(index, Level())
            n = counters[index]
            if n is None:
                n = instance.starts.get(index, other.start)
            fmt = "decimal" if level.legal and index != ilvl else other.fmt
            return format_number(n, fmt)

        return _PLACEHOLDER.sub(value, level.text).strip()


def _bullet(text: str, ilvl: int) -> str:
    symbol = text.strip()
    if symbol == "+":
        return "+"
    if symbol in _DASHES or ilvl == 0:
        return "-"
    return "+"

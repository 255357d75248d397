"""Legacy Vietnamese 8-bit encodings (TCVN3 / ABC and VNI) turned back into Unicode.

Directives typed before Unicode (and PDFs printed from them) use fonts whose glyphs sit at
Latin-1 code points, so their text layer reads as mojibake: TCVN3 ``Bé Tµi chÝnh``, VNI
``Boä Taøi chính`` for ``Bộ Tài chính``. Word and PDF producers hand these bytes over as the
Windows-1252 characters of the same code points, which is what this module reads.

* **TCVN3** (TCVN 5712:1993, the VN3 table): one byte per letter. Lowercase fonts (``.VnTime``,
  ``.VnArial``) hold the lowercase letters and ``Ă Â Ê Ô Ơ Ư Đ``; the uppercase fonts
  (``.VnTimeH``, ``.VnArialH``: names ending in ``H``) draw the same code points as capitals,
  so their text is upper-cased after mapping. The byte for ``ư`` (0xAD, the soft hyphen) comes
  out of many PDF text layers as ``-``; inside a word it is read back as ``ư``.
* **VNI** (VNI for Windows): a vowel followed by a mark byte (``o`` + ``ä`` = ``ộ``), a few
  letters on one byte (``ô`` = ``ơ``, ``ö`` = ``ư``, ``ñ`` = ``đ``, ``ó`` = ``ĩ`` ...).

The tables are written from the published code charts (no converter library on PyPI is kept
up). The font name is the strong signal (`font_codec`); without one, `detect` reads character
statistics and refuses text that holds any precomposed Vietnamese Unicode letter, so Unicode
text is never "converted".
"""

from __future__ import annotations

import re
import unicodedata

#: TCVN3 (VN3) code points above 0x7F and the letters they stand for, row by row of the chart.
_TCVN3_CHART = (
    (0xA1, "ĂÂÊÔƠƯĐăâêôơưđ"),
    (0xB5, "àảãáạ"),
    (0xBB, "ằẳẵắ"),
    (0xC6, "ặầẩẫấậè"),
    (0xCE, "ẻẽéẹềểễếệìỉ"),
    (0xDC, "ĩíịò"),
    (0xE1, "ỏõóọồổỗốộờởỡớợù"),
    (0xF1, "ủũúụừửữứựỳỷỹýỵ"),
)
_TCVN3: dict[int, str] = {
    start + i: letter for start, letters in _TCVN3_CHART for i, letter in enumerate(letters)
}
_TCVN3_TABLE = {ord(bytes([b]).decode("latin-1")): u for b, u in _TCVN3.items()}

#: VNI: letters written with one byte.
_VNI_SINGLE = {
    "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ñ": "đ", "Ñ": "Đ", "í": "í", "Í": "Í",
    "ì": "ì", "Ì": "Ì", "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị",
    "î": "ỵ", "Î": "Ỵ",
}  # fmt: skip
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE = "\u0302", "\u0306"
#: VNI mark bytes (lowercase form; the uppercase form is the same mark) and what they add.
_VNI_MARKS = {
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRC, "á": _CIRC + _ACUTE, "à": _CIRC + _GRAVE, "å": _CIRC + _HOOK,
    "ã": _CIRC + _TILDE, "ä": _CIRC + _DOT,
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE, "ú": _BREVE + _HOOK,
    "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}  # fmt: skip
_VNI_BASES = {"a": "a", "e": "e", "o": "o", "u": "u", "y": "y", "ô": "ơ", "ö": "ư"}


def _vni_pairs() -> dict[str, str]:
    """Every vowel + mark pair, lowercase and capital (a capital may carry a lowercase mark)."""
    pairs: dict[str, str] = {}
    for base, letter in _VNI_BASES.items():
        for mark, combining in _VNI_MARKS.items():
            if (combining[0] == _CIRC and base not in "aeo") or (
                combining[0] == _BREVE and base != "a"
            ):
                continue
            composed = unicodedata.normalize("NFC", letter + combining)
            pairs[base + mark] = composed
            pairs[base.upper() + mark.upper()] = pairs[base.upper() + mark] = composed.upper()
    return pairs


_VNI_PAIRS = _vni_pairs()
_VNI_RE = re.compile(
    "|".join(sorted(_VNI_PAIRS, key=len, reverse=True)) + "|[" + "".join(_VNI_SINGLE) + "]"
)
_VNI_ALL = {**_VNI_PAIRS, **_VNI_SINGLE}

#: Precomposed letters only Unicode Vietnamese has (and combining marks): never legacy text.
_UNICODE_VI = re.compile("[ĂăĐđĨĩŨũƠơƯư\u0300-\u0323\u1ea0-\u1ef9]")
#: Latin-1 letters Vietnamese itself uses: no evidence either way.
_VI_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_VNI_CHARS = set(_VNI_SINGLE) | set(_VNI_MARKS) | {m.upper() for m in _VNI_MARKS}
#: Characters a TCVN3 text layer has and neither Unicode Vietnamese nor VNI uses.
_TCVN3_ONLY = re.compile(
    "[" + re.escape("".join(sorted(set(map(chr, _TCVN3_TABLE)) - _VI_LATIN1 - _VNI_CHARS))) + "]"
)
#: A vowel followed by a VNI mark that no Vietnamese letter is (ä ø û ...).
_VNI_ONLY = re.compile(
    "[aeouyôöAEOUYÔÖ][" + "".join(sorted(m for m in _VNI_MARKS if m not in _VI_LATIN1)) + "]",
    re.IGNORECASE,
)
#: ``-`` read for TCVN3's ``ư`` (0xAD): between two letters, not inside an ASCII capital code.
_TCVN3_HYPHEN = re.compile("(?<=[A-Za-z\u00a1-\u00ff])-(?=[A-Za-z\u00a1-\u00ff])")
_WORD = re.compile(r"\S+")
_LETTERS = re.compile("[A-Za-z\u00a1-\u00ff]+")
#: Text worth a closer look: a Latin-1 character Vietnamese does not use (every TCVN3 or VNI
#: text has many).
SUSPECT = re.compile(
    "[" + re.escape("".join(sorted(set(map(chr, range(0xA1, 0x100))) - _VI_LATIN1))) + "]"
)

_TCVN3_FONT = re.compile(r"(?:^|[+])\.?Vn[A-Z][\w ]*", re.ASCII)
_VNI_FONT = re.compile(r"(?:^|[+])VNI[- ]", re.ASCII | re.IGNORECASE)

TCVN3, TCVN3_UPPER, VNI = "tcvn3", "tcvn3h", "vni"


def font_codec(fontname: str | None) -> str | None:
    """The legacy encoding a font name stands for (``tcvn3``, ``tcvn3h``, ``vni``), or None."""
    if not fontname:
        return None
    if _VNI_FONT.search(fontname):
        return VNI
    match = _TCVN3_FONT.search(fontname)
    if match is None:
        return None
    name = match.group(0).rstrip()
    for style in ("Italic", "Bold"):
        name = name.removesuffix(style).rstrip()
    return TCVN3_UPPER if name.endswith("H") else TCVN3


def _tcvn3_hyphen(match: re.Match[str]) -> str:
    text, start = match.string, match.start()
    left, right = text[start - 1], text[start + 1]
    ascii_caps = left.isascii() and right.isascii() and not (left.islower() or right.islower())
    return "-" if ascii_caps else "ư"


def convert(text: str, codec: str | None, *, hyphen: bool = False) -> str:
    """`text` read in legacy encoding `codec`, as NFC Unicode; Unicode text is returned as is.

    `hyphen`: the text layer gave TCVN3's ``ư`` as ``-`` (PDF); read it back inside words.
    """
    if not codec or not text or _UNICODE_VI.search(text):
        return text
    if codec == VNI:
        return _VNI_RE.sub(lambda m: _VNI_ALL[m.group(0)], text)
    if hyphen:
        text = _TCVN3_HYPHEN.sub(_tcvn3_hyphen, text)
    text = text.translate(_TCVN3_TABLE)
    return text.upper() if codec == TCVN3_UPPER else text


def _typed_in_capitals(line: str) -> bool:
    """A TCVN3 line typed in capitals (no ASCII lowercase, two words of letters with capitals).

    ``Sè: 45/KH-UBND`` (``Số``) is not: a code with digits is not a word of letters.
    """
    if any("a" <= ch <= "z" for ch in line):
        return False
    words = (w.strip(".,:;()\"'") for w in line.split())
    return sum(1 for w in words if _LETTERS.fullmatch(w) and re.search("[A-Z]", w)) >= 2


def _upper_words(text: str) -> str:
    """Upper-case words typed in capitals (two or more ASCII capitals, no ASCII lowercase)."""

    def word(match: re.Match[str]) -> str:
        ascii_letters = [ch for ch in match.group(0) if ch.isascii() and ch.isalpha()]
        capitals = len(ascii_letters) >= 2 and all(ch.isupper() for ch in ascii_letters)
        return match.group(0).upper() if capitals else match.group(0)

    return _WORD.sub(word, text)


def detect(text: str) -> str | None:
    """The legacy encoding `text` reads as by its characters alone (``tcvn3``, ``vni``), or None.

    TCVN3 shows characters only its chart uses (``µ ¸ ¹ ® ©``...), VNI vowels followed by mark
    characters no Vietnamese letter is (``ä ø û``...): a handful of distinct ones, at least one
    letter in 400. Unicode Vietnamese letters (``ộ ư đ``...) more than a twentieth of that
    evidence make it Unicode (a legacy document may carry a Unicode signature stamp).
    """
    sample = text[:400_000]
    if not SUSPECT.search(sample):
        return None
    tcvn3, vni = _TCVN3_ONLY.findall(sample), _VNI_ONLY.findall(sample.lower())
    evidence = max(len(tcvn3), len(vni))
    if evidence < 4 or len(_UNICODE_VI.findall(sample)) * 20 > evidence:
        return None
    if evidence < sum(map(str.isalpha, sample)) // 400:
        return None
    if len(tcvn3) >= len(vni) // 2 and len(set(tcvn3)) >= 3:
        return TCVN3
    if len(vni) > len(tcvn3) * 4 and len(set(vni)) >= 3:
        return VNI
    return None


def fix_lines(lines: list[str]) -> list[str]:
    """Lines converted when the whole text reads as TCVN3 or VNI (see `detect`), else as is.

    A line that already holds Unicode Vietnamese is left alone (a document pasted together).
    The TCVN3 uppercase font is not known here: lines and words typed in capitals are
    upper-cased (its lowercase code points stand for capitals there).
    """
    text = "\n".join(lines)
    codec = detect(text)
    if codec is None:
        return lines
    # TCVN3's ``ư`` is the soft hyphen; a text with none lost them all to ``-`` (a PDF's layer).
    hyphen = "\u00ad" not in text
    if codec == VNI:
        return [unicodedata.normalize("NFC", convert(line, codec)) for line in lines]
    out: list[str] = []
    for line in lines:
        fixed = convert(line, codec, hyphen=hyphen)
        fixed = fixed.upper() if _typed_in_capitals(line) else _upper_words(fixed)
        out.append(unicodedata.normalize("NFC", fixed))
    return out


def convert_glyphs(texts: list[str], codec: str, *, hyphen: bool = True) -> list[str]:
    """Per-glyph texts of one run in legacy font `codec`, converted one for one.

    A VNI mark glyph is folded into the vowel before it (its own text becomes ``""``), so the
    caller keeps one entry per glyph and its boxes.
    """
    out = list(texts)
    if codec == VNI:
        for i, text in enumerate(out):
            pair = text + out[i + 1] if i + 1 < len(out) else ""
            if pair in _VNI_PAIRS:
                out[i], out[i + 1] = _VNI_PAIRS[pair], ""
            elif text in _VNI_SINGLE:
                out[i] = _VNI_SINGLE[text]
        return out
    converted = convert("".join(out), codec, hyphen=hyphen)
    if len(converted) != len(out):  # a glyph with more or fewer than one character
        return [convert(text, codec) for text in out]
    return list(converted)

"""Text folding for Vietnamese: match with or without diacritics, in any case."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse white space.

    `Bộ Khoa học và Công nghệ` and `bo khoa hoc va cong nghe` fold to the same string.
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text).strip().lower()


def nfc(text: str) -> str:
    """Compose to NFC (phones and Word send decomposed or composed Vietnamese)."""
    return unicodedata.normalize("NFC", text)

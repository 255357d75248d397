"""Unit names as text: the folded comparison key, head nouns, and what a phrase can refer to.

`normalize` is the key the registry indexes and looks up. Head nouns (`Bộ`, `Ban`, `Sở`, `Xã`...)
keep fuzzy candidates plausible: a phrase that starts with one is only compared with names that
start with the same one, so `Sở Tài chính` is never offered `Bộ Tài chính` and `Thành ủy` never a
commune. Communes (3,300 short, similar names) are offered only for a phrase that looks like one.
"""

from __future__ import annotations

import re

from store.text import fold, nfc

BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NON_WORD = re.compile(r"[^0-9a-z\s]+")
# Titles and prefixes that stand before the unit proper; stripped repeatedly from the left.
_PREFIXES = re.compile(
    r"^(?:dong chi|lanh dao|dai dien|chu tich|pho chu tich|thu truong|ubnd|uy ?ban ?nhan ?dan"
    r"|thong doc|tong giam doc|giam doc|chu nhiem) "
)
_REWRITES = (
    (re.compile(r"^bo truong (?:bo )?"), "bo "),
    (re.compile(r"^cuc truong (?:cuc )?"), "cuc "),
    (re.compile(r"^vu truong (?:vu )?"), "vu "),
    (re.compile(r"^(?:tong|chanh) thanh tra "), "thanh tra "),
    (re.compile(r"^chanh van phong "), "van phong "),
    (re.compile(r"^truong ban "), "ban "),
)
# `Tỉnh Nghệ An` and `Nghệ An` are one key; `Tỉnh ủy` is another body and keeps its word.
_DESIGNATOR = re.compile(r"^(?:tinh|thanh pho|tp)(?= )(?! uy\b) ")
MID_DESIGNATOR = re.compile(r" (?:tinh|thanh pho|tp) ")

# Head nouns of Vietnamese unit names, spelled as written (both `ủy` and `uỷ`). A phrase is
# compared on folded text, but its head must also be spelled with the head's diacritics: `Đại
# Lộc` and `Phong Điền` (communes) do not start with `Đài` or `Phòng`; text typed without any
# diacritics is taken at its folded word. A head with no unit behind it (`Sở`, `Phòng`, `Tỉnh
# ủy`) is listed on purpose: such a phrase gets no candidates rather than look-alikes of another
# kind. Left out: heads that start commune names (`Trường Sơn`, `Hội An`, `Đoàn Kết`, `Nhà Bè`).
_HEAD_WORDS = (
    "bộ", "ban", "cục", "tổng cục", "chi cục", "vụ", "sở", "phòng", "ủy ban", "uỷ ban",
    "hội đồng", "văn phòng", "thanh tra", "ngân hàng", "đài", "đại học", "viện", "học viện",
    "tòa án", "toà án", "tập đoàn", "tổng công ty", "công ty", "doanh nghiệp", "nhóm", "tổ",
    "tổ chức", "thường trực", "đảng ủy", "đảng uỷ", "đảng bộ", "tỉnh ủy", "tỉnh uỷ", "thành ủy",
    "thành uỷ", "huyện ủy", "huyện uỷ", "bệnh viện", "kiểm toán", "bảo hiểm", "thông tấn xã",
    "cảng vụ", "mặt trận", "hiệp hội", "cơ quan", "quân khu", "bộ tư lệnh", "bộ chỉ huy", "xã",
    "phường", "đặc khu", "thị trấn",
)  # fmt: skip
_SPELLED: dict[str, re.Pattern[str]] = {
    folded: re.compile(
        r"(?<!\w)(?:" + "|".join(w for w in _HEAD_WORDS if fold(w) == folded) + r")(?!\w)"
    )
    for folded in {fold(w) for w in _HEAD_WORDS}
}
COMMUNE_HEADS = frozenset({"xa", "phuong", "dac khu", "thi tran"})
# Longer heads first, so `tong cong ty` wins over `cong ty` and `bo tu lenh` over `bo`.
_HEAD = re.compile(
    r"^(?:(?:cac|nhung|mot so) )*("
    + "|".join(sorted(_SPELLED, key=len, reverse=True))
    + r")(?= |$)"
)
_PLURAL = re.compile(r"^(?:cac|nhung|mot so|moi)\b")
# Common nouns that never form a place name; a phrase holding one is not a commune's name.
_COMMON = re.compile(
    r"\b(?:co quan|don vi|lien quan|doanh nghiep|to chuc|nha cung cap|chuyen nganh|cac cap"
    r"|duoc phan cong|chu quan|trung uong|chinh phu|cong an)\b"
)
_LETTERS = re.compile(r"[^\W\d_]+")


def normalize(text: str, *, designators: bool = True) -> str:
    """Fold a unit name for comparison: no diacritics/case/punctuation/brackets, titles stripped.

    Args:
        text: a name as written (`UBND tỉnh Nghệ An`, `Bộ KH&CN`, `Cục Kiểm soát TTHC`).
        designators: also strip a leading `tỉnh`/`thành phố`/`TP` (off for collective phrases,
            where `tỉnh, thành phố trực thuộc Trung ương` must keep its words).
    """
    s = fold(BRACKETS.sub(" ", nfc(text))).replace("&", "")  # `KH&CN` == `KHCN`
    s = " ".join(_NON_WORD.sub(" ", s).split())
    while True:
        before = s
        s = _PREFIXES.sub("", s)
        for pattern, repl in _REWRITES:
            s = pattern.sub(repl, s)
        if designators:
            s = _DESIGNATOR.sub("", s)
        if s == before:
            return s


def head_of(key: str) -> str | None:
    """The folded head noun a normalised name starts with (`bo`, `ban`, `xa`...), or None.

    A leading `các`/`những` is skipped: `các ngân hàng` has the head `ngan hang`.
    """
    m = _HEAD.match(key)
    return m.group(1) if m else None


def query_head(text: str, key: str) -> str | None:
    """`head_of(key)` when `text` spells that head with its diacritics (or has none at all)."""
    head = head_of(key)
    if head is None:
        return None
    low = nfc(text).lower()
    if fold(low) == " ".join(low.split()):  # typed without diacritics: trust the folded word
        return head
    return head if _SPELLED[head].search(low) else None


def may_be_commune(text: str, key: str, *, cased: bool) -> bool:
    """Whether a phrase can name a commune, so that communes may be offered as candidates.

    Yes when it starts with `xã`/`phường`/`đặc khu`/`thị trấn`, or is a bare proper name: no
    other head noun, no `các`, no common noun (`cơ quan`, `liên quan`...).

    Args:
        text: the phrase as written.
        key: its `normalize`d form.
        cased: the text comes from a typed document, where proper names are capitalised, so a
            lower-case word rules a proper name out (`chuyên ngành`); off for chat input, where
            people type `binh minh` for `Bình Minh`.
    """
    head = query_head(text, key)
    if head is not None:
        return head in COMMUNE_HEADS
    if not key or _PLURAL.match(key) or _COMMON.search(key):
        return False
    if cased:
        words = _LETTERS.findall(BRACKETS.sub(" ", nfc(text)))
        return all(w[0].isupper() for w in words)
    return True

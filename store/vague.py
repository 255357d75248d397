"""Assignee phrases that name no identifiable unit: `các cơ quan liên quan`, `nhà cung cấp`.

Directives close many lists with such a phrase ("phối hợp với Bộ Công an và các cơ quan liên
quan"). Nobody could map it to units, so it is not matched fuzzily (that offered communes for
`các cơ quan liên quan`) nor reported as an unknown unit: `Expansion.vague` keeps it apart.
Which phrases: generic nouns for bodies or firms (`cơ quan`, `đơn vị`, `tổ chức`, `doanh
nghiệp`, `tập đoàn`, `ngân hàng`, `nhà cung cấp`...), alone or listed, with `các` and plain
modifiers (`nhà nước`, `chức năng`...), after the relevance qualifiers `liên quan`, `được phân
công`, `chủ quản ...` are removed (`store.collectives.qualify`). Categories the seed enumerates
(`các hãng hàng không`, `các doanh nghiệp viễn thông`) are collectives, matched before this.
"""

from __future__ import annotations

import re

_GENERIC = (
    r"(?:co quan|don vi|to chuc|ca nhan|doanh nghiep|tap doan|tong cong ty|cong ty|ngan hang"
    r"|nha cung cap|nha thau|nha mang|hiep hoi|chuyen nganh)"
)
_MODIFIER = (
    r"(?:nha nuoc|thuong mai|co phan|chuc nang|co tham quyen|tham gia|truc thuoc|khac"
    r"|chuyen mon|quoc gia|chuyen nganh|dich vu)"
)
_ITEM = rf"{_GENERIC}(?: {_MODIFIER})*"
_VAGUE = re.compile(rf"(?:(?:cac|nhung|mot so) )?{_ITEM}(?: (?:va )?(?:(?:cac|nhung) )?{_ITEM})*")


def is_vague(qualified: str) -> bool:
    """Whether a span, as `store.collectives.qualify` returns it, names no identifiable unit."""
    return bool(qualified) and _VAGUE.fullmatch(qualified) is not None

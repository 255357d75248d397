"""Unit phrases as directives write them: where one starts, how a list of them splits.

This is text analysis only -- names come back as written (office titles turned into their
bodies, e.g. ``Bộ trưởng Công an`` → ``Bộ Công an``); resolving them to registered units and
expanding collectives (``các bộ, ngành, địa phương``) is the unit registry's job. The reader of
assignment clauses (subjects, ``phối hợp với`` lists) is `store.importing.clauses`.
"""

from __future__ import annotations

import re

from store.importing.levels import shared_level
from store.importing.unit_lists import expand_colon_list, province_names
from store.text import fold

_HEADS = (
    "Bộ", "Ban", "Văn phòng", "Ủy ban", "Uỷ ban", "Ủy ban nhân dân", "Uỷ ban nhân dân",
    "Hội đồng nhân dân", "Tòa án nhân dân", "Bảo hiểm xã hội", "Nhóm công tác", "Tổ công tác",
    "Hãng hàng không", "Tổng cục", "Tổng Công ty", "Tổng công ty", "Tổng Liên đoàn",
    "Tập đoàn", "Cục", "Vụ", "Thanh tra", "Ngân hàng", "Kiểm toán", "Tòa án", "Toà án", "Viện",
    "Đài", "Thông tấn xã", "Bảo hiểm", "Đại học", "Học viện", "Hội đồng", "Tổ", "Nhóm",
    "Trung tâm", "Cổng", "Đảng ủy", "Đảng uỷ", "Sở", "Hội", "Liên đoàn", "Mặt trận", "Quỹ",
    "Hãng", "Cơ quan", "Công ty", "Công an", "Công An", "Bộ Tư lệnh", "Bộ Chỉ huy", "Chi cục",
    "Viện Kiểm sát", "Viện kiểm sát", "Kho bạc", "Đoàn", "Liên minh", "Phòng", "Trường",
    "Bệnh viện", "Hải quan", "Chi nhánh", "Quân khu", "Báo", "Tạp chí", "Nhà xuất bản",
    "Thường trực", "Hiệp hội", "Liên hiệp", "Tiểu ban", "Chi bộ", "Đảng bộ", "Đảng đoàn",
    "Thành phố", "Tỉnh", "thành phố", "tỉnh", "Đại biểu", "Trung ương Đoàn",
    "Trung ương Hội", "Bộ đội",
    # the tax offices of a province and below since 2025 (``Thuế tỉnh Nghệ An``, ``Thuế cơ sở``)
    "Thuế",
)  # fmt: skip
#: Party committees are complete names on their own (``Các tỉnh, Thành ủy``); so are the
#: youth unions of a province, city or district (``Tỉnh đoàn``, ``Huyện đoàn``) and heads
#: whose name goes on with ``và``.
_BARE_HEADS = (
    "Tỉnh ủy", "Thành ủy", "Tỉnh uỷ", "Thành uỷ", "Cấp ủy", "Cấp uỷ", "Huyện ủy", "Huyện uỷ",
    "Quận ủy", "Quận uỷ", "Thị ủy", "Thị uỷ", "Tỉnh đoàn", "Thành đoàn", "Huyện đoàn",
    # a province's merged press and broadcaster (2025): ``Báo và Phát thanh, Truyền hình tỉnh``
    "Báo và Phát thanh", "Báo và Phát Thanh", "Thuế cơ sở",
)  # fmt: skip
_TITLES = (
    "Bộ trưởng", "Thủ trưởng", "Chủ tịch", "Thống đốc", "Tổng Giám đốc", "Giám đốc",
    "Chánh Văn phòng", "Trưởng Ban", "Trưởng ban", "Cục trưởng", "Vụ trưởng",
    "Người đứng đầu", "Tổng Thanh tra", "Bí thư", "Chủ nhiệm", "Chánh án", "Viện trưởng",
    "Tổng cục trưởng", "Chi cục trưởng", "Chi Cục trưởng", "Trưởng phòng", "Tổng Kiểm toán",
    "Hiệu trưởng",
    "Các Bộ trưởng", "Các Chủ tịch", "Thứ trưởng", "Phó Chủ tịch", "Phó Giám đốc",
    # officers of a body named by their portfolio in its own plan (commune Front, sub-committee)
    "Phó chủ tịch", "Các Phó Chủ tịch", "Các Phó chủ tịch", "Cán bộ phụ trách",
    "Chuyên viên phụ trách",
)  # fmt: skip
_HEADS, _BARE_HEADS, _TITLES = (
    tuple(sorted(group, key=len, reverse=True)) for group in (_HEADS, _BARE_HEADS, _TITLES)
)
_ACRONYMS = frozenset(
    {"UBND", "HĐND", "VPCP", "NHNN", "BHXH", "TTXVN", "ĐHQG", "MTTQ", "MTTQVN", "ACV", "EVN",
     "VNPT"}
)  # fmt: skip
#: Folded first word after ``các`` that makes a collective assignee (``các bộ, ngành``).
_COLLECTIVE_NOUNS = frozenset(
    {
        "bo", "nganh", "co", "dia", "tinh", "thanh", "don", "tap", "doanh", "hang", "nhom",
        "ngan", "vu", "cuc", "so", "truong", "vien", "ban", "to", "doan", "xa", "phuong", "uy",
        "ubnd", "tong", "hoi", "dai", "quy", "trung", "cac", "thu", "cap", "hiep",
        "huyen",
    }
)  # fmt: skip

#: Things, not bodies, whose first word is a collective's (``các quy định`` beside ``các
#: quỹ``, ``các trường hợp`` beside ``các trường``), folded.
_NOT_COLLECTIVE = (
    "quy dinh", "quy trinh", "quy che", "quy hoach", "quy chuan", "quy mo", "dia ban",
    "dia diem", "dia chi", "dia gioi", "hang muc", "hang hoa", "tap the", "co che",
    "co so du lieu", "thanh phan", "thanh tich", "thanh qua", "thanh tuu", "don gia",
    "don thu", "vu viec", "vu an", "so lieu", "truong hop", "hoi nghi", "thu tuc",
    "ngan sach", "tinh trang", "tinh huong", "phuong an", "phuong thuc", "phuong tien",
    "noi dung", "nhom giai phap", "nhom nhiem vu", "nhom chi tieu", "cap do",
)  # fmt: skip
#: Collectives whose first word alone is ambiguous (``các chi phí``, ``các phong trào``).
_COLLECTIVE_PHRASES = (
    "chi bộ", "chi cục", "chi nhánh", "đảng bộ", "đảng ủy", "đảng uỷ", "phòng", "lực lượng",
    "thôn", "tổ dân phố", "chính quyền", "thuế tỉnh", "thuế cơ sở",
    # those who own or build a project (``các chủ đầu tư khẩn trương hoàn thiện hồ sơ``)
    "chủ đầu tư", "nhà đầu tư", "nhà thầu",
)  # fmt: skip

#: The same, as whole-word prefixes: ``các thôn`` is a collective, ``các thông tin`` is not.
_COLLECTIVE_PREFIXES = tuple(f"{phrase} " for phrase in _COLLECTIVE_PHRASES)

#: Heads a bare list may follow (``Các Vụ, Cục, đơn vị``).
_LIST_HEADS = frozenset({"Bộ", "Ban", "Vụ", "Cục", "Sở", "Tổng cục", "Viện", "Văn phòng", "Tổ"})
#: Lower-case words that may follow a head word inside a unit name.
_AFTER_HEAD = frozenset(
    {"các", "số", "cấp", "tỉnh", "thành", "huyện", "quận", "xã", "phường", "thị", "đặc", "nhân"}
)
#: Heads that are units whatever follows (``Công an xã``, ``Bộ Chỉ huy quân sự``, ``Cơ quan
#: thanh tra``).
_ANY_REST = frozenset(
    {
        "Công an",
        "Công An",
        "Bộ Chỉ huy",
        "Bộ Tư lệnh",
        "Kho bạc",
        "Cơ quan",
        "Tổng Liên đoàn",
        "Bộ đội",
    }
)


#: Collective bodies whose names go on in lower case (``Ban chỉ đạo``, ``Tổ công tác``), and
#: the words after them that make a verb or a topic instead (``Ban hành``, ``Tổ chức``).
_BODY_HEADS = frozenset(
    {"Ban", "Tổ", "Tiểu ban", "Hội đồng", "Ủy ban", "Uỷ ban", "Đoàn", "Đài", "Tổ công tác",
     "Nhóm công tác"}
)  # fmt: skip
_NOT_A_BODY = frozenset({"hành", "chức", "nhiệm", "kết", "viên", "thể", "hợp"})


def _starts_with(text: str, heads: tuple[str, ...]) -> str | None:
    """The longest of `heads` that `text` starts with as whole words (tuples are pre-sorted)."""
    if not text.startswith(heads):
        return None
    for head in heads:
        if text.startswith(head) and (len(text) == len(head) or not text[len(head)].isalpha()):
            return head
    return None


def is_bare_title(name: str) -> bool:
    """``Người đứng đầu``, ``Thủ trưởng``: a person's title naming no body."""
    return _starts_with(name, _TITLES) == name.strip()


_WHOLE_OF = re.compile(r"^(?:[Hh]ệ thống|[Tt]oàn thể|[Tt]oàn bộ)\s+(?=các\s)")


def is_unit_start(text: str) -> bool:
    """Whether `text` begins with a unit phrase (``Bộ Công an``, ``các bộ``, ``UBND ...``)."""
    text = _WHOLE_OF.sub("", text.lstrip())  # "hệ thống các cơ quan báo chí": the bodies
    capital = text[:1].upper() + text[1:]
    if text[:1].islower() and _starts_with(capital, (*_TITLES, "Cấp ủy", "Cấp uỷ", "Đại biểu")):
        text = capital  # "giao người đứng đầu các cơ quan ...", "yêu cầu cấp uỷ, ..."
    words = text.split(maxsplit=2)
    if not words:
        return False
    if words[0].strip(",:") in _ACRONYMS or _starts_with(text, _BARE_HEADS):
        return True
    if words[0] in {"các", "Các", "mọi", "Mọi"} and len(words) > 1:
        if fold(" ".join(words[1:3])).startswith("van phong"):
            return True  # "các văn phòng tỉnh uỷ": not "các văn bản"
        if fold(" ".join(words[1:3])).startswith(_NOT_COLLECTIVE):
            return False  # "các quy định", "các trường hợp", "các thành phần": things
        phrase = " ".join(words[1:3]).lower().strip(",:").replace(",", " ") + " "
        return fold(words[1]).strip(",:") in _COLLECTIVE_NOUNS or phrase.startswith(
            _COLLECTIVE_PREFIXES
        )
    title = _starts_with(text, _TITLES)
    if title:
        return len(text) > len(title) + 1
    head = _starts_with(text, _HEADS)
    if not head:
        return False
    rest = text[len(head) :]
    if rest[:1] in {":", ","}:
        return head in _LIST_HEADS
    rest = rest.lstrip()
    first = rest.split(" ", 1)[0].rstrip(",")
    # "Bộ Công an", "UBND các tỉnh", "Nhóm công tác số 2": a name, a collective or a number;
    # "Ủy ban nhân dân phường, xã": a level of local government.
    body_name = head in _BODY_HEADS and first not in _NOT_A_BODY  # "Tiểu ban giúp việc ..."
    if head in ("Nhóm", "Tổ") and first == "các":
        return False  # "Nhóm các nền tảng số ...": a group of things
    return bool(rest) and (
        rest[0].isupper()
        or rest[0].isdigit()
        or first in _AFTER_HEAD
        or head in _ANY_REST
        or body_name
    )


def _new_unit_follows(rest: str) -> bool:
    comrade = _COMRADE.match(rest)
    if comrade:  # "..., các đồng chí bộ trưởng, ...": a new addressee by the person's title
        rest = rest[comrade.end() :]
        return is_unit_start(rest[:1].upper() + rest[1:])
    bare = _starts_with(rest, _BARE_HEADS)
    if bare and bare.endswith(("ủy", "uỷ")) and len(rest.split()) <= 2:
        return False  # "Các tỉnh, Thành ủy": the committee completes the collective
    head = _starts_with(rest, _HEADS)
    if head and rest[len(head) : len(head) + 1] in {",", ":"}:
        return False  # "Các Vụ, Cục, đơn vị": a bare noun continues the enumeration
    return is_unit_start(rest)


def split_units(text: str, *, titles: bool = True) -> list[str]:
    """Split a list of units as written into names.

    ``;`` and line breaks separate (except inside ``Các Bộ: A; B; C``); ``,`` and `` và ``
    only before a new unit phrase, so ``Bộ Khoa học và Công nghệ`` and ``Các bộ, ngành, địa
    phương`` stay whole; ``Các Bộ: Xây dựng, Tài chính`` is written out per unit
    (`store.importing.unit_lists.expand_colon_list`), and a province list closing the list
    (``Bí thư tỉnh ủy, Chủ tịch UBND các tỉnh: A, B``) applies to a party committee named
    before it too. A note in parentheses closing a name (``(nơi đi)``) is dropped.

    Args:
        text: The list as written.
        titles: Turn office titles into bodies (sentences: ``Bộ trưởng Bộ Y tế chủ trì``);
            table cells pass False and keep ``Thủ trưởng các đơn vị thuộc VPCP`` as written.
    """
    items: list[str] = []
    text = _APPOSITION.sub("", text)
    text = _BOARD.sub("", text) if titles else text
    for part in _parts(text):
        colon_list = re.match(r"^[Cc]ác [^,:]{1,25}:", part) is not None
        depth, start, i = 0, 0, 0
        while i < len(part):
            ch = part[i]
            depth += ch == "("
            depth -= ch == ")" and depth > 0
            sep = 0
            if depth == 0 and part.startswith(", ", i) and not colon_list:
                sep = 2
            elif depth == 0 and part.startswith(" và ", i):
                sep = 4
            if sep and _new_unit_follows(part[i + sep :]):
                items.append(part[start:i])
                start = i = i + sep
                continue
            i += 1
        items.append(part[start:])
    names: list[str] = []
    for item in items:
        item = _NOTE.sub(lambda m: "" if _is_note(m.group(1)) else m.group(0), item)
        name = normalise_unit(item) if titles else _trim(item)
        places = province_names(name)
        if places:  # "Bí thư tỉnh ủy và Chủ tịch UBND các tỉnh: A, B": both heads, per place
            names = [n for old in names for n in _per_place(old, places)]
        names.extend(expand_colon_list(name) or _categories(name))
    out: list[str] = []
    for name in shared_level(names):
        name = _PORTFOLIO.sub("", name)  # "Thứ trưởng Bộ Y tế phụ trách lĩnh vực": the body
        name = _LEADERS.sub("", name)  # "Lãnh đạo Sở Y tế" (a cell, titles kept): the body
        name = _SCOPE_TAIL.sub("", name)  # "... trong phạm vi chức năng, nhiệm vụ của mình"
        if name == "Lãnh đạo" and len(names) > 1:
            continue  # "Lãnh đạo" / "Sở Tài chính" on two lines of one cell
        if name and all(fold(name) != fold(seen) for seen in out):
            out.append(name)
    return out


_SCOPE_TAIL = re.compile(
    r"\s+(?:theo|trong phạm vi|trong)\s+(?:chức năng|phạm vi|thẩm quyền)\b.*$"
)
_LEADERS = re.compile(
    r"^Lãnh đạo\s+(?=(?:Sở|Ban|Bộ|UBND|Ủy ban|Công an|Bộ Chỉ huy|Văn phòng|Thanh tra)\b)"
)

#: ``..., trước hết là người đứng đầu``: who among the units, not one more unit.
_APPOSITION = re.compile(r",?\s+(?:trước hết là|nhất là|đặc biệt là)\s.*$", re.DOTALL)
#: A deputy's portfolio after the body his title was dropped from.
_PORTFOLIO = re.compile(r"\s+phụ trách(?:\s+(?:lĩnh vực|ngành|địa bàn))?$")


#: ``các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ``: three kinds of bodies of the
#: Government (Luật Tổ chức Chính phủ), one entry each.
_CATEGORIES = re.compile(
    r"^(?:(?:các |Các )?[Bb]ộ,\s*)?cơ quan ngang [Bb]ộ(?:,\s*cơ quan (?:trực )?thuộc Chính phủ)?$"
)


def _categories(name: str) -> list[str]:
    """The Government's categories of bodies written as one phrase, one entry each."""
    if not _CATEGORIES.match(name):
        return [name]
    return [part.strip() for part in re.split(r",\s*", name) if part.strip()]


#: A parenthesis closing a unit's name explains it and is no part of the name: ``(nơi đi)``,
#: ``(Sở A, Sở B, ...)``, the part of the body that does the work (``(Trung tâm Thông tin)``).
_NOTE = re.compile(r"\s*\(([^()]*)\)\s*$")


def is_sub_body(inside: str) -> bool:
    """``Trung tâm Phục vụ hành chính công tỉnh`` in brackets after a body: the part of it that
    does the work, not its name; a short name in capitals (``ACV``) names the body."""
    return is_unit_start(inside) and not inside.isupper()


def _is_note(inside: str) -> bool:
    return inside[:1].islower() or "," in inside or is_sub_body(inside)


def _per_place(name: str, places: list[tuple[str, str]]) -> list[str]:
    """A party committee named without its place (``tỉnh ủy``) written out per province."""
    if fold(name) not in {"tinh uy", "thanh uy"}:
        return [name]
    head = name[:1].upper() + name[1:]
    return [f"{head} {place}" for _, place in places]


def _parts(text: str) -> list[str]:
    """Split at ``;``, line breaks and a full stop before a unit, but keep ``các Bộ: A; B; C``
    together (its ``;`` kept: the names it separates may hold commas, ``Xuất bản, In và Phát
    hành``)."""
    parts: list[str] = []
    for part in (p for piece in re.split(r"\s*[;\n]\s*", text) for p in _sentences(piece)):
        if parts and _COLON_TAIL.search(parts[-1]) and part and not is_unit_start(part):
            parts[-1] = f"{parts[-1]}; {part}"
        else:
            parts.append(part)
    return parts


_COLON_TAIL = re.compile(r"\b[Cc]ác\s+[^,:;]{1,25}:\s*[^:]+$")


def _sentences(piece: str) -> list[str]:
    """``... Du lịch Quốc gia Việt Nam. Vụ trưởng Vụ Kế hoạch``: a full stop before a unit
    ends a list (not ``TP. Hồ Chí Minh``)."""
    out, start = [], 0
    for stop in re.finditer(r"\.\s+(?=[A-ZĐ])", piece):
        if is_unit_start(piece[stop.end() :]):
            out.append(piece[start : stop.start()])
            start = stop.end()
    return [*out, piece[start:]]


#: ``các đồng chí``, ``đồng chí`` before a person's title: a form of address.
_COMRADE = re.compile(r"^(?:[Cc]ác\s+)?[Đđ]ồng chí\s+(?=\w)")


def _trim(name: str) -> str:
    return name.strip(" ,.;:-–\t")


_PERSON_ROLE = re.compile(r"\s+[-–]\s+(?:Phó |Trưởng |Thường trực |Cơ quan thường trực ).*$")
#: What a unit works on, run into its name (``Bộ Khoa học và Công nghệ với các tiêu chuẩn ...
#: áp dụng chung``); not ``Hội Liên lạc với người Việt Nam ở nước ngoài``.
_WITH_WHAT = re.compile(r"(?<!liên lạc)(?<!Liên lạc)\s+với\s+(?!(?:Bộ|Sở|Ủy ban|UBND)\s).*$")
#: ``Chủ tịch Hội đồng thành viên, Tổng giám đốc các tập đoàn``: the persons who head the
#: bodies named after them; the bodies perform.
_BOARD = re.compile(
    r"(?:Chủ tịch\s+)?Hội đồng thành viên,?\s+(?:và\s+)?Tổng [Gg]iám đốc\s+(?=các\s)"
)


def normalise_unit(name: str) -> str:
    """Trim punctuation; turn an office title into its body (``Chủ tịch UBND X`` → ``UBND X``)."""
    name = re.sub(r"^(?:và|Giao|giao)\s+", "", _trim(name))
    name = _COMRADE.sub("", name)  # "các đồng chí bộ trưởng": the person stands for the body
    name = _PERSON_ROLE.sub("", name)  # "Bộ Tài chính - Phó Trưởng ban Thường trực Ban ..."
    name = _WITH_WHAT.sub("", name)  # "Bộ Khoa học và Công nghệ với các tiêu chuẩn ..."
    if name[:1].islower() and _starts_with(name[:1].upper() + name[1:], _TITLES):
        name = name[:1].upper() + name[1:]
    match = re.match(r"^Bộ trưởng(?:,\s*Chủ nhiệm)?\s+(.+)$", name)
    if match:
        rest = match.group(1)
        if _starts_with(rest, ("Văn phòng", "Bộ")) or fold(rest).startswith("cac "):
            return rest
        return f"Bộ {rest}"
    if name.startswith("Tổng Thanh tra"):
        return name.removeprefix("Tổng ")
    for title, keep in (("Chánh Văn phòng", "Văn phòng"), ("Trưởng Ban", "Ban")):
        if name.startswith(title + " "):
            return keep + name[len(title) :]
    title = _starts_with(name, _TITLES)
    if title and len(name) > len(title) + 1:
        rest = name[len(title) :].strip(" ,")
        lower_body = fold(rest).startswith(("co quan", "don vi", "cac ", "tinh uy", "thanh uy"))
        return rest if is_unit_start(rest) or lower_body else name
    if fold(name) in {"bo truong", "cac bo truong"}:
        return "các Bộ"  # "Bộ trưởng, Thủ trưởng cơ quan ngang bộ": the ministers, all of them
    return name

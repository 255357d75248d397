"""Find the units a sentence names: its subject (the lead) and its ``phối hợp với`` list.

This is text analysis only -- names come back as written (office titles turned into their
bodies, e.g. ``Bộ trưởng Công an`` → ``Bộ Công an``); resolving them to registered units and
expanding collectives (``các bộ, ngành, địa phương``) is the unit registry's job.

A subject is a unit phrase at the start of a sentence followed by a task verb (``chủ trì``,
``khẩn trương``, ``bảo đảm`` ...): ``Bộ Tư pháp bảo đảm việc cập nhật ...`` (35-TB/TGV 2.c).
Reporting verbs (``vừa``, ``xác định``, ``trân trọng``) are not tasks, and ``X giao Y ...`` /
``X yêu cầu Y ...`` hand the task to Y (``Ban chỉ đạo ... giao Bộ trưởng Bộ Y tế ...``).
"""

from __future__ import annotations

import re

from store.text import fold

_HEADS = (
    "Bộ", "Ban", "Văn phòng", "Ủy ban", "Uỷ ban", "Ủy ban nhân dân", "Uỷ ban nhân dân",
    "Hội đồng nhân dân", "Tòa án nhân dân", "Bảo hiểm xã hội", "Nhóm công tác", "Tổ công tác",
    "Hãng hàng không", "Tổng cục", "Tổng Công ty", "Tổng công ty",
    "Tập đoàn", "Cục", "Vụ", "Thanh tra", "Ngân hàng", "Kiểm toán", "Tòa án", "Toà án", "Viện",
    "Đài", "Thông tấn xã", "Bảo hiểm", "Đại học", "Học viện", "Hội đồng", "Tổ", "Nhóm",
    "Trung tâm", "Cổng", "Đảng ủy", "Đảng uỷ", "Sở", "Hội", "Liên đoàn", "Mặt trận", "Quỹ",
    "Hãng", "Cơ quan", "Công ty",
)  # fmt: skip
#: Party committees are complete names on their own (``Các tỉnh, Thành ủy``).
_BARE_HEADS = ("Tỉnh ủy", "Thành ủy", "Tỉnh uỷ", "Thành uỷ", "Cấp ủy")
_TITLES = (
    "Bộ trưởng", "Thủ trưởng", "Chủ tịch", "Thống đốc", "Tổng Giám đốc", "Giám đốc",
    "Chánh Văn phòng", "Trưởng Ban", "Trưởng ban", "Cục trưởng", "Vụ trưởng",
    "Người đứng đầu", "Tổng Thanh tra",
)  # fmt: skip
_HEADS, _BARE_HEADS, _TITLES = (
    tuple(sorted(group, key=len, reverse=True)) for group in (_HEADS, _BARE_HEADS, _TITLES)
)
_ACRONYMS = frozenset(
    {"UBND", "HĐND", "VPCP", "NHNN", "BHXH", "TTXVN", "ĐHQG", "MTTQ", "ACV", "EVN", "VNPT"}
)
#: Folded first word after ``các`` that makes a collective assignee (``các bộ, ngành``).
_COLLECTIVE_NOUNS = frozenset(
    {
        "bo", "nganh", "co", "dia", "tinh", "thanh", "don", "tap", "doanh", "hang", "nhom",
        "ngan", "vu", "cuc", "so", "truong", "vien", "ban", "to", "doan", "xa", "phuong", "uy",
        "ubnd", "tong", "hoi", "dai", "quy", "trung", "cac", "thu",
    }
)  # fmt: skip

_TASK_VERBS = (
    "chủ trì", "phối hợp", "khẩn trương", "chủ động", "bảo đảm", "đảm bảo", "tập trung",
    "nghiêm túc", "tổ chức", "rà soát", "nghiên cứu", "tham mưu", "chỉ đạo", "triển khai",
    "xây dựng", "hoàn thành", "hoàn thiện", "thực hiện", "lựa chọn", "được giao", "tiếp tục",
    "đẩy mạnh", "đẩy nhanh", "ban hành", "báo cáo", "tổng hợp", "cập nhật", "bố trí",
    "hướng dẫn", "theo dõi", "đôn đốc", "kiểm tra", "có trách nhiệm", "cần", "phải", "sớm",
    "duy trì", "quán triệt", "đề xuất", "khắc phục", "cung cấp", "thống nhất", "ưu tiên",
    "tăng cường", "phê duyệt", "nâng cấp", "vận hành", "phát động", "thành lập", "số hóa",
    "tiến hành", "đánh giá", "chuẩn bị", "trình Chính phủ", "trình Thủ tướng", "trình cấp",
)  # fmt: skip
_NOT_TASK = (
    "vừa", "đã", "đưa ra", "xác định", "trân trọng", "nêu rõ", "nhấn mạnh", "ghi nhận",
    "đánh giá cao", "được quyền", "kết luận", "biểu dương", "thông báo",
)  # fmt: skip
_DELEGATE = ("giao", "yêu cầu", "đề nghị")
_STOPS = (
    "trên cơ sở", "để", "nhằm", "trong", "theo", "tại", "về", "đối với", "khi", "có cơ chế",
    "thông qua", "với sự",
)  # fmt: skip


def _verb_regex(words: tuple[str, ...]) -> str:
    # Captures glue syllables (``chủtrì``), so the space inside a verb is optional.
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s?") for w in ordered)


_PREDICATE = re.compile(
    rf"(?<!\S)(?P<verb>{_verb_regex(_TASK_VERBS + _NOT_TASK + _DELEGATE)})(?=[\s,:;.]|$)"
)
_COOP = re.compile(r"[Pp]hối\s?hợp(?:\s(?:chặt chẽ|với))*\s+")
_SPAN_END = re.compile(
    rf"(?<!\S)(?:{_verb_regex(_TASK_VERBS + _STOPS)})(?=[\s,:]|$)|[.;:]\s|[.;:]$"
)
_PARENS = re.compile(r"\s*\(([^)]*)\)")
_QUALIFIER = re.compile(r",\s*(?:đặc biệt là|nhất là|trong đó|kể cả)\b.*$")
_LEADING = re.compile(r"^(?:Giao|Đồng thời,|Trong đó,|Cụ thể,|Bên cạnh đó,|Ngoài ra,|Theo đó,)\s+")
#: Lower-case organisations a ``phối hợp với`` list may name (35-TB/TGV 6.a: "đơn vị quản lý
#: cụm cảng hàng không"); only trusted there, where the grammar says a unit follows.
_COOP_NOUNS = ("đơn vị ", "cơ quan ", "doanh nghiệp ", "tổ chức ", "cấp ủy ", "chính quyền ")
_CLAUSE_OPENERS = (
    "Trên cơ sở", "Căn cứ", "Sau khi", "Để", "Cùng với", "Ngay sau khi", "Về", "Đến ngày",
    "Đến hết", "Trước ngày", "Trong tháng", "Từ nay",
)  # fmt: skip
_PEOPLE = re.compile(
    r"(?:[Tt]ất cả |[Tt]oàn thể |[Mm]ọi )?(?:lãnh đạo,? )?(?:cán bộ,? )?"
    r"(?:công chức|viên chức)(?:,? viên chức)?(?: và người lao động)?(?: của| thuộc)?\s+"
)


def _starts_with(text: str, heads: tuple[str, ...]) -> str | None:
    """The longest of `heads` that `text` starts with as whole words (tuples are pre-sorted)."""
    if not text.startswith(heads):
        return None
    for head in heads:
        if text.startswith(head) and (len(text) == len(head) or not text[len(head)].isalpha()):
            return head
    return None


def is_unit_start(text: str) -> bool:
    """Whether `text` begins with a unit phrase (``Bộ Công an``, ``các bộ``, ``UBND ...``)."""
    text = text.lstrip()
    words = text.split(maxsplit=2)
    if not words:
        return False
    if words[0].strip(",:") in _ACRONYMS or _starts_with(text, _BARE_HEADS):
        return True
    if words[0] in {"các", "Các", "mọi", "Mọi"} and len(words) > 1:
        return fold(words[1]).strip(",:") in _COLLECTIVE_NOUNS
    title = _starts_with(text, _TITLES)
    if title:
        return len(text) > len(title) + 1
    head = _starts_with(text, _HEADS)
    if not head:
        return False
    rest = text[len(head) :]
    if rest[:1] in {":", ","}:
        return True
    rest = rest.lstrip()
    first = rest.split(" ", 1)[0]
    # "Bộ Công an", "UBND các tỉnh", "Nhóm công tác số 2": a name, a collective or a number.
    return bool(rest) and (rest[0].isupper() or rest[0].isdigit() or first in {"các", "số", "cấp"})


def _new_unit_follows(rest: str) -> bool:
    if _starts_with(rest, _BARE_HEADS) and len(rest.split()) <= 2:
        return False  # "Các tỉnh, Thành ủy": the committee completes the collective
    head = _starts_with(rest, _HEADS)
    if head and rest[len(head) : len(head) + 1] in {",", ":"}:
        return False  # "Các Vụ, Cục, đơn vị": a bare noun continues the enumeration
    return is_unit_start(rest)


def split_units(text: str, *, titles: bool = True) -> list[str]:
    """Split a list of units as written into names.

    ``;`` and line breaks always separate; ``,`` and `` và `` only before a new unit phrase,
    so ``Bộ Khoa học và Công nghệ`` and ``Các bộ, ngành, địa phương`` stay whole and
    ``Các Bộ: Xây dựng, Tài chính`` keeps its list (ARCHITECTURE §8 allows either).

    Args:
        text: The list as written.
        titles: Turn office titles into bodies (sentences: ``Bộ trưởng Bộ Y tế chủ trì``);
            table cells pass False and keep ``Thủ trưởng các đơn vị thuộc VPCP`` as written.
    """
    items: list[str] = []
    for part in re.split(r"\s*[;\n]\s*", text):
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
    names = [normalise_unit(item) if titles else _trim(item) for item in items]
    return [name for name in names if name]


def _trim(name: str) -> str:
    return name.strip(" ,.;:-–\t")


def normalise_unit(name: str) -> str:
    """Trim punctuation; turn an office title into its body (``Chủ tịch UBND X`` → ``UBND X``)."""
    name = re.sub(r"^(?:và|Giao|giao)\s+", "", _trim(name))
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
        return rest if is_unit_start(rest) else name
    return name


def find_subject(sentence: str, *, delegation: bool = True) -> tuple[list[str], str] | None:
    """The units a sentence assigns a task to, and the predicate that follows them.

    Args:
        sentence: One sentence or clause.
        delegation: Also accept a subject handed the task mid-sentence (``... giao Bộ X``,
            ``... yêu cầu Bộ X``), as news articles write; lists of bullets under a unit
            heading do not, so they pass False.

    Returns None when the sentence does not open with a unit doing a task (a reporting verb,
    no unit, a subject longer than a unit list could be).
    """
    text = _strip_people(_LEADING.sub("", sentence.strip()))
    if not is_unit_start(text):
        return _after_opening_clause(text, delegation)
    match = _PREDICATE.search(text, 0, 260)
    if not match:
        return None
    subject = _QUALIFIER.sub("", text[: match.start()].strip(" ,:"))
    # "(cấp tỉnh, huyện, xã)" qualifies the subject; "(ACV)" names it and stays.
    subject = _PARENS.sub(lambda m: "" if m.group(1)[:1].islower() else m.group(0), subject)
    verb = re.sub(r"\s+", " ", match.group("verb"))
    if not subject or ". " in subject or verb in _NOT_TASK:
        return None
    if verb in _DELEGATE:
        return find_subject(text[match.end() :], delegation=delegation)
    units = split_units(subject)
    return (units, text[match.start() :]) if units else None


def _strip_people(text: str) -> str:
    """``tất cả lãnh đạo, cán bộ, công chức các bộ, ngành, địa phương`` → ``các bộ, ...``.

    Officials of a unit stand for the unit (tb56: ``Đến ngày 30 tháng 6 năm 2025, tất cả lãnh
    đạo, cán bộ, công chức các bộ, ngành, địa phương (...) phải xử lý hồ sơ ...``).
    """
    match = _PEOPLE.match(text)
    if match and is_unit_start(text[match.end() :]):
        return text[match.end() :]
    return text


def _after_opening_clause(text: str, delegation: bool) -> tuple[list[str], str] | None:
    """``Trên cơ sở đề xuất ..., Bộ Khoa học và Công nghệ rà soát`` (35-TB/TGV 4.a)."""
    first = re.split(r"[.!?]\s", text, maxsplit=1)[0]
    handed = _delegated(first) if delegation else None
    if first.startswith(_CLAUSE_OPENERS):
        for match in re.finditer(r",\s+", first[:300]):
            if handed and handed[0] < match.start():
                break  # "Về nhiệm vụ cụ thể, Thủ tướng giao Bộ trưởng các bộ, ..." (tb171)
            rest = _strip_people(first[match.end() :])
            if (rest[:1].isupper() and is_unit_start(rest)) or rest.startswith("các "):
                return find_subject(rest, delegation=delegation)
    return handed[1] if handed else None


def _delegated(text: str) -> tuple[int, tuple[list[str], str] | None] | None:
    """``Thủ tướng Chính phủ giao Bộ trưởng Bộ Công an triển khai ...`` (tb171).

    Returns where the hand-over is and whom it hands the task to.
    """
    for match in re.finditer(r"(?<!\S)(?:giao|yêu cầu)\s+", text[:300]):
        rest = _strip_people(text[match.end() :])
        if is_unit_start(rest):
            return match.start(), find_subject(rest)
    return None


def cooperating_units(text: str) -> list[str]:
    """Units after ``phối hợp (chặt chẽ) với``, up to the verb that ends the list."""
    out: list[str] = []
    for match in _COOP.finditer(text):
        rest = text[match.end() :]
        end = _SPAN_END.search(rest)
        span = rest[: end.start()] if end else rest[:200]
        for name in split_units(span):
            if (is_unit_start(name) or name.startswith(_COOP_NOUNS)) and name not in out:
                out.append(name)
    return out

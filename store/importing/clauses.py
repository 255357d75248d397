"""The assignment-clause reader: which units a sentence gives work to, and with whom.

* ``giao X chủ trì, phối hợp với Y ...``, ``X chủ trì ...``, ``đề nghị X ...``, ``yêu cầu X
  ...``, ``X có trách nhiệm: ...``: the subject before a task verb (`find_subject`);
* ``X: <action>`` (``Bộ Xây dựng: Khẩn trương thành lập ...``): units, a colon, their work;
* leads without a verb we know (``Bộ Tài chính kết nối ...``): a unit name the registry knows,
  then lower-case words (`store.importing.unit_lists.known_prefix`);
* headings that name units and nothing else (`unit_heading`);
* ``phối hợp (chặt chẽ) với A, B`` -- the cooperating units (`cooperating_units`).

Reporting verbs (``vừa``, ``xác định``, ``nhất trí``) are not tasks. Names come back as written
(office titles turned into their bodies by `store.importing.units.normalise_unit`); resolving
them is the unit registry's job.
"""

from __future__ import annotations

import re

from store.importing.unit_lists import expand_colon_list, known_prefix
from store.importing.units import is_bare_title, is_unit_start, split_units
from store.text import fold

_TASK_VERBS = (
    "chủ trì", "phối hợp", "khẩn trương", "chủ động", "bảo đảm", "đảm bảo", "tập trung",
    "nghiêm túc", "tổ chức", "rà soát", "nghiên cứu", "tham mưu", "chỉ đạo", "triển khai",
    "xây dựng", "hoàn thành", "hoàn thiện", "thực hiện", "lựa chọn", "được giao", "tiếp tục",
    "đẩy mạnh", "đẩy nhanh", "ban hành", "báo cáo", "tổng hợp", "cập nhật", "bố trí",
    "hướng dẫn", "theo dõi", "đôn đốc", "kiểm tra", "có trách nhiệm", "cần", "phải", "sớm",
    "duy trì", "quán triệt", "đề xuất", "khắc phục", "cung cấp", "thống nhất", "ưu tiên",
    "tăng cường", "phê duyệt", "nâng cấp", "vận hành", "phát động", "thành lập", "số hóa",
    "tiến hành", "đánh giá", "chuẩn bị", "trình Chính phủ", "trình Thủ tướng", "trình cấp",
    "làm việc", "xem xét", "xử lý", "giải quyết", "giám sát", "bổ sung", "sửa đổi",
    "phân bổ", "tham gia", "tuyên truyền", "tiếp thu", "hoàn chỉnh", "thẩm định", "kiểm soát",
    "ứng phó", "điều chỉnh", "chịu trách nhiệm", "sẵn sàng", "làm đầu mối", "là đầu mối",
    "công bố", "gửi", "tiếp nhận", "phổ biến", "vận động", "huy động",
    "tổ chức thực hiện", "quyết liệt", "kịp thời", "thường xuyên", "phát huy",
    "tích cực", "nắm chắc", "nắm bắt", "quan tâm", "chỉ đạo", "căn cứ", "khắc phục",
    "nâng cao", "phấn đấu", "đổi mới", "kiên quyết", "định kỳ", "sẽ", "hằng năm", "hàng năm",
    "hằng quý", "hàng quý", "hằng tháng", "hàng tháng", "thống kê", "lựa chọn", "cử",
    "cụ thể hóa", "cụ thể hoá", "bám sát", "trực tiếp chỉ đạo", "xuất cấp",
)  # fmt: skip
#: Verbs that open a task's work (``Bộ X chủ trì ...``, ``Rà soát ...``).
TASK_VERBS = _TASK_VERBS
_NOT_TASK = (
    "vừa", "đã", "đưa ra", "xác định", "trân trọng", "nêu rõ", "nhấn mạnh", "ghi nhận",
    "đánh giá cao", "được quyền", "kết luận", "biểu dương", "thông báo", "nhất trí",
    "cơ bản nhất trí", "đồng ý", "hoan nghênh", "cơ bản đồng ý", "ghi nhận",
)  # fmt: skip
_DELEGATE = ("giao", "yêu cầu", "đề nghị")
_STOPS = (
    "trên cơ sở", "để", "nhằm", "trong", "theo", "tại", "về", "đối với", "khi", "có cơ chế",
    "thông qua", "với sự",
)  # fmt: skip


#: Verbs that are nouns after some words: "cơ quan, tổ chức", "các cơ quan tham mưu".
_NOUN_GUARD = {"tổ chức": "(?<!, )", "tham mưu": "(?<!cơ quan )"}


def _verb_regex(words: tuple[str, ...]) -> str:
    # Captures glue syllables (``chủtrì``), so the space inside a verb is optional.
    ordered = sorted(words, key=len, reverse=True)
    # "tổ chức" after a comma is the noun of a list ("cơ quan, tổ chức"), not the verb.
    return "|".join(_NOUN_GUARD.get(w, "") + re.escape(w).replace(r"\ ", r"\s?") for w in ordered)


_PREDICATE = re.compile(
    # Not after "Ban" (Ban Chỉ đạo) or "các" (các tổ chức): nouns; nor after "về" (Vụ ... về
    # xây dựng pháp luật) or in "Ngoại giao", "bàn giao". ("cơ quan, tổ chức": see _verb_regex.)
    r"(?<!\S)(?<!Ban )(?<!ban )(?<!các )(?<!Các )(?<!về )(?<!Ngoại )(?<!ngoại )(?<!bàn )"
    rf"(?P<verb>{_verb_regex(_TASK_VERBS + _NOT_TASK + _DELEGATE)})(?=[\s,:;.]|$)"
)
#: The province or city a notice speaks to, named by its kind alone, then a task verb.
_PLACE = re.compile(rf"^(Tỉnh|Thành phố)\s+(?=(?:{_verb_regex(_TASK_VERBS)})(?:[\s,:;.]|$))")
_COOP = re.compile(r"[Pp]hối\s?hợp(?:\s(?:chặt chẽ|với))*\s+")
_SPAN_END = re.compile(
    rf"(?<!\S)(?:{_verb_regex(_TASK_VERBS + _STOPS)})(?=[\s,:]|$)|[.;:]\s|[.;:]$"
)
_PARENS = re.compile(r"\s*\(([^)]*)\)")
_QUALIFIER = re.compile(r",\s*(?:đặc biệt là|nhất là|trong đó|kể cả)\b.*$")
_LEADING = re.compile(
    r"^(?:(?:Giao cho|Giao|Đồng thời,|Trong đó,|Cụ thể,|Bên cạnh đó,|Ngoài ra,|Theo đó,)\s+"
    # A capture may glue the syllables: "Đềnghịcác Tổ chức Đảng ...".
    r"|(?:Đề\s?nghị|Yêu\s?cầu)\s*(?=\w))"
)
#: Lower-case organisations a ``phối hợp với`` list may name (35-TB/TGV 6.a: "đơn vị quản lý
#: cụm cảng hàng không"); only trusted there, where the grammar says a unit follows.
_COOP_NOUNS = ("đơn vị ", "cơ quan ", "doanh nghiệp ", "tổ chức ", "cấp ủy ", "chính quyền ")
_CLAUSE_OPENERS = (
    "Trên cơ sở", "Căn cứ", "Sau khi", "Để", "Cùng với", "Ngay sau khi", "Về", "Đến ngày",
    "Đến hết", "Trước ngày", "Trong tháng", "Từ nay", "Trong thời gian tới", "Thời gian tới",
)  # fmt: skip
_PEOPLE = re.compile(
    r"(?:[Tt]ất cả |[Tt]oàn thể |[Mm]ọi )?(?:lãnh đạo,? )?(?:cán bộ,? )?"
    r"(?:công chức|viên chức)(?:,? viên chức)?(?: và người lao động)?(?: của| thuộc)?\s+"
    r"|(?:[Cc]ác )?[Đđ]ồng chí\s+"
)


_NAME_GOES_ON = ("các ", "và ", "thuộc ", "trực thuộc ", "cấp ", "tỉnh ", "thành phố ", "của ")


_NAME_END = re.compile(r"^(.*?\b(?:Trung ương|Chính phủ|Việt Nam))\s+(?=[a-zđ])")


def _trim_name(name: str) -> str:
    """``... trực thuộc Trung ương nâng cao ...`` → ``... trực thuộc Trung ương``."""
    ended = _NAME_END.match(name)
    if ended and not name[ended.end() :].startswith(_NAME_GOES_ON):
        return ended.group(1)
    return name


def _trim_known(name: str) -> str:
    """``Bộ Văn hóa, Thể thao và Du lịch đây mạnh``: a name the registry knows, then words in
    lower case that do not go on with it (a verb we do not know, an OCR-garbled one)."""
    known = known_prefix(name)
    rest = name[len(known) :].lstrip(" ,") if known else ""
    if known and rest[:1].islower() and not rest.startswith(_NAME_GOES_ON):
        return known
    return name


def _known_subject(text: str) -> tuple[list[str], str] | None:
    """``Bộ Tài chính kết nối hệ thống thuế``: no verb we know, but a unit name we do."""
    known = known_prefix(text)
    if known is None:
        return None
    rest = text[len(known) :].lstrip(" ,")
    # A name may go on in lower case (``Vụ Pháp luật hình sự - hành chính``): only a sentence
    # (ending in a full stop, or long) has its verb there.
    sentence = text.rstrip().endswith(".") or len(rest.split()) >= 8
    if sentence and rest[:1].islower() and not rest.startswith(_NAME_GOES_ON):
        return [known], rest
    return None


def unit_heading(text: str) -> list[str] | None:
    """The units of a heading that names units and nothing else, else None.

    ``Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ``, ``b) Ban Cơ yếu Chính phủ``,
    ``- Sở Tài chính:``, ``Đề nghị UBND các tỉnh:``, ``Các Bộ: Xây dựng, Tài chính:``.
    """
    name = re.sub(
        r"^(?:Đề nghị|Yêu cầu|Giao cho|Giao|Trách nhiệm của|Nhiệm vụ của)[\s:]+", "", text.strip()
    ).rstrip(" :.;")
    # "Sở Tài chính (cơ quan chủ trì)": a note on the unit's role is no part of its name.
    name = _ROLE_NOTE.sub("", name).strip()
    if len(name) > 200 or not is_unit_start(name) or "\n" in name:
        return None
    # "Thủ trưởng các cơ quan, đơn vị được giao nhiệm vụ": a qualifier, not a predicate.
    bare = _UNIT_QUALIFIER.sub("", name)
    listed = None if text.rstrip().endswith((".", ";")) else expand_colon_list(name)
    if listed:
        # "Các Cục: Quản lý xây dựng, Kinh tế xây dựng": names after the colon, whatever
        # words they are made of.
        return listed
    if _PREDICATE.search(bare) or ". " in name or _known_subject(text.strip()):
        return None
    units = split_units(name)
    return units or None


_ROLE_NOTE = re.compile(
    r"\s*\((?:cơ quan|đơn vị)?\s*(?:chủ trì|phối hợp|thường trực|đầu mối)[^)]*\)"
)
_UNIT_QUALIFIER = re.compile(r"\s+(?:được giao(?: nhiệm vụ)?|được phân công|có liên quan)$")


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
    place = _PLACE.match(text)
    if place:  # "Tỉnh tổ chức thực hiện ...": the province the notice speaks to
        return [place.group(1)], text[place.end() :]
    if not is_unit_start(text):
        return _after_opening_clause(text, delegation)
    labelled = _unit_label(text)
    if labelled:
        return labelled
    match = next(
        (
            m
            for m in _PREDICATE.finditer(text, 0, 260)
            if fold(text[: m.start()]).strip(" ,:") not in {"cac", "nhung", "moi", "cac dong chi"}
        ),
        None,
    )
    if not match:
        return _known_subject(text)
    subject = _QUALIFIER.sub("", text[: match.start()].strip(" ,:"))
    # "(cấp tỉnh, huyện, xã)" qualifies the subject; "(ACV)" names it and stays.
    subject = _PARENS.sub(lambda m: "" if m.group(1)[:1].islower() else m.group(0), subject)
    verb = re.sub(r"\s+", " ", match.group("verb"))
    if not subject or ". " in subject or verb in _NOT_TASK:
        return None
    if verb in _DELEGATE:
        return find_subject(text[match.end() :], delegation=delegation)
    subject = _QUALIFYING_TAIL.sub("", _SUBORDINATE.split(subject, maxsplit=1)[0])
    units = [_trim_known(_trim_name(unit)) for unit in split_units(subject)]
    if all(is_bare_title(unit) for unit in units):
        return None  # "Người đứng đầu chịu trách nhiệm ...": the head of the unit in context
    return (units, text[match.start() :]) if units else None


#: A subordinate clause between the subject and its verb: ``Các Cục Thuế khi tiến hành ...``,
#: ``Sở Tài chính, trên cơ sở đề xuất ...``, ``Ban Xây dựng Đảng để sắp xếp ...``.
_SUBORDINATE = re.compile(r",?\s+(?:khi|trên cơ sở|để|nhằm|nếu)(?:\s|$)")

#: How a subject is qualified after its name: ``các đơn vị trực thuộc Bộ theo chức năng,
#: nhiệm vụ`` performs as ``các đơn vị trực thuộc Bộ``.
_QUALIFYING_TAIL = re.compile(
    r"\s+(?:theo|trong phạm vi|trên cơ sở|căn cứ|với vai trò|trong)\s+"
    r"(?:chức năng|phạm vi|thẩm quyền|nhiệm vụ|lĩnh vực|ngành|địa bàn|kết quả|đề xuất).*$"
    r"|\s+về việc\s.*$"
)


_LABEL = re.compile(r"^(?P<units>[^:]{3,160}?):\s+(?P<rest>\S.*)$", re.DOTALL)


def _unit_label(text: str) -> tuple[list[str], str] | None:
    """``Bộ Xây dựng: Khẩn trương thành lập ...`` -- units, a colon, then their work."""
    match = _LABEL.match(text)
    if not match or _COLON_HEAD.match(text):
        return None
    units = match.group("units")
    if _PREDICATE.search(units) or ". " in units or _LIST_HEAD.search(units):
        return None  # "UBND các tỉnh, thành phố: Tuyên Quang, ..." lists units, not work
    names = [_trim_name(unit) for unit in split_units(units)]
    return (names, match.group("rest")) if names else None


_LIST_HEAD = re.compile(r"\b[Cc]ác\s+(?:tỉnh|thành phố|[Bb]ộ|[Ss]ở|Cục|Vụ|Ban)\b[^:]{0,20}$")
_COLON_HEAD = re.compile(r"^(?:[^:]{0,40}\s)?(?:[Cc]ác|[Nn]hững)\s+[^\W\d][^,:]{0,24}:")


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
        for match in re.finditer(r",\s+", first[:500]):
            if handed and handed[0] < match.start():
                break  # "Về nhiệm vụ cụ thể, Thủ tướng giao Bộ trưởng các bộ, ..." (tb171)
            rest = _strip_people(first[match.end() :])
            if (
                (rest[:1].isupper() and is_unit_start(rest))
                or rest.startswith("các ")
                or _PLACE.match(rest)
            ):
                return find_subject(rest, delegation=delegation)
    return handed[1] if handed else None


def _delegated(text: str) -> tuple[int, tuple[list[str], str] | None] | None:
    """``Thủ tướng Chính phủ giao Bộ trưởng Bộ Công an triển khai ...`` (tb171).

    Returns where the hand-over is and whom it hands the task to.
    """
    for match in re.finditer(r"(?<!\S)(?:giao|yêu cầu|đề nghị)\s+", text[:300]):
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

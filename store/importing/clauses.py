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

from store.importing.rows import column_of
from store.importing.unit_lists import expand_colon_list, known_prefix, name_prefix
from store.importing.units import is_bare_title, is_sub_body, is_unit_start, split_units
from store.importing.verbs import DELEGATE, NOT_TASK, TASK_VERBS, verb_regex
from store.text import fold

_PREDICATE = re.compile(
    # Not after "Ban" (Ban Chỉ đạo) or "các" (các tổ chức): nouns; nor after "về" (Vụ ... về
    # xây dựng pháp luật) or in "Ngoại giao", "bàn giao". (Nouns after other words, e.g.
    # "cơ quan, tổ chức": `store.importing.verbs.NOUN_GUARD`.)
    r"(?<!\S)(?<!Ban )(?<!ban )(?<!các )(?<!Các )(?<!về )(?<!Ngoại )(?<!ngoại )(?!(?<=bàn )giao)"
    rf"(?P<verb>{verb_regex(TASK_VERBS + NOT_TASK + DELEGATE)})(?=[\s,:;.]|$)"
)
#: The province or city a notice speaks to, named by its kind alone, then a task verb.
_PLACE = re.compile(rf"^(Tỉnh|Thành phố)\s+(?=(?:{verb_regex(TASK_VERBS)})(?:[\s,:;.]|$))")
_PARENS = re.compile(r"\s*\(([^)]*)\)")
_QUALIFIER = re.compile(r",\s*(?:đặc biệt là|nhất là|trong đó|kể cả)\b.*$")
_LEADING = re.compile(
    r"^(?:(?:Giao cho|Giao|Đồng thời,|Trong đó,|Cụ thể,|Bên cạnh đó,|Ngoài ra,|Theo đó,)\s+"
    # A capture may glue the syllables: "Đềnghịcác Tổ chức Đảng ...".
    r"|(?:Đề\s?nghị|Yêu\s?cầu)\s*(?=\w))"
)
#: Lower-case organisations a ``phối hợp với`` list may name (35-TB/TGV 6.a: "đơn vị quản lý
#: cụm cảng hàng không"); only trusted there, where the grammar says a unit follows.
_CLAUSE_OPENERS = (
    "Trên cơ sở", "Căn cứ", "Sau khi", "Để", "Cùng với", "Ngay sau khi", "Về", "Đến ngày",
    "Đến hết", "Trước ngày", "Trong tháng", "Từ nay", "Trong thời gian tới", "Thời gian tới",
    # a time, a purpose or a document acted upon before the performer
    "Nhằm", "Tiếp theo",
    # a preposed time or condition (``Trong thời gian giữa hai kỳ họp, X ...``, ``Trường hợp
    # ..., X ...``, ``Khi có ..., X ...``): the subject follows the comma
    "Trong ", "Trường hợp", "Khi ", "Sau ", "Đối với", "Theo đó",
    # a role the performer acts in (``với vai trò là chủ đầu tư, Tập đoàn X chủ động ...``)
    "Với vai trò", "Với tư cách", "Trước mắt",
)  # fmt: skip
#: ``Trong quá trình thực hiện, ...``: the closing clause on adjustments and difficulties;
#: ``Trong thời gian qua, ...``: the background, what was done.
_NOT_AN_OPENER = re.compile(r"^Trong (?:quá trình|thời gian qua|năm qua)")
_PEOPLE = re.compile(
    r"(?:[Tt]ất cả |[Tt]oàn thể |[Mm]ọi )?(?:lãnh đạo,? )?(?:cán bộ,? )?"
    r"(?:công chức|viên chức)(?:,? viên chức)?(?: và người lao động)?(?: của| thuộc)?\s+"
    r"|(?:[Cc]ác )?[Đđ]ồng chí\s+"
)


_NAME_GOES_ON = (
    "các ", "và ", "thuộc ", "trực thuộc ", "cấp ", "tỉnh ", "thành phố ", "của ",
    # the level of a body named after a national one (``Uỷ ban MTTQ Việt Nam xã``)
    "xã ", "phường ", "huyện ", "quận ", "thị xã ", "đặc khu ", "chi nhánh ",
)  # fmt: skip


_NAME_END = re.compile(r"^(.*?\b(?:Trung ương|Chính phủ|Việt Nam))\s+(?=[a-zđ])")


def _trim_name(name: str) -> str:
    """``... trực thuộc Trung ương nâng cao ...`` → ``... trực thuộc Trung ương``."""
    ended = _NAME_END.match(name)
    # The rest is tested with a space after it: a name may end with the level that goes on
    # with it (``Uỷ ban MTTQ Việt Nam xã``, ``... Việt Nam tỉnh``).
    if ended and not (name[ended.end() :] + " ").startswith(_NAME_GOES_ON):
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
    if _NOT_A_UNIT.search(f"{known} {' '.join(rest.split()[:2])}"):
        return None  # "Các cơ sở dữ liệu ...": a thing whose name starts like a body's
    # A name may go on in lower case (``Vụ Pháp luật hình sự - hành chính``): only a sentence
    # (ending in a full stop, or long) has its verb there.
    sentence = text.rstrip().endswith(".") or len(rest.split()) >= 8
    if sentence and rest[:1].islower() and not rest.startswith(_NAME_GOES_ON):
        return [known], rest
    return None


def _lexical_subject(text: str) -> tuple[list[str], str] | None:
    """``Đài Phát thanh và Truyền hình tỉnh mở chuyên mục ...``: no verb we know and a name
    the registry does not know, but a sentence whose opening words are a unit's and whose next
    words are not (`store.importing.unit_lists.name_prefix`)."""
    name = name_prefix(text)
    if name is None:
        return None
    rest = text[len(name) :].lstrip(" ,")
    sentence = text.rstrip().endswith((".", ";")) or len(rest.split()) >= 6
    # "tham mưu, giúp việc Tỉnh ủy; ...": a list of names goes on, no clause follows.
    clause = len(re.split(r"[,;.:]", rest, maxsplit=1)[0].split()) >= 3
    if not (sentence and clause) or not rest[:1].islower() or rest.startswith(_NAME_GOES_ON):
        return None
    units = [unit for unit in split_units(name) if is_unit_start(unit)]
    if any(_NOT_A_UNIT.search(unit) for unit in units) or _NOT_A_UNIT.search(
        f"{name} {' '.join(rest.split()[:2])}"
    ):
        return None
    return (units, rest) if units else None


#: Words that make a would-be name a thing, not a body: ``Các cơ sở dữ liệu ... gồm có``
#: (contents listed), ``lĩnh vực khác`` (a field of activity).
#: ``……… Chức vụ ………``: a form's blanks, not a body.
FORM_BLANK = re.compile(r"…|\.{3,}")
_NOT_A_UNIT = re.compile(
    r"\bgồm(?: có)?$|\bbao gồm\b|\bcơ sở dữ liệu\b|^(?:các )?(?:ngành,? )?lĩnh vực\b"
    r"|^các (?:thông số|chỉ tiêu|chỉ số|tiêu chí|nội dung)\b"
    rf"|{FORM_BLANK.pattern}",
    re.I,
)


def unit_heading(text: str) -> list[str] | None:
    """The units of a heading that names units and nothing else, else None.

    ``Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ``, ``b) Ban Cơ yếu Chính phủ``,
    ``- Sở Tài chính:``, ``Đề nghị UBND các tỉnh:``, ``Các Bộ: Xây dựng, Tài chính:``.
    """
    name = re.sub(
        r"^(?:Đề nghị|Yêu cầu|Giao cho|Giao|Trách nhiệm(?: của)?|Nhiệm vụ của)[\s:]+",
        "",
        text.strip(),
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
    if _PORTFOLIO_HEADING.match(text.strip()):
        return [name]  # "Cán bộ phụ trách lĩnh vực giám sát và phản biện xã hội:": an officer
    if _DUTIES_OF.match(text.strip()) and not text.rstrip().endswith((".", ";")):
        return split_units(name)  # "Trách nhiệm Tổ công tác triển khai Đề án 06:": a name
    _, colon, after = name.partition(": ")
    if colon and _PREDICATE.match(after[:1].lower() + after[1:]):
        return None  # "Vụ Tổ chức cán bộ: Tham mưu Lãnh đạo Bộ:": the unit, then its work
    if _PREDICATE.search(bare) or ". " in name or _known_subject(text.strip()):
        return None
    units = split_units(name)
    if any(_NOT_A_UNIT.search(unit) for unit in units):
        return None  # "7. Các ngành, lĩnh vực khác": a topic
    return units or None


#: An officer named by portfolio heading the duties under it (a body's own plan).
_PORTFOLIO_HEADING = re.compile(
    r"^(?:Đồng chí\s+|Các đồng chí\s+)?(?:Cán bộ|Chuyên viên|Các Phó [Cc]hủ tịch|Phó [Cc]hủ tịch)"
    r"(?:\s+[Tt]hường trực,?)?\s+phụ trách\s[^.;:]{3,120}:?$"
)
#: ``Trách nhiệm của X`` heads X's duties: what follows is a name, verbs in it included.
_DUTIES_OF = re.compile(r"^(?:\d{1,2}[.)]\s*)?Trách nhiệm(?: của)?\s+\S")
_ROLE_NOTE = re.compile(
    r"\s*\((?:cơ quan|đơn vị)?\s*(?:chủ trì|phối hợp|thường trực|đầu mối)[^)]*\)"
)
_UNIT_QUALIFIER = re.compile(r"\s+(?:được giao(?: nhiệm vụ)?|được phân công|có liên quan)$")


def find_subject(
    sentence: str, *, delegation: bool = True, lexical: bool = True
) -> tuple[list[str], str] | None:
    """The units a sentence assigns a task to, and the predicate that follows them.

    Args:
        sentence: One sentence or clause.
        delegation: Also accept a subject handed the task mid-sentence (``... giao Bộ X``,
            ``... yêu cầu Bộ X``), as news articles write; lists of bullets under a unit
            heading do not, so they pass False.
        lexical: When no verb we know follows the unit, also take a name read from its words
            (`_lexical_subject`).

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
    if _is_field(text):
        return None  # "Cơ quan thực hiện: Sở X": a field (`store.importing.records`)
    match = next(
        (
            m
            for m in _PREDICATE.finditer(text, 0, 260)
            if fold(text[: m.start()]).strip(" ,:") not in {"cac", "nhung", "moi", "cac dong chi"}
        ),
        None,
    )
    if not match:
        return _known_subject(text) or (_lexical_subject(text) if lexical else None)
    subject = _QUALIFIER.sub("", text[: match.start()].strip(" ,:"))
    # "(cấp tỉnh, huyện, xã)" qualifies the subject; "(ACV)" names it and stays.
    # "(Trung tâm Phục vụ hành chính công tỉnh)" names the part of the body that does it.
    subject = _PARENS.sub(
        lambda m: "" if m.group(1)[:1].islower() or is_sub_body(m.group(1)) else m.group(0),
        subject,
    )
    verb = re.sub(r"\s+", " ", match.group("verb"))
    if not subject or ". " in subject or verb in NOT_TASK:
        return None
    if verb in DELEGATE:
        return find_subject(text[match.end() :], delegation=delegation)
    subject = _QUALIFYING_TAIL.sub("", _SUBORDINATE.split(subject, maxsplit=1)[0])
    subject = _AUXILIARY.sub("", subject)
    units = [_trim_known(_trim_name(unit)) for unit in split_units(subject)]
    if all(is_bare_title(unit) for unit in units):
        return None  # "Người đứng đầu chịu trách nhiệm ...": the head of the unit in context
    if any(_NOT_A_UNIT.search(unit) for unit in units):
        return None  # "Các ngành, lĩnh vực khác xây dựng ...": fields of activity, no body
    return (units, text[match.start() :]) if units else None


#: A subordinate clause between the subject and its verb: ``Các Cục Thuế khi tiến hành ...``,
#: ``Sở Tài chính, trên cơ sở đề xuất ...``, ``Ban Xây dựng Đảng để sắp xếp ...``; a scope or
#: means after the name (``UBND các xã nơi đơn vị ... đặt trụ sở``, ``... bằng nhiều hình
#: thức``) is no part of it.
_SUBORDINATE = re.compile(
    r",?\s+(?:khi|trên cơ sở|để|nhằm|nếu|trong quá trình|bằng|nơi(?!\s+(?:đi|đến)\b)|tới việc)"
    r"(?:\s|$)"
)

#: How a subject is qualified after its name: ``các đơn vị trực thuộc Bộ theo chức năng,
#: nhiệm vụ`` performs as ``các đơn vị trực thuộc Bộ``.
_QUALIFYING_TAIL = re.compile(
    r"\s+(?:theo|trong phạm vi|trên cơ sở|căn cứ|với vai trò|trong)\s+"
    r"(?:chức năng|phạm vi|thẩm quyền|nhiệm vụ|lĩnh vực|ngành|địa bàn|kết quả|đề xuất).*$"
    r"|\s+về việc\s.*$"
)


#: A modal before the verb belongs to the predicate, not the name (``các bộ, ngành cần tiếp
#: tục rà soát``); a capture may have lost its diacritics (``can``).
_AUXILIARY = re.compile(r"\s+(?:cần|can|phải|phai|sẽ|cũng|đều|vẫn|hãy|tiếp tục|trực tiếp)$")


_LABEL = re.compile(r"^(?P<units>[^:;]{3,160}?):\s+(?P<rest>\S.*)$", re.DOTALL)


_FIELD_NOUNS = (
    "cơ quan",
    "đơn vị",
    "thời gian",
    "thời hạn",
    "trách nhiệm",
    "thực hiện",
    "chủ trì",
)


def _is_field(text: str) -> bool:
    """``Cơ quan thực hiện: ...``, ``Thời gian: ...``: a field label, then its value."""
    label, colon, _ = text.partition(":")
    return (
        bool(colon)
        and len(label) <= 50
        and label.strip().lower().startswith(_FIELD_NOUNS)
        and column_of(label) is not None
    )


def _unit_label(text: str) -> tuple[list[str], str] | None:
    """``Bộ Xây dựng: Khẩn trương thành lập ...`` -- units, a colon, then their work."""
    match = _LABEL.match(text)
    if not match:
        return None
    rest = match.group("rest")
    # "Cục Văn hóa các dân tộc Việt Nam: Chủ trì ...": the work opens after the colon, in
    # capitals, so the colon closes the units whatever words they hold.
    opening = _PREDICATE.match(rest[:1].lower() + rest[1:])
    after = rest[opening.end() :].lstrip(" ,") if opening else ""
    # ... and goes on in lower case: "Xây dựng, Công Thương, ..." lists ministries' names.
    work = opening is not None and (not after or after[:1].islower())
    if _COLON_HEAD.match(text) and not work:
        return None
    units = _HEAD_LIST.sub(r"\g<1>: \g<2>", match.group("units")) if work else match.group("units")
    if _is_field(text):
        return None  # "Cơ quan thực hiện: Sở X", "Thời gian: ...": a field, not a performer
    if _PREDICATE.search(units) or ". " in units or (_LIST_HEAD.search(units) and not work):
        return None  # "UBND các tỉnh, thành phố: Tuyên Quang, ..." lists units, not work
    names = [_trim_name(unit) for unit in split_units(units)]
    if any(_NOT_A_UNIT.search(name) for name in names):
        return None  # "Các cơ sở dữ liệu ... gồm có: Dữ liệu ...": contents, not work
    return (names, match.group("rest")) if names else None


#: ``Các Bộ Quốc phòng, Công an``: names under one head word, without its colon.
_HEAD_LIST = re.compile(
    r"^([Cc]ác (?:Bộ|Sở|Cục|Vụ|Tập đoàn|Tổng công ty)) ([A-ZĐ][^,]*(?:,| và) [A-ZĐ].*)$"
)
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


def opening_clause(text: str) -> bool:
    """Whether `text` opens with a time, purpose or condition before its subject (``Trên cơ
    sở đó, Ban Chỉ đạo 389 ...``, ``Trong thời gian tới, Tỉnh ...``)."""
    # After a topic's colon the clause opens in lower case (``Về X: với vai trò là ...``).
    text = text[:1].upper() + text[1:]
    return text.startswith(_CLAUSE_OPENERS) and not _NOT_AN_OPENER.match(text)


def _after_opening_clause(text: str, delegation: bool) -> tuple[list[str], str] | None:
    """``Trên cơ sở đề xuất ..., Bộ Khoa học và Công nghệ rà soát`` (35-TB/TGV 4.a)."""
    first = re.split(r"[.!?]\s", text, maxsplit=1)[0]
    handed = _delegated(first) if delegation else None
    if opening_clause(first):
        for match in re.finditer(r",\s+", first[:500]):
            if handed and handed[0] < match.start():
                break  # "Về nhiệm vụ cụ thể, Thủ tướng giao Bộ trưởng các bộ, ..." (tb171)
            rest = _strip_people(first[match.end() :])
            if (
                (rest[:1].isupper() and is_unit_start(rest))
                or rest.startswith("các ")
                or _PLACE.match(rest)
            ):
                # After an opening clause, a name without a verb we know is more often an
                # object of the clause than the performer.
                return find_subject(rest, delegation=delegation, lexical=False)
    return handed[1] if handed else None


def _delegated(text: str) -> tuple[int, tuple[list[str], str] | None] | None:
    """``Thủ tướng Chính phủ giao Bộ trưởng Bộ Công an triển khai ...`` (tb171).

    Returns where the hand-over is and whom it hands the task to.
    """
    # "theo yêu cầu của Ban Bí thư", "đề nghị của Bộ X": a noun, nobody is asked.
    for match in re.finditer(
        r"(?<!\S)(?<!quyền )(?:giao|yêu cầu|đề nghị)\s+(?!của\s)", text[:300]
    ):
        # "... được quyền yêu cầu ...": a power, not work handed over.
        rest = _strip_people(text[match.end() :])
        if is_unit_start(rest):
            return match.start(), find_subject(rest)
    return None

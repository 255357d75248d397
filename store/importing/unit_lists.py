"""Lists of units written under one head word, and where a unit's name ends.

* ``Các Bộ: Công Thương, Xây dựng, Văn hóa, Thể thao và Du lịch`` names three ministries:
  ``Bộ Công Thương``, ``Bộ Xây dựng``, ``Bộ Văn hóa, Thể thao và Du lịch`` (a comma inside a
  name is kept when the unit registry knows the longer name); an entry that is a unit of its
  own (``Thanh tra Chính phủ``) keeps its name;
* ``Sở TN&MT, KH&ĐT`` style abbreviations after a head word follow the same rule;
* ``Bộ Tài chính làm việc cụ thể ...``: the longest start of a phrase that the registry knows
  as a unit name ends the unit there (the subject reader's verb list cannot be complete).

The registry (`store.registry.UnitRegistry` from the seed records) is used as a lexicon only:
names stay as written; resolving them is the importer's job.
"""

from __future__ import annotations

import re
from functools import cache

from store.importing.verbs import TASK_VERBS, verb_regex
from store.names import normalize
from store.text import fold

_COLON_LIST = re.compile(
    # "Bộ: NN&MT, Xây dựng, ...": a table cell may drop the "Các"
    r"^(?:(?:[Cc]ác|[Nn]hững)\s+(?P<head>[^\W\d][^,:]{0,24}?)|(?P<bare>Bộ|Sở|Cục|Vụ|Ban))"
    # "Các Bộ, cơ quan: Tài chính, ...": a second kind of body under the same list.
    r"(?:\s*,\s*(?:cơ quan|ngành|đơn vị)(?: ngang Bộ| liên quan)?)?\s*:\s*(?P<list>.+)$"
)
_WORK = re.compile(rf"\s(?:{verb_regex(TASK_VERBS)})(?=[\s,:;.]|$)")
_HEAD_WORDS = {
    "bộ": "Bộ", "sở": "Sở", "ban": "Ban", "cục": "Cục", "vụ": "Vụ", "tổng cục": "Tổng cục",
    "viện": "Viện", "đài": "Đài", "tập đoàn": "Tập đoàn", "tổng công ty": "Tổng công ty",
    "phòng": "Phòng", "hội": "Hội", "trường": "Trường", "bệnh viện": "Bệnh viện",
    "ủy ban": "Ủy ban", "văn phòng": "Văn phòng", "học viện": "Học viện",
}  # fmt: skip
_MAX_NAME_WORDS = 12
#: First words of a name that states its own kind of body (never under another head word).
_OWN_KINDS = (
    "Tập đoàn ", "Tổng công ty ", "Tổng cục ", "Ngân hàng ", "Ủy ban ", "Uỷ ban ",
    "Văn phòng ", "Đài ", "Thông tấn ", "Học viện ", "Viện ", "Bảo hiểm xã hội",
)  # fmt: skip


@cache
def _known() -> frozenset[str]:
    """Normalised names and aliases of the seed units."""
    from store.units import seed_records  # local: building the seed list is not free

    keys: set[str] = set()
    for record in seed_records():
        for name in (record.name, record.short_name, *record.aliases):
            if name:
                keys.add(normalize(name))
    return frozenset(keys)


def is_known_unit(name: str) -> bool:
    """Whether the unit registry's seed data knows this exact name (or alias)."""
    key = normalize(name)
    return bool(key) and key in _known()


_PROVINCE_LIST = re.compile(
    r"^(?P<prefix>.*?)\b[Cc]ác\s+(?:tỉnh|thành phố)(?:,\s*(?:tỉnh|thành phố))?\s*:?\s+"
    r"(?P<list>[A-ZĐÀ-Ỹ][^:]*)$"
)


def province_names(phrase: str) -> list[tuple[str, str]] | None:
    """``UBND các tỉnh: Đắk Lắk, Gia Lai`` → ``[("tỉnh", "Đắk Lắk"), ("tỉnh", "Gia Lai")]``;
    None when the phrase is no list of provinces."""
    match = _PROVINCE_LIST.match(phrase.strip())
    if not match:
        return None
    names = [p.strip(" .;") for p in re.split(r",\s*|\s+và\s+", match.group("list"))]
    out = []
    for name in filter(None, names):
        designator = _province_designators().get(fold(name))
        if designator is None:
            return None  # not a list of provinces
        out.append((designator, name))
    return out or None


def _provinces(phrase: str) -> list[str] | None:
    """``UBND các tỉnh, thành phố: Tuyên Quang, Hồ Chí Minh`` → ``UBND tỉnh Tuyên Quang``,
    ``UBND thành phố Hồ Chí Minh``; ``Các tỉnh Nghệ An, Quảng Ngãi`` → ``tỉnh Nghệ An`` ..."""
    places = province_names(phrase)
    match = _PROVINCE_LIST.match(phrase.strip())
    if not places or not match:
        return None
    prefix = match.group("prefix").strip()
    if prefix.startswith("Bộ ") and is_known_unit(prefix):
        # "Bộ Quốc phòng các tỉnh A, B" (a comma lost): a ministry has no branch per province.
        return [prefix, *(f"{designator} {name}" for designator, name in places)]
    return [f"{prefix} {designator} {name}".strip() for designator, name in places]


@cache
def _province_designators() -> dict[str, str]:
    """Folded province name → ``tỉnh`` or ``thành phố``, as the seed data names it."""
    from store.units import seed_records

    out: dict[str, str] = {}
    for record in seed_records():
        key = fold(record.name)
        if record.kind.value == "province":
            word = "thành phố" if key.startswith("thanh pho") else "tỉnh"
            out[key.removeprefix("thanh pho ").removeprefix("tinh ")] = word
    for name in _FORMER_PROVINCES:  # documents before the 2025 merger name these
        out.setdefault(fold(name), "tỉnh")
    return out


#: The provinces merged into others on 1 July 2025 (Nghị quyết 202/2025/QH15); directives
#: issued before then list them (``UBND các tỉnh: Lào Cai, Yên Bái, Hà Giang``).
_FORMER_PROVINCES = (
    "Bà Rịa - Vũng Tàu", "Bà Rịa-Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Đắk Nông", "Hà Giang", "Hà Nam",
    "Hải Dương", "Hậu Giang", "Hòa Bình", "Hoà Bình", "Kiên Giang", "Kon Tum", "Long An",
    "Nam Định", "Ninh Thuận", "Phú Yên", "Quảng Bình", "Quảng Nam", "Sóc Trăng", "Thái Bình",
    "Thừa Thiên Huế", "Thừa Thiên - Huế", "Tiền Giang", "Trà Vinh", "Vĩnh Phúc", "Yên Bái",
)  # fmt: skip


def _list_only(listed: str) -> str:
    """``Quốc phòng, Công an chỉ đạo lực lượng đóng trên địa bàn``: the list ends where the
    work of its last name starts (a verb followed by a clause, not a name's last words as in
    ``Kinh tế xây dựng``)."""
    head, comma, last = listed.rpartition(",")
    work = _WORK.search(last)
    if work is None or len(last[work.end() :].split()) < 3:
        return listed
    return f"{head}{comma}{last[: work.start()]}"


#: ``UBND các xã: Gia Thuận, Tân Điền`` (or ``... 04 xã: ...``): the communes' committees.
_LOCAL_LIST = re.compile(
    r"^(?P<prefix>(?:Ủy|Uỷ) ban nhân dân|UBND)\s+(?:các\s+|\d{1,2}\s+)?(?P<level>xã|phường)"
    r"\s*:\s*(?P<list>[A-ZĐÀ-Ỹ][^:;()]*)$"
)


def _local_units(phrase: str) -> list[str] | None:
    match = _LOCAL_LIST.match(phrase.strip().rstrip(" .;"))
    if not match:
        return None
    names = [p.strip(" .") for p in re.split(r",\s*|\s+và\s+", match.group("list"))]
    if not all(name[:1].isupper() and len(name.split()) <= 5 for name in names):
        return None
    return [f"{match.group('prefix')} {match.group('level')} {name}" for name in names if name]


def expand_colon_list(phrase: str) -> list[str] | None:
    """``Các Bộ: A, B, C`` → ``[Bộ A, Bộ B, Bộ C]``; None when the phrase is no such list."""
    provinces = _provinces(phrase) or _local_units(phrase)
    if provinces:
        return provinces
    match = _COLON_LIST.match(phrase.strip())
    if not match:
        return None
    head = _HEAD_WORDS.get((match.group("head") or match.group("bare")).lower())
    if head is None:
        return None
    listed = match.group("list")
    # "Các Cục: Bản quyền tác giả; Xuất bản, In và Phát hành": ";" separates, "," is a name's.
    separator = r";\s*" if ";" in listed else r",\s*"
    pieces = [p.strip(" .;") for p in re.split(separator, _list_only(listed)) if p.strip(" .;")]
    if pieces and " và " in pieces[-1]:
        last_a, last_b = pieces[-1].rsplit(" và ", 1)
        if not is_known_unit(f"{head} {pieces[-1]}") and (
            is_known_unit(f"{head} {last_b}") or is_known_unit(last_b)
        ):
            pieces[-1:] = [last_a, last_b]
    out: list[str] = []
    index = 0
    while index < len(pieces):
        step = 1
        for end in range(len(pieces), index + 1, -1):  # longest known name first
            if is_known_unit(f"{head} {', '.join(pieces[index:end])}"):
                step = end - index
                break
        name = ", ".join(pieces[index : index + step])
        named = is_known_unit(name) and not is_known_unit(f"{head} {name}")
        # "..., Ngoại giao, Tập đoàn Điện lực Việt Nam": a body that names its own kind.
        own_kind = name.startswith(_OWN_KINDS)
        out.append(name if named or own_kind else f"{head} {name}")
        index += step
    return out


def known_prefix(phrase: str) -> str | None:
    """The longest start of `phrase` (two words or more) that names a known unit, if shorter."""
    words = phrase.split()
    for count in range(min(len(words), _MAX_NAME_WORDS), 1, -1):
        candidate = " ".join(words[:count]).rstrip(" ,;:")
        if is_known_unit(candidate):
            return candidate if count < len(words) else None
    return None


#: Lower-case words a unit's name may hold besides those of the registry's names: levels of
#: government, collective nouns, the words of ``trực thuộc Trung ương``.
_NAME_WORDS = frozenset(
    {
        "các", "và", "cấp", "tỉnh", "thành", "phố", "huyện", "quận", "thị", "xã", "trấn",
        "phường", "đặc", "khu", "nhân", "dân", "trực", "thuộc", "trung", "ương", "sở", "ban",
        "ngành", "bộ", "cơ", "quan", "đơn", "vị", "địa", "phương", "liên", "có", "doanh",
        "nghiệp", "đoàn", "thể", "hội", "chính", "trị", "ủy", "uỷ", "công", "an", "quân",
        "sự", "biên", "phòng", "tế", "nông", "thôn", "số", "ngang", "chuyên", "môn", "tập",
        "tổng", "ty", "nhà", "nước", "mặt", "trận", "tổ", "quốc", "đảng", "&",
        # the lower-case words of head words ("Trung tâm", "Bảo hiểm", "Kho bạc", ...)
        "tâm", "cục", "viện", "hiểm", "án", "toán", "bạc", "sát", "lệnh", "huy", "đồng", "tấn",
        "học", "hiệp", "minh", "bản", "xuất", "chí", "nhánh",
    }
)  # fmt: skip


@cache
def _name_words() -> frozenset[str]:
    """Lower-case words of the seed units' names, and `_NAME_WORDS`."""
    from store.units import seed_records  # local: building the seed list is not free

    words = {
        word.strip(",")
        for record in seed_records()
        for name in (record.name, record.short_name, *record.aliases)
        if name
        for word in name.split()[1:]
        if word[:1].islower()
    }
    return frozenset(words | _NAME_WORDS)


def name_prefix(phrase: str) -> str | None:
    """The start of `phrase` made of the words unit names are made of (capitalised words,
    numbers, levels of government, the registry's lower-case name words), when words of
    another kind follow: ``Đài Phát thanh và Truyền hình tỉnh mở chuyên mục`` → ``Đài Phát
    thanh và Truyền hình tỉnh``. A name reader for verbs no list knows."""
    words = phrase.split()
    vocabulary = _name_words()
    count = 0
    for position, word in enumerate(words):
        core = word.strip(",()")
        if position and not (core[:1].isupper() or core[:1].isdigit() or core in vocabulary):
            break
        count = position + 1
        if word.endswith((";", ":", ".")):
            break
    name = " ".join(words[:count]).rstrip(" ,;:.")
    return name if 1 < count < len(words) else None

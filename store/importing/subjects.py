"""Who an item names as its performers, and what its introducing sentence dates.

* ``Về việc ...: Giao Bộ A, Bộ B nghiên cứu ...``: a topic, then the sentence that assigns it
  (a unit named inside the topic is not the performer; `own_subject`);
* ``Thường trực Đảng uỷ nhất trí ...; giao Ban Xây dựng Đảng tham mưu ...``: work handed over
  further on in the item (`handed_over`);
* the deadline an introducing sentence sets for the items under it (`intro_deadline`);
* several performers in one item, in later sentences or ``;`` clauses (`other_performers`);
* the units a sentence that introduces a list hands it to (`addressed`, `opens_list`).
"""

from __future__ import annotations

import re

from store.importing.clauses import find_subject, opening_clause, unit_heading
from store.importing.not_tasks import AGREES, ANSWERS_FOR, MEETING, REPORTING_OPENER, is_appeal
from store.importing.outline import Item
from store.importing.phrases import find_deadline, sentences
from store.importing.roles import role_lead
from store.importing.units import is_unit_start

HANDOVER = re.compile(r"(?:^|[\s;,.:])(?:giao|đề nghị|yêu cầu)\s+(?!của\s)", re.IGNORECASE)


def handed_over(text: str) -> tuple[list[str], str] | None:
    """``Thường trực Đảng uỷ nhất trí ...; giao Ban Xây dựng Đảng tham mưu ...``: work handed
    to a unit further on in the item, after what its opening says."""
    for match in HANDOVER.finditer(text):
        if text[: match.start() + 1].rstrip().endswith("quyền"):
            continue  # "được quyền yêu cầu ...": a power, not work handed over
        found = find_subject(text[match.end() :], delegation=False)
        if found:
            return found
    return None


def topic_subject(item: Item, text: str) -> tuple[list[str], str] | None:
    """``Quyết liệt trong chỉ đạo ...: Các đồng chí Bộ trưởng ... phải ...`` -- a topic, then
    the sentence that assigns it (on the same line, or the paragraph under a topic heading)."""
    head, colon, body = text.partition(": ")
    if colon and len(head) < 320:
        found = find_subject(body)
        if found:
            return found
    if text.rstrip().endswith(":") and item.extra and not item.children:
        return find_subject(item.extra[0])
    if _TOPIC_LINE.match(text) and item.extra and not item.children:
        # "2. Về công tác cán bộ" over "Thường trực ... nhất trí ... Giao Ban X tham mưu ...".
        first = item.extra[0]
        found = find_subject(first)
        if found is None or AGREES.match(found[1]):
            return handed_over(first[first.find(found[1]) :] if found else first)
        return found
    return None


def performer_below(item: Item, text: str) -> tuple[list[str], str] | None:
    """``2.1. Nghị quyết về phát triển ... giai đoạn 2026 - 2030`` over ``Đảng uỷ UBND xã chủ
    trì, ... tham mưu trình trong tháng 01/2026``: what is to be done, then who does it (an
    item naming no performer, with no heading above to name one)."""
    if not item.extra or item.children or text.rstrip().endswith((":", ";")):
        return None
    if not (item.extra[0][:1].isupper() and is_unit_start(item.extra[0])):
        return None  # the paragraph below opens with its performer, or is not this shape
    found = find_subject(item.extra[0], delegation=False)
    return found if found is not None and not AGREES.match(found[1]) else None


#: ``Về việc ...: Giao Bộ A, Bộ B nghiên cứu ...``: a topic, then the sentence that assigns it.
_TOPIC = re.compile(r"^(?:Về|Đối với)\s[^:]{0,320}:\s")
#: ``Về công tác cán bộ``: a topic heading with no colon over the paragraph that assigns it.
_TOPIC_LINE = re.compile(r"^(?:Về|Đối với)\s[^.;:]{0,200}$")


#: ``Thành phố Hà Nội là đơn vị đi đầu ...``: what a unit is, not work it is given.
_COPULA = re.compile(r"^[^,.;:]{3,80}?\slà\s+(?:đơn vị|cơ quan|địa phương|một|những|nơi)\b")


#: A schedule line ``Đại hội Hội Nông dân xã: Ngày 07/11/2025``: the body that holds it.
_CONGRESS = re.compile(r"^(?:Tổ chức\s+)?Đại hội(?:\s+đại biểu)?\s+([^:]{3,80}?)\s*:\s*(?=\S)")


def own_subject(item: Item, text: str) -> tuple[list[str], str] | None:
    """The units an item names as its performers; after a topic, those of the sentence that
    follows it (a unit named inside the topic is not the performer)."""
    if _TOPIC.match(text):
        found = topic_subject(item, text)
        if found and not AGREES.match(found[1]):
            return found
        # "Về ...: Thường trực nhất trí ...; giao UBND xã ...": who the work is handed to; a
        # unit named inside the topic or the agreement is not the performer.
        return handed_over(found[1] if found else text.partition(": ")[2])
    congress = _CONGRESS.match(text)
    if congress and is_unit_start(congress.group(1)):
        return [congress.group(1)], text[congress.end() :]  # the body holds its congress
    found = find_subject(text)
    if found and (AGREES.match(found[1]) or _COPULA.match(text)):
        # "Ban Thường vụ Đảng uỷ thống nhất ...": what the meeting agreed; "Thành phố là đơn
        # vị đi đầu ...": what a unit is. The performers are those it hands work to, if any.
        return handed_over(text[text.find(found[1]) :])
    return found


def intro_deadline(text: str) -> str:
    """The deadline an introducing sentence sets for the items under it: one stated where it
    hands the work over or after, not in the background or purpose before that (``Từ nay đến
    hết năm 2025 chỉ còn gần 2 tháng, ...; do vậy, yêu cầu các bộ, ngành ...:`` and ``Để ...,
    phấn đấu hoàn thành trước ngày 30/11/2025 ..., đề nghị Bộ Y tế ...:`` set none)."""
    last = sentences(text)[-1] if text.strip() else ""
    handovers = list(HANDOVER.finditer(last))
    if not handovers and _ASKS_BELOW.search(last) and _PURPOSE.match(last):
        return ""
    return find_deadline(last[handovers[-1].start() :] if handovers else last)


#: ``..., Thủ tướng Chính phủ yêu cầu:``: the request is the list below; what came before it
#: is the purpose (``Để ... bảo đảm ... trước Tết nguyên đán năm 2026, ...``).
_ASKS_BELOW = re.compile(r"(?:giao|đề nghị|yêu cầu|chỉ thị)\s*:\s*$", re.IGNORECASE)
_PURPOSE = re.compile(r"^\W*(?:Để|Nhằm)\s", re.IGNORECASE)
_HAND_OVER_WORD = re.compile(r"^(?:Giao|Đề nghị|Yêu cầu)\s")


#: What a unit named in a later clause does when it only helps (``...; Bộ Tư pháp phối hợp``).
_JOINS = re.compile(r"^(?:phối\s?hợp|tham gia)\b")


def _clauses(text: str) -> list[str]:
    """The sentences of an item after its first, and the clauses after a ``;`` in any of them
    (``Sở Nội vụ tham mưu ...; Văn phòng UBND tỉnh hỗ trợ ...``)."""
    out = []
    for position, sentence in enumerate(sentences(text)):
        parts = [part.strip() for part in sentence.split("; ")]
        out += parts[1:] if position == 0 else parts
    return out


def other_performers(text: str) -> list[str]:
    """Units that later sentences or ``;`` clauses of an item open with (``... Bộ Tư pháp tổng
    hợp ...``): the item has several performers, one task with all of them as leads."""
    out: list[str] = []
    for sentence in _clauses(text):
        # "Trên cơ sở đó, Ban Chỉ đạo 389 các bộ, ngành ... xây dựng kế hoạch": the performer
        # after an opening clause performs too.
        if not is_unit_start(_HAND_OVER_WORD.sub("", sentence)) and not opening_clause(sentence):
            continue
        if is_appeal(sentence):
            continue  # "Căn cứ kết luận ..., đề nghị các cơ quan ... triển khai thực hiện./."
        found = find_subject(sentence, delegation=False)
        if found and (ANSWERS_FOR.match(found[1]) or _JOINS.match(found[1])):
            continue
        out += [unit for unit in (found[0] if found else []) if unit not in out]
    return out


_ADDRESS = re.compile(r"(?:^|\s)(?:[Đđ]ề nghị|[Yy]êu cầu|[Gg]iao)\s+")


#: ``Thủ tướng yêu cầu các Bộ trưởng, ..., Chủ tịch UBND các tỉnh (sau đây gọi tắt là các bộ,
#: cơ quan trung ương và địa phương)``: the name used for them from there on.
_ALIAS = re.compile(
    r"\(sau đây (?:gọi|viết) (?:tắt|chung)? ?là:?\s*([^()]{3,80})\)", re.IGNORECASE
)


def addressed(sentence: str, *, subject: bool = False) -> list[str]:
    """Units a sentence that introduces a list hands it to (``Đề nghị UBND các tỉnh: ...``).

    A heading, an address (``đề nghị``/``yêu cầu``/``giao`` X), or with `subject` (a paragraph
    under a section heading) the subject of the sentence that ends with the colon (``Văn phòng
    Trung ương Đảng ... cụ thể hoá để tổ chức thực hiện một số nhiệm vụ sau:``). The subject of
    an opening clause (``Trên cơ sở ý kiến của các cơ quan, ...``) is not the performer.
    """
    found = unit_heading(sentence)
    if found:
        return found
    alias = _ALIAS.search(sentence)
    if alias and _ADDRESS.search(sentence[: alias.start()]) and is_unit_start(alias.group(1)):
        return [alias.group(1).strip()]  # the name the directive gives the addressees
    for match in _ADDRESS.finditer(sentence):
        rest = sentence[match.end() :]
        units = unit_heading(rest) or (find_subject(rest, delegation=False) or ([], ""))[0]
        if units:
            return units
    last = sentences(sentence)[-1] if sentence.strip() and subject else ""
    if not opens_list(last):
        return []
    own = find_subject(last, delegation=False)
    # "..., thành phố Đà Nẵng cần tập trung thực hiện ... sau đây:": a place by its kind too.
    for match in _SUBJECT_AFTER_COMMA.finditer(last[:600]):
        if own or REPORTING_OPENER.match(last) or MEETING.search(last):
            break
        # "Quán triệt ...; căn cứ ..., Văn phòng X và các văn phòng Y cụ thể hoá ... sau:"
        rest = last[match.end() :]
        own = find_subject(rest, delegation=False) if is_unit_start(rest) else None
    return own[0] if own else []


#: ``... thực hiện tốt các nội dung sau đây.``: a sentence that announces the list after it,
#: closed with a full stop instead of a colon.
_ANNOUNCES = re.compile(r"(?:sau|sau đây|như sau|dưới đây)\s*\.$")


_SUBJECT_AFTER_COMMA = re.compile(r"[,;]\s+(?=[A-ZĐÀ-Ỹ]|các\s|(?:tỉnh|thành phố)\s+[A-ZĐ])")


def opens_list(sentence: str) -> bool:
    """Whether a paragraph ends by introducing the list after it (``...:``, ``... sau đây.``)."""
    end = sentence.rstrip()
    return end.endswith(":") or bool(_ANNOUNCES.search(end))


def own_performers(item: Item, text: str, *, has_lead: bool) -> tuple[list[str], str] | None:
    """The units the item names as its performers (its subject, after a topic, handed over,
    in a role note, or, when nothing above gives a lead (`has_lead`), in the paragraph under
    it), with the text of their work."""
    own = own_subject(item, text)
    if own is None:
        own = topic_subject(item, text) or handed_over(text)
        # "Rà soát ... (Sở Tư pháp chủ trì)", "... Cơ quan thực hiện: Sở Tư pháp."
        named = role_lead(text if item.children else item.full_text)
        own = own or ((named, text) if named else None)
    if own is None and not has_lead:
        own = performer_below(item, text)
    return own

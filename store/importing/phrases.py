"""Sentences, titles and deadline phrases, found in the text and returned as written.

Turning a phrase into a date is `store.deadlines`' job; here we only decide which words of a
task are its deadline. Two shapes occur in the example directives:

* a closing sentence of its own (35-TB/TGV): ``Hoàn thành trước ngày 25/7/2025.``,
  ``Nhiệm vụ thường xuyên.``, ``Hoàn thành theo lộ trình Kế hoạch số 380/KHPH-BCA-BXD-BTC.``;
* a phrase inside a sentence (news articles): ``..., hoàn thành trước ngày 31 tháng 3 năm
  2025``, ``trong Quý II/2025``, ``vào ngày 19/8/2025``, ``trong tháng 10 này``.

A bare ``ngày 19/6/2025`` is not a deadline: it dates a cited document (``Kế hoạch số
02-KH/BCĐTW ngày 19/6/2025``). Only dates introduced by ``trước``/``đến``/``vào``/``trong``/
``hết``/``chậm nhất`` count.
"""

from __future__ import annotations

import re

_S = r"\s?"  # captures drop spaces ("trước ngày30 tháng 6")
_NUMERIC_DATE = rf"\d{{1,2}}{_S}/{_S}\d{{1,2}}(?:{_S}/{_S}\d{{4}})?"
_WORD_DATE = rf"\d{{1,2}}{_S}tháng{_S}\d{{1,2}}(?:,?{_S}năm{_S}\d{{4}})?"
_MONTH = rf"tháng{_S}\d{{1,2}}(?:{_S}/{_S}\d{{4}}|{_S}năm{_S}\d{{4}})?(?:\s+này)?"
_QUARTER = rf"quý{_S}(?:IV|I{{1,3}}|[1-4])(?:{_S}/{_S}\d{{4}}|{_S}năm{_S}\d{{4}})?"
_YEAR = rf"năm{_S}\d{{4}}"
_BY = r"(?:trước|đến hết|đến|vào|chậm nhất(?: là)?|hạn (?:cuối|chót)(?: là)?|trong|hết|xong trước)"
_WITHIN = r"(?:trong|vào|đến hết|hết|cuối|đến)"

DEADLINE_PHRASE = re.compile(
    rf"(?<!\w)(?:hoàn{_S}thành{_S}(?:xong{_S})?)?"
    # "trước 17 giờ ngày 27/11/2025", "trước thứ Sáu, ngày 28/11/2025": an hour or a weekday.
    rf"(?:{_BY}{_S}(?:\d{{1,2}}{_S}(?:giờ|h)(?:{_S}\d{{1,2}}(?:{_S}phút)?)?,?{_S})?"
    rf"(?:(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ nhật),?{_S})?"
    rf"(?:ngày{_S})?(?:{_WORD_DATE}|{_NUMERIC_DATE})(?!\d)"
    rf"|(?:{_WITHIN}|(?<=thành ))(?:{_S}|\s)(?:{_MONTH}|{_QUARTER})(?!\d)"
    # Not "(những, 3) tháng cuối năm 2025": the period the work is about, not its deadline.
    rf"|(?:trong|đến hết|(?<!tháng )cuối|kết thúc){_S}{_YEAR}"
    # "trong 6 tháng đầu năm 2026", "trong 02 tháng cuối năm 2025": months of a year.
    rf"|trong\s+(?:\d{{1,2}}|những|các)\s+tháng\s+(?:đầu|cuối)\s+{_YEAR}"
    # "trước Tết Nguyên đán Bính Ngọ 2026", "trước Tết nguyên đán": a named holiday.
    rf"|(?:trước|đến|chậm nhất(?: là)?){_S}Tết{_S}(?:Nguyên{_S}đán|Dương{_S}lịch|cổ truyền)"
    rf"(?:\s+[^\W\d]+\s+[^\W\d]+(?=,?{_S}(?:năm{_S})?\d{{4}}))?(?:,?{_S}(?:năm{_S})?\d{{4}})?"
    # "vào kỳ chi trả tháng 12 năm 2025", "vào dịp 19 tháng 12": an occasion with its date
    # (not "vào kỳ họp ...": a session is no date, README).
    rf"|vào{_S}(?:kỳ|dịp|đợt)(?!{_S}họp)(?:\s+[^\W\d]+){{0,3}}\s+(?:ngày{_S})?"
    rf"(?:{_WORD_DATE}|{_NUMERIC_DATE}|{_MONTH})(?!\d)"
    # "(vào) sáng ngày 03/10/2025": a meeting's or event's time of day and date.
    rf"|(?:vào{_S})?(?:sáng|chiều|tối){_S}(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy),?{_S})?"
    rf"ngày{_S}(?:{_WORD_DATE}|{_NUMERIC_DATE})(?!\d)"
    # "Cuối năm, báo cáo ...": the end of the issue year.
    rf"|(?<![\w ])cuối năm(?=\s*[,.;:]|\s*$))",
    re.IGNORECASE,
)
#: A closing sentence that is all deadline (35-TB/TGV: "Hoàn thành trong tháng 7/2025.").
_DEADLINE_SENTENCE = re.compile(
    r"^(?:Hoàn thành|Nhiệm vụ thường xuyên|Thường xuyên|Hằng năm|Hàng năm|Thời hạn|"
    r"Thời gian hoàn thành|Trước ngày|Trong tháng|Trong quý|Chậm nhất|Đến ngày)\b"
)
_MAX_DEADLINE_SENTENCE = 160
#: A period the work recurs at, anywhere in the text (``báo cáo ... hằng tháng``, ``định kỳ
#: hằng quý``). ``thường xuyên`` counts only as a sentence or cell of its own: inside a
#: sentence it is an adverb (``cập nhật thường xuyên``).
_PERIODIC = re.compile(
    r"(?<!\w)(?:(?:trước|vào|đến)\s+ngày\s+\d{1,2}(?:\s*(?:/\s*\d{1,2}|tháng\s+\d{1,2}))?\s+)?"
    # "bên cạnh / ngoài các nhiệm vụ thường xuyên, ...": the other work, not this one's time
    r"(?:(?:định kỳ\s+)?(?:hằng|hàng)\s+(?:ngày|tuần|tháng|quý|năm)"
    r"|(?<!bên cạnh các )(?<!bên cạnh )(?<!ngoài các )(?<!ngoài )nhiệm vụ thường xuyên"
    r"|thường xuyên(?=\s*[.;]|\s*$)"
    r"|định kỳ\s+\d{1,2}\s+(?:tháng|tuần|ngày|năm)(?:\s*/\s*lần)?)(?!\w)",
    re.IGNORECASE,
)
#: ``trước ngày 30 tháng 11 hằng năm``: the date recurs.
_EVERY = re.compile(
    r"^(?:\s*(?:và|,)\s*\d{1,2}\s*/\s*\d{1,2}(?!\s*/))*"  # "trước ngày 01/6 và 15/11 hằng năm"
    r"\s*(?:hằng|hàng)\s+(?:năm|tháng|quý|tuần)(?!\w)",
    re.IGNORECASE,
)
#: What may continue a period into a span or a second milestone: ``, 2027``, ``- Quý IV/2026``,
#: ``và Quý II năm 2020``, ``và (những tháng) đầu năm 2026``.
_SPAN_TAIL = re.compile(
    r"^(?:\s*(?:,|-|–|đến|và)\s*(?:(?:những|các)\s+tháng\s+)?(?:đầu\s+)?"
    r"(?:(?:quý|tháng|năm)\s*)?(?:[IV]{1,4}|\d{1,2})?\s*(?:/|năm)?\s*\d{4})+",
    re.IGNORECASE,
)
#: A line of a schedule: what, a colon, then only when (``Đại hội Hội Nông dân xã: Ngày
#: 07/11/2025.``, ``Đại hội MTTQVN xã: Từ ngày 29/10 – 30/10/2025``).
_SCHEDULE = re.compile(
    r"^[^:]{3,120}:\s*((?:[Tt]ừ\s+)?[Nn]gày\s+\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?"
    r"(?:\s*[-–]\s*(?:ngày\s+)?\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})?)\s*[.;]?$"
)
#: A time field written inside the item (``...; thời gian thực hiện: Quý IV/2025.``,
#: ``Thời hạn hoàn thành: 30/12/2025``): its value is the item's stated time.
_TIME_FIELD = re.compile(
    r"(?<!\w)(?:thời gian(?:\s+(?:thực hiện|hoàn thành))?|thời hạn(?:\s+(?:thực hiện|hoàn thành))?"
    r"|hạn hoàn thành|tiến độ(?:\s+(?:thực hiện|hoàn thành))?)\s*:\s*(?P<value>[^.;\n]{2,80})",
    re.IGNORECASE,
)
#: What such a value may be: a date, month, quarter, year, span or period (``Trước 30/9``,
#: ``Năm 2025 và các năm tiếp theo``, ``2025 - 2030``, ``Thường xuyên``, ``Hằng năm``).
_TIME_VALUE = re.compile(
    r"^\s*(?:(?:trước|đến|chậm nhất|trong|hoàn thành(?: trong| trước)?)\s+)?"
    r"(?:(?:ngày\s+)?\d{1,2}\s*/\s*\d{1,2}|tháng\s*\d|quý\s*(?:IV|I{1,3}|[1-4])\b|năm\s+\d{4}"
    r"|\d{4}\s*[-–]\s*\d{4}|(?:\d{1,2}|những)\s+tháng\s+(?:đầu|cuối)|thường xuyên\s*$"
    r"|(?:hằng|hàng)\s+(?:năm|quý|tháng))",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_TITLE_LIMIT = 300


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences at ``. `` before an upper-case letter or a quote."""
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        nxt = text[match.end() : match.end() + 1]
        if nxt and (nxt.isupper() or nxt in '"“(') and not _abbreviation(text, match.start()):
            out.append(text[start : match.start()].strip())
            start = match.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _abbreviation(text: str, end: int) -> bool:
    word = text[:end].rsplit(" ", 1)[-1]
    return word in {"TP.", "Tp.", "TS.", "ThS.", "PGS.", "GS.", "v.v."}


#: Words in the clause before a time phrase that make it no deadline: a past event (``đã``,
#: ``đến nay``; not ``đã được``, a participle of a noun, nor ``khi đã``, a condition); a
#: period that names a plan (``Chương trình công tác toàn khóa, hằng tháng``);
#: a year that delimits a noun -- what was given, evaluated or is not to be done in it
#: (``các nhiệm vụ được giao trong năm 2025``, ``không tổ chức kiểm tra định kỳ trong năm
#: 2020``, ``xếp loại ... người đứng đầu trong năm 2025``).
_PAST_CLAUSE = re.compile(r"(?<!\w)(?:(?<!khi )đã(?!\s+được)|đến nay)\s", re.IGNORECASE)
#: ``... tại Nghị quyết số 86/NQ-CP ngày ... về triển khai nhiệm vụ ... những tháng cuối năm
#: 2025``: a time inside the title of a cited document.
_CITED_TITLE = re.compile(r"\d+\s*/\s*[A-ZĐ][\w/-]*[^;]*?\svề\s[^;,]*$")
_PLAN_PERIOD = re.compile(
    r"(?<!\w)(?<!Bộ )(?<!Sở )(?:kế hoạch|chương trình|ngân sách|dự toán)"
    r"(?:[\s,]+(?!báo cáo)[\w-]+){0,10}"
    r"(?:\s*,|\s+và)?\s*$",
    re.IGNORECASE,
)
_NOUN_YEAR = re.compile(
    r"(?:(?<!\w)(?<!cần )(?<!phải )được\s+[^\W\d]+(?:\s+[^\W\d]+)?|(?<!\w)không(?:\s+[\w-]+){0,6}"
    r"|(?<!\w)(?:đánh giá|xếp loại)(?:\s+[\w,-]+){0,30})\s*$",
    re.IGNORECASE,
)
_CLAUSE_START = re.compile(r"[.;:]\s")
_TIME_LIMIT = re.compile(r"(?:trước|chậm nhất)\s+(?:ngày\s+)?\d{1,2}\s*[/-]\s*\d", re.IGNORECASE)
#: A preposed topic (``Đối với ..., X ...``): a time inside it delimits the topic.
_TOPIC_OPENING = re.compile(r"^\W*(?:Đối với|Về)\s", re.IGNORECASE)
_DAY_AFTER = re.compile(r"\s*,?\s*(?:trước|vào|chậm nhất)\s+ngày\s*\d", re.IGNORECASE)
#: ``định kỳ hằng năm gửi báo cáo ... trước ngày 15 tháng 12``: a yearly period, then in the
#: same clause a day without a year -- the day recurs every year.
_YEARLY = re.compile(r"(?<!\w)(?:định kỳ\s+)?(?:hằng|hàng)\s+năm(?!\w)", re.IGNORECASE)
_YEARLY_REACH = 160


def _times_work(text: str, match: re.Match[str]) -> bool:
    """Whether a time phrase found in `text` times the item's work (see the patterns above)."""
    before = text[: match.start()]
    starts = [m.end() for m in _CLAUSE_START.finditer(before)]
    clause = before[starts[-1] if starts else 0 :]
    # (A cited title names periods, not "trước ngày 05/11/2025": that is a time limit.)
    limit = _TIME_LIMIT.match(match.group(0)) is not None
    if _PAST_CLAUSE.search(clause) or (_CITED_TITLE.search(clause) and not limit):
        return False
    # "Đối với các nhiệm vụ triển khai trong năm 2025, các sở ...": the time delimits the
    # topic when the performer follows it after a comma (not "Về nhiệm vụ đến tháng 6").
    topic = _TOPIC_OPENING.match(clause) and "," not in clause
    if topic and re.match(r"[^.;:,]*,", text[match.end() :]):
        return False
    phrase = match.group(0).lower()
    # "Chương trình hành động hàng quý trước ngày 15 ...": a period given a day is when the
    # work recurs (a report's schedule), not the name of a plan.
    dated = _DAY_AFTER.match(text, match.end()) is not None
    if ("hằng" in phrase or "hàng" in phrase) and not dated and _PLAN_PERIOD.search(clause):
        return False
    # ("hoàn thành trong năm 2025" times the work even after "lộ trình được giao").
    completes = phrase.startswith("hoàn thành")
    return not ("trong năm" in phrase and not completes and _NOUN_YEAR.search(clause))


def _first(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    return next((m for m in pattern.finditer(text) if _times_work(text, m)), None)


def find_deadline(text: str, *, closing_sentence: bool = True) -> str:
    """The deadline of a task's text as written, or "" when it names none.

    A closing deadline sentence wins (when `closing_sentence` and the text has more than one
    sentence); otherwise the first deadline phrase inside the text.
    """
    parts = sentences(text)
    if closing_sentence and len(parts) > 1:
        last = parts[-1].rstrip(" .;")
        if _DEADLINE_SENTENCE.match(last) and len(last) <= _MAX_DEADLINE_SENTENCE:
            return last
    field = _TIME_FIELD.search(text)
    if field and _TIME_VALUE.match(field.group("value")):
        return field.group("value").strip()  # "...; thời gian thực hiện: Quý IV/2025."
    match = _past_purpose(text, _first(DEADLINE_PHRASE, text))
    schedule = _SCHEDULE.match(text.strip())
    if match is None and schedule:
        return schedule.group(1)
    periodic = _first(_PERIODIC, text)
    if match and periodic and ";" in text[periodic.end() : match.start()]:
        # "mở rộng Trung tâm A, nhiệm vụ thường xuyên; xây dựng B, hoàn thành trước ngày ...":
        # milestones of different deliverables, the first one counts.
        return periodic.group(0).strip()
    yearly = _yearly_day(text, match) if match else None
    if yearly:
        return yearly
    if match:  # a date wins over a period of recurrence named elsewhere in the text
        rest = text[match.end() :]
        tail = _SPAN_TAIL.match(rest) or _EVERY.match(rest)
        return (match.group(0) + (tail.group(0) if tail else "")).strip()
    return periodic.group(0).strip() if periodic else ""


#: ``Để kịp báo cáo Thủ tướng trước ngày 30/11, đề nghị các Bộ gửi ý kiến trước ngày
#: 20/11``: the opening purpose clause, up to its comma.
_PURPOSE_CLAUSE = re.compile(r"^\W*(?:Để|Nhằm)\s[^.;:]*?,\s")


def _past_purpose(text: str, match: re.Match[str] | None) -> re.Match[str] | None:
    """A date in the opening purpose clause is what the work serves; a date after the clause,
    when there is one, is the work's own."""
    purpose = _PURPOSE_CLAUSE.match(text)
    if match is None or purpose is None or match.start() >= purpose.end():
        return match
    stop = re.compile(r"[.;]\s|[.;]?$").search(text, purpose.end())
    end = stop.start() if stop else len(text)  # the main clause of the same sentence
    later = (m for m in DEADLINE_PHRASE.finditer(text, purpose.end(), end) if _times_work(text, m))
    return next(later, match)


def _yearly_day(text: str, match: re.Match[str]) -> str | None:
    """``hằng năm ... trước ngày 15/11``: the phrase from the period to the day, when the day
    has no year and nothing ends the clause between them (the date recurs every year)."""
    if re.search(r"\d{4}", match.group(0)):
        return None
    start = max(0, match.start() - _YEARLY_REACH)
    before = [m for m in _YEARLY.finditer(text, start, match.start()) if _times_work(text, m)]
    if not before or re.search(r"[.;]\s", text[before[-1].end() : match.start()]):
        return None
    return text[before[-1].start() : match.end()].strip()


def count_deadlines(text: str) -> int:
    """How many dated deadline phrases a text has (more than one: several milestones)."""
    return len(DEADLINE_PHRASE.findall(text))


def make_title(text: str) -> str:
    """A task title: its first sentence, cut at a word boundary to about 300 characters."""
    first = sentences(text)[0] if text else ""
    first = first.rstrip(" .;:")
    if len(first) <= _TITLE_LIMIT:
        return first
    cut = first[:_TITLE_LIMIT].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"

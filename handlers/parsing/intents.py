"""What a chat message asks for: a slash command or free text in Vietnamese or English.

`parse_intent` is pure and total: any string gives an `Intent` (unknown ones carry suggestions),
the same text and `today` always give the same answer, and nothing here touches the database.
Free text is matched on a position-preserving fold of the message, so anything taken from it
(task refs, report notes, unit names) is cut from the text exactly as the user typed it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from handlers.markup import clean_user_text
from handlers.parsing import vocab
from handlers.parsing.periods import Period, as_day, match_period, month_period
from handlers.parsing.questions import Asks, asks
from handlers.parsing.report_parse import ReportFields, parse_report, split_reports
from handlers.parsing.scan import Scan
from store.text import fold, nfc

logger = logging.getLogger(__name__)


class IntentName(StrEnum):
    START = "start"
    HELP = "help"
    DUE = "due"
    OVERDUE = "overdue"
    LIST = "list"
    UNREPORTED = "unreported"
    TASK = "task"
    REPORT = "report"
    EXTEND = "extend"
    THANKS = "thanks"
    SCORE = "score"
    LANG = "lang"
    ME = "me"
    CANCEL = "cancel"
    UNDO = "undo"
    IMPORT = "import"
    BROADCAST = "broadcast"
    INVITE = "invite"
    LINK = "link"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Intent:
    """A parsed request; fields that do not apply to `name` keep their defaults."""

    name: IntentName
    period: Period | None = None
    task_ref: str | None = None  # "7", "II.5.a", "2.a.1", without the "nv"/"số" prefix
    percent: int | None = None  # as written, even above 100, so the handler can refuse it
    status: str | None = None  # "done" | "in_progress" | None
    note: str = ""  # free text of a report, as typed
    argument: str = ""  # invite code, unit name, "en"/"vi", broadcast text; `not_yet`
    suggestions: tuple[str, ...] = ()  # for UNKNOWN: IntentName values, best first
    parts: tuple[Intent, ...] = ()  # REPORT on several tasks: one report intent per task
    uncertain: bool = False  # REPORT that might be a question: confirm before saving
    bad_percent: bool = False  # REPORT with a negative or malformed percent
    asked: bool = False  # the message asks (a question mark, `chưa`, `bao nhiêu`...)

    def to_json(self) -> dict[str, Any]:
        """Return the `nhacviec parse --json` shape (ARCHITECTURE §8)."""
        period = None
        if self.period is not None:
            period = {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()}
        data: dict[str, Any] = {
            "intent": self.name.value,
            "period": period,
            "task_ref": self.task_ref,
            "percent": self.percent,
            "status": self.status,
        }
        # Extra slots, present only when they carry something.
        if self.parts:
            data["task_refs"] = [p.task_ref for p in self.parts]
            data["parts"] = [
                {"task_ref": p.task_ref, "percent": p.percent, "status": p.status}
                for p in self.parts
            ]
        if self.name in (IntentName.REPORT, IntentName.EXTEND) and self.note:
            data["note" if self.name is IntentName.REPORT else "reason"] = self.note
        if self.uncertain:
            data["uncertain"] = True
        if self.bad_percent:
            data["bad_percent"] = True
        if self.argument == NOT_YET:
            data["not_yet"] = True
        return data


_REASON = re.compile(r"(?<![a-z])(?:vi|do|boi vi|tai vi|ly do|because|since|as|due to)(?![a-z])")
NOT_YET = "not_yet"  # UNKNOWN argument: something the bot cannot do yet
GREETING = "greeting"  # HELP argument: a greeting, answered briefly


def _report_intent(r: ReportFields, uncertain: bool = False) -> Intent:
    return Intent(
        IntentName.REPORT,
        task_ref=r.ref,
        percent=r.percent,
        status=r.status,
        note=r.note,
        uncertain=uncertain,
        bad_percent=r.bad_percent,
    )


# --- free text ----------------------------------------------------------------------------------


def _free(t: Scan, today: date) -> Intent:
    """Parse a message that is not a slash command."""
    if not t.tokens:  # empty, emoji, punctuation: of these only a lone `?` asks something
        if "?" in t.low:
            return Intent(IntentName.HELP)
        if any(e in t.orig for e in vocab.THANKS_EMOJI):
            return Intent(IntentName.THANKS)
        return Intent(IntentName.UNKNOWN, suggestions=_suggest(t, dated=False))
    # Whole-message commands first: `hủy` must cancel even though it is a single short word.
    for phrases, name in (
        (vocab.CANCEL_WORDS, IntentName.CANCEL),
        (vocab.UNDO_WORDS, IntentName.UNDO),
        (vocab.ME_WORDS, IntentName.ME),
        (vocab.START_WORDS, IntentName.START),
    ):
        if t.only(phrases):
            return Intent(name)
    if (lang := t.only(vocab.LANG_WORDS)) is not None:
        return Intent(IntentName.LANG, argument=vocab.LANG_WORDS[lang])
    if _is_thanks(t):
        return Intent(IntentName.THANKS)
    if t.has(vocab.EXTEND_WORDS):
        return _extend(t, today)
    if t.has(vocab.NOT_YET_WORDS):
        return Intent(IntentName.UNKNOWN, argument=NOT_YET, suggestions=("due", "report", "help"))
    report = parse_report(t)
    # A question word inside the note of a plain report (a percent or a status) is weak.
    said = report.typed_percent or report.status is not None
    asked = asks(t, report.note_start if said and report.note else None)
    if asked is Asks.YES or (report.ref is None and asked is Asks.WEAK):
        return replace(_question(t, today, report.ref), asked=True)
    if (parts := split_reports(t)) is not None:
        first = _report_intent(parts[0])
        return replace(first, parts=tuple(_report_intent(p) for p in parts))
    return _statement(t, today, report, uncertain=asked is Asks.WEAK)


def _is_thanks(t: Scan) -> bool:
    """`cảm ơn`, `ok`, `cam on nhieu nhe`, `thank you bot`: thanks and fillers only."""
    words = [tok for tok, _, _ in t.tokens]
    if len(words) > 6 or not any(w in vocab.THANKS_CORE for w in words):
        return False
    return all(w in vocab.THANKS_TOKENS or w in vocab.FILLERS for w in words)


def _extend(t: Scan, today: date) -> Intent:
    """`xin gia hạn NV 7 đến 15/1/2026 vì ...`: the task, the requested day, the reason."""
    report = parse_report(t)
    hit = match_period(t.low, today, roll=1)
    period = as_day(hit[0]) if hit else None
    # The reason follows the task and the date: `... vì chờ số liệu`, `... do thiếu nhân sự`.
    after = max(hit[2] if hit else 0, report.note_start or 0)
    reason = ""
    if m := _REASON.search(t.low, after):
        reason = t.cut(m.end(), len(t.low)).strip(" :,.;-")
    return Intent(IntentName.EXTEND, period=period, task_ref=report.ref, note=reason)


def _question(t: Scan, today: date, ref: str | None) -> Intent:
    """A question: about one task when it names one, else about the unit's work."""
    if ref is not None:
        return Intent(IntentName.TASK, task_ref=ref)
    return _query(t, today, asked=True) or Intent(
        IntentName.UNKNOWN, suggestions=_suggest(t, dated=False)
    )


def _query(t: Scan, today: date, asked: bool) -> Intent | None:
    """Questions about the unit's work, by their words; None when none fits."""
    this_month = month_period(today.year, today.month, "this_month")
    # Query order matters: `việc quá hạn` also contains `hạn`, `chưa báo cáo` holds `báo cáo`,
    # and `danh sách việc đến hạn` asks for due tasks rather than the whole list.
    if t.has(vocab.UNREPORTED_WORDS):
        return Intent(IntentName.UNREPORTED)
    if t.has(vocab.OVERDUE_WORDS):
        hit = match_period(t.low, today)
        return Intent(IntentName.OVERDUE, period=hit[0] if hit else None)
    if t.has(vocab.SCORE_WORDS):
        hit = match_period(t.low, today, roll=-1)
        return Intent(IntentName.SCORE, period=hit[0] if hit else this_month)
    hit = match_period(t.low, today, roll=1)
    period = hit[0] if hit else None
    if t.has(vocab.DUE_WORDS):
        # Without a period, "what is due" means this month: the horizon directives use.
        return Intent(IntentName.DUE, period=period or this_month)
    if t.has(vocab.COUNT_WORDS) or t.has(vocab.LIST_WORDS):
        return Intent(IntentName.LIST, period=None if period is None else period)
    if hit and (asked or t.has(vocab.TASK_NOUNS) or _alone(t, hit[1], hit[2])):
        return Intent(IntentName.DUE, period=period)  # `quý 3 có việc gì`, `tuần sau?`
    if t.has(vocab.TASK_QUESTION_WORDS):
        return Intent(IntentName.DUE, period=this_month)
    return None


def _text_update(report: ReportFields) -> bool:
    """True when a task is named with a note that tells something (`nv 4 đã họp xong đợt 1`),
    not with words that ask to see it (`hạn của`, `thông tin`, `ai phối hợp`)."""
    note = Scan(report.note)
    words = [tok for tok, _, _ in note.tokens if tok not in vocab.FILLERS]
    return len(words) >= 2 and not note.has(vocab.TASK_ATTRIBUTES)


def _alone(t: Scan, start: int, end: int) -> bool:
    """True when nothing but the period was typed."""
    return not re.search(r"[a-z0-9]", t.low[:start] + t.low[end:])


def _statement(t: Scan, today: date, report: ReportFields, uncertain: bool) -> Intent:
    """A message that does not ask: a report, a query by keyword, a greeting or unknown."""
    strong = (
        report.typed_percent
        or report.bad_percent
        or (report.status is not None and (report.ref is not None or not report.note))
    )
    if strong or (report.keyword and report.ref):
        return _report_intent(report, uncertain)
    if report.ref and not report.keyword:
        if _text_update(report):
            return _report_intent(report, uncertain)  # `nv 4 đã vận hành ổn định`
        # `nv 7`, `45`, `hạn của nhiệm vụ 9`: a task named with nothing reported about it.
        return Intent(IntentName.TASK, task_ref=report.ref)
    if (found := _query(t, today, asked=False)) is not None:
        return found
    if report.keyword:
        return _report_intent(report)  # `báo cáo`, `bc`: the guided report flow
    if t.has(vocab.HELP_WORDS):
        return Intent(IntentName.HELP)
    if t.has(vocab.GREETINGS):
        return Intent(IntentName.HELP, argument=GREETING)
    hit = match_period(t.low, today)
    period = hit[0] if hit else None
    return Intent(IntentName.UNKNOWN, period=period, suggestions=_suggest(t, period is not None))


def _suggest(t: Scan, dated: bool) -> tuple[str, ...]:
    """Rank user-facing intents by how close the message is to their phrases."""
    words = [tok for tok, _, _ in t.tokens[:30]]
    scores: dict[str, float] = {}
    for name, phrases in vocab.SUGGEST.items():
        for phrase in phrases:
            n = len(phrase.split())
            for i in range(max(1, len(words) - n + 1)):
                score = fuzz.ratio(" ".join(words[i : i + n]), phrase)
                scores[name] = max(scores.get(name, 0.0), score)
    close = sorted((n for n, s in scores.items() if s >= 70), key=lambda n: -scores[n])
    # A period with nothing else understood is most likely a question about deadlines; when
    # nothing is close, offer the three things officials do most.
    ranked = (["due"] if dated else []) + close + ["due", "report", "help"]
    return tuple(dict.fromkeys(ranked))[:3]


# --- commands -----------------------------------------------------------------------------------

_COMMAND = re.compile(r"\s*/(?P<cmd>[a-z0-9_]+)(?:@[a-z0-9_]*)?(?![a-z0-9_@])")


def _command(t: Scan, today: date) -> Intent | None:
    """Parse `/cmd[@Bot] args`; None when the word after the slash is no command we know."""
    m = _COMMAND.match(t.low)
    if not m:
        return None
    cmd = m["cmd"]
    value = vocab.COMMANDS.get(cmd)
    if value is None and len(cmd) >= 4:
        close = [k for k in vocab.COMMANDS if len(k) >= 4 and OSA.distance(cmd, k) <= 1]
        value = vocab.COMMANDS[close[0]] if len(close) == 1 else None  # `/reprot`
    if value is None:
        return None
    name = IntentName(value)
    raw = t.orig[t.pos[m.end()] :] if m.end() < len(t.pos) else ""
    args = " ".join(raw.split())
    roll = {IntentName.DUE: 1, IntentName.SCORE: -1, IntentName.EXTEND: 1}.get(name, 0)
    hit = match_period(fold(args), today, roll)
    period = hit[0] if hit else None
    if name in (IntentName.DUE, IntentName.SCORE):
        return Intent(name, period=period or month_period(today.year, today.month, "this_month"))
    if name is IntentName.TASK:
        ref = parse_report(Scan(args)).ref
        return Intent(name, task_ref=ref, argument=args)
    if name is IntentName.EXTEND:
        return _extend(Scan(args), today) if args else Intent(name)
    if name in (IntentName.OVERDUE, IntentName.LIST):
        return Intent(name, period=period)
    if name is IntentName.REPORT:
        return _report_intent(parse_report(Scan(args)))
    if name is IntentName.LANG:
        # `en`, `English`, `tiếng Việt`; anything else is passed on for the handler to refuse.
        key = fold(args)
        first = key.split(" ")[0]
        return Intent(name, argument=vocab.LANG_WORDS.get(key, vocab.LANG_WORDS.get(first, first)))
    if name is IntentName.START:
        return Intent(name, argument=args.split(" ")[0])  # the invite code of a deep link
    return Intent(name, argument=args)


def parse_intent(text: str, today: date) -> Intent:
    """Work out what a chat message asks for.

    Args:
        text: The message as received: a slash command (`/due tháng sau`, `/start@Bot CODE`)
            or free text in Vietnamese, with or without diacritics, or English.
        today: The day relative periods count from (the caller's clock, in local time).

    Returns:
        The intent. `due` without a period means this month, as does `score`; `report` keeps
        percent values above 100 as written; anything not understood is `unknown` with up to
        three suggested intents, best first.
    """
    try:
        t = Scan(nfc(clean_user_text(text if isinstance(text, str) else "")))
        if t.low.lstrip().startswith("/"):
            found = _command(t, today)
            if found is not None:
                return found
            # `/den han`, `/xyz`: not a command we know, so read what follows the slash.
            t = Scan(t.orig.lstrip()[1:])
        return _free(t, today)
    except Exception:  # a chat bot must answer every message; log the bug and move on
        logger.exception("intent parsing failed for %r", str(text)[:200])
        return Intent(IntentName.UNKNOWN, suggestions=("help",))

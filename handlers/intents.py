"""What a chat message asks for: a slash command or free text in Vietnamese or English.

`parse_intent` is pure and total: any string gives an `Intent` (unknown ones carry suggestions),
the same text and `today` always give the same answer, and nothing here touches the database.
Free text is matched on a position-preserving fold of the message, so anything taken from it
(task refs, report notes, unit names) is cut from the text exactly as the user typed it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from handlers import vocab
from handlers.periods import Period, match_period, month_period
from handlers.report_parse import ReportFields, parse_report
from handlers.scan import Scan
from store.text import fold, nfc

logger = logging.getLogger(__name__)


class IntentName(StrEnum):
    START = "start"
    HELP = "help"
    DUE = "due"
    OVERDUE = "overdue"
    LIST = "list"
    REPORT = "report"
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
    argument: str = ""  # invite code, unit name, "en"/"vi", broadcast text
    suggestions: tuple[str, ...] = ()  # for UNKNOWN: IntentName values, best first

    def to_json(self) -> dict[str, Any]:
        """Return the `nhacviec parse --json` shape (ARCHITECTURE §8)."""
        period = None
        if self.period is not None:
            period = {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()}
        return {
            "intent": self.name.value,
            "period": period,
            "task_ref": self.task_ref,
            "percent": self.percent,
            "status": self.status,
        }


def _report_intent(r: ReportFields) -> Intent:
    return Intent(
        IntentName.REPORT, task_ref=r.ref, percent=r.percent, status=r.status, note=r.note
    )


# --- free text ----------------------------------------------------------------------------------


def _free(t: Scan, today: date) -> Intent:
    """Parse a message that is not a slash command."""
    hit = match_period(t.low, today)
    period = hit[0] if hit else None
    this_month = month_period(today.year, today.month, "this_month")
    if not t.tokens:  # empty, emoji, punctuation: of these only a lone `?` asks something
        if "?" in t.low:
            return Intent(IntentName.HELP)
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

    report = parse_report(t)
    question = t.has(vocab.QUESTION_WORDS)
    strong = report.typed_percent or (
        report.status is not None and (report.ref is not None or not report.note)
    )
    if strong or (report.keyword and report.ref):
        return _report_intent(report)
    # Query order matters: `việc quá hạn` also contains `hạn`, and `danh sách việc đến hạn`
    # asks for due tasks rather than the whole list.
    if t.has(vocab.OVERDUE_WORDS):
        return Intent(IntentName.OVERDUE, period=period)
    if t.has(vocab.DUE_WORDS):
        # Without a period, "what is due" means this month: the horizon directives use.
        return Intent(IntentName.DUE, period=period or this_month)
    if t.has(vocab.SCORE_WORDS):
        return Intent(IntentName.SCORE, period=period or this_month)
    if t.has(vocab.LIST_WORDS):
        return Intent(IntentName.LIST, period=period)
    if report.keyword or report.ref:
        return _report_intent(report)  # `báo cáo`, `bc`, `nv 7`: the guided report flow
    if hit and (question or not re.search(r"[a-z0-9]", t.low[: hit[1]] + t.low[hit[2] :])):
        return Intent(IntentName.DUE, period=period)  # `quý 3 có việc gì`, `tuần sau?`
    if t.has(vocab.TASK_QUESTION_WORDS):
        return Intent(IntentName.DUE, period=this_month)
    if t.has(vocab.HELP_WORDS) or t.has(vocab.GREETINGS):
        return Intent(IntentName.HELP)
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
    hit = match_period(fold(args), today)
    period = hit[0] if hit else None
    if name in (IntentName.DUE, IntentName.SCORE):
        return Intent(name, period=period or month_period(today.year, today.month, "this_month"))
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
        t = Scan(nfc(text if isinstance(text, str) else ""))
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

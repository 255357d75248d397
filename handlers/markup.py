"""Neutral markup: plain text plus bold spans that each channel renders its own way.

Bold spans are delimited by two control characters that no keyboard produces; anything a user
typed has them stripped (`clean_user_text`) before it can reach a reply, so user text can
never open or close a span. Channels then escape everything else for their platform.
"""

from __future__ import annotations

import html
import re
import unicodedata

BOLD_OPEN = "\x02"
BOLD_CLOSE = "\x03"
# Control characters, and the invisible ones phones and copy-paste slip in: zero-width spaces and
# joiners, bidi embeddings, overrides and isolates (U+202E turns a note around), word joiners,
# the BOM and the soft hyphen. They break parsing and must not reach a stored note.
_MARKERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff]"
)
_SPAN = re.compile(f"{BOLD_OPEN}(.*?){BOLD_CLOSE}", re.S)


def bold(text: str) -> str:
    """Wrap text in a bold span."""
    return f"{BOLD_OPEN}{text}{BOLD_CLOSE}"


def clean_user_text(text: str) -> str:
    """Normalise user input in one place: NFC, no control or invisible characters (and so no
    markup markers)."""
    return unicodedata.normalize("NFC", _MARKERS.sub("", text))


def to_plain(text: str) -> str:
    """Render for plain-text channels (console, Zalo): markers removed."""
    return text.replace(BOLD_OPEN, "").replace(BOLD_CLOSE, "")


def to_html(text: str) -> str:
    """Render for Telegram's HTML parse mode: everything escaped, spans as <b>."""
    parts: list[str] = []
    pos = 0
    for m in _SPAN.finditer(text):
        parts.append(html.escape(to_plain(text[pos : m.start()]), quote=False))
        parts.append(f"<b>{html.escape(to_plain(m.group(1)), quote=False)}</b>")
        pos = m.end()
    parts.append(html.escape(to_plain(text[pos:]), quote=False))
    return "".join(parts)


def split_text(text: str, limit: int) -> list[str]:
    """Split text into chunks of at most `limit` characters, on line boundaries when possible.

    Bold spans are closed at a chunk end and reopened at the next chunk start so each chunk
    renders on its own. Nothing is dropped: over-long lines are cut hard.
    """
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = line if not current else current + "\n" + line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        while len(line) > limit:
            chunks.append(line[:limit])
            line = line[limit:]
        current = line
    if current:
        chunks.append(current)
    return _rebalance_spans(chunks, limit)


def _rebalance_spans(chunks: list[str], limit: int) -> list[str]:
    out: list[str] = []
    carry_open = False
    for chunk in chunks:
        if carry_open:
            chunk = BOLD_OPEN + chunk
        opens = chunk.count(BOLD_OPEN) - chunk.count(BOLD_CLOSE)
        carry_open = opens > 0
        if carry_open:
            chunk = chunk + BOLD_CLOSE
        out.append(chunk)
    # Markers are invisible but count against the raw limit; re-split if we overflowed.
    if any(len(to_plain(c)) > limit for c in out):  # pragma: no cover - defensive
        return [to_plain(c) for c in out]
    return out

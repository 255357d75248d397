"""Numbered choices: which buttons of a reply get a number, and what a typed number presses.

Channels without buttons (Zalo, the console) show them as `1. label` lines, numbered by
`numbered`. The dispatcher keeps the numbers shown in each chat in the database (see
store.conversations), so an answer `2` is understood after a restart and on any replica. A
number never undoes or deletes anything: those buttons are left unnumbered, and on those
channels the command (`/undo`, `hoàn tác`) is used instead, with a confirmation.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from handlers.types import Address, Button, Incoming, Outgoing
from store.conversations import (
    choices_shown_at,
    last_pushed_buttons,
    recall_choice,
    remember_choices,
)
from store.db import Session

# Button codes that never get a number (undo a report, and its confirmation).
NEVER_NUMBERED = frozenset({"u", "uy"})
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def numbered(outgoing: Outgoing) -> list[Button]:
    """The buttons of a reply that are shown with a number, in order (1, 2, ...)."""
    return [
        b for row in outgoing.buttons for b in row if b.data.split(":")[0] not in NEVER_NUMBERED
    ]


def render(outgoing: Outgoing, text: str) -> str:
    """`text` followed by the reply's numbered choices, one `  n. label` line each."""
    shown = numbered(outgoing)
    if not shown:
        return text
    return text + "\n" + "\n".join(f"  {i}. {b.label}" for i, b in enumerate(shown, 1))


def typed_number(text: str) -> int | None:
    """The choice number a message consists of (`2`, `2.`), else None."""
    m = _NUMBER.match(text)
    return int(m.group(1)) if m else None


async def resolve(
    session: Session, incoming: Incoming, now: datetime, ttl: timedelta
) -> str | None:
    """The payload of the button a typed number stands for in this chat, else None.

    The newer of two lists counts: the choices of the last reply (kept by `remember`) and
    those of the last push the outbox delivered to the chat (a reminder's buttons).
    """
    number = typed_number(incoming.text)
    if number is None or number < 1:
        return None
    a = incoming.address
    key = f"{a.channel}:{a.chat_id}"
    shown = await choices_shown_at(session, key)
    since = max(shown or now - ttl, now - ttl)
    pushed = await last_pushed_buttons(session, a.channel, a.chat_id, since)
    if pushed is not None:
        shown_buttons = [Button(label, data) for label, data in pushed]
        live = numbered(Outgoing("", [shown_buttons]))
        return live[number - 1].data if number <= len(live) else None
    return await recall_choice(session, key, number, now, ttl)


async def remember(
    session: Session,
    numbered_channels: frozenset[str],
    sent: list[tuple[Address, Outgoing]],
    now: datetime,
) -> None:
    """Keep, per chat, the numbered choices of the last message sent to it.

    A chat that got messages without any numbered choice forgets its old ones, so a stray
    number later presses nothing.
    """
    last: dict[tuple[str, str], list[Button]] = {}
    for address, outgoing in sent:
        if address.channel in numbered_channels:
            last[(address.channel, address.chat_id)] = numbered(outgoing)
    for (channel, chat_id), buttons in last.items():
        await remember_choices(
            session, f"{channel}:{chat_id}", [(b.label, b.data) for b in buttons], now
        )

"""Zalo OA's messaging window: the rules the OA channel declares (data, no database here).

Zalo lets an OA send consultation messages to a person only after that person wrote to it: 8
free messages within 48 hours of their last message; after that, until 7 days, only from a paid
quota; after 7 days not at all (error -230). The channel carries these rules as `window`; the
outbox checks them before each send of a queued row (`scheduler.outbox.send`, through
`store.oa_window`), so a push Zalo would refuse is recorded UNREACHABLE with a `window:` reason.
Zalo's own refusal ends up the same way (see `handlers.missed`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class WindowPolicy:
    """The OA's sending rules.

    Args:
        free_window: How long after a person's message free replies are allowed.
        free_messages: How many free messages fit in that window.
        hard_window: After this long without a message nothing can be sent.
        paid: The OA has a paid quota for messages between `free_window` and `hard_window`
            (ZALO_OA_PAID_MESSAGES); otherwise those are refused before reaching Zalo.
    """

    free_window: timedelta = timedelta(hours=48)
    free_messages: int = 8
    hard_window: timedelta = timedelta(days=7)
    paid: bool = False

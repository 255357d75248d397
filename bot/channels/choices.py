"""Numbered choices for channels without buttons (console, Zalo Bot, Zalo OA).

Buttons are shown as `1. label` lines (see handlers.choices). The channel keeps nothing: the
dispatcher stores the choices shown in each chat in the database and turns a reply that is
just one of the numbers into the button press.
"""

from __future__ import annotations

from handlers import choices
from handlers.types import Outgoing


class NumberedChoices:
    """Renders a reply's buttons as numbered lines (stateless)."""

    def render(self, chat_id: str, outgoing: Outgoing, text: str) -> str:
        """Append the numbered choices of `outgoing` to `text`."""
        return choices.render(outgoing, text)

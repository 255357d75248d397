"""Numbered choices for channels without buttons (console, Zalo Bot).

Buttons are shown as `1. label` lines; the last set shown in a chat is remembered so that a
reply consisting of just that number is turned into the button press.
"""

from __future__ import annotations

from collections import OrderedDict

from handlers.types import Button, Outgoing


class ChoiceMemory:
    """The buttons last shown in each chat (bounded, least recently used dropped)."""

    def __init__(self, max_chats: int = 10_000) -> None:
        self._by_chat: OrderedDict[str, list[Button]] = OrderedDict()
        self._max = max_chats

    def render(self, chat_id: str, outgoing: Outgoing, text: str) -> str:
        """Append numbered choices to `text` and remember them for the chat."""
        flat = [b for row in outgoing.buttons for b in row]
        if not flat:
            return text
        self._by_chat[chat_id] = flat
        self._by_chat.move_to_end(chat_id)
        while len(self._by_chat) > self._max:
            self._by_chat.popitem(last=False)
        lines = [f"  {i}. {b.label}" for i, b in enumerate(flat, 1)]
        return text + "\n" + "\n".join(lines)

    def resolve(self, chat_id: str, text: str) -> str | None:
        """The button payload for a reply that is just a shown number, else None."""
        choice = text.strip().rstrip(".")
        buttons = self._by_chat.get(chat_id)
        if not buttons or not choice.isdigit():
            return None
        index = int(choice) - 1
        if 0 <= index < len(buttons):
            return buttons[index].data
        return None

"""Plain-text rendering for Zalo (no buttons, no formatting) and the numbered-choice answers.

Buttons become `1. label` lines (see bot.channels.choices); the dispatcher turns a reply that
is just one of the numbers shown into the button press. Long text is split on line boundaries
under Zalo's 2,000-character limit. Files cannot be uploaded by a bot (sendPhoto takes a public
URL), so an attachment is named in the text instead of being dropped silently.
"""

from __future__ import annotations

import logging

from bot.channels.choices import NumberedChoices
from handlers.i18n import _
from handlers.markup import clean_user_text, split_text, to_plain
from handlers.types import Address, Incoming, Kind, Outgoing

logger = logging.getLogger(__name__)

TEXT_LIMIT = 2000


def render(choices: NumberedChoices, chat_id: str, outgoing: Outgoing) -> list[str]:
    """The messages to send for one reply: plain text with numbered choices, split to fit."""
    text = to_plain(outgoing.text)
    for attachment in outgoing.attachments:
        logger.warning("Zalo: attachment %r cannot be uploaded; named instead", attachment.name)
        note = _("(The file “{name}” cannot be sent on Zalo; ask for it on Telegram.)")
        text += "\n" + note.format(name=attachment.name)
    text = choices.render(chat_id, outgoing, text.strip("\n"))
    return [chunk for chunk in split_text(text, TEXT_LIMIT) if chunk.strip()]


def incoming_text(
    choices: NumberedChoices,
    address: Address,
    text: str,
    *,
    message_id: str | None,
    user_name: str,
    raw: object,
) -> Incoming:
    """A text message as `Incoming`: `/x` a command, anything else text (numbers included)."""
    text = clean_user_text(text)
    common = {"message_id": message_id, "user_name": user_name, "raw": raw}
    stripped = text.strip()
    if stripped.startswith("/") and len(stripped) > 1:
        name = stripped[1:].split(maxsplit=1)[0].lower()
        return Incoming(address, stripped, Kind.COMMAND, name, **common)
    return Incoming(address, text, Kind.TEXT, **common)

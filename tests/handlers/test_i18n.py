"""Every message a user reads has a Vietnamese translation; locales never leak across tasks."""

import asyncio
from pathlib import Path

from babel.messages.extract import extract_from_dir

from handlers.i18n import _, resolve_locale, translations, use_locale

ROOT = Path(__file__).resolve().parents[2]


def _message_ids() -> set[str]:
    ids: set[str] = set()
    for package in ("handlers", "scheduler", "bot"):
        found = extract_from_dir(
            ROOT / package,
            method_map=[("**.py", "python")],
            keywords={"_": None, "gettext": None, "ngettext": (1, 2)},
        )
        for _file, _line, message, _comments, _context in found:
            ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def test_every_message_has_a_vietnamese_translation():
    vi = translations("vi")
    missing = sorted(m for m in _message_ids() if vi.gettext(m) == m)
    assert missing == []


def test_locale_resolution_prefers_user_then_hint_then_vi():
    assert resolve_locale("en", "vi") == "en"
    assert resolve_locale(None, "en-US") == "en"
    assert resolve_locale(None, "fr") == "vi"
    assert resolve_locale() == "vi"


async def test_concurrent_tasks_keep_their_own_language():
    async def say(locale: str) -> str:
        with use_locale(locale):
            await asyncio.sleep(0)
            return _("Cancelled.")

    results = await asyncio.gather(*(say(loc) for loc in ["vi", "en"] * 5))
    assert results == ["Đã hủy.", "Cancelled."] * 5

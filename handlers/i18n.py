"""Per-message translations (gettext catalogs in locales/, compiled in memory).

The active language lives in a ContextVar, so concurrent conversations in different languages
never interfere; nothing installs a process-wide language. Message ids are English; `vi` is the
default locale and its catalog covers every message.
"""

from __future__ import annotations

import gettext as _gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
SUPPORTED = ("vi", "en")
DEFAULT_LOCALE = "vi"

_current: ContextVar[str] = ContextVar("nhacviec_locale", default=DEFAULT_LOCALE)


@cache
def translations(locale: str) -> _gettext.NullTranslations:
    """The compiled catalog for a locale (English falls back to the message ids).

    Every `*.po` file of the locale is merged, one per area (`messages.po` for the
    conversation, `telegram.po`, `scheduler.po`...), so areas can be translated independently.
    """
    files = sorted((LOCALES_DIR / locale / "LC_MESSAGES").glob("*.po"))
    if not files:
        return _gettext.NullTranslations()
    merged = None
    for po in files:
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        if merged is None:
            merged = catalog
            continue
        for message in catalog:
            if message.id:
                merged[message.id] = message
    buf = io.BytesIO()
    write_mo(buf, merged)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def resolve_locale(*candidates: str | None) -> str:
    """First supported locale among candidates (user setting, platform hint), else `vi`."""
    for cand in candidates:
        if not cand:
            continue
        short = cand.replace("_", "-").split("-")[0].lower()
        if short in SUPPORTED:
            return short
    return DEFAULT_LOCALE


def current_locale() -> str:
    """The locale of the message being handled."""
    return _current.get()


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Translate into `locale` inside the block (per task / per message)."""
    token = _current.set(resolve_locale(locale))
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    """Translate a message into the current locale."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a plural form into the current locale."""
    return translations(_current.get()).ngettext(singular, plural, n)


_ = gettext

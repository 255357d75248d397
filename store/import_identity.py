"""Who a directive is: its number, or for a document that states none, a stable identity.

A readable directive is never refused for a missing number. Without one, the directive is
known by a hash of its issuer, issue date and title (folded, so spacing and diacritics typed
differently do not matter); `Directive.number` then holds a label derived from that hash, so a
re-import of the same document finds the same row, and corrections keyed by number still apply.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from store.importing.parsed import ParsedDirective
from store.text import fold

logger = logging.getLogger(__name__)

#: Prefix of the label that stands in for the number of a directive that states none
#: ("không số": without number).
NO_NUMBER_PREFIX = "KS-"


@dataclass(frozen=True, slots=True)
class DirectiveIdentity:
    """The number to store and, for a directive without one, its identity key."""

    number: str
    identity_key: str | None

    @property
    def numbered(self) -> bool:
        """True when the document states its own number."""
        return self.identity_key is None


def identity_key(parsed: ParsedDirective, digest: str | None = None) -> str:
    """SHA-256 of the folded issuer, issue date and title (or of the file when all are empty)."""
    parts = [
        fold(parsed.issuer or ""),
        parsed.issued_on.isoformat() if parsed.issued_on else "",
        fold(parsed.title or ""),
    ]
    if not any(parts):
        # Nothing identifies the document but its bytes: the same file still finds itself.
        parts = ["file", digest or ""]
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


def directive_identity(
    parsed: ParsedDirective, *, number: str | None = None, digest: str | None = None
) -> DirectiveIdentity:
    """The directive's number as given or stated, else a label and key from its identity."""
    stated = (number or parsed.number or "").strip()
    if stated:
        return DirectiveIdentity(stated[:64], None)
    key = identity_key(parsed, digest)
    return DirectiveIdentity(f"{NO_NUMBER_PREFIX}{key[:12]}", key)


def is_unnumbered(number: str) -> bool:
    """True for a label made by `directive_identity` for a directive without a number."""
    return number.startswith(NO_NUMBER_PREFIX)

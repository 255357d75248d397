"""What the OA channel needs from wherever its OAuth token pair is kept (no storage here).

The pair is shared by every replica and rotates: a refresh token is single-use, so a refresh
runs with the stored pair write-locked (`TokenStore.locked`) and the new pair is written in that
same lock before anyone uses it. `store.tokens.DatabaseTokenStore` implements this over the
database; the app wiring passes it to the channel.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol


class StoredPair(Protocol):
    """A stored access + refresh token pair and the version it had when read."""

    @property
    def access_token(self) -> str:
        """The access token."""
        ...

    @property
    def refresh_token(self) -> str:
        """The (single-use) refresh token."""
        ...

    @property
    def access_expires_at(self) -> datetime:
        """When the access token expires."""
        ...

    @property
    def version(self) -> int:
        """Bumped by every rotation."""
        ...


class LockedPair(Protocol):
    """The stored pair, write-locked until the `TokenStore.locked` block ends."""

    @property
    def pair(self) -> StoredPair | None:
        """The pair as stored when the lock was taken (None: nothing stored)."""
        ...

    async def rotate(
        self,
        *,
        access_token: str,
        refresh_token: str,
        access_expires_at: datetime,
        refresh_expires_at: datetime | None,
        now: datetime,
    ) -> StoredPair | None:
        """Store a new pair over the locked one; None if it was rotated meanwhile."""
        ...


class TokenStore(Protocol):
    """Reads, seeds and rotates one provider's token pair."""

    async def get(self) -> StoredPair | None:
        """The stored pair, read fresh (None if none)."""
        ...

    def locked(self) -> AbstractAsyncContextManager[LockedPair]:
        """Lock the stored pair for a refresh; others wait, then read what was stored."""
        ...

    async def seed(
        self,
        *,
        access_token: str,
        refresh_token: str,
        access_expires_at: datetime,
        refresh_expires_at: datetime | None,
        now: datetime,
    ) -> tuple[StoredPair, bool]:
        """Install a configured pair unless it was installed before.

        Returns:
            The pair now stored, and whether the configured one was installed.
        """
        ...

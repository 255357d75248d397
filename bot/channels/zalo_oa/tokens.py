"""The Zalo OA access token: stored, shared by replicas, refreshed before it expires.

Access tokens last about 25 hours; refresh tokens about three months and are single-use. So:

- One refresh at a time: an asyncio lock in the process, and in the database a write lock on
  the stored pair for the whole refresh (`TokenStore.locked`), so other replicas (or a CLI
  job) wait and then read the pair the winner stored instead of spending the same refresh token.
- The new pair is committed before anyone uses the new access token. A crash between Zalo's
  answer and that commit loses the pair: the stored refresh token is then "already used".
- On a rejected refresh token the database is read again, in case another process rotated it.
  If nobody did, the pair is gone: the still-valid access token (if any) keeps the bot working
  while an error in the log tells the operator to re-authorise; after that sends fail with a
  reason that says the same. Installing a new pair (ZALO_OA_REFRESH_TOKEN) recovers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.channels.redact import REDACTOR
from bot.channels.zalo_oa.api import OAClient, RefreshFailed, RefreshRejected
from bot.channels.zalo_oa.token_store import StoredPair, TokenStore

logger = logging.getLogger(__name__)

PROVIDER = "zalo_oa"
REAUTHORISE = (
    "re-authorise the OA for the app on developers.zalo.me and set ZALO_OA_ACCESS_TOKEN and "
    "ZALO_OA_REFRESH_TOKEN to the new pair"
)
# A configured access token of unknown age is trusted this long (refreshed an hour before).
_SEEDED_ACCESS_LIFETIME = timedelta(hours=2)


class TokenUnavailable(Exception):
    """No usable access token; the message says why and what to do."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class TokenManager:
    """Hands out a valid OA access token, refreshing (and persisting) it when needed.

    Args:
        store: Where the pair is kept, shared with other replicas (the database, through
            `store.tokens.DatabaseTokenStore` keyed by `PROVIDER`).
        client: The OAuth client.
        clock: Current time (timezone-aware).
        refresh_margin: Refresh when the access token has less than this left.
        retry_pause: After a failed refresh, how long to keep using the old token before
            trying again (so a dead refresh token is not hammered on every send).
    """

    def __init__(
        self,
        store: TokenStore,
        client: OAClient,
        *,
        clock: Callable[[], datetime] = _utc_now,
        refresh_margin: timedelta = timedelta(hours=1),
        retry_pause: timedelta = timedelta(minutes=5),
    ) -> None:
        self._store = store
        self._client = client
        self._clock = clock
        self._margin = refresh_margin
        self._retry_pause = retry_pause
        self._lock = asyncio.Lock()
        self._current: StoredPair | None = None
        self._quiet_until: datetime | None = None
        self.refreshes = 0  # successful rotations by this process (for tests and metrics)

    @property
    def version(self) -> int | None:
        """Version of the pair in use (None before the first read)."""
        return self._current.version if self._current else None

    async def install(self, access_token: str | None, refresh_token: str | None) -> None:
        """Store the configured pair unless it was installed before, then load the current one.

        Raises:
            TokenUnavailable: Nothing configured and nothing stored.
        """
        now = self._clock()
        if refresh_token:
            pair, installed = await self._store.seed(
                access_token=access_token or "",
                refresh_token=refresh_token,
                # Unknown age: use it briefly (or not at all) and refresh early.
                access_expires_at=now + _SEEDED_ACCESS_LIFETIME if access_token else now,
                refresh_expires_at=None,
                now=now,
            )
            if installed:
                logger.info("Zalo OA: configured token pair installed (version %d)", pair.version)
        pair = await self._store.get()
        if pair is None:
            raise TokenUnavailable(f"no Zalo OA token is stored: {REAUTHORISE}")
        self._use(pair)

    async def access_token(self) -> str:
        """A valid access token, refreshed first if it is about to expire.

        Raises:
            TokenUnavailable: It expired and could not be refreshed.
        """
        current = self._current
        if current is not None and self._fresh(current):
            return current.access_token
        async with self._lock:
            return await self._renew(rejected=None)

    async def rejected(self, token: str) -> str:
        """The API refused `token` (invalid or expired): get another one.

        Raises:
            TokenUnavailable: No other token could be obtained.
        """
        async with self._lock:
            current = self._current
            if current is not None and current.access_token != token and self._fresh(current):
                return current.access_token  # someone refreshed while we waited for the lock
            self._quiet_until = None
            return await self._renew(rejected=token)

    # -- internals -------------------------------------------------------------------------

    def _fresh(self, pair: StoredPair) -> bool:
        now = self._clock()
        if pair.access_expires_at - self._margin > now:
            return True
        # Refresh failed lately: keep using the old token while it lasts, quietly.
        quiet = self._quiet_until is not None and now < self._quiet_until
        return quiet and pair.access_expires_at > now

    def _use(self, pair: StoredPair) -> None:
        REDACTOR.add(pair.access_token, rotating=True)
        REDACTOR.add(pair.refresh_token, rotating=True)
        self._current = pair

    async def _renew(self, rejected: str | None) -> str:
        now = self._clock()
        failure: Exception | None = None
        saved: StoredPair | None = None
        async with self._store.locked() as locked:  # other replicas wait here
            stored = locked.pair
            if stored is None:
                raise TokenUnavailable(f"no Zalo OA token is stored: {REAUTHORISE}")
            if stored.access_token != rejected and stored.access_expires_at - self._margin > now:
                self._use(stored)  # another replica already rotated it
                return stored.access_token
            try:
                fresh = await self._client.refresh(stored.refresh_token)
            except (RefreshRejected, RefreshFailed) as exc:
                failure = exc
            else:
                # Persist before anyone uses the new access token: the old refresh token is
                # spent now, and this pair is the only way forward.
                saved = await locked.rotate(
                    access_token=fresh.access_token,
                    refresh_token=fresh.refresh_token,
                    access_expires_at=now + fresh.expires_in,
                    refresh_expires_at=now + fresh.refresh_expires_in,
                    now=now,
                )
        if failure is None:
            if saved is None:  # pragma: no cover - the row lock makes this a bug elsewhere
                raise TokenUnavailable("Zalo OA token changed during a refresh; try again")
            self._use(saved)
            self._quiet_until = None
            self.refreshes += 1
            logger.info("Zalo OA access token refreshed (version %d)", saved.version)
            return saved.access_token
        return await self._after_failure(stored, failure, rejected)

    async def _after_failure(
        self, stored: StoredPair, failure: Exception, rejected: str | None
    ) -> str:
        now = self._clock()
        if isinstance(failure, RefreshRejected):
            # Another process may have rotated the pair after all (then ours was spent by it).
            again = await self._store.get()
            if again is not None and again.version != stored.version:
                self._use(again)
                logger.info("Zalo OA token was rotated elsewhere (version %d)", again.version)
                return again.access_token
            logger.error(
                "Zalo OA refresh token rejected (%s) and no newer one is stored; %s",
                failure,
                REAUTHORISE,
            )
        else:
            logger.warning("Zalo OA token refresh failed (%s); will retry", failure)
        self._quiet_until = now + self._retry_pause
        if stored.access_token != rejected and stored.access_expires_at > now:
            self._use(stored)
            return stored.access_token  # still valid for a while: keep working meanwhile
        if isinstance(failure, RefreshRejected):
            raise TokenUnavailable(
                f"Zalo OA access token expired and the refresh token was rejected: {REAUTHORISE}"
            )
        raise TokenUnavailable(f"Zalo OA access token expired; refresh failed: {failure}")

"""Open members of an Office archive with the inflated size counted as it is decompressed.

The zip directory is never trusted: a member that claims 1 KB may inflate to gigabytes, and a
bomb may be honest about its size and hope nobody checks. Every byte a reader gets through
`Inflated` is counted against one budget shared by the whole archive, and reading stops with
``ImportFormatError("limit")`` the moment it is spent -- before the excess is held anywhere.
(A member whose directory entry understates its size ends early with a CRC error from
`zipfile`, which surfaces as ``corrupt``.)
"""

from __future__ import annotations

import io
import zipfile

from store.importing.parsed import ImportFormatError
from store.importing.readers.limits import ReadLimits, over

#: Bytes decompressed per step; keeps each step's memory small whatever the caller asks for.
_CHUNK = 1 << 16


class Budget:
    """Decompressed bytes left for one archive."""

    def __init__(self, limits: ReadLimits) -> None:
        self.cap = limits.max_inflated
        self.used = 0

    def spend(self, count: int) -> None:
        """Count `count` inflated bytes; refuse past the cap."""
        self.used += count
        if self.used > self.cap:
            raise over("max_inflated", self.cap, "the archive inflates to too many bytes")


class Inflated(io.RawIOBase):
    """A readable member stream that charges every inflated byte to a `Budget`."""

    def __init__(self, member: io.BufferedIOBase, budget: Budget) -> None:
        self._member = member
        self._budget = budget

    def readable(self) -> bool:
        """Always: this is an input stream."""
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        """Inflate at most one chunk into `buffer`, counting it."""
        size = min(len(buffer), _CHUNK)
        try:
            data = self._member.read(size)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise ImportFormatError("corrupt", f"damaged archive member: {exc}") from exc
        self._budget.spend(len(data))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        """Close the member too."""
        self._member.close()
        super().close()


def open_archive(data: bytes, ext: str) -> zipfile.ZipFile:
    """Open the archive's directory (names only are used from it)."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFormatError("corrupt", f"cannot open the {ext or 'zip'} file: {exc}") from exc


def open_member(archive: zipfile.ZipFile, name: str, budget: Budget) -> io.BufferedReader:
    """A buffered stream of member `name`, charged to `budget` as it inflates."""
    try:
        member = archive.open(name)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise ImportFormatError("corrupt", f"cannot open {name}: {exc}") from exc
    return io.BufferedReader(Inflated(member, budget), _CHUNK)


def read_member(archive: zipfile.ZipFile, name: str, budget: Budget) -> bytes | None:
    """The whole (small) member `name`, or None when the archive has none; counted."""
    if name not in archive.namelist():
        return None
    with open_member(archive, name, budget) as stream:
        return stream.read()


def drain(archive: zipfile.ZipFile, budget: Budget) -> None:
    """Inflate every member once, discarding the bytes, to check the archive's real size.

    For readers (openpyxl) that open members themselves: this walk refuses a bomb before they
    start, whatever the directory claims.
    """
    for name in archive.namelist():
        with open_member(archive, name, budget) as stream:
            while stream.read(_CHUNK):
                pass

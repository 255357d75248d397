"""The one door from a directive file to its extracted tasks, for the chat and the CLI alike.

Reading a file is the only step that parses untrusted documents; keeping it behind this one
function means moving it into a sandboxed worker process (`store.importing.sandbox`) changes
one line here and nothing at the call sites.
"""

from __future__ import annotations

import dataclasses
import logging

from store.importing.parsed import ParsedDirective
from store.importing.sandbox import ImportLimits, extract_in_worker

logger = logging.getLogger(__name__)


async def read_directive(
    data: bytes, filename: str, *, max_bytes: int | None = None
) -> ParsedDirective:
    """Extract a directive from a file's bytes (raises `ImportFormatError` when it can't).

    The file is read in the import sandbox: a separate process with memory, time and output
    caps (`store.importing.sandbox`).
    """
    limits = ImportLimits()
    if max_bytes is not None:
        limits = dataclasses.replace(limits, max_bytes=max_bytes)
    return await extract_in_worker(data, filename, limits=limits)

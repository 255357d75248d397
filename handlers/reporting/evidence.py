"""Evidence files attached to a report: downloaded once through the channel, then referenced.

The bytes are not stored: downloading proves the file is really retrievable (Telegram refuses
files over 20 MB to bots) and within our limit, and gives its SHA-256. The report keeps the
channel's own reference (Telegram's `file_id` is permanent for this bot), so the file can be
fetched again when someone needs to see it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from handlers.context import Context
from handlers.i18n import _
from handlers.types import Button, FileRef

logger = logging.getLogger(__name__)


async def take_evidence(ctx: Context, file: FileRef) -> dict[str, Any] | None:
    """Download an evidence file and return what the report flow keeps about it.

    Returns:
        `{"fn": name, "fr": channel reference, "fs": size, "fh": sha256}`, or None after
        telling the user why the file cannot be used (too large, download failed).
    """
    limit = ctx.options.max_upload_bytes
    skip = [[Button(_("Skip"), "f")]]
    too_large = _(
        "That file is too large (limit {mb} MB). Send a smaller one or press Skip."
    ).format(mb=limit // 1_000_000)
    if file.size is not None and file.size > limit:
        ctx.reply(too_large, skip)
        return None
    if file.fetch is None:  # a channel that cannot download: keep the reference alone
        return {"fn": file.name, "fr": file.ref, "fs": file.size, "fh": None}
    try:
        content = await file.fetch()
    except Exception as exc:  # a channel error or a network failure: ask again
        logger.warning("evidence download failed: %s", type(exc).__name__)
        ctx.reply(_("I could not download that file. Please send it again, or press Skip."), skip)
        return None
    if len(content) > limit:  # the declared size may be missing or wrong
        ctx.reply(too_large, skip)
        return None
    return {
        "fn": file.name,
        "fr": file.ref,
        "fs": len(content),
        "fh": hashlib.sha256(content).hexdigest(),
    }


def attachment_ref(ctx: Context, data: dict[str, Any]) -> str | None:
    """What a report stores about its evidence (JSON): channel, reference, name, size, hash."""
    if not data.get("fr"):
        return None
    ref = {
        "channel": ctx.incoming.address.channel,
        "ref": data["fr"],
        "name": data.get("fn"),
        "size": data.get("fs"),
        "sha256": data.get("fh"),
    }
    return json.dumps(ref, ensure_ascii=False)

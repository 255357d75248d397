"""Which cap of the import sandbox a refused file crossed, in words an admin understands."""

from __future__ import annotations

from handlers.i18n import _
from store.importing.parsed import ImportFormatError
from store.importing.readers.ocr import PACKAGES
from store.importing.sandbox import ImportLimits

_MB = 2**20


def refusal_detail(exc: ImportFormatError, limits: ImportLimits | None = None) -> str:
    """A sentence naming the limit `exc` crossed (``""`` when it is not about a limit)."""
    limits = limits or ImportLimits()
    if exc.code == "ocr_missing":
        return _("The server needs the packages {packages}.").format(packages=PACKAGES)
    name = exc.limit
    if name is None:
        return ""
    count = {
        "max_paragraphs": _("It has more than {cap} paragraphs."),
        "max_rows": _("Its tables have more than {cap} rows."),
        "max_cells": _("Its tables have more than {cap} cells."),
        "max_pages": _("It has more than {cap} pages."),
        "max_ocr_pages": _("It has more than {cap} scanned pages."),
        "max_tasks": _("It has more than {cap} tasks."),
    }
    if name in count:
        return count[name].format(cap=f"{getattr(limits, name):,}".replace(",", "."))
    if name in ("max_seconds", "max_cpu_seconds", "ocr_page_seconds"):
        seconds = round(getattr(limits, name))
        return _("Reading it took more than {cap} seconds.").format(cap=seconds)
    sizes = {
        "max_inflated": _("It unpacks to more than {cap} MB."),
        "max_memory": _("Reading it needs more than {cap} MB of memory."),
        "max_output": _("What was read from it is larger than {cap} MB."),
        "max_bytes": _("The file is larger than {cap} MB."),
    }
    if name in sizes:
        return sizes[name].format(cap=round(getattr(limits, name) / _MB))
    if name == "max_pixels":
        cap = round(limits.max_pixels / 1_000_000)
        return _("The image is larger than {cap} megapixels.").format(cap=cap)
    return ""

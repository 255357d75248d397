"""Result types of a directive import: plain data, no database, no unit resolution."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

#: Machine codes of `ImportFormatError`.
ERROR_CODES = frozenset(
    {
        "empty",
        "binary",
        "too_large",
        "unsupported",
        "legacy_format",
        "no_tasks",
        "corrupt",
        "bad_columns",
        "limit",
        "timeout",
        "ocr_missing",
    }
)


#: Review flags a task may carry. Extraction sets the structural ones; unit resolution in
#: `store.importer` adds ``unit_unresolved``/``unit_ambiguous``.
FLAGS = frozenset(
    {
        "unit_unresolved",  # an assignee phrase matched no unit
        "unit_ambiguous",  # an assignee phrase matched several units equally well
        "no_lead",  # no lead unit was found
        "no_deadline",  # no deadline was found
        "deadline_inherited",  # the deadline comes from the parent item / introducing sentence
        "deadline_span",  # a span (`2024 - 2025`, `Quý III, IV/2026`) was read: due at its end
        "deadline_milestone",  # several deadlines: the first milestone was taken
        "lead_from_heading",  # the lead comes from a heading above the item
        "low_confidence",  # the item's shape or assignment clause was unusual
        "restated_in_table",  # a body item whose work is also a row of the document's table
    }
)


class ImportFormatError(ValueError):
    """A file that cannot be imported; `code` says why in a machine-readable way.

    Codes: ``empty`` (nothing in it), ``binary`` (not text and not a known format),
    ``too_large`` (over the size limit), ``unsupported`` (a known but unsupported format such
    as PDF or legacy .doc/.xls), ``corrupt`` (a .docx/.xlsx that cannot be opened),
    ``bad_columns`` (a spreadsheet without the required columns), ``no_tasks`` (readable, but
    no task could be recognised), ``legacy_format`` (Word 97 .doc / Excel 97 .xls: save as
    .docx or PDF), ``limit`` (over a cap of the import sandbox; `limit` names it, e.g.
    ``max_rows``), ``timeout`` (reading took longer than the sandbox allows), ``ocr_missing``
    (a scan or an image, but Tesseract or its Vietnamese model is not installed).
    """

    def __init__(self, code: str, message: str, *, limit: str | None = None) -> None:
        if code not in ERROR_CODES:  # pragma: no cover - programming error
            raise ValueError(f"unknown import error code {code!r}")
        super().__init__(message)
        self.code = code
        #: For ``limit``/``timeout``: the name of the cap (``max_rows``, ``max_seconds`` ...).
        self.limit = limit

    def __reduce__(self) -> tuple[object, ...]:
        # Keeps `limit` when the error is pickled (keyword arguments are not by default).
        return (_rebuild_error, (self.code, str(self), self.limit))


def _rebuild_error(code: str, message: str, limit: str | None) -> ImportFormatError:
    return ImportFormatError(code, message, limit=limit)


@dataclass
class ParsedTask:
    """One task as the directive writes it.

    `ref` is the task's position in the document (stable across re-imports of the same text):

    * appendix table (230/QĐ-VPCP): ``<group roman>.<row>[.<letter>]``, e.g. ``I.1``,
      ``II.5.a``; groups are the table's roman-numeral rows, or, when the capture lost them,
      counted from the row numbers restarting at 1;
    * outlines (35-TB/TGV and most directives, `store.importing.items`): the item's numbers
      outermost first, ``<part>.<section>.<letter>[.<bullet>[.<sub-bullet>]]``, e.g.
      ``2.c`` (a lettered paragraph), ``1.b.2`` (second ``-`` bullet under ``b)``),
      ``3.b.1.2`` (second ``+`` item under a ``-`` unit label); sections are the numbered
      headings, counted when a capture dropped them (letters restarting at ``a)``); a task
      paragraph without a marker is a section of its own (``7``), or ``<section>.<k>`` when
      lettered items of its section follow it; a roman part (``II.``) prefixes all of these;
    * prose (news articles): ``<n>`` for the n-th task paragraph or sentence group, and
      ``<n>.<k>`` for the items ``(k)`` of an enumerated sentence;
    * spreadsheets: the ``TT`` column read like the appendix table, else the row order.

    A document whose own numbering repeats (a letter used twice) gets ``-2``, ``-3`` on the
    later refs; a second task table in one document prefixes its refs with ``T2:``.
    """

    ref: str
    title: str
    body: str
    lead: list[str]
    cooperating: list[str]
    deadline_text: str
    product: str = ""
    group: str = ""
    #: The document lines the task was read from (for review), in document order.
    source: list[str] = field(default_factory=list)
    #: What a reviewer should check (see `FLAGS`).
    flags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict with the model's field names."""
        return asdict(self)


@dataclass
class ParsedDirective:
    """A directive's metadata and its tasks, in document order."""

    number: str | None
    doc_type: str | None
    issuer: str | None
    issued_on: date | None
    title: str
    tasks: list[ParsedTask]
    warnings: list[str] = field(default_factory=list)
    #: No issue date written (an unsigned draft): the month its date line names, against which
    #: year-less deadlines (``ngày 23 tháng 1``) are read.
    reference_on: date | None = None

    @property
    def dated(self) -> date | None:
        """The date deadlines are read against: the issue date, else the draft's month."""
        return self.issued_on or self.reference_on

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (the dates as ISO text)."""
        data = asdict(self)
        for name in ("issued_on", "reference_on"):
            value = getattr(self, name)
            data[name] = value.isoformat() if value else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedDirective:
        """Back from `to_dict` (plain JSON, nothing executable); unknown keys are ignored."""
        task_fields = {f.name for f in fields(ParsedTask)}
        dates = {"issued_on", "reference_on"}
        names = {f.name for f in fields(cls)} - {"tasks"} - dates
        known = {"number": None, "doc_type": None, "issuer": None, "title": ""}
        return cls(
            **(known | {k: v for k, v in data.items() if k in names}),
            tasks=[
                ParsedTask(**{k: v for k, v in t.items() if k in task_fields})
                for t in data.get("tasks", [])
            ],
            **{k: date.fromisoformat(data[k]) if data.get(k) else None for k in dates},
        )


def unique_refs(tasks: list[ParsedTask]) -> list[str]:
    """Make repeated refs unique in place (``1.c``, ``1.c-2``); return warnings about them.

    Refs identify tasks on re-import, so two tasks may never share one; a document whose
    numbering repeats itself (a letter used twice) gets the suffix on the later task.
    """
    warnings: list[str] = []
    seen: dict[str, int] = {}
    for task in tasks:
        if task.ref in seen:
            seen[task.ref] += 1
            new = f"{task.ref}-{seen[task.ref]}"
            warnings.append(f"duplicate ref {task.ref!r} renamed {new!r}")
            task.ref = new
        else:
            seen[task.ref] = 1
    return warnings

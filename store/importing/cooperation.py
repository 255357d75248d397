"""Cooperating units and co-leads of an item: ``phối hợp (chặt chẽ) với X, Y``, ``đồng chủ trì
với X``; each list ends at the verb that follows it."""

from __future__ import annotations

import re

from store.importing.units import is_unit_start, split_units
from store.importing.verbs import STOPS, TASK_VERBS, verb_regex

_COOP = re.compile(r"[Pp]hối\s?hợp(?:\s(?:chặt chẽ|với))*\s+")
_SPAN_END = re.compile(rf"(?<!\S)(?:{verb_regex(TASK_VERBS + STOPS)})(?=[\s,:]|$)|[.;:]\s|[.;:]$")
_COOP_NOUNS = ("đơn vị ", "cơ quan ", "doanh nghiệp ", "tổ chức ", "cấp ủy ", "chính quyền ")


def cooperating_units(text: str) -> list[str]:
    """Units after ``phối hợp (chặt chẽ) với``, up to the verb that ends the list."""
    out: list[str] = []
    for match in _COOP.finditer(text):
        rest = text[match.end() :]
        end = _SPAN_END.search(rest)
        span = rest[: end.start()] if end else rest[:200]
        for name in split_units(span):
            if (is_unit_start(name) or name.startswith(_COOP_NOUNS)) and name not in out:
                out.append(name)
    return out


_CO_LEAD = re.compile(r"\b[Đđ]ồng chủ trì\s+(?:với|cùng)\s+")


def co_leads(text: str) -> list[str]:
    """Units after ``đồng chủ trì với``: leads beside the item's own (``Bộ Ngoại giao: Đồng chủ
    trì với Bộ Khoa học và Công nghệ, phối hợp với ...``)."""
    match = _CO_LEAD.search(text)
    if match is None:
        return []
    rest = text[match.end() :]
    end = re.search(r",\s*phối hợp|[;.]|\s(?:để|nhằm)\s", rest)
    span = rest[: end.start()] if end else rest[:200]
    span = _SPAN_END.split(span, maxsplit=1)[0]
    return [name for name in split_units(span) if is_unit_start(name)]

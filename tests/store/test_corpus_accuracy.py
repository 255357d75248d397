"""The corpus figures (exact tasks, invented tasks) never drop below the recorded floors.

The floors live in ``fixtures/corpus/floors.json``, one entry per part (``tuned``,
``heldback``): the least number of documents and of labelled tasks scored, the least share of
labelled tasks found exact, the most share of extracted tasks invented and the least share of
matched tasks with the right cooperating units. Raise them when the extractor gets better;
``python -m tests.bench.bench_import_corpus`` prints the current figures.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.store.corpus_score import CORPUS, score_corpus, totals

FLOORS = CORPUS / "floors.json"


def _floors() -> dict[str, Any]:
    return json.loads(FLOORS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scores() -> dict[str, Any]:
    return {part: totals(items) for part, items in score_corpus("all").items()}


@pytest.mark.parametrize("part", ["tuned", "heldback"])
def test_corpus_figures_hold_their_floors(part: str, scores: dict[str, Any]) -> None:
    floor = _floors()[part]
    got = scores[part]
    assert got.documents >= floor["documents"], "corpus documents went missing"
    assert got.expected >= floor["expected"], "labelled tasks went missing"
    assert got.exact_rate >= floor["exact_rate"], f"{part}: exact {got.exact_rate:.2%}"
    assert got.invented_rate <= floor["invented_rate"], f"{part}: invented {got.invented_rate:.2%}"
    assert got.cooperating_rate >= floor["cooperating_rate"], (
        f"{part}: cooperating {got.cooperating_rate:.2%}"
    )

"""Extraction accuracy on the example directives against hand-labelled expectations.

Fixtures: ``fixtures/directives/*.txt`` (copies of ``/work/shared/directives``) and the labels
in ``fixtures/qd230_expected.json``, ``fixtures/tb35_expected.json`` and
``fixtures/prose_expected.json``, written by reading the documents, not by running the extractor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from store.importing import ParsedDirective, ParsedTask, extract
from store.importing.unit_lists import expand_colon_list
from store.text import fold

FIXTURES = Path(__file__).parent / "fixtures"


def _load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _extract(name: str) -> ParsedDirective:
    return extract((FIXTURES / "directives" / name).read_bytes(), name)


def _units(names: list[str]) -> list[str]:
    # ARCHITECTURE §8: `Các Bộ: Xây dựng, Tài chính` may be kept whole or split into its units
    # (the corpus labels split it); both spellings compare equal.
    return [fold(unit) for name in names for unit in (expand_colon_list(name) or [name])]


def _clean(text: str) -> str:
    return fold(text).rstrip(" .;")


@dataclass
class Score:
    """Precision (no invented refs) and recall (right ref, lead and deadline) of one document."""

    extracted: int
    expected: int
    invented: list[str]
    wrong: list[str]
    cooperating_ok: int

    @property
    def precision(self) -> float:
        return (self.extracted - len(self.invented)) / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return (self.expected - len(self.wrong)) / self.expected


def _matches(task: ParsedTask | None, label: dict[str, Any]) -> bool:
    return (
        task is not None
        and _units(task.lead) == _units(label["lead"])
        and _clean(task.deadline_text) == _clean(label["deadline_text"])
        and fold(task.title).startswith(fold(label["title_starts"]))
    )


def score(directive: ParsedDirective, labels: dict[str, Any]) -> Score:
    """Compare extracted tasks with labelled ones by ref."""
    got = {task.ref: task for task in directive.tasks}
    expected = {label["ref"]: label for label in labels["tasks"]}
    return Score(
        extracted=len(directive.tasks),
        expected=len(expected),
        invented=[ref for ref in got if ref not in expected],
        wrong=[ref for ref, label in expected.items() if not _matches(got.get(ref), label)],
        cooperating_ok=sum(
            1
            for ref, label in expected.items()
            if ref in got and _units(got[ref].cooperating) == _units(label["cooperating"])
        ),
    )


def _check_directive(directive: ParsedDirective, expected: dict[str, Any]) -> None:
    assert directive.number == expected["number"]
    assert directive.doc_type == expected["doc_type"]
    assert directive.issuer == expected["issuer"]
    issued = directive.issued_on.isoformat() if directive.issued_on else None
    assert issued == expected["issued_on"]


@pytest.mark.parametrize(
    ("document", "labels"),
    [("qd230-vpcp-2025.txt", "qd230_expected.json"), ("tb35-tgv-2025.txt", "tb35_expected.json")],
)
def test_structured_directives_are_extracted_accurately(document: str, labels: str) -> None:
    expected = _load(labels)
    directive = _extract(document)
    result = score(directive, expected)
    assert result.invented == [], f"invented tasks: {result.invented}"
    assert result.precision == 1.0
    assert result.recall >= 0.95, f"recall {result.recall:.2%}; wrong: {result.wrong}"
    _check_directive(directive, expected["directive"])


def test_appendix_cells_are_read_whole() -> None:
    expected = {label["ref"]: label for label in _load("qd230_expected.json")["tasks"]}
    directive = _extract("qd230-vpcp-2025.txt")
    result = score(directive, _load("qd230_expected.json"))
    assert result.cooperating_ok == result.expected
    for task in directive.tasks:
        assert fold(task.product.rstrip(".")).startswith(
            fold(expected[task.ref]["product"].rstrip("."))
        ), task.ref


def test_appendix_groups_take_the_body_headings() -> None:
    tasks = {task.ref: task for task in _extract("qd230-vpcp-2025.txt").tasks}
    assert tasks["I.1"].group.startswith("Nâng cao nhận thức")
    assert tasks["V.7"].group.startswith("Đẩy mạnh chuyển đổi số")
    assert tasks["II.5.a"].group.startswith("Rà soát, điều chỉnh các quy trình nội bộ")
    assert "II.5" not in tasks  # the grouping row is not a task


def test_body_items_beside_an_appendix_are_kept_and_restatements_flagged() -> None:
    tasks = {task.ref: task for task in _extract("qd230-vpcp-2025.txt").tasks}
    assert len(tasks) == 40  # 32 rows, 3 body items that restate rows, 5 implementation items
    assert "restated_in_table" in tasks["1.a"].flags  # the same work as row I.1
    assert "restated_in_table" not in tasks["I.1"].flags
    assert tasks["2"].body.startswith("Giao Vụ Khoa giáo")  # no row restates it
    assert "restated_in_table" not in tasks["2"].flags


def test_sub_items_under_a_unit_label_are_tasks() -> None:
    tasks = {task.ref: task for task in _extract("tb35-tgv-2025.txt").tasks}
    assert [ref for ref in tasks if ref.startswith("3.b.1.")] == ["3.b.1.1", "3.b.1.2", "3.b.1.3"]
    assert "[1]" not in tasks["2.a.4"].body  # footnote marker stripped
    assert tasks["3.b.1.1"].group.endswith("Ban Tổ chức Trung ương")
    assert tasks["3.b.2"].group.startswith("Đối với CSDL Tổ chức đảng")
    assert "Ban Tổ chức" not in tasks["3.b.2"].group
    assert tasks["2.a.1"].group == (
        "Về cung cấp thủ tục hành chính, dịch vụ công trực tuyến / "
        "Các Bộ, cơ quan ngang bộ theo phạm vi chức năng quản lý"
    )


def _deadline_ok(found: str, label: str | None) -> bool:
    """None: not checked; "": must be empty; else the label is part of what was found."""
    if label is None:
        return True
    if not label:
        return not found
    return fold(label) in fold(found)


@pytest.mark.parametrize(
    "document", ["tb56-vpcp-2025.txt", "tb171-vpcp-2025.txt", "tb-bcdcp-phien4-2025.txt"]
)
def test_prose_tasks_we_are_sure_of_are_found(document: str) -> None:
    labels = _load("prose_expected.json")["documents"][document]
    directive = _extract(document)
    low, high = labels["count"]
    assert low <= len(directive.tasks) <= high, [t.ref for t in directive.tasks]
    missing = []
    for label in labels["tasks"]:
        found = any(
            _units(task.lead) == _units(label["lead"])
            and fold(label["text"]) in fold(task.body)
            and _deadline_ok(task.deadline_text, label["deadline"])
            for task in directive.tasks
        )
        if not found:
            missing.append(label)
    assert missing == []
    for phrase in labels["absent"]:
        assert not any(fold(phrase) in fold(task.body) for task in directive.tasks), phrase
    _check_directive(directive, labels["directive"])

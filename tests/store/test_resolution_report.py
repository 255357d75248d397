"""What importing the example directives reports: unresolved units, vague parts, candidates.

Each of the five documents in fixtures/directives goes through the real extractor and
`store.importer.resolve` with a registry built from the seed, no database. The expected lists
are written down in full so that a change in matching, extraction or seed data shows here.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from store.importer import resolve
from store.importing.extract import ParsedDirective, extract
from store.models import UnitKind
from store.names import may_be_commune, normalize
from store.registry import Expansion, UnitRegistry
from store.units import seed_records, unit_groups

DIRECTIVES = Path(__file__).resolve().parent / "fixtures" / "directives"
DOCUMENTS = [
    "qd230-vpcp-2025.txt",
    "tb35-tgv-2025.txt",
    "tb56-vpcp-2025.txt",
    "tb171-vpcp-2025.txt",
    "tb-bcdcp-phien4-2025.txt",
]

# `nhacviec import --json`'s `unresolved`, per document: (text, candidate names).
EXPECTED_UNRESOLVED: dict[str, list[tuple[str, list[str]]]] = {
    "qd230-vpcp-2025.txt": [],
    "tb35-tgv-2025.txt": [],
    "tb56-vpcp-2025.txt": [],
    "tb171-vpcp-2025.txt": [],
    "tb-bcdcp-phien4-2025.txt": [],
}
# Parts that name no identifiable unit (`Expansion.vague`), per document, in document order.
EXPECTED_VAGUE: dict[str, list[str]] = {
    "qd230-vpcp-2025.txt": ["nhà cung cấp"],
    "tb35-tgv-2025.txt": [
        "các các tập đoàn, doanh nghiệp được phân công",
        "các cơ quan liên quan",
        "các cơ quan có liên quan",
    ],
    "tb56-vpcp-2025.txt": ["các cơ quan liên quan"],
    "tb171-vpcp-2025.txt": [],
    "tb-bcdcp-phien4-2025.txt": ["Các ngân hàng"],
}
# Every phrase that was reported unresolved before candidates were made plausible (most with
# communes as candidates), as the import listed it.
FORMERLY_NOISY = [
    "nhà cung cấp",
    "Các ngân hàng",
    "địa phương các cấp",
    "các các tập đoàn",
    "doanh nghiệp được phân công",
    "cơ quan chủ quản các CSDL quốc gia",
    "chuyên ngành",
    "Thành ủy",
    "các cơ quan liên quan",
    "số 3 của Tổ Giúp việc Ban Chỉ đạo",
    "các Nhóm công tác hỗ trợ của Trung ương",
    "Các Nhóm công tác của Tổ Giúp việc",
    "đơn vị quản lý cụm cảng hàng không",
    "các hãng bay hàng không",
    "các cơ quan có liên quan",
]
TGV_GROUPS = [f"bcdtw-khcn-tgv-nhom-{n}" for n in (2, 3, 4, 5)]
# (document, phrase as extracted, unit codes or how many units of each kind, vague parts).
DECIDED = [
    (
        "tb35-tgv-2025.txt",
        "Nhóm công tác số 2 và số 3 của Tổ Giúp việc Ban Chỉ đạo",
        TGV_GROUPS[:2],
        [],
    ),
    ("tb35-tgv-2025.txt", "các Nhóm công tác hỗ trợ của Trung ương", TGV_GROUPS, []),
    ("tb35-tgv-2025.txt", "Các Nhóm công tác của Tổ Giúp việc", TGV_GROUPS, []),
    # No per-province Party committee is seeded: the provinces stand for them.
    ("tb35-tgv-2025.txt", "Các tỉnh, Thành ủy", {UnitKind.PROVINCE: 34}, []),
    ("tb35-tgv-2025.txt", "đơn vị quản lý cụm cảng hàng không", ["acv"], []),
    ("tb35-tgv-2025.txt", "các hãng bay hàng không", ["vietnam-airlines", "vietjet"], []),
    ("tb35-tgv-2025.txt", "các cơ quan liên quan", [], ["các cơ quan liên quan"]),
    ("tb35-tgv-2025.txt", "các cơ quan có liên quan", [], ["các cơ quan có liên quan"]),
    (
        "tb35-tgv-2025.txt",
        "các các tập đoàn, doanh nghiệp được phân công",
        [],
        ["các các tập đoàn, doanh nghiệp được phân công"],
    ),
    # The owned data only qualifies `các bộ, cơ quan`: ministries and agencies, relevant ones.
    (
        "tb35-tgv-2025.txt",
        "các bộ, cơ quan chủ quản các CSDL quốc gia, chuyên ngành",
        {UnitKind.MINISTRY: 14, UnitKind.AGENCY: 10},
        [],
    ),
    ("tb56-vpcp-2025.txt", "các cơ quan liên quan", [], ["các cơ quan liên quan"]),
    # Local authorities at all levels: communes answer through their province.
    (
        "tb171-vpcp-2025.txt",
        "các bộ, ngành, địa phương các cấp",
        {UnitKind.MINISTRY: 14, UnitKind.AGENCY: 9, UnitKind.PROVINCE: 34},
        [],
    ),
    (
        "qd230-vpcp-2025.txt",
        "Các Vụ, Cục, đơn vị liên quan và nhà cung cấp",
        {UnitKind.OFFICE_UNIT: 19},
        ["nhà cung cấp"],
    ),
    ("tb-bcdcp-phien4-2025.txt", "Các ngân hàng", [], ["Các ngân hàng"]),
    ("tb-bcdcp-phien4-2025.txt", "UBND cấp xã", {UnitKind.COMMUNE: 3321}, []),
]


@pytest.fixture(scope="module")
def registry() -> UnitRegistry:
    return UnitRegistry.from_records(seed_records(), groups=unit_groups())


@pytest.fixture(scope="module")
def documents() -> dict[str, ParsedDirective]:
    return {name: extract((DIRECTIVES / name).read_bytes(), name) for name in DOCUMENTS}


def _issuer(registry: UnitRegistry, parsed: ParsedDirective) -> str | None:
    unit = registry.match(parsed.issuer).unit if parsed.issuer else None
    return unit.code if unit else None


def _expansions(registry: UnitRegistry, parsed: ParsedDirective) -> dict[str, Expansion]:
    """Every distinct assignee phrase of the document, expanded as the importer does."""
    ctx = _issuer(registry, parsed)
    phrases = [p for t in parsed.tasks for p in (*t.lead, *t.cooperating)]
    return {p: registry.expand(p, context_parent=ctx) for p in dict.fromkeys(phrases)}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_unresolved_list_of_each_document(registry, documents, name):
    _tasks, unresolved, _plan = resolve(documents[name], registry)
    assert [(u.text, u.candidates) for u in unresolved] == EXPECTED_UNRESOLVED[name]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_vague_list_of_each_document(registry, documents, name):
    vague = [v for e in _expansions(registry, documents[name]).values() for v in e.vague]
    assert list(dict.fromkeys(vague)) == EXPECTED_VAGUE[name]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_commune_is_offered_for_a_phrase_that_cannot_name_one(registry, documents, name):
    for expansion in _expansions(registry, documents[name]).values():
        for part, candidates in expansion.unresolved:
            if not may_be_commune(part, normalize(part), cased=True):
                assert all(u.kind != UnitKind.COMMUNE for u, _ in candidates), part


@pytest.mark.parametrize("phrase", FORMERLY_NOISY)
def test_formerly_noisy_phrases_get_no_commune_candidates(registry, phrase):
    assert all(u.kind != UnitKind.COMMUNE for u, _ in registry.match(phrase).candidates)
    for part, candidates in registry.expand(phrase).unresolved:
        assert all(u.kind != UnitKind.COMMUNE for u, _ in candidates), part


@pytest.mark.parametrize(("name", "phrase", "units", "vague"), DECIDED)
def test_phrases_resolve_as_decided(registry, documents, name, phrase, units, vague):
    expansions = _expansions(registry, documents[name])
    assert phrase in expansions, f"{phrase!r} is no longer extracted from {name}"
    expansion = expansions[phrase]
    if isinstance(units, dict):
        assert Counter(u.kind for u in expansion.units) == units
    else:
        assert [u.code for u in expansion.units] == units
    assert expansion.vague == vague
    assert expansion.unresolved == []


def test_every_task_with_a_lead_phrase_gets_a_lead_unit_unless_it_is_vague(registry, documents):
    for name, parsed in documents.items():
        ctx = _issuer(registry, parsed)
        for task in parsed.tasks:
            expansions = [registry.expand(p, context_parent=ctx) for p in task.lead]
            if any(e.units for e in expansions):
                continue
            assert all(e.vague and not e.unresolved for e in expansions), (name, task.ref)

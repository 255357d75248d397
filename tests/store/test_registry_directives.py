"""Assignee cells and headings of the sample directives, and unit groups, expand (no database)."""

from __future__ import annotations

import pytest

from store.models import UnitKind
from store.registry import UnitRegistry
from store.units import UnitRecord, seed_records
from tests.store.registry_support import codes

# Lead cells of the appendix table of shared/directives/qd230-vpcp-2025.txt (issuer VPCP)
# and their expected expansion; every distinct cell of the `Đơn vị chủ trì` column is here.
QD230_LEAD_CELLS = {
    "Thủ trưởng các đơn vị thuộc VPCP": "*vpcp",
    "Vụ Tổ chức cán bộ": "vpcp-vu-to-chuc-can-bo",
    "Các Vụ, Cục, đơn vị thuộc VPCP": "*vpcp",
    "Cổng Thông tin điện tử Chính phủ": "vpcp-cong-ttdt",
    "Cục Kiểm soát TTHC": "vpcp-cuc-kiem-soat-tthc",
    "Các đơn vị thuộc VPCP": "*vpcp",
    "Cục Quản trị": "vpcp-cuc-quan-tri-tai-vu",
    "Vụ Tổng hợp": "vpcp-vu-tong-hop",
}
# Cooperating cells of the same table.
QD230_SUPPORT_CELLS = [
    "Các đơn vị thuộc VPCP có liên quan",
    "Các đơn vị thuộc VPCP; Bộ, ngành, địa phương liên quan",
    "Các bộ, ngành, địa phương",
    "Các đơn vị thuộc VPCP; các bộ, ngành, địa phương.",
    "Các đơn vị thuộc VPCP, Bộ Công an, Các bộ, ngành, địa phương",
    "Bộ Công an; các bộ, ngành, địa phương",
    "Các Vụ, Cục, đơn vị liên quan thuộc VPCP.",
    "Cục Quản trị; Các đơn vị thuộc VPCP",
    "Cục Kiểm soát TTHC; các đơn vị thuộc VPCP",
    "Ban Cơ yếu Chính phủ; các bộ, ngành, địa phương",
    "Cục Kiểm soát TTHC; các bộ, ngành, địa phương.",
    "Cấp ủy Đảng cùng cấp",
]


@pytest.mark.parametrize(("cell", "expected"), QD230_LEAD_CELLS.items())
def test_every_lead_cell_of_qd230_resolves(registry, cell, expected):
    expansion = registry.expand(cell, context_parent="Văn phòng Chính phủ")
    assert expansion.unresolved == []
    if expected.startswith("*"):
        assert codes(expansion) == [u.code for u in registry.children(expected[1:])]
    else:
        assert codes(expansion) == [expected]


@pytest.mark.parametrize("cell", QD230_SUPPORT_CELLS)
def test_every_support_cell_of_qd230_resolves(registry, cell):
    expansion = registry.expand(cell, context_parent="vpcp")
    assert expansion.units
    assert expansion.unresolved == []


# Lettered unit headings and `Các Bộ: ...` bullets of shared/directives/tb35-tgv-2025.txt.
TB35_LEADS = {
    "Bộ Khoa học và Công nghệ, Bộ Công an": ["bo-khoa-hoc-cong-nghe", "bo-cong-an"],
    "Ban Cơ yếu Chính phủ": ["ban-co-yeu-chinh-phu"],
    "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương": "34 provinces",
    "Các Bộ, cơ quan ngang bộ theo phạm vi chức năng quản lý": "17 ministries",
    "Bộ Công an": ["bo-cong-an"],
    "Bộ Tư pháp": ["bo-tu-phap"],
    "Bộ Tài chính": ["bo-tai-chinh"],
    "Bộ Xây dựng": ["bo-xay-dung"],
    "Ban Tổ chức Trung ương:": ["ban-to-chuc-tw"],
    "Văn phòng Trung ương Đảng - Cơ quan Thường trực Ban Chỉ đạo": ["vptw"],
    "Văn phòng Chính phủ": ["vpcp"],
    "Tổng Công ty Cảng hàng không Việt Nam (ACV) và các hãng hàng không": [
        "acv",
        "vietnam-airlines",
        "vietjet",
    ],
    "Các Bộ: Xây dựng, Tài chính, Thanh tra Chính phủ, Tư pháp, Y tế": [
        "bo-xay-dung",
        "bo-tai-chinh",
        "ttcp",
        "bo-tu-phap",
        "bo-y-te",
    ],
    "Các Bộ: Nông nghiệp và Môi trường, Giáo dục và Đào tạo, Tư pháp, Y tế, Công Thương": [
        "bo-nong-nghiep-moi-truong",
        "bo-giao-duc-dao-tao",
        "bo-tu-phap",
        "bo-y-te",
        "bo-cong-thuong",
    ],
}


@pytest.mark.parametrize(("heading", "expected"), TB35_LEADS.items())
def test_every_lead_heading_of_tb35_resolves(registry, heading, expected):
    expansion = registry.expand(heading)
    assert expansion.unresolved == []
    if expected == "34 provinces":
        assert len(expansion.units) == 34
    elif expected == "17 ministries":
        assert len(expansion.units) == 17
    else:
        assert codes(expansion) == expected


def test_supplier_in_a_qd230_cell_is_reported_vague(registry):
    cell = "Các Vụ, Cục, đơn vị liên quan và nhà cung cấp."  # qd230, appendix row III.7
    expansion = registry.expand(cell, context_parent="vpcp")
    assert codes(expansion) == [u.code for u in registry.children("vpcp")]
    assert expansion.relevant_only
    assert expansion.unresolved == []
    assert expansion.vague == ["nhà cung cấp"]


def test_lead_sentence_with_vague_tail_resolves_the_named_units(registry):
    # tb35, last section: the named units resolve; the vague tail is reported, not guessed.
    phrase = (
        "Văn phòng Trung ương Đảng, Bộ Nội vụ, Bộ Khoa học và Công nghệ, Bộ Tài chính "
        "và các cơ quan có liên quan"
    )
    expansion = registry.expand(phrase)
    assert codes(expansion) == ["vptw", "bo-noi-vu", "bo-khoa-hoc-cong-nghe", "bo-tai-chinh"]
    assert expansion.unresolved == []
    assert expansion.vague == ["cơ quan có liên quan"]  # `và các` is the list separator


TGV_GROUPS = [f"bcdtw-khcn-tgv-nhom-{n}" for n in (2, 3, 4, 5)]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        # tb35: numbered lists share the head and the owner.
        ("Nhóm công tác số 2 và số 3 của Tổ Giúp việc Ban Chỉ đạo", TGV_GROUPS[:2]),
        ("Nhóm số 2, 3, 4, 5", TGV_GROUPS),
        ("Nhóm công tác số 4 của Tổ Giúp việc Ban Chỉ đạo Trung ương", TGV_GROUPS[2:3]),
        # tb35: collectives of the seeded groups.
        ("các Nhóm công tác hỗ trợ của Trung ương", TGV_GROUPS),
        ("Các Nhóm công tác của Tổ Giúp việc", TGV_GROUPS),
        ("các hãng bay hàng không", ["vietnam-airlines", "vietjet"]),
        ("đơn vị quản lý cụm cảng hàng không", ["acv"]),
        ("các doanh nghiệp viễn thông", ["viettel", "vnpt", "mobifone"]),
        (
            "các tập đoàn, tổng công ty nhà nước",
            ["viettel", "vnpt", "mobifone", "acv", "vietnam-airlines"],
        ),
    ],
)
def test_numbered_lists_and_group_collectives_expand(registry, phrase, expected):
    expansion = registry.expand(phrase)
    assert codes(expansion) == expected
    assert expansion.unresolved == [] and expansion.vague == []


@pytest.mark.parametrize(
    "phrase",
    ["Các tỉnh, Thành ủy", "các Tỉnh ủy, Thành ủy", "Tỉnh ủy, Thành ủy các tỉnh, thành phố"],
)
def test_provincial_party_committees_fall_back_to_the_provinces(registry, phrase):
    # No `Tỉnh ủy <tỉnh>` unit is seeded: the provincial level answers for its Party committee.
    expansion = registry.expand(phrase)
    assert codes(expansion) == [u.code for u in registry.of_kind(UnitKind.PROVINCE)]
    assert expansion.unresolved == [] and expansion.vague == []


def test_a_seeded_provincial_party_committee_is_preferred():
    records = [*seed_records()]
    records.append(UnitRecord("tinh-uy-nghe-an", "Tỉnh ủy Nghệ An", None, UnitKind.PARTY_BODY))
    registry = UnitRegistry.from_records(records)
    found = codes(registry.expand("các Tỉnh ủy, Thành ủy"))
    assert len(found) == 34
    assert "tinh-uy-nghe-an" in found and "tinh-nghe-an" not in found


def test_a_missing_group_makes_its_collective_vague():
    registry = UnitRegistry.from_records(seed_records(), groups={"airlines": ()})
    expansion = registry.expand("Bộ Công an, các hãng hàng không")
    assert codes(expansion) == ["bo-cong-an"]
    assert expansion.vague == ["các hãng hàng không"]


def test_owned_data_qualifies_a_collective(registry):
    # tb35: `chủ quản các CSDL quốc gia, chuyên ngành` says which bodies, not other units.
    expansion = registry.expand("các bộ, cơ quan chủ quản các CSDL quốc gia, chuyên ngành")
    assert codes(expansion) == codes(registry.expand("các bộ, cơ quan"))
    assert expansion.relevant_only
    assert expansion.unresolved == [] and expansion.vague == []


def test_local_authorities_at_all_levels_are_the_provinces(registry):
    # tb171: `địa phương các cấp`; communes answer through their province.
    expansion = registry.expand("các bộ, ngành, địa phương các cấp")
    assert codes(expansion) == codes(registry.expand("các bộ, ngành, địa phương"))
    assert expansion.unresolved == []


def test_a_vague_span_never_swallows_a_unit(registry):
    expansion = registry.expand("Ngân hàng Nhà nước Việt Nam, các ngân hàng thương mại")
    assert codes(expansion) == ["nhnn"]
    assert expansion.vague == ["các ngân hàng thương mại"]


def test_a_document_number_is_not_a_numbered_list(registry):
    expansion = registry.expand("Kế hoạch số 02-KH/BCĐTW và 03")
    assert [part for part, _ in expansion.unresolved] == ["Kế hoạch số 02-KH/BCĐTW", "03"]

"""Assignee-phrase expansion: collectives, lists, vague and unresolved parts (no database)."""

from __future__ import annotations

import pytest

from store.models import UnitKind
from tests.store.registry_support import codes


def test_collective_phrases_expand_to_members(registry):
    everyone = registry.expand("các bộ, ngành, địa phương")
    assert everyone.collective
    kinds = {u.kind for u in everyone.units}
    assert kinds == {UnitKind.MINISTRY, UnitKind.AGENCY, UnitKind.PROVINCE}
    # 14 ministries + 3 ministerial-level + 7 Government agencies + 34 provinces
    assert len(everyone.units) == 58
    assert codes(registry.expand("các Bộ, ngành, địa phương")) == codes(everyone)
    ministries = registry.expand("Các Bộ, cơ quan ngang bộ")
    assert len(ministries.units) == 17
    assert {"nhnn", "ttcp", "vpcp"} <= set(codes(ministries))
    for phrase in (
        "UBND các tỉnh, thành phố trực thuộc Trung ương",
        "Ủy ban nhân dân các tỉnh, thành phố",
        "các địa phương",
        "Chủ tịch UBND các tỉnh, thành phố",
    ):
        provinces = registry.expand(phrase)
        assert provinces.collective
        assert len(provinces.units) == 34
        assert {u.kind for u in provinces.units} == {UnitKind.PROVINCE}


def test_units_of_the_issuer_expand_with_context(registry):
    vpcp_units = codes(registry.expand("các đơn vị thuộc VPCP"))
    assert len(vpcp_units) == 19
    assert "vpcp-cuc-kiem-soat-tthc" in vpcp_units
    assert codes(registry.expand("Các đơn vị thuộc Văn phòng Chính phủ")) == vpcp_units
    assert codes(registry.expand("Thủ trưởng các đơn vị thuộc VPCP")) == vpcp_units
    assert codes(registry.expand("các Vụ, Cục, đơn vị", context_parent="vpcp")) == vpcp_units
    issuer = "Văn phòng Chính phủ"
    assert codes(registry.expand("Thủ trưởng các đơn vị", context_parent=issuer)) == vpcp_units
    party = registry.expand("Cấp ủy Đảng cùng cấp", context_parent="vpcp")
    assert codes(party) == ["dang-uy-vpcp"]


def test_unit_collectives_without_context_stay_unresolved(registry):
    # `các đơn vị` are the issuer's: unresolved (an issuer would fix it), with nothing to pick.
    expansion = registry.expand("Thủ trưởng các đơn vị")
    assert expansion.units == []
    assert expansion.unresolved == [("Thủ trưởng các đơn vị", [])]
    assert expansion.vague == []
    assert registry.expand("các Vụ, Cục, đơn vị").unresolved == [("các Vụ, Cục, đơn vị", [])]


@pytest.mark.parametrize(
    "phrase",
    [
        "các cơ quan liên quan",
        "các cơ quan có liên quan",
        "các đơn vị liên quan",
        "các cơ quan, đơn vị",
        "cơ quan chủ quản các CSDL quốc gia",
        "doanh nghiệp được phân công",
        "các các tập đoàn, doanh nghiệp được phân công",
        "chuyên ngành",
        "nhà cung cấp",
        "Các ngân hàng",
    ],
)
def test_vague_phrases_are_kept_apart_from_unresolved_ones(registry, phrase):
    expansion = registry.expand(phrase)
    assert expansion.units == []
    assert expansion.unresolved == []
    assert expansion.vague == [phrase]


def test_owner_relative_collectives_use_the_issuer_before_being_vague(registry):
    expansion = registry.expand("các đơn vị liên quan", context_parent="vpcp")
    assert codes(expansion) == [u.code for u in registry.children("vpcp")]
    assert expansion.relevant_only and expansion.vague == []


def test_issuer_is_left_out_of_its_own_collectives(registry):
    expansion = registry.expand("Các bộ, ngành, địa phương", context_parent="vpcp")
    assert "vpcp" not in codes(expansion)
    assert len(expansion.units) == 57


def test_relevant_only_is_flagged(registry):
    expansion = registry.expand("Bộ, ngành, địa phương liên quan")
    assert expansion.relevant_only
    assert len(expansion.units) == 58
    assert not registry.expand("các bộ, ngành, địa phương").relevant_only


def test_lists_are_split_on_separators(registry):
    assert codes(registry.expand("Các Bộ: Xây dựng, Tài chính, Công Thương")) == [
        "bo-xay-dung",
        "bo-tai-chinh",
        "bo-cong-thuong",
    ]
    assert codes(registry.expand("Bộ Khoa học và Công nghệ, Bộ Công an")) == [
        "bo-khoa-hoc-cong-nghe",
        "bo-cong-an",
    ]
    assert codes(registry.expand("Bộ Y tế; Bộ Nội vụ và Bộ Tư pháp")) == [
        "bo-y-te",
        "bo-noi-vu",
        "bo-tu-phap",
    ]
    assert codes(registry.expand("- Bộ Công an\n- Bộ Tư pháp\n+ Bộ Công an")) == [
        "bo-cong-an",
        "bo-tu-phap",
    ]
    # names that contain a separator are glued back together
    assert codes(registry.expand("Bộ Văn hóa, Thể thao và Du lịch; Vụ Khoa giáo - Văn xã")) == [
        "bo-van-hoa-the-thao-du-lich",
        "vpcp-vu-khoa-giao-van-xa",
    ]
    assert codes(registry.expand("Vụ Công tác Quốc hội, Địa phương và Đoàn thể")) == [
        "vpcp-vu-qhdp"
    ]


def test_units_and_collectives_mix_in_one_phrase(registry):
    expansion = registry.expand("Bộ Công an và các bộ, ngành liên quan")
    assert codes(expansion)[0] == "bo-cong-an"
    assert codes(expansion).count("bo-cong-an") == 1
    assert expansion.collective and expansion.relevant_only


def test_parenthetical_remarks_are_dropped(registry):
    expansion = registry.expand("Bộ Tài chính (Bảo hiểm xã hội Việt Nam)")  # tb171
    assert codes(expansion) == ["bo-tai-chinh"]
    assert expansion.unresolved == []


def test_empty_phrase_expands_to_nothing(registry):
    for phrase in ("", "  ", "\n"):
        expansion = registry.expand(phrase)
        assert expansion.units == [] and expansion.unresolved == []
        assert not expansion.collective


def test_unknown_parts_are_reported_with_candidates(registry):
    expansion = registry.expand("Cục Quản trị; Cục Hàng không Việt Nam; Sở Tài chính")
    assert codes(expansion) == ["vpcp-cuc-quan-tri-tai-vu"]
    [(part, candidates), (department, none)] = expansion.unresolved
    assert part == "Cục Hàng không Việt Nam"
    assert candidates and all(u.name.startswith("Cục ") for u, _ in candidates)
    assert (department, none) == ("Sở Tài chính", [])

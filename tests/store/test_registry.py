"""Unit matching and assignee-phrase expansion, on the seed records (no database)."""

from __future__ import annotations

import random

import pytest

from store.models import UnitKind
from store.registry import UnitRegistry, normalize
from store.units import UnitRecord, seed_records


@pytest.fixture(scope="module")
def registry() -> UnitRegistry:
    return UnitRegistry.from_records(seed_records())


def code_of(registry: UnitRegistry, name: str, **kwargs: object) -> str | None:
    unit = registry.match(name, **kwargs).unit
    return unit.code if unit else None


def codes(expansion) -> list[str]:
    return [u.code for u in expansion.units]


def test_normalize_folds_and_strips_titles():
    assert normalize("UBND tỉnh Nghệ An") == "nghe an"
    assert normalize("Ủy ban nhân dân Thành phố Hà Nội") == "ha noi"
    assert normalize("Đồng chí Bộ trưởng Bộ Công an") == "bo cong an"
    assert normalize("Bộ KH&CN") == normalize("Bộ KHCN") == "bo khcn"
    assert normalize("Tỉnh ủy Nghệ An") == "tinh uy nghe an"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Bộ Công an", "bo-cong-an"),
        ("BCA", "bo-cong-an"),
        ("Bộ KH&CN", "bo-khoa-hoc-cong-nghe"),
        ("Bộ KHCN", "bo-khoa-hoc-cong-nghe"),
        ("VPCP", "vpcp"),
        ("Cục Kiểm soát TTHC", "vpcp-cuc-kiem-soat-tthc"),
        ("Hà Nội", "tp-ha-noi"),
        ("TP. Hồ Chí Minh", "tp-ho-chi-minh"),
        ("TP.HCM", "tp-ho-chi-minh"),
        ("HCM", "tp-ho-chi-minh"),
        ("UBND tỉnh Nghệ An", "tinh-nghe-an"),
        ("Ủy ban nhân dân thành phố Hà Nội", "tp-ha-noi"),
        ("Phường Hoàn Kiếm", "xa-00070"),
    ],
)
def test_exact_names_and_aliases_match(registry, name, code):
    match = registry.match(name)
    assert match.confident
    assert match.unit.code == code
    assert match.score == 100.0


@pytest.mark.parametrize(
    "name",
    ["bo khoa hoc va cong nghe", "BỘ KHOA HỌC VÀ CÔNG NGHỆ", "bo kh&cn"],
)
def test_matching_ignores_diacritics_and_case(registry, name):
    assert code_of(registry, name) == "bo-khoa-hoc-cong-nghe"


@pytest.mark.parametrize(
    ("old", "code"),
    [
        # Nghị quyết 176/2025/QH15: the ministries merged in 2025.
        ("Bộ Thông tin và Truyền thông", "bo-khoa-hoc-cong-nghe"),
        ("Bộ TT&TT", "bo-khoa-hoc-cong-nghe"),
        ("Bộ Kế hoạch và Đầu tư", "bo-tai-chinh"),
        ("Bộ TN&MT", "bo-nong-nghiep-moi-truong"),
        ("Bộ NN&PTNT", "bo-nong-nghiep-moi-truong"),
        ("Bộ LĐ-TB&XH", "bo-noi-vu"),
        ("Ủy ban Dân tộc", "bo-dan-toc-ton-giao"),
        ("Bộ GTVT", "bo-xay-dung"),
        # Nghị quyết 202/2025/QH15: provinces merged in 2025.
        ("Tỉnh Hà Nam", "tinh-ninh-binh"),
        ("Bình Dương", "tp-ho-chi-minh"),
        ("Thừa Thiên Huế", "tp-hue"),
        # Quyết định 598/QĐ-TTg (tb171): the steering bodies merged in 2025.
        ("Ủy ban Quốc gia về chuyển đổi số", "bcdcp-khcn"),
    ],
)
def test_old_names_resolve_to_the_successor(registry, old, code):
    assert code_of(registry, old) == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Đồng chí Bộ trưởng Bộ Nội vụ", "bo-noi-vu"),
        ("Bộ trưởng Khoa học và Công nghệ", "bo-khoa-hoc-cong-nghe"),
        ("Lãnh đạo Bộ Y tế", "bo-y-te"),
        ("Tổng Thanh tra Chính phủ", "ttcp"),
        ("Thống đốc Ngân hàng Nhà nước Việt Nam", "nhnn"),
        ("Cục trưởng Cục Kiểm soát thủ tục hành chính", "vpcp-cuc-kiem-soat-tthc"),
        ("Văn phòng Chính phủ (VPCP)", "vpcp"),
    ],
)
def test_titles_and_remarks_around_a_name_are_ignored(registry, name, code):
    assert code_of(registry, name) == code


@pytest.mark.parametrize(
    ("typo", "code"),
    [
        ("Bộ Côngan", "bo-cong-an"),
        ("Bo Cong Thuongg", "bo-cong-thuong"),
        ("Bộ Tài chín", "bo-tai-chinh"),
        ("Bộ Tàinguyên và Môi trường", "bo-nong-nghiep-moi-truong"),  # as in tb56
        ("Cuc Kiem soat thu tuc hanh chin", "vpcp-cuc-kiem-soat-tthc"),
        ("Ha Noj", "tp-ha-noi"),
        ("Bộ Giáo dục", "bo-giao-duc-dao-tao"),
    ],
)
def test_typos_and_truncations_are_tolerated(registry, typo, code):
    assert code_of(registry, typo) == code


def test_near_miss_pairs_pick_the_right_unit(registry):
    assert code_of(registry, "Bộ Công an") == "bo-cong-an"
    assert code_of(registry, "Bo Cong Thuong") == "bo-cong-thuong"
    assert code_of(registry, "Bộ Tài chính") == "bo-tai-chinh"
    assert code_of(registry, "Bộ Tư pháp") == "bo-tu-phap"
    assert code_of(registry, "Hà Nội") == "tp-ha-noi"
    assert code_of(registry, "Hà Nộii") == "tp-ha-noi"
    assert code_of(registry, "Hà Nam") == "tinh-ninh-binh"  # merged, never Hà Nội


def test_a_name_shared_by_two_units_returns_candidates(registry):
    match = registry.match("Bộ Công")
    assert match.unit is None
    assert not match.confident
    top = {u.code for u, _ in match.candidates[:2]}
    assert top == {"bo-cong-an", "bo-cong-thuong"}
    bct = registry.match("BCT")  # Bộ Công Thương or Bộ Chính trị
    assert bct.unit is None
    assert {u.code for u, _ in bct.candidates} == {"bo-cong-thuong", "bo-chinh-tri"}


def test_unknown_names_get_candidates_with_the_same_head_noun(registry):
    match = registry.match("Bộ Hàng hải Sao Hỏa")
    assert match.unit is None
    assert match.candidates
    assert len(match.candidates) <= 5
    assert {u.kind for u, _ in match.candidates} <= {UnitKind.MINISTRY, UnitKind.PARTY_BODY}
    assert all(u.name.startswith("Bộ ") for u, _ in match.candidates)
    cuc = registry.match("Cục Hàng không")
    assert cuc.candidates and all(u.name.startswith("Cục ") for u, _ in cuc.candidates)
    ban = registry.match("Ban Kinh tế Xã hội")
    assert ban.candidates and all(u.kind != UnitKind.COMMUNE for u, _ in ban.candidates)
    assert registry.match("").unit is None
    assert registry.match("   ").candidates == []


@pytest.mark.parametrize(
    "name",
    ["Phòng Kế toán Công ty ABC", "Sở Tài chính", "Sở Ngoại vụ Sao Hỏa", "Thành ủy", "Tỉnh ủy"],
)
def test_a_head_noun_no_unit_has_gets_no_candidates(registry, name):
    # `Sở ...` is a provincial department: no seeded unit is one, so no `Bộ` look-alike.
    match = registry.match(name)
    assert match.unit is None
    assert match.candidates == []


@pytest.mark.parametrize(
    "phrase",
    ["các cơ quan liên quan", "nhà cung cấp", "chuyên ngành", "Các ngân hàng", "Thành ủy"],
)
def test_communes_are_not_offered_for_phrases_that_cannot_name_one(registry, phrase):
    match = registry.match(phrase)
    assert all(u.kind != UnitKind.COMMUNE for u, _ in match.candidates)


def test_communes_are_offered_for_commune_names_and_bare_proper_names(registry):
    for name in ("Xã Bình Mnh", "Bình Mnh", "binh mnh"):  # typed chat input may be lower case
        kinds = {u.kind for u, _ in registry.match(name).candidates}
        assert UnitKind.COMMUNE in kinds, name
    # In a typed document proper names are capitalised: lower-case `bình mnh` is not one.
    expansion = registry.expand("bình mnh")
    [(_part, candidates)] = expansion.unresolved
    assert all(u.kind != UnitKind.COMMUNE for u, _ in candidates)


def test_repeated_commune_names_need_their_province(registry):
    match = registry.match("Xã Bình Minh")
    assert match.unit is None
    assert len({u.parent_code for u, _ in match.candidates}) > 1
    qualified = registry.match("UBND xã Bình Minh, tỉnh Nghệ An").unit
    assert qualified.kind == UnitKind.COMMUNE
    assert qualified.parent_code == "tinh-nghe-an"


def test_context_parent_breaks_a_tie_between_namesakes():
    records = [*seed_records()]
    records.append(
        UnitRecord("bca-vu-tccb", "Vụ Tổ chức cán bộ", None, UnitKind.OFFICE_UNIT, "bo-cong-an")
    )
    registry = UnitRegistry.from_records(records)
    assert registry.match("Vụ Tổ chức cán bộ").unit is None
    assert code_of(registry, "Vụ Tổ chức cán bộ", context_parent="bo-cong-an") == "bca-vu-tccb"
    assert code_of(registry, "Vụ Tổ chức cán bộ", context_parent="VPCP") == (
        "vpcp-vu-to-chuc-can-bo"
    )
    assert code_of(registry, "Vụ Tổ chức cán bộ Bộ Công an") == "bca-vu-tccb"


def test_match_still_finds_units_among_10000():
    rng = random.Random(57)
    syllables = ["an", "binh", "cong", "dai", "dong", "giang", "hoa", "hung", "lam", "minh", "phu"]
    records = seed_records()
    provinces = [r.code for r in records if r.kind == UnitKind.PROVINCE]
    for n in range(10_000 - len(records)):
        words = " ".join(rng.choice(syllables).title() for _ in range(rng.randint(2, 4)))
        parent = rng.choice(provinces)
        records.append(
            UnitRecord(f"t-{n}", f"Trung tâm {words} {n}", None, UnitKind.OTHER, parent)
        )
    registry = UnitRegistry.from_records(records)
    assert len(registry) == 10_000
    queries = ["Bộ Côngan", "Cuc Kiem soat TTHC", "Ha Noj", "Xã Bình Minh", "Trung tâm Hoa Binh"]
    queries += ["Phòng Kế toán Công ty ABC", "Bộ Công", "Bộ Tư pháp"]
    # Its speed is measured in tests/bench/bench_parsing.py; here, that the crowd changes
    # nothing about what is found.
    assert code_of(registry, queries[0]) == "bo-cong-an"
    assert code_of(registry, queries[1]) == "vpcp-cuc-kiem-soat-tthc"
    assert code_of(registry, "Bộ Tư pháp") == "bo-tu-phap"
    assert all(registry.match(q) is not None for q in queries)


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

"""Unit matching by name, alias, old name and typo, on the seed records (no database)."""

from __future__ import annotations

import random

import pytest

from store.models import UnitKind
from store.registry import UnitRegistry, normalize
from store.units import UnitRecord, seed_records


def code_of(registry: UnitRegistry, name: str, **kwargs: object) -> str | None:
    unit = registry.match(name, **kwargs).unit
    return unit.code if unit else None


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

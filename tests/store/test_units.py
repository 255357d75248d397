"""Seed records and the unit data functions (run on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from store.models import Unit, UnitKind
from store.registry import UnitRegistry
from store.units import (
    descendant_ids,
    find_by_code,
    get_unit,
    list_children,
    seed_records,
    seed_units,
    unit_groups,
)

# Central units named as chủ trì / phối hợp in shared/directives/*.txt, with the code each must
# resolve to (the file noted after each group).
DIRECTIVE_UNITS = {
    # qd230-vpcp-2025.txt (appendix cells and section III)
    "Văn phòng Chính phủ": "vpcp",
    "Cục Kiểm soát TTHC": "vpcp-cuc-kiem-soat-tthc",
    "Cục Kiểm soát thủ tục hành chính": "vpcp-cuc-kiem-soat-tthc",
    "Vụ Tổ chức cán bộ": "vpcp-vu-to-chuc-can-bo",
    "Cổng Thông tin điện tử Chính phủ": "vpcp-cong-ttdt",
    "Cục Quản trị": "vpcp-cuc-quan-tri-tai-vu",
    "Vụ Tổng hợp": "vpcp-vu-tong-hop",
    "Vụ Khoa giáo - Văn xã": "vpcp-vu-khoa-giao-van-xa",
    "Vụ Kế hoạch - Tài chính": "vpcp-cuc-quan-tri-tai-vu",
    "Bộ Công an": "bo-cong-an",
    "Ban Cơ yếu Chính phủ": "ban-co-yeu-chinh-phu",
    # tb35-tgv-2025.txt
    "Bộ Khoa học và Công nghệ": "bo-khoa-hoc-cong-nghe",
    "Bộ Tư pháp": "bo-tu-phap",
    "Bộ Tài chính": "bo-tai-chinh",
    "Bộ Nội vụ": "bo-noi-vu",
    "Bộ Xây dựng": "bo-xay-dung",
    "Bộ Y tế": "bo-y-te",
    "Bộ Giáo dục và Đào tạo": "bo-giao-duc-dao-tao",
    "Bộ Nông nghiệp và Môi trường": "bo-nong-nghiep-moi-truong",
    "Bộ Công Thương": "bo-cong-thuong",
    "Thanh tra Chính phủ": "ttcp",
    "Ban Tổ chức Trung ương": "ban-to-chuc-tw",
    "Văn phòng Trung ương Đảng": "vptw",
    "Ủy ban Kiểm tra Trung ương": "ubkt-tw",
    "Đảng ủy các cơ quan Đảng Trung ương": "dang-uy-co-quan-dang-tw",
    "Đảng ủy Mặt trận Tổ quốc": "dang-uy-mttq-doan-the-tw",
    "Văn phòng Quốc hội": "van-phong-quoc-hoi",
    "Văn phòng Chủ tịch nước": "van-phong-chu-tich-nuoc",
    "Tòa án nhân dân tối cao": "tand-toi-cao",
    "Viện Kiểm sát nhân dân tối cao": "vksnd-toi-cao",
    "Hội đồng Tư vấn quốc gia": "hoi-dong-tu-van-quoc-gia",
    "Đại học Quốc gia Hà Nội": "dhqg-ha-noi",
    "Tổ Giúp việc Ban Chỉ đạo": "bcdtw-khcn-to-giup-viec",
    "Thường trực Tổ Giúp việc": "bcdtw-khcn-tgv-thuong-truc",
    "Nhóm công tác số 2": "bcdtw-khcn-tgv-nhom-2",
    (
        "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo "
        "và chuyển đổi số"
    ): "bcdtw-khcn",
    "Viettel": "viettel",
    "VNPT": "vnpt",
    "CMC": "cmc",
    "FPT": "fpt",
    "Tổng công ty MobiFone": "mobifone",
    "Tổng công ty Cảng hàng không Việt Nam": "acv",
    "Hãng hàng không Quốc gia Việt Nam": "vietnam-airlines",
    "Hãng hàng không Vietjet Air": "vietjet",
    # tb56-vpcp-2025.txt, tb171-vpcp-2025.txt, tb-bcdcp-phien4-2025.txt
    "Bộ Thông tin và Truyền thông": "bo-khoa-hoc-cong-nghe",
    "Bộ Tài nguyên và Môi trường": "bo-nong-nghiep-moi-truong",
    "Bảo hiểm xã hội Việt Nam": "bhxh-viet-nam",
    "UBND Thành phố Hồ Chí Minh": "tp-ho-chi-minh",
    "Ủy ban Quốc gia về chuyển đổi số": "bcdcp-khcn",
    "Ban Chỉ đạo của Chính phủ": "bcdcp-khcn",
    "Bộ Ngoại giao": "bo-ngoai-giao",
    "Ngân hàng Nhà nước Việt Nam": "nhnn",
}


def test_seed_records_hold_34_provinces_and_their_communes():
    records = seed_records()
    kinds = Counter(r.kind for r in records)
    provinces = {r.code for r in records if r.kind == UnitKind.PROVINCE}
    communes = [r for r in records if r.kind == UnitKind.COMMUNE]
    assert kinds[UnitKind.PROVINCE] == 34
    assert len(communes) > 3000
    assert all(c.parent_code in provinces for c in communes)
    assert {"tp-ha-noi", "tp-ho-chi-minh", "tinh-nghe-an", "tp-hue"} <= provinces


def test_seed_records_have_unique_codes_and_known_parents():
    records = seed_records()
    codes = [r.code for r in records]
    assert len(codes) == len(set(codes))
    assert all(r.parent_code is None or r.parent_code in set(codes) for r in records)
    assert all(c.isascii() and c == c.lower() and " " not in c for c in codes)
    ministries = [r for r in records if r.kind == UnitKind.MINISTRY]
    assert len(ministries) == 14


def test_seed_records_name_provinces_with_their_designator():
    by_code = {r.code: r for r in seed_records()}
    assert by_code["tp-ha-noi"].name == "Thành phố Hà Nội"
    assert by_code["tinh-nghe-an"].name == "Tỉnh Nghệ An"
    assert "UBND tỉnh Nghệ An" in by_code["tinh-nghe-an"].aliases
    assert "TP.HCM" in by_code["tp-ho-chi-minh"].aliases


def test_every_central_unit_of_the_example_directives_is_seeded():
    registry = UnitRegistry.from_records(seed_records())
    wrong = {
        name: (m.unit.code if m.unit else None)
        for name, code in DIRECTIVE_UNITS.items()
        if ((m := registry.match(name)).unit is None or m.unit.code != code)
    }
    assert wrong == {}


def test_every_group_names_seeded_units_of_the_right_kind():
    by_code = {r.code: r for r in seed_records()}
    groups = unit_groups()
    for name, members in groups.items():
        assert members, name
        assert len(set(members)) == len(members), name
        assert set(members) <= set(by_code), name
    for name in ("airlines", "airport_operators", "state_enterprises", "telecom_enterprises"):
        assert {by_code[c].kind for c in groups[name]} == {UnitKind.ENTERPRISE}, name
    assert {by_code[c].parent_code for c in groups["tgv_working_groups"]} == {
        "bcdtw-khcn-to-giup-viec"
    }
    assert set(groups["telecom_enterprises"]) <= set(groups["state_enterprises"])


async def _count(session, kind: UnitKind | None = None) -> int:
    stmt = select(func.count()).select_from(Unit)
    if kind is not None:
        stmt = stmt.where(Unit.kind == kind)
    return await session.scalar(stmt)


async def test_seed_units_inserts_every_record_with_parents(session):
    inserted = await seed_units(session)
    assert inserted == len(seed_records())
    assert await _count(session, UnitKind.PROVINCE) == 34
    assert await _count(session, UnitKind.COMMUNE) > 3000
    vpcp = await find_by_code(session, "vpcp")
    cuc = await find_by_code(session, "vpcp-cuc-kiem-soat-tthc")
    assert cuc.parent_id == vpcp.id
    assert cuc.aliases == ["Cục Kiểm soát TTHC", "Cục KSTTHC", "Cục KSTT"]
    commune = await find_by_code(session, "xa-00070")
    assert commune.name == "Phường Hoàn Kiếm"
    assert commune.parent_id == (await find_by_code(session, "tp-ha-noi")).id


async def test_seed_units_twice_changes_nothing(sessionmaker):
    async with sessionmaker() as s, s.begin():
        await seed_units(s)
    async with sessionmaker() as s, s.begin():
        assert await seed_units(s) == 0
        assert await _count(s) == len(seed_records())


async def test_reseeding_restores_seed_fields_but_keeps_admin_choices(sessionmaker):
    async with sessionmaker() as s, s.begin():
        await seed_units(s)
        bca = await find_by_code(s, "bo-cong-an")
        bca.name = "Bộ Công an (sửa tay)"
        bca.aliases = [*bca.aliases, "C06"]
        bca.active = False
    async with sessionmaker() as s, s.begin():
        assert await seed_units(s) == 1
    async with sessionmaker() as s:
        bca = await find_by_code(s, "bo-cong-an")
        assert bca.name == "Bộ Công an"
        assert bca.aliases[-1] == "C06"
        assert bca.active is False


async def test_data_functions_find_units_and_children(session):
    await seed_units(session)
    vpcp = await find_by_code(session, "vpcp")
    assert (await get_unit(session, vpcp.id)).code == "vpcp"
    assert await get_unit(session, 10**9) is None
    assert await find_by_code(session, "no-such-unit") is None
    children = await list_children(session, vpcp.id)
    assert len(children) == 19
    assert children[0].code == "vpcp-vu-tong-hop"
    assert all(c.kind == UnitKind.OFFICE_UNIT for c in children)


async def test_descendant_ids_walk_the_whole_subtree(session):
    await seed_units(session)
    bcd = await find_by_code(session, "bcdtw-khcn")
    to_gv = await find_by_code(session, "bcdtw-khcn-to-giup-viec")
    nhom = await find_by_code(session, "bcdtw-khcn-tgv-nhom-3")
    below = await descendant_ids(session, bcd.id)
    assert {to_gv.id, nhom.id} <= below
    assert bcd.id not in below
    assert bcd.id in await descendant_ids(session, bcd.id, include_self=True)
    hanoi = await find_by_code(session, "tp-ha-noi")
    assert len(await descendant_ids(session, hanoi.id)) > 100
    assert await descendant_ids(session, nhom.id) == set()


async def test_registry_loaded_from_the_database_carries_ids(session):
    await seed_units(session)
    (await find_by_code(session, "vpcp-vu-doi-moi-doanh-nghiep")).active = False
    await session.flush()
    registry = await UnitRegistry.load(session)
    bca = await find_by_code(session, "bo-cong-an")
    match = registry.match("BCA")
    assert match.unit.id == bca.id
    assert match.unit.parent_code is None
    assert registry.match("Cục KSTTHC").unit.parent_code == "vpcp"
    assert registry.match("Vụ Đổi mới doanh nghiệp").unit is None
    assert len(registry.expand("các đơn vị thuộc VPCP").units) == 18


def test_things_named_like_collectives_are_no_units():
    from store.importing.units import is_unit_start

    for things in ("Các thành phần chính", "các quy định của pháp luật", "các trường hợp"):
        assert not is_unit_start(things), things
    for bodies in ("các Quỹ", "các thành phố", "Các thành viên Ban Chỉ đạo", "các trường học"):
        assert is_unit_start(bodies), bodies


def test_a_collective_phrase_is_matched_as_whole_words():
    from store.importing.units import is_unit_start

    assert is_unit_start("các thôn, tổ dân phố")
    assert not is_unit_start("Các thông tin liên quan để triển khai cung cấp dịch vụ:")

"""Task tables: name their columns, then turn their rows into tasks.

Shared by the appendix tables of documents (`store.importing.appendix`) and spreadsheets
(`store.importing.tabular`). A table's ``TT`` column drives the structure, as in the appendix of
230/QĐ-VPCP:

* a roman numeral (``I``, ``II``) with no lead unit heads a group;
* numbers restart at 1 in each group; when the capture lost the roman rows (it did in the
  230/QĐ-VPCP text), each restart opens the next group, counted I, II, III ...;
* letters (``a``, ``b``, ``đ``) are sub-rows of the number above them; a numbered row followed
  by lettered rows only groups them (row II.5 of 230/QĐ-VPCP has no unit and no deadline) and is
  not a task itself; its lettered rows inherit any unit, deadline or product it names;
* a row with only a title (no ``TT``, unit or deadline) is a group heading; a row with a title
  but no lead unit is skipped with a warning (nobody could report on it).
"""

from __future__ import annotations

import re

from store.importing.parsed import ParsedTask
from store.importing.phrases import make_title
from store.importing.units import split_units
from store.text import fold

FIELDS = ("ref", "title", "lead", "cooperating", "deadline", "product")
REQUIRED = ("title", "lead")

_ROMAN = re.compile(r"^[IVXLC]+$")
_NUMBER = re.compile(r"^\d{1,4}$")
_LETTER = re.compile(r"^[a-zđ]$")
_DOTTED = re.compile(r"^\d{1,3}(?:\.\d{1,3})+$")
_ROMAN_VALUES = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def column_of(header: str) -> str | None:
    """Which task field a column header names (Vietnamese or English, any diacritics)."""
    key = re.sub(r"[^a-z0-9 ]+", " ", fold(header)).strip()
    key = re.sub(r"\s+", " ", key)
    if not key or len(key) > 60:
        return None  # a title or a sentence, not a column header
    if key.startswith(("thuoc nhom", "nhom nhiem vu", "nhom giai phap")):
        return None  # "Thuộc nhóm nhiệm vụ, hành động": the group a row belongs to
    if key in {"tt", "stt", "so tt", "so thu tu", "ref", "no", "ma", "ma nhiem vu", "muc"}:
        return "ref"
    if key.startswith(("thoi gian", "thoi han", "han ", "tien do", "lo trinh", "thoi diem")) or (
        key in {"han", "deadline", "due", "deadline text"}
        or re.search(r"\bthoi (?:gian|han)\b", key)
    ):
        return "deadline"
    if key.startswith(("san pham", "ket qua", "hinh thuc")) or key in {"product", "output"}:
        return "product"
    if "phoi hop" in key or "cho y kien" in key or key in {"cooperating", "support", "co lead"}:
        return "cooperating"
    if "chu tri" in key or key in {"lead", "lead unit", "lead units"}:
        return "lead"
    if re.search(r"\b(?:don vi|co quan|bo nganh)\b.*\b(?:thuc hien|trach nhiem|giao)\b", key):
        return "lead"  # "Đơn vị thực hiện", "Cơ quan chịu trách nhiệm"
    if key in {"phan cong", "don vi", "co quan thuc hien", "thuc hien"} or (
        "phu trach" in key or key.startswith("trach nhiem")
    ):  # "Trách nhiệm thực hiện"
        return "lead"  # "Bộ phụ trách tiếp nhận, xử lý"
    if re.search(
        r"\b(?:nhiem vu|noi dung|cong viec|hoat dong|giai phap|de an|de xuat)\b", key
    ) or (key in {"title", "task", "ten"} or key.startswith("ten ")):
        return "title"
    return None


def header_columns(cells: list[str]) -> dict[str, int]:
    """Map field → column index for a header row (first match wins)."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = column_of(cell) if cell.strip() else None
        if name and name not in columns:
            columns[name] = index
    return columns


def to_roman(number: int) -> str:
    """1 → I, 4 → IV, 12 → XII."""
    out = []
    for value, letters in _ROMAN_VALUES:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def _tt(value: str) -> str:
    return value.strip().rstrip(".)").strip()


def rows_to_tasks(
    rows: list[dict[str, str]], group_titles: list[str] | None = None
) -> tuple[list[ParsedTask], list[str]]:
    """Turn table rows (field → cell text) into tasks, following the module's rules.

    Args:
        rows: Rows in table order; missing fields count as empty.
        group_titles: Titles for groups counted from restarting numbers (the document body's
            numbered headings), used only when their count matches.

    Returns:
        The tasks and warnings about rows that were skipped.
    """
    tasks: list[ParsedTask] = []
    warnings: list[str] = []
    explicit = any(_ROMAN.match(_tt(r.get("ref", ""))) for r in rows)
    counted = _count_groups(rows) if not explicit else 0
    titles = group_titles if group_titles and len(group_titles) == counted else None
    group, group_title, group_no = "", "", 0
    last_number: int | None = None
    parent: dict[str, str] | None = None
    for index, row in enumerate(rows):
        source = row.get("source") or " | ".join(row.get(f) or "" for f in FIELDS)
        row = {field: (row.get(field) or "").strip() for field in FIELDS}
        tt = _tt(row["ref"])
        nxt = _tt(rows[index + 1].get("ref", "")) if index + 1 < len(rows) else ""
        if not any(row[f] for f in FIELDS if f != "title") and row["title"]:
            group_title, parent = row["title"], None  # a title-only row heads a group
            continue
        if _ROMAN.match(tt) and not row["lead"]:
            group, group_title, last_number, parent = tt, row["title"], None, None
            continue
        if _NUMBER.match(tt):
            number = int(tt)
            if not explicit and (last_number is None or number <= last_number):
                group_no += 1
                # One run of numbers is no grouping at all: refs stay "1", "2" ...
                group = to_roman(group_no) if counted > 1 else ""
                group_title = titles[group_no - 1] if titles else group_title
            last_number = number
            if _LETTER.match(nxt):
                parent = row  # groups the lettered rows below it
                continue
            parent = None
            ref = f"{group}.{tt}" if group else tt
        elif _LETTER.match(tt):
            if parent is not None:
                row = _inherit(row, parent)
            prefix = ".".join(p for p in (group, parent and _tt(parent["ref"])) if p)
            ref = f"{prefix}.{tt}" if prefix else tt
        elif _DOTTED.match(tt) or _ROMAN.match(tt):
            ref = f"{group}.{tt}" if group else tt
        else:
            ref = tt or f"row{index + 1}"
        if not row["lead"]:
            warnings.append(f"table row {ref!r} has no lead unit; skipped")
            continue
        tasks.append(
            ParsedTask(
                ref=ref,
                title=make_title(row["title"]),
                body=row["title"],
                lead=split_units(row["lead"], titles=False),
                cooperating=split_units(row["cooperating"], titles=False),
                deadline_text=row["deadline"].rstrip(" .;"),
                product=row["product"].rstrip(" ;"),
                group=parent["title"] if parent and _LETTER.match(tt) else group_title,
                source=[source],
            )
        )
    return tasks, warnings


def _inherit(row: dict[str, str], parent: dict[str, str]) -> dict[str, str]:
    merged = dict(row)
    for field in ("lead", "cooperating", "deadline", "product"):
        merged[field] = row[field] or parent[field]
    return merged


def _count_groups(rows: list[dict[str, str]]) -> int:
    count, last = 0, None
    for row in rows:
        tt = _tt(row.get("ref", ""))
        if _NUMBER.match(tt):
            if last is None or int(tt) <= last:
                count += 1
            last = int(tt)
    return count

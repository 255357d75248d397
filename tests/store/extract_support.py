"""Helpers shared by the extraction test modules (synthetic inputs)."""

from __future__ import annotations

from store.importing.cleanup import clean_lines, paragraphs
from store.importing.extract import extract
from store.importing.items import parse_outline


def notice_tasks(text: str) -> dict[str, tuple[str, list[str], str]]:
    """Tasks of a công văn by ref: title, lead units and deadline text."""
    directive = extract(text.encode(), "cong-van.txt")
    return {task.ref: (task.title, task.lead, task.deadline_text) for task in directive.tasks}


def telegram_tasks(text: str) -> dict[str, tuple[str, list[str], str]]:
    """Tasks of a công điện by ref: title, lead units and deadline text."""
    directive = extract(text.encode(), "cong-dien.txt")
    return {task.ref: (task.title, task.lead, task.deadline_text) for task in directive.tasks}


def outline_tasks(text: str) -> list:
    """Outline tasks of a text after line cleaning and paragraph joining."""
    tasks, _, _ = parse_outline(paragraphs(clean_lines(text.splitlines())))
    return tasks


TELEGRAM_HEADER = """THỦ TƯỚNG CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 999/CĐ-TTg
Hà Nội, ngày 20 tháng 11 năm 2025
CÔNG ĐIỆN
"""

"""Conclusions written as numbered sections, lettered unit headings and bullets (35-TB/TGV).

The shape, from ``tb35-tgv-2025.txt``::

    2. Về cung cấp thủ tục hành chính, dịch vụ công trực tuyến      <- section
    a) Các Bộ, cơ quan ngang bộ theo phạm vi chức năng quản lý      <- unit heading
    - Hoàn thành việc rà soát ... Hoàn thành trước ngày 20/7/2025.  <- task 2.a.1, led by it
    c) Bộ Tư pháp bảo đảm việc cập nhật ...                         <- lettered task 2.c
    b) Đối với CSDL Tổ chức đảng, đảng viên; ...                     <- topic heading
    - Ban Tổ chức Trung ương:                                        <- unit label
    + Hoàn thiện dự thảo Quy định ... Hoàn thành trước ngày 10/7/2025.  <- task 3.b.1.1

Rules:

* a ``-`` bullet is a task; its lead is the unit it names as subject (``- Bộ Công an chủ trì``),
  else its unit heading's; under a topic heading a bullet that names no unit is skipped with a
  warning;
* ``+`` items are separate tasks when their ``-`` parent is only a unit label (``- Ban Tổ chức
  Trung ương:``); under a ``-`` bullet that is itself a task they are its sub-items and are
  appended to its body (its deadline, if it names none, is taken from them);
* a lettered item without bullets is one task whose lead is its subject; one naming no unit
  (``a) Duy trì chế độ giao ban ...``) or giving no task (``được quyền yêu cầu``) is skipped;
* sections: ``N.`` headings where the capture kept them; where it dropped them, letters
  restarting at ``a)`` open the next section, and a task paragraph after the last lettered item
  of a section (no marker, e.g. ``Văn phòng Trung ương Đảng, Bộ Nội vụ ... khẩn trương hoàn
  thành ...``) is a section of its own. Roman-numeral parts (``II.``), when present, prefix the
  refs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from store.importing.parsed import ParsedTask
from store.importing.phrases import find_deadline, make_title
from store.importing.units import cooperating_units, find_subject, is_unit_start, split_units

_PART = re.compile(r"^([IVXLC]+)\.\s+(\S.*)$")
_SECTION = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_LETTER = re.compile(r"^([a-zđ])\)\s*(.*)$")
_DASH = re.compile(r"^[-–•]\s*(.*)$")
_PLUS = re.compile(r"^\+\s*(.*)$")
_TOPIC = ("Về ", "Đối với ", "Trong ", "Tiếp tục ")


@dataclass
class _Block:
    kind: str  # part, section, letter, dash, plus, text
    label: str
    text: str


@dataclass
class _State:
    part: str = ""
    section: int = 0
    section_title: str = ""
    letter: str = ""
    letters_seen: bool = False
    heading: str = ""  # the current lettered heading's text
    heading_lead: list[str] = field(default_factory=list)
    dash: int = 0
    loose: int = 0  # bullets and paragraphs directly under a section
    label_lead: list[str] | None = None  # set while "+" items hang under a "-" unit label
    plus: int = 0
    dash_ref: str = ""  # ref of the "-" unit label the "+" items number under
    label: str = ""  # that label's text
    last: ParsedTask | None = None  # the "-" task "+" sub-items append to


def _blocks(paragraphs: list[str]) -> list[_Block]:
    out = []
    for text in paragraphs:
        for kind, pattern in (
            ("part", _PART),
            ("section", _SECTION),
            ("letter", _LETTER),
            ("plus", _PLUS),
            ("dash", _DASH),
        ):
            match = pattern.match(text)
            if match:
                label = match.group(1) if kind in {"part", "section", "letter"} else ""
                out.append(_Block(kind, label, match.groups()[-1].strip()))
                break
        else:
            out.append(_Block("text", "", text))
    return out


def _unit_heading(text: str) -> list[str]:
    """The lead of a heading: its subject, or the heading itself when it is a unit name."""
    found = find_subject(text, delegation=False)
    if found:
        return found[0]
    name = text.rstrip(" :")
    if is_unit_start(name) and not name.startswith(_TOPIC) and len(name) <= 200:
        return split_units(name)
    return []


def _is_label(text: str) -> bool:
    """``- Ban Tổ chức Trung ương:`` -- a unit named over ``+`` items, not a task."""
    if not is_unit_start(text) or len(text) > 150:
        return False  # "- Chủ trì triển khai các nội dung sau:" introduces its own sub-items
    return text.endswith(":") or find_subject(text, delegation=False) is None


class _Parser:
    def __init__(self, blocks: list[_Block]) -> None:
        self.blocks = blocks
        self.state = _State()
        self.tasks: list[ParsedTask] = []
        self.structural = 0
        self.warnings: list[str] = []

    def ref(self, *parts: object) -> str:
        head = [self.state.part] if self.state.part else []
        return ".".join([*head, *(str(p) for p in parts)])

    def group(self) -> str:
        st = self.state
        label = st.label if st.label_lead is not None else ""
        return " / ".join(p for p in (st.section_title, st.heading, label) if p)

    def emit(self, ref: str, text: str, lead: list[str], *, structural: bool) -> ParsedTask:
        task = ParsedTask(
            ref=ref,
            title=make_title(text),
            body=text,
            lead=lead,
            cooperating=cooperating_units(text),
            deadline_text=find_deadline(text),
            group=self.group(),
        )
        self.tasks.append(task)
        self.structural += structural
        return task

    def next_kind(self, index: int) -> str:
        return self.blocks[index + 1].kind if index + 1 < len(self.blocks) else ""

    def next_letter(self, index: int) -> str | None:
        return next((b.label for b in self.blocks[index + 1 :] if b.kind == "letter"), None)

    def run(self) -> None:
        started = False
        for index, block in enumerate(self.blocks):
            started = started or block.kind in {"section", "letter", "dash"}
            if started:
                getattr(self, f"on_{block.kind}")(index, block)

    def on_part(self, index: int, block: _Block) -> None:
        self.state = _State(part=block.label)

    def on_section(self, index: int, block: _Block) -> None:
        st = self.state
        st.section, st.section_title = int(block.label), block.text.rstrip(" :")
        st.letter, st.letters_seen, st.heading, st.heading_lead = "", False, "", []
        st.dash = st.loose = 0
        st.label_lead, st.last = None, None
        if block.text.endswith(".") and self.next_kind(index) not in {"letter", "dash"}:
            st.section_title = ""  # a numbered paragraph, not a heading
            found = find_subject(block.text, delegation=False)
            if found:
                self.emit(self.ref(st.section), block.text, found[0], structural=True)

    def on_letter(self, index: int, block: _Block) -> None:
        st = self.state
        if st.section == 0 or (block.label == "a" and st.letters_seen):
            st.section += 1  # the capture dropped this section's heading
            st.section_title = ""
        st.letter, st.letters_seen, st.dash = block.label, True, 0
        st.label_lead, st.last = None, None
        if self.next_kind(index) in {"dash", "plus"}:
            st.heading, st.heading_lead = block.text.rstrip(" :"), _unit_heading(block.text)
            return
        st.heading, st.heading_lead = "", []
        found = find_subject(block.text, delegation=False)
        if found:
            self.emit(self.ref(st.section, st.letter), block.text, found[0], structural=True)
        else:
            self.warnings.append(f"item {self.ref(st.section, st.letter)} names no unit; skipped")

    def on_dash(self, index: int, block: _Block) -> None:
        st = self.state
        if st.letter:
            st.dash += 1
            ref = self.ref(st.section, st.letter, st.dash)
        else:
            st.section, st.loose = max(st.section, 1), st.loose + 1
            ref = self.ref(st.section, st.loose)
        st.plus, st.last, st.label_lead = 0, None, None
        if self.next_kind(index) == "plus" and _is_label(block.text):
            st.label_lead = _unit_heading(block.text) or st.heading_lead
            st.label, st.dash_ref = block.text.rstrip(" :"), ref
            return
        found = find_subject(block.text, delegation=False)
        lead = found[0] if found else st.heading_lead
        if not lead:
            self.warnings.append(f"bullet {ref} names no unit; skipped")
            return
        st.last = self.emit(ref, block.text, lead, structural=True)

    def on_plus(self, index: int, block: _Block) -> None:
        st = self.state
        if st.label_lead is not None:
            st.plus += 1
            ref = f"{st.dash_ref}.{st.plus}"
            found = find_subject(block.text, delegation=False)
            lead = found[0] if found else st.label_lead
            if lead:
                self.emit(ref, block.text, lead, structural=True)
            else:
                self.warnings.append(f"item {ref} names no unit; skipped")
        elif st.last is not None:
            st.last.body = f"{st.last.body}\n+ {block.text}"
            st.last.deadline_text = st.last.deadline_text or find_deadline(block.text)
            for name in cooperating_units(block.text):
                if name not in st.last.cooperating:
                    st.last.cooperating.append(name)
        else:
            self.on_dash(index, block)

    def on_text(self, index: int, block: _Block) -> None:
        st = self.state
        found = find_subject(block.text, delegation=False)
        if not found:
            return
        if self.next_letter(index) in {None, "a"}:
            st.section += 1  # a section whose heading the capture dropped
            st.section_title, st.letter, st.letters_seen = "", "", False
            st.heading, st.heading_lead, st.loose = "", [], 0
            ref = self.ref(st.section)
        else:
            st.loose += 1
            ref = self.ref(st.section, st.loose)
        st.label_lead, st.last = None, None
        self.emit(ref, block.text, found[0], structural=False)


def parse_headings(paragraphs: list[str]) -> tuple[list[ParsedTask], list[str], int]:
    """Tasks of a sectioned, lettered, bulleted conclusion.

    Args:
        paragraphs: Cleaned prose paragraphs (`store.importing.cleanup.paragraphs`).

    Returns:
        The tasks, warnings about items skipped, and how many tasks came from lettered items
        and bullets (the caller's evidence that the document has this shape at all).
    """
    parser = _Parser(_blocks(paragraphs))
    parser.run()
    return parser.tasks, parser.warnings, parser.structural

"""Tasks from a directive's outline (`store.importing.outline`): who does what, by when.

Every item of the outline is read with the assignment-clause reader
(`store.importing.clauses`): ``giao X chủ trì, phối hợp với Y``, ``X chủ trì ...``, ``đề nghị
X ...``, ``yêu cầu X ...``, ``X có trách nhiệm: ...``, ``X: <action>``. Then:

* a **heading** names units and nothing else (``1. Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang
  bộ``, ``b) Ban Cơ yếu Chính phủ``, ``- Sở Tài chính:``): its units lead every item under it
  that names no lead of its own (flag ``lead_from_heading``); with a paragraph of its own under
  it and no sub-items, that paragraph is its task;
* an **introducing** item ends with ``:`` (``Các Bộ: Tài chính, Y tế ... khẩn trương ..., cụ
  thể:``, ``Đề nghị UBND các tỉnh:``): it is no task itself; its subject leads, and its deadline
  dates, the items under it that have none (flags ``lead_from_heading``,
  ``deadline_inherited``); so does the sentence before the first item (the preamble's last);
* a topic line (``Quyết liệt trong chỉ đạo: Các bộ, ngành khẩn trương ...``, or a topic
  heading over one paragraph) takes the subject of the sentence after the colon;
* a **record** (``a) Nhiệm vụ: ...``, ``- Đơn vị chủ trì: ...``, ``- Thời gian thực hiện: ...``,
  fields grouped under ``b) Cơ quan thực hiện:``) is a task whose fields give its lead,
  cooperating units and deadline; items before a field block without fields of their own
  share it;
* any other item with a lead is a task. Its sub-items are tasks too when they are sentences
  (``- Trên cơ sở ... tập trung thanh tra ...``); ``+`` lines and short lines (a list of
  products) detail it and go into its body;
* sections that state purposes, requirements, targets or assessments (``Mục đích, yêu cầu``,
  ``Quan điểm``, ``Mục tiêu``, ``Tồn tại, hạn chế``), the closing articles of a decision
  (``Điều 3. ... chịu trách nhiệm thi hành``), work given to a person (``Giao Phó Thủ tướng
  ...``), the closing clause on difficulties, background reporting past events and closing
  appeals give no tasks (`store.importing.not_tasks`);
* an unmarked paragraph that closes one list and hands work over (``Tổng cục Thuế yêu cầu
  Cục Thuế các tỉnh thực hiện các giải pháp sau:``) introduces the next list, of another
  marker kind.

Refs are the item's position (`store.importing.parsed.ParsedTask`); articles (``Điều``) are
left out of them, so the plan a decision approves is numbered as the plan numbers itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from store.deadlines import normalise_deadline
from store.importing.clauses import cooperating_units, find_subject, unit_heading
from store.importing.not_tasks import (
    ANSWERS_FOR,
    CLOSING,
    MEETING,
    NOT_A_TASK,
    REPORTING_OPENER,
    answers_for,
    is_appeal,
    not_task_section,
    reported,
)
from store.importing.outline import PERIOD_ONLY, Item, build_outline
from store.importing.parsed import ParsedTask
from store.importing.phrases import count_deadlines, find_deadline, make_title, sentences
from store.importing.records import ACTS, FIELD_TAIL, field_of, fields_of, shared_fields
from store.importing.subjects import handed_over, intro_deadline, own_subject, topic_subject
from store.importing.units import is_unit_start, split_units

_BULLETS = ("dash", "plus")
_MARKS = {"dash": "- ", "plus": "+ "}


@dataclass
class _Context:
    lead: list[str] = field(default_factory=list)
    deadline: str = ""
    skip: bool = False


_ADDRESS = re.compile(r"(?:^|\s)(?:[Đđ]ề nghị|[Yy]êu cầu|[Gg]iao)\s+")


def addressed(sentence: str, *, subject: bool = False) -> list[str]:
    """Units a sentence that introduces a list hands it to (``Đề nghị UBND các tỉnh: ...``).

    A heading, an address (``đề nghị``/``yêu cầu``/``giao`` X), or with `subject` (a paragraph
    under a section heading) the subject of the sentence that ends with the colon (``Văn phòng
    Trung ương Đảng ... cụ thể hoá để tổ chức thực hiện một số nhiệm vụ sau:``). The subject of
    an opening clause (``Trên cơ sở ý kiến của các cơ quan, ...``) is not the performer.
    """
    found = unit_heading(sentence)
    if found:
        return found
    for match in _ADDRESS.finditer(sentence):
        rest = sentence[match.end() :]
        units = unit_heading(rest) or (find_subject(rest, delegation=False) or ([], ""))[0]
        if units:
            return units
    last = sentences(sentence)[-1] if sentence.strip() and subject else ""
    if not last.rstrip().endswith(":"):
        return []
    own = find_subject(last, delegation=False)
    for match in re.finditer(r"[,;]\s+(?=[A-ZĐÀ-Ỹ]|các\s)", last[:600]):
        if own or REPORTING_OPENER.match(last) or MEETING.search(last):
            break
        # "Quán triệt ...; căn cứ ..., Văn phòng X và các văn phòng Y cụ thể hoá ... sau:"
        rest = last[match.end() :]
        own = find_subject(rest, delegation=False) if is_unit_start(rest) else None
    return own[0] if own else []


def _lead_lines(item: Item, from_heading: bool) -> list[str]:
    """The nearest heading above `item` that has text (where an inherited lead was read)."""
    if not from_heading:
        return []
    return next(([a.text] for a in item.ancestors() if a.text), [])


#: ``... có ý kiến chỉ đạo như sau:``, ``... trong đó:``: a sentence that introduces what
#: follows, even when what follows was not read as its sub-items.
_INTRODUCES = re.compile(r"(?:như sau|sau đây|cụ thể|trong đó|gồm|bao gồm)\s*:\s*$", re.IGNORECASE)
_PRODUCTS = re.compile(
    r"^(?:Nghị quyết|Nghị định|Quyết định|Kế hoạch|Chương trình|Đề án|Báo cáo|Thông tư|Chỉ thị"
    r"|Quy chế|Quy định|Luật|Dự án|Tờ trình|Hướng dẫn về|Cẩm nang|Sổ tay|Tài liệu)\b"
)


def _is_product(child: Item) -> bool:
    """``- Nghị quyết về cơ cấu lại ngành nông nghiệp giai đoạn 2026 - 2030``: a document to
    draw up, named under the task that produces it."""
    return not child.children and bool(_PRODUCTS.match(child.text)) and len(child.text) < 600


def _details(child: Item) -> bool:
    """A sub-item that details the task above it rather than being a task of its own: a ``+``
    line, or a short line that is no sentence (a list of products, of recipients)."""
    if child.children or find_subject(child.text):
        return False
    sentence = len(child.text) >= 40 and child.full_text.rstrip().endswith((".", ";"))
    return child.kind == "plus" or not sentence


def _is_loose(paragraph: str) -> bool:
    return find_subject(paragraph, delegation=False) is not None and not answers_for(paragraph)


def _ref(item: Item) -> str:
    parts = []
    for node in [*reversed(item.ancestors()), item]:
        if node.kind == "article":
            continue
        label = str(node.ordinal) if node.kind in _BULLETS else node.label
        if node.kind.startswith("dotted") and parts and label.startswith(f"{parts[-1]}."):
            label = label[len(parts[-1]) + 1 :]  # "2.3" under "2": the document's own number
        parts.append(label)
    return ".".join(parts)


class _Reader:
    def __init__(self) -> None:
        self.tasks: list[ParsedTask] = []
        self.warnings: list[str] = []

    def visit(self, item: Item, ctx: _Context, borrowed: dict[str, str] | None = None) -> None:
        text = item.text
        record = fields_of(item) if item.children and not ctx.skip else None
        if record is not None or borrowed is not None:
            fields, task = record or (borrowed or {}, None)
            if task is None:
                self.emit_fields(item, fields, ctx, item.text if record else item.full_text)
            elif task.children:  # "a) Nhiệm vụ:" over bullets: each is a task
                for bullet in task.children:
                    self.emit_fields(bullet, fields, ctx, bullet.full_text)
            else:
                self.emit_fields(task, fields, ctx, field_of(task)[1])
            return
        if item.kind == "article" and CLOSING.search(text):
            text = ""  # the closing clause is no task, but a plan may nest under it
        if not_task_section(text):
            ctx = _Context(skip=True)
        heading = unit_heading(text) if text else None
        own = None if heading is not None or not text else own_subject(item, text)
        if own is None and heading is None and text:
            own = topic_subject(item, text) or handed_over(text)
        introduces = text.rstrip().endswith(":")
        lead = heading or (own[0] if own else [])
        grouping = bool(item.children) and not lead and not text.rstrip().endswith((".", ";"))
        child_ctx = _Context(
            lead=lead or ctx.lead,
            # Only a list's heading or introducing sentence dates the items under it; a task's
            # own deadline is not its sub-tasks'.
            deadline=(
                intro_deadline(text) if introduces or heading is not None or grouping else ""
            )
            or ctx.deadline,
            skip=ctx.skip,
        )
        if item.children and item.extra and item.extra[-1].rstrip().endswith(":"):
            # "II. ..." then "Đề nghị Thường trực Tỉnh ủy ... tập trung:" over the items.
            intro = addressed(item.extra[-1], subject=True)
            if intro:
                child_ctx.lead = intro
                child_ctx.deadline = intro_deadline(item.extra[-1]) or child_ctx.deadline
        if item.synthetic and not text:
            # A heading the capture lost may have named another performer: what the
            # introducing sentence said does not reach through it.
            child_ctx.lead = []
        if ctx.skip or not text or NOT_A_TASK.match(text) or reported(item.full_text):
            self.children(item, child_ctx, parent=None)
            return
        if not item.children and (is_appeal(item.full_text) or _INTRODUCES.search(item.full_text)):
            self.children(item, child_ctx, parent=None)
            return
        if (
            introduces
            and (own or ctx.lead)
            and item.children
            and all(map(_is_product, item.children))
        ):
            # "... tham mưu ban hành các Nghị quyết sau:" over the documents' names: one task.
            task = self.emit(
                item, item.full_text, own[0] if own else ctx.lead, ctx, from_heading=not own
            )
            self.children(item, child_ctx, parent=task)
            return
        if heading is not None or (introduces and item.children):
            if heading is not None and item.extra and not item.children:
                named = find_subject(item.extra[0])  # the paragraph may name its own lead
                lead_here = named[0] if named else heading
                self.emit(item, "\n".join(item.extra), lead_here, ctx, from_heading=not named)
            self.list_under(item, child_ctx, ctx)
            return
        task = None
        # An item with sub-items is a task of its own when it names its lead or reads as a
        # sentence (``- Chủ trì nâng cấp hệ thống. Nhiệm vụ thường xuyên.``), not a topic.
        works = not item.children or text.rstrip().endswith((".", ";"))
        if lead or (ctx.lead and works):
            task = self.emit(item, item.full_text, lead or ctx.lead, ctx, from_heading=not lead)
            if lead and heading is None:
                others = _other_performers(text)
                task.lead += [u for u in others if u not in task.lead]
        self.children(item, child_ctx, parent=task)

    def emit_fields(self, item: Item, fields: dict[str, str], ctx: _Context, text: str) -> None:
        """A task whose lead, cooperating units and deadline are written as fields."""
        value = fields["lead"].rstrip(" .;")
        named = find_subject(value) if ACTS.search(value) else None  # "X chủ trì, phối hợp A"
        lead = named[0] if named else split_units(FIELD_TAIL.sub("", value))
        task = self.emit(item, text, lead, ctx, from_heading=False)
        _, joint, partners = value.partition("phối hợp")
        partners = re.sub(r"^\s*(?:chặt chẽ\s+)?với\s+", "", partners)
        task.cooperating = split_units(
            fields.get("cooperating", "") or (partners if joint else "")
        )
        task.deadline_text = fields.get("deadline", "").rstrip(" .;") or task.deadline_text
        task.product = fields.get("product", "")
        task.source += [child.full_text for child in item.children]

    def children(self, item: Item, ctx: _Context, parent: ParsedTask | None) -> None:
        borrowed = shared_fields(item.children) if not ctx.skip else {}
        intro: tuple[str, _Context] | None = None
        for child in item.children:
            if intro is not None and child.kind != intro[0]:
                ctx = intro[1]  # the sentence that ended the previous list introduces this one
            if not child.children and PERIOD_ONLY.match(child.text):
                # "* Năm 2026" over "- Về kiểm tra: ...": a period that dates what follows.
                ctx = _Context(ctx.lead, child.text.rstrip(" :.;"), ctx.skip)
                continue
            if id(child) in borrowed:
                self.visit(child, ctx, borrowed[id(child)])
                continue
            if parent is not None and (_details(child) or _is_product(child)):
                parent.body += f"\n{_MARKS.get(child.kind, '')}{child.text}"
                parent.source.append(child.text)
                parent.deadline_text = parent.deadline_text or find_deadline(child.full_text)
                for name in cooperating_units(child.full_text):
                    if name not in parent.cooperating:
                        parent.cooperating.append(name)
                continue
            self.visit(child, ctx)
            intro = _trailing_intro(child, ctx) or intro

    def list_under(self, item: Item, child_ctx: _Context, ctx: _Context) -> None:
        """The items a heading or introducing sentence lists; when none of them is a task, an
        unmarked paragraph closing the list that hands work over (``4. Cho ý kiến ..., gồm:``
        over ``- Tờ trình ...`` then ``Thường trực ... nhất trí; giao Ban X ...``) is the
        item's task."""
        before = len(self.tasks)
        self.children(item, child_ctx, parent=None)
        last = item.children[-1] if item.children else None
        if ctx.skip or last is None or last.children or len(self.tasks) > before:
            return
        for paragraph in last.extra:
            found = None if is_appeal(paragraph) else handed_over(paragraph)
            if found:
                self.emit(item, paragraph, found[0], ctx, from_heading=False)
                return

    def emit(
        self, item: Item, text: str, lead: list[str], ctx: _Context, *, from_heading: bool
    ) -> ParsedTask:
        deadline = find_deadline(text)
        flags = []
        if from_heading:
            flags.append("lead_from_heading")
        if not deadline and ctx.deadline:
            deadline = ctx.deadline
            flags.append("deadline_inherited")
        if item.synthetic:
            flags.append("low_confidence")
        if count_deadlines(text) > 1:
            flags.append("deadline_milestone")
        task = ParsedTask(
            ref=_ref(item),
            title=make_title(text),
            body=text,
            lead=list(lead),
            cooperating=cooperating_units(text),
            deadline_text=deadline,
            group=" / ".join(a.text.rstrip(" :") for a in reversed(item.ancestors()) if a.text),
            # The item's own lines; with a lead from above, the heading or introduction too.
            source=[p for p in [*_lead_lines(item, from_heading), item.text, *item.extra] if p],
            flags=flags,
        )
        self.tasks.append(task)
        return task


_HAND_OVER_WORD = re.compile(r"^(?:Giao|Đề nghị|Yêu cầu)\s")


def _other_performers(text: str) -> list[str]:
    """Units that later sentences of an item open with (``... Bộ Tư pháp tổng hợp ...``): the
    item has several performers, one task with all of them as leads."""
    out: list[str] = []
    for sentence in sentences(text)[1:]:
        if not is_unit_start(_HAND_OVER_WORD.sub("", sentence)):
            continue
        found = find_subject(sentence, delegation=False)
        if found and ANSWERS_FOR.match(found[1]):
            continue
        out += [unit for unit in (found[0] if found else []) if unit not in out]
    return out


def _trailing_intro(child: Item, ctx: _Context) -> tuple[str, _Context] | None:
    """``- <last finding>`` then ``Để ..., Tổng cục Thuế yêu cầu Cục Thuế các tỉnh thực hiện
    một số giải pháp sau:`` then ``1/ ...``: an unmarked paragraph that closes one list and
    introduces the next (of another marker kind) names the lead of the items that follow."""
    if child.children or not child.extra or not child.extra[-1].rstrip().endswith(":"):
        return None
    units = addressed(child.extra[-1])
    if not units:
        return None
    deadline = intro_deadline(child.extra[-1]) or ctx.deadline
    return child.kind, _Context(lead=units, deadline=deadline, skip=ctx.skip)


def deadline_flags(task: ParsedTask) -> None:
    """Add the deadline and lead flags every task gets (see `store.importing.parsed.FLAGS`)."""
    if not task.deadline_text:
        task.flags.append("no_deadline")
    else:
        read = normalise_deadline(task.deadline_text)
        if read.span:
            task.flags.append("deadline_span")
        if read.milestone:
            task.flags.append("deadline_milestone")
    if not task.lead:
        task.flags.append("no_lead")
    task.flags = list(dict.fromkeys(task.flags))


def parse_outline(paragraphs: list[str]) -> tuple[list[ParsedTask], list[str], int]:
    """Tasks of a numbered/lettered/bulleted directive.

    Returns:
        The tasks, warnings, and how many items the outline has (the caller's evidence that
        the document is written as an outline at all).
    """
    root, preamble = build_outline(paragraphs, _is_loose)
    reader = _Reader()
    intro = _Context()
    if preamble and preamble[-1].rstrip().endswith(":"):
        intro = _Context(lead=addressed(preamble[-1]), deadline=intro_deadline(preamble[-1]))
    reader.children(root, intro, parent=None)
    return reader.tasks, reader.warnings, len(root.walk())

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

from dataclasses import dataclass, field

from store.importing.clauses import find_subject, unit_heading
from store.importing.cooperation import co_leads, cooperating_units
from store.importing.not_tasks import (
    CLOSING,
    NOT_A_TASK,
    is_addressee,
    is_appeal,
    is_title,
    not_task_section,
    reported,
    resolution_closing,
    roster_section,
)
from store.importing.notices import notified, requested, without_idle_notified
from store.importing.outline import (
    PERIOD_ONLY,
    Item,
    articles_carry_items,
    build_outline,
    item_ref,
)
from store.importing.parsed import ParsedTask
from store.importing.phrases import count_deadlines, find_deadline, make_title
from store.importing.records import fields_of, record_tasks, shared_fields
from store.importing.roles import role_fields
from store.importing.sub_items import (
    INTRODUCES,
    asks_contents,
    cites_bases,
    closing_deadline,
    is_detail,
    is_loose,
    is_product,
    states_rules,
    timed_topic,
)
from store.importing.subjects import (
    addressed,
    handed_over,
    intro_deadline,
    opens_list,
    other_performers,
    own_performers,
)
from store.importing.trailing import (
    closes_list,
    is_last,
    own_paragraphs,
    staying_text,
    work_in_passing,
)
from store.importing.units import split_units

_MARKS = {"dash": "- ", "plus": "+ ", "star": "* "}


@dataclass
class _Context:
    lead: list[str] = field(default_factory=list)
    deadline: str = ""
    skip: bool = False


class _Reader:
    def __init__(self, *, article_refs: bool = False) -> None:
        self.tasks: list[ParsedTask] = []
        self.warnings: list[str] = []
        self.article_refs = article_refs  # refs start with "Đ2" (see `item_ref`)

    def visit(self, item: Item, ctx: _Context, borrowed: dict[str, str] | None = None) -> None:
        text = item.text
        record = fields_of(item) if item.children and not ctx.skip else None
        if record is not None or borrowed is not None:
            record_tasks(item, record, borrowed, lambda *a: self.emit(*a, ctx, from_heading=False))
            return
        if item.kind == "article" and CLOSING.search(text):
            text = ""  # the closing clause is no task, but a plan may nest under it
        if not_task_section(text):
            ctx = _Context(skip=True)
        heading = unit_heading(text) if text else None
        if heading is not None and not item.children and is_addressee(item):
            return  # "Kính gửi: - Sở A; - Sở B." (the label lost): who receives the letter
        own = (
            None
            if heading is not None or not text
            else own_performers(item, text, has_lead=bool(ctx.lead))
        )
        introduces = text.rstrip().endswith(":")
        lead = heading or (own[0] if own else [])
        if not lead and introduces and item.children:
            # "Điều 1. Tán thành báo cáo ... Đề nghị Ủy ban nhân dân tỉnh:": the list's
            # performer is the one the closing request addresses.
            lead = addressed(text)
        child_ctx = _child_context(item, text, lead, heading is not None, ctx)
        closing = resolution_closing(text) or (not item.extra and is_title(text))
        if ctx.skip or not text or NOT_A_TASK.match(text) or reported(item.full_text) or closing:
            self.passed_over(item, ctx, child_ctx)
            return
        # "Đề nghị các cơ quan ... triển khai thực hiện./.": the body ends with the appeal, and
        # what follows it is the page's, not the item's.
        closes = text.rstrip().endswith("./.") and is_appeal(text)
        if not item.children and (
            closes or is_appeal(item.full_text) or INTRODUCES.search(item.full_text)
        ):
            self.children(item, child_ctx, parent=None)
            return
        if self.topic_task(item, ctx) or self.one_task(
            item, own, ctx, child_ctx, introduces=introduces
        ):
            return
        if heading is not None or (introduces and item.children):
            if heading is not None and item.extra and not item.children:
                self.emit_paragraph(item, heading, ctx)
            self.list_under(item, child_ctx, ctx)
            return
        task = None
        # An item with sub-items is a task of its own when it names its lead or reads as a
        # sentence (``- Chủ trì nâng cấp hệ thống. Nhiệm vụ thường xuyên.``), not a topic.
        works = not item.children or text.rstrip().endswith((".", ";"))
        if lead or (ctx.lead and works):
            groups = own_paragraphs(item, lead or ctx.lead)
            kept = staying_text(item, groups)
            task = self.emit(item, kept, lead or ctx.lead, ctx, from_heading=not lead)
            self.split_off(item, task, groups, ctx)
            if lead and heading is None:
                # A topic heading's performers are named in the paragraph under it.
                topic = item.extra and not text.rstrip().endswith((".", ";"))
                others = other_performers(f"{text}\n{item.extra[0]}" if topic else text)
                task.lead += [u for u in others if u not in task.lead]
        self.children(item, child_ctx, parent=task)

    def one_task(
        self,
        item: Item,
        own: tuple[list[str], str] | None,
        ctx: _Context,
        child_ctx: _Context,
        *,
        introduces: bool,
    ) -> bool:
        """``... tham mưu ban hành các Nghị quyết sau:`` over the documents' names, ``... báo
        cáo về một số nội dung sau:`` over what the report holds, ``..., căn cứ quy định tại:``
        over the legal bases cited: the item is one task, its sub-items go into its body (what
        follows the last basis cited goes on with the request). Returns whether it was read so."""
        cites = cites_bases(item)
        if not (cites or (introduces and (own or ctx.lead))):
            return False
        contents = asks_contents(item) or states_rules(item)
        if not item.children or not (contents or cites or all(map(is_product, item.children))):
            return False
        lead = own[0] if own else (child_ctx.lead if cites else ctx.lead)
        if not lead:
            return False
        text = "\n".join([item.full_text, *(item.children[-1].extra if cites else [])])
        task = self.emit(item, text, lead, ctx, from_heading=not own)
        if contents or cites:
            for child in item.children:
                self.absorb(task, child)
        else:
            self.children(item, child_ctx, parent=task)
        return True

    def topic_task(self, item: Item, ctx: _Context) -> bool:
        """An inspection plan's topic over the details of its work and its time field
        (`store.importing.sub_items.timed_topic`): one task. Returns whether it was read so."""
        timed = timed_topic(item)
        if timed is None or not (timed[0] or ctx.lead):
            return False
        text = "\n".join([item.full_text, item.children[0].full_text])
        task = self.emit(item, text, timed[0] or ctx.lead, ctx, from_heading=not timed[0])
        task.deadline_text = timed[1]
        for child in item.children:
            self.absorb(task, child)
        return True

    def split_off(
        self,
        item: Item,
        task: ParsedTask,
        groups: list[tuple[list[str], list[str]]],
        ctx: _Context,
    ) -> None:
        """Paragraphs after the item that are tasks of their own (`store.importing.trailing`):
        refs ``<item>+1``, ``<item>+2`` ... after the last item of a list; inside a list the
        item's own sentence is the first of its assignments (``2+1``, then ``2+2`` ...)."""
        if not groups:
            return
        moved = [p for _, paragraphs in groups for p in paragraphs]
        task.source = [p for p in task.source if p not in moved]
        base, first = task.ref, 1
        if not is_last(item):
            task.ref, first = f"{base}+1", 2
        for number, (units, paragraphs) in enumerate(groups, start=first):
            own = self.emit(item, "\n".join(paragraphs), units, ctx, from_heading=False)
            own.ref = f"{base}+{number}"
            own.source = list(paragraphs)

    def passed_over(self, item: Item, ctx: _Context, child_ctx: _Context) -> None:
        """An item that is no task: its sub-items are read, and in a section that gives no
        tasks, the work it hands over by name (`store.importing.trailing.work_in_passing`)."""
        for ref, units, text in work_in_passing(item) if ctx.skip else []:
            task = self.emit(item, text, units, ctx, from_heading=False)
            task.ref, task.source = f"{task.ref}{ref}", [text]
        self.children(item, child_ctx, parent=None)

    def emit_paragraph(self, item: Item, heading: list[str], ctx: _Context) -> None:
        """A unit heading with a paragraph under it and no sub-items: the paragraph is its
        task, led by the units the paragraph names, else by the heading's."""
        named = find_subject(item.extra[0])
        lead = named[0] if named else heading
        task = self.emit(item, "\n".join(item.extra), lead, ctx, from_heading=not named)
        if named:
            task.lead += [u for u in other_performers(item.extra[0]) if u not in task.lead]

    def children(
        self, item: Item, ctx: _Context, parent: ParsedTask | None, of: list[Item] | None = None
    ) -> None:
        """Read `item`'s sub-items (or those of them in `of`) in order."""
        items = item.children if of is None else of
        borrowed = shared_fields(items) if not ctx.skip else {}
        intro: tuple[str, _Context] | None = None
        for child in items:
            if intro is not None and child.kind != intro[0]:
                ctx = intro[1]  # the sentence that ended the previous list introduces this one
            if not child.children and PERIOD_ONLY.match(child.text):
                # "* Năm 2026" over "- Về kiểm tra: ...": a period that dates what follows.
                ctx = _Context(ctx.lead, child.text.rstrip(" :.;"), ctx.skip)
                continue
            if id(child) in borrowed:
                self.visit(child, ctx, borrowed[id(child)])
                continue
            if parent is not None and (is_detail(child) or is_product(child)):
                self.absorb(parent, child)
                continue
            self.visit(child, ctx)
            follows = closes_list(child)
            if follows is not None:
                units, deadline = follows
                intro = child.kind, _Context(units, deadline or ctx.deadline, ctx.skip)

    def absorb(self, parent: ParsedTask, child: Item) -> None:
        """A sub-item that details its parent's task goes into the parent's body."""
        parent.body += f"\n{_MARKS.get(child.kind, '')}{child.text}"
        parent.source.append(child.text)
        parent.deadline_text = parent.deadline_text or find_deadline(child.full_text)
        for name in cooperating_units(child.full_text):
            if name not in parent.cooperating:
                parent.cooperating.append(name)

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
        roles = role_fields(text)
        deadline = find_deadline(text) or roles.get("deadline", "")
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
            ref=item_ref(item, articles=self.article_refs),
            title=make_title(text),
            body=text,
            lead=list(dict.fromkeys([*lead, *co_leads(text)])),
            cooperating=cooperating_units(text) or split_units(roles.get("cooperating", "")),
            deadline_text=deadline,
            group=" / ".join(a.text.rstrip(" :") for a in reversed(item.ancestors()) if a.text),
            # The item's own lines; with a lead from above, the heading or introduction too.
            source=[
                p
                for p in [*(item.heading_lines() if from_heading else []), item.text, *item.extra]
                if p
            ],
            flags=flags,
        )
        self.tasks.append(task)
        return task


def _child_context(
    item: Item, text: str, lead: list[str], is_heading: bool, ctx: _Context
) -> _Context:
    """What the items under `item` inherit from it: its lead (or the one above), the deadline
    its heading or introducing sentence sets, whether they stand in a section without tasks."""
    introduces = text.rstrip().endswith(":")
    grouping = bool(item.children) and not lead and not text.rstrip().endswith((".", ";"))
    # Only a list's heading or introducing sentence dates the items under it; a task's own
    # deadline is not its sub-tasks'.
    dated = introduces or is_heading or grouping
    child_ctx = _Context(
        lead or ctx.lead, (intro_deadline(text) if dated else "") or ctx.deadline, ctx.skip
    )
    if item.children and item.extra and opens_list(item.extra[-1]):
        # "II. ..." then "Đề nghị Thường trực Tỉnh ủy ... tập trung:" over the items.
        intro = addressed(item.extra[-1], subject=True)
        if intro:
            # "I. ĐÁNH GIÁ CHUNG" ... "Để ..., thành phố Đà Nẵng cần thực hiện ... sau đây:": an
            # assessment whose last paragraph hands the items under it out as work (a list of
            # who attends stays none).
            deadline = intro_deadline(item.extra[-1]) or child_ctx.deadline
            child_ctx = _Context(intro, deadline, roster_section(text))
    if item.synthetic and not text:
        # A heading the capture lost may have named another performer: what the introducing
        # sentence said does not reach through it.
        child_ctx.lead = []
    return child_ctx


def parse_outline(paragraphs: list[str]) -> tuple[list[ParsedTask], list[str], int]:
    """Tasks of a numbered/lettered/bulleted directive.

    Returns:
        The tasks, warnings, and how many items the outline has (the caller's evidence that
        the document is written as an outline at all).
    """
    root, preamble = build_outline(paragraphs, is_loose)
    reader = _Reader(article_refs=articles_carry_items(root))
    intro = _Context()
    if preamble and opens_list(preamble[-1]):
        intro = _Context(lead=addressed(preamble[-1]), deadline=intro_deadline(preamble[-1]))
    # The sentence introducing the body's list does not reach past the signature into an
    # appendix (``PHỤ LỤC 1 ...`` then ``1. Danh sách đăng ký``).
    signed = root.signed if root.signed >= 0 else len(root.children)
    tail = root.children[:signed][-1:]
    body_last = [*tail, *tail[0].walk()][-1] if tail else None  # the last item before signing
    # "... thông báo để X biết, thực hiện", or "Đề nghị X, Y ..." after the last item.
    notice = notified(paragraphs) or requested(body_last)
    intro.lead = intro.lead or notice
    reader.children(root, intro, parent=None, of=root.children[:signed])
    reader.children(root, _Context(), parent=None, of=root.children[signed:])
    items = root.walk()
    closing = closing_deadline(items[-1] if items else None, body_last)
    for task in reader.tasks if closing else []:
        if not task.deadline_text:
            task.deadline_text = closing
            task.flags.append("deadline_inherited")
    return without_idle_notified(reader.tasks, notice), reader.warnings, len(items)

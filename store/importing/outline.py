"""The outline of a directive: its numbered, lettered and bulleted items as a tree.

Directives number their items with a handful of markers, nested in an order each document
chooses: roman parts (``II.``), articles (``Điều 2.``), arabic sections (``3.``, ``3.1.``),
parenthesised numbers (``(1)``, ``1)``), letters (``b)``, ``đ)``), dashes (``-``, ``–``, ``•``)
and pluses (``+``). The tree is built by the order in which marker kinds appear (a kind seen
before closes the items nested since; a new kind opens a level under the current item), with
two corrections that hold for every directive:

* a *major* kind (part, article, roman, arabic) never nests under a *minor* one (letters,
  parenthesised numbers, bullets): a ``2.`` after ``a)`` ... ``c)`` closes them;
* a numbered kind restarting at its first value (``a)`` after ``d)``) without a new parent
  means the capture lost the parent's heading: a parent is put back (counted on from its
  previous sibling), as it is for letters found at the top of the document (section ``1``).

Paragraphs without a marker belong to the item before them (``extra``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from store.text import fold

#: Marker patterns, tried in order; group 1 is the label (bullets have none).
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(r"^(?:PHẦN|Phần)\s+(?:thứ\s+)?([IVXLC]+|\w+)[.:]?\s+(?=\S)")),
    ("article", re.compile(r"^Điều\s+(\d{1,3})[.:]?\s*")),
    # "V/v ..." (về việc) opens a subject line, not part V.
    ("roman", re.compile(r"^(?![Vv]/[Vv]\b)([IVXLC]{1,6})(?:[.)/]|\s?-(?=\s))\s*(?=\S)")),
    # "A. NHIỆM VỤ CHUNG", "B. NHIỆM VỤ CỤ THỂ": parts lettered in capitals.
    ("part", re.compile(r"^([A-H])\.\s+(?=[A-ZĐÀ-Ỹ]{2})")),
    ("dotted3", re.compile(r"^(\d{1,2}\.\d{1,2}\.\d{1,2})\.?\s+(?=\S)")),
    ("dotted2", re.compile(r"^(\d{1,2}\.\d{1,2})\.?\s+(?=\S)")),
    ("arabic", re.compile(r"^(\d{1,2})(?:\.|/(?=\s)|\s?-(?=\s))\s*(?=[^\d\s])")),
    ("aparen", re.compile(r"^(\d{1,2})\)\s*(?=\S)")),
    ("paren", re.compile(r"^\((\d{1,2})\)\s*(?=\S)")),
    ("sroman", re.compile(r"^\((i{1,3}|iv|vi{0,3}|ix|x)\)\s*(?=\S)")),
    # "a)", and as other captures write it "a." and "a/".
    ("letter", re.compile(r"^([a-zđ])(?:\)|[./](?=\s))\s*(?=\S)")),
    ("dash", re.compile(r"^[-–—•]\s*(?=\S)")),
    ("plus", re.compile(r"^\+\)?\s*(?=\S)")),
    # "* Đối với Sở X:", "* Năm 2026": a bullet of its own kind.
    ("star", re.compile(r"^\*\s+(?=\S)")),
)
MAJOR = ("part", "article", "roman", "arabic", "dotted2", "dotted3")
_RANK = {kind: rank for rank, kind in enumerate(MAJOR)}
_NUMBERED = ("roman", "arabic", "dotted2", "dotted3", "aparen", "paren", "sroman", "letter")
_LETTERS = "abcdđeghiklmnopqrstuvxy"
_ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@dataclass
class Item:
    """One item of the outline (the root has kind ``root``)."""

    kind: str
    label: str
    text: str
    index: int = -1  # position of its paragraph in the input
    extra: list[str] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)
    parent: Item | None = None
    ordinal: int = 0  # 1-based position among its parent's children of the same kind
    synthetic: bool = False  # put back for a heading the capture lost
    signed: int = -1  # (the root) how many of its children come before the recipients block

    @property
    def full_text(self) -> str:
        """The item's own paragraph with the unmarked paragraphs that follow it."""
        return "\n".join(p for p in [self.text, *self.extra] if p)

    def add(self, child: Item) -> Item:
        """Attach a child, numbering it among siblings of its kind."""
        child.parent = self
        child.ordinal = 1 + sum(1 for c in self.children if c.kind == child.kind)
        self.children.append(child)
        return child

    def ancestors(self) -> list[Item]:
        """Parents from the nearest up to (not including) the root."""
        out, node = [], self.parent
        while node is not None and node.kind != "root":
            out.append(node)
            node = node.parent
        return out

    def heading_lines(self) -> list[str]:
        """The nearest heading above with text (where an inherited lead was read)."""
        return next(([a.text] for a in self.ancestors() if a.text), [])

    def walk(self) -> list[Item]:
        """This item's descendants in document order."""
        out: list[Item] = []
        for child in self.children:
            out.append(child)
            out.extend(child.walk())
        return out


def split_marker(paragraph: str) -> tuple[str, str, str]:
    """``b) Bộ Y tế ...`` → ("letter", "b", "Bộ Y tế ..."); unmarked → ("text", "", paragraph)."""
    for kind, pattern in _MARKERS:
        match = pattern.match(paragraph)
        if match:
            label = match.group(1) if match.groups() else ""
            return kind, label, paragraph[match.end() :].strip()
    return "text", "", paragraph


def _first(kind: str, label: str) -> bool:
    # "i)" after "h)" is the ninth letter (Vietnamese letters run h, i, k), not a first item.
    firsts = {"letter": {"a"}, "sroman": {"i"}, "roman": {"I"}}.get(kind, {"1", "a", "I", "i"})
    return label.rsplit(".", 1)[-1] in firsts if kind in _NUMBERED else False


def _next_label(item: Item) -> str:
    label = item.label
    if label.isdigit():
        return str(int(label) + 1)
    head, dot, last = label.rpartition(".")
    if dot and last.isdigit():
        return f"{head}.{int(last) + 1}"  # "2.3" → "2.4"
    if label in _ROMANS[:-1]:
        return _ROMANS[_ROMANS.index(label) + 1]
    if label in _LETTERS[:-1]:
        return _LETTERS[_LETTERS.index(label) + 1]
    return label


class _Builder:
    def __init__(self) -> None:
        self.root = Item("root", "", "")
        self.stack: list[Item] = [self.root]

    @property
    def top(self) -> Item:
        return self.stack[-1]

    def place(self, item: Item) -> None:
        self._reopen(item)
        kinds = [node.kind for node in self.stack]
        if item.kind in MAJOR:
            while self.top is not self.root and (
                self.top.kind not in MAJOR or _RANK[self.top.kind] >= _RANK[item.kind]
            ):
                self.stack.pop()
        elif item.kind in kinds:
            while self.top.kind != item.kind:
                self.stack.pop()
            sibling = self.stack.pop()
            if _first(item.kind, item.label) and not _first(sibling.kind, sibling.label):
                self._restore_parent(sibling)
        if item.kind in ("letter", "paren", "aparen") and self.top is self.root:
            # Letters at the top: their section heading was lost (or there never was one).
            count = sum(1 for c in self.root.children if c.kind == "arabic")
            lost = self.root.add(Item("arabic", str(count + 1), "", item.index, synthetic=True))
            self.stack.append(lost)
        self.top.add(item)
        self.stack.append(item)

    def _reopen(self, item: Item) -> None:
        """``1. ...`` / a paragraph naming another performer (read as a lost section) / ``2.
        ...``: the next item goes on with the list before the paragraph, so the paragraph was
        no section; it goes back to the item it follows."""
        lost = self.stack[1] if len(self.stack) == 2 else None
        if lost is None or not lost.synthetic or lost.children or len(self.root.children) < 2:
            return
        path = [self.root, self.root.children[-2]]
        while path[-1].children:
            path.append(path[-1].children[-1])
        # The section's own list goes on (``I.`` ``1.`` / paragraph / ``2.``), or a deeper
        # list whose labels say where they belong (``2.3.`` / paragraph / ``2.4.``); a deeper
        # plain list (``1.`` under ``6.``) ends where a paragraph of another performer stands.
        for depth in range(len(path) - 1, 1, -1):
            node = path[depth]
            if depth > 2 and "." not in node.label:
                continue
            if node.kind == item.kind and _next_label(node) == item.label:
                self.root.children.remove(lost)
                path[-1].extra.append(lost.text)
                self.stack = path[:depth]
                return

    def _restore_parent(self, sibling: Item) -> None:
        """``a)`` after ``d)``: the heading that owned the new run was lost; put one back."""
        parent = sibling.parent
        if parent is None or parent is self.root or parent.kind not in _NUMBERED:
            return
        while self.top is not parent:
            self.stack.pop()
        self.stack.pop()
        holder = self.top
        restored = Item(parent.kind, _next_label(parent), "", sibling.index, synthetic=True)
        holder.add(restored)
        self.stack.append(restored)

    def text(self, paragraph: str, index: int, *, loose: bool) -> None:
        if self.top is self.root:
            return  # preamble: the caller reads it separately
        last = self.root.children[-1] if self.root.children else None
        if loose and last is not None and last.kind in ("arabic", "roman"):
            # A paragraph that assigns work of its own after the items of a section: its
            # marker was lost too; it stands as the next section.
            item = Item(last.kind, _next_label(last), paragraph, index, synthetic=True)
            self.stack = [self.root, self.root.add(item)]
            return
        self.top.extra.append(paragraph)


#: A line that is nothing but a period (``Năm 2026``, ``Quý I/2026:``, ``Giai đoạn 2026 -
#: 2027``): it groups and dates the lines after it.
PERIOD_ONLY = re.compile(
    r"^(?:Năm|Quý\s+[IV\d]+(?:\s*/\s*|\s+năm\s+)|Giai đoạn|Tháng\s+\d{1,2}\s*/\s*)\s*"
    r"\d{4}(?:\s*[-–]\s*\d{4})?\s*:?$",
    re.IGNORECASE,
)
#: ``Nơi nhận:``, ``Kính gửi:``, ``THỦ TƯỚNG CHÍNH PHỦ điện:``: the bullets that follow are
#: recipients, not items.
_RECIPIENTS = re.compile(
    r"^(?:N[ơo]i nh[ậa]n|Kính gửi|Đồng kính gửi)\s*:|\bđiện\s*:\s*$", re.IGNORECASE
)
_AS_ABOVE = re.compile(r"^(?:Nh[ưu] tr[êe]n|L[ưu]u\s*:?\s*V)", re.IGNORECASE)
#: A title in capitals (``KẾ HOẠCH``, ``PHỤ LỤC I``) starts a new document part.
_TITLE = re.compile(r"^[^a-zà-ỹđ]{4,}$")
_INLINE_ITEM = re.compile(r"(?:^|(?<=[\s:;,.]))\((\d{1,2}|i{1,3}|iv|vi{0,3}|ix|x)\)\s*(?=\S)")
_SMALL_ROMANS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")


#: `` - `` after a colon, semicolon or full stop: a bullet the capture ran into the line.
_INLINE_DASH = re.compile(r"(?<=[:;.])\s+[-–+]\s+(?=\S)")


def _explode_dashes(paragraph: str) -> list[str] | None:
    """``UBND các huyện: - Xây dựng ...; - Bố trí ...`` → the head, then each ``- ...``.

    Two bullets or more, the first right after a colon; a dash inside a phrase (``kinh tế -
    xã hội``, ``2025 - 2030``) follows no punctuation and splits nothing.
    """
    marks = list(_INLINE_DASH.finditer(paragraph))
    if len(marks) < 2 or paragraph[marks[0].start() - 1] != ":":
        return None
    cuts = [0, *(mark.start() for mark in marks), len(paragraph)]
    parts = [paragraph[a:b].strip() for a, b in pairwise(cuts)]
    return [part for part in parts if part]


def explode_inline(paragraph: str) -> list[str]:
    """``... như sau: (1) A; (2) B; (3) C`` → the sentence, then ``(1) A;`` ... as paragraphs.

    Only a run numbered 1, 2, 3 ... in order counts; anything else stays one paragraph. Dashes
    run into one line after a colon (``X: - A; - B``) come apart the same way.
    """
    dashes = _explode_dashes(paragraph)
    if dashes:
        return dashes
    marks = list(_INLINE_ITEM.finditer(paragraph))
    run: list[re.Match[str]] = []
    for numbers in (None, _SMALL_ROMANS):  # (1) (2) ..., else (i) (ii) ...
        run = []
        for mark in marks:
            label = mark.group(1)
            expected = str(len(run) + 1) if numbers is None else numbers[min(len(run), 9)]
            if label == expected:
                run.append(mark)
        if len(run) >= 2:
            break
    if len(run) < 2 or (run[0].start() == 0 and not paragraph.startswith(("(1)", "(i)"))):
        return [paragraph]
    out = [paragraph[: run[0].start()].strip()] if run[0].start() else []
    for position, mark in enumerate(run):
        end = run[position + 1].start() if position + 1 < len(run) else len(paragraph)
        out.append(paragraph[mark.start() : end].strip())
    return [part for part in out if part]


def build_outline(paragraphs: list[str], is_loose: object = None) -> tuple[Item, list[str]]:
    """The tree of items, and the paragraphs before the first item (the preamble).

    Addressees (``Kính gửi:``, ``... điện:``) and recipients (``Nơi nhận:``) are left out.

    Args:
        paragraphs: Cleaned paragraphs, one per item or text paragraph.
        is_loose: Optional predicate on a paragraph and the texts of the items it stands
            under: an unmarked paragraph that starts a task of its own after a section's
            items (its marker was lost). Without it, unmarked paragraphs always continue the
            item before them.
    """
    builder = _Builder()
    preamble: list[str] = []
    exploded = [(i, part) for i, p in enumerate(paragraphs) for part in explode_inline(p)]
    recipients = False
    for index, paragraph in exploded:
        kind, label, text = split_marker(paragraph)
        if _RECIPIENTS.search(paragraph) and len(paragraph) < 120:
            recipients = True
            if builder.root.signed < 0 and fold(paragraph).lstrip(" *|-").startswith("noi nhan"):
                builder.root.signed = len(builder.root.children)
            continue
        if kind == "dash" and _AS_ABOVE.match(text):
            recipients = True  # "- Như trên;": a list of recipients whose label was lost
            continue
        short = kind == "text" and len(paragraph) < 60 and not paragraph.endswith(":")
        if recipients and (kind in ("dash", "plus") or short):
            continue  # "- Như trên;", "- Lưu: VT", "Bộ trưởng" ... (not "X đề nghị Y:")
        recipients = False
        if kind == "text" and _TITLE.match(paragraph) and any(ch.isalpha() for ch in paragraph):
            builder.stack = [builder.root]  # "KẾ HOẠCH", "PHỤ LỤC": a new part of the document
            preamble.append(paragraph)
            continue
        if kind == "text" and builder.top is not builder.root and PERIOD_ONLY.match(paragraph):
            kind = "dash"  # "*Năm 2026*" as a line of its own: a bullet that dates the next
        if kind == "text":
            if builder.top is builder.root:
                preamble.append(paragraph)
                continue
            top = builder.top
            # A heading with no sentence of its own yet ("2. Về nguồn vật liệu") waits for
            # the paragraph that follows: that paragraph is its content, not a lost item.
            waiting = not top.extra and not top.text.rstrip().endswith((".", ";", ":"))
            deep = len(builder.stack) > 2 and not top.text.endswith(":") and not waiting
            above = [node.text for node in builder.stack[1:]]
            loose = bool(is_loose and deep and is_loose(paragraph, above))  # type: ignore[operator]
            builder.text(paragraph, index, loose=loose)
            continue
        builder.place(Item(kind, label, text, index))
    return builder.root, preamble


_BULLETS = ("dash", "plus", "star")


def articles_carry_items(root: Item) -> bool:
    """Whether two articles or more number items of their own (``Điều 1. ...: 1. ... 2. ...``,
    ``Điều 2. ...: 1. ...``): a resolution whose articles carry its tasks, not a decision that
    approves a plan under one article."""
    numbered = ("arabic", "dotted2", "letter", "aparen", "paren")
    carrying = [
        child
        for child in root.children
        if child.kind == "article" and any(c.kind in numbered for c in child.children)
    ]
    return len(carrying) >= 2


def item_ref(item: Item, *, articles: bool = False) -> str:
    """The item's position as the document numbers it (``II.3.b.2``); articles are left out
    (the plan a decision approves is numbered as the plan numbers itself) unless `articles`,
    when they make an outer level ``Đ2``."""
    parts: list[str] = []
    for node in [*reversed(item.ancestors()), item]:
        if node.kind == "article":
            if articles:
                parts.append(f"Đ{node.label}")
            continue
        label = str(node.ordinal) if node.kind in _BULLETS else node.label
        if node.kind.startswith("dotted") and parts and label.startswith(f"{parts[-1]}."):
            label = label[len(parts[-1]) + 1 :]  # "2.3" under "2": the document's own number
        parts.append(label)
    return ".".join(parts)

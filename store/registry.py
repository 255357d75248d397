"""In-memory unit matcher: unit names as directives write them → units.

Names are compared folded (no diacritics, no case, no punctuation) after stripping titles and
prefixes (`UBND`, `Đồng chí`, `Bộ trưởng Bộ`...; see `store.names`). An exact name or alias wins;
otherwise rapidfuzz `ratio` (whole-string edit similarity) scores typos. `ratio` rather than
`WRatio`/`token_set_ratio` on purpose: those reward a shared prefix, so `Bộ Công an` would score
high against `Bộ Công Thương`. Below the confidence bar the caller gets candidates instead of a
guess, and only plausible ones: a name with a head noun (`Bộ`, `Ban`, `Sở`) is compared with
names that have the same head, and communes are offered only for a phrase that may name one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store import assignees
from store.assignees import Expansion  # also re-exported: callers import it from here
from store.models import Unit, UnitKind
from store.names import MID_DESIGNATOR, head_of, may_be_commune, normalize, query_head
from store.unit_index import Match, UnitRef  # re-exported: callers import them from here
from store.units import UnitRecord, unit_groups

__all__ = ["Expansion", "Match", "UnitRef", "UnitRegistry", "normalize"]

CONFIDENT = 90.0  # best fuzzy score needed to pick a unit...
MARGIN = 5.0  # ...with this lead over the next distinct unit
STRICT = 94.0  # a span glued from several list items must be near-exact
CANDIDATE_CUTOFF = 45.0
_COMMUNE = UnitKind.COMMUNE


@dataclass(frozen=True)
class _Entry:
    ref: UnitRef
    short_name: str | None
    aliases: tuple[str, ...]


class UnitRegistry:
    """Matches names to units and expands collective assignee phrases, entirely in memory.

    It is the `store.unit_index.UnitIndex` that `store.assignees` and `store.collectives` use.
    """

    def __init__(
        self, entries: Iterable[_Entry], groups: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self._entries = list(entries)
        self._units = [e.ref for e in self._entries]
        self._by_code = {u.code: u for u in self._units}
        self._children: dict[str, list[UnitRef]] = {}
        for unit in self._units:
            if unit.parent_code:
                self._children.setdefault(unit.parent_code, []).append(unit)
        if groups is None:
            groups = unit_groups()
        self._groups = {
            name: [self._by_code[c] for c in codes if c in self._by_code]
            for name, codes in groups.items()
        }
        self._exact: dict[str, list[UnitRef]] = {}
        for key, unit in self._index_keys():
            bucket = self._exact.setdefault(key, [])
            if unit not in bucket:
                bucket.append(unit)
        self._keys = list(self._exact)
        self._sorted_keys = sorted(self._keys)
        # Fuzzy pools: keys by head noun, and every key that some non-commune unit answers to.
        self._by_head: dict[str, list[str]] = {}
        for key in self._keys:
            head = head_of(key)
            if head is not None:
                self._by_head.setdefault(head, []).append(key)
        self._not_communes = [
            key for key, units in self._exact.items() if any(u.kind != _COMMUNE for u in units)
        ]

    def _index_keys(self) -> Iterable[tuple[str, UnitRef]]:
        primary: dict[str, list[str]] = {}
        for e in self._entries:
            # A commune's bare short name (`Hà Nam`) would collide with provinces and other
            # communes: communes answer to their full name (`Xã Hà Nam`) only.
            short = None if e.ref.kind == UnitKind.COMMUNE else e.short_name
            keys = [normalize(t) for t in (e.ref.name, short, *e.aliases) if t]
            keys = [k for k in dict.fromkeys(keys) if k]
            primary[e.ref.code] = keys
            for key in keys:
                yield key, e.ref
        # Sub-units also answer to `<name> <parent>` (`Xã Bình Minh, tỉnh Nghệ An`, `Vụ Tổng
        # hợp VPCP`): commune names repeat across provinces, a department name across ministries.
        for e in self._entries:
            parent = e.ref.parent_code
            if not parent or parent not in primary:
                continue
            for parent_key in primary[parent][:3]:
                yield f"{primary[e.ref.code][0]} {parent_key}", e.ref

    @classmethod
    def from_records(
        cls, records: Iterable[UnitRecord], groups: Mapping[str, Sequence[str]] | None = None
    ) -> UnitRegistry:
        """Build from seed records (for tests and the CLI); refs carry no database ids."""
        entries = [
            _Entry(UnitRef(None, r.code, r.name, r.kind, r.parent_code), r.short_name, r.aliases)
            for r in records
        ]
        return cls(entries, groups)

    @classmethod
    async def load(
        cls,
        session: AsyncSession,
        *,
        include_inactive: bool = False,
        groups: Mapping[str, Sequence[str]] | None = None,
    ) -> UnitRegistry:
        """Build from the units table (active units only unless asked), in id order."""
        stmt = select(
            Unit.id,
            Unit.code,
            Unit.name,
            Unit.short_name,
            Unit.kind,
            Unit.parent_id,
            Unit.aliases,
            Unit.active,
        ).order_by(Unit.id)
        rows = (await session.execute(stmt)).all()
        code_of = {row.id: row.code for row in rows}
        entries = [
            _Entry(
                UnitRef(row.id, row.code, row.name, row.kind, code_of.get(row.parent_id)),
                row.short_name,
                tuple(row.aliases or ()),
            )
            for row in rows
            if row.active or include_inactive
        ]
        return cls(entries, groups)

    def __len__(self) -> int:
        return len(self._units)

    @property
    def units(self) -> list[UnitRef]:
        """Every unit, in load order."""
        return list(self._units)

    def get(self, code: str) -> UnitRef | None:
        """The unit with this code, or None."""
        return self._by_code.get(code)

    def children(self, code: str) -> list[UnitRef]:
        """Direct sub-units of the unit with this code."""
        return list(self._children.get(code, ()))

    def group(self, name: str) -> list[UnitRef]:
        """Members of a named group (`ministerial_level`, `government_agencies`...)."""
        return list(self._groups.get(name, ()))

    def of_kind(self, kind: UnitKind) -> list[UnitRef]:
        """Units of one kind, in load order."""
        return [u for u in self._units if u.kind == kind]

    def is_under(self, unit: UnitRef, ancestor: UnitRef) -> bool:
        """Whether `unit` is `ancestor` or below it."""
        seen: set[str] = set()
        code: str | None = unit.code
        while code is not None and code not in seen:
            if code == ancestor.code:
                return True
            seen.add(code)
            parent = self._by_code.get(code)
            code = parent.parent_code if parent else None
        return False

    def resolve_context(self, context: str | UnitRef | None) -> UnitRef | None:
        """A context unit given as a ref, a code or a name (the directive's issuer)."""
        if context is None or isinstance(context, UnitRef):
            return context
        found = self._by_code.get(context)
        if found is None:
            found = self.match(context).unit
        return found

    def exact(self, key: str) -> list[UnitRef]:
        """Units whose name or alias has exactly this `normalize`d key."""
        return list(self._exact.get(key, ()))

    def match(
        self, name: str, *, context_parent: str | UnitRef | None = None, limit: int = 5
    ) -> Match:
        """Find the unit a name refers to.

        Args:
            name: as written, with or without diacritics, titles, abbreviations or typos.
            context_parent: the issuer; breaks ties in favour of units under it.
            limit: how many candidates to return.

        Returns:
            A `Match`; `unit` is None unless the match is confident. Candidates share the
            name's head noun (`Bộ ...` → units named `Bộ ...`), and are communes only when the
            name may be one (`store.names.may_be_commune`, case-blind: people type lower case).
        """
        ctx = self.resolve_context(context_parent)
        return self.match_key(name, normalize(name), ctx, limit)

    def match_key(
        self,
        name: str,
        q: str,
        ctx: UnitRef | None,
        limit: int = 5,
        *,
        strict: bool = False,
        cased: bool = False,
    ) -> Match:
        """`match` on a name already normalised to `q` (`store.names.normalize`).

        Args:
            name: the name as written (its case tells a commune, see `cased`).
            q: `normalize(name)`, or a key built from it.
            ctx: the resolved context unit (see `resolve_context`); breaks ties.
            limit: how many candidates to return.
            strict: a span glued from several list items: only a near-exact name matches.
            cased: `name` comes from a typed document, so its capitals are meaningful.
        """
        if not q:
            return Match(name, None, 0.0)
        hits = self._exact.get(q) or self._exact.get(MID_DESIGNATOR.sub(" ", q))
        if hits:
            scored, bar = [(u, 100.0) for u in hits], 100.0
        else:
            head, communes = query_head(name, q), may_be_commune(name, q, cased=cased)
            scored, misread = self._fuzzy(q, limit, strict, head, communes)
            bar = STRICT if strict else _bar(q)
            if scored and scored[0][0].code in misread:
                bar = 101.0  # `Bồ Đề` (a ward) folds like `Bộ XD` but is no `Bộ`: never guessed
        if not scored:
            return Match(name, None, 0.0)
        best, best_score = scored[0]
        close = [u for u, s in scored if s > best_score - MARGIN]
        if len(close) > 1 and ctx is not None:
            under = [u for u in close if self.is_under(u, ctx)]
            if len(under) == 1:
                best, close = under[0], under
                scored = [(best, best_score)] + [c for c in scored if c[0] != best]
        confident = best_score >= bar and len(close) == 1
        return Match(name, best if confident else None, best_score, scored[:limit], confident)

    def _fuzzy(
        self, q: str, limit: int, strict: bool, head: str | None, communes: bool
    ) -> tuple[list[tuple[UnitRef, float]], set[str]]:
        """Scored candidates, best first, and the codes that would be a misreading.

        A misreading: the unit's best key starts with `q`'s head noun folded, while `q` spells
        that word otherwise (`Bộ XD` for `Bồ Đề`).
        """
        if head is not None:
            pool = self._by_head.get(head, [])  # `Sở ...` has none: no look-alike `Bộ ...`
        else:
            pool = self._keys if communes else self._not_communes
        cutoff = STRICT if strict else CANDIDATE_CUTOFF
        found = process.extract(q, pool, scorer=fuzz.ratio, limit=limit * 4, score_cutoff=cutoff)
        pairs = [(key, float(score)) for key, score, _ in found]
        if not strict:
            pairs += self._prefixed(q)
        best: dict[str, tuple[UnitRef, float]] = {}
        misread: set[str] = set()
        unspelled = head_of(q) if head is None else None
        for key, score in pairs:
            for unit in self._exact[key]:
                if unit.kind == _COMMUNE and not communes:
                    continue
                if unit.code not in best or best[unit.code][1] < score:
                    best[unit.code] = (unit, score)
                    if unspelled is not None and head_of(key) == unspelled:
                        misread.add(unit.code)
                    else:
                        misread.discard(unit.code)
        return sorted(best.values(), key=lambda item: -item[1]), misread

    def _prefixed(self, q: str) -> list[tuple[str, float]]:
        # `Bộ Giáo dục` for `Bộ Giáo dục và Đào tạo`: keys that start with the query's whole
        # words score 85-95 by coverage (90 at half), so `Bộ Công` stays within MARGIN of both
        # `Bộ Công an` and `Bộ Công Thương` and is asked about rather than guessed.
        if len(q) < 6 or " " not in q:
            return []
        stem = q + " "
        out: list[tuple[str, float]] = []
        i = bisect_left(self._sorted_keys, stem)
        while i < len(self._sorted_keys) and len(out) < 50:
            key = self._sorted_keys[i]
            if not key.startswith(stem):
                break
            out.append((key, 85.0 + 10.0 * len(q) / len(key)))
            i += 1
        return out

    def expand(self, phrase: str, *, context_parent: str | UnitRef | None = None) -> Expansion:
        """Resolve an assignee phrase (`Bộ KH&CN, Bộ Công an`, `các bộ, ngành, địa phương`).

        See `store.assignees.expand` for the rules, the arguments and the `Expansion` returned
        (units, unresolved parts with plausible candidates, vague parts).
        """
        return assignees.expand(self, phrase, context_parent=context_parent)


def _bar(q: str) -> float:
    """Fuzzy score needed for a confident match of `q`.

    One typo costs `ratio` about 100/len points, so short names get a lower bar (never below one
    edit); abbreviations under five letters (`BCA`) must match exactly.
    """
    if len(q) < 5:
        return 101.0
    return min(CONFIDENT, 100.0 * (1.0 - 1.0 / len(q)) - 0.5)

"""Import accuracy on the corpus of real directives (``tests/store/fixtures/corpus``).

Run: ``python -m tests.bench.bench_import_corpus [--json] [--part tuned|heldback|all]
[--details] [--only ID ...]``. Prints, per document and in total, separately for the tuned
and the held-back part: labelled tasks, tasks extracted, matched, exact (lead set, due date
and kind right), invented (extracted, matching no label), cooperating-unit accuracy, and why
matched tasks are not exact (`tests.store.corpus_reasons`: lead set, due date, kind).
Held-back documents are shown only in the totals (nobody tuning the rules may see them one by
one); ``--details`` lists the wrong, missed and invented tasks of tuned documents; ``--only``
scores only the documents named (new documents measured before any tuning on them).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from tests.store.corpus_reasons import format_reasons
from tests.store.corpus_score import DocScore, score_corpus, totals


def _row(name: str, s: DocScore | None, figures: dict[str, float | int]) -> str:
    return (
        f"{name:<40} {figures['expected']:>5} {figures['extracted']:>5} {figures['matched']:>5}"
        f" {figures['exact']:>5} {figures['invented']:>5} {figures['cooperating_ok']:>5}"
        + (f"  {s.error}" if s is not None and s.error else "")
    )


def _print_part(part: str, scores: list[DocScore], *, per_document: bool, details: bool) -> None:
    print(f"\n== {part} ({len(scores)} documents)")
    print(
        f"{'document':<40} {'exp':>5} {'ext':>5} {'match':>5} {'exact':>5} {'inv':>5} {'coop':>5}"
    )
    if per_document:
        for s in scores:
            print(_row(s.doc_id, s, s.__dict__))
            if details:
                for miss in s.misses:
                    print("    ", json.dumps(miss, ensure_ascii=False))
    t = totals(scores)
    print(_row("TOTAL", None, t.__dict__))
    print(
        f"exact {t.exact_rate:.1%} of {t.expected} labelled; invented {t.invented_rate:.1%} of "
        f"{t.extracted} extracted; cooperating right on {t.cooperating_rate:.1%} of matched;"
        f" {t.errors} document(s) refused"
    )
    print(format_reasons(t.reasons))


def main(argv: Sequence[str] | None = None) -> int:
    """Score the corpus and print the figures."""
    parser = argparse.ArgumentParser(prog="bench_import_corpus", description=__doc__)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--part", choices=("tuned", "heldback", "all"), default="all")
    parser.add_argument("--details", action="store_true", help="list misses (tuned part only)")
    parser.add_argument(
        "--only", nargs="+", metavar="ID", help="score only these documents (e.g. new ones)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    scores = score_corpus(args.part)
    if args.only:
        wanted = set(args.only)
        scores = {part: [s for s in items if s.doc_id in wanted] for part, items in scores.items()}
    elapsed = time.perf_counter() - started
    if args.json:
        out = {
            part: {
                "totals": totals(items).to_dict(),
                # Held-back documents are reported in total only.
                "documents": []
                if part == "heldback"
                else [s.to_dict(details=args.details) for s in items],
            }
            for part, items in scores.items()
            if items or args.part in (part, "all")
        }
        out["seconds"] = round(elapsed, 2)
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for part, items in scores.items():
        if args.part in (part, "all"):
            _print_part(
                part, items, per_document=part == "tuned", details=args.details and part == "tuned"
            )
    print(f"\n{elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

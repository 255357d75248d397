"""Benchmark: unit matching among 10,000 units, and deadline parsing of hostile long input.

Run: .venv/bin/python -m tests.bench.bench_parsing

The tests check that these give the right answers (tests/store/test_registry_*.py,
tests/store/test_deadlines_*.py); the time they take is printed here, never asserted in a test
(a busy machine would fail it). Reference points on an idle 2-core machine: a match well under
10 ms; each 20,000-fold repetitive deadline well under 5 s (a regex that backtracks takes
minutes).
"""

from __future__ import annotations

import random
import statistics
import time

from store.deadlines import normalise_deadline
from store.models import UnitKind
from store.registry import UnitRegistry
from store.units import UnitRecord, seed_records

QUERIES = [
    "Bộ Côngan",
    "Cuc Kiem soat TTHC",
    "Ha Noj",
    "Xã Bình Minh",
    "Trung tâm Hoa Binh",
    "Phòng Kế toán Công ty ABC",
    "Bộ Công",
    "Bộ Tư pháp",
]
REPEATED = ["trước ngày trong đến ", "1/", "tháng ", "quý ", "6 tháng đầu ", "2025-", "hằng "]


def crowded_registry(size: int = 10_000) -> UnitRegistry:
    """The seed registry padded with invented centres up to `size` units."""
    rng = random.Random(57)
    syllables = ["an", "binh", "cong", "dai", "dong", "giang", "hoa", "hung", "lam", "minh", "phu"]
    records = seed_records()
    provinces = [r.code for r in records if r.kind == UnitKind.PROVINCE]
    for n in range(size - len(records)):
        words = " ".join(rng.choice(syllables).title() for _ in range(rng.randint(2, 4)))
        records.append(
            UnitRecord(
                f"t-{n}", f"Trung tâm {words} {n}", None, UnitKind.OTHER, rng.choice(provinces)
            )
        )
    return UnitRegistry.from_records(records)


def main() -> None:
    """Print the median time of a match, and each long deadline's parsing time."""
    registry = crowded_registry()
    registry.match(QUERIES[0])  # warm up
    times = []
    for _ in range(20):
        for q in QUERIES:
            t0 = time.perf_counter()
            registry.match(q)
            times.append(time.perf_counter() - t0)
    print(
        f"unit match among {len(registry):,} units: median {statistics.median(times) * 1e3:.2f} "
        f"ms, max {max(times) * 1e3:.2f} ms"
    )
    for unit in REPEATED:
        text = unit * 20_000
        t0 = time.perf_counter()
        normalise_deadline(text)
        print(f"deadline {unit.strip()!r} × 20,000: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()

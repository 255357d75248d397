"""Benchmark: how long the `nhacviec` command line takes to start, and what it imports.

Run: .venv/bin/python -m tests.bench.bench_startup [--runs 3] [--json]

Three start-ups, each in a fresh interpreter with `-X importtime`, against a throw-away SQLite
file: `nhacviec --help`, `nhacviec import --dry-run` of 230/QĐ-VPCP, and `nhacviec demo` up to
its first prompt (the demo reads `/quit` at once). For each it prints the wall time and CPU time
of the process (best of `--runs`), the total import time, the heaviest top-level packages and
whether the heavy optional ones (matplotlib, openpyxl, docx, telegram, pdfplumber/pdfminer)
were imported at all. Figures are for comparison between runs on one machine, not targets.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIRECTIVE = ROOT / "tests" / "store" / "fixtures" / "directives" / "qd230-vpcp-2025.txt"
HEAVY = (
    "matplotlib",
    "numpy",
    "openpyxl",
    "docx",
    "telegram",
    "pdfplumber",
    "pdfminer",
    "apscheduler",
    "alembic",
)
OURS = frozenset({"bot", "handlers", "scheduler", "store", "tests"})
_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")
_ENTRY = "import sys; from bot.cli import main; sys.exit(main(sys.argv[1:]))"
# What `nhacviec` imported up front before the CLI imported lazily: every command's module,
# and through them matplotlib and APScheduler (`--eager` measures that again, for comparison).
EAGER = (
    "bot.broadcast_cli",
    "bot.commands",
    "bot.import_cli",
    "bot.ops",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "apscheduler.schedulers.asyncio",
    "apscheduler.triggers.cron",
)


@dataclass
class Run:
    """One start-up measured."""

    wall_s: float
    cpu_s: float
    import_s: float
    top: list[tuple[str, float]] = field(default_factory=list)
    heavy: list[str] = field(default_factory=list)
    status: int = 0


def _imports(stderr: str) -> tuple[float, list[tuple[str, float]], list[str]]:
    """Total import time (s), third-party packages by cumulative time, heavy ones seen."""
    top: dict[str, float] = {}
    total = 0.0
    seen: set[str] = set()
    for line in stderr.splitlines():
        m = _LINE.match(line)
        if m is None:
            continue
        cumulative, indent, name = int(m.group(2)), len(m.group(3)), m.group(4)
        root = name.split(".")[0]
        seen.add(root)
        if indent <= 1:  # a top-level import (nested ones are indented further)
            total += cumulative / 1e6
        if name == root and root not in OURS:  # a package's own import, wherever it happens
            top[root] = max(top.get(root, 0.0), cumulative / 1e6)
    ranked = sorted(top.items(), key=lambda kv: -kv[1])
    return total, ranked[:6], [h for h in HEAVY if h in seen]


def measure(args: list[str], env: dict[str, str], stdin: str = "", *, eager: bool = False) -> Run:
    """Start `nhacviec ARGS` once with -X importtime; return its figures."""
    entry = (f"import {', '.join(EAGER)}; " if eager else "") + _ENTRY
    before = os.times()
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", entry, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    wall = time.perf_counter() - t0
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    total, top, heavy = _imports(proc.stderr)
    if proc.returncode:
        errors = [ln for ln in proc.stderr.splitlines() if not ln.startswith("import time:")]
        print(f"nhacviec {' '.join(args)}: exit {proc.returncode}", *errors[-5:], sep="\n")
    return Run(wall, cpu, total, top, heavy, proc.returncode)


def scenarios(db: Path) -> dict[str, tuple[list[str], str]]:
    """The start-ups measured: name → (arguments, standard input)."""
    return {
        "help": (["--help"], ""),
        "import_dry_run": (["import", "--dry-run", str(DIRECTIVE)], ""),
        "demo_first_prompt": (["demo"], "/quit\n"),
    }


def main() -> None:
    """Measure each start-up `--runs` times and print the best run of each."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--eager",
        action="store_true",
        help="import what the CLI imported up front before it turned lazy (a comparison)",
    )
    opts = p.parse_args()
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}")
        for k in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "ZALO_OA_APP_ID"):
            env.pop(k, None)
        measure(["db", "upgrade"], env)  # the schema exists before anything is timed
        for name, (args, stdin) in scenarios(db).items():
            runs = [measure(args, env, stdin, eager=opts.eager) for _ in range(opts.runs)]
            best = min(runs, key=lambda r: r.cpu_s)
            results[name] = {
                "wall_s": round(min(r.wall_s for r in runs), 3),
                "cpu_s": round(best.cpu_s, 3),
                "import_s": round(best.import_s, 3),
                "heavy_imported": best.heavy,
                "top_imports": [[n, round(s, 3)] for n, s in best.top],
                "exit_status": best.status,
            }
    if opts.json:
        print(json.dumps(results, indent=2))
        return
    for name, r in results.items():
        print(
            f"{name:<18} wall {r['wall_s']:.2f} s  cpu {r['cpu_s']:.2f} s  "
            f"imports {r['import_s']:.2f} s  exit {r['exit_status']}"
        )
        print(f"{'':<18} heavy: {', '.join(r['heavy_imported']) or 'none'}")  # type: ignore[arg-type]
        tops = ", ".join(f"{n} {s:.2f}" for n, s in r["top_imports"])  # type: ignore[union-attr]
        print(f"{'':<18} top:   {tops}")


if __name__ == "__main__":
    main()

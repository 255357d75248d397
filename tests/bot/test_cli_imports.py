"""Start-up imports only what a command uses (issue 11: fast start).

Each check runs in a fresh interpreter, since this test process has everything imported
already. Timings are not asserted here (they belong in tests/bench/bench_startup.py): what
is checked is the import graph, which does not depend on how busy the machine is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("matplotlib", "numpy", "openpyxl", "docx", "telegram", "apscheduler", "alembic")


def _loaded(code: str) -> set[str]:
    """Top-level packages loaded after running `code` in a fresh interpreter."""
    report = "import sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    probe = f"{code}\n{report}"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


@pytest.mark.parametrize(
    ("module", "allowed"),
    [
        ("bot.cli", set()),
        ("bot.import_cli", set()),  # `nhacviec import --dry-run`
        ("bot.ops", set()),  # remind, digest, score, export
        ("bot.broadcast_cli", set()),
        ("bot.demo", {"apscheduler"}),  # the demo runs the scheduler service
        ("scheduler.scoreboard", set()),  # the chart is drawn only when a scoreboard is sent
    ],
)
def test_heavy_packages_are_not_imported_up_front(module, allowed):
    loaded = _loaded(f"import {module}")
    assert module.split(".")[0] in loaded
    assert set(HEAVY) & loaded <= allowed


def test_drawing_a_chart_imports_matplotlib_then():
    code = (
        "from scheduler.chart import Bar, scoreboard_png\n"
        "assert scoreboard_png([Bar('Bộ A', 90.0)], title='t', xlabel='x')[:4] == b'\\x89PNG'"
    )
    assert "matplotlib" in _loaded(code)


def test_an_up_to_date_database_opens_without_alembic(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    first = (
        "import asyncio\nfrom store.db import make_engine, upgrade\n"
        f"e = make_engine({url!r})\nasyncio.run(upgrade(e))\n"
    )
    assert "alembic" in _loaded(first)  # a new database is migrated by Alembic
    assert "alembic" not in _loaded(first)  # the second start finds it current

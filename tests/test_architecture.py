"""The house rules hold for the project, and the check itself notices when one is broken."""

from __future__ import annotations

from pathlib import Path

from tests.architecture import cycles, import_violations, load, size_violations

ROOT = Path(__file__).resolve().parent.parent


def test_layers_sql_and_platform_libraries_stay_where_they_belong() -> None:
    assert import_violations(load(ROOT)) == []


def test_no_import_cycles() -> None:
    assert cycles(load(ROOT)) == []


def test_modules_and_functions_stay_small() -> None:
    # The tests are code too: the same limits hold for them.
    assert size_violations(load(ROOT) | load(ROOT, ("tests",))) == []


def _tree(root: Path, files: dict[str, str]) -> Path:
    for package in ("store", "handlers", "scheduler", "bot"):
        (root / package).mkdir(parents=True, exist_ok=True)
        (root / package / "__init__.py").write_text("")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_check_catches_each_kind_of_broken_rule(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "handlers/sql.py": "def f():\n    from sqlalchemy import select\n",
            "store/up.py": "from handlers import sql\n",
            "scheduler/tg.py": "import telegram\n",
            "bot/channels/__init__.py": "",
            "bot/channels/db.py": "from store.up import x\n",
            "bot/web.py": "from aiohttp import ClientSession\n",
            "bot/channels/http.py": "from aiohttp import ClientSession\n",
            "store/a.py": "from store import b\n",
            "store/b.py": "def g():\n    import store.a\n",
            "store/long.py": "def h():\n" + "    x = 1\n" * 80 + "\n" * 330,
        },
    )
    modules = load(root)
    broken = "\n".join(import_violations(modules))
    assert "handlers/sql.py:2: imports sqlalchemy" in broken
    assert "store/up.py:1: store/ imports handlers (layer)" in broken
    assert "scheduler/tg.py:1: imports telegram" in broken
    assert "bot/channels/db.py:1: imports store.up" in broken
    assert "bot/web.py:1: imports aiohttp.ClientSession" in broken
    assert "bot/channels/http.py" not in broken
    assert cycles(modules) == [["store.a", "store.b"]]
    sizes = size_violations(modules)
    assert sizes == [
        "store/long.py: 411 lines > 400",
        "store/long.py:1: h() 81 lines > 80",
    ]

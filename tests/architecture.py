"""The house rules as a check: layers, where SQL and platform libraries may be imported, import
cycles, and the size of modules and functions (read from the source with `ast`, nothing imported).

The same import rules are in the `ruff.toml` of each top-level package (`banned-api`), so an editor
shows them as they are broken; this check is the one that cannot be switched off by a config edit,
and it also covers what ruff cannot see (cycles, lazy imports, sizes).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("store", "handlers", "scheduler", "bot")
# A package may import the ones before it, never the ones after it.
LAYERS = {name: rank for rank, name in enumerate(PACKAGES)}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80
EXEMPT_FROM_SIZES = ("store/migrations/",)


@dataclass(frozen=True)
class Module:
    """One project module: its dotted name, its path relative to the root, and its syntax tree."""

    name: str
    path: str
    tree: ast.Module
    lines: int


@dataclass(frozen=True)
class Imported:
    """One imported name as written (`a.b.c` for `from a.b import c`), and where."""

    target: str
    line: int


def load(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, Module]:
    """Every module of `packages` (by default the four of the application) under `root`."""
    found: dict[str, Module] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            name = rel[:-3].replace("/", ".")
            name = name.removesuffix(".__init__")
            text = path.read_text(encoding="utf-8")
            found[name] = Module(name, rel, ast.parse(text), len(text.splitlines()))
    return found


def imports(module: Module) -> Iterator[Imported]:
    """Everything a module imports, at any depth (lazy and TYPE_CHECKING imports included)."""
    package = (
        module.name if module.path.endswith("__init__.py") else module.name.rpartition(".")[0]
    )
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Imported(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            yield Imported(base, node.lineno)
            for alias in node.names:
                yield Imported(f"{base}.{alias.name}", node.lineno)


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


# (who, what, why): modules under `who` must not import `what` (a module or package prefix).
# `who` ending in "/" is a folder; ALLOWED lists the exceptions by folder.
FORBIDDEN: tuple[tuple[str, str, str], ...] = (
    ("handlers", "sqlalchemy", "queries live in store/"),
    ("scheduler", "sqlalchemy", "queries live in store/"),
    ("bot", "sqlalchemy", "queries live in store/"),
    ("handlers", "telegram", "only bot.channels.telegram talks to Telegram"),
    ("scheduler", "telegram", "only bot.channels.telegram talks to Telegram"),
    ("store", "telegram", "only bot.channels.telegram talks to Telegram"),
    ("bot", "telegram", "only bot.channels.telegram talks to Telegram"),
    ("handlers", "aiohttp", "only bot/ talks HTTP"),
    ("scheduler", "aiohttp", "only bot/ talks HTTP"),
    ("store", "aiohttp", "only bot/ talks HTTP"),
    ("bot", "aiohttp.ClientSession", "only channels call platform APIs"),
    ("bot.channels", "store", "channels hold no database access"),
)
ALLOWED: dict[tuple[str, str], tuple[str, ...]] = {
    ("bot", "telegram"): ("bot.channels.telegram",),
    ("bot", "aiohttp.ClientSession"): ("bot.channels",),
}


def import_violations(modules: dict[str, Module]) -> list[str]:
    """Imports that break the layers or the rules of FORBIDDEN."""
    found: dict[tuple[str, str], str] = {}  # (place, rule) -> the first name that broke it
    for module in modules.values():
        rank = LAYERS[_top(module.name)]
        for imported in imports(module):
            top = _top(imported.target)
            where = f"{module.path}:{imported.line}"
            if top in LAYERS and LAYERS[top] > rank:
                found.setdefault(
                    (where, "layer"), f"{_top(module.name)}/ imports {imported.target}"
                )
            for who, what, why in FORBIDDEN:
                if not (_within(module.name, who) and _within(imported.target, what)):
                    continue
                if any(_within(module.name, ok) for ok in ALLOWED.get((who, what), ())):
                    continue
                found.setdefault((where, why), f"imports {imported.target}")
    return sorted(f"{where}: {what} ({why})" for (where, why), what in found.items())


def cycles(modules: dict[str, Module]) -> list[list[str]]:
    """Import cycles between project modules (every import counts, lazy ones too)."""
    graph: dict[str, set[str]] = {
        name: {i.target for i in imports(m) if i.target in modules and i.target != name}
        for name, m in modules.items()
    }
    # Tarjan's strongly connected components, iterative.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def size_violations(modules: dict[str, Module]) -> list[str]:
    """Modules over MAX_MODULE_LINES and functions over MAX_FUNCTION_LINES (migrations exempt)."""
    found: list[str] = []
    for module in modules.values():
        if module.path.startswith(EXEMPT_FROM_SIZES):
            continue
        if module.lines > MAX_MODULE_LINES:
            found.append(f"{module.path}: {module.lines} lines > {MAX_MODULE_LINES}")
        for node in ast.walk(module.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(
                        f"{module.path}:{node.lineno}: {node.name}() {length} lines"
                        f" > {MAX_FUNCTION_LINES}"
                    )
    return sorted(found)


if __name__ == "__main__":  # `python -m tests.architecture`: every broken rule, one per line
    project = load(Path(__file__).resolve().parent.parent)
    tests = load(Path(__file__).resolve().parent.parent, ("tests",))
    for line in import_violations(project) + size_violations(project | tests):
        print(line)
    for cycle in cycles(project):
        print("cycle: " + " <-> ".join(cycle))

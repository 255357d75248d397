"""Rewrite the "## Documents" section of the corpus README from the expected JSON files.

Run: ``python -m tests.store.corpus_table [--check]``. The section (from its heading to the
end of the README) is a summary line and one table row per labelled document: id, number,
issuer, issue date, the start of its shape, its task count, its part (README split rule) and
the repository its text comes from. ``--check`` only reports whether the README is current.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.store.corpus_score import CORPUS, LABEL_SUFFIX, is_held_back

README = CORPUS / "README.md"
HEADING = "## Documents"
_SHAPE_WIDTH = 67  # characters of the shape shown before the ellipsis
_REPO = re.compile(r"github:?\s+([\w.-]+/[\w.-]+)")


def load_labels(corpus: Path = CORPUS) -> list[dict[str, Any]]:
    """Every expected JSON of the corpus, sorted by document id."""
    paths = sorted(corpus.glob(f"*{LABEL_SUFFIX}"))
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def _cell(value: object) -> str:
    text = "—" if value in (None, "") else re.sub(r"\s+", " ", str(value)).strip()
    return text.replace("|", "\\|")


def _shape(shape: str) -> str:
    shape = re.sub(r"\s+", " ", shape).strip()
    return shape if len(shape) <= _SHAPE_WIDTH + 1 else shape[:_SHAPE_WIDTH] + "…"


def _repository(source: str) -> str:
    match = _REPO.search(source)
    return match.group(1) if match else "—"


def _summary(labels: list[dict[str, Any]]) -> str:
    held = [x for x in labels if is_held_back(x["id"])]
    tuned = [x for x in labels if not is_held_back(x["id"])]
    tasks = sum(len(x["tasks"]) for x in labels)
    kinds = Counter(x["issuer_kind"] for x in labels).most_common()
    years = Counter((x["directive"].get("issued_on") or "?")[:4] for x in labels)
    year_list = sorted(years.items(), key=lambda kv: (kv[0] == "?", kv[0]))
    return (
        f"{len(labels)} documents, {tasks} tasks: tuned {len(tuned)} documents / "
        f"{sum(len(x['tasks']) for x in tuned)} tasks, held back {len(held)} / "
        f"{sum(len(x['tasks']) for x in held)}. Issuer kinds: "
        + ", ".join(f"{kind} {n}" for kind, n in kinds)
        + ". Years: "
        + ", ".join(f"{year} {n}" for year, n in year_list)
        + ". The full source (repository, path, commit) of each is in its `source` field."
    )


def _row(label: dict[str, Any]) -> str:
    directive = label["directive"]
    cells = [
        f"`{label['id']}`",
        _cell(directive.get("number")),
        _cell(directive.get("issuer")),
        _cell(directive.get("issued_on")),
        _cell(_shape(label.get("shape", ""))),
        str(len(label["tasks"])),
        "held back" if is_held_back(label["id"]) else "tuned",
        _cell(_repository(label.get("source", ""))),
    ]
    return "| " + " | ".join(cells) + " |"


def render(labels: list[dict[str, Any]]) -> str:
    """The whole "## Documents" section, heading included, ending with a newline."""
    lines = [
        HEADING,
        "",
        _summary(labels),
        "",
        "| id | number | issuer | issued | shape | tasks | part | source |",
        "|---|---|---|---|---|---|---|---|",
        *(_row(label) for label in labels),
    ]
    return "\n".join(lines) + "\n"


def rewrite(readme_text: str, section: str) -> str:
    """The README with its "## Documents" section (to the end of the file) replaced."""
    start = readme_text.find(f"\n{HEADING}\n")
    if start < 0:
        return readme_text.rstrip("\n") + "\n\n" + section
    return readme_text[: start + 1] + section


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate (or with ``--check`` verify) the README's document table."""
    parser = argparse.ArgumentParser(prog="corpus_table", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if the README is stale")
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    updated = rewrite(current, render(load_labels()))
    if args.check:
        stale = updated != current
        print("README table is stale" if stale else "README table is current")
        return int(stale)
    if updated != current:
        README.write_text(updated, encoding="utf-8")
    print(f"{README}: {len(load_labels())} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main())

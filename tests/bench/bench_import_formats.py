"""What the importer loses when a corpus directive arrives as .docx, a text PDF or a scan.

Run: ``python -m tests.bench.bench_import_formats [--only ID ...] [--formats docx,pdf,scan]
[--scan N] [--details] [--save DIR] [--jobs N]``.

Every corpus document (``tests/store/fixtures/corpus``, stored as text) is rendered as the files
officials receive (`tests.bench.format_render`): a Word file, a text-layer PDF (A4, justified
and wrapped paragraphs, ruled tables whose rows may split across pages, page numbers) and, for
a small sample (``--scan N``: the N shortest tuned documents with at least three labelled
tasks, among those of ``--only`` if given), an image-only PDF of that PDF at 300 dpi that goes
through OCR. Each rendering is scored like the text (`tests.store.corpus_score.score_file`: same
extraction, same matcher, same labels).

Prints, for the tuned and the held-back part and per format: documents, labelled tasks, exact
% (lead set, due date and kind right), invented %, cooperating-unit accuracy %, and the
difference to the text form of the same documents (in points). Tuned documents also get one
line each (exact / invented per format); held-back documents are shown only in the totals.
``--details`` lists, for tuned documents, the labelled tasks exact in the text but not in a
format (ref, title start, and what the format gave instead). ``--save DIR`` writes the
renderings of tuned documents there, for a look at what the readers make of them.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from store.importing.readers import read_document
from tests.bench.format_pdf import to_pdf, to_scan
from tests.bench.format_render import blocks, to_docx
from tests.store.corpus_score import (
    CORPUS,
    DocScore,
    Totals,
    corpus_ids,
    document_path,
    is_held_back,
    score_document,
    score_file,
    totals,
)

FORMATS = ("docx", "pdf", "scan")


def scan_sample(ids: Sequence[str], count: int) -> list[str]:
    """The `count` shortest tuned documents of `ids` (by file size) with three labelled tasks
    or more."""
    sized = []
    for doc_id in ids:
        if is_held_back(doc_id):
            continue
        labels = json.loads((CORPUS / f"{doc_id}.expected.json").read_text(encoding="utf-8"))
        path = document_path(doc_id)
        if path is not None and len(labels.get("tasks", [])) >= 3:
            sized.append((path.stat().st_size, doc_id))
    return [doc_id for _size, doc_id in sorted(sized)[:count]]


_ORIGINALS = (".docx", ".pdf")


def _as_text(path: Path) -> str:
    """The document's text as a reader sees it (a saved web page through the HTML reader)."""
    if path.suffix.lower() in (".htm", ".html"):
        return "\n".join(read_document(path.read_bytes(), path.name).lines)
    return path.read_bytes().decode("utf-8", errors="replace")


def score_formats(doc_id: str, formats: Sequence[str], save: str = "") -> dict[str, DocScore]:
    """The document's scores as text and in each of `formats` (``docx``, ``pdf``, ``scan``)."""
    logging.getLogger("fpdf").setLevel(logging.ERROR)  # (emoji the DejaVu fonts lack)
    out = {"text": score_document(doc_id)}
    path = document_path(doc_id)
    if path is None or path.suffix.lower() in _ORIGINALS:
        return out  # a .docx or .pdf as officials received it is scored as it is, not rendered
    doc = blocks(_as_text(path))
    files: dict[str, tuple[bytes, str]] = {}
    for name in formats:
        try:
            if name == "docx":
                files[name] = (to_docx(doc), f"{doc_id}.docx")
            elif name == "pdf" or name == "scan":
                pdf = to_pdf(doc)
                files[name] = (pdf if name == "pdf" else to_scan(pdf), f"{doc_id}-{name}.pdf")
        except Exception as exc:  # a rendering failure is reported, not fatal
            out[name] = DocScore(doc_id, is_held_back(doc_id), "", error=f"render: {exc!r}")
            out[name].expected = out["text"].expected
    for name, (data, filename) in files.items():
        out[name] = score_file(doc_id, data, filename)
        if save and not is_held_back(doc_id):
            Path(save, filename).write_bytes(data)
    return out


def _label_key(miss: dict) -> tuple[str, str]:
    label = miss.get("label") or {}
    return str(label.get("ref", "")), str(label.get("title", ""))


def lost_tasks(text: DocScore, other: DocScore) -> list[dict]:
    """Labelled tasks exact in the text form but not in another rendering (its misses)."""
    not_exact = {_label_key(m) for m in text.misses if m["kind"] != "invented"}
    return [m for m in other.misses if m["kind"] != "invented" and _label_key(m) not in not_exact]


def _pct(value: float) -> str:
    return f"{value * 100:5.1f}"


def _delta(value: float, base: float) -> str:
    return f"{(value - base) * 100:+5.1f}"


def _print_totals(part: str, results: dict[str, dict[str, DocScore]], formats: list[str]) -> None:
    print(
        f"{'format':<6} {'docs':>4} {'labels':>6} {'exact%':>6} {'inv%':>5} {'coop%':>5}"
        f"  {'Δexact':>6} {'Δinv':>5} {'Δcoop':>5}  refused"
    )
    for name in ["text", *formats]:
        ids = [i for i, scores in results.items() if name in scores]
        if not ids:
            continue
        mine: Totals = totals(results[i][name] for i in ids)
        base: Totals = totals(results[i]["text"] for i in ids)
        deltas = (
            ""
            if name == "text"
            else f"  {_delta(mine.exact_rate, base.exact_rate):>6}"
            f" {_delta(mine.invented_rate, base.invented_rate):>5}"
            f" {_delta(mine.cooperating_rate, base.cooperating_rate):>5}"
        )
        print(
            f"{name:<6} {mine.documents:>4} {mine.expected:>6} {_pct(mine.exact_rate):>6}"
            f" {_pct(mine.invented_rate):>5} {_pct(mine.cooperating_rate):>5}"
            f"{deltas or ' ' * 20}  {mine.errors}"
        )
    print(f"({part}: differences in points against the text form of the same documents)")


def _print_documents(results: dict[str, dict[str, DocScore]], formats: list[str], details: bool):
    names = ["text", *formats]
    print(f"{'document':<28} {'labels':>6} " + " ".join(f"{n + ' ex/inv':>13}" for n in names))
    for doc_id, scores in results.items():
        text = scores["text"]
        cells = [
            f"{scores[n].exact:>5}/{scores[n].invented:<3}{'!' if scores[n].error else ' ':>4}"
            if n in scores
            else f"{'-':>13}"
            for n in names
        ]
        print(f"{doc_id:<28} {text.expected:>6} " + " ".join(f"{c:>13}" for c in cells))
        for name in formats if details else ():
            if name not in scores:
                continue
            if scores[name].error:
                print(f"    {name}: refused: {scores[name].error}")
            for miss in lost_tasks(text, scores[name]):
                label = miss["label"]
                got = miss.get("found")
                what = (
                    "not found"
                    if got is None
                    else f"{'/'.join(miss.get('why', []))}: lead {got['lead']}, due {got['due']}"
                    f" {got['kind']}"
                )
                print(f"    {name}: lost {label['ref']!s:<10} {label['title'][:55]!r} -> {what}")


def main(argv: Sequence[str] | None = None) -> int:
    """Render the corpus in each format, score every rendering and print the figures."""
    parser = argparse.ArgumentParser(prog="bench_import_formats", description=__doc__)
    parser.add_argument("--only", nargs="+", metavar="ID", help="these corpus documents only")
    parser.add_argument("--formats", default=",".join(FORMATS), help="docx,pdf,scan")
    parser.add_argument("--scan", type=int, default=3, help="documents to scan (default 3)")
    parser.add_argument("--details", action="store_true", help="tasks lost per format (tuned)")
    parser.add_argument("--save", default="", help="write tuned documents' renderings here")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args(argv)
    formats = [f for f in FORMATS if f in args.formats.split(",")]
    ids = args.only or corpus_ids("all")
    scanned = set(scan_sample(ids, args.scan)) if "scan" in formats else set()
    if args.save:
        Path(args.save).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {
            doc_id: pool.submit(
                score_formats,
                doc_id,
                [f for f in formats if f != "scan" or doc_id in scanned],
                args.save,
            )
            for doc_id in ids
        }
        results = {doc_id: future.result() for doc_id, future in futures.items()}
    for part, held in (("tuned", False), ("heldback", True)):
        mine = {i: s for i, s in results.items() if is_held_back(i) == held}
        if not mine:
            continue
        print(f"\n== {part} ({len(mine)} documents)")
        if not held:  # held-back documents are reported in total only
            _print_documents(mine, formats, args.details)
            print()
        _print_totals(part, mine, formats)
    print(f"\n{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`nhacviec import FILE [--dry-run | --draft] [--json] [--number N]`: parse and print.

Without options the import goes live at once (operators run it non-interactively; saved
review corrections are applied as in the chat). `--dry-run` writes nothing and shows, per
task, what a reviewer should check; `--draft` stores a draft that an admin reviews and
confirms in the chat (`/import` lists it). The work itself is in `store`.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, datetime

from tqdm import tqdm

from bot.app import open_app
from bot.config import Settings
from store.actions import CLI, Actor, directives
from store.actions.directives import DraftSummary, ImportFormatError
from store.importer import ImportResult

logger = logging.getLogger(__name__)


async def import_file(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec import FILE [--dry-run | --draft] [--json] [--number N]`."""
    path = args.file
    if not path.is_file():
        print(f"nhacviec: no such file: {path}", file=sys.stderr)
        return 1
    if path.stat().st_size > settings.max_upload_bytes:
        print(
            f"nhacviec: {path.name} is larger than {settings.max_upload_bytes} bytes",
            file=sys.stderr,
        )
        return 1
    data = path.read_bytes()
    parsed = await directives.read_file(data, path.name, max_bytes=settings.max_upload_bytes)
    if isinstance(parsed, ImportFormatError):
        print(f"nhacviec: cannot import {path.name}: {parsed} ({parsed.code})", file=sys.stderr)
        return 1
    if args.number:
        parsed.number = args.number
    async with open_app(settings) as app, app.sessionmaker() as session, session.begin():
        bar = tqdm(
            total=len(parsed.tasks),
            desc=parsed.number or path.name,
            unit="task",
            disable=args.json or args.draft or not sys.stderr.isatty(),
            file=sys.stderr,
        )
        with bar:
            done = await directives.import_file(
                session,
                actor=Actor(None, CLI),
                parsed=parsed,
                now=datetime.now(UTC),
                source_name=path.name,
                digest=directives.source_hash(data),
                draft=args.draft,
                dry_run=args.dry_run,
                progress=bar.update,
            )
    if done.draft is not None:
        return _print_draft(done.draft, done.result, as_json=args.json)
    if args.json:
        print(json.dumps(done.result.to_json(), ensure_ascii=False, indent=2))
        return 0
    _print_result(done.result, dry_run=args.dry_run)
    return 0


def _print_draft(draft: DraftSummary, result: ImportResult, *, as_json: bool) -> int:
    info = {
        "id": draft.id,
        "number": draft.number,
        "expires_at": draft.expires_at.isoformat(),
        "tasks": draft.tasks,
        "to_check": draft.to_check,
    }
    if as_json:
        print(json.dumps({"draft": info, **result.to_json()}, ensure_ascii=False, indent=2))
        return 0
    print(
        f"draft #{info['id']} of {info['number']}: {info['tasks']} tasks, "
        f"{info['to_check']} to check"
    )
    print(
        f"nothing is live yet: an admin reviews and confirms it in the chat (/import) "
        f"before {info['expires_at'][:10]}"
    )
    _print_tasks(result)
    return 0


def _print_result(result: ImportResult, *, dry_run: bool) -> None:
    number = result.directive["number"]
    verb = "would import" if dry_run else "imported"
    print(f"{verb} {number}: {len(result.tasks)} tasks, {result.assignments} assignments")
    if not dry_run:
        print(f"  {result.created_tasks} new, {result.updated_tasks} updated")
    _print_tasks(result)
    if result.unresolved:
        print("units not recognised:")
        for item in result.unresolved:
            print(f"  {item.text!r} → nearest: {', '.join(item.candidates) or '-'}")
    if result.vague:
        print("not assigned (no identifiable unit): " + "; ".join(result.vague))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)


def _print_tasks(result: ImportResult) -> None:
    """One line per task, its flags under it, then the summary line."""
    for task in result.tasks:
        due = task.due.isoformat() if task.due else task.kind
        lead = ", ".join(task.lead_units) or ", ".join(task.lead) or "?"
        print(f"  {task.ref:<10} {due:<12} {lead[:50]:<50} {task.title[:60]}")
        notes = list(task.flags)
        if task.corrected:
            notes.append("corrected: " + ", ".join(task.corrected))
        if notes:
            print(f"  {'':<10} ! {'; '.join(notes)}")
    if result.dropped:
        print(f"  left out by a review: {', '.join(result.dropped)}")
    print(f"{len(result.tasks)} tasks, {result.to_check} to check")

"""The `nhacviec` command line."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings

logger = logging.getLogger(__name__)

#: Each command's coroutine, as (module, function), imported when the command runs.
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("bot.commands", "demo"),
    "run": ("bot.commands", "run"),
    "db": ("bot.commands", "db_upgrade"),
    "import": ("bot.import_cli", "import_file"),
    "units": ("bot.commands", "units"),
    "invite": ("bot.commands", "invite"),
    "remind": ("bot.ops", "remind"),
    "digest": ("bot.ops", "digest"),
    "export": ("bot.ops", "export"),
    "score": ("bot.ops", "score"),
    "broadcast": ("bot.broadcast_cli", "broadcast"),
    "web": ("bot.web_cli", "serve_web"),
    "web-link": ("bot.web_cli", "web_link"),
    "daily-report": ("bot.report_cli", "daily_report"),
    "rollup": ("bot.report_cli", "rollup"),
}
LANGS = ("vi", "en")
LANG_HELP = "language of the output (default: NHACVIEC_LANG, else vi)"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="nhacviec", description="Nhắc việc: directive task reminders over chat."
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = p.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="chat in the terminal with sample data (no token needed)")
    demo.add_argument(
        "--unit",
        default="vpcp-cuc-kiem-soat-tthc",
        help="the demo user's unit: a name, abbreviation or code",
    )
    demo.add_argument("--lang", choices=["vi", "en"], default=None)

    sub.add_parser("run", help="run the channels (and the scheduler)")

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="migrate the schema to the newest version")

    imp = sub.add_parser(
        "import", help="import a directive (.txt, .docx, .pdf, .html, .xlsx, .csv)"
    )
    imp.add_argument("file", type=Path)
    mode = imp.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="show what would be imported")
    mode.add_argument(
        "--draft", action="store_true", help="store a draft for an admin to review in the chat"
    )
    imp.add_argument("--json", action="store_true", help="print machine-readable output")
    imp.add_argument("--number", help="directive number, when the file does not state it")

    parse = sub.add_parser("parse", help="show how a chat message is understood")
    parse.add_argument("text")
    parse.add_argument("--today", type=date.fromisoformat, default=None)
    parse.add_argument("--json", action="store_true")

    units = sub.add_parser("units", help="search the unit registry")
    units.add_argument("query", nargs="?", default="")
    units.add_argument("--json", action="store_true")
    units.add_argument("--limit", type=int, default=10)

    inv = sub.add_parser("invite", help="create an invite code for a unit")
    inv.add_argument("--unit", required=True, help="unit name, abbreviation or code")
    inv.add_argument("--role", choices=["officer", "head", "admin"], default="officer")
    inv.add_argument("--uses", type=int, default=1, help="how many people may use it")
    inv.add_argument("--days", type=int, default=14, help="days until it expires")
    inv.add_argument("--json", action="store_true")
    _add_ops(sub)
    _add_broadcast(sub)
    _add_web(sub)
    _add_reports(sub)
    return p


def _add_reports(sub: argparse._SubParsersAction) -> None:
    """`daily-report` and `rollup` (bot.report_cli): the compiled documents, to files."""
    from bot.report_cli import add_report_commands

    add_report_commands(sub)


def _add_web(sub: argparse._SubParsersAction) -> None:
    """`web` and `web-link` (bot.web_cli): the dashboard alone, a one-time sign-in link."""
    sub.add_parser("web", help="serve the web dashboard alone (no chat channels)")
    link = sub.add_parser("web-link", help="print a one-time dashboard sign-in link")
    link.add_argument("--user", required=True, help="CHANNEL:ID, e.g. telegram:123456")


def _add_broadcast(sub: argparse._SubParsersAction) -> None:
    """`broadcast` (bot.broadcast_cli): send an announcement, or `status [ID]`."""
    b = sub.add_parser(
        "broadcast", help="send an announcement to officials or groups; `status [ID]` reports"
    )
    b.add_argument("action", nargs="*", metavar="status [ID]", help="show a delivery report")
    b.add_argument("--text", default="", help="the message (plain text)")
    b.add_argument("--file", type=Path, help="a document to attach (e.g. the directive)")
    who = b.add_mutually_exclusive_group()
    who.add_argument("--units", help="unit names, comma-separated (abbreviations work)")
    who.add_argument("--all", action="store_true", help="every linked official")
    who.add_argument("--groups", action="store_true", help="every linked group chat")
    b.add_argument("--import", dest="import_tasks", action="store_true", help="import its tasks")
    b.add_argument("--yes", action="store_true", help="send without asking")
    b.add_argument("--json", action="store_true", help="print machine-readable output")
    b.add_argument("--lang", choices=LANGS, default=None, help=LANG_HELP)


def _add_ops(sub: argparse._SubParsersAction) -> None:
    """The scheduled jobs run by hand, the export and the scores (bot.ops)."""
    now_help = "the moment to run for, ISO (local time unless it has an offset); default now"
    rem = sub.add_parser("remind", help="run the 16:00 reminder now (through the outbox)")
    rem.add_argument("--now", help=now_help)
    rem.add_argument("--nudge", action="store_true", help="the earlier nudge instead")
    rem.add_argument("--show", action="store_true", help="print the messages queued")
    rem.add_argument("--json", action="store_true")
    rem.add_argument("--lang", choices=LANGS, default=None, help=LANG_HELP)
    dig = sub.add_parser("digest", help="run the group digest now (through the outbox)")
    dig.add_argument("--now", help=now_help)
    dig.add_argument("--show", action="store_true", help="print the messages queued")
    dig.add_argument("--json", action="store_true")
    dig.add_argument("--lang", choices=LANGS, default=None, help=LANG_HELP)
    exp = sub.add_parser("export", help="write a unit's tasks and reports to an .xlsx file")
    exp.add_argument("--unit", required=True, help="unit name, abbreviation or code")
    exp.add_argument("--out", required=True, type=Path, help="the .xlsx file to write")
    exp.add_argument("--lang", choices=LANGS, default=None, help=LANG_HELP)
    sc = sub.add_parser("score", help="show a month's scores; --send posts the scoreboard")
    sc.add_argument("--month", help="YYYY-MM (default: last month)")
    sc.add_argument("--unit", help="one unit and its sub-units (default: every unit with work)")
    sc.add_argument("--chart", type=Path, help="also write the chart to this .png file")
    sc.add_argument("--send", action="store_true", help="send it to the oversight groups")
    sc.add_argument("--lang", choices=LANGS, default=None, help=LANG_HELP)
    sc.add_argument("--json", action="store_true")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `nhacviec` console script."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command == "parse":
        return _cmd_parse(args)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"nhacviec: {exc}", file=sys.stderr)
        return 2
    # Only the chosen command's module is imported: start-up stays fast (issue 11).
    module, name = COMMANDS[args.command]
    handler = getattr(importlib.import_module(module), name)
    try:
        return asyncio.run(handler(settings, args))
    except KeyboardInterrupt:
        return 130
    except ConfigError as exc:
        print(f"nhacviec: {exc}", file=sys.stderr)
        return 2


def _cmd_parse(args: argparse.Namespace) -> int:
    from handlers.intents import parse_intent

    today = args.today or datetime.now(_tz()).date()
    intent = parse_intent(args.text, today)
    data = intent.to_json()
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        for key, value in data.items():
            print(f"{key}: {value}")
    return 0


def _tz() -> object:
    try:
        return load_settings().tz
    except ConfigError:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Ho_Chi_Minh")


__all__ = ["Settings", "main"]

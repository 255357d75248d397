"""The `nhacviec` command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings

logger = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="nhacviec", description="Nhắc việc: directive task reminders over chat."
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = p.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="chat in the terminal with sample data (no token needed)")
    demo.add_argument(
        "--unit", default="vpcp-cuc-kiem-soat-tthc", help="unit code of the demo user"
    )
    demo.add_argument("--lang", choices=["vi", "en"], default=None)

    sub.add_parser("run", help="run the channels (and the scheduler)")

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="migrate the schema to the newest version")

    imp = sub.add_parser("import", help="import a directive (.txt, .docx, .xlsx, .csv)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="show what would be imported")
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
    return p


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
    from bot import commands

    handlers = {
        "demo": commands.demo,
        "run": commands.run,
        "db": commands.db_upgrade,
        "import": commands.import_file,
        "units": commands.units,
        "invite": commands.invite,
    }
    try:
        return asyncio.run(handlers[args.command](settings, args))
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

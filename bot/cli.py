"""The `nhacviec` command line."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from bot import event_loop
from bot.config import ConfigError, Settings, load_settings

logger = logging.getLogger(__name__)

#: Translates a help text (identity unless `--help` is asked for).
Translate = Callable[[str], str]

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


def _same(text: str) -> str:
    return text


def _parser(t: Translate = _same) -> argparse.ArgumentParser:
    """The argument parser; `t` translates the help texts (only `--help` shows them)."""
    p = argparse.ArgumentParser(
        prog="nhacviec", description=t("Nhắc việc: directive task reminders over chat.")
    )
    p.add_argument("-v", "--verbose", action="store_true", help=t("log debug messages"))
    sub = p.add_subparsers(dest="command", required=True)

    demo = sub.add_parser(
        "demo", help=t("chat in the terminal with sample data (no token needed)")
    )
    demo.add_argument(
        "--unit",
        default="vpcp-cuc-kiem-soat-tthc",
        help=t("the demo user's unit: a name, abbreviation or code"),
    )
    demo.add_argument("--lang", choices=["vi", "en"], default=None)

    sub.add_parser("run", help=t("run the channels (and the scheduler)"))

    db = sub.add_parser("db", help=t("database maintenance"))
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help=t("migrate the schema to the newest version"))

    imp = sub.add_parser(
        "import", help=t("import a directive (.txt, .docx, .pdf, .html, .xlsx, .csv)")
    )
    imp.add_argument("file", type=Path)
    mode = imp.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help=t("show what would be imported"))
    mode.add_argument(
        "--draft", action="store_true", help=t("store a draft for an admin to review in the chat")
    )
    imp.add_argument("--json", action="store_true", help=t("print machine-readable output"))
    imp.add_argument("--number", help=t("directive number, when the file does not state it"))

    parse = sub.add_parser("parse", help=t("show how a chat message is understood"))
    parse.add_argument("text")
    parse.add_argument("--today", type=date.fromisoformat, default=None)
    parse.add_argument("--json", action="store_true")

    units = sub.add_parser("units", help=t("search the unit registry"))
    units.add_argument("query", nargs="?", default="")
    units.add_argument("--json", action="store_true")
    units.add_argument("--limit", type=int, default=10)

    inv = sub.add_parser("invite", help=t("create an invite code for a unit"))
    inv.add_argument("--unit", required=True, help=t("unit name, abbreviation or code"))
    inv.add_argument("--role", choices=["officer", "head", "admin"], default="officer")
    inv.add_argument("--uses", type=int, default=1, help=t("how many people may use it"))
    inv.add_argument("--days", type=int, default=14, help=t("days until it expires"))
    inv.add_argument("--json", action="store_true")
    _add_ops(sub, t)
    _add_broadcast(sub, t)
    _add_web(sub, t)
    _add_reports(sub, t)
    return p


def _add_reports(sub: argparse._SubParsersAction, t: Translate) -> None:
    """`daily-report` and `rollup` (bot.report_cli): the compiled documents, to files."""
    from bot.report_cli import add_report_commands

    add_report_commands(sub, t)


def _add_web(sub: argparse._SubParsersAction, t: Translate) -> None:
    """`web` and `web-link` (bot.web_cli): the dashboard alone, a one-time sign-in link."""
    sub.add_parser("web", help=t("serve the web dashboard alone (no chat channels)"))
    link = sub.add_parser("web-link", help=t("print a one-time dashboard sign-in link"))
    link.add_argument("--user", required=True, help=t("CHANNEL:ID, e.g. telegram:123456"))


def _add_broadcast(sub: argparse._SubParsersAction, t: Translate) -> None:
    """`broadcast` (bot.broadcast_cli): send an announcement, or `status [ID]`."""
    b = sub.add_parser(
        "broadcast", help=t("send an announcement to officials or groups; `status [ID]` reports")
    )
    b.add_argument("action", nargs="*", metavar="status [ID]", help=t("show a delivery report"))
    b.add_argument("--text", default="", help=t("the message (plain text)"))
    b.add_argument("--file", type=Path, help=t("a document to attach (e.g. the directive)"))
    who = b.add_mutually_exclusive_group()
    who.add_argument("--units", help=t("unit names, comma-separated (abbreviations work)"))
    who.add_argument("--all", action="store_true", help=t("every linked official"))
    who.add_argument("--groups", action="store_true", help=t("every linked group chat"))
    b.add_argument(
        "--import", dest="import_tasks", action="store_true", help=t("import its tasks")
    )
    b.add_argument("--yes", action="store_true", help=t("send without asking"))
    b.add_argument("--json", action="store_true", help=t("print machine-readable output"))
    b.add_argument("--lang", choices=LANGS, default=None, help=t(LANG_HELP))


def _add_ops(sub: argparse._SubParsersAction, t: Translate) -> None:
    """The scheduled jobs run by hand, the export and the scores (bot.ops)."""
    now_help = "the moment to run for, ISO (local time unless it has an offset); default now"
    rem = sub.add_parser("remind", help=t("run the 16:00 reminder now (through the outbox)"))
    rem.add_argument("--now", help=t(now_help))
    rem.add_argument("--nudge", action="store_true", help=t("the earlier nudge instead"))
    rem.add_argument("--show", action="store_true", help=t("print the messages queued"))
    rem.add_argument("--json", action="store_true")
    rem.add_argument("--lang", choices=LANGS, default=None, help=t(LANG_HELP))
    dig = sub.add_parser("digest", help=t("run the group digest now (through the outbox)"))
    dig.add_argument("--now", help=t(now_help))
    dig.add_argument("--show", action="store_true", help=t("print the messages queued"))
    dig.add_argument("--json", action="store_true")
    dig.add_argument("--lang", choices=LANGS, default=None, help=t(LANG_HELP))
    exp = sub.add_parser("export", help=t("write a unit's tasks and reports to an .xlsx file"))
    exp.add_argument("--unit", required=True, help=t("unit name, abbreviation or code"))
    exp.add_argument("--out", required=True, type=Path, help=t("the .xlsx file to write"))
    exp.add_argument("--lang", choices=LANGS, default=None, help=t(LANG_HELP))
    sc = sub.add_parser("score", help=t("show a month's scores; --send posts the scoreboard"))
    sc.add_argument("--month", help=t("YYYY-MM (default: last month)"))
    sc.add_argument("--unit", help=t("one unit and its sub-units (default: every unit with work)"))
    sc.add_argument("--chart", type=Path, help=t("also write the chart to this .png file"))
    sc.add_argument("--send", action="store_true", help=t("send it to the oversight groups"))
    sc.add_argument("--lang", choices=LANGS, default=None, help=t(LANG_HELP))
    sc.add_argument("--json", action="store_true")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `nhacviec` console script."""
    args = _parse(list(sys.argv[1:] if argv is None else argv))
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
        return event_loop.run(handler(settings, args))
    except KeyboardInterrupt:
        return 130
    except ConfigError as exc:
        print(f"nhacviec: {exc}", file=sys.stderr)
        return 2


def _parse(argv: list[str]) -> argparse.Namespace:
    """Parse the command line; `--help` is shown in the admin's language (`--lang`, else
    NHACVIEC_LANG, else Vietnamese). Only then are the catalogs loaded: start-up stays fast."""
    if not argv or "-h" in argv or "--help" in argv:
        from handlers.i18n import _, use_locale

        with use_locale(_help_lang(argv)):
            return _parser(_).parse_args(argv)
    return _parser().parse_args(argv)


def _help_lang(argv: list[str]) -> str:
    if "--lang" in argv and argv.index("--lang") + 1 < len(argv):
        return argv[argv.index("--lang") + 1]
    try:
        return load_settings().cli_lang
    except ConfigError:
        return "vi"


def _cmd_parse(args: argparse.Namespace) -> int:
    from handlers.parsing.intents import parse_intent

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

"""Implementations of the `nhacviec` subcommands (the CLI parses, these act)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from datetime import UTC, datetime, timedelta

from tqdm import tqdm

from bot.app import open_app
from bot.config import ConfigError, Settings
from store.importer import import_directive, source_hash
from store.importing.extract import ImportFormatError, extract
from store.invites import create_invite
from store.models import UserRole
from store.registry import UnitRegistry

logger = logging.getLogger(__name__)


async def db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec db upgrade`: migrate (and seed units on a new database)."""
    async with open_app(settings):
        pass
    print("database is up to date")
    return 0


async def import_file(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec import FILE [--dry-run] [--json]`."""
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
    try:
        parsed = extract(data, path.name)
    except ImportFormatError as exc:
        print(f"nhacviec: cannot import {path.name}: {exc} ({exc.code})", file=sys.stderr)
        return 1
    number = args.number or parsed.number
    if not number:
        print(f"nhacviec: {path.name}: no directive number found; pass --number", file=sys.stderr)
        return 1
    async with open_app(settings) as app, app.sessionmaker() as session, session.begin():
        registry = await UnitRegistry.load(session)
        bar = tqdm(
            total=len(parsed.tasks),
            desc=number,
            unit="task",
            disable=args.json or not sys.stderr.isatty(),
            file=sys.stderr,
        )
        with bar:
            result = await import_directive(
                session,
                parsed,
                registry=registry,
                now=datetime.now(UTC),
                source_name=path.name,
                digest=source_hash(data),
                number=number,
                dry_run=args.dry_run,
                progress=bar.update,
            )
        if args.dry_run:
            await session.rollback()
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return 0
    verb = "would import" if args.dry_run else "imported"
    print(f"{verb} {number}: {len(result.tasks)} tasks, {result.assignments} assignments")
    if not args.dry_run:
        print(f"  {result.created_tasks} new, {result.updated_tasks} updated")
    for task in result.tasks:
        due = task.due.isoformat() if task.due else task.kind
        lead = ", ".join(task.lead_units) or ", ".join(task.lead) or "?"
        print(f"  {task.ref:<10} {due:<12} {lead[:50]:<50} {task.title[:60]}")
    if result.unresolved:
        print("units not recognised:")
        for item in result.unresolved:
            print(f"  {item.text!r} → nearest: {', '.join(item.candidates) or '-'}")
    if result.vague:
        print("not assigned (no identifiable unit): " + "; ".join(result.vague))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


async def units(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec units [QUERY]`: search the registry as the importer would."""
    async with open_app(settings) as app, app.sessionmaker() as session:
        registry = await UnitRegistry.load(session)
    if not args.query:
        print("give a name to search, e.g. nhacviec units 'bo cong an'", file=sys.stderr)
        return 1
    match = registry.match(args.query)
    rows = [
        {"code": ref.code, "name": ref.name, "kind": ref.kind, "score": round(score, 1)}
        for ref, score in match.candidates[: args.limit]
    ]
    if args.json:
        best = match.unit.code if match.unit else None
        print(json.dumps({"match": best, "candidates": rows}, ensure_ascii=False))
        return 0
    if match.unit:
        print(f"match: {match.unit.name} ({match.unit.code})")
    else:
        print("no confident match")
    for row in rows:
        print(f"  {row['score']:>5}  {row['code']:<40} {row['name']}")
    return 0


async def invite(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec invite --unit NAME [--role ROLE] [--json]`: print a code and deep link."""
    async with open_app(settings) as app, app.sessionmaker() as session, session.begin():
        registry = await UnitRegistry.load(session)
        match = registry.match(args.unit)
        if match.unit is None or match.unit.id is None:
            names = "; ".join(c.name for c, _s in match.candidates[:5]) or "-"
            print(f"nhacviec: no unit matches {args.unit!r}; nearest: {names}", file=sys.stderr)
            return 1
        now = datetime.now(UTC)
        inv = await create_invite(
            session,
            unit_id=match.unit.id,
            role=UserRole(args.role),
            now=now,
            ttl=timedelta(days=args.days),
            max_uses=args.uses,
        )
        unit_name = match.unit.name
    bot_name = await _telegram_username(settings)
    link = f"https://t.me/{bot_name}?start={inv.code}" if bot_name else None
    if args.json:
        print(
            json.dumps(
                {
                    "code": inv.code,
                    "unit": unit_name,
                    "role": args.role,
                    "expires_at": inv.expires_at.isoformat() if inv.expires_at else None,
                    "max_uses": inv.max_uses,
                    "link": link,
                },
                ensure_ascii=False,
            )
        )
        return 0
    print(f"invite code for {unit_name} ({args.role}): {inv.code}")
    if link:
        print(f"link: {link}")
    print(f"send /start {inv.code} to the bot; expires {inv.expires_at:%Y-%m-%d}")
    return 0


async def _telegram_username(settings: Settings) -> str | None:
    """The bot's @username (for deep links), when a Telegram token is configured."""
    if settings.telegram_bot_token is None:
        return None
    from bot.channels.telegram import fetch_username

    try:
        return await fetch_username(
            settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base_url
        )
    except Exception as exc:  # the code is still valid without a link
        logger.warning("could not ask Telegram for the bot name: %s", type(exc).__name__)
        return None


async def demo(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec demo`: sample data and a chat in the terminal, no token, no network."""
    from bot.channels.console import ConsoleChannel
    from store.sample import load_sample

    admin = frozenset({("console", "demo")})
    async with open_app(settings, extra_admins=admin) as app:
        async with app.sessionmaker() as session, session.begin():
            summary = await load_sample(
                session,
                unit_code=args.unit,
                now=datetime.now(UTC),
                tz=settings.tz,
                locale=args.lang,
            )
        console = ConsoleChannel(user_id="demo", user_name="Demo", locale=args.lang)
        app.add_channel(console)
        print(summary.banner())
        await console.start(app.dispatcher)
    return 0


async def run(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec run`: start every configured channel until interrupted."""
    from bot.channels.zalo_setup import check_zalo_settings, zalo_configured
    from bot.runner import run_channels

    if settings.telegram_bot_token is None and not zalo_configured(settings):
        raise ConfigError(
            "no channel configured: set TELEGRAM_BOT_TOKEN, ZALO_BOT_TOKEN or ZALO_OA_APP_ID "
            "(or use `nhacviec demo`)"
        )
    check_zalo_settings(settings)  # before anything starts: one clear line naming the setting
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await run_channels(settings, stop)
    return 0

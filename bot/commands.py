"""Implementations of the `nhacviec` subcommands (the CLI parses, these act)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from datetime import UTC, datetime, timedelta

from bot.app import open_app
from bot.config import ConfigError, Settings
from store.actions import CLI, Actor
from store.actions.invites import UnitNotFound, issue_invite
from store.models import UserRole
from store.registry import UnitRegistry

logger = logging.getLogger(__name__)


async def db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec db upgrade`: migrate (and seed units on a new database)."""
    async with open_app(settings):
        pass
    print("database is up to date")
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
        inv = await issue_invite(
            session,
            actor=Actor(None, CLI),
            unit=args.unit,
            role=UserRole(args.role),
            now=datetime.now(UTC),
            ttl=timedelta(days=args.days),
            max_uses=args.uses,
        )
    if isinstance(inv, UnitNotFound):
        names = "; ".join(inv.candidates[:5]) or "-"
        print(f"nhacviec: no unit matches {args.unit!r}; nearest: {names}", file=sys.stderr)
        return 1
    unit_name = inv.unit_name
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
    from bot.channels.telegram.channel import fetch_username

    try:
        return await fetch_username(
            settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base_url
        )
    except Exception as exc:  # the code is still valid without a link
        logger.warning("could not ask Telegram for the bot name: %s", type(exc).__name__)
        return None


async def demo(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec demo`: sample data and a chat in the terminal, no token, no network."""
    from bot.demo import run_demo

    return await run_demo(settings, args)


async def run(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec run`: start every configured channel until interrupted."""
    from bot.channel_setup import check_zalo_settings, zalo_configured
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

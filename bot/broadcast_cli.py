"""`nhacviec broadcast`: an announcement (and a new directive) from the command line.

    nhacviec broadcast --text "..." [--file F] (--units A,B | --all | --groups) [--import]
                       [--yes] [--json]
    nhacviec broadcast status [ID] [--json]

The same path as the chat's /broadcast: the broadcast is recorded, fanned out into the outbox
(one delivery per recipient, `broadcast:<id>:...` keys) and drained once with the configured
channels, like `nhacviec remind`; whatever is left (retries, or everything when no channel is
configured here) is sent by `nhacviec run`. Running it while the bot runs sends nothing twice.

A document (`--file`) is uploaded to Telegram once — to the first Telegram admin in
NHACVIEC_ADMINS, as their copy — and then sent to every recipient by reference.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import sys
from datetime import UTC, datetime
from typing import Any

from bot.app import App, open_app
from bot.config import Settings
from handlers.directives.broadcast_render import TEXT_LIMIT, file_ref
from handlers.i18n import _, use_locale
from handlers.types import Address, Attachment, SendError
from scheduler.broadcasts import finish_sent, start_queued
from store import broadcasts as store
from store.actions import CLI, Actor
from store.actions.broadcasts import DirectiveFile, preview_reach, record_broadcast
from store.actions.directives import ImportFormatError, ParsedDirective, read_file, source_hash
from store.db import Session
from store.models import Broadcast
from store.registry import UnitRegistry


def _status(status: str) -> str:
    """A broadcast's status in words."""
    texts = {
        store.QUEUED: _("queued"),
        store.SENDING: _("sending"),
        store.DONE: _("sent out"),
    }
    return texts.get(status, status)


def _fail(message: str, code: int = 1) -> int:
    print(f"nhacviec: {message}", file=sys.stderr)
    return code


def _broadcast_json(broadcast: Broadcast, number: str | None) -> dict[str, Any]:
    return {
        "id": broadcast.id,
        "status": broadcast.status,
        "targets": broadcast.targets,
        "text": broadcast.text,
        "file_name": broadcast.file_name,
        "directive": number,
        "created_at": broadcast.created_at.isoformat(),
        "sent_at": broadcast.sent_at.isoformat() if broadcast.sent_at else None,
    }


async def broadcast(settings: Settings, args: argparse.Namespace) -> int:
    """`nhacviec broadcast ...`: send one, or `status [ID]` (in the CLI's language)."""
    with use_locale(getattr(args, "lang", None) or settings.cli_lang):
        return await _broadcast(settings, args)


async def _broadcast(settings: Settings, args: argparse.Namespace) -> int:
    if args.action:
        if args.action[0] != "status" or len(args.action) > 2:
            return _fail(_("usage: nhacviec broadcast status [ID]"), 2)
        which = args.action[1] if len(args.action) == 2 else None
        if which is not None and not which.lstrip("#").isdigit():
            return _fail(_("not a broadcast number: {value}").format(value=repr(which)), 2)
        return await status(settings, int(which.lstrip("#")) if which else None, args.json)
    return await send(settings, args)


async def status(settings: Settings, broadcast_id: int | None, as_json: bool) -> int:
    """Print a broadcast's delivery report (the latest one without an id)."""
    async with open_app(settings) as app, app.sessionmaker() as session:
        if broadcast_id is None:
            found = await store.latest_broadcast(session)
        else:
            found = await store.get_broadcast(session, broadcast_id)
        if found is None:
            return _fail(_("no such broadcast"))
        stats = await store.broadcast_stats(session, found.id, names=None)
        label = await store.directive_number(session, found)
    if as_json:
        out = {"broadcast": _broadcast_json(found, label), "stats": stats.to_json()}
        print(json.dumps(out, ensure_ascii=False))
        return 0
    created = found.created_at.astimezone(settings.tz)
    print(
        _("Broadcast #{id} ({status}), created {when} ({zone})").format(
            id=found.id,
            status=_status(found.status),
            when=f"{created:%d/%m/%Y %H:%M}",
            zone=settings.timezone,
        )
    )
    if found.sent_at is not None:
        sent = found.sent_at.astimezone(settings.tz)
        print("  " + _("sent out by {when}").format(when=f"{sent:%d/%m/%Y %H:%M}"))
    print(
        "  "
        + _(
            "{total} recipients: {delivered} delivered, {pending} still sending, "
            "{blocked} blocked, {failed} failed"
        ).format(
            total=stats.total,
            delivered=stats.delivered,
            pending=stats.pending,
            blocked=stats.blocked,
            failed=stats.failed,
        )
    )
    print(
        "  "
        + _("acknowledged: {n} of {delivered} delivered").format(
            n=stats.acknowledged, delivered=stats.delivered
        )
    )
    if stats.not_acknowledged:
        print("  " + _("not yet acknowledged:"))
        for name in stats.not_acknowledged:
            print(f"    {name}")
    return 0


async def send(settings: Settings, args: argparse.Namespace) -> int:
    """Check the options, preview, confirm, then record, fan out and send the broadcast."""
    text = args.text.strip()
    refusal = _check(settings, args, text)
    if refusal is not None:
        return _fail(*refusal)
    data = args.file.read_bytes() if args.file is not None else b""
    parsed = None
    if args.import_tasks:
        parsed = await read_file(data, args.file.name, max_bytes=settings.max_upload_bytes)
        if isinstance(parsed, ImportFormatError):
            message = _("cannot import {name}: {error} ({code})")
            return _fail(message.format(name=args.file.name, error=parsed, code=parsed.code))
    if args.file is not None and not _telegram_admin(settings):
        return _fail(
            _(
                "--file needs TELEGRAM_BOT_TOKEN and a Telegram admin in NHACVIEC_ADMINS: "
                "the document is uploaded once to that admin's chat and sent to everyone "
                "from there"
            ),
            2,
        )
    directive = None
    if parsed is not None:  # live at once, as `nhacviec import` does
        directive = DirectiveFile(parsed, args.file.name, source_hash(data), review=False)
    from bot.push_runtime import sending_channels

    channels = sending_channels(settings)
    try:
        async with open_app(settings) as app:
            async with app.sessionmaker() as session:
                targets = await _targets(session, args)
                if isinstance(targets, str):
                    return _fail(targets)
                reach = await preview_reach(session, targets)
            _preview(args, text, reach, parsed)
            if reach.total == 0:
                return _fail(_("nobody would receive it: no official or group is linked there"))
            if not args.yes and not _confirmed():
                return _fail(_("not sent (add --yes to send without asking)"))
            ref = None
            if args.file is not None:
                ref = await _upload(settings, channels, args.file.name, data, text)
                if ref is None:
                    return 1
            now = datetime.now(UTC)
            async with app.sessionmaker() as session, session.begin():
                done = await record_broadcast(
                    session,
                    actor=Actor(None, CLI),
                    text=text,
                    targets=targets,
                    now=now,
                    file_ref=ref,
                    file_name=args.file.name if args.file else None,
                    directive=directive,
                )
            if done.broadcast_id is None:  # the links went away since the preview
                return _fail(_("nobody would receive it: no official or group is linked there"))
            if channels:
                await _deliver(app, settings, channels, done.broadcast_id, now)
            async with app.sessionmaker() as session:
                final = await store.get_broadcast(session, done.broadcast_id)
                stats = await store.broadcast_stats(session, done.broadcast_id, names=0)
    finally:
        for channel in channels.values():
            await channel.stop()
    assert final is not None
    return _print_sent(final, stats, parsed.number if parsed else None, as_json=args.json)


def _check(settings: Settings, args: argparse.Namespace, text: str) -> tuple[str, int] | None:
    """Why the options cannot be sent (the message and the exit code), or None."""
    if not text and args.file is None:
        return _("give --text, --file or both"), 2
    if not (args.units or args.all or args.groups):
        return _("choose the recipients: --units A,B, --all or --groups"), 2
    if args.import_tasks and args.file is None:
        return _("--import needs --file"), 2
    if len(text) > TEXT_LIMIT:
        return _("the text is {n} characters; at most {limit}").format(
            n=len(text), limit=TEXT_LIMIT
        ), 2
    if args.file is None:
        return None
    if not args.file.is_file():
        return _("no such file: {path}").format(path=args.file), 1
    if args.file.stat().st_size > settings.max_upload_bytes:
        message = _("{name} is larger than {limit} bytes")
        return message.format(name=args.file.name, limit=settings.max_upload_bytes), 1
    return None


async def _deliver(
    app: App, settings: Settings, channels: dict[str, Any], broadcast_id: int, now: datetime
) -> None:
    """Fan the broadcast out for the channels this process can send on and send what is due
    now; without any, `nhacviec run` fans it out for its own channels."""
    from bot.push_runtime import drain

    await start_queued(app.sessionmaker, now=now, channels=set(channels))
    await drain(app.sessionmaker, channels, f"broadcast:{broadcast_id}:")
    await finish_sent(
        app.sessionmaker, now=datetime.now(UTC), tz=settings.tz, channels=set(channels)
    )


def _print_sent(final: Broadcast, stats: store.Stats, number: str | None, *, as_json: bool) -> int:
    """Print what became of a broadcast just sent."""
    if as_json:
        out = {"broadcast": _broadcast_json(final, number), "stats": stats.to_json()}
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(_("Broadcast #{id}: {status}").format(id=final.id, status=_status(final.status)))
    print(
        "  "
        + _(
            "{delivered} delivered, {pending} still to send, {blocked} blocked, {failed} failed"
        ).format(
            delivered=stats.delivered,
            pending=stats.pending,
            blocked=stats.blocked,
            failed=stats.failed,
        )
    )
    if final.status == store.QUEUED:
        print("  " + _("no channel is configured here: `nhacviec run` will send it"))
    print(
        "  " + _("`nhacviec broadcast status {id}` shows who has acknowledged").format(id=final.id)
    )
    return 0


def _telegram_admin(settings: Settings) -> str | None:
    if settings.telegram_bot_token is None:
        return None
    ids = sorted(ident for channel, ident in settings.admin_ids if channel == "telegram")
    return ids[0] if ids else None


async def _targets(session: Session, args: argparse.Namespace) -> dict[str, Any] | str:
    """The targets JSON, or an error message naming units that matched nothing."""
    if args.all:
        return {"all": True}
    if args.groups:
        return {"groups": True}
    registry = await UnitRegistry.load(session)
    ids: list[int] = []
    for name in [n.strip() for n in args.units.split(",") if n.strip()]:
        match = registry.match(name)
        if match.unit is None or match.unit.id is None:
            near = "; ".join(c.name for c, _s in match.candidates[:3]) or "-"
            return _("no unit matches {name}; nearest: {names}").format(
                name=repr(name), names=near
            )
        if match.unit.id not in ids:
            ids.append(match.unit.id)
    if not ids:
        return _("--units is empty")
    return {"units": ids}


def _preview(
    args: argparse.Namespace,
    text: str,
    reach: store.Reach,
    parsed: ParsedDirective | None,
) -> None:
    if args.json:
        return
    out = sys.stderr if args.yes else sys.stdout
    who = (
        _("all linked officials")
        if args.all
        else _("linked groups")
        if args.groups
        else args.units
    )
    line = _("to: {who} — {total} recipients ({reachable} reachable)")
    print(line.format(who=who, total=reach.total, reachable=reach.reachable), file=out)
    if args.file is not None:
        print(_("document: {name}").format(name=args.file.name), file=out)
    if parsed is not None:
        label = parsed.number or _("a directive without a number")
        line = _("import: {n} tasks of {directive}")
        print(line.format(n=len(parsed.tasks), directive=label), file=out)
    if text:
        print(_("text:"), text, sep="\n", file=out)


def _confirmed() -> bool:
    if not sys.stdin.isatty():
        return False
    return input(_("send it? [y/N] ")).strip().lower() in ("y", "yes", "c", "co", "có")


async def _upload(
    settings: Settings, channels: dict[str, Any], name: str, data: bytes, text: str
) -> str | None:
    """Upload the document once to the first Telegram admin; its reference for everyone."""
    admin = _telegram_admin(settings)
    telegram = channels.get("telegram")
    if admin is None or telegram is None:  # pragma: no cover - checked before
        return None
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        ref = await telegram.upload(
            Address("telegram", admin), Attachment(name, data, mime), caption=text[:900]
        )
    except SendError as exc:
        _fail(
            _("could not upload {name} to Telegram: {reason}").format(name=name, reason=exc.reason)
        )
        return None
    return file_ref("telegram", ref)


__all__ = ["broadcast"]

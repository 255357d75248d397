"""/web: a one-time link that signs the asker in to the web dashboard (10 minutes, once).

The link is a bearer secret, so it only ever goes to the asker's private chat; asked in an
oversight group, it also opens that group's units (membership is shown by the message
itself) and the group is told only that a link was sent privately.
"""

from __future__ import annotations

import logging

from handlers.context import Context
from handlers.i18n import _
from handlers.scope import not_linked_text
from handlers.types import Address
from store.web_scope import load_viewer, oversight_chat
from store.web_sessions import create_link_token

logger = logging.getLogger(__name__)


async def handle_web(ctx: Context, args: str) -> None:
    """Triggered by /web: send a one-time sign-in link to the dashboard, privately."""
    base = ctx.options.web_url
    if not base:
        ctx.reply(_("The web dashboard is not set up on this server."))
        return
    identity = ctx.identity
    a = ctx.incoming.address
    if identity is None:
        ctx.reply(not_linked_text())
        return
    chat_pk = None if a.is_private else await oversight_chat(ctx.session, a.channel, a.chat_id)
    viewer = await load_viewer(
        ctx.session,
        identity.user_id,
        identity_id=identity.id,
        chat_pk=chat_pk,
        admin_ids=ctx.options.admins,
    )
    if viewer is None or viewer.scope.empty:
        ctx.reply(not_linked_text())
        return
    token = await create_link_token(
        ctx.session,
        user_id=identity.user_id,
        identity_id=identity.id,
        chat_pk=chat_pk,
        now=ctx.now,
    )
    text = _(
        "Your sign-in link to the dashboard. It works once, for 10 minutes; do not forward "
        "it:\n{link}"
    ).format(link=f"{base}/app/login/{token}")
    if a.is_private:
        ctx.reply(text)
        return
    ctx.push(Address(a.channel, identity.chat_id, identity.external_id), text)
    ctx.reply(
        _(
            "I sent you a sign-in link in a private message. If it does not arrive, open a "
            "chat with me first and send /web again."
        )
    )

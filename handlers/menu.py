"""The command menu shown by chat apps (Telegram's "/" list), per language."""

from __future__ import annotations

from handlers.i18n import SUPPORTED, _, use_locale


def command_menu() -> dict[str, list[tuple[str, str]]]:
    """`{locale: [(command, description), ...]}` for every supported locale."""
    menu: dict[str, list[tuple[str, str]]] = {}
    for locale in SUPPORTED:
        with use_locale(locale):
            menu[locale] = [
                ("due", _("What is due (this month by default)")),
                ("overdue", _("Overdue tasks")),
                ("list", _("All open tasks")),
                ("nv", _("One task in full, for example /nv 5")),
                ("chuabaocao", _("What is not reported today")),
                ("giahan", _("Ask for more time on a task")),
                ("report", _("Report progress step by step")),
                ("cuatoi", _("Tasks handed to you")),
                ("giao", _("Hand a task to officials (heads), for example /giao NV 7")),
                ("baocao", _("Your unit's compiled report of the day (heads)")),
                ("web", _("Open the dashboard (a one-time sign-in link)")),
                ("undo", _("Take back your last report")),
                ("score", _("Monthly score of your unit")),
                ("me", _("Your unit and role")),
                ("join", _("Ask to join a unit (without an invite)")),
                ("link", _("Link this group to a unit (heads and admins)")),
                ("lang", _("Choose the language (Tiếng Việt / English)")),
                ("help", _("How to use the bot")),
            ]
    return menu

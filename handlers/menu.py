"""The commands: their names in each language, and the command menus (one for everyone, a
longer one shown only in admins' chats), one per language.

A command's name in another language comes from that language's catalogue (message context
"command": `/advise` is `/conseil` in French); the bot answers to every name of a command.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    MenuButtonDefault,
    MenuButtonWebApp,
    WebAppInfo,
)

from knowledge.writing import i18n
from knowledge.writing.i18n import N_

COMMAND = "command"  # the message context of command names in the catalogues

# Each command of a menu with its description (translated when a menu is built).
USER_COMMANDS = [
    ("advise", N_("Get a recommendation")),
    ("new", N_("Start a new brief")),
    ("campaigns", N_("Your campaigns and check-ins")),
    ("results", N_("Results against the forecast")),
    ("remind", N_("Set a reminder")),
    ("reminders", N_("Pending reminders")),
    ("timezone", N_("Set your time zone")),
    ("language", N_("Choose your language")),
    ("mydata", N_("What I hold about you")),
    ("forget_me", N_("Erase everything about you")),
    ("cancel", N_("Stop what you are doing")),
    ("help", N_("What I can do")),
    ("start", N_("Welcome")),
]
ADMIN_COMMANDS = [
    *USER_COMMANDS,
    ("roster", N_("Search the roster")),
    ("add", N_("Add an influencer")),
    ("edit", N_("Change an influencer")),
    ("remove", N_("Remove an influencer")),
    ("restore", N_("Bring a removed influencer back")),
    ("import", N_("Import a roster CSV")),
    ("sample", N_("Remove or restore the sample roster")),
    ("export", N_("Export the roster as CSV")),
    ("history", N_("Who changed what")),
    ("admin", N_("Manage admins")),
    ("adminhelp", N_("Admin commands")),
]


def names(command: str) -> list[str]:
    """Every name the bot answers `command` to: its own, then its name in each language."""
    found = [command]
    for language in i18n.LANGUAGES:
        translated = name_in(command, language)
        if translated not in found:
            found.append(translated)
    return found


def name_in(command: str, language: str) -> str:
    return str(i18n.translations(language).pgettext(COMMAND, command))


def _menu(commands: list[tuple[str, str]], language: str) -> list[BotCommand]:
    with i18n.speaking(language):
        return [
            BotCommand(name_in(command, language), i18n.gettext(description))
            for command, description in commands
        ]


def user_menu(language: str) -> list[BotCommand]:
    return _menu(USER_COMMANDS, language)


def admin_menu(language: str) -> list[BotCommand]:
    return _menu(ADMIN_COMMANDS, language)


def _telegram_code(language: str) -> str | None:
    """The language_code of a menu: none for the default one (English), which Telegram shows
    to users of every language without a menu of its own."""
    return None if language == i18n.DEFAULT_LANGUAGE else language


async def set_menu(
    bot: Bot,
    menu: Callable[[str], list[BotCommand]],
    scope: BotCommandScope | None = None,
    chosen: str | None = None,
) -> None:
    """Set `menu` for `scope` in every language Telegram may show it in: English by default,
    each other language for the users whose Telegram speaks it; or, for a user who `chosen`
    a language with /language, that one whatever their Telegram speaks."""
    for language in i18n.LANGUAGES:
        await bot.set_my_commands(
            menu(chosen or language), scope=scope, language_code=_telegram_code(language)
        )


ROSTER_PAGE_BUTTON = N_("Roster")


async def set_page_button(bot: Bot, chat_id: int, url: str | None, chosen: str | None) -> None:
    """The chat's menu button: the roster page for an admin (`url`), Telegram's own menu
    otherwise (None)."""
    if url is None:
        await bot.set_chat_menu_button(chat_id=chat_id, menu_button=MenuButtonDefault())
        return
    with i18n.speaking(chosen or i18n.DEFAULT_LANGUAGE):
        text = i18n.gettext(ROSTER_PAGE_BUTTON)
    button = MenuButtonWebApp(text=text, web_app=WebAppInfo(url=f"{url}/roster"))
    await bot.set_chat_menu_button(chat_id=chat_id, menu_button=button)


async def clear_menu(bot: Bot, scope: BotCommandScope) -> None:
    """Remove the menus `set_menu` set for `scope`, in every language."""
    for language in i18n.LANGUAGES:
        await bot.delete_my_commands(scope=scope, language_code=_telegram_code(language))

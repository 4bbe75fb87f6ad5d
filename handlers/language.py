"""The language the bot speaks to a user: their Telegram language until they write a clear
sentence in another (a French owner on an English Telegram) or choose one with /language
(buttons, or `/language fr`); the choice is kept with their state and sets their command
menu."""

from __future__ import annotations

import logging

from telegram import BotCommandScopeChat, Update
from telegram.error import TelegramError

from handlers import keyboards
from handlers.context import BotContext
from handlers.forms import ask_open_forms_again, open_forms
from handlers.menu import admin_menu, set_menu, user_menu
from handlers.services import reply
from knowledge.reading.tongue import language_named, written_language
from knowledge.writing import i18n
from knowledge.writing.replies import LanguageReply, Template
from storage.admin import is_admin

log = logging.getLogger(__name__)


async def speak_their_language(update: object, context: BotContext) -> None:
    """Before any other handler: speak the language of the user the update comes from (the
    one they chose, else the one their latest clear message is written in, else their
    Telegram's on this update), and keep their Telegram's for what is sent to them outside
    their updates (reminders, check-ins)."""
    if isinstance(update, Update) and update.effective_user is not None:
        user = update.effective_user
        context.state.telegram_language_is(user.language_code)
        if update.message is not None and update.message.text:
            written = written_language(update.message.text)
            if written is not None and written in i18n.LANGUAGES:
                context.state.wrote_in(written, user.language_code)
        i18n.use_language(i18n.language_for(context.state.chosen_language, user.language_code))
        context.services.note_telegram_language(user.id, user.language_code)


async def language_command(update: Update, context: BotContext) -> None:
    """`/language`: the buttons; `/language fr` (or `français`, `english`…): that language at
    once."""
    named = language_named(" ".join(context.args or []))
    if named is not None:
        await _choose(update, context, named)
        return
    await reply(update, Template.LANGUAGE, keyboards.languages(), kind=LanguageReply.ASK)


async def language_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    chosen = query.data.rsplit(":", 1)[-1]
    await query.answer()
    if chosen in i18n.LANGUAGES:
        await _choose(update, context, chosen)


async def _choose(update: Update, context: BotContext, chosen: str) -> None:
    """A language chosen: speak it from this reply on, keep the choice, show the command menu
    in it; an open form asks its question again, in the new language."""
    user = update.effective_user
    if user is None:
        return
    context.state.choose_language(chosen)
    i18n.use_language(chosen)
    await _show_menu_in(context, user.id, chosen)
    kept = open_forms(update, context)
    await reply(update, Template.LANGUAGE, kind=LanguageReply.SET, kept=kept[0] if kept else None)
    await ask_open_forms_again(update, context)


async def _show_menu_in(context: BotContext, user_id: int, language: str) -> None:
    s = context.services
    with s.session() as session:
        admin = is_admin(session=session, user_id=user_id, configured=s.admin_ids)
    menu = admin_menu if admin else user_menu
    try:
        await set_menu(context.bot, menu, BotCommandScopeChat(user_id), language)
    except TelegramError as exc:
        log.info("Could not set the menu of %s: %s", user_id, exc)

"""Who may administer the roster: rights checked on every call and at every step of a
multi-step command (a non-admin gets a short refusal, and the attempt is logged), /admin to
manage admins, /adminhelp, and the admin command menu."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any, TypeVar

from telegram import BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import Application, ConversationHandler

from handlers.context import BotContext, StateKey, UserState
from handlers.menu import admin_menu, clear_menu, set_menu, set_page_button
from handlers.services import SERVICES_KEY, Services, command_args, reply
from knowledge.reading.parsing import parse_id
from knowledge.writing.render import render
from knowledge.writing.replies import AdminReply, Template
from storage.admin import add_admin, admin_ids, is_admin, remove_admin

log = logging.getLogger(__name__)
Result = TypeVar("Result")
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, Result]]


async def admin_id(update: Update, context: BotContext) -> int | None:
    """The caller's id if they are an admin now; otherwise refuse (once) and return None."""
    user, chat = update.effective_user, update.effective_chat
    message = update.effective_message
    if user is None or chat is None or chat.type != "private":
        return None
    if message is not None and message.sender_chat is not None:
        return None  # sent on behalf of a chat (anonymous admin): never trusted
    s = context.services
    with s.session() as session:
        allowed = is_admin(session=session, user_id=user.id, configured=s.admin_ids)
    if allowed:
        return user.id
    log.warning("Refused admin action to user %s (%s)", user.id, _what(update))
    sandbox_user = s.sandbox_user if s.sandbox_user == user.id else None
    if update.callback_query is not None:
        refusal = render(Template.ADMINS_ONLY, sandbox_user=sandbox_user)
        await update.callback_query.answer(refusal, show_alert=True)
    else:
        await reply(update, Template.ADMINS_ONLY, sandbox_user=sandbox_user)
    return None


def _what(update: Update) -> str:
    if update.callback_query is not None:
        return f"button {update.callback_query.data}"
    message = update.effective_message
    return (message.text or "a file")[:40] if message is not None else "?"


def admin_only(callback: Callback[Result]) -> Callback[Result | int]:
    """Run `callback` only for an admin; a conversation ends when rights are gone."""

    @wraps(callback)
    async def guarded(update: Update, context: BotContext) -> Result | int:
        if await admin_id(update, context) is None:
            if context.user_data is not None:
                context.state.close(
                    StateKey.ADD_DRAFT, StateKey.PENDING_EDIT, StateKey.PENDING_SAMPLE
                )
            return ConversationHandler.END
        result = await callback(update, context)
        # Any admin action may have changed the roster: reread its niches next time.
        context.services.roster.invalidate()
        return result

    return guarded


async def admin_command(update: Update, context: BotContext) -> None:
    """/admin add <id>, /admin remove <id>, /admin list."""
    actor = await admin_id(update, context)
    if actor is None:
        return
    s = context.services
    words = command_args(update).split()
    if words[:1] == ["list"]:
        with s.session() as session:
            everyone = admin_ids(session=session, configured=s.admin_ids)
        await reply(
            update,
            Template.ADMIN_RESULT,
            kind=AdminReply.LIST,
            configured=sorted(s.admin_ids),
            added=sorted(everyone - s.admin_ids),
        )
        return
    user_id = parse_id(words[1]) if len(words) == 2 else None
    if not user_id or words[0] not in ("add", "remove"):  # a user's id is positive
        await reply(update, Template.ADMIN_RESULT, kind=AdminReply.USAGE)
        return
    with s.session() as session:
        if words[0] == "add":
            added = add_admin(session=session, telegram_id=user_id, added_by=actor)
            kind = AdminReply.ADDED if added or user_id in s.admin_ids else AdminReply.ALREADY
        elif user_id in s.admin_ids:
            kind = AdminReply.CONFIGURED
        elif remove_admin(session=session, telegram_id=user_id, removed_by=actor):
            kind = AdminReply.REMOVED
        else:
            kind = AdminReply.NOT_ADMIN
    if kind is AdminReply.ADDED:
        await show_admin_menu(context.application, user_id)
    elif kind is AdminReply.REMOVED:
        await hide_admin_menu(context, user_id)
    await reply(update, Template.ADMIN_RESULT, kind=kind, user_id=user_id)


async def show_admin_menu(
    application: Application[Any, Any, UserState, Any, Any, Any], user_id: int
) -> None:
    """The admin menu in an admin's chat, in the language they chose if they did, and the
    menu button opening the roster page when the pages are served (WEBAPP_URL)."""
    chosen = UserState(application.user_data.get(user_id, {})).chosen_language
    services: Services = application.bot_data[SERVICES_KEY]
    try:
        await set_menu(application.bot, admin_menu, BotCommandScopeChat(user_id), chosen)
        if services.webapp_url is not None:
            await set_page_button(application.bot, user_id, services.webapp_url, chosen)
    except TelegramError as exc:
        log.info("No admin menu for %s yet: %s", user_id, exc)


async def hide_admin_menu(context: BotContext, user_id: int) -> None:
    try:
        await clear_menu(context.bot, BotCommandScopeChat(user_id))
        if context.services.webapp_url is not None:
            await set_page_button(context.bot, user_id, None, None)
    except TelegramError as exc:
        log.info("Could not reset the menu of %s: %s", user_id, exc)


async def admin_help(update: Update, context: BotContext) -> None:
    if await admin_id(update, context) is not None:
        await reply(update, Template.ADMIN_HELP)

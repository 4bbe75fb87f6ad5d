"""/start, /help, /cancel outside a brief, stray messages, stale buttons and errors."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from handlers import keyboards
from handlers.services import reply, services
from knowledge.render import render
from storage.admin import is_admin

log = logging.getLogger(__name__)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    if user is not None:
        s = services(context)
        with s.session() as session:
            s.remember_user(session, user.id, user.language_code)
    await reply(update, "welcome", keyboards.start_keyboard())


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    user = update.effective_user
    with s.session() as session:
        admin = user is not None and is_admin(
            session=session, user_id=user.id, configured=s.admin_ids
        )
    await reply(update, "help", currency=s.currency, admin=admin)


async def nothing_to_cancel(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, "nothing_to_cancel")


async def unknown_command(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, "unknown_command")


async def stray_message(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Text, stickers or files outside a brief: point to /advise."""
    await reply(update, "fallback_text")


async def expired_button(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(render("expired"))


async def persist_now(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Write conversation state and answers to the database after every update.

    python-telegram-bot otherwise persists on a timer; a crash between two ticks would
    lose what the user just typed.
    """
    if isinstance(update, Update) and update.effective_user is not None:
        context.application.mark_data_for_update_persistence(user_ids=update.effective_user.id)
    await context.application.update_persistence()


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The single error handler: log (the token is redacted by the log filter), tell the user."""
    log.error("Error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await reply(update, "error")
        except Exception:  # the error reply itself must never raise
            log.warning("Could not tell the user about the error")

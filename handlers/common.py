"""/start, /help, /cancel outside a form, questions in words and stray messages, stale
buttons, saving state, errors."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from functools import cache
from typing import Any

from telegram import Document, Message, MessageEntity, Update
from telegram.ext import ApplicationHandlerStop

from handlers import keyboards
from handlers.callbacks import NO, Prefix, parts_of
from handlers.context import BotContext, StateKey
from handlers.forms import ask_open_forms_again, command_of, open_forms
from handlers.held import (
    RepliesHeldBack,
    ReplyNotDelivered,
    SavedState,
    database_lost,
    handling_given_up,
    send_held_replies,
    state_not_saved,
    state_unsaved,
)
from handlers.menu import ADMIN_COMMANDS, USER_COMMANDS, names
from handlers.services import reply, typed_text
from knowledge.reading.commands import close_commands, command_meant
from knowledge.reading.questions import Answer, answer_to, is_greeting, is_question
from knowledge.writing.render import render
from knowledge.writing.replies import ErrorReply, ImportReply, Template
from storage.admin import is_admin
from storage.csv_io import UploadRejected, read_upload, upload_too_big
from storage.db import is_unreachable

log = logging.getLogger(__name__)


@cache
def _user_commands() -> dict[str, str]:
    """Each name of a user's command, in every language → the command."""
    return {name: command for command, _about in USER_COMMANDS for name in names(command)}


@cache
def _every_name() -> frozenset[str]:
    return frozenset(name for command, _about in ADMIN_COMMANDS for name in names(command))


async def start(update: Update, context: BotContext) -> None:
    user = update.effective_user
    if user is not None:
        context.services.remember_user(user.id, user.language_code)
    await reply(update, Template.WELCOME, keyboards.start_brief())


async def help_command(update: Update, context: BotContext) -> None:
    """The list of commands; inside a form, its question again after it (the form stays)."""
    s = context.services
    user = update.effective_user
    with s.session() as session:
        admin = user is not None and is_admin(
            session=session, user_id=user.id, configured=s.admin_ids
        )
    await reply(update, Template.HELP, currency=s.currency, admin=admin)
    await ask_open_forms_again(update, context)


async def nothing_to_cancel(update: Update, _context: BotContext) -> None:
    await reply(update, Template.NOTHING_TO_CANCEL)


async def correct_command(update: Update, _context: BotContext) -> None:
    """Before the handlers: a mistyped command that plainly means one of the user's commands
    (`/advice`, `/hepl`) is run as that one (`/advise`), and the name taken is said."""
    typed = command_of(update)
    if typed is None or typed in _every_name():
        return
    meant = command_meant(typed, _user_commands())
    if meant is not None:
        assert update.message is not None and update.message.entities  # a command's
        _rename_command(update.message, update.message.entities[0], meant)
        await reply(update, Template.COMMAND_TAKEN, command=meant)


def _rename_command(message: Message, entity: MessageEntity, name: str) -> None:
    """The message as if `/name` had been typed (python-telegram-bot's messages are frozen:
    changed in place, for every handler after this one)."""
    assert message.text is not None
    shift = len(name) + 1 - entity.length
    rest = [
        MessageEntity.de_json({**e.to_dict(), "offset": e.offset + shift}, None)
        for e in message.entities[1:]
    ]
    with message._unfrozen():
        message.text = f"/{name}{message.text[entity.length :]}"
        message.entities = (MessageEntity(MessageEntity.BOT_COMMAND, 0, len(name) + 1), *rest)


async def unknown_command(update: Update, _context: BotContext) -> None:
    """A command the bot doesn't know and can't take for one it knows: the nearest one, if
    one is close (`/reminder` → `/reminders`)."""
    typed = typed_text(update).split(maxsplit=1)[0].lstrip("/").split("@")[0]
    close = close_commands(typed, _user_commands())
    await reply(update, Template.UNKNOWN_COMMAND, suggestion=close[0] if close else None)


async def stray_message(update: Update, context: BotContext) -> None:
    """Text, stickers or files outside a form: a question in words gets a short answer from
    the knowledge base; anything else, a pointer to /advise."""
    s = context.services
    await answer_stray(update, answer_to(typed_text(update), s.kb, s.currency))


async def question_beside_form(update: Update, context: BotContext) -> None:
    """A question in words typed while a form is open (`what is a micro-influencer?` at the
    niche question): answered from the knowledge base, then the form asks its question again
    and takes the next answer; the question is not taken for an answer. Anything else goes on
    to the form."""
    text = typed_text(update)
    if not open_forms(update, context) or not is_question(text):
        return
    s = context.services
    answer = answer_to(text, s.kb, s.currency)
    if answer is None:
        return
    await reply(update, Template.QUESTION_ANSWER, answer=answer)
    await ask_open_forms_again(update, context)
    await persist_now(update, context)
    raise ApplicationHandlerStop


async def answer_stray(update: Update, answer: Answer | None) -> None:
    """A stray message's reply: the answer to its question; for a question the bot can't
    answer, that it can't and what it can do; else a pointer to /advise."""
    if answer is None and is_greeting(typed_text(update)):
        await reply(update, Template.WELCOME, keyboards.start_brief())
    elif answer is None:
        await reply(update, Template.FALLBACK_TEXT, question=is_question(typed_text(update)))
    else:
        await reply(update, Template.QUESTION_ANSWER, answer=answer)


async def pressed_confirmation(
    update: Update, context: BotContext, prefix: Prefix, key: StateKey
) -> tuple[dict[str, Any], bool] | None:
    """A confirming button pressed (Yes / No under what waits under `key`, marked with its
    nonce): what waits, and whether the answer was no. None, once the press is answered as
    expired, when it is not the one waiting: each such button works once."""
    query = update.callback_query
    assert query is not None
    parts = parts_of(query.data, prefix)
    pending = context.state.get(key)
    if not parts or not isinstance(pending, dict) or parts[0] != pending.get("nonce"):
        await query.answer(render(Template.EXPIRED))
        return None
    await query.answer()
    return pending, parts[1:] == [NO]


async def expired_button(update: Update, _context: BotContext) -> None:
    """A button from an old message, or one already used: say so, change nothing."""
    if update.callback_query is not None:
        await update.callback_query.answer(render(Template.EXPIRED))


async def persist_now(update: object, context: BotContext) -> None:
    """Write conversation state and answers to the database after every update, then send
    the update's replies (held until now, see handlers.services.held_replies).

    python-telegram-bot otherwise persists on a timer; a crash between two ticks would
    lose what the user just typed, and a crash just after a reply its step.

    The user's state may have been written in another update's turn (python-telegram-bot
    writes whatever is pending, whoever asks) and refused there: the refusal counts for this
    update, the user's own (the database gone: the update is given up; bot.persistence keeps
    it as the user's). Not written at all (another turn's write, of answers since changed):
    written again in this one's.
    """
    await _persist(update, context)
    if _refusal(update, context) is None and not _answers_saved(update, context):
        await _persist(update, context)
        if _refusal(update, context) is None and not _answers_saved(update, context):
            state_not_saved()
    refused = _refusal(update, context)
    if refused is not None:
        state_not_saved()
        if is_unreachable(refused):
            database_lost()
    if state_unsaved() and isinstance(update, Update) and not handling_given_up():
        # The replies that took the answer were dropped: the user is told to try again.
        await reply(update, Template.ERROR, kind=ErrorReply.FAILED)
    await send_held_replies()


async def _persist(update: object, context: BotContext) -> None:
    if isinstance(update, Update) and update.effective_user is not None:
        context.application.mark_data_for_update_persistence(user_ids=update.effective_user.id)
    await context.application.update_persistence()


def _refusal(update: object, context: BotContext) -> BaseException | None:
    """The write of the user's state the database refused while their update was handled,
    in this update's turn or another's; None when none was."""
    persistence: object = context.application.persistence
    user = update.effective_user if isinstance(update, Update) else None
    if user is None or not isinstance(persistence, SavedState):
        return None
    return persistence.refusal(user.id)


def _answers_saved(update: object, context: BotContext) -> bool:
    """Whether the user's answers are stored as they are now (by this update's write or
    another's)."""
    persistence: object = context.application.persistence
    user = update.effective_user if isinstance(update, Update) else None
    return (
        user is None
        or context.user_data is None
        or not isinstance(persistence, SavedState)
        or persistence.saved(user.id, context.user_data)
    )


async def on_error(update: object, context: BotContext) -> None:
    """The single error handler: log (the token is redacted by the log filter), tell the user.

    A reply lost on the way after the work was done and saved is not an error to retry:
    the user is told it was done (saying "try again" would make them do it twice). Replies
    flood control kept from the user are kept and sent later, with a note (bot.delivery):
    nothing else is said now, flood control would refuse that too. The database gone while
    a webhook's update was handled: nothing is said and no other handler runs, the update is
    given up and handled again in full when Telegram sends it again (handlers.held's
    database_lost)."""
    if isinstance(update, Update) and is_unreachable(context.error) and database_lost():
        log.warning(
            "Database unreachable: update %s given up (%s)", update.update_id, context.error
        )
        raise ApplicationHandlerStop
    if isinstance(context.error, RepliesHeldBack):
        held = context.error
        log.warning("Flood control: %s for user %s, sent later", held, held.user_id)
        due_at = context.services.clock.now() + timedelta(seconds=held.retry_after)
        context.delivery.add_late_replies(user_id=held.user_id, replies=held.replies, due_at=due_at)
        return
    if isinstance(context.error, ReplyNotDelivered):
        log.warning("A reply may not have reached its user: %s", context.error)
        kind = ErrorReply.NOT_DELIVERED
    else:
        log.error("Error while handling an update", exc_info=context.error)
        kind = ErrorReply.FAILED
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await reply(update, Template.ERROR, kind=kind)
        except Exception:  # the error reply itself must never raise
            log.warning("Could not tell the user about the error")


async def uploaded_text(update: Update, document: Document, default_name: str) -> str | None:
    """The text of a file the user sent (size, type and encoding checked), or None once the
    user is told why it can't be read."""
    name = document.file_name or default_name
    if upload_too_big(document.file_size):
        await reply(update, Template.IMPORT_MESSAGES, kind=ImportReply.TOO_BIG)
        return None
    data = bytes(await (await document.get_file()).download_as_bytearray())
    try:
        return await asyncio.to_thread(read_upload, data, name=name, mime_type=document.mime_type)
    except UploadRejected as exc:
        await reply(update, Template.IMPORT_MESSAGES, kind=exc.reason, file_name=name)
        return None

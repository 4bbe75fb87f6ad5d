"""/mydata (what the bot holds about the user, as a JSON file) and /forget_me (all of it
erased, after a confirmation that works once)."""

from __future__ import annotations

import io
import json
import secrets

from telegram import InputFile, Update
from telegram.ext import ConversationHandler

from handlers import keyboards
from handlers.callbacks import Prefix
from handlers.common import pressed_confirmation
from handlers.context import BotContext, StateKey
from handlers.services import reply, user_id_of
from knowledge.writing.render import render
from knowledge.writing.replies import PrivacyReply, Template
from storage.privacy import forget_user, user_data_export


async def mydata_command(update: Update, context: BotContext) -> None:
    user_id = user_id_of(update)
    with context.services.session() as session:
        data = user_data_export(session=session, user_id=user_id)
    chat = update.effective_chat
    assert chat is not None
    content = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    await chat.send_document(
        InputFile(io.BytesIO(content), filename=f"my-data-{user_id}.json"),
        caption=render(Template.PRIVACY, kind=PrivacyReply.DATA),
    )


async def forget_me_command(update: Update, context: BotContext) -> None:
    nonce = secrets.token_hex(4)
    context.state.open_form(StateKey.FORGET, {"nonce": nonce})
    await reply(update, Template.PRIVACY, keyboards.confirm_forget(nonce), kind=PrivacyReply.ASK)


def _end_conversations(update: Update, context: BotContext) -> None:
    """End the user's place in every conversation, in memory (and so in the database at the
    next save). python-telegram-bot has no public way to end a conversation from outside
    it: each ConversationHandler is set to END for this user as its own callbacks do."""
    for group in context.application.handlers.values():
        for handler in group:
            if isinstance(handler, ConversationHandler):
                handler._update_state(ConversationHandler.END, handler._get_key(update))


async def forget_button(update: Update, context: BotContext) -> None:
    """Yes, erase everything, or Keep (each works once)."""
    pressed = await pressed_confirmation(update, context, Prefix.FORGET, StateKey.FORGET)
    if pressed is None:
        return
    _pending, refused = pressed
    if refused:
        context.state.close(StateKey.FORGET)
        await reply(update, Template.PRIVACY, kind=PrivacyReply.KEPT)
        return
    assert update.effective_user is not None
    user_id = update.effective_user.id
    s = context.services
    with s.session() as session:
        forget_user(session=session, user_id=user_id)
    s.forget(user_id)
    _end_conversations(update, context)
    context.application.drop_user_data(user_id)
    await reply(update, Template.PRIVACY, kind=PrivacyReply.FORGOTTEN)

"""✉️ First messages, under a plan's shortlist: a short message to each creator booked now,
ready to copy or forward, each in its creator's language (knowledge.writing.outreach), after
the creator briefs, one printable page each (knowledge.files.creator_briefs); what the owner
reads about them is in the owner's language.

When the brief names no shop (no `shop_name=`, no `shop=` address), the button first asks
for the shop's name, in one message with a Skip button (a one-question form kept under
`StateKey.SHOP_NAME`): the answer is kept in the saved brief as its `shop_name`, as typing
`shop_name=…` would, so that the messages, the codes, the plan file and the creator briefs
say it from then on; Skip keeps the stand-in (`SHOP-…`), and the intro says how to name it.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Mapping

from telegram import CopyTextButton, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from handlers import keyboards
from handlers.callbacks import SKIP, Prefix, View, data, id_part, parts_of, pattern
from handlers.context import BotContext, StateKey
from handlers.forms import TYPED, Form, FormName, cancel_command
from handlers.recommendation import shown_view
from handlers.services import reply, send_text, typed_text, user_id_of
from knowledge.advice.posts import with_posts, with_shop_name
from knowledge.advice.stored import StoredRecommendation
from knowledge.base import KnowledgeBase
from knowledge.files.creator_briefs import creator_briefs_html, emails_in_briefs
from knowledge.reading import brief_form as form
from knowledge.reading.parsing import is_skip
from knowledge.reading.shop import SHOP_NAME, take_shop_answer
from knowledge.writing.i18n import _
from knowledge.writing.outreach import (
    booked,
    counter_offers,
    first_message_in_chat,
    in_english_instead,
    reserve_only,
    shop_words,
)
from knowledge.writing.render import render
from knowledge.writing.replies import Template
from storage.campaigns import brief_of, replace_recommendation

ASK = "shop_name"


async def send_first_messages(
    update: Update, stored: StoredRecommendation, kb: KnowledgeBase
) -> None:
    """The creator briefs' document (sent at once: it goes first), then an intro and one
    message per creator booked now (held until the state is saved). A plan stored before its
    lines said what they buy gets them made now, as a new plan would."""
    stored = with_posts(stored, kb.posts)
    lines = booked(stored)
    chat = update.effective_chat
    if lines and chat is not None:
        document = creator_briefs_html(stored, kb).encode()
        await chat.send_document(
            InputFile(io.BytesIO(document), "creator-briefs.html"),
            caption=render(
                Template.CREATOR_BRIEFS_CAPTION, count=len(lines), emails=emails_in_briefs(stored)
            ),
        )
    reserve = reserve_only(stored)
    await reply(
        update,
        Template.FIRST_MESSAGES_INTRO,
        count=len(lines),
        reserve=reserve,
        counters=counter_offers(stored, kb),
        currency=stored.brief.currency,
        english=in_english_instead(stored),
        unnamed=bool(lines) and shop_words(stored) is None,
    )
    for line in lines:
        text, copy = first_message_in_chat(stored, line, kb)
        await send_text(update, text, copy_button(*copy) if copy else None)


def copy_button(kind: str, text: str) -> InlineKeyboardMarkup:
    """📎 under a first message: one tap copies `text` (Telegram's copy-text button), the
    message itself when it fits, else its promo code and link, else its code."""
    labels = {
        "message": _("📎 Copy the message"),
        "code_link": _("📎 Copy the code and link"),
        "code": _("📎 Copy the code"),
    }
    button = InlineKeyboardButton(labels[kind], copy_text=CopyTextButton(text))
    return InlineKeyboardMarkup([[button]])


def _saved(context: BotContext, user_id: int, saved_id: int | None) -> StoredRecommendation | None:
    if saved_id is None:
        return None
    with context.services.session() as session:
        saved = brief_of(session=session, user_id=user_id, brief_id=saved_id)
    return StoredRecommendation.of(saved.recommendation if saved is not None else None)


async def _ask(update: Update, context: BotContext, step: str, retry: bool = False) -> str:
    skip = keyboards.markup([[(_("Skip"), data(Prefix.SHOP_NAME, SKIP))]])
    await reply(update, Template.ASK_SHOP_NAME, skip, retry=retry)
    return step


async def first_messages_button(update: Update, context: BotContext) -> str | int:
    """✉️ First messages: the messages at once when the brief names the shop (or books no
    one), else the shop's name asked first."""
    query = update.callback_query
    assert query is not None
    parts = parts_of(query.data, Prefix.VIEW)
    saved_id = id_part(parts)
    stored = _saved(context, query.from_user.id, saved_id)
    if stored is None:
        await query.answer(render(Template.EXPIRED))
        return ConversationHandler.END
    await query.answer()
    if shop_words(stored) is not None or not booked(stored):
        context.state.close(StateKey.SHOP_NAME)
        await send_first_messages(update, stored, context.services.kb)
        return ConversationHandler.END
    # Pressed under a Shortlist page (its page in the data): that message is drawn again
    # once the name makes new codes, so that it shows the codes the messages give.
    page = id_part(parts, 2)
    shortlist = query.message.message_id if query.message and page is not None else None
    context.state.open_form(
        StateKey.SHOP_NAME, {"brief": saved_id, "shortlist": shortlist, "page": page}
    )
    return await _ask(update, context, ASK)


async def _redraw_shortlist(
    update: Update, context: BotContext, asked: Mapping[str, object], stored: StoredRecommendation
) -> None:
    """The Shortlist the button was pressed under (`asked`: the question's form), drawn
    again with the new codes."""
    saved_id, message_id, page = asked.get("brief"), asked.get("shortlist"), asked.get("page")
    chat = update.effective_chat
    if chat is None or not isinstance(saved_id, int):
        return
    if not isinstance(message_id, int) or not isinstance(page, int):
        return
    text, keyboard = shown_view(saved_id, View.SHORTLIST, page, stored, context.services)
    with contextlib.suppress(BadRequest):  # deleted or too old to edit: the messages say it
        await context.bot.edit_message_text(text, chat.id, message_id, reply_markup=keyboard)


async def shop_name_typed(update: Update, context: BotContext) -> str | int:
    """The shop's name typed (`Chez Marie`, or `shop_name=Chez Marie`): kept in the saved
    brief, its codes made again with it, then the messages; `skip` typed is Skip; asked
    again when it can't be a name (over 60 characters, or no letter: `2`)."""
    text = typed_text(update)
    if is_skip(text):
        return await _skipped(update, context)
    pairs = form.one_line(text)[0] if "=" in text else []
    typed = next((value for field, value in pairs if field == SHOP_NAME), text)
    answer: dict[str, str] = {}
    if not any(c.isalpha() for c in typed) or take_shop_answer(SHOP_NAME, answer, typed, ()):
        return await _ask(update, context, ASK, retry=True)
    user_id = user_id_of(update)
    asked = dict(context.state.form(StateKey.SHOP_NAME))
    saved_id = asked.get("brief")
    stored = _saved(context, user_id, saved_id if isinstance(saved_id, int) else None)
    context.state.close(StateKey.SHOP_NAME)
    if stored is None or not isinstance(saved_id, int):
        await reply(update, Template.EXPIRED)
        return ConversationHandler.END
    kb = context.services.kb
    stored = with_shop_name(stored, answer[SHOP_NAME], kb.posts)
    with context.services.session() as session:
        replace_recommendation(
            session=session, user_id=user_id, brief_id=saved_id, recommendation=stored.to_json()
        )
    await _redraw_shortlist(update, context, asked, stored)
    await send_first_messages(update, stored, kb)
    return ConversationHandler.END


async def skip_pressed(update: Update, context: BotContext) -> int:
    """Skip: the messages as they are, the codes starting with SHOP."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(None)
    return await _skipped(update, context)


async def _skipped(update: Update, context: BotContext) -> int:
    saved_id = context.state.form(StateKey.SHOP_NAME).get("brief")
    stored = _saved(context, user_id_of(update), saved_id if isinstance(saved_id, int) else None)
    context.state.close(StateKey.SHOP_NAME)
    if stored is None:
        await reply(update, Template.EXPIRED)
    else:
        await send_first_messages(update, stored, context.services.kb)
    return ConversationHandler.END


def conversation() -> Form:
    """The first messages' button, as the entry to the shop's name question."""
    return Form(
        form=FormName.SHOP_NAME,
        commands=(),
        entry_points=[
            CallbackQueryHandler(
                first_messages_button,
                pattern=pattern(Prefix.VIEW, rf"\d+:{View.FIRST_MESSAGES.value}(?::\d+)?"),
            )
        ],
        states={
            ASK: [
                MessageHandler(TYPED, shop_name_typed),
                CallbackQueryHandler(skip_pressed, pattern=pattern(Prefix.SHOP_NAME, SKIP)),
            ]
        },
        fallbacks=[cancel_command(StateKey.SHOP_NAME)],
        ask_again=_ask,
    )

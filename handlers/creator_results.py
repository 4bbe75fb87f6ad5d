"""Results per creator at a check-in: lines naming each creator by handle or promo code
(`@anna 12 sales 3400 reach`), or a shop's discount codes export (CSV) sent as a file; read
by knowledge.reading.creator_results against the campaign's creators, saved, and compared
with each creator's and each side's own forecast.

What was read right is saved; what was not is said, and the check-in still waits for the
corrected lines or file.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from handlers.campaigns import by_creator_of
from handlers.charts import send_creators_chart_after
from handlers.common import stray_message, uploaded_text
from handlers.context import BotContext
from handlers.services import reply, user_id_of
from knowledge.reading.creator_results import Named, PerCreator, read_codes_file, read_lines
from knowledge.writing.replies import Template
from storage.campaigns import campaign_details, checkin_of
from storage.models import Reminder
from storage.pipeline import record_creator_results

LINE = "r_line"  # the results form's step: the check-in still waits for results


def _named(context: BotContext, reminder: Reminder) -> list[Named]:
    """The campaign's creators still in it, as the owner may name them."""
    assert reminder.campaign_id is not None
    with context.services.session() as session:
        details = campaign_details(
            session=session, user_id=reminder.user_id, campaign_id=reminder.campaign_id
        )
    creators = details.creators if details is not None else []
    return [
        Named(c.id, c.handle, c.promo_code)
        for c in creators
        if c.id is not None and c.replaced_by is None
    ]


async def save_read(
    update: Update, context: BotContext, reminder: Reminder, read: PerCreator
) -> str | int:
    """Save what was read, say what was not, and compare each creator and side with their
    forecast, in words and then as a chart (once something was saved); the check-in is
    answered once nothing is left to correct."""
    s = context.services
    assert reminder.campaign_id is not None
    with s.session() as session:
        saved = record_creator_results(
            session=session,
            campaign_id=reminder.campaign_id,
            stage=reminder.stage or "",
            reminder_id=reminder.id,
            values=read.values,
        )
        details = campaign_details(
            session=session, user_id=reminder.user_id, campaign_id=reminder.campaign_id
        )
    by = by_creator_of(details) if details is not None else None
    await reply(
        update,
        Template.CREATOR_RESULTS,
        saved=saved,
        problems=read.problems,
        columns=read.columns,
        left_aside=read.left_aside,
        by_creator=by,
    )
    if saved:
        send_creators_chart_after(update, context, by)
    if read.problems:
        return LINE
    context.state.checkin_answered()
    return ConversationHandler.END


async def lines_typed(
    update: Update, context: BotContext, reminder: Reminder, text: str
) -> str | int:
    """One line per creator."""
    read = read_lines(text, _named(context, reminder), context.services.currency)
    return await save_read(update, context, reminder, read)


async def file_sent(update: Update, context: BotContext) -> None:
    """A file outside the forms: a shop's discount codes file while a check-in waits for
    results; any other file, where files outside a form go."""
    await _read_file(update, context)


async def file_in_form(update: Update, context: BotContext) -> str | int:
    """A file sent after 📝 Enter results."""
    return await _read_file(update, context)


async def _read_file(update: Update, context: BotContext) -> str | int:
    message = update.effective_message
    document = message.document if message is not None else None
    reminder_id = context.state.awaited_checkin
    reminder = None
    if reminder_id is not None:
        with context.services.session() as session:
            reminder = checkin_of(
                session=session, user_id=user_id_of(update), reminder_id=reminder_id
            )
    if document is None or reminder is None:
        await stray_message(update, context)
        return ConversationHandler.END
    text = await uploaded_text(update, document, "codes.csv")
    if text is None:
        return LINE
    read = read_codes_file(text, _named(context, reminder), context.services.currency)
    return await save_read(update, context, reminder, read)

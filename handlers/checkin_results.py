"""Results at a check-in: typed in one line (`reach=12000 sales=35 spent=700`), straight
after the check-in message or after 📝 Enter results, or step by step; then compared with
the forecast. Results per creator (a line each, or a shop's discount codes file) go to
handlers.creator_results.

The check-in being answered is the one the user's state awaits (see handlers.context).
"""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers import creator_results, keyboards
from handlers.callbacks import SKIP, Prefix, id_part, parts_of, pattern
from handlers.campaigns import comparison_of
from handlers.charts import send_results_chart_after
from handlers.context import BotContext, StateKey
from handlers.creator_results import LINE
from handlers.forms import Form, FormName, NotOpen, cancel_command
from handlers.services import reply, typed_text, user_id_of
from knowledge.reading.creator_results import is_per_creator
from knowledge.reading.parsing import is_skip
from knowledge.reading.results import (
    RESULT_ORDER,
    ResultsInvalid,
    is_results_line,
    parse_result_value,
    parse_results,
    value_problem,
)
from knowledge.writing.render import render
from knowledge.writing.replies import Template
from storage.campaigns import campaign_details, checkin_of, record_results
from storage.models import Reminder

STEP = "r_step"


def _awaited_checkin(context: BotContext, user_id: int) -> Reminder | None:
    reminder_id = context.state.awaited_checkin
    if reminder_id is None:
        return None
    with context.services.session() as session:
        return checkin_of(session=session, user_id=user_id, reminder_id=reminder_id)


async def _save(
    update: Update, context: BotContext, reminder: Reminder, values: dict[str, int]
) -> int:
    s = context.services
    assert reminder.campaign_id is not None and reminder.id is not None
    with s.session() as session:
        record_results(
            session=session,
            campaign_id=reminder.campaign_id,
            stage=reminder.stage or "",
            reminder_id=reminder.id,
            values=values,
        )
        details = campaign_details(
            session=session, user_id=reminder.user_id, campaign_id=reminder.campaign_id
        )
    comparison = comparison_of(details) if details is not None else None
    context.state.checkin_answered()
    await reply(update, Template.RESULTS_SAVED, comparison=comparison, currency=s.currency)
    if comparison is not None:
        send_results_chart_after(update, context, comparison)
    return ConversationHandler.END


async def _ask_line(update: Update, context: BotContext, problems: list[str]) -> str:
    await reply(
        update,
        Template.RESULTS_ASK,
        keyboards.results_step_by_step(),
        problems=problems,
        field=None,
        currency=context.services.currency,
    )
    return LINE


async def results_button(update: Update, context: BotContext) -> str | int:
    """📝 Enter results under a check-in."""
    query = update.callback_query
    assert query is not None
    reminder_id = id_part(parts_of(query.data, Prefix.ENTER_RESULTS))
    reminder = None
    if reminder_id is not None:
        with context.services.session() as session:
            reminder = checkin_of(
                session=session, user_id=query.from_user.id, reminder_id=reminder_id
            )
    if reminder is None or reminder.id is None:
        await query.answer(render(Template.EXPIRED))
        return ConversationHandler.END
    await query.answer()
    context.state.await_checkin_results(reminder.id)
    context.state.open_form(StateKey.RESULTS_DRAFT)
    return await _ask_line(update, context, [])


async def results_typed(update: Update, context: BotContext) -> str | int:
    """A line of results (also straight after a check-in message, without a button)."""
    reminder = _awaited_checkin(context, user_id_of(update))
    if reminder is None:
        await reply(update, Template.FALLBACK_TEXT)
        return ConversationHandler.END
    text = typed_text(update)
    if is_per_creator(text):
        return await creator_results.lines_typed(update, context, reminder, text)
    try:
        values = parse_results(text, context.services.currency)
    except ResultsInvalid as exc:
        return await _ask_line(update, context, exc.problems)
    return await _save(update, context, reminder, values)


async def _ask_step(update: Update, context: BotContext, problem: str = "") -> str | int:
    draft = context.state.form(StateKey.RESULTS_DRAFT)
    field = next((f for f in RESULT_ORDER if f not in draft), None)
    if field is None:
        reminder = _awaited_checkin(context, user_id_of(update))
        if reminder is None:
            await reply(update, Template.EXPIRED)
            return ConversationHandler.END
        values = {k: v for k, v in draft.items() if v is not None}
        return await _save(update, context, reminder, values)
    await reply(
        update,
        Template.RESULTS_ASK,
        keyboards.results_skip(),
        problems=[problem] if problem else [],
        field=field,
        currency=context.services.currency,
    )
    return STEP


async def results_step_button(update: Update, context: BotContext) -> str | int:
    """Step by step, or Skip for the figure asked."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    draft = context.state.form(StateKey.RESULTS_DRAFT)
    if parts_of(query.data, Prefix.RESULTS_STEP) == [SKIP]:
        field = next((f for f in RESULT_ORDER if f not in draft), None)
        if field is not None:
            draft[field] = None
    return await _ask_step(update, context)


async def results_step_typed(update: Update, context: BotContext) -> str | int:
    draft = context.state.form(StateKey.RESULTS_DRAFT)
    field = next((f for f in RESULT_ORDER if f not in draft), None)
    text = typed_text(update).strip()
    if field is None:
        return await _ask_step(update, context)
    if is_skip(text):
        draft[field] = None
        return await _ask_step(update, context)
    try:
        draft[field] = parse_result_value(field, text, context.services.currency)
    except ValueError as exc:
        if is_results_line(text):  # a whole line of results, typed at a step
            return await results_typed(update, context)
        return await _ask_step(update, context, value_problem(text, exc))
    return await _ask_step(update, context)


async def _ask_again(update: Update, context: BotContext, step: str) -> None:
    if step == LINE:
        await _ask_line(update, context, [])
    else:
        await _ask_step(update, context)


class ResultsLine(filters.MessageFilter):
    """A message that starts as a line of results (knowledge.reading.results.is_results_line),
    or whose lines each give a creator's (knowledge.reading.creator_results.is_per_creator)."""

    def filter(self, message: Message) -> bool:
        text = message.text or ""
        return is_results_line(text) or is_per_creator(text)


def conversation() -> Form:
    typed = filters.TEXT & ~filters.COMMAND
    results_line = ResultsLine()
    # A line typed out of the form opens it; inside it, a figure in words (`12 ventes` at
    # the sales question) is that question's answer.
    closed = NotOpen()

    def typed_or_pressed(typed_callback: Any, rest: str) -> list[BaseHandler[Any, BotContext, Any]]:
        return [
            MessageHandler(typed, typed_callback),
            CallbackQueryHandler(results_step_button, pattern=pattern(Prefix.RESULTS_STEP, rest)),
        ]

    results = Form(
        form=FormName.RESULTS,
        commands=(),
        entry_points=[
            CallbackQueryHandler(results_button, pattern=pattern(Prefix.ENTER_RESULTS, r"\d+")),
            MessageHandler(typed & results_line & closed & filters.ChatType.PRIVATE, results_typed),
        ],
        states={
            LINE: [
                *typed_or_pressed(results_typed, "go"),
                MessageHandler(filters.Document.ALL, creator_results.file_in_form),
            ],
            STEP: typed_or_pressed(results_step_typed, SKIP),
        },
        fallbacks=[cancel_command(StateKey.RESULTS_DRAFT)],
        ask_again=_ask_again,
    )
    closed.form = results
    return results

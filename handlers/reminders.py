"""/remind, /reminders (with a cancel button each), /timezone, the time zone question (asked
once, the first time a time is shown to a user who never chose a zone), and resuming the
reminders of a user who had blocked the bot."""

from __future__ import annotations

from telegram import Update

from handlers import keyboards
from handlers.callbacks import Prefix, data, id_part, parts_of
from handlers.context import BotContext
from handlers.forms import ask_open_forms_again
from handlers.services import command_args, reply, user_id_of
from knowledge.campaigns.checkins import stage_advice
from knowledge.reading.places import zone_guess
from knowledge.reading.when import WhenError, find_zone, parse_when
from knowledge.writing.i18n import _
from knowledge.writing.replies import RemindReply, Template, WhenAsked, ZoneReply
from storage.campaigns import campaigns_of, cancel_reminder, pending_reminders, set_timezone

MAX_LISTED = 30
OTHER_ZONE = "other"  # the time zone question's Other… button: /timezone's buttons
REMIND = "remind"  # a reminder waiting for the time zone question's answer


async def zone_first(update: Update, context: BotContext, then: dict[str, str]) -> bool:
    """Whether the time zone question was asked, `then` waiting for its answer: before a
    time is shown to a user who never chose a zone. The zone their Telegram language suggests
    is offered in one tap, beside Other… (the bot's own zone when the language names none,
    `en` alone). Never again once they chose a zone."""
    user = update.effective_user
    if user is None or context.state.zone_answered:
        return False
    guess = zone_guess(user.language_code) or context.services.timezone
    if context.services.chosen_zone(user.id) is not None:
        return False
    context.state.ask_zone(then)
    buttons = [
        (guess, data(Prefix.TIMEZONE, guess)),
        (_("Other…"), data(Prefix.TIMEZONE, OTHER_ZONE)),
    ]
    await reply(
        update,
        Template.TIMEZONE_RESULT,
        keyboards.markup([buttons]),
        kind=ZoneReply.QUESTION,
        zone=guess,
    )
    return True


async def remind_command(update: Update, context: BotContext) -> None:
    words = command_args(update)
    if not words.strip():
        await reply(update, Template.REMIND_RESULT, kind=RemindReply.USAGE)
        return
    await _remind(update, context, words, ask_zone=True)


async def _remind(update: Update, context: BotContext, words: str, ask_zone: bool) -> None:
    """Set the reminder `words` say (`in 2 hours call Léa`); with `ask_zone`, once it reads,
    the time zone question may come first (the reminder is set once it is answered)."""
    s = context.services
    user_id = user_id_of(update)
    zone = s.zone_of(user_id)
    try:
        due, text = parse_when(words, s.clock.now(), zone)
    except WhenError as exc:
        await reply(
            update,
            Template.WHEN_PROBLEM,
            problem=exc.problem.value,
            detail=exc.detail,
            what=WhenAsked.WHEN,
            keep=False,
        )
        return
    if not text.strip():
        await reply(update, Template.REMIND_RESULT, kind=RemindReply.EMPTY)
        return
    if ask_zone and await zone_first(update, context, {"then": REMIND, "words": words}):
        return
    context.delivery.add_reminder(user_id=user_id, due_at=due, text=text)
    await reply(
        update,
        Template.REMIND_RESULT,
        kind=RemindReply.SET,
        due=due.astimezone(zone),
        zone=zone.key,
    )


async def reminders_command(update: Update, context: BotContext) -> None:
    await _show_reminders(update, context, user_id_of(update), 0)


async def reminders_page_button(update: Update, context: BotContext) -> None:
    """◀ / ▶ under /reminders: MAX_LISTED at a time, so each can be cancelled."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    page = id_part(parts_of(query.data, Prefix.REMINDERS_PAGE)) or 0
    await _show_reminders(update, context, query.from_user.id, page)


async def _show_reminders(update: Update, context: BotContext, user_id: int, page: int) -> None:
    s = context.services
    zone = s.zone_of(user_id)
    with s.session() as session:
        everything = pending_reminders(session=session, user_id=user_id)
        campaign_names = {c.id: c.name for c in campaigns_of(session=session, user_id=user_id)}
    pages = max(1, -(-len(everything) // MAX_LISTED))
    page = min(page, pages - 1)
    shown = everything[page * MAX_LISTED : (page + 1) * MAX_LISTED]
    ids = [r.id for r in shown if r.id is not None]
    await reply(
        update,
        Template.REMIND_RESULT,
        keyboards.reminders(ids, page, pages, first=page * MAX_LISTED + 1) if ids else None,
        kind=RemindReply.LIST,
        reminders=shown,
        offset=page * MAX_LISTED,
        total=len(everything),
        campaign_names=campaign_names,
        stage_labels={r.stage: stage_advice(r.stage, s.kb).label for r in shown if r.stage},
        tz=zone,
        zone=zone.key,
    )


async def cancel_reminder_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    reminder_id = id_part(parts_of(query.data, Prefix.CANCEL_REMINDER))
    done = False
    if reminder_id is not None:
        with context.services.session() as session:
            done = cancel_reminder(
                session=session, user_id=query.from_user.id, reminder_id=reminder_id
            )
    await query.answer()
    kind = RemindReply.CANCELLED if done else RemindReply.GONE
    await reply(update, Template.REMIND_RESULT, kind=kind)


async def timezone_command(update: Update, context: BotContext) -> None:
    """/timezone Paris sets the zone; /timezone alone shows buttons. Inside a form, the form
    asks its question again once the zone is set."""
    text = command_args(update).strip()
    if text:
        await _set_zone(update, context, text)
        return
    await _zone_buttons(update, context)


async def _zone_buttons(update: Update, context: BotContext) -> None:
    await reply(
        update,
        Template.TIMEZONE_RESULT,
        keyboards.timezones(),
        kind=ZoneReply.ASK,
        zone=context.services.zone_of(user_id_of(update)).key,
    )


async def _set_zone(update: Update, context: BotContext, text: str) -> None:
    """Set the zone `text` names; then go on with what waited for it: a reminder, and the
    question of an open form."""
    zone = find_zone(text)
    if zone is None:
        await reply(update, Template.TIMEZONE_RESULT, kind=ZoneReply.UNKNOWN, text=text)
    else:
        user = update.effective_user
        assert user is not None
        context.services.remember_user(user.id, user.language_code)  # their row, with it
        with context.services.session() as session:
            set_timezone(session=session, user_id=user.id, timezone=zone)
        await reply(update, Template.TIMEZONE_RESULT, kind=ZoneReply.SET, zone=zone)
        waiting = context.state.answer_zone()
        if waiting.get("then") == REMIND:
            await _remind(update, context, str(waiting.get("words", "")), ask_zone=False)
    await ask_open_forms_again(update, context)


async def timezone_button(update: Update, context: BotContext) -> None:
    """A zone under /timezone or the time zone question, or that question's Other…."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    zone = ":".join(parts_of(query.data, Prefix.TIMEZONE))
    if zone == OTHER_ZONE:
        await _zone_buttons(update, context)
    else:
        await _set_zone(update, context, zone)


async def resume_paused(update: object, context: BotContext) -> None:
    """Any update from a user whose reminders were paused (they had blocked the bot)."""
    if isinstance(update, Update) and update.effective_user is not None:
        await context.delivery.resume(update.effective_user.id)

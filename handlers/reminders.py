"""/remind, /reminders (with a cancel button each), /timezone, and resuming the reminders
of a user who had blocked the bot."""

from __future__ import annotations

from telegram import Update

from handlers import keyboards
from handlers.callbacks import Prefix, id_part, parts_of
from handlers.context import BotContext
from handlers.services import Services, command_args, reply, user_id_of
from knowledge.campaigns.checkins import stage_advice
from knowledge.reading.when import WhenError, find_zone, parse_when
from knowledge.writing.replies import RemindReply, Template, WhenAsked, ZoneReply
from storage.campaigns import campaigns_of, cancel_reminder, pending_reminders, set_timezone

MAX_LISTED = 30


async def remind_command(update: Update, context: BotContext) -> None:
    s = context.services
    user_id = user_id_of(update)
    words = command_args(update)
    if not words.strip():
        await reply(update, Template.REMIND_RESULT, kind=RemindReply.USAGE)
        return
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
    s = context.services
    user_id = user_id_of(update)
    text = command_args(update).strip()
    if text:
        await _set_zone(update, s, user_id, text)
        return
    await reply(
        update,
        Template.TIMEZONE_RESULT,
        keyboards.timezones(),
        kind=ZoneReply.ASK,
        zone=s.zone_of(user_id).key,
    )


async def _set_zone(update: Update, s: Services, user_id: int, text: str) -> None:
    zone = find_zone(text)
    if zone is None:
        await reply(update, Template.TIMEZONE_RESULT, kind=ZoneReply.UNKNOWN, text=text)
        return
    with s.session() as session:
        set_timezone(session=session, user_id=user_id, timezone=zone)
    await reply(update, Template.TIMEZONE_RESULT, kind=ZoneReply.SET, zone=zone)


async def timezone_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    zone = ":".join(parts_of(query.data, Prefix.TIMEZONE))
    await _set_zone(update, context.services, query.from_user.id, zone)


async def resume_paused(update: object, context: BotContext) -> None:
    """Any update from a user whose reminders were paused (they had blocked the bot)."""
    if isinstance(update, Update) and update.effective_user is not None:
        await context.delivery.resume(update.effective_user.id)

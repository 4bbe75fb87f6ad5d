"""Rename, move or delete a campaign, from the buttons under its card.

Renaming and moving ask one question each (a form kept under `StateKey.CAMPAIGN_CHANGE`);
deleting asks for a confirmation. Moving gives the campaign a new start day: the check-ins
still to come move with it, those already sent stay as they were.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
)

from handlers import keyboards
from handlers.callbacks import NO, CampaignAction, Prefix, id_part, parts_of, pattern
from handlers.context import BotContext, StateKey
from handlers.forms import TYPED, Form, FormName, cancel_command, typed_or_pressed
from handlers.services import reply, typed_text, user_id_of
from knowledge.campaigns.schedule import checkin_schedule, read_campaign_name
from knowledge.reading.when import WhenError, parse_start
from knowledge.writing.render import render
from knowledge.writing.replies import CampaignChange, Template, WhenAsked
from storage.campaigns import (
    CAMPAIGN_NAME_LIMIT,
    campaign_of,
    delete_campaign,
    move_campaign,
    rename_campaign,
)
from storage.models import Campaign

RENAME, NEW_START = "cc_rename", "cc_start"


def _campaign(context: BotContext, user_id: int, campaign_id: int | None) -> Campaign | None:
    if campaign_id is None:
        return None
    with context.services.session() as session:
        return campaign_of(session=session, user_id=user_id, campaign_id=campaign_id)


async def _ask(
    update: Update, context: BotContext, step: str, problem: str = "", bad_name: bool = False
) -> str:
    change = context.state.form(StateKey.CAMPAIGN_CHANGE)
    asking_name = step == RENAME
    await reply(
        update,
        Template.CAMPAIGN_CHANGE,
        None if asking_name else keyboards.campaign_start(Prefix.NEW_START),
        kind=CampaignChange.ASK_NAME if asking_name else CampaignChange.ASK_START,
        name=change["name"],
        start=date.fromisoformat(change["start"]),
        limit=CAMPAIGN_NAME_LIMIT,
        problem=problem,
        bad_name=bad_name,
    )
    return step


async def change_button(update: Update, context: BotContext) -> str | int:
    """✏️ Rename, 📅 Move or 🗑 Delete under a campaign card."""
    query = update.callback_query
    assert query is not None
    parts = parts_of(query.data, Prefix.CHANGE_CAMPAIGN)
    campaign = _campaign(context, query.from_user.id, id_part(parts))
    action = parts[1] if len(parts) > 1 else ""
    if campaign is None or campaign.id is None or action not in set(CampaignAction):
        await query.answer(render(Template.EXPIRED))
        return ConversationHandler.END
    await query.answer()
    if action == CampaignAction.DELETE:
        await reply(
            update,
            Template.CAMPAIGN_CHANGE,
            keyboards.delete_campaign(campaign.id),
            kind=CampaignChange.CONFIRM_DELETE,
            name=campaign.name,
        )
        return ConversationHandler.END
    context.state.open_form(
        StateKey.CAMPAIGN_CHANGE,
        {"id": campaign.id, "name": campaign.name, "start": campaign.start_day.isoformat()},
    )
    return await _ask(update, context, RENAME if action == CampaignAction.RENAME else NEW_START)


async def new_name(update: Update, context: BotContext) -> str | int:
    change = context.state.form(StateKey.CAMPAIGN_CHANGE)
    name = read_campaign_name(typed_text(update), CAMPAIGN_NAME_LIMIT)
    if name is None:
        return await _ask(update, context, RENAME, bad_name=True)
    with context.services.session() as session:
        found = rename_campaign(
            session=session, user_id=user_id_of(update), campaign_id=int(change["id"]), name=name
        )
    return await _done(update, context, CampaignChange.RENAMED if found else None, name=name)


async def new_start(update: Update, context: BotContext) -> str | int:
    query = update.callback_query
    if query is not None:
        await query.answer()
        answer = ":".join(parts_of(query.data, Prefix.NEW_START))
    else:
        answer = typed_text(update)
    s = context.services
    user_id = user_id_of(update)
    change = context.state.form(StateKey.CAMPAIGN_CHANGE)
    try:
        start = parse_start(answer, s.today_for(user_id))
    except WhenError as exc:
        problem = render(
            Template.WHEN_PROBLEM,
            problem=exc.problem.value,
            detail=exc.detail,
            what=WhenAsked.DATE,
            keep=True,
        )
        return await _ask(update, context, NEW_START, problem)
    campaign = _campaign(context, user_id, int(change["id"]))
    moved = None
    if campaign is not None:
        schedule = checkin_schedule(
            start, campaign.length_days, s.zone_of(user_id), s.clock.now(), {}
        )
        with s.session() as session:
            moved = move_campaign(
                session=session,
                user_id=user_id,
                campaign_id=int(change["id"]),
                start_day=start,
                checkins=schedule,
            )
        context.delivery.arm()
    kind = CampaignChange.MOVED if moved is not None else None
    return await _done(update, context, kind, name=change["name"], start=start, moved=moved)


async def _done(
    update: Update, context: BotContext, kind: CampaignChange | None, **values: Any
) -> int:
    context.state.close(StateKey.CAMPAIGN_CHANGE)
    if kind is None:  # deleted meanwhile (or by another of the user's chats)
        await reply(update, Template.EXPIRED)
    else:
        await reply(update, Template.CAMPAIGN_CHANGE, kind=kind, **values)
    return ConversationHandler.END


async def delete_button(update: Update, context: BotContext) -> None:
    """🗑 Yes, delete / Keep, under the confirmation."""
    query = update.callback_query
    assert query is not None
    parts = parts_of(query.data, Prefix.DELETE_CAMPAIGN)
    campaign = _campaign(context, query.from_user.id, id_part(parts))
    if campaign is None or campaign.id is None:
        await query.answer(render(Template.EXPIRED))
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    if len(parts) > 1 and parts[1] == NO:
        await reply(update, Template.CAMPAIGN_CHANGE, kind=CampaignChange.KEPT)
        return
    with context.services.session() as session:
        delete_campaign(session=session, user_id=query.from_user.id, campaign_id=campaign.id)
    context.delivery.arm()
    await reply(update, Template.CAMPAIGN_CHANGE, kind=CampaignChange.DELETED, name=campaign.name)


def conversation() -> Form:
    return Form(
        form=FormName.CAMPAIGN_CHANGE,
        commands=(),
        entry_points=[
            CallbackQueryHandler(change_button, pattern=pattern(Prefix.CHANGE_CAMPAIGN, r"\d+:\w+"))
        ],
        states={
            RENAME: [MessageHandler(TYPED, new_name)],
            NEW_START: typed_or_pressed(new_start, Prefix.NEW_START),
        },
        fallbacks=[cancel_command(StateKey.CAMPAIGN_CHANGE)],
        ask_again=_ask,
    )

"""Save as campaign: a name, a start date and a length, then the check-in schedule to accept
(or move a check-in first). Answers live in the user's state (`StateKey.CAMPAIGN_DRAFT`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
)

from handlers import keyboards
from handlers.callbacks import Prefix, id_part, parts_of, pattern
from handlers.context import BotContext, StateKey
from handlers.forms import TYPED, Form, FormName, cancel_command, typed_or_pressed
from handlers.reminders import zone_first
from handlers.services import reply, typed_text, user_id_of
from knowledge.advice.stored import StoredRecommendation
from knowledge.advice.windows import planned_campaign
from knowledge.campaigns.checkins import stage_advice
from knowledge.campaigns.schedule import (
    check_moved,
    checkin_schedule,
    proposed_name,
    read_campaign_name,
)
from knowledge.reading.when import (
    WhenError,
    WhenProblem,
    local_to_utc,
    parse_length,
    parse_start,
    parse_when,
)
from knowledge.writing.render import render
from knowledge.writing.replies import CampaignStep, Template, WhenAsked
from storage.campaigns import CAMPAIGN_NAME_LIMIT, brief_of

NAME, START, LENGTH, SCHEDULE, MOVE = "c_name", "c_start", "c_length", "c_schedule", "c_move"
STEPS = {
    NAME: CampaignStep.NAME,
    START: CampaignStep.START,
    LENGTH: CampaignStep.LENGTH,
    MOVE: CampaignStep.MOVE,
}
Draft = dict[str, Any]


def _draft(context: BotContext) -> Draft:
    return context.state.form(StateKey.CAMPAIGN_DRAFT)


def waiting_draft(context: BotContext) -> Draft | None:
    """A campaign whose schedule was shown but not yet accepted (set aside when another
    command came first), or None."""
    if not context.state.has_form(StateKey.CAMPAIGN_DRAFT):
        return None
    draft = _draft(context)
    return draft if "length" in draft and "name" in draft else None


async def campaign_resume(update: Update, context: BotContext) -> str | int:
    """📅 Review, under /campaigns: the schedule set aside, to accept or move."""
    query = update.callback_query
    assert query is not None
    if waiting_draft(context) is None:
        await query.answer(render(Template.EXPIRED))
        return ConversationHandler.END
    await query.answer()
    return await _ask(update, context, SCHEDULE)


def _schedule(context: BotContext, user_id: int) -> list[tuple[str, datetime]]:
    draft = _draft(context)
    s = context.services
    moved = {stage: datetime.fromisoformat(at) for stage, at in draft.get("moved", {}).items()}
    return checkin_schedule(
        date.fromisoformat(draft["start"]),
        int(draft["length"]),
        s.zone_of(user_id),
        s.clock.now(),
        moved,
    )


def _when_problem(exc: WhenError, what: WhenAsked) -> str:
    return render(
        Template.WHEN_PROBLEM, problem=exc.problem.value, detail=exc.detail, what=what, keep=True
    )


async def _ask(
    update: Update, context: BotContext, step: str, problem: str = "", bad_name: bool = False
) -> str:
    s = context.services
    draft = _draft(context)
    if step == SCHEDULE and await zone_first(update, context, {}):
        return SCHEDULE  # the schedule is shown once the zone is answered (handlers.reminders)
    if step == SCHEDULE:
        zone = s.zone_of(user_id_of(update))
        schedule = _schedule(context, user_id_of(update))
        labels = {stage: stage_advice(stage, s.kb).label for stage, _ in schedule}
        await reply(
            update,
            Template.CAMPAIGN_SCHEDULE,
            keyboards.campaign_schedule(labels),
            name=draft["name"],
            start=date.fromisoformat(draft["start"]),
            length=int(draft["length"]),
            checkins=[(labels[stage], when.astimezone(zone)) for stage, when in schedule],
            zone=zone.key,
        )
        return SCHEDULE
    planned_start, planned_length = _planned(draft)
    keyboard: InlineKeyboardMarkup | None = {
        NAME: keyboards.campaign_name(draft.get("proposal", "")),
        START: keyboards.campaign_start(planned=planned_start),
        LENGTH: keyboards.campaign_length(planned_length),
    }.get(step)
    await reply(
        update,
        Template.CAMPAIGN_ASK,
        keyboard,
        step=STEPS[step],
        problem=problem,
        bad_name=bad_name,
        limit=CAMPAIGN_NAME_LIMIT,
        proposal=draft.get("proposal", ""),
        stage_label=stage_advice(draft.get("moving", ""), s.kb).label.lower(),
        planned_start=planned_start,
        planned_last=planned_start + timedelta(days=planned_length - 1)
        if planned_start and planned_length
        else None,
    )
    return step


def _planned(draft: Draft) -> tuple[date | None, int | None]:
    """The start day and length the plan's posting windows make (knowledge.advice.windows),
    to offer first: the length only for a campaign starting on the plan's first day."""
    if "planned_start" not in draft:
        return None, None
    start = date.fromisoformat(draft["planned_start"])
    chosen = draft.get("start")
    on_plan = chosen is None or date.fromisoformat(chosen) == start
    return start, int(draft["planned_length"]) if on_plan else None


async def campaign_start(update: Update, context: BotContext) -> str | int:
    """💾 Save as campaign, under a recommendation."""
    query = update.callback_query
    assert query is not None
    s = context.services
    brief_id = id_part(parts_of(query.data, Prefix.SAVE_CAMPAIGN))
    brief = None
    if brief_id is not None:
        with s.session() as session:
            brief = brief_of(session=session, user_id=query.from_user.id, brief_id=brief_id)
    if brief is None:
        await query.answer(render(Template.EXPIRED))
        return ConversationHandler.END
    await query.answer()
    today = s.today_for(query.from_user.id)
    draft = context.state.open_form(
        StateKey.CAMPAIGN_DRAFT,
        {
            "brief_id": brief_id,
            "proposal": proposed_name(s.labels.niche(brief.niche), brief.goal, today),
        },
    )
    stored = StoredRecommendation.of(brief.recommendation)
    planned = planned_campaign(stored, today) if stored is not None else None
    if planned is not None:
        draft["planned_start"], draft["planned_length"] = planned[0].isoformat(), planned[1]
    return await _ask(update, context, NAME)


async def campaign_name(update: Update, context: BotContext) -> str:
    draft = _draft(context)
    if update.callback_query is not None:
        await update.callback_query.answer()
        draft["name"] = draft["proposal"]
    else:
        name = read_campaign_name(typed_text(update), CAMPAIGN_NAME_LIMIT)
        if name is None:
            return await _ask(update, context, NAME, bad_name=True)
        draft["name"] = name
    return await _ask(update, context, START)


def _answer(update: Update, prefix: Prefix) -> str:
    """What a step was answered with: the button's value, or the typed text."""
    if update.callback_query is not None:
        return ":".join(parts_of(update.callback_query.data, prefix))
    return typed_text(update)


async def campaign_start_day(update: Update, context: BotContext) -> str:
    if update.callback_query is not None:
        await update.callback_query.answer()
    today = context.services.today_for(user_id_of(update))
    try:
        start = parse_start(_answer(update, Prefix.CAMPAIGN_START), today)
    except WhenError as exc:
        return await _ask(update, context, START, _when_problem(exc, WhenAsked.DATE))
    _draft(context)["start"] = start.isoformat()
    return await _ask(update, context, LENGTH)


async def campaign_length(update: Update, context: BotContext) -> str:
    if update.callback_query is not None:
        await update.callback_query.answer()
    try:
        length = parse_length(_answer(update, Prefix.CAMPAIGN_LENGTH))
    except WhenError as exc:
        return await _ask(update, context, LENGTH, _when_problem(exc, WhenAsked.LENGTH))
    draft = _draft(context)
    draft["length"] = length
    draft.pop("moved", None)
    return await _ask(update, context, SCHEDULE)


async def campaign_move_button(update: Update, context: BotContext) -> str:
    """Move one check-in: only a stage of this draft's schedule (a forged or stale button
    is answered as expired, the schedule kept)."""
    query = update.callback_query
    assert query is not None
    stage = ":".join(parts_of(query.data, Prefix.CAMPAIGN_MOVE))
    if stage not in {name for name, _at in _schedule(context, query.from_user.id)}:
        await query.answer(render(Template.EXPIRED))
        return SCHEDULE
    await query.answer()
    _draft(context)["moving"] = stage
    return await _ask(update, context, MOVE)


async def campaign_accept(update: Update, context: BotContext) -> int:
    query = update.callback_query
    assert query is not None
    await query.answer()
    s = context.services
    draft = _draft(context)
    user = query.from_user
    checkins = _schedule(context, user.id)
    s.remember_user(user.id, user.language_code)
    context.delivery.add_campaign(
        user_id=user.id,
        brief_id=int(draft["brief_id"]),
        name=draft["name"],
        start_day=date.fromisoformat(draft["start"]),
        length_days=int(draft["length"]),
        checkins=checkins,
    )
    context.state.close(StateKey.CAMPAIGN_DRAFT)
    await reply(update, Template.CAMPAIGN_SAVED, name=draft["name"], count=len(checkins))
    return ConversationHandler.END


async def campaign_move(update: Update, context: BotContext) -> str:
    s = context.services
    draft = _draft(context)
    zone = s.zone_of(user_id_of(update))
    stage = draft.get("moving", "launch")
    try:
        due, leftover = parse_when(typed_text(update), s.clock.now(), zone)
        if leftover:
            raise WhenError(WhenProblem.UNREADABLE)
        starts = local_to_utc(date.fromisoformat(draft["start"]), time(0), zone)
        check_moved(stage, due, _schedule(context, user_id_of(update)), starts)
    except WhenError as exc:
        return await _ask(update, context, MOVE, _when_problem(exc, WhenAsked.DATE))
    draft.pop("moving", None)
    draft.setdefault("moved", {})[stage] = due.isoformat()
    return await _ask(update, context, SCHEDULE)


def conversation() -> Form:
    return Form(
        form=FormName.CAMPAIGN,
        commands=(),
        entry_points=[
            CallbackQueryHandler(campaign_start, pattern=pattern(Prefix.SAVE_CAMPAIGN, r"\d+")),
            CallbackQueryHandler(campaign_resume, pattern=pattern(Prefix.RESUME_CAMPAIGN)),
        ],
        states={
            NAME: typed_or_pressed(campaign_name, Prefix.CAMPAIGN_NAME),
            START: typed_or_pressed(campaign_start_day, Prefix.CAMPAIGN_START),
            LENGTH: typed_or_pressed(campaign_length, Prefix.CAMPAIGN_LENGTH),
            SCHEDULE: [
                CallbackQueryHandler(campaign_accept, pattern=pattern(Prefix.CAMPAIGN_ACCEPT)),
                CallbackQueryHandler(campaign_move_button, pattern=pattern(Prefix.CAMPAIGN_MOVE)),
            ],
            MOVE: [MessageHandler(TYPED, campaign_move)],
        },
        fallbacks=[cancel_command(StateKey.CAMPAIGN_DRAFT)],
        ask_again=_ask,
    )

"""Campaigns, check-in results, free reminders and time zones."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers.dispatch import dispatcher
from handlers.services import Callback, Services, command_args, reply, services
from knowledge.checkins import (
    RESULT_ORDER,
    ResultsInvalid,
    compare,
    latest,
    parse_result_value,
    parse_results,
    stage_advice,
)
from knowledge.matching import niche_label
from knowledge.render import render
from knowledge.when import (
    CHECKIN_TIME,
    WhenError,
    WhenProblem,
    checkin_days,
    find_zone,
    local_to_utc,
    parse_length,
    parse_start,
    parse_when,
)
from storage.campaigns import (
    add_reminder,
    brief_of,
    campaign_of,
    campaigns_of,
    cancel_reminder,
    checkins_of,
    create_campaign,
    pending_reminders,
    record_results,
    results_of,
    set_timezone,
)
from storage.models import Campaign, Reminder

NAME, START, LENGTH, SCHEDULE, MOVE = "c_name", "c_start", "c_length", "c_schedule", "c_move"
LINE = "r_line"
STEP = "r_step"
COMMON_ZONES = (
    "Europe/Paris",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Toronto",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "UTC",
)
LENGTHS = (("1 week", 7), ("2 weeks", 14), ("4 weeks", 28))


def _user_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def _status(campaign: Campaign, today: date) -> str:
    last = campaign.start_day + timedelta(days=campaign.length_days - 1)
    if today < campaign.start_day:
        return "planned"
    return "running" if today <= last else "ended"


# ---- Save as campaign ----


def _draft(context: ContextTypes.DEFAULT_TYPE) -> dict[str, Any]:
    assert context.user_data is not None
    return context.user_data.setdefault("campaign_draft", {})


def _schedule(draft: dict[str, Any], zone: Any, now: datetime) -> list[tuple[str, datetime]]:
    """(stage, UTC time) for each check-in: 10:00 local on each day, unless moved; one whose
    time has already passed today (a campaign starting now) comes in a minute instead."""
    start = date.fromisoformat(draft["start"])
    moved = draft.get("moved", {})
    soon = now + timedelta(minutes=1)
    return [
        (
            stage.name,
            max(
                soon,
                datetime.fromisoformat(moved[stage.name])
                if stage.name in moved
                else local_to_utc(stage.day, CHECKIN_TIME, zone),
            ),
        )
        for stage in checkin_days(start, int(draft["length"]))
    ]


async def _ask_campaign(
    update: Update, context: ContextTypes.DEFAULT_TYPE, step: str, problem: str = ""
) -> str:
    s = services(context)
    draft = _draft(context)
    zone = s.zone_of(_user_id(update))
    buttons: list[list[InlineKeyboardButton]] = []
    if step == NAME:
        buttons = [[InlineKeyboardButton(f"Use “{draft['proposal']}”", callback_data="cn:use")]]
    elif step == START:
        buttons = [
            [
                InlineKeyboardButton(t, callback_data=f"cs:{t.lower()}")
                for t in ("Today", "Tomorrow", "Next Monday")
            ]
        ]
    elif step == LENGTH:
        buttons = [[InlineKeyboardButton(t, callback_data=f"cl:{d}") for t, d in LENGTHS]]
    elif step == SCHEDULE:
        schedule = _schedule(draft, zone, s.clock.now())
        labels = {stage: stage_advice(stage, s.kb).label for stage, _ in schedule}
        checkins = [(labels[stage], when.astimezone(zone)) for stage, when in schedule]
        moves = [
            InlineKeyboardButton(f"Move {labels[st].lower()}", callback_data=f"cm:{st}")
            for st in labels
        ]
        buttons = [
            [InlineKeyboardButton("✅ Accept", callback_data="ca:accept")],
            moves[:2],
            moves[2:],
        ]
        await reply(
            update,
            "campaign_schedule",
            InlineKeyboardMarkup([b for b in buttons if b]),
            name=draft["name"],
            start=date.fromisoformat(draft["start"]),
            length=int(draft["length"]),
            checkins=checkins,
            zone=zone.key,
        )
        return SCHEDULE
    await reply(
        update,
        "campaign_ask",
        InlineKeyboardMarkup(buttons) if buttons else None,
        step="move" if step == MOVE else step.removeprefix("c_"),
        problem=problem,
        proposal=draft.get("proposal", ""),
        stage_label=stage_advice(draft.get("moving", ""), s.kb).label.lower(),
    )
    return step


async def campaign_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None and context.user_data is not None
    s = services(context)
    brief_id = int(query.data.split(":")[1])
    with s.session() as session:
        brief = brief_of(session=session, brief_id=brief_id)
    if brief is None or brief.user_id != query.from_user.id:
        await query.answer(render("expired"))
        return ConversationHandler.END
    await query.answer()
    month = s.clock.now().astimezone(s.zone_of(query.from_user.id)).strftime("%b %Y")
    proposal = f"{niche_label(s.kb, brief.niche)} {brief.goal} — {month}"
    context.user_data["campaign_draft"] = {
        "brief_id": brief_id,
        "proposal": proposal,
        "id": secrets.token_hex(4),
    }
    return await _ask_campaign(update, context, NAME)


async def campaign_name(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    draft = _draft(context)
    if update.callback_query is not None:
        await update.callback_query.answer()
        draft["name"] = draft["proposal"]
    else:
        text = (update.effective_message.text or "").strip() if update.effective_message else ""
        if not 1 <= len(text) <= 120:
            return await _ask_campaign(update, context, NAME, "A name of 1 to 120 characters.")
        draft["name"] = text
    return await _ask_campaign(update, context, START)


async def campaign_start_day(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    s = services(context)
    draft = _draft(context)
    zone = s.zone_of(_user_id(update))
    today = s.clock.now().astimezone(zone).date()
    if update.callback_query is not None:
        await update.callback_query.answer()
        text = (update.callback_query.data or "").split(":", 1)[1]
    else:
        text = update.effective_message.text or "" if update.effective_message else ""
    try:
        draft["start"] = parse_start(text, today).isoformat()
    except WhenError as exc:
        problem = render(
            "when_problem", problem=exc.problem.value, detail=exc.detail, what="date", keep=True
        )
        return await _ask_campaign(update, context, START, problem)
    return await _ask_campaign(update, context, LENGTH)


async def campaign_length(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    draft = _draft(context)
    if update.callback_query is not None:
        await update.callback_query.answer()
        text = (update.callback_query.data or "").split(":", 1)[1]
    else:
        text = update.effective_message.text or "" if update.effective_message else ""
    try:
        draft["length"] = parse_length(text)
    except WhenError as exc:
        problem = render(
            "when_problem", problem=exc.problem.value, detail=exc.detail, what="length", keep=True
        )
        return await _ask_campaign(update, context, LENGTH, problem)
    draft.pop("moved", None)
    return await _ask_campaign(update, context, SCHEDULE)


async def campaign_schedule_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None and context.user_data is not None
    await query.answer()
    s = services(context)
    draft = _draft(context)
    kind, value = query.data.split(":", 1)
    if kind == "cm":
        draft["moving"] = value
        return await _ask_campaign(update, context, MOVE)
    zone = s.zone_of(query.from_user.id)
    checkins = _schedule(draft, zone, s.clock.now())
    with s.session() as session:
        s.remember_user(session, query.from_user.id, query.from_user.language_code)
        create_campaign(
            session=session,
            user_id=query.from_user.id,
            brief_id=int(draft["brief_id"]),
            name=draft["name"],
            start_day=date.fromisoformat(draft["start"]),
            length_days=int(draft["length"]),
            checkins=checkins,
        )
    context.user_data.pop("campaign_draft", None)
    dispatcher(context.application).arm()
    await reply(update, "campaign_saved", name=draft["name"], count=len(checkins))
    return ConversationHandler.END


async def campaign_move(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    s = services(context)
    draft = _draft(context)
    zone = s.zone_of(_user_id(update))
    text = update.effective_message.text or "" if update.effective_message else ""
    try:
        due, leftover = parse_when(text, s.clock.now(), zone)
        if leftover:
            raise WhenError(WhenProblem.UNREADABLE)
    except WhenError as exc:
        problem = render(
            "when_problem", problem=exc.problem.value, detail=exc.detail, what="date", keep=True
        )
        return await _ask_campaign(update, context, MOVE, problem)
    draft.setdefault("moved", {})[draft.pop("moving", "launch")] = due.isoformat()
    return await _ask_campaign(update, context, SCHEDULE)


async def campaign_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    if context.user_data is not None:
        context.user_data.pop("campaign_draft", None)
    await reply(update, "cancelled")
    return ConversationHandler.END


def _typed_or_pressed(typed: Callback, pressed: Callback, pattern: str) -> list[Any]:
    """A step answered by typing or by one of its buttons."""
    return [
        MessageHandler(filters.TEXT & ~filters.COMMAND, typed),
        CallbackQueryHandler(pressed, pattern=pattern),
    ]


def campaign_conversation() -> ConversationHandler:
    typed = filters.TEXT & ~filters.COMMAND
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(campaign_start, pattern=r"^camp:\d+$")],
        states={
            NAME: _typed_or_pressed(campaign_name, campaign_name, r"^cn:"),
            START: _typed_or_pressed(campaign_start_day, campaign_start_day, r"^cs:"),
            LENGTH: _typed_or_pressed(campaign_length, campaign_length, r"^cl:"),
            SCHEDULE: [CallbackQueryHandler(campaign_schedule_button, pattern=r"^c[am]:")],
            MOVE: [MessageHandler(typed, campaign_move)],
        },
        fallbacks=[CommandHandler("cancel", campaign_cancel)],
        name="campaign",
        persistent=True,
        allow_reentry=True,
    )


# ---- /campaigns and /results ----


def _comparison(s: Services, session: Any, campaign: Campaign) -> Any:
    brief = brief_of(session=session, brief_id=campaign.brief_id)
    results = results_of(session=session, campaign_id=campaign.id or 0)
    actual = latest(r.model_dump() for r in results)
    return compare(brief.recommendation if brief else {}, actual, s.kb)


async def campaigns_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    user_id = _user_id(update)
    today = s.clock.now().astimezone(s.zone_of(user_id)).date()
    with s.session() as session:
        campaigns = campaigns_of(session=session, user_id=user_id)
    buttons = [
        InlineKeyboardButton(str(n), callback_data=f"cp:{c.id}")
        for n, c in enumerate(campaigns[:20], start=1)
    ]
    keyboard = InlineKeyboardMarkup([buttons[i : i + 5] for i in range(0, len(buttons), 5)])
    await reply(
        update,
        "campaigns_list",
        keyboard if buttons else None,
        campaigns=[(c, _status(c, today)) for c in campaigns[:20]],
    )


async def _show_campaign(update: Update, s: Services, campaign: Campaign) -> None:
    user_id = _user_id(update)
    zone = s.zone_of(user_id)
    with s.session() as session:
        brief = brief_of(session=session, brief_id=campaign.brief_id)
        checkins = checkins_of(session=session, campaign_id=campaign.id or 0)
        comparison = _comparison(s, session, campaign)
    rec = brief.recommendation if brief else {}
    verdict = {
        "kind": rec.get("verdict", "micro"),
        "micro_pct": rec.get("micro_pct"),
        "macro_pct": rec.get("macro_pct"),
    }
    labels = {c.stage: stage_advice(c.stage or "", s.kb).label for c in checkins}
    await reply(
        update,
        "campaign_card",
        campaign=campaign,
        status=_status(campaign, s.clock.now().astimezone(zone).date()),
        brief=brief,
        verdict=verdict,
        labels=s.labels,
        plan=rec.get(
            "plan", {"people": [], "spent_cents": 0, "reach": 0, "engagements": 0, "conversions": 0}
        ),
        checkins=checkins,
        stage_labels=labels,
        tz=zone,
        zone=zone.key,
        comparison=comparison,
        currency=s.currency,
    )


async def campaign_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    s = services(context)
    with s.session() as session:
        campaign = campaign_of(
            session=session, user_id=query.from_user.id, campaign_id=int(query.data.split(":")[1])
        )
    if campaign is None:
        await query.answer(render("expired"))
        return
    await query.answer()
    await _show_campaign(update, s, campaign)


async def results_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/results: the latest campaign's results against its forecast."""
    s = services(context)
    with s.session() as session:
        campaigns = campaigns_of(session=session, user_id=_user_id(update))
    if not campaigns:
        await reply(update, "campaigns_list", campaigns=[])
        return
    await _show_campaign(update, s, campaigns[0])


# ---- entering results at a check-in ----


def _checkin(
    context: ContextTypes.DEFAULT_TYPE, s: Services, user_id: int, reminder_id: int | None
) -> Reminder | None:
    """The check-in being answered: the one named, or the last one sent."""
    data = context.user_data or {}
    wanted = reminder_id if reminder_id is not None else data.get("checkin")
    if wanted is None:
        return None
    with s.session() as session:
        reminder = session.get(Reminder, int(wanted))
    if reminder is None or reminder.user_id != user_id or reminder.campaign_id is None:
        return None
    return reminder


async def _save_results(
    update: Update, context: ContextTypes.DEFAULT_TYPE, reminder: Reminder, values: dict[str, int]
) -> int:
    s = services(context)
    assert reminder.campaign_id is not None
    with s.session() as session:
        record_results(
            session=session,
            campaign_id=reminder.campaign_id,
            stage=reminder.stage or "",
            reminder_id=reminder.id,
            values=values,
        )
        campaign = campaign_of(
            session=session, user_id=reminder.user_id, campaign_id=reminder.campaign_id
        )
        comparison = _comparison(s, session, campaign) if campaign else None
    if context.user_data is not None:
        context.user_data.pop("checkin", None)
        context.user_data.pop("results_draft", None)
    await reply(update, "results_saved", comparison=comparison, currency=s.currency)
    return ConversationHandler.END


async def results_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """📝 Enter results under a check-in."""
    query = update.callback_query
    assert query is not None and query.data is not None and context.user_data is not None
    s = services(context)
    reminder = _checkin(context, s, query.from_user.id, int(query.data.split(":")[1]))
    if reminder is None:
        await query.answer(render("expired"))
        return ConversationHandler.END
    await query.answer()
    context.user_data["checkin"] = reminder.id
    context.user_data["results_draft"] = {}
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Step by step", callback_data="rs:go")]])
    await reply(update, "results_ask", keyboard, problems=[], field=None, currency=s.currency)
    return LINE


async def results_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """A line of results (also straight after a check-in message, without a button)."""
    s = services(context)
    reminder = _checkin(context, s, _user_id(update), None)
    if reminder is None:
        await reply(update, "fallback_text")
        return ConversationHandler.END
    text = update.effective_message.text or "" if update.effective_message else ""
    try:
        values = parse_results(text, services(context).currency)
    except ResultsInvalid as exc:
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton("Step by step", callback_data="rs:go")]]
        )
        await reply(
            update, "results_ask", keyboard, problems=exc.problems, field=None, currency=s.currency
        )
        return LINE
    return await _save_results(update, context, reminder, values)


async def _ask_step(
    update: Update, context: ContextTypes.DEFAULT_TYPE, problem: str = ""
) -> str | int:
    s = services(context)
    assert context.user_data is not None
    draft = context.user_data.setdefault("results_draft", {})
    field = next((f for f in RESULT_ORDER if f not in draft), None)
    if field is None:
        reminder = _checkin(context, s, _user_id(update), None)
        if reminder is None:
            await reply(update, "expired")
            return ConversationHandler.END
        values = {k: v for k, v in draft.items() if v is not None}
        return await _save_results(update, context, reminder, values)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Skip", callback_data="rs:skip")]])
    await reply(
        update,
        "results_ask",
        keyboard,
        problems=[problem] if problem else [],
        field=field,
        currency=s.currency,
    )
    return STEP


async def results_step_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None and context.user_data is not None
    await query.answer()
    draft = context.user_data.setdefault("results_draft", {})
    if query.data == "rs:skip":
        field = next((f for f in RESULT_ORDER if f not in draft), None)
        if field is not None:
            draft[field] = None
    return await _ask_step(update, context)


async def results_step_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    assert context.user_data is not None
    draft = context.user_data.setdefault("results_draft", {})
    field = next((f for f in RESULT_ORDER if f not in draft), None)
    text = (update.effective_message.text or "").strip() if update.effective_message else ""
    if field is None:
        return await _ask_step(update, context)
    if text.lower() in ("skip", "-", "?"):
        draft[field] = None
        return await _ask_step(update, context)
    try:
        draft[field] = parse_result_value(field, text, services(context).currency)
    except ValueError as exc:
        return await _ask_step(update, context, f"“{text[:30]}” {exc}")
    return await _ask_step(update, context)


async def results_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    if context.user_data is not None:
        context.user_data.pop("results_draft", None)
    await reply(update, "cancelled")
    return ConversationHandler.END


def results_conversation() -> ConversationHandler:
    typed = filters.TEXT & ~filters.COMMAND
    pairs = filters.Regex(r"^\s*[A-Za-z_]+\s*[=:]\s*\S")
    return ConversationHandler(
        entry_points=[
            CallbackQueryHandler(results_button, pattern=r"^ci:\d+$"),
            MessageHandler(typed & pairs, results_typed),
        ],
        states={
            LINE: _typed_or_pressed(results_typed, results_step_button, r"^rs:go$"),
            STEP: _typed_or_pressed(results_step_typed, results_step_button, r"^rs:skip$"),
        },
        fallbacks=[CommandHandler("cancel", results_cancel)],
        name="results",
        persistent=True,
        allow_reentry=True,
    )


# ---- /remind, /reminders, /timezone ----


async def remind_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    user_id = _user_id(update)
    words = command_args(update)
    if not words.strip():
        await reply(update, "remind_result", kind="usage")
        return
    zone = s.zone_of(user_id)
    try:
        due, text = parse_when(words, s.clock.now(), zone)
    except WhenError as exc:
        await reply(
            update,
            "when_problem",
            problem=exc.problem.value,
            detail=exc.detail,
            what="when",
            keep=False,
        )
        return
    if not text.strip():
        await reply(update, "remind_result", kind="empty")
        return
    with s.session() as session:
        add_reminder(session=session, user_id=user_id, due_at=due, text=text.strip()[:1000])
    dispatcher(context.application).arm()
    await reply(update, "remind_result", kind="set", due=due.astimezone(zone), zone=zone.key)


async def reminders_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    user_id = _user_id(update)
    zone = s.zone_of(user_id)
    with s.session() as session:
        pending = pending_reminders(session=session, user_id=user_id)[:30]
        campaign_names = {c.id: c.name for c in campaigns_of(session=session, user_id=user_id)}
    stage_labels = {r.stage: stage_advice(r.stage, s.kb).label for r in pending if r.stage}
    buttons = [
        InlineKeyboardButton(f"✖ {n}", callback_data=f"rm:{r.id}")
        for n, r in enumerate(pending, start=1)
    ]
    keyboard = InlineKeyboardMarkup([buttons[i : i + 5] for i in range(0, len(buttons), 5)])
    await reply(
        update,
        "remind_result",
        keyboard if buttons else None,
        kind="list",
        reminders=pending,
        campaign_names=campaign_names,
        stage_labels=stage_labels,
        tz=zone,
        zone=zone.key,
    )


async def cancel_reminder_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    s = services(context)
    with s.session() as session:
        done = cancel_reminder(
            session=session, user_id=query.from_user.id, reminder_id=int(query.data.split(":")[1])
        )
    await query.answer()
    await reply(update, "remind_result", kind="cancelled" if done else "gone")


async def timezone_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    user_id = _user_id(update)
    text = command_args(update).strip()
    if text:
        await _set_zone(update, s, user_id, text)
        return
    buttons = [InlineKeyboardButton(z, callback_data=f"tz:{z}") for z in COMMON_ZONES]
    keyboard = InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])
    await reply(update, "timezone_result", keyboard, kind="ask", zone=s.zone_of(user_id).key)


async def _set_zone(update: Update, s: Services, user_id: int, text: str) -> None:
    zone = find_zone(text)
    if zone is None:
        await reply(update, "timezone_result", kind="unknown", text=text)
        return
    with s.session() as session:
        set_timezone(session=session, user_id=user_id, timezone=zone)
    await reply(update, "timezone_result", kind="set", zone=zone)


async def timezone_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    await _set_zone(update, services(context), query.from_user.id, query.data.split(":", 1)[1])


async def resume_paused(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any update from a user whose reminders were paused (they had blocked the bot)."""
    if isinstance(update, Update) and update.effective_user is not None:
        await dispatcher(context.application).resume(update.effective_user.id)


def handlers() -> list[Any]:
    private = filters.ChatType.PRIVATE
    return [
        campaign_conversation(),
        results_conversation(),
        CommandHandler("campaigns", campaigns_command, filters=private),
        CommandHandler("results", results_command, filters=private),
        CommandHandler("remind", remind_command, filters=private),
        CommandHandler("reminders", reminders_command, filters=private),
        CommandHandler("timezone", timezone_command, filters=private),
        CallbackQueryHandler(campaign_button, pattern=r"^cp:\d+$"),
        CallbackQueryHandler(cancel_reminder_button, pattern=r"^rm:\d+$"),
        CallbackQueryHandler(timezone_button, pattern=r"^tz:"),
    ]

"""The brief, one question at a time (or in one line), then the recommendation.

Steps: goal → budget → niche → platform → summary → recommendation. Answers live in
`user_data["brief"]` and the step in the persistent ConversationHandler, both stored in
the database, so a restart resumes the brief where the user was.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import BadRequest
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers import keyboards
from handlers.services import Callback, Services, command_args, reply, services
from knowledge.base import Goal
from knowledge.engine import Brief, recommend, summarise
from knowledge.matching import match_goal, niche_vocabulary, platform_vocabulary
from knowledge.parsing import BudgetError, parse_budget
from knowledge.render import render
from storage.models import SavedBriefBase
from storage.roster import candidates_for_brief
from storage.users import save_brief

CONVERSATION = "advise"
GOAL, BUDGET, NICHE, PLATFORM, SUMMARY = "goal", "budget", "niche", "platform", "summary"
FIELDS = (GOAL, BUDGET, NICHE, PLATFORM)
BRIEF = "brief"
ANY_PLATFORM = "any"
_PAIR = re.compile(r"([A-Za-z_]+)\s*=\s*(.*?)(?=\s+[A-Za-z_]+\s*=|$)", re.DOTALL)
KEY_ALIASES = {
    "goal": GOAL,
    "objective": GOAL,
    "budget": BUDGET,
    "niche": NICHE,
    "platform": PLATFORM,
    "network": PLATFORM,
}
# A message holding `key=value` words of a brief, typed without /advise.
ONE_LINE_WORDS = re.compile(rf"(?i)\b(?:{'|'.join(KEY_ALIASES)})\s*=")


def _brief(context: ContextTypes.DEFAULT_TYPE) -> dict[str, Any]:
    assert context.user_data is not None
    return context.user_data.setdefault(BRIEF, {"id": secrets.token_hex(4)})


async def _ask(update: Update, context: ContextTypes.DEFAULT_TYPE, step: str) -> str:
    """Send the question for `step` (or the problem with the last answer to it)."""
    s = services(context)
    brief = _brief(context)
    problem: dict[str, Any] = (
        brief.pop("problem", None) or brief.get("problems", {}).pop(step, None) or {}
    )
    brief_id = brief["id"]
    if step == GOAL:
        await reply(update, "ask_goal", keyboards.goal_keyboard(brief_id), retry=bool(problem))
    elif step == BUDGET:
        if problem:
            await reply(update, "budget_error", expected=s.currency, **problem)
        else:
            await reply(update, "ask_budget", currency=s.currency)
    elif step == NICHE:
        choices = problem.get("suggestions") or s.roster.niches(s)
        keyboard = keyboards.choice_keyboard(brief_id, NICHE, choices, s.labels)
        await reply(
            update,
            "ask_niche",
            keyboard,
            text=problem.get("text", ""),
            suggestions=problem.get("suggestions", []),
        )
    elif step == PLATFORM:
        keyboard = keyboards.choice_keyboard(
            brief_id, PLATFORM, s.roster.platforms(s), s.labels, extra="Any platform"
        )
        await reply(update, "ask_platform", keyboard, text=problem.get("text", ""))
    else:
        await reply(
            update,
            "summary",
            keyboards.summary_keyboard(brief_id),
            brief=_engine_brief(brief, s),
            labels=s.labels,
            nudge=bool(problem),
        )
    return step


async def _advance(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """Ask for the first missing answer; when none is missing, summarise (or recommend)."""
    brief = _brief(context)
    missing = next((f for f in FIELDS if f not in brief), None)
    if missing is not None:
        return await _ask(update, context, missing)
    if brief.get("quick"):
        return await _recommend(update, context)
    return await _ask(update, context, SUMMARY)


def _engine_brief(brief: dict[str, Any], s: Services) -> Brief:
    platform = brief.get(PLATFORM)
    return Brief(
        goal=Goal(brief[GOAL]),
        budget_cents=int(brief[BUDGET]),
        currency=s.currency,
        niche=brief[NICHE],
        platform=None if platform in (None, ANY_PLATFORM) else platform,
    )


# ---- reading answers: each returns None when understood, else the problem to show ----


def _take_goal(brief: dict[str, Any], text: str) -> dict[str, Any] | None:
    match = match_goal(text)
    if match.value is None:
        return {"text": text}
    brief[GOAL] = match.value
    return None


def _take_budget(brief: dict[str, Any], text: str, s: Services) -> dict[str, Any] | None:
    try:
        brief[BUDGET] = parse_budget(text, s.currency).cents
    except BudgetError as exc:
        return {"problem": exc.problem.value, "currency": exc.currency or "", "text": text}
    return None


def _take_niche(brief: dict[str, Any], text: str, s: Services) -> dict[str, Any] | None:
    match = niche_vocabulary(s.kb, s.roster.niches(s)).match(text)
    if match.value is None:
        return {"text": text, "suggestions": list(match.suggestions)}
    brief[NICHE] = match.value
    return None


def _take_platform(brief: dict[str, Any], text: str, s: Services) -> dict[str, Any] | None:
    if text.strip().lower() in ("any", "all", "none", "-", "skip", "any platform"):
        brief[PLATFORM] = ANY_PLATFORM
        return None
    match = platform_vocabulary(s.kb).match(text)
    if match.value is None:
        return {"text": text}
    brief[PLATFORM] = match.value
    return None


def _take(field: str, brief: dict[str, Any], text: str, s: Services) -> dict[str, Any] | None:
    if field == GOAL:
        return _take_goal(brief, text)
    if field == BUDGET:
        return _take_budget(brief, text, s)
    if field == NICHE:
        return _take_niche(brief, text, s)
    return _take_platform(brief, text, s)


# ---- callbacks ----


async def start_brief(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """/advise, /new or the Start button: a fresh brief, filled from `key=value` words if any.

    `key=value` words typed without the command fill the open brief, or start one: people
    forget the command, or answer a question that way.
    """
    assert context.user_data is not None
    s = services(context)
    typed = update.message.text if update.message and update.message.text else ""
    without_command = bool(typed) and not typed.startswith("/")
    open_brief = context.user_data.get(BRIEF) if without_command else None
    brief: dict[str, Any] = open_brief or {"id": secrets.token_hex(4)}
    context.user_data[BRIEF] = brief
    if update.callback_query:
        await update.callback_query.answer()
        await _close_keyboard(update.callback_query)
    words = typed if without_command else command_args(update) if update.message else ""
    if words.strip():
        if open_brief is None:
            brief["quick"] = True
            brief[PLATFORM] = ANY_PLATFORM  # optional in the one-line form
        await _apply_one_line(update, brief, words, s)
    return await _advance(update, context)


async def _apply_one_line(update: Update, brief: dict[str, Any], words: str, s: Services) -> None:
    pairs = _PAIR.findall(words.strip())
    leftover = _PAIR.sub("", words).strip()
    if leftover:
        await reply(update, "unknown_field", key=leftover)
    for key, value in pairs:
        field = KEY_ALIASES.get(key.lower())
        if field is None:
            await reply(update, "unknown_field", key=key)
            continue
        problem = _take(field, brief, value.strip(), s)
        if problem is not None:
            brief.setdefault("problems", {})[field] = problem


def typed_answer(step: str) -> Callback:
    """The handler for an answer typed at `step`."""

    async def typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
        brief = _brief(context)
        text = update.message.text if update.message and update.message.text else ""
        if step == SUMMARY:
            brief["problem"] = {"text": text}
            return await _ask(update, context, SUMMARY)
        problem = _take(step, brief, text, services(context))
        if problem is not None:
            brief["problem"] = problem
            return await _ask(update, context, step)
        return await _advance(update, context)

    return typed


def not_text(step: str) -> Callback:
    """The handler for a sticker, photo or file sent at `step`: say so and ask again."""

    async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
        await reply(update, "not_text")
        return await _ask(update, context, step)

    return refuse


def _fresh(context: ContextTypes.DEFAULT_TYPE, query: CallbackQuery) -> list[str] | None:
    """The parts of the button's data after the brief id, or None if the button is stale."""
    parts = (query.data or "").split(":")
    brief = (context.user_data or {}).get(BRIEF)
    if len(parts) < 3 or brief is None or parts[1] != brief.get("id"):
        return None
    return parts[2:]


async def _close_keyboard(query: CallbackQuery) -> None:
    """Take the buttons off an answered question, so it cannot be answered twice."""
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(None)


async def button_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
    """A goal, niche or platform button, or Confirm / Change on the summary."""
    query = update.callback_query
    assert query is not None
    parts = _fresh(context, query)
    if parts is None:
        await expired(update, context)
        return None
    await query.answer()
    await _close_keyboard(query)
    brief = _brief(context)
    kind, value = parts[0], parts[1] if len(parts) > 1 else ""
    if kind == "confirm":
        return await _recommend(update, context)
    if kind == "change" and value in FIELDS:
        brief.pop(value, None)
        return await _ask(update, context, value)
    if kind == GOAL and value in {g.value for g in Goal}:
        brief[GOAL] = value
    elif kind in (NICHE, PLATFORM) and value:
        brief[kind] = value
    return await _advance(update, context)


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    if context.user_data is not None:
        context.user_data.pop(BRIEF, None)
    await reply(update, "cancelled")
    return ConversationHandler.END


async def expired(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button from an old message: answer briefly, change nothing."""
    if update.callback_query is not None:
        await update.callback_query.answer(render("expired"), show_alert=False)


async def _recommend(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    s = services(context)
    assert context.user_data is not None
    brief = context.user_data.pop(BRIEF)
    engine_brief = _engine_brief(brief, s)
    user = update.effective_user
    with s.session() as session:
        candidates = candidates_for_brief(session=session, brief=engine_brief, kb=s.kb)
        rec = recommend(engine_brief, candidates, s.kb)
        saved_id = None
        if user is not None:
            saved_id = save_brief(
                session=session,
                user_id=user.id,
                language=user.language_code,
                brief=SavedBriefBase(
                    goal=engine_brief.goal.value,
                    budget_cents=engine_brief.budget_cents,
                    currency=engine_brief.currency,
                    niche=engine_brief.niche,
                    platform=engine_brief.platform,
                    verdict=rec.verdict.kind,
                ),
                recommendation=summarise(rec),
                user_known=user.id in s.known_users,
            )
            s.known_users.add(user.id)
    await reply(
        update,
        "recommendation",
        keyboards.recommendation_keyboard(saved_id if rec.plan.picks else None),
        rec=rec,
        kb=s.kb,
        labels=s.labels,
    )
    return ConversationHandler.END


def conversation() -> ConversationHandler:
    """The brief as a persistent conversation: one state per question, then the summary."""
    typed = filters.TEXT & ~filters.COMMAND
    other = ~filters.TEXT & ~filters.COMMAND

    def step_handlers(step: str, buttons: str) -> list[Any]:
        return [
            CallbackQueryHandler(button_pressed, pattern=rf"^b:\w+:(?:{buttons})(?::|$)"),
            MessageHandler(typed, typed_answer(step)),
            MessageHandler(other, not_text(step)),
        ]

    return ConversationHandler(
        entry_points=[
            CommandHandler(["advise", "new"], start_brief),
            MessageHandler(typed & filters.Regex(ONE_LINE_WORDS), start_brief),
            CallbackQueryHandler(start_brief, pattern=f"^{keyboards.START_OVER}$"),
        ],
        states={
            GOAL: step_handlers(GOAL, GOAL),
            BUDGET: step_handlers(BUDGET, "(?!)"),
            NICHE: step_handlers(NICHE, NICHE),
            PLATFORM: step_handlers(PLATFORM, PLATFORM),
            SUMMARY: step_handlers(SUMMARY, "confirm|change"),
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        name=CONVERSATION,
        persistent=True,
        allow_reentry=True,
    )

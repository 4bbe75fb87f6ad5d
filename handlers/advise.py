"""The brief, one question at a time (or in one line), then the recommendation.

Steps: goal → budget → niche → platform → summary → recommendation. Answers live in the
user's state (`StateKey.BRIEF`) and the step in the persistent ConversationHandler, both
stored in the database, so a restart resumes the brief where the user was.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers import keyboards
from handlers.callbacks import ANY, START, BriefButton, Prefix, data, parts_of, pattern
from handlers.common import expired_button
from handlers.context import BotContext, StateKey
from handlers.services import Services, command_args, reply, typed_text
from knowledge.base import Goal
from knowledge.engine import Brief, recommend, summarise
from knowledge.matching import match_goal, niche_vocabulary, platform_vocabulary
from knowledge.parsing import BudgetError, is_skip, parse_budget
from knowledge.replies import Template
from storage.models import SavedBriefBase
from storage.roster import candidates_for_brief
from storage.users import save_brief

CONVERSATION = "advise"
GOAL, BUDGET, NICHE, PLATFORM, SUMMARY = "goal", "budget", "niche", "platform", "summary"
FIELDS = (GOAL, BUDGET, NICHE, PLATFORM)
ANY_PLATFORM = ANY
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
Answers = dict[str, Any]
Problem = dict[str, Any]


def _new_brief() -> Answers:
    return {"id": secrets.token_hex(4)}


def _answers(context: BotContext) -> Answers:
    brief = context.state.form(StateKey.BRIEF)
    brief.setdefault("id", secrets.token_hex(4))
    return brief


async def _ask(update: Update, context: BotContext, step: str) -> str:
    """Send the question for `step` (or the problem with the last answer to it)."""
    s = context.services
    brief = _answers(context)
    problem: Problem = brief.pop("problem", None) or brief.get("problems", {}).pop(step, None) or {}
    brief_id = brief["id"]
    if step == GOAL:
        await reply(update, Template.ASK_GOAL, keyboards.goals(brief_id), retry=bool(problem))
    elif step == BUDGET:
        if problem:
            await reply(update, Template.BUDGET_ERROR, expected=s.currency, **problem)
        else:
            await reply(update, Template.ASK_BUDGET, currency=s.currency)
    elif step == NICHE:
        choices = problem.get("suggestions") or s.roster_niches()
        await reply(
            update,
            Template.ASK_NICHE,
            keyboards.choices(brief_id, BriefButton.NICHE, choices, s.labels),
            text=problem.get("text", ""),
            suggestions=problem.get("suggestions", []),
        )
    elif step == PLATFORM:
        keyboard = keyboards.choices(
            brief_id,
            BriefButton.PLATFORM,
            s.roster.platforms(s),
            s.labels,
            extra="Any platform",
        )
        await reply(update, Template.ASK_PLATFORM, keyboard, text=problem.get("text", ""))
    else:
        await reply(
            update,
            Template.SUMMARY,
            keyboards.summary(brief_id),
            brief=_engine_brief(brief, s),
            labels=s.labels,
            nudge=bool(problem),
        )
    return step


async def _advance(update: Update, context: BotContext) -> str | int:
    """Ask for the first missing answer; when none is missing, summarise (or recommend)."""
    brief = _answers(context)
    missing = next((f for f in FIELDS if f not in brief), None)
    if missing is not None:
        return await _ask(update, context, missing)
    if brief.get("quick"):
        return await _recommend(update, context)
    return await _ask(update, context, SUMMARY)


def _engine_brief(brief: Answers, s: Services) -> Brief:
    platform = brief.get(PLATFORM)
    return Brief(
        goal=Goal(brief[GOAL]),
        budget_cents=int(brief[BUDGET]),
        currency=s.currency,
        niche=brief[NICHE],
        platform=None if platform in (None, ANY_PLATFORM) else platform,
    )


# ---- reading answers: each returns None when understood, else the problem to show ----


def _take_goal(brief: Answers, text: str) -> Problem | None:
    match = match_goal(text)
    if match.value is None:
        return {"text": text}
    brief[GOAL] = match.value
    return None


def _take_budget(brief: Answers, text: str, s: Services) -> Problem | None:
    try:
        brief[BUDGET] = parse_budget(text, s.currency).cents
    except BudgetError as exc:
        return {"problem": exc.problem.value, "currency": exc.currency or "", "text": text}
    return None


def _take_niche(brief: Answers, text: str, s: Services) -> Problem | None:
    match = niche_vocabulary(s.kb, s.roster_niches()).match(text)
    if match.value is None:
        return {"text": text, "suggestions": list(match.suggestions)}
    brief[NICHE] = match.value
    return None


def _take_platform(brief: Answers, text: str, s: Services) -> Problem | None:
    if is_skip(text):
        brief[PLATFORM] = ANY_PLATFORM
        return None
    match = platform_vocabulary(s.kb).match(text)
    if match.value is None:
        return {"text": text}
    brief[PLATFORM] = match.value
    return None


def _take(field: str, brief: Answers, text: str, s: Services) -> Problem | None:
    if field == GOAL:
        return _take_goal(brief, text)
    if field == BUDGET:
        return _take_budget(brief, text, s)
    if field == NICHE:
        return _take_niche(brief, text, s)
    return _take_platform(brief, text, s)


# ---- callbacks ----


async def start_brief(update: Update, context: BotContext) -> str | int:
    """/advise, /new or the Start button: a fresh brief, filled from `key=value` words if any.

    `key=value` words typed without the command fill the open brief, or start one: people
    forget the command, or answer a question that way.
    """
    s = context.services
    typed = typed_text(update)
    without_command = bool(typed) and not typed.startswith("/")
    open_brief = context.state.get(StateKey.BRIEF) if without_command else None
    brief = open_brief or context.state.open_form(StateKey.BRIEF, _new_brief())
    if update.callback_query:
        await update.callback_query.answer()
        await _close_keyboard(update.callback_query)
    words = typed if without_command else command_args(update)
    if words.strip():
        if open_brief is None:
            brief["quick"] = True
            brief[PLATFORM] = ANY_PLATFORM  # optional in the one-line form
        await _apply_one_line(update, brief, words, s)
    return await _advance(update, context)


async def _apply_one_line(update: Update, brief: Answers, words: str, s: Services) -> None:
    pairs = _PAIR.findall(words.strip())
    leftover = _PAIR.sub("", words).strip()
    if leftover:
        await reply(update, Template.UNKNOWN_FIELD, key=leftover)
    for key, value in pairs:
        field = KEY_ALIASES.get(key.lower())
        if field is None:
            await reply(update, Template.UNKNOWN_FIELD, key=key)
            continue
        problem = _take(field, brief, value.strip(), s)
        if problem is not None:
            brief.setdefault("problems", {})[field] = problem


def typed_answer(step: str) -> Any:
    """The handler for an answer typed at `step`."""

    async def typed(update: Update, context: BotContext) -> str | int:
        brief = _answers(context)
        text = typed_text(update)
        if step == SUMMARY:
            brief["problem"] = {"text": text}
            return await _ask(update, context, SUMMARY)
        problem = _take(step, brief, text, context.services)
        if problem is not None:
            brief["problem"] = problem
            return await _ask(update, context, step)
        return await _advance(update, context)

    return typed


def not_text(step: str) -> Any:
    """The handler for a sticker, photo or file sent at `step`: say so and ask again."""

    async def refuse(update: Update, context: BotContext) -> str:
        await reply(update, Template.NOT_TEXT)
        return await _ask(update, context, step)

    return refuse


def _fresh(context: BotContext, query: CallbackQuery) -> list[str] | None:
    """The parts of the button's data after the brief id, or None if the button is stale."""
    parts = parts_of(query.data, Prefix.BRIEF)
    brief = context.state.get(StateKey.BRIEF)
    if len(parts) < 2 or not isinstance(brief, dict) or parts[0] != brief.get("id"):
        return None
    return parts[1:]


async def _close_keyboard(query: CallbackQuery) -> None:
    """Take the buttons off an answered question, so it cannot be answered twice."""
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(None)


async def button_pressed(update: Update, context: BotContext) -> str | int | None:
    """A goal, niche or platform button, or Confirm / Change on the summary."""
    query = update.callback_query
    assert query is not None
    parts = _fresh(context, query)
    if parts is None:
        await expired_button(update, context)
        return None
    await query.answer()
    await _close_keyboard(query)
    brief = _answers(context)
    kind, value = parts[0], parts[1] if len(parts) > 1 else ""
    if kind == BriefButton.CONFIRM:
        return await _recommend(update, context)
    if kind == BriefButton.CHANGE and value in FIELDS:
        brief.pop(value, None)
        return await _ask(update, context, value)
    if kind == BriefButton.GOAL and value in {g.value for g in Goal}:
        brief[GOAL] = value
    elif kind in (BriefButton.NICHE, BriefButton.PLATFORM) and value:
        brief[kind] = value
    return await _advance(update, context)


async def cancel(update: Update, context: BotContext) -> int:
    context.state.close(StateKey.BRIEF)
    await reply(update, Template.CANCELLED)
    return ConversationHandler.END


async def _recommend(update: Update, context: BotContext) -> int:
    s = context.services
    brief = context.state.pop(StateKey.BRIEF)
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
        Template.RECOMMENDATION,
        keyboards.recommendation(saved_id if rec.plan.picks else None),
        rec=rec,
        kb=s.kb,
        labels=s.labels,
    )
    return ConversationHandler.END


def conversation() -> ConversationHandler[BotContext]:
    """The brief as a persistent conversation: one state per question, then the summary."""
    typed = filters.TEXT & ~filters.COMMAND
    other = ~filters.TEXT & ~filters.COMMAND

    def step_handlers(step: str, *buttons: BriefButton) -> list[BaseHandler[Any, BotContext, Any]]:
        kinds = "|".join(b.value for b in buttons) or "(?!)"
        return [
            CallbackQueryHandler(
                button_pressed, pattern=pattern(Prefix.BRIEF, rf"\w+:(?:{kinds})(?::.*)?")
            ),
            MessageHandler(typed, typed_answer(step)),
            MessageHandler(other, not_text(step)),
        ]

    return ConversationHandler(
        entry_points=[
            CommandHandler(["advise", "new"], start_brief),
            MessageHandler(typed & filters.Regex(ONE_LINE_WORDS), start_brief),
            CallbackQueryHandler(start_brief, pattern=f"^{data(Prefix.ADVISE, START)}$"),
        ],
        states={
            GOAL: step_handlers(GOAL, BriefButton.GOAL),
            BUDGET: step_handlers(BUDGET),
            NICHE: step_handlers(NICHE, BriefButton.NICHE),
            PLATFORM: step_handlers(PLATFORM, BriefButton.PLATFORM),
            SUMMARY: step_handlers(SUMMARY, BriefButton.CONFIRM, BriefButton.CHANGE),
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        name=CONVERSATION,
        persistent=True,
        allow_reentry=True,
    )

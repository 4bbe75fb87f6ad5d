"""The brief, one question at a time (or in one line), then the recommendation's card.

Steps: goal → budget → niche → platform → summary → recommendation; optional answers as
`key=value` (a sentence around them read too), or "Change an answer" under a card. Answers and
step persist in the database (user state, ConversationHandler): a restart resumes there."""

from __future__ import annotations

import contextlib
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
from handlers.admin_access import Callback
from handlers.callbacks import START, BriefButton, Prefix, data, id_part, parts_of, pattern
from handlers.common import answer_stray, expired_button
from handlers.context import BotContext, StateKey
from handlers.forms import Form, FormName, NotOpen, cancel_command, close_form
from handlers.menu import names
from handlers.recommendation import recommend_brief
from handlers.reminders import zone_first
from handlers.services import Services, command_args, reply, typed_text, user_id_of
from knowledge.advice.stored import StoredRecommendation
from knowledge.base import Goal
from knowledge.reading import brief_form as form
from knowledge.reading.brief_date import date_in_sentence
from knowledge.reading.parsing import is_skip
from knowledge.reading.places import country_code, country_guess
from knowledge.reading.questions import answer_to
from knowledge.writing import i18n
from knowledge.writing.i18n import _
from knowledge.writing.render import render
from knowledge.writing.replies import Template
from storage.campaigns import brief_of

SUMMARY, CHOOSE = "summary", "choose"
Answers = dict[str, Any]


def _answers(context: BotContext) -> Answers:
    brief = context.state.form(StateKey.BRIEF)
    brief.setdefault("id", secrets.token_hex(4))
    return brief


async def _ask(update: Update, context: BotContext, step: str) -> str:
    """Send the question for `step` (or the problem with the last answer to it); before a
    date, the time zone question if the user never chose one (then the date is asked)."""
    if step == form.DATE and await zone_first(update, context, {}):
        return step
    s = context.services
    brief = _answers(context)
    problem: dict[str, Any] = (
        brief.pop("problem", None) or brief.get("problems", {}).pop(step, None) or {}
    )
    brief_id = brief["id"]
    if step == form.GOAL:
        await reply(update, Template.ASK_GOAL, keyboards.goals(brief_id), retry=bool(problem))
    elif step in (form.BUDGET, form.ORDER_VALUE) and problem:
        await reply(update, Template.BUDGET_ERROR, expected=s.currency, field=step, **problem)
    elif step == form.BUDGET:
        await reply(update, Template.ASK_BUDGET, currency=s.currency)
    elif step == form.NICHE:
        choices = problem.get("suggestions") or s.roster_niches()
        await reply(
            update,
            Template.ASK_NICHE,
            keyboards.choices(brief_id, BriefButton.NICHE, choices, s.labels),
            text=problem.get("text", ""),
            suggestions=problem.get("suggestions", []),
        )
    elif step == form.PLATFORM:
        keyboard = keyboards.choices(
            brief_id, BriefButton.PLATFORM, s.roster.platforms(s), s.labels, extra=_("Any platform")
        )
        await reply(update, Template.ASK_PLATFORM, keyboard, text=problem.get("text", ""))
    elif step == form.COUNTRY and not problem:
        await reply(
            update,
            Template.ASK_OPTION,
            keyboards.audience_country(brief_id, _country_guess(update, s), s.labels),
            field=step,
            text="",
            currency=s.currency,
        )
    elif step in form.OPTIONAL:
        await reply(
            update,
            Template.ASK_OPTION,
            keyboards.skip(brief_id, step),
            field=step,
            text=problem.get("text", ""),
            when=problem.get("when", ""),
            launch=brief.get(form.GOAL) == Goal.LAUNCH.value,
            currency=s.currency,
            days=list(s.kb.posts.paid_use.days),
        )
    elif step == CHOOSE:
        await reply(
            update, Template.CHANGE_WHICH, keyboards.change_which(brief_id), problem=bool(problem)
        )
    else:
        await reply(
            update,
            Template.SUMMARY,
            keyboards.summary(brief_id),
            brief=form.to_brief(brief, s.currency),
            labels=s.labels,
            nudge=bool(problem),
        )
    return step


def _country_guess(update: Update, s: Services) -> str | None:
    user = update.effective_user
    return None if user is None else country_guess(s.chosen_zone(user.id), user.language_code)


async def _advance(update: Update, context: BotContext) -> str | int:
    """Ask the next question (knowledge.reading.brief_form.next_step); when none is left,
    summarise, or recommend at once for a brief typed in one line."""
    brief = _answers(context)
    step = form.next_step(brief, guided=not brief.get("quick"))
    if step is not None:
        return await _ask(update, context, step)
    if brief.get("quick"):
        return await recommend_brief(update, context)
    return await _ask(update, context, SUMMARY)


async def ask_again(update: Update, context: BotContext, step: str) -> None:
    """Ask the open brief's question at `step` again (after /help, /language, /timezone)."""
    await _ask(update, context, step)


def _take(field: str, brief: Answers, text: str, update: Update, s: Services) -> Answers | None:
    return form.take(field, brief, text, **_reading(update, s, dated=field == form.DATE))


def _reading(update: Update, s: Services, text: str = "", dated: bool = False) -> dict[str, Any]:
    """How a brief's answers are read: in the language the bot speaks to their writer too,
    a date (`dated`, or one `text` names) against their day (their time zone is read from
    the database only then: most briefs name no date)."""
    dated = dated or date_in_sentence(text) is not None
    return {
        "kb": s.kb,
        "currency": s.currency,
        "roster_niches": s.roster_niches(),
        "user_language": i18n.current_language(),
        "today": s.today_for(user_id_of(update)) if dated else None,
    }


# ---- callbacks ----


async def start_brief(update: Update, context: BotContext) -> str | int:
    """/advise, /new or the Start button: a fresh brief, filled from `key=value` words or a
    sentence if any.

    `key=value` words typed without the command fill the open brief, or start one: people
    forget the command, or answer a question that way.
    """
    typed = typed_text(update)
    without_command = bool(typed) and not typed.startswith("/")
    words = typed if without_command else command_args(update)
    kept = context.state.get(StateKey.BRIEF)
    set_aside = isinstance(kept, dict) and kept.pop("set_aside", False)
    # A brief another command set aside is picked up again by /advise alone.
    open_brief = kept if without_command or (set_aside and not words.strip()) else None
    brief = open_brief or context.state.open_form(StateKey.BRIEF, {"id": secrets.token_hex(4)})
    if update.callback_query:
        await update.callback_query.answer()
        await _close_keyboard(update.callback_query)
    if "=" in words:
        if open_brief is None:
            brief["quick"] = True
            brief[form.PLATFORM] = form.ANY  # optional in the one-line form
        await _apply_one_line(update, brief, words, context.services)
    elif words.strip():
        _keep(brief, form.read_sentence(words, **_reading(update, context.services, words)))
    return await _advance(update, context)


async def sentence_brief(update: Update, context: BotContext) -> str | int:
    """A plain message outside any form (results at a check-in were taken before: see
    handlers.checkin_results). One that reads as a brief (`I have a bakery`, `budget 500`;
    see form.starts_brief) starts one with what it says; a question in words, or anything
    else, gets the usual answer."""
    s = context.services
    text = typed_text(update)
    answer = answer_to(text, s.kb, s.currency)
    read = form.read_sentence(text, **_reading(update, s, text)) if answer is None else None
    waiting = context.state.awaited_checkin is not None
    if read is None or not form.starts_brief(read, text, s.currency, checkin_waiting=waiting):
        await answer_stray(update, answer)
        return ConversationHandler.END
    _keep(context.state.open_form(StateKey.BRIEF, {"id": secrets.token_hex(4)}), read)
    return await _advance(update, context)


def _keep(brief: Answers, read: form.SentenceRead) -> None:
    """`/advise I sell candles, budget 500`: its answers kept (confirmed on the summary)."""
    brief.update(read.answers)
    if read.problems:
        brief.setdefault("problems", {}).update(read.problems)


async def _apply_one_line(update: Update, brief: Answers, words: str, s: Services) -> None:
    pairs, leftover = form.one_line(words)
    for text in leftover:  # the words around the pairs, read as a sentence (then the pairs)
        read = form.read_sentence(text, **_reading(update, s, text))
        if not (read.given or read.problems):
            await reply(update, Template.UNKNOWN_FIELD, key=text)
        _keep(brief, read)
    for field, value in pairs:
        if field not in form.FIELDS:
            await reply(update, Template.UNKNOWN_FIELD, key=field)
            continue
        problem = _take(field, brief, value, update, s)
        if problem is not None:
            brief.setdefault("problems", {})[field] = problem
            if field in form.OPTIONAL and field != form.DATE:  # a date is asked again
                await _ask_later(update, brief, field)
            else:
                brief.pop(field, None)  # asked again, with what was wrong (never dropped)


async def _ask_later(update: Update, brief: Answers, field: str) -> None:
    """An optional answer that can't be read is said at once, with how to give it later."""
    said = brief.get("problems", {}).pop(field, {})
    text, days = said.get("text", ""), said.get("days", [])  # days: those paid use takes
    await reply(
        update, Template.ASK_OPTION, field=field, text=text, currency="", later=True, days=days
    )


def typed_answer(step: str) -> Callback[str | int]:
    """The handler for an answer typed at `step`."""

    async def typed(update: Update, context: BotContext) -> str | int:
        brief = _answers(context)
        text = typed_text(update)
        read = form.read_sentence(text, **_reading(update, context.services, text))
        if step in (SUMMARY, CHOOSE):  # a whole new brief typed there replaces the answers
            if not form.fill_from_sentence(brief, read):
                brief["problem"] = {"text": text}
            return await _ask(update, context, step)
        if step in form.OPTIONAL and is_skip(text):
            brief.setdefault("skipped", []).append(step)
            return await _advance(update, context)
        problem = _take(step, brief, text, update, context.services)
        if form.fill_from_sentence(brief, read):
            problem = None  # a sentence, not a bad answer: the question is asked again
        if problem is not None and step not in brief:
            brief["problem"] = problem
            return await _ask(update, context, step)
        return await _advance(update, context)

    return typed


def not_text(step: str) -> Callback[str]:
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
        return await recommend_brief(update, context)
    if kind == BriefButton.CHANGE and value in form.FIELDS:
        brief.pop(value, None)
        return await _ask(update, context, value)
    if kind == BriefButton.SKIP and value in form.OPTIONAL:
        brief.setdefault("skipped", []).append(value)
    if kind == BriefButton.GOAL and value in {g.value for g in Goal}:
        brief[form.GOAL] = value
    elif kind == BriefButton.NICHE and value in context.services.roster_niches():
        brief[form.NICHE] = value
    elif kind == BriefButton.COUNTRY and country_code(value) == value:
        brief[form.COUNTRY] = value
    elif kind == BriefButton.PLATFORM and (
        value == form.ANY or value in context.services.kb.platforms
    ):
        brief[form.PLATFORM] = value
    return await _advance(update, context)


async def change_answer(update: Update, context: BotContext) -> str | int:
    """✏️ Change an answer, under a card: the brief again, with its answers, asking which one
    to change; the new card then says what changed."""
    query = update.callback_query
    assert query is not None
    saved_id = id_part(parts_of(query.data, Prefix.CHANGE_ANSWER))
    stored = None
    if saved_id is not None:
        with context.services.session() as session:
            saved = brief_of(session=session, user_id=query.from_user.id, brief_id=saved_id)
        stored = StoredRecommendation.of(saved.recommendation if saved is not None else None)
    if saved_id is None or stored is None:
        await query.answer(render(Template.EXPIRED))
        return ConversationHandler.END
    await query.answer()
    close_form(update, context, FormName.SHOP_NAME)  # its question would take the answers
    answers = form.answers_of(stored.brief.model_dump())
    context.state.open_form(
        StateKey.BRIEF,
        {**answers, "id": secrets.token_hex(4), "quick": True, "previous": saved_id},
    )
    return await _ask(update, context, CHOOSE)


def conversation() -> Form:
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

    states = {
        form.GOAL: step_handlers(form.GOAL, BriefButton.GOAL),
        form.BUDGET: step_handlers(form.BUDGET),
        form.NICHE: step_handlers(form.NICHE, BriefButton.NICHE),
        form.PLATFORM: step_handlers(form.PLATFORM, BriefButton.PLATFORM),
        SUMMARY: step_handlers(SUMMARY, BriefButton.CONFIRM, BriefButton.CHANGE),
        CHOOSE: step_handlers(CHOOSE, BriefButton.CHANGE),
        **{field: step_handlers(field, BriefButton.SKIP) for field in form.OPTIONAL},
        form.COUNTRY: step_handlers(form.COUNTRY, BriefButton.SKIP, BriefButton.COUNTRY),
    }
    closed = NotOpen()  # a plain message starts a brief only when none is open
    brief = Form(
        form=FormName.BRIEF,
        commands=(*names("advise"), *names("new")),
        entry_points=[
            CommandHandler(
                [*names("advise"), *names("new")], start_brief, filters=filters.ChatType.PRIVATE
            ),
            MessageHandler(
                typed & filters.ChatType.PRIVATE & filters.Regex(form.ONE_LINE_WORDS), start_brief
            ),
            MessageHandler(typed & filters.ChatType.PRIVATE & closed, sentence_brief),
            CallbackQueryHandler(start_brief, pattern=f"^{data(Prefix.ADVISE, START)}$"),
            CallbackQueryHandler(change_answer, pattern=pattern(Prefix.CHANGE_ANSWER, r"\d+")),
        ],
        states=states,
        fallbacks=[cancel_command(StateKey.BRIEF)],
        ask_again=ask_again,
    )
    closed.form = brief
    return brief

"""A recommendation on a phone: a short card first; Why, Shortlist, Forecast, How and the
Checklist replace the card's text in place, each with a Back button; the plan as a CSV file.

Every view is rendered from the recommendation stored with the saved brief, so a button works
as long as the brief exists, on any instance of the bot.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update, WebAppInfo
from telegram.error import BadRequest
from telegram.ext import ConversationHandler

from handlers import keyboards
from handlers.callbacks import Prefix, View, id_part, parts_of
from handlers.charts import send_chart_after
from handlers.context import BotContext, StateKey
from handlers.services import Services, send_text
from knowledge.advice.brief import Brief, PriceRange
from knowledge.advice.edits import PlanEdits
from knowledge.advice.engine import recommend
from knowledge.advice.snapshot import snapshot
from knowledge.advice.stored import Change, StoredRecommendation, what_changed
from knowledge.base import KnowledgeBase
from knowledge.files.plan_file import plan_csv
from knowledge.pictures.charts import plan_chart
from knowledge.reading import brief_form as form
from knowledge.reading.plan_edits import edits_fields
from knowledge.writing.i18n import N_, _
from knowledge.writing.render import render, split_message
from knowledge.writing.replies import Template
from knowledge.writing.views import (
    card_text,
    checklist_values,
    forecast_values,
    view_values,
    why_values,
    widened_left,
)
from storage.campaigns import brief_of
from storage.models import SavedBriefBase
from storage.pipeline import own_outcomes
from storage.roster import candidates_for_brief
from storage.users import save_brief

# Picks on a page of a view: a shortlist pick says what it buys, its code and disclosure
# too, so that a page of them stays under Telegram's 4,096 characters in French.
PAGE_SIZES = {View.SHORTLIST: 5, View.HOW: 5}
TEMPLATES = {
    View.CARD: Template.RECOMMENDATION_CARD,
    View.WHY: Template.RECOMMENDATION_WHY,
    View.WHY_QUOTES: Template.RECOMMENDATION_WHY,
    View.WHY_ORIGINAL: Template.RECOMMENDATION_WHY,
    View.SHORTLIST: Template.RECOMMENDATION_SHORTLIST,
    View.FORECAST: Template.RECOMMENDATION_FORECAST,
    View.HOW: Template.RECOMMENDATION_HOW,
    View.CHECKLIST: Template.CHECKLIST,
}
PAGED = tuple(PAGE_SIZES)


def view_text(
    view: View,
    stored: StoredRecommendation,
    s: Services,
    page: int = 0,
    prices: Mapping[int, PriceRange] | None = None,
) -> str:
    """The text of one view of a stored recommendation."""
    kb = s.kb
    if view is View.CARD:
        return card_text(stored, kb)
    lines = stored.plan.lines
    values = view_values(stored, kb)
    if view in PAGED:
        size = PAGE_SIZES[view]
        values |= {
            "lines": lines[page * size : (page + 1) * size],
            "page": page,
            "pages": max(1, math.ceil(len(lines) / size)),
            "offset": page * size,
            "prices": prices or {},
            "show_contact": False,
        }
    if view in (View.WHY, View.WHY_QUOTES, View.WHY_ORIGINAL):
        quoted, original = view is View.WHY_QUOTES, view is View.WHY_ORIGINAL
        values |= why_values(stored, kb, quotes=quoted, original_quotes=original)
    if view is View.FORECAST:
        values |= forecast_values(stored)
    if view is View.CHECKLIST:
        values |= checklist_values(stored, kb)
    return render(TEMPLATES[view], **values)


def _prices(stored: StoredRecommendation, s: Services, page: int) -> dict[int, PriceRange]:
    """The roster's price range for each pick on a shortlist page: same tier, niche and
    platform, or the whole roster's for the tier and platform where the niche holds too few
    peers (the price guide the engine held asks against)."""
    size = PAGE_SIZES[View.SHORTLIST]
    lines = stored.plan.lines[page * size : (page + 1) * size]
    niches = [_niche_of(line.notes, stored.brief.niche) for line in lines]
    guide = s.roster.price_guide(s, sorted(set(niches)))
    found: dict[int, PriceRange] = {}
    for line, niche in zip(lines, niches, strict=True):
        group = guide.get((niche, line.platform, line.tier))
        if group is None or group.count < s.kb.assumptions.vetting.min_peers:
            group = s.roster.asks_everywhere(s, line.platform, line.tier) or group
        if group is not None:
            found[line.id] = group
    return found


def _niche_of(notes: list[list[Any]], brief_niche: str) -> str:
    """The niche a pick was found in (its first "niche" note), else the brief's."""
    niches = [note[1] for note in notes if note[0] == "niche"]
    return str(niches[0][0]) if niches and niches[0] else brief_niche


PLAN_PAGE_BUTTON = N_("✏️ Edit the plan")


def card_keyboard(
    saved_id: int | None, stored: StoredRecommendation, s: Services
) -> InlineKeyboardMarkup:
    """The card's buttons, and, when the pages are served (WEBAPP_URL) and there is a plan,
    one opening the plan page (a Mini App) on this saved brief."""
    has_plan = bool(stored.plan.lines)
    keyboard = keyboards.recommendation_card(saved_id, has_plan, widened_left(stored))
    if s.webapp_url is None or saved_id is None or not has_plan:
        return keyboard
    page = WebAppInfo(url=f"{s.webapp_url}/plan?brief={saved_id}")
    button = InlineKeyboardButton(_(PLAN_PAGE_BUTTON), web_app=page)
    return InlineKeyboardMarkup([*keyboard.inline_keyboard, [button]])


def worked_out(
    s: Services, brief: Brief, user_id: int | None, edits: PlanEdits | None = None
) -> StoredRecommendation:
    """The recommendation for `brief` as the chat makes it (the roster's candidates and
    asks, the owner's results, their day for a dated brief), with the owner's `edits` to its
    plan (the plan page) kept in it."""
    prices = s.price_guide(brief)
    with s.session() as session:
        candidates = candidates_for_brief(session=session, brief=brief, kb=s.kb)
        prices = s.roster.with_peers_everywhere(s, prices, candidates)
        # (the user's day, from their time zone's row, only for a dated brief's windows)
        dated = user_id is not None and brief.start_date is not None
        today = s.today_for(user_id) if dated and user_id is not None else None
        # (the owner's finished results, which their forecast learns from)
        own = own_outcomes(session=session, user_id=user_id) if user_id is not None else []
    rec = recommend(brief, candidates, s.kb, prices, own, edits)
    stored = snapshot(rec, s.kb, today)
    return stored.model_copy(update={"edits": edits_fields(edits)}) if edits else stored


async def send_card(
    update: Update,
    context: BotContext,
    saved_id: int | None,
    stored: StoredRecommendation,
    changed: Change | None = None,
) -> None:
    """The recommendation's card, with the buttons to its views, then the chart of this plan
    beside all micro and all macro; `changed`: what a changed answer changed against the
    previous plan (knowledge.advice.stored.what_changed)."""
    s = context.services
    await send_text(update, card_text(stored, s.kb, changed), card_keyboard(saved_id, stored, s))
    send_chart_after(
        update,
        context,
        lambda: plan_chart(stored),
        Template.CHART_PLAN_CAPTION,
    )


async def view_button(update: Update, context: BotContext) -> None:
    """Why, Shortlist, Forecast, How, Checklist, Back, a page of the shortlist, or the plan
    file, under a card."""
    query = update.callback_query
    assert query is not None
    s = context.services
    parts = parts_of(query.data, Prefix.VIEW)
    saved_id = id_part(parts)
    view = parts[1] if len(parts) > 1 else ""
    page = id_part(parts, 2) or 0
    stored = None
    if saved_id is not None and view in set(View):
        with s.session() as session:
            brief = brief_of(session=session, user_id=query.from_user.id, brief_id=saved_id)
        stored = StoredRecommendation.of(brief.recommendation if brief is not None else None)
    if saved_id is None or stored is None:
        await query.answer(render(Template.EXPIRED))
        return
    await query.answer()
    if View(view) is View.PLAN_FILE:
        await _send_plan_file(update, stored, saved_id, s.kb)
        return
    if View(view) is View.ANY_PLATFORM:
        answers = {**form.answers_of(stored.brief.model_dump()), form.PLATFORM: form.ANY}
        context.state.open_form(StateKey.BRIEF, {**answers, "previous": saved_id})
        await recommend_brief(update, context)
        return
    text, keyboard = shown_view(saved_id, View(view), page, stored, s)
    try:
        await query.edit_message_text(text, reply_markup=keyboard)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


def shown_view(
    saved_id: int, view: View, page: int, stored: StoredRecommendation, s: Services
) -> tuple[str, InlineKeyboardMarkup]:
    """A view's page as it replaces the card: its text and its buttons."""
    size = PAGE_SIZES.get(view, len(stored.plan.lines) or 1)  # one page unless paged
    pages = max(1, math.ceil(len(stored.plan.lines) / size))
    page = min(page, pages - 1)
    prices = _prices(stored, s, page) if view is View.SHORTLIST else None
    text = split_message(view_text(view, stored, s, page, prices=prices))[0]
    if view is View.CARD:
        return text, card_keyboard(saved_id, stored, s)
    return text, keyboards.recommendation_view(saved_id, view, page, pages, bool(stored.plan.lines))


async def _send_plan_file(
    update: Update, stored: StoredRecommendation, saved_id: int, kb: KnowledgeBase
) -> None:
    chat = update.effective_chat
    assert chat is not None
    data = plan_csv(stored, kb).encode("utf-8")
    await chat.send_document(
        InputFile(io.BytesIO(data), filename=f"plan-{saved_id}.csv"),
        caption=render(Template.PLAN_FILE_CAPTION, people=stored.plan.people),
    )


def brief_row(brief: Brief, stored: StoredRecommendation) -> SavedBriefBase:
    """The saved brief's own columns, beside its recommendation."""
    return SavedBriefBase(
        goal=brief.goal.value,
        budget_cents=brief.budget_cents,
        currency=brief.currency,
        niche=brief.niche,
        platform=brief.platform,
        verdict=stored.verdict.kind,
    )


async def recommend_brief(update: Update, context: BotContext) -> int:
    """The brief complete: the recommendation worked out, saved with the brief, and its card
    sent (with what changed since the brief it was made from, if any)."""
    s = context.services
    answers = context.state.pop(StateKey.BRIEF)
    brief = form.to_brief(answers, s.currency)
    user = update.effective_user
    stored = worked_out(s, brief, user.id if user is not None else None)
    with s.session() as session:
        previous = None
        saved_id = None
        if user is not None:
            if isinstance(answers.get("previous"), int):
                old = brief_of(session=session, user_id=user.id, brief_id=answers["previous"])
                previous = StoredRecommendation.of(old.recommendation if old else None)
            saved_id = save_brief(
                session=session,
                user_id=user.id,
                language=user.language_code,
                brief=brief_row(brief, stored),
                recommendation=stored.to_json(),
                user_known=user.id in s.known_users,
            )
            s.known_users.add(user.id)
    changed = what_changed(previous, stored) if previous else None
    await send_card(update, context, saved_id, stored, changed)
    return ConversationHandler.END

"""The plan page (issue 25, part 2), for the owner of a saved brief, opened from its card's
button: the plan as the chat made it (its lines, totals, forecast ranges, the verdict's split
and the card's own text with its notices), and edits to it: remove a creator, swap one for
the next best fit, change a creator's number of posts, move money between the sides.

Every edit is a POST answered 303 with the plan worked out again by the chat's own code (the
engine with the edits, `engine.recommend(..., edits=...)`, then `snapshot`): nothing is
recomputed in the page. The edits ride in the page's links and forms until saved, so any
instance answers the next request and the page works without JavaScript. Save stores the
edited recommendation with the saved brief (so 💾 Save as campaign keeps the edited plan; a
brief a campaign runs on is copied, and the campaign keeps its plan) and sends its card.
Only the brief's owner may see or change it (404 for anyone else, who changes nothing)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from markupsafe import Markup
from telegram.error import TelegramError

from handlers.recommendation import card_keyboard, worked_out
from handlers.services import Services
from handlers.web import (
    INIT_FIELD,
    PageAccess,
    PageRequest,
    PageResponse,
    page_language,
    refused,
    signed_in,
)
from knowledge.advice.edits import PlanEdits
from knowledge.advice.replacement import as_brief
from knowledge.advice.stored import StoredDeliverable, StoredLine, StoredRecommendation
from knowledge.base import Side
from knowledge.reading.init_data import WebAppUser
from knowledge.reading.parsing import parse_id
from knowledge.reading.plan_edits import edits_fields, edits_of
from knowledge.writing import i18n
from knowledge.writing.render import split_message
from knowledge.writing.views import card_text
from knowledge.writing.web_pages import render_page
from storage.campaigns import brief_of, save_edited_plan
from storage.models import SavedBrief

log = logging.getLogger(__name__)
BRIEF_FIELD = "brief"
EDITED_FIELD = "e"  # "1": the edits are in the address (else: the saved ones)
ACTIONS = ("remove", "swap", "posts", "macro", "micro", "reset", "save")
METRICS = ("reach", "engagements", "clicks", "conversions")


@dataclass(frozen=True)
class Row:
    """One creator of the plan, their lines (a wave and its reserve) taken together."""

    id: int
    name: str
    handle: str
    platform: str
    side: str  # micro or macro
    tier: str
    posts: int
    reserve: int  # of `posts`, those held in the wave-2 reserve
    choices: list[int]  # the numbers of posts the page offers (one: not editable)
    deliverable: StoredDeliverable | None  # what the posts buy, when not plain posts
    price_cents: int
    cost_cents: int


@dataclass(frozen=True)
class Opened:
    user: WebAppUser
    saved: SavedBrief
    stored: StoredRecommendation  # as saved
    edits: PlanEdits


def _edits(request: PageRequest, stored: StoredRecommendation) -> PlanEdits:
    """The edits in the address, or, when it carries none, those saved last."""
    if request.get(EDITED_FIELD) == "1":
        return edits_of(request.params)
    return edits_of(stored.edits)


def _opened(s: Services, access: PageAccess, request: PageRequest) -> Opened | PageResponse:
    """The signed-in user's saved brief and its recommendation; 401 when not signed in, 404
    when the brief is not theirs or its recommendation is gone (changing nothing)."""
    user = signed_in(s, access, request)
    if isinstance(user, PageResponse):
        return user
    brief_id = parse_id(request.get(BRIEF_FIELD))
    saved = None
    if brief_id is not None:
        with s.session() as session:
            saved = brief_of(session=session, user_id=user.id, brief_id=brief_id)
    stored = StoredRecommendation.of(saved.recommendation if saved is not None else None)
    if saved is None or stored is None:
        log.info("Plan page refused to user %s (404): brief %s", user.id, brief_id)
        with i18n.speaking(page_language(s, user)):
            return refused(404, "not_found")
    return Opened(user, saved, stored, _edits(request, stored))


def _href(init: str, brief_id: int, edits: PlanEdits, **more: str) -> str:
    fields = {INIT_FIELD: init, BRIEF_FIELD: str(brief_id), EDITED_FIELD: "1"}
    return "plan?" + urlencode({**fields, **edits_fields(edits), **more})


def _rows(stored: StoredRecommendation, s: Services) -> list[Row]:
    """One row per creator, in the order the chat lists the plan (a creator's wave-1 line
    and their reserve taken together)."""
    a = s.kb.assumptions
    by_id: dict[int, list[StoredLine]] = {}
    for line in stored.plan.lines:
        by_id.setdefault(line.id, []).append(line)
    rows = []
    for lines in by_id.values():
        first = lines[0]
        posts = sum(line.posts for line in lines)
        fixed = first.seeding or first.months is not None
        most = a.plan.most_posts(first.tier)
        bought = first.deliverable if len(lines) == 1 else None
        if bought is not None and bought.count == first.posts:
            bought = None  # plain posts
        rows.append(
            Row(
                id=first.id,
                name=first.name,
                handle=first.handle,
                platform=s.labels.platform(first.platform),
                side=first.side,
                tier=first.tier,
                posts=posts,
                reserve=sum(line.posts for line in lines if line.reserve),
                choices=[posts] if fixed else list(range(1, max(most, posts) + 1)),
                deliverable=bought,
                price_cents=first.price_cents,
                cost_cents=sum(line.cost_cents for line in lines),
            )
        )
    return rows


def _said(
    s: Services, opened: Opened, request: PageRequest, stored: StoredRecommendation
) -> tuple[str, str]:
    """What the last change came to (`said` and `who` in the address), for the page to say:
    saved, saved but not sent, a swap nobody could take (with the creator's name), or money
    no one more on that side could take (the plan the same as before the move)."""
    said, who = request.get("said"), parse_id(request.get("who"))
    if said in ("save", "unsent"):
        return said, ""
    staying = [line.name for line in stored.plan.lines if line.id == who]
    if said == "swap" and staying:
        return "no_fit", staying[0]
    if said in ("micro", "macro"):
        edits = opened.edits
        back = replace(edits, to_macro=edits.to_macro + (1 if said == "micro" else -1))
        before = worked_out(s, as_brief(stored.brief), opened.user.id, back)
        if before.plan == stored.plan:
            return "no_move", said
    return "", ""


def _page(s: Services, opened: Opened, request: PageRequest, status: int = 200) -> PageResponse:
    """The plan with the request's edits, worked out by the chat's code."""
    init, saved_id = request.get(INIT_FIELD), opened.saved.id
    assert saved_id is not None
    edits = opened.edits
    brief = as_brief(opened.stored.brief)
    stored = worked_out(s, brief, opened.user.id, edits)
    body = render_page(
        "plan.html",
        init=init,
        hidden=[
            (INIT_FIELD, init),
            (BRIEF_FIELD, str(saved_id)),
            (EDITED_FIELD, "1"),
            *edits_fields(edits).items(),
        ],
        stored=stored,
        cur=stored.brief.currency,
        # (the card as the chat shows it: Telegram's HTML, the user's text escaped in it)
        card=Markup(card_text(stored, s.kb).replace("\n", "<br>\n")),
        rows=_rows(stored, s),
        metrics=[(key, stored.plan.forecast[key]) for key in METRICS],
        left_cents=max(0, stored.plan.budget_cents - stored.plan.spent_cents),
        edited=bool(edits),
        reset=_href(init, saved_id, PlanEdits()),
        said=_said(s, opened, request, stored),
    )
    return PageResponse(status, body)


async def plan_page(s: Services, access: PageAccess, request: PageRequest) -> PageResponse:
    """GET: the plan, with the edits in the address (or those saved last)."""
    opened = _opened(s, access, request)
    if isinstance(opened, PageResponse):
        return opened
    with i18n.speaking(page_language(s, opened.user)):
        return _page(s, opened, request)


def _changed(edits: PlanEdits, action: str, creator_id: int | None, posts: str) -> PlanEdits:
    """The edits with the request's action added (unchanged when it needs an id it lacks)."""
    if action == "macro":
        return edits.move(Side.MACRO)
    if action == "micro":
        return edits.move(Side.MICRO)
    if action == "reset":
        return PlanEdits()
    if creator_id is None:
        return edits
    if action == "remove":
        return edits.remove(creator_id)
    if action == "swap":
        return edits.swap(creator_id)
    count = parse_id(posts)
    return edits.with_posts(creator_id, count) if action == "posts" and count else edits


async def plan_change(s: Services, access: PageAccess, request: PageRequest) -> PageResponse:
    """POST: `action` remove, swap or posts (with `id`, and `posts`), macro or micro (money
    moved to that side), reset (the plan as the engine made it), or save; answered 303 with
    the page of the plan as it now is."""
    opened = _opened(s, access, request)
    if isinstance(opened, PageResponse):
        return opened
    action, creator_id = request.get("action"), parse_id(request.get("id"))
    saved_id = opened.saved.id
    assert saved_id is not None
    init = request.get(INIT_FIELD)
    if action not in ACTIONS:
        with i18n.speaking(page_language(s, opened.user)):
            return _page(s, opened, request, status=400)
    if action == "save":
        kept_in, sent = await _save(s, access, opened)
        said = "save" if sent else "unsent"
        return PageResponse(303, location=_href(init, kept_in, opened.edits, said=said))
    edits = _changed(opened.edits, action, creator_id, request.get("posts"))
    who = {"who": str(creator_id)} if creator_id is not None else {}
    return PageResponse(303, location=_href(init, saved_id, edits, said=action, **who))


async def _save(s: Services, access: PageAccess, opened: Opened) -> tuple[int, bool]:
    """The edited recommendation stored with the saved brief (with a copy of it when a
    campaign runs on it: the campaign keeps its plan), and its card sent to the owner's
    chat, as the chat sends a card: the brief now holding the plan, and False when the card
    could not be sent."""
    saved_id = opened.saved.id
    assert saved_id is not None
    user = opened.user
    with i18n.speaking(page_language(s, user)):
        stored = worked_out(s, as_brief(opened.stored.brief), user.id, opened.edits)
        with s.session() as session:
            kept_in = save_edited_plan(
                session=session,
                user_id=user.id,
                brief_id=saved_id,
                recommendation=stored.to_json(),
                verdict=stored.verdict.kind,
            )
        kept_in = kept_in or saved_id
        log.info("Plan of brief %s saved from the plan page by user %s", kept_in, user.id)
        if access.bot is None:
            return kept_in, False
        parts = split_message(card_text(stored, s.kb))
        keyboard = card_keyboard(kept_in, stored, s)
        try:
            for index, part in enumerate(parts):
                keys = keyboard if index == len(parts) - 1 else None
                await access.bot.send_message(chat_id=user.id, text=part, reply_markup=keys)
        except TelegramError as exc:  # a chat the bot can't write to: said on the page
            log.warning("Could not send the saved plan's card to %s: %s", user.id, exc)
            return kept_in, False
    return kept_in, True

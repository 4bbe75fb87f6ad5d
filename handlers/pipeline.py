"""Creators in a campaign, from the buttons on its card and its check-ins: a creator's menu,
a move from one status to the next (knowledge.campaigns.pipeline), and one who declined
replaced in one tap by the next best fit from the roster (knowledge.advice.replacement).

Every button carries the campaign it acts on and where the creator stood when it was made:
a button of another campaign, of a creator since moved or replaced, or a move the rules
do not allow gets a clear answer and changes nothing.
"""

from __future__ import annotations

from telegram import Update

from handlers import keyboards
from handlers.callbacks import Prefix, id_part, parts_of
from handlers.context import BotContext
from handlers.services import Services, reply
from knowledge.advice.replacement import Declined, Replacement, next_best_fit
from knowledge.advice.stored import StoredRecommendation
from knowledge.base import Side
from knowledge.campaigns.pipeline import CreatorStatus, status_of
from knowledge.campaigns.pipeline_words import status_words
from knowledge.writing.render import render
from knowledge.writing.replies import CreatorNote, Template
from storage.campaigns import brief_of, campaign_of
from storage.models import Campaign, CampaignCreator
from storage.pipeline import (
    Moved,
    as_people,
    creator_of,
    creators_of,
    linked,
    move_creator,
    replace_creator,
)
from storage.search import replacement_candidates

NOTES = {Moved.MOVED: CreatorNote.MOVED, Moved.STALE: CreatorNote.STALE}


def _fit(s: Services, campaign: Campaign, creator: CampaignCreator) -> Replacement | None:
    """Who could take the place of a creator who declined and was not replaced (None: they
    did not decline, or nobody fits)."""
    if creator.status != CreatorStatus.DECLINED or creator.replaced_by is not None:
        return None
    with s.session() as session:
        brief = brief_of(session=session, user_id=campaign.user_id, brief_id=campaign.brief_id)
        stored = StoredRecommendation.of(brief.recommendation if brief else None)
        if brief is None or stored is None:
            return None
        everyone = creators_of(session=session, campaign=campaign, brief=brief)
        candidates = replacement_candidates(
            session=session,
            niche=creator.niche,
            platform=creator.platform,
            side=creator.side,
            max_price_cents=creator.cost_cents,
            metric=stored.metric,
        )
    declined = Declined(
        creator.niche, creator.platform, Side(creator.side), creator.posts, creator.cost_cents
    )
    prices = s.roster.price_guide(s, [creator.niche])
    prices = s.roster.with_peers_everywhere(s, prices, candidates)
    codes = {c.promo_code for c in everyone if c.promo_code}
    return next_best_fit(
        stored.brief, declined, candidates, as_people(everyone), codes, prices, s.kb
    )


async def _show(
    update: Update,
    context: BotContext,
    campaign: Campaign,
    creator: CampaignCreator,
    kind: CreatorNote = CreatorNote.SHOWN,
) -> None:
    """The creator's menu: where they stand, whom they replaced or were replaced by, and
    the next best fit for one who declined."""
    s = context.services
    assert campaign.id is not None
    with s.session() as session:
        replaces, replaced_by = linked(session=session, creator=creator)
    fit = _fit(s, campaign, creator)
    await reply(
        update,
        Template.CREATOR,
        keyboards.creator_menu(campaign.id, creator, fit.candidate.id if fit else None),
        kind=kind,
        creator=creator,
        campaign=campaign.name,
        replaces=replaces,
        replaced_by=replaced_by,
        fit=fit,
        labels=s.labels,
        currency=s.currency,
        status_words=status_words,
    )


def _found(
    context: BotContext, user_id: int, parts: list[str]
) -> tuple[Campaign, CampaignCreator] | None:
    """The campaign and creator a button names, both this user's and the creator of that
    campaign (None otherwise)."""
    campaign_id, creator_id = id_part(parts), id_part(parts, 1)
    if campaign_id is None or creator_id is None:
        return None
    with context.services.session() as session:
        campaign = campaign_of(session=session, user_id=user_id, campaign_id=campaign_id)
        creator = creator_of(
            session=session, user_id=user_id, campaign_id=campaign_id, creator_id=creator_id
        )
    if campaign is None or creator is None:
        return None
    return campaign, creator


async def creator_button(update: Update, context: BotContext) -> None:
    """A creator's row on a campaign card or a check-in: their menu."""
    query = update.callback_query
    assert query is not None
    found = _found(context, query.from_user.id, parts_of(query.data, Prefix.CREATOR))
    if found is None:
        await query.answer(render(Template.EXPIRED))
        return
    await query.answer()
    await _show(update, context, *found)


async def move_button(update: Update, context: BotContext) -> None:
    """A move under a creator's menu: made if they still stand where the menu showed them
    and the rules allow it; the menu, as they now stand, either way."""
    query = update.callback_query
    assert query is not None
    user_id = query.from_user.id
    parts = parts_of(query.data, Prefix.MOVE_CREATOR)
    found = _found(context, user_id, parts)
    start = status_of(parts[2]) if len(parts) > 3 else None
    end = status_of(parts[3]) if len(parts) > 3 else None
    if found is None or start is None or end is None:
        await query.answer(render(Template.EXPIRED))
        return
    campaign, creator = found
    assert campaign.id is not None and creator.id is not None
    with context.services.session() as session:
        moved, now = move_creator(
            session=session,
            user_id=user_id,
            campaign_id=campaign.id,
            creator_id=creator.id,
            start=start,
            end=end,
        )
    if now is None:
        await query.answer(render(Template.EXPIRED))
        return
    await query.answer()
    if moved is Moved.MOVED:
        await query.edit_message_reply_markup(None)
    await _show(update, context, campaign, now, NOTES.get(moved, CreatorNote.REFUSED))


async def replace_button(update: Update, context: BotContext) -> None:
    """🔀 Replace them, under a creator who declined: the next best fit booked in their
    place, if it is still the one the button was made for."""
    query = update.callback_query
    assert query is not None
    s = context.services
    parts = parts_of(query.data, Prefix.REPLACE_CREATOR)
    found = _found(context, query.from_user.id, parts)
    wanted = id_part(parts, 2)
    if found is None or wanted is None:
        await query.answer(render(Template.EXPIRED))
        return
    campaign, creator = found
    await query.answer()
    fit = _fit(s, campaign, creator)
    if fit is None or fit.candidate.id != wanted:
        kind = CreatorNote.FIT_CHANGED if fit is not None else CreatorNote.STALE
        await _show(update, context, campaign, creator, kind)
        return
    with s.session() as session:
        added = replace_creator(session=session, declined=creator, replacement=fit)
    if added is None:  # replaced or asked again meanwhile
        with s.session() as session:
            assert campaign.id is not None and creator.id is not None
            now = creator_of(
                session=session,
                user_id=campaign.user_id,
                campaign_id=campaign.id,
                creator_id=creator.id,
            )
        await _show(update, context, campaign, now or creator, CreatorNote.STALE)
        return
    await query.edit_message_reply_markup(None)
    await _show(update, context, campaign, added, CreatorNote.REPLACED)

"""Creators in a campaign: one row per creator it follows (knowledge.campaigns.pipeline),
made from its plan's lines when it is saved (or when a campaign saved before first shows
them), moved from status to status, and one who declined replaced by another.

Commit rule (see the README): each public function here that changes data commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from knowledge.advice.brief import Candidate
from knowledge.advice.learning import Outcome
from knowledge.advice.replacement import Replacement
from knowledge.advice.stored import plan_people
from knowledge.campaigns.outcomes import outcomes
from knowledge.campaigns.pipeline import CreatorStatus, can_move, status_of
from storage.models import (
    Campaign,
    CampaignCreator,
    CheckinResult,
    CreatorResult,
    SavedBrief,
    utcnow,
)
from storage.upsert import insert_or_update


def _niche_of(line: Mapping[str, Any], brief_niche: str) -> str:
    """The niche a line's creator was found in (its first "niche" note), else the brief's."""
    for note in line.get("notes") or []:
        if note and note[0] == "niche" and len(note) > 1 and note[1]:
            return str(note[1][0])
    return brief_niche


def _from_line(campaign_id: int, line: Mapping[str, Any], brief_niche: str) -> CampaignCreator:
    """A plan line (a stored recommendation's, any version) as a creator to follow."""
    posts = int(line.get("posts", 1))
    price = int(line.get("price_cents", line.get("ask_cents", 0)))
    return CampaignCreator(
        campaign_id=campaign_id,
        influencer_id=int(line["id"]),
        name=str(line.get("name", "")),
        handle=str(line.get("handle", "")),
        platform=str(line.get("platform", "")),
        niche=_niche_of(line, brief_niche),
        side=str(line.get("side", "micro")),
        wave=int(line.get("wave", 1)),
        posts=posts,
        price_cents=price,
        cost_cents=int(line.get("cost_cents", price * posts)),
        promo_code=line.get("promo_code"),
        link=line.get("link"),
        contact=line.get("contact"),
        forecast=dict(line.get("forecast") or {}),
    )


def _add_plan_creators(session: Session, campaign: Campaign, brief: SavedBrief | None) -> None:
    """The campaign's plan lines as creators to contact, in the caller's transaction: one per
    creator, with what is booked of them first (a creator with posts in both waves of a plan
    is followed on their wave-1 line: the reserve's posts are booked only if released)."""
    if brief is None or campaign.id is None:
        return
    seen: set[int] = set()
    for line in plan_people(brief.recommendation).lines:  # by wave (stored.py's order)
        if "id" in line and int(line["id"]) not in seen:
            seen.add(int(line["id"]))
            session.add(_from_line(campaign.id, line, brief.niche))


def _rows(session: Session, campaign_id: int) -> list[CampaignCreator]:
    query = select(CampaignCreator).where(CampaignCreator.campaign_id == campaign_id)
    return list(session.exec(query.order_by(col(CampaignCreator.id))))


def creators_of(
    *, session: Session, campaign: Campaign, brief: SavedBrief | None
) -> list[CampaignCreator]:
    """The creators the campaign follows, in the plan's order then replacements; a campaign
    saved before creators were followed gets its plan's lines as creators to contact
    (committed) the first time they are asked for."""
    if campaign.id is None:
        return []
    rows = _rows(session, campaign.id)
    if not rows and brief is not None and plan_people(brief.recommendation).lines:
        _add_plan_creators(session, campaign, brief)
        session.commit()
        rows = _rows(session, campaign.id)
    return rows


def creator_of(
    *, session: Session, user_id: int, campaign_id: int, creator_id: int
) -> CampaignCreator | None:
    """A creator of this user's campaign (None: unknown, of another campaign, or another
    user's)."""
    creator = session.get(CampaignCreator, creator_id)
    campaign = session.get(Campaign, campaign_id)
    if creator is None or campaign is None or campaign.user_id != user_id:
        return None
    return creator if creator.campaign_id == campaign_id else None


def linked(
    *, session: Session, creator: CampaignCreator
) -> tuple[CampaignCreator | None, CampaignCreator | None]:
    """Whom the creator took the place of, and who took theirs."""
    before = session.get(CampaignCreator, creator.replaces) if creator.replaces else None
    after = session.get(CampaignCreator, creator.replaced_by) if creator.replaced_by else None
    return before, after


class Moved(StrEnum):
    MOVED = "moved"
    STALE = "stale"  # the creator was not at the status the button was made at
    REFUSED = "refused"  # not a move the rules allow (a forged button)
    GONE = "gone"  # no such creator in this user's campaign


def move_creator(
    *,
    session: Session,
    user_id: int,
    campaign_id: int,
    creator_id: int,
    start: CreatorStatus,
    end: CreatorStatus,
) -> tuple[Moved, CampaignCreator | None]:
    """Move a creator from `start` to `end`, if the rules allow it and they are still at
    `start` (another tap, or another of the user's chats, may have moved them); committed.
    What happened, and the creator as they now stand."""
    creator = creator_of(
        session=session, user_id=user_id, campaign_id=campaign_id, creator_id=creator_id
    )
    if creator is None:
        return Moved.GONE, None
    now = status_of(creator.status)
    if now is None or not can_move(start, end, creator.replaced_by is not None):
        return Moved.REFUSED, creator
    result = session.exec(
        update(CampaignCreator)
        .where(
            col(CampaignCreator.id) == creator_id,
            col(CampaignCreator.status) == start.value,
            col(CampaignCreator.replaced_by).is_(None),
        )
        .values(status=end.value, changed_at=utcnow())
    )
    session.commit()
    session.refresh(creator)
    return (Moved.MOVED if result.rowcount else Moved.STALE), creator


def replace_creator(
    *, session: Session, declined: CampaignCreator, replacement: Replacement
) -> CampaignCreator | None:
    """The replacement in the campaign, in the place of a creator who declined and was not
    replaced meanwhile; committed. None: they were (or were asked again), nothing changed."""
    c = replacement.candidate
    added = CampaignCreator(
        campaign_id=declined.campaign_id,
        influencer_id=c.id,
        name=c.name,
        handle=c.handle,
        platform=c.platform,
        niche=declined.niche,
        side=replacement.side.value,
        wave=declined.wave,
        posts=replacement.posts,
        price_cents=replacement.price_cents,
        cost_cents=replacement.cost_cents,
        promo_code=replacement.promo_code,
        link=replacement.link,
        contact=c.contact,
        forecast=replacement.forecast.model_dump(),
        replaces=declined.id,
    )
    session.add(added)
    session.flush()
    result = session.exec(
        update(CampaignCreator)
        .where(
            col(CampaignCreator.id) == declined.id,
            col(CampaignCreator.status) == CreatorStatus.DECLINED.value,
            col(CampaignCreator.replaced_by).is_(None),
        )
        .values(replaced_by=added.id, changed_at=utcnow())
    )
    if not result.rowcount:
        session.rollback()
        return None
    session.commit()
    session.refresh(added)
    return added


def as_people(creators: Sequence[CampaignCreator]) -> list[Candidate]:
    """The campaign's creators as the engine tells people apart (name, platform, handle,
    contact; their figures are not needed for it)."""
    return [
        Candidate(
            id=c.influencer_id,
            name=c.name,
            handle=c.handle,
            platform=c.platform,
            niches=(c.niche,),
            followers=0,
            engagement_rate=0.0,
            price_cents=c.price_cents,
            contact=c.contact,
        )
        for c in creators
    ]


def record_creator_results(
    *,
    session: Session,
    campaign_id: int,
    stage: str,
    reminder_id: int | None,
    values: Mapping[int, Mapping[str, int]],
) -> int:
    """Results per creator (by campaign_creator id: the campaign's own, as read against
    it), in one transaction; committed. How many creators they were for. One row per creator
    and check-in (a unique index holds it): given again at the same check-in (a correction,
    or the same answer handled a second time after the database went away before the update
    was done: bot.processing), the figures given replace theirs and the others stay."""
    now = utcnow()
    for creator_id, figures in values.items():
        row = {
            "campaign_id": campaign_id,
            "creator_id": creator_id,
            "stage": stage,
            "reminder_id": reminder_id,
            "recorded_at": now,
        }
        insert_or_update(
            session,
            CreatorResult,
            {**row, **figures},
            keys=["reminder_id", "creator_id"],
            changed=[*figures, "recorded_at"],
        )
    session.commit()
    return len(values)


def creator_results_of(*, session: Session, campaign_id: int) -> list[CreatorResult]:
    query = select(CreatorResult).where(CreatorResult.campaign_id == campaign_id)
    return list(session.exec(query.order_by(col(CreatorResult.recorded_at), col(CreatorResult.id))))


def own_outcomes(*, session: Session, user_id: int) -> list[Outcome]:
    """What the user's campaigns measured: each creator's finished results beside their
    public forecast, or a campaign's own totals (knowledge.campaigns.outcomes), for the
    forecast of their next briefs."""
    campaigns = session.exec(
        select(Campaign, SavedBrief)
        .join(SavedBrief, col(SavedBrief.id) == col(Campaign.brief_id))
        .where(Campaign.user_id == user_id)
        .order_by(col(Campaign.id))
    ).all()
    ids = [campaign.id for campaign, _brief in campaigns]
    if not ids:
        return []
    creators: dict[int, list[CampaignCreator]] = defaultdict(list)
    for creator in session.exec(
        select(CampaignCreator).where(col(CampaignCreator.campaign_id).in_(ids))
    ):
        creators[creator.campaign_id].append(creator)
    results: dict[int, list[dict[str, Any]]] = defaultdict(list)
    query = select(CreatorResult).where(col(CreatorResult.campaign_id).in_(ids))
    for result in session.exec(
        query.order_by(col(CreatorResult.recorded_at), col(CreatorResult.id))
    ):
        results[result.campaign_id].append(result.model_dump())
    totals: dict[int, list[dict[str, Any]]] = defaultdict(list)
    query_totals = select(CheckinResult).where(col(CheckinResult.campaign_id).in_(ids))
    for total in session.exec(
        query_totals.order_by(col(CheckinResult.recorded_at), col(CheckinResult.id))
    ):
        totals[total.campaign_id].append(total.model_dump())
    found: list[Outcome] = []
    for campaign, brief in campaigns:
        if campaign.id is not None:
            found += outcomes(
                campaign.id,
                brief.recommendation,
                creators[campaign.id],
                results[campaign.id],
                totals[campaign.id],
            )
    return found

"""Campaigns, reminders (check-ins and free ones) and check-in results.

The database is the source of truth for reminders. Delivery is at most once: a reminder
is claimed (pending → claimed) in its own committed transaction before it is sent, so a
crash after the claim can never send it a second time. A send that surely never left
releases the claim (claimed → pending, due again a little later).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, update
from sqlmodel import Session, col, select

from storage.models import (
    Campaign,
    CampaignCreator,
    CheckinResult,
    CreatorResult,
    Reminder,
    SavedBrief,
    SavedBriefBase,
    User,
    max_length,
    utcnow,
)
from storage.pipeline import _add_plan_creators, creator_results_of, creators_of
from storage.upsert import insert_or_update

PENDING, CLAIMED, SENT, CANCELLED, PAUSED = "pending", "claimed", "sent", "cancelled", "paused"
# The stage of a reminder that is a reply flood control kept from its user.
LATE_REPLY = "reply"
CAMPAIGN_NAME_LIMIT = max_length(Campaign, "name")
REMINDER_TEXT_LIMIT = max_length(Reminder, "text")


def create_campaign(
    *,
    session: Session,
    user_id: int,
    brief_id: int,
    name: str,
    start_day: date,
    length_days: int,
    checkins: Sequence[tuple[str, datetime]],
) -> Campaign:
    """The campaign, one pending reminder per check-in and its plan's creators to contact
    (storage.pipeline), in one transaction."""
    campaign = Campaign(
        user_id=user_id, brief_id=brief_id, name=name, start_day=start_day, length_days=length_days
    )
    session.add(campaign)
    session.flush()
    for stage, due in checkins:
        session.add(Reminder(user_id=user_id, campaign_id=campaign.id, stage=stage, due_at=due))
    _add_plan_creators(session, campaign, session.get(SavedBrief, brief_id))
    session.commit()
    session.refresh(campaign)
    return campaign


def campaigns_of(*, session: Session, user_id: int) -> list[Campaign]:
    query = select(Campaign).where(Campaign.user_id == user_id)
    return list(session.exec(query.order_by(col(Campaign.start_day).desc(), col(Campaign.id))))


def campaign_of(*, session: Session, user_id: int, campaign_id: int) -> Campaign | None:
    campaign = session.get(Campaign, campaign_id)
    return campaign if campaign is not None and campaign.user_id == user_id else None


def rename_campaign(*, session: Session, user_id: int, campaign_id: int, name: str) -> bool:
    """False: no such campaign of this user."""
    campaign = campaign_of(session=session, user_id=user_id, campaign_id=campaign_id)
    if campaign is None:
        return False
    campaign.name = name
    session.commit()
    return True


def move_campaign(
    *,
    session: Session,
    user_id: int,
    campaign_id: int,
    start_day: date,
    checkins: Sequence[tuple[str, datetime]],
) -> int | None:
    """Give the campaign a new start day and its check-ins still to come their new times
    (`checkins`: the schedule from that day on); those already sent stay as they were. How
    many moved (None: no such campaign of this user)."""
    campaign = campaign_of(session=session, user_id=user_id, campaign_id=campaign_id)
    if campaign is None:
        return None
    campaign.start_day = start_day
    due = dict(checkins)
    moved = 0
    for reminder in checkins_of(session=session, campaign_id=campaign_id):
        if reminder.status in (PENDING, PAUSED) and reminder.stage in due:
            reminder.due_at, reminder.late = due[reminder.stage], False
            moved += 1
    session.commit()
    return moved


def delete_campaign(*, session: Session, user_id: int, campaign_id: int) -> bool:
    """The campaign, its check-ins, results, creators and theirs, gone in one transaction
    (the saved brief and its recommendation stay). False: no such campaign of this user."""
    campaign = campaign_of(session=session, user_id=user_id, campaign_id=campaign_id)
    if campaign is None:
        return False
    session.exec(delete(CreatorResult).where(col(CreatorResult.campaign_id) == campaign_id))
    session.exec(delete(CampaignCreator).where(col(CampaignCreator.campaign_id) == campaign_id))
    for result in results_of(session=session, campaign_id=campaign_id):
        session.delete(result)
    session.flush()
    for reminder in checkins_of(session=session, campaign_id=campaign_id):
        session.delete(reminder)
    session.flush()
    session.delete(campaign)
    session.commit()
    return True


def brief_of(*, session: Session, user_id: int, brief_id: int) -> SavedBrief | None:
    """A saved brief of this user (None: no such brief, or someone else's)."""
    brief = session.get(SavedBrief, brief_id)
    return brief if brief is not None and brief.user_id == user_id else None


def replace_recommendation(
    *,
    session: Session,
    user_id: int,
    brief_id: int,
    recommendation: dict[str, Any],
) -> bool:
    """A saved brief's recommendation, as made again after the brief was told more (the
    shop's name, asked before the first messages); False: no such brief of this user."""
    brief = brief_of(session=session, user_id=user_id, brief_id=brief_id)
    if brief is None:
        return False
    brief.recommendation = recommendation
    session.add(brief)
    session.commit()
    return True


def save_edited_plan(
    *,
    session: Session,
    user_id: int,
    brief_id: int,
    recommendation: dict[str, Any],
    verdict: str,
) -> int | None:
    """The plan page's Save: the edited recommendation stored with its brief, or, when a
    campaign already runs on that brief, with a copy of the brief (the campaign keeps the
    plan it was saved with); the id of the brief now holding it (None: no such brief of this
    user). One transaction."""
    brief = brief_of(session=session, user_id=user_id, brief_id=brief_id)
    if brief is None:
        return None
    running = session.exec(select(Campaign.id).where(Campaign.brief_id == brief_id)).first()
    if running is not None:
        fields = SavedBriefBase.model_validate(brief).model_dump()
        brief = SavedBrief(user_id=user_id, **fields)
    brief.recommendation = recommendation
    brief.verdict = verdict
    session.add(brief)
    session.commit()
    session.refresh(brief)
    assert brief.id is not None
    return brief.id


@dataclass(frozen=True)
class CampaignDetails:
    campaign: Campaign
    brief: SavedBrief | None
    checkins: list[Reminder]
    results: list[CheckinResult]
    creators: list[CampaignCreator]
    creator_results: list[CreatorResult]


def campaign_details(*, session: Session, user_id: int, campaign_id: int) -> CampaignDetails | None:
    """A campaign of this user with its brief, check-ins, reported results, creators and
    their own results."""
    campaign = campaign_of(session=session, user_id=user_id, campaign_id=campaign_id)
    if campaign is None or campaign.id is None:
        return None
    brief = brief_of(session=session, user_id=user_id, brief_id=campaign.brief_id)
    return CampaignDetails(
        campaign,
        brief,
        checkins_of(session=session, campaign_id=campaign.id),
        results_of(session=session, campaign_id=campaign.id),
        creators_of(session=session, campaign=campaign, brief=brief),
        creator_results_of(session=session, campaign_id=campaign.id),
    )


def latest_campaign_id(*, session: Session, user_id: int) -> int | None:
    """The user's campaign that starts last (the one /results shows)."""
    campaigns = campaigns_of(session=session, user_id=user_id)
    return campaigns[0].id if campaigns else None


def checkin_of(*, session: Session, user_id: int, reminder_id: int) -> Reminder | None:
    """A campaign check-in of this user (None: unknown, someone else's, or a free reminder)."""
    reminder = session.get(Reminder, reminder_id)
    if reminder is None or reminder.user_id != user_id or reminder.campaign_id is None:
        return None
    return reminder


def checkins_of(*, session: Session, campaign_id: int) -> list[Reminder]:
    query = select(Reminder).where(Reminder.campaign_id == campaign_id)
    return list(session.exec(query.order_by(col(Reminder.due_at))))


def add_reminder(*, session: Session, user_id: int, due_at: datetime, text: str) -> Reminder:
    """A free reminder; its text is cut to the length the table keeps."""
    reminder = Reminder(user_id=user_id, due_at=due_at, text=text.strip()[:REMINDER_TEXT_LIMIT])
    session.add(reminder)
    session.commit()
    session.refresh(reminder)
    return reminder


def add_late_replies(
    *, session: Session, user_id: int, replies: Sequence[str], due_at: datetime
) -> None:
    """Replies flood control kept from the user, to be sent at `due_at` (in order)."""
    session.add_all(
        Reminder(user_id=user_id, stage=LATE_REPLY, reply=reply, due_at=due_at) for reply in replies
    )
    session.commit()


def pending_reminders(*, session: Session, user_id: int) -> list[Reminder]:
    """The user's reminders still to come (pending or paused), and their free reminders that
    were claimed but never confirmed sent (a campaign's check-ins show those on its card).
    Not the late replies (LATE_REPLY): the user never asked for those."""
    unconfirmed = and_(col(Reminder.status) == CLAIMED, col(Reminder.campaign_id).is_(None))
    query = select(Reminder).where(
        Reminder.user_id == user_id,
        or_(col(Reminder.status).in_((PENDING, PAUSED)), unconfirmed),
        or_(col(Reminder.stage).is_(None), col(Reminder.stage) != LATE_REPLY),
    )
    return list(session.exec(query.order_by(col(Reminder.due_at), col(Reminder.id))))


def cancel_reminder(*, session: Session, user_id: int, reminder_id: int) -> bool:
    """Cancel a reminder still to come, or dismiss one claimed but never confirmed; False
    when it was sent or cancelled already (or is not this user's)."""
    result = session.exec(
        update(Reminder)
        .where(
            col(Reminder.id) == reminder_id,
            col(Reminder.user_id) == user_id,
            col(Reminder.status).in_((PENDING, PAUSED, CLAIMED)),
        )
        .values(status=CANCELLED)
    )
    session.commit()
    return bool(result.rowcount)


def next_due(*, session: Session) -> datetime | None:
    """When the earliest pending reminder is due."""
    return session.scalar(select(func.min(Reminder.due_at)).where(Reminder.status == PENDING))


def due_reminders(*, session: Session, now: datetime, limit: int = 500) -> list[Reminder]:
    query = select(Reminder).where(Reminder.status == PENDING, col(Reminder.due_at) <= now)
    return list(session.exec(query.order_by(col(Reminder.due_at), col(Reminder.id)).limit(limit)))


def claim(*, session: Session, reminder_id: int, now: datetime, late: bool) -> bool:
    """Take a pending reminder for sending; False if it was taken or cancelled meanwhile."""
    result = session.exec(
        update(Reminder)
        .where(col(Reminder.id) == reminder_id, col(Reminder.status) == PENDING)
        .values(status=CLAIMED, claimed_at=now, late=late)
    )
    session.commit()
    return bool(result.rowcount)


def unclaim(*, session: Session, reminder_id: int, claimed_at: datetime) -> bool:
    """Take back the claim made at `claimed_at` (by this instance: another's has its own
    time) on a reminder surely not sent: the database went away around the claim, which may
    have been written. Pending again, due as before; False when there was no such claim."""
    result = session.exec(
        update(Reminder)
        .where(
            col(Reminder.id) == reminder_id,
            col(Reminder.status) == CLAIMED,
            col(Reminder.claimed_at) == claimed_at,
        )
        .values(status=PENDING, claimed_at=None)
    )
    session.commit()
    return bool(result.rowcount)


def release(*, session: Session, reminder_id: int, retry_at: datetime) -> None:
    """A claimed reminder whose send surely never left goes back to pending, due again at
    `retry_at`; `first_due_at` keeps the time it was first due, `attempts` counts the
    releases."""
    session.execute(
        update(Reminder)
        .where(col(Reminder.id) == reminder_id, col(Reminder.status) == CLAIMED)
        .values(
            status=PENDING,
            first_due_at=func.coalesce(col(Reminder.first_due_at), col(Reminder.due_at)),
            due_at=retry_at,
            attempts=col(Reminder.attempts) + 1,
            claimed_at=None,
        )
    )
    session.commit()


def mark_sent(*, session: Session, reminder_id: int, now: datetime) -> None:
    session.execute(
        update(Reminder).where(col(Reminder.id) == reminder_id).values(status=SENT, sent_at=now)
    )
    session.commit()


def pause_user(*, session: Session, user_id: int, reminder_id: int | None = None) -> None:
    """The user blocked the bot: their pending reminders wait, and so does this claimed one."""
    session.execute(
        update(Reminder)
        .where(col(Reminder.user_id) == user_id, col(Reminder.status) == PENDING)
        .values(status=PAUSED)
    )
    if reminder_id is not None:
        session.execute(
            update(Reminder).where(col(Reminder.id) == reminder_id).values(status=PAUSED)
        )
    session.commit()


def resume_user(*, session: Session, user_id: int) -> int:
    """The user is back: paused reminders become pending again (overdue ones go out late)."""
    result = session.exec(
        update(Reminder)
        .where(col(Reminder.user_id) == user_id, col(Reminder.status) == PAUSED)
        .values(status=PENDING)
    )
    session.commit()
    return int(result.rowcount)


def paused_users(*, session: Session) -> set[int]:
    query = select(Reminder.user_id).where(Reminder.status == PAUSED).distinct()
    return set(session.exec(query))


def record_results(
    *,
    session: Session,
    campaign_id: int,
    stage: str,
    reminder_id: int | None,
    values: dict[str, int],
) -> CheckinResult:
    """The results given at a check-in (`reminder_id`), one row per check-in (a unique index
    holds it): given again (a correction, or the same answer handled a second time after the
    database went away before the update was done: bot.processing), the figures given
    replace theirs and the others stay, as `latest` reads them across rows; one insert or
    update, so two at once make one row too. Results for no check-in are a row each."""
    now = utcnow()
    row = {"campaign_id": campaign_id, "stage": stage, "reminder_id": reminder_id}
    result_id = insert_or_update(
        session,
        CheckinResult,
        {**row, **values, "recorded_at": now},
        keys=["reminder_id"],
        changed=[*values, "recorded_at"],
    )
    session.commit()
    result = session.get(CheckinResult, result_id, populate_existing=True)
    assert result is not None
    return result


def results_of(*, session: Session, campaign_id: int) -> list[CheckinResult]:
    query = select(CheckinResult).where(CheckinResult.campaign_id == campaign_id)
    return list(session.exec(query.order_by(col(CheckinResult.recorded_at), col(CheckinResult.id))))


def set_timezone(*, session: Session, user_id: int, timezone: str) -> None:
    user = session.get(User, user_id)
    if user is None:
        user = User(telegram_id=user_id)
    user.timezone = timezone
    session.add(user)
    session.commit()


def timezone_of(*, session: Session, user_id: int) -> str | None:
    user = session.get(User, user_id)
    return user.timezone if user is not None else None

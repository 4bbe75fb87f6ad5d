"""What the bot holds about a user: all of it as data (/mydata), or erased in one
transaction (/forget_me); and what it keeps only for a while (knowledge/data/retention.toml).

Commit rule (see the README): each public function here that changes data commits.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, SQLModel, col, select

from knowledge.campaigns.retention import retention
from storage.campaigns import CANCELLED, SENT
from storage.locks import lock_user_state
from storage.models import (
    Admin,
    AuditEntry,
    Campaign,
    CampaignCreator,
    CheckinResult,
    ConversationState,
    CreatorResult,
    ErasedUser,
    PendingImport,
    Reminder,
    SavedBrief,
    User,
    UserData,
    utcnow,
)

# How long an erasure is remembered (the user's id and a number, nothing else).
ERASURE_MARK_KEPT = timedelta(days=2)


def _plain(row: SQLModel) -> dict[str, Any]:
    return row.model_dump(mode="json")


def _conversation_rows(session: Session, user_id: int) -> list[ConversationState]:
    """The user's place in each conversation (their id is part of its key)."""
    rows = session.exec(select(ConversationState))
    return [row for row in rows if user_id in json.loads(row.key)]


def user_data_export(*, session: Session, user_id: int) -> dict[str, Any]:
    """Everything stored about `user_id`, as JSON-ready data."""
    user = session.get(User, user_id)
    campaigns = list(session.exec(select(Campaign).where(Campaign.user_id == user_id)))
    campaign_ids = [c.id for c in campaigns]
    results = session.exec(
        select(CheckinResult).where(col(CheckinResult.campaign_id).in_(campaign_ids))
    )
    creators = session.exec(
        select(CampaignCreator)
        .where(col(CampaignCreator.campaign_id).in_(campaign_ids))
        .order_by(col(CampaignCreator.id))
    )
    creator_results = session.exec(
        select(CreatorResult)
        .where(col(CreatorResult.campaign_id).in_(campaign_ids))
        .order_by(col(CreatorResult.id))
    )
    state = session.get(UserData, user_id)
    admin = session.get(Admin, user_id)
    audit = session.exec(
        select(AuditEntry).where(AuditEntry.actor_id == user_id).order_by(col(AuditEntry.id))
    )
    imports = session.exec(select(PendingImport).where(PendingImport.admin_id == user_id))
    return {
        "telegram_user_id": user_id,
        "user": _plain(user) if user else None,
        "briefs": [
            _plain(b)
            for b in session.exec(
                select(SavedBrief).where(SavedBrief.user_id == user_id).order_by(col(SavedBrief.id))
            )
        ],
        "campaigns": [_plain(c) for c in campaigns],
        "checkin_results": [_plain(r) for r in results],
        "campaign_creators": [_plain(c) for c in creators],
        "creator_results": [_plain(r) for r in creator_results],
        "reminders": [
            _plain(r)
            for r in session.exec(
                select(Reminder).where(Reminder.user_id == user_id).order_by(col(Reminder.id))
            )
        ],
        "conversation_state": {
            row.name: json.loads(row.state) for row in _conversation_rows(session, user_id)
        },
        "answers_in_progress": state.data if state else {},
        "admin_added_by_command": _plain(admin) if admin else None,
        "roster_changes_made": [
            {"at": e.at.isoformat(), "action": e.action, "summary": e.summary} for e in audit
        ],
        "imports_waiting_for_confirm": [
            {"file_name": p.file_name, "created_at": p.created_at.isoformat()} for p in imports
        ],
    }


def forget_user(*, session: Session, user_id: int) -> int:
    """Erase the user: their row, briefs, campaigns (with check-ins, results and creators),
    reminders, answers in progress, place in conversations and imports waiting for confirm,
    in one transaction; committed. How many rows were deleted.

    Kept: an admin's rights (removed with /admin remove) and the audit log's record of the
    roster changes they made (who did what). Marked as erased (the id and a version, for two
    days: ERASURE_MARK_KEPT), so that no write begun before the erasure, on this instance or
    another, brings their state back (storage.state)."""
    lock_user_state(session, user_id)
    campaign_ids = list(session.exec(select(Campaign.id).where(Campaign.user_id == user_id)))
    deleted = 0
    statements = [
        delete(CheckinResult).where(col(CheckinResult.campaign_id).in_(campaign_ids)),
        delete(CreatorResult).where(col(CreatorResult.campaign_id).in_(campaign_ids)),
        delete(CampaignCreator).where(col(CampaignCreator.campaign_id).in_(campaign_ids)),
        delete(Reminder).where(col(Reminder.user_id) == user_id),
        delete(Campaign).where(col(Campaign.user_id) == user_id),
        delete(SavedBrief).where(col(SavedBrief.user_id) == user_id),
        delete(UserData).where(col(UserData.user_id) == user_id),
        delete(PendingImport).where(col(PendingImport.admin_id) == user_id),
        delete(User).where(col(User.telegram_id) == user_id),
    ]
    try:
        _mark_erased(session, user_id)
        for statement in statements:
            deleted += session.exec(statement).rowcount
        for row in _conversation_rows(session, user_id):
            session.delete(row)
            deleted += 1
        session.commit()
    except Exception:
        session.rollback()
        raise
    return deleted


def _mark_erased(session: Session, user_id: int) -> None:
    """Give the user an erasure mark above any version of their state read so far."""
    row = session.get(UserData, user_id, populate_existing=True)
    mark = session.get(ErasedUser, user_id, populate_existing=True)
    newest = max(row.version if row else 0, mark.version if mark else 0)
    mark = mark or ErasedUser(user_id=user_id, version=0)
    mark.version, mark.erased_at = newest + 1, utcnow()
    session.add(mark)


def purge_erasure_marks(*, session: Session, now: datetime) -> int:
    """Forget the erasures older than ERASURE_MARK_KEPT (no write begun before one is still
    running); how many; committed."""
    marks = session.exec(
        delete(ErasedUser).where(col(ErasedUser.erased_at) < now - ERASURE_MARK_KEPT)
    )
    session.commit()
    return int(marks.rowcount)


def purge_expired(*, session: Session, now: datetime) -> tuple[int, int]:
    """Delete what is kept only for a while (knowledge/data/retention.toml): free reminders
    sent or cancelled longer ago than their retention (counted from when they were due or
    sent), and imports left unconfirmed; committed. How many of each."""
    keep = retention()
    reminders = session.exec(
        delete(Reminder).where(
            col(Reminder.campaign_id).is_(None),
            col(Reminder.status).in_((SENT, CANCELLED)),
            func.coalesce(col(Reminder.sent_at), col(Reminder.due_at)) < now - keep.reminders,
        )
    )
    imports = session.exec(
        delete(PendingImport).where(col(PendingImport.created_at) < now - keep.pending_import)
    )
    session.commit()
    return int(reminders.rowcount), int(imports.rowcount)

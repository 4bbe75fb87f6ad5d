"""Admins added by chat command, the roster's audit log, and imports awaiting confirmation.

Commit rule (see the README): public functions that change data commit; `_record` and
`_take_pending_import` write inside their caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from knowledge.campaigns.retention import retention
from storage.models import Admin, AuditEntry, PendingImport, handle_key, utcnow
from storage.roster import find_influencers

# How long a checked file waits for its Confirm (knowledge/data/retention.toml: a day).
PENDING_IMPORT_LIFETIME = retention().pending_import
# The audit log's actor for changes made with `python -m bot roster …` on the server.
COMMAND_LINE_ACTOR = 0


def admin_ids(*, session: Session, configured: Iterable[int]) -> set[int]:
    """Everyone with admin rights: the configured ids and those added by command."""
    return set(configured) | set(session.exec(select(Admin.telegram_id)).all())


def is_admin(*, session: Session, user_id: int, configured: Iterable[int]) -> bool:
    return user_id in set(configured) or session.get(Admin, user_id) is not None


def add_admin(*, session: Session, telegram_id: int, added_by: int) -> bool:
    """Grant rights; False if the user already had them by command."""
    if session.get(Admin, telegram_id) is not None:
        return False
    session.add(Admin(telegram_id=telegram_id, added_by=added_by))
    _record(session=session, actor_id=added_by, action="admin_add", summary=f"admin {telegram_id}")
    session.commit()
    return True


def remove_admin(*, session: Session, telegram_id: int, removed_by: int) -> bool:
    admin = session.get(Admin, telegram_id)
    if admin is None:
        return False
    session.delete(admin)
    _record(
        session=session, actor_id=removed_by, action="admin_remove", summary=f"admin {telegram_id}"
    )
    session.commit()
    return True


def _record(
    *,
    session: Session,
    actor_id: int,
    action: str,
    influencer_id: int | None = None,
    platform: str | None = None,
    handle: str | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add an audit entry to the caller's transaction: its commit makes the entry part of
    the change it records."""
    session.add(
        AuditEntry(
            actor_id=actor_id,
            action=action,
            influencer_id=influencer_id,
            platform=platform,
            handle_key=handle_key(handle) if handle else None,
            summary=summary[:500],
            before=before,
            after=after,
        )
    )


def history(*, session: Session, reference: str | None = None, limit: int = 15) -> list[AuditEntry]:
    """The newest entries first, for the whole roster or for `reference`: an id (`#42`) or a
    handle on any platform, with the entries of the people it names now (also from before a
    change of handle)."""
    query = select(AuditEntry)
    if reference:
        ids = [i.id for i in find_influencers(session=session, reference=reference)]
        query = query.where(
            or_(
                col(AuditEntry.influencer_id).in_(ids),
                col(AuditEntry.handle_key) == handle_key(reference),
            )
        )
    return list(session.exec(query.order_by(col(AuditEntry.id).desc()).limit(limit)))


def save_pending_import(*, session: Session, admin_id: int, file_name: str, content: str) -> int:
    """Keep a checked file until it is confirmed; older pending files are dropped."""
    session.execute(
        delete(PendingImport).where(
            col(PendingImport.created_at) < utcnow() - PENDING_IMPORT_LIFETIME
        )
    )
    pending = PendingImport(admin_id=admin_id, file_name=file_name[:200], content=content)
    session.add(pending)
    session.commit()
    assert pending.id is not None
    return pending.id


def _take_pending_import(
    *, session: Session, pending_id: int, admin_id: int
) -> PendingImport | None:
    """The pending file, deleted in the caller's transaction; None if unknown, expired or
    someone else's (each Confirm or Cancel button works once)."""
    pending = session.get(PendingImport, pending_id)
    if pending is None or pending.admin_id != admin_id:
        return None
    session.delete(pending)
    if pending.created_at < utcnow() - PENDING_IMPORT_LIFETIME:
        return None
    return pending


def cancel_pending_import(*, session: Session, pending_id: int, admin_id: int) -> bool:
    """Drop a pending file; False if it was already confirmed, cancelled or expired."""
    cancelled = _take_pending_import(session=session, pending_id=pending_id, admin_id=admin_id)
    session.commit()
    return cancelled is not None


def last_change_id(*, session: Session) -> int:
    """The id of the latest audit entry (0: none): every change to the roster made by the bot
    or its command line adds one, so a different number means the roster changed."""
    return session.scalar(select(func.max(AuditEntry.id))) or 0

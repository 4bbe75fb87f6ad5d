"""The Telegram updates a bot has handled, kept while Telegram may deliver them again (it
keeps an update it was not told of for 24 hours), so that one delivered again is skipped,
after a restart too."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import HandledUpdate, utcnow

CHUNK = 500
KEPT_FOR = timedelta(days=2)


def record_handled_updates(*, session: Session, bot_id: int, update_ids: Iterable[int]) -> None:
    """Remember `update_ids` as handled by `bot_id`, and forget those handled over two days
    ago; committed."""
    now = utcnow()
    wanted = sorted(set(update_ids))
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        known = set(
            session.exec(
                select(HandledUpdate.update_id).where(
                    HandledUpdate.bot_id == bot_id, col(HandledUpdate.update_id).in_(chunk)
                )
            )
        )
        session.add_all(
            HandledUpdate(bot_id=bot_id, update_id=i, handled_at=now)
            for i in chunk
            if i not in known
        )
    session.execute(
        delete(HandledUpdate).where(
            col(HandledUpdate.bot_id) == bot_id, col(HandledUpdate.handled_at) < now - KEPT_FOR
        )
    )
    session.commit()


def recent_handled_updates(*, session: Session, bot_id: int, limit: int) -> list[int]:
    """The update ids `bot_id` handled last (at most `limit`), the latest first."""
    query = (
        select(HandledUpdate.update_id)
        .where(HandledUpdate.bot_id == bot_id)
        .order_by(col(HandledUpdate.handled_at).desc(), col(HandledUpdate.update_id).desc())
        .limit(limit)
    )
    return list(session.exec(query))

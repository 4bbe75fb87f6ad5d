"""The Telegram updates a bot has claimed, kept while Telegram may deliver them again (it
keeps an update it was not told of for 24 hours; the claims are kept for 48), so that each
update is handled once by all the instances sharing the database, after a restart too.

An instance claims an update before handling it by inserting its id (the primary key: one
insert wins, the others do nothing), names itself as the claim's owner, and marks the claim
done once the update was handled. A claim left undone by an owner that died (killed while
handling the update) can be taken over, so the update Telegram sends again is not lost.
Between the handling and the sending of its replies, the claim is done and holds the
replies (`unsent`): one whose owner died then is taken over to send them, not to handle the
update a second time. An owner that gave an update up unhandled (the database went away
meanwhile) deletes its claim, so the update is claimed afresh when Telegram sends it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col

from storage.models import HandledUpdate, table_of
from storage.upsert import dialect_insert as _insert

KEPT_FOR = timedelta(hours=48)


def claim_update(
    *, session: Session, bot_id: int, update_id: int, owner: str, now: datetime
) -> bool:
    """Claim an update for `owner`; True when this claim won (no one had claimed it);
    committed."""
    statement = (
        _insert(session)(table_of(HandledUpdate))
        .values(bot_id=bot_id, update_id=update_id, handled_at=now, claimed_by=owner, done=False)
        .on_conflict_do_nothing()
        .returning(col(HandledUpdate.update_id))
    )
    won = session.execute(statement).first() is not None
    session.commit()
    return won


def claim_of(
    *, session: Session, bot_id: int, update_id: int
) -> tuple[str | None, bool, str | None] | None:
    """Who claimed an update, whether it was handled, and its replies not yet sent (None:
    not claimed)."""
    row = session.get(HandledUpdate, (bot_id, update_id), populate_existing=True)
    return None if row is None else (row.claimed_by, row.done, row.unsent)


def take_over(
    *,
    session: Session,
    bot_id: int,
    update_id: int,
    dead_owner: str | None,
    owner: str,
    unsent: bool = False,
) -> bool:
    """Make `owner` the owner of an update `dead_owner` claimed and never handled (or, with
    `unsent`, handled without sending its replies); True when this one took it (another
    instance may have been quicker); committed."""
    left = col(HandledUpdate.unsent).is_not(None) if unsent else col(HandledUpdate.done).is_(False)
    statement = (
        update(HandledUpdate)
        .where(
            col(HandledUpdate.bot_id) == bot_id,
            col(HandledUpdate.update_id) == update_id,
            col(HandledUpdate.claimed_by) == dead_owner,
            left,
        )
        .values(claimed_by=owner)
    )
    taken = session.exec(statement).rowcount == 1
    session.commit()
    return bool(taken)


def hold_replies(
    *, session: Session, bot_id: int, update_id: int, owner: str, replies: str
) -> None:
    """The update `owner` claimed was handled, its replies (`replies`, JSON) not sent yet:
    the claim marked done and holding them, until `record_handled`; committed."""
    session.execute(
        update(HandledUpdate)
        .where(
            col(HandledUpdate.bot_id) == bot_id,
            col(HandledUpdate.update_id) == update_id,
            col(HandledUpdate.claimed_by) == owner,
        )
        .values(done=True, unsent=replies)
    )
    session.commit()


def release_claims(*, session: Session, bot_id: int, update_ids: Iterable[int], owner: str) -> None:
    """Forget `owner`'s claims on updates it gave up unhandled (answered 503: the database
    went away while it claimed or handled them), so that whichever instance Telegram sends
    them to next claims them afresh; committed."""
    session.execute(
        delete(HandledUpdate).where(
            col(HandledUpdate.bot_id) == bot_id,
            col(HandledUpdate.update_id).in_(list(update_ids)),
            col(HandledUpdate.claimed_by) == owner,
            col(HandledUpdate.done).is_(False),
        )
    )
    session.commit()


def record_handled(
    *, session: Session, bot_id: int, update_ids: Iterable[int], owner: str, now: datetime
) -> None:
    """The updates `owner` handled (their replies sent): their claims marked done, or made
    done when `owner` handled them unclaimed (the database was busy then); committed."""
    table = table_of(HandledUpdate)
    for update_id in update_ids:
        statement = (
            _insert(session)(table)
            .values(bot_id=bot_id, update_id=update_id, handled_at=now, claimed_by=owner, done=True)
            .on_conflict_do_update(
                index_elements=[table.c.bot_id, table.c.update_id],
                set_={"done": True, "unsent": None},
                where=table.c.claimed_by == owner,
            )
        )
        session.execute(statement)
    session.commit()


def purge_old_claims(*, session: Session, bot_id: int, now: datetime) -> int:
    """Forget the claims older than 48 hours (through the index on the claim time); how many;
    committed."""
    deleted = session.exec(
        delete(HandledUpdate).where(
            col(HandledUpdate.bot_id) == bot_id, col(HandledUpdate.handled_at) < now - KEPT_FOR
        )
    ).rowcount
    session.commit()
    return int(deleted)

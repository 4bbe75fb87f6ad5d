"""Each Telegram update handled once by all the instances sharing the database: an update is
claimed in the database (storage.updates) before it is handled, and only the instance whose
claim won handles it. Telegram sends again what it was not told of (a bot stopped or killed
before answering, a webhook request that failed), to this instance or another.

Each instance names itself with a random id and holds a lock of that name (storage.locks:
an advisory lock on PostgreSQL, a file lock on SQLite) while it runs, so the others can tell
whether the owner of a claim not yet done is alive: alive, the update is in its hands (the
webhook answers 503, so Telegram tries again later); dead (killed while handling it), the
claim is taken over and the update handled here, so none is lost.
"""

from __future__ import annotations

import enum
import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from knowledge.reading.when import Clock
from storage.locks import DatabaseLock
from storage.updates import claim_of, claim_update, mark_handled, purge_old_claims, take_over

log = logging.getLogger(__name__)
# Claims older than two days are deleted this often (at a claim: no job needed).
PURGE_EVERY = timedelta(hours=1)


class Claim(enum.Enum):
    WON = "won"  # this instance handles the update
    HANDLED = "handled"  # handled already, or being handled here: skip it
    ELSEWHERE = "elsewhere"  # another live instance is handling it: try again later


def _instance_lock(engine: Engine, owner: str) -> DatabaseLock:
    return DatabaseLock(engine, f"instance-{owner}")


class UpdateClaims:
    """This instance's claims on the updates of bot `bot_id`."""

    def __init__(self, engine: Engine, bot_id: int, clock: Clock) -> None:
        self.engine = engine
        self.bot_id = bot_id
        self.clock = clock
        self.owner = uuid.uuid4().hex
        self._alive = _instance_lock(engine, self.owner)
        self._purged_at: datetime | None = None

    def start(self) -> None:
        """Hold this instance's lock while it runs (others see it alive)."""
        self._alive.try_acquire()

    def stop(self) -> None:
        self._alive.remove()

    def claim(self, update_id: int) -> Claim:
        """Claim an update (SQLAlchemyError when the database can't record it)."""
        now = self.clock.now()
        with Session(self.engine) as session:
            if claim_update(
                session=session, bot_id=self.bot_id, update_id=update_id, owner=self.owner, now=now
            ):
                self._purge_now_and_then(session, now)
                return Claim.WON
            claim = claim_of(session=session, bot_id=self.bot_id, update_id=update_id)
            if claim is None:  # purged meanwhile: an update over two days old
                return Claim.HANDLED
            owner, done = claim
            if done or owner == self.owner:
                return Claim.HANDLED
            if owner is not None and not self._dead(owner):
                return Claim.ELSEWHERE
            taken = take_over(
                session=session,
                bot_id=self.bot_id,
                update_id=update_id,
                dead_owner=owner,
                owner=self.owner,
            )
        if taken:
            log.info("Update %s was left unhandled by a stopped instance: handled here", update_id)
        return Claim.WON if taken else Claim.ELSEWHERE

    def done(self, update_id: int) -> None:
        with Session(self.engine) as session:
            mark_handled(session=session, bot_id=self.bot_id, update_id=update_id)

    def _dead(self, owner: str) -> bool:
        """Whether the instance `owner` no longer runs (no one holds its lock)."""
        lock = _instance_lock(self.engine, owner)
        if not lock.try_acquire():
            return False
        lock.remove()
        return True

    def _purge_now_and_then(self, session: Session, now: datetime) -> None:
        if self._purged_at is not None and now - self._purged_at < PURGE_EVERY:
            return
        self._purged_at = now
        purged = purge_old_claims(session=session, bot_id=self.bot_id, now=now)
        if purged:
            log.info("Forgot %d update claim(s) over two days old", purged)

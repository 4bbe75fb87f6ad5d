"""Each Telegram update handled once by all the instances sharing the database: an update is
claimed in the database (storage.updates) before it is handled, and only the instance whose
claim won handles it. Telegram sends again what it was not told of (a bot stopped or killed
before answering, a webhook request that failed), to this instance or another.

Each instance names itself with a random id and holds a lock of that name (storage.locks:
an advisory lock on PostgreSQL, a file lock on SQLite) while it runs, so the others can tell
whether the owner of a claim not yet done is alive: alive, the update is in its hands (the
webhook answers 503, so Telegram tries again later); dead (killed while handling it), the
claim is taken over and the update handled here, so none is lost. A lock is lost with its
connection when the database is unreachable a moment; its instance takes it again within a
second of the database's return, and meanwhile, with several instances, the others take an
owner for dead only once its lock was seen free for DEAD_AFTER_SECONDS.

Once an update is handled, its replies are written on its claim (done) before they are sent
(`hold`), and cleared once sent (`done`): if the instance dies in between (the replies wait
for their turn under Telegram's rate, seconds in a burst), the instance Telegram gives the
update to again takes the claim over and sends those replies (Claim.UNSENT), instead of
handling the update a second time (a reminder set twice, an answer read at the next
question). What is left: an instance killed within the few milliseconds between its handlers'
own writes and the replies being held, or between a reply sent and the claim cleared.

The claim is its own transaction, committed before the update is handled; it is not part of
the update's first write. An update's writes are many transactions: each storage function
commits its own (a reminder stored, a brief saved), and python-telegram-bot saves the user's
answers and form steps afterwards, in separate tasks and threads (BasePersistence). Joining
the claim to the first of them would take one connection carried through every handler,
storage function and persistence call of the update, none of them committing, and a claim
invisible to the other instances until the end (on SQLite, the database's one write lock held
for the whole update). So the guarantee is: claim committed before handling, replies held on
the claim before sending, done once sent; nothing is applied twice and no update is lost, but
for an instance killed in the milliseconds named above.

An update whose handling the database's going away cut off (bot.processing) is given up: the
webhook answers 503, its replies are dropped and its claim released (`give_up`), so that
Telegram's next try, to this instance or another, handles it in full. The database being
down, the release itself may fail: this instance then remembers the claim as given up, takes
it back if the update comes to it again, and deletes it within ALIVE_CHECK_SECONDS of the
database's return (another instance answers 503 meanwhile: the owner lives). The same goes
for a claim that failed with the database going away, which the server may have written.

On SQLite a claim needs the database's write lock, which a long import may hold for seconds:
a claim waits for it at most CLAIM_WAIT_MS, then the update is handled at once, remembered
here, and its claim written with the next one that gets through (one user's import holds up
nobody else; a copy of that update reaching another instance meanwhile is not seen there).
"""

from __future__ import annotations

import enum
import logging
import threading
import time
import uuid
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session

from knowledge.reading.when import Clock
from storage.db import impatient, is_busy
from storage.locks import DatabaseLock, held_elsewhere
from storage.updates import (
    claim_of,
    claim_update,
    hold_replies,
    purge_old_claims,
    record_handled,
    release_claims,
    take_over,
)

log = logging.getLogger(__name__)
# Claims older than two days are deleted this often (at a claim: no job needed).
PURGE_EVERY = timedelta(hours=1)
CLAIM_WAIT_MS = 200
ALIVE_CHECK_SECONDS = 1.0
# With several instances (webhook), an owner whose lock is free is taken for dead only once it
# was seen free this long: an instance that lost its lock with its connection (the database
# unreachable a moment) takes it again within ALIVE_CHECK_SECONDS of the database's return.
DEAD_AFTER_SECONDS = 3 * ALIVE_CHECK_SECONDS


class Claim(enum.Enum):
    WON = "won"  # this instance handles the update
    HANDLED = "handled"  # handled already, or being handled here: skip it
    ELSEWHERE = "elsewhere"  # another live instance is handling it: try again later
    UNSENT = "unsent"  # handled by an instance that died before sending its replies: send them


def _instance_lock(engine: Engine, owner: str) -> DatabaseLock:
    return DatabaseLock(engine, f"instance-{owner}")


class UpdateClaims:
    """This instance's claims on the updates of bot `bot_id`."""

    def __init__(self, engine: Engine, bot_id: int, clock: Clock, dead_after: float = 0.0) -> None:
        """`dead_after`: seconds an owner's lock must be seen free before its claims are
        taken over (0 with one instance: polling; DEAD_AFTER_SECONDS with several)."""
        self.engine = engine
        self.dead_after = dead_after
        self._free_since: dict[str, float] = {}  # owners whose lock was seen free, since
        self.bot_id = bot_id
        self.clock = clock
        self.owner = uuid.uuid4().hex
        self._alive = _instance_lock(engine, self.owner)
        self._impatient = impatient(engine, CLAIM_WAIT_MS)
        self._purged_at: datetime | None = None
        self._checked_at = 0.0
        # Handled here, not yet recorded as done (the database was busy).
        self._unrecorded: set[int] = set()
        # Replies taken over from a dead instance (Claim.UNSENT), JSON, until sent.
        self._unsent: dict[int, str] = {}
        # Updates answered 503 unhandled whose claim may stand in this instance's name (the
        # claim failed with the database going away, maybe written; or the handling was given
        # up and the claim not yet deleted): taken back if sent here again, else deleted.
        self._unreleased: set[int] = set()
        self._releasing = threading.Lock()  # a release and a take-back, one at a time

    def start(self) -> None:
        """Hold this instance's lock while it runs (others see it alive)."""
        self._alive.try_acquire()
        self._checked_at = time.monotonic()

    def _stay_alive(self) -> None:
        """Take this instance's lock again if the connection holding it was lost (PostgreSQL
        restarted, say), lest another instance take over the claims this one is handling,
        and delete the claims it gave up: looked at before a claim, at most every
        ALIVE_CHECK_SECONDS."""
        if time.monotonic() - self._checked_at < ALIVE_CHECK_SECONDS:
            return
        self._checked_at = time.monotonic()
        if not self._alive.try_acquire():  # it was lost, and is now forgotten
            self._alive.try_acquire()
        try:
            self._release()
        except SQLAlchemyError as exc:  # the database still away: at the next look
            log.info("Claims given up not released yet: %s", exc)

    def stop(self) -> None:
        self._alive.remove()
        if self._impatient is not self.engine:
            self._impatient.dispose()

    def claim(self, update_id: int) -> Claim:
        """Claim an update (SQLAlchemyError when the database can't record it, unless it
        is only busy: see the module's docstring)."""
        if update_id in self._unrecorded:
            return Claim.HANDLED
        self._stay_alive()
        taken_back = self._take_back(update_id)
        try:
            with Session(self._impatient) as session:
                outcome = self._claim(session, update_id, taken_back)
                self._record(session)
        except OperationalError as exc:
            if not is_busy(exc):
                self._unreleased.add(update_id)
                raise
            log.info("Update %s handled at once, its claim written later: %s", update_id, exc)
            self._unrecorded.add(update_id)
            return Claim.WON
        except SQLAlchemyError:
            self._unreleased.add(update_id)
            raise
        return outcome

    def _take_back(self, update_id: int) -> bool:
        """Whether the update, sent here again, was answered 503 unhandled with its claim
        maybe still in this instance's name: the claim is kept, not released."""
        if update_id not in self._unreleased:
            return False
        with self._releasing:
            if update_id not in self._unreleased:  # released meanwhile
                return False
            self._unreleased.discard(update_id)
            return True

    def give_up(self, update_id: int) -> None:
        """The update claimed here was not handled (the database went away meanwhile; the
        webhook answers 503): its claim deleted now, or, while the database can't be
        reached, taken back if Telegram sends the update here again, and deleted within
        ALIVE_CHECK_SECONDS of the database's return otherwise."""
        self._unrecorded.discard(update_id)
        self._unreleased.add(update_id)
        try:
            self._release()
        except SQLAlchemyError as exc:
            log.info("Claim of update %s released later: %s", update_id, exc)

    def _release(self) -> None:
        """Delete the claims of the updates answered 503 unhandled (SQLAlchemyError while
        the database can't be reached: tried again with the next look at this instance's
        lock)."""
        with self._releasing:
            if not self._unreleased:
                return
            given_up = sorted(self._unreleased)
            with Session(self._impatient) as session:
                release_claims(
                    session=session, bot_id=self.bot_id, update_ids=given_up, owner=self.owner
                )
            self._unreleased.difference_update(given_up)
            log.info("Released the claims of %d update(s) given up", len(given_up))

    def _claim(self, session: Session, update_id: int, taken_back: bool) -> Claim:
        now = self.clock.now()
        if claim_update(
            session=session, bot_id=self.bot_id, update_id=update_id, owner=self.owner, now=now
        ):
            self._purge_now_and_then(session, now)
            return Claim.WON
        claim = claim_of(session=session, bot_id=self.bot_id, update_id=update_id)
        if claim is None:  # purged meanwhile: an update over two days old
            return Claim.HANDLED
        owner, done, unsent = claim
        if owner == self.owner and not done and taken_back:
            # Answered 503 here, never handled: the database went away as it was claimed (the
            # server wrote the claim, the answer was lost) or while it was handled.
            return Claim.WON
        if (done and unsent is None) or owner == self.owner:
            return Claim.HANDLED
        if owner is not None and not self._dead(owner):
            return Claim.ELSEWHERE
        if not take_over(
            session=session,
            bot_id=self.bot_id,
            update_id=update_id,
            dead_owner=owner,
            owner=self.owner,
            unsent=done,
        ):
            return Claim.ELSEWHERE
        if done and unsent is not None:
            log.info(
                "Update %s was handled by a stopped instance: its replies sent here", update_id
            )
            self._unsent[update_id] = unsent
            return Claim.UNSENT
        log.info("Update %s was left unhandled by a stopped instance: handled here", update_id)
        return Claim.WON

    def hold(self, update_id: int, replies: str) -> None:
        """The update claimed here was handled; its replies (JSON) are about to be sent
        (SQLAlchemyError when the database can't record them; not when it is only busy:
        they are sent unrecorded then)."""
        try:
            with Session(self._impatient) as session:
                hold_replies(
                    session=session,
                    bot_id=self.bot_id,
                    update_id=update_id,
                    owner=self.owner,
                    replies=replies,
                )
        except OperationalError as exc:
            if not is_busy(exc):
                raise

    def take_unsent(self, update_id: int) -> str:
        """The replies of an update claimed as Claim.UNSENT (JSON), to send now."""
        return self._unsent.pop(update_id)

    def done(self, update_id: int) -> None:
        """The update was handled here: recorded as done now, or with the next claim when
        the database is busy (SQLAlchemyError when it can't be reached)."""
        self._unrecorded.add(update_id)
        try:
            with Session(self._impatient) as session:
                self._record(session)
        except OperationalError as exc:
            if not is_busy(exc):
                raise

    def _record(self, session: Session) -> None:
        if not self._unrecorded:
            return
        handled = sorted(self._unrecorded)
        record_handled(
            session=session,
            bot_id=self.bot_id,
            update_ids=handled,
            owner=self.owner,
            now=self.clock.now(),
        )
        self._unrecorded.difference_update(handled)

    def keep_alive(self) -> None:
        """Take this instance's lock again if it was lost (called every ALIVE_CHECK_SECONDS
        by a job, so it is back soon after the database, whether updates come or not;
        SQLAlchemyError while the database can't be reached)."""
        self._stay_alive()

    def _dead(self, owner: str) -> bool:
        """Whether the instance `owner` no longer runs: its lock free since it was first
        seen free, `dead_after` seconds ago or more (looked at without taking it, so that
        instances looking at once don't take each other for its owner), and free still."""
        if held_elsewhere(self.engine, _instance_lock(self.engine, owner).name):
            self._free_since.pop(owner, None)
            return False
        if len(self._free_since) > 10_000:
            self._free_since.clear()
        first_seen = self._free_since.setdefault(owner, time.monotonic())
        if time.monotonic() - first_seen < self.dead_after:
            return False
        lock = _instance_lock(self.engine, owner)
        if not lock.try_acquire():  # taken meanwhile (its owner, or another look): later
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

"""The reminder delivery service: sends due reminders and check-ins in the background,
armed in the JobQueue, claimed in the database.

One JobQueue job is armed for the earliest pending reminder; when it fires it delivers
everything due and arms the next one. So a restart re-arms every pending reminder with one
query, and one whose time passed while the bot was down goes out at start, marked late.

Delivery is at most once: each reminder is claimed in the database before it is sent.

Instances sharing a database take turns: only the one holding the delivery lock
(storage.locks, freed by the server or the system the moment its holder dies) sends, so the
bot stays under Telegram's rate for one bot, and the claims keep even an overlap from
sending anything twice. Every few seconds each instance tries the lock (the holder checks it
still has it), re-reads which users are paused, and the holder re-arms for the earliest
pending reminder: that finds the reminders another instance added, and takes over those of
an instance that died.
Flood control (RetryAfter) is handled by the application's rate limiter, then by the sender
itself (a refused message is retried after the wait Telegram asks for, up to ten times); a
network error where the request surely did not reach Telegram is retried with a bounded
backoff. When those tries are used up the message surely was not sent, so the reminder goes
back to pending, due again after a growing delay (a network outage loses nothing). A message
Telegram refused (BadRequest) or one that may have left (a read timeout) is never sent again:
it stays claimed, shown to its owner as not confirmed (one that went out while the database
could not be reached is recorded as sent at the next turn; one the database went away from
around its claim, before its send, is pending again at the next turn). A user who blocked
the bot has their reminders paused until they write again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError
from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.persistence import DatabasePersistence
from bot.ratelimit import RepliesFirst
from handlers import keyboards
from handlers.context import Bot, BotContext, UserState
from handlers.services import Services
from knowledge.campaigns.checkins import stage_advice
from knowledge.campaigns.pipeline import behind_at
from knowledge.campaigns.pipeline_words import status_words
from knowledge.writing import i18n
from knowledge.writing.i18n import _
from knowledge.writing.render import render
from knowledge.writing.replies import Template
from storage.campaigns import (
    LATE_REPLY,
    add_late_replies,
    add_reminder,
    brief_of,
    campaign_of,
    claim,
    create_campaign,
    due_reminders,
    mark_sent,
    next_due,
    pause_user,
    paused_users,
    release,
    resume_user,
    unclaim,
)
from storage.locks import DatabaseLock
from storage.models import CampaignCreator, Reminder
from storage.pipeline import creators_of
from storage.state import change_user_data

log = logging.getLogger(__name__)

JOB_NAME = "deliver-reminders"
TURN_JOB_NAME = "delivery-turn"
TURN_SECONDS = 2.0
LATE_AFTER = timedelta(minutes=1)
BATCH = 500
MAX_BATCHES = 10_000
RETRY_DELAYS = (0.5, 1.0, 2.0)
# A check-in asks about this many creators behind at most, one button each.
MAX_ASKED = 10
OVERALL_PER_SECOND = 28
FLOOD_RETRIES = 10
# After a send that surely never left, the reminder is due again after these delays (the
# last one repeats): a network outage or a long flood wait delays it, never loses it.
RELEASE_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=1),
    timedelta(minutes=2),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
)
# Failures of the connection itself (httpx's names): the request never left.
NOT_SENT_CAUSES = frozenset({"ConnectError", "ConnectTimeout", "PoolTimeout"})
NOT_SENT_WORDS = ("ConnectError", "Connection refused", "Pool timeout", "*not* sent")


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _not_sent(exc: NetworkError) -> bool:
    """True when the request surely never reached Telegram, so a retry cannot duplicate it:
    the connection could not be made, or no connection was free. Telegram's own refusal
    (BadRequest, a NetworkError in python-telegram-bot) and a timeout or a connection lost
    after sending are never "not sent"."""
    if isinstance(exc, BadRequest):
        return False
    cause = type(exc.__cause__).__name__ if exc.__cause__ is not None else ""
    return cause in NOT_SENT_CAUSES or any(word in str(exc) for word in NOT_SENT_WORDS)


class NotSent(Exception):
    """Every try to send a message failed before it reached Telegram (or Telegram refused it
    for flood control each time): it surely was not sent."""


def release_delay(attempts: int) -> timedelta:
    """How long a reminder released `attempts` times before waits until its next try."""
    return RELEASE_DELAYS[min(attempts, len(RELEASE_DELAYS) - 1)]


class DeliveryService:
    """Sends reminders and check-ins when they fall due (handlers.services.ReminderDelivery).

    `per_second` paces all sends together (Telegram's ceiling is about 30 a second per bot);
    tests raise it so that a burst does not take real seconds.
    """

    def __init__(
        self, application: Bot, services: Services, per_second: float = OVERALL_PER_SECOND
    ) -> None:
        self.application = application
        self.services = services
        self.paused: set[int] = set()
        self._chat_limiters: dict[int, AsyncLimiter] = {}
        # Smooth, never bursty, a little under Telegram's ~30/s so that timing jitter does
        # not trip flood control: one message every 1/28 s, whatever the backlog.
        self._overall = AsyncLimiter(1, 1 / per_second)
        self._running = asyncio.Lock()
        self.lock = DatabaseLock(services.engine, "delivery")
        self._armed_for: datetime | None = None
        self._unconfirmed: set[int] = set()  # sent, not yet recorded so (database down)
        self._unsent: dict[int, datetime] = {}  # maybe claimed (at), surely not sent

    def add_reminder(self, *, user_id: int, due_at: datetime, text: str) -> None:
        """Store a free reminder and arm its delivery."""
        with self.services.session() as session:
            add_reminder(session=session, user_id=user_id, due_at=due_at, text=text)
        self.arm()

    def add_campaign(
        self,
        *,
        user_id: int,
        brief_id: int,
        name: str,
        start_day: date,
        length_days: int,
        checkins: Sequence[tuple[str, datetime]],
    ) -> None:
        """Store a campaign with its check-ins and arm their delivery."""
        with self.services.session() as session:
            create_campaign(
                session=session,
                user_id=user_id,
                brief_id=brief_id,
                name=name,
                start_day=start_day,
                length_days=length_days,
                checkins=checkins,
            )
        self.arm()

    def add_late_replies(self, *, user_id: int, replies: list[str], due_at: datetime) -> None:
        """Store replies flood control kept from the user and arm their delivery."""
        with self.services.session() as session:
            add_late_replies(session=session, user_id=user_id, replies=replies, due_at=due_at)
        self.arm()

    def start(self) -> None:
        """At start: remember paused users, take the delivery lock if free (and then arm the
        first job), and check every few seconds from then on."""
        self._take_turn()
        job_queue = self.application.job_queue
        assert job_queue is not None
        job_queue.run_repeating(
            self._turn_job, interval=TURN_SECONDS, first=TURN_SECONDS, name=TURN_JOB_NAME
        )

    def stop(self) -> None:
        """At a clean stop: let another instance send at once."""
        self.lock.release()

    @property
    def sending(self) -> bool:
        """Whether this instance is the one sending due reminders."""
        return self.lock.held

    def _take_turn(self) -> None:
        self._confirm_sent()
        self._take_back()
        had = self.lock.held
        holds = self.lock.try_acquire()
        if holds != had:
            log.info("This instance %s", "sends the reminders" if holds else "lost its turn")
        with self.services.session() as session:
            self.paused = paused_users(session=session)
        if holds and (not had or self.next_due() != self._armed_for):
            self.arm()
        elif not holds:
            self._disarm()

    async def _turn_job(self, _context: BotContext) -> None:
        try:
            self._take_turn()
        except SQLAlchemyError as exc:  # the database away a moment: the next turn is soon
            log.warning("Delivery turn skipped, the database is unreachable: %s", exc)

    def _disarm(self) -> None:
        job_queue = self.application.job_queue
        assert job_queue is not None
        for job in job_queue.get_jobs_by_name(JOB_NAME):
            job.schedule_removal()
        self._armed_for = None

    def next_due(self) -> datetime | None:
        """When the earliest pending reminder is due (None: nothing pending)."""
        with self.services.session() as session:
            return next_due(session=session)

    def arm(self) -> None:
        """Schedule delivery for the earliest pending reminder (at once if overdue), when
        this instance is the one sending."""
        job_queue = self.application.job_queue
        assert job_queue is not None
        if not self.lock.held:
            return
        when = self.next_due()
        self._disarm()
        self._armed_for = when
        if when is None:
            return
        delay = max(0.0, (when - self.services.clock.now()).total_seconds())
        job_queue.run_once(self._job, when=delay, name=JOB_NAME)

    async def _job(self, _context: BotContext) -> None:
        self._armed_for = None
        await self.deliver_due()
        self.arm()

    async def deliver_due(self) -> int:
        """Send everything due now; returns how many were sent."""
        sent = 0
        async with self._running:
            for _ in range(MAX_BATCHES):
                now = self.services.clock.now()
                with self.services.session() as session:
                    batch = due_reminders(session=session, now=now, limit=BATCH)
                if not batch:
                    break
                results = await asyncio.gather(*(self._deliver(r, now) for r in batch))
                sent += sum(results)
        return sent

    async def _deliver(self, reminder: Reminder, now: datetime) -> bool:
        assert reminder.id is not None
        late = reminder.asked_for < now - LATE_AFTER
        chat_limiter = self._chat_limiters.setdefault(reminder.user_id, AsyncLimiter(1, 1))
        try:
            # Wait for a sending slot first, then claim: a reminder is claimed only when it
            # is about to go, so a crash loses at most the few in flight.
            async with chat_limiter, self._overall:
                await self._room_left()
                if reminder.campaign_id is not None and not self._await_results(reminder):
                    return False  # the user was erased (/forget_me)
                with self.services.session() as session:
                    if not claim(session=session, reminder_id=reminder.id, now=now, late=late):
                        return False
                state = UserState(self.application.user_data.get(reminder.user_id, {}))
                language = self.services.language_of(reminder.user_id, state.chosen_language)
                with i18n.speaking(language):
                    text, keyboard = self._message(reminder, late)
                await self._send(reminder.user_id, text, keyboard)
        except Forbidden:
            log.info("User %s blocked the bot: their reminders are paused", reminder.user_id)
            with self.services.session() as session:
                pause_user(session=session, user_id=reminder.user_id, reminder_id=reminder.id)
            self.paused.add(reminder.user_id)
            return False
        except NotSent as exc:
            retry_at = self.services.clock.now() + release_delay(reminder.attempts)
            log.warning(
                "Reminder %s not sent (%s); pending again, next try at %s",
                reminder.id,
                exc,
                f"{retry_at:%H:%M:%S} UTC",
            )
            with self.services.session() as session:
                release(session=session, reminder_id=reminder.id, retry_at=retry_at)
            return False
        except SQLAlchemyError as exc:
            # Before the send: the database went away around the claim (which may have been
            # written) or after it. The reminder did not go: taken back at the next turn.
            log.warning("Reminder %s not sent, the database is unreachable: %s", reminder.id, exc)
            self._unsent[reminder.id] = now
            return False
        except TelegramError as exc:
            log.warning("Reminder %s not delivered (%s); it stays claimed", reminder.id, exc)
            return False
        self._confirm(reminder.id)
        if len(self._chat_limiters) > 10_000:
            self._chat_limiters.clear()
        return True

    async def _room_left(self) -> None:
        """Wait while replies use Telegram's rate (bot.ratelimit; what `in_background` would
        wait for in the send): the wait is before the claim, not between the claim and the
        send, where a kill would lose the reminder."""
        limiter = self.application.bot.rate_limiter
        if isinstance(limiter, RepliesFirst):
            await limiter.room_left()

    def _confirm(self, reminder_id: int) -> None:
        """Record that a reminder went out. While the database can't be reached it is kept
        here and recorded at the next turn (every TURN_SECONDS): it was sent, and must not
        stay claimed as though it might not have been."""
        self._unconfirmed.add(reminder_id)
        self._confirm_sent()

    def _take_back(self) -> None:
        """Make the reminders this instance may have claimed and surely did not send pending
        again (at every turn, once the database answers)."""
        for reminder_id, claimed_at in sorted(self._unsent.items()):
            try:
                with self.services.session() as session:
                    taken = unclaim(session=session, reminder_id=reminder_id, claimed_at=claimed_at)
            except SQLAlchemyError:
                return
            del self._unsent[reminder_id]
            if taken:
                log.info(
                    "Reminder %s, claimed as the database went away, is pending again", reminder_id
                )

    def _confirm_sent(self) -> None:
        for reminder_id in sorted(self._unconfirmed):
            try:
                with self.services.session() as session:
                    mark_sent(
                        session=session, reminder_id=reminder_id, now=self.services.clock.now()
                    )
            except SQLAlchemyError as exc:
                log.warning(
                    "%d reminder(s) sent, recorded as sent once the database answers: %s",
                    len(self._unconfirmed),
                    exc,
                )
                return
            self._unconfirmed.discard(reminder_id)

    async def _send(self, chat_id: int, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
        """Send, retrying what surely did not reach the user: flood control (Telegram refused
        the message) and network errors before the request left; NotSent when those tries
        are used up."""
        floods = 0
        delays = iter((*RETRY_DELAYS, None))
        while True:
            try:
                # Not in_background: the room the replies leave was waited for before the
                # claim (`_room_left`); waiting again here, claimed, a kill would lose it.
                await self.application.bot.send_message(chat_id, text, reply_markup=keyboard)
                return
            except RetryAfter as exc:
                floods += 1
                if floods > FLOOD_RETRIES:
                    raise NotSent(f"flood control {floods} times") from exc
                await asyncio.sleep(_seconds(exc.retry_after) + 0.1)
            except NetworkError as exc:
                if not _not_sent(exc):
                    raise
                delay = next(delays)
                if delay is None:
                    raise NotSent(str(exc)) from exc
                log.info("Network error sending to %s: %s; retrying", chat_id, exc)
                await asyncio.sleep(delay)

    def _message(self, reminder: Reminder, late: bool) -> tuple[str, InlineKeyboardMarkup | None]:
        s = self.services
        assert reminder.id is not None
        zone = s.zone_of(reminder.user_id)
        due_local = reminder.asked_for.astimezone(zone)
        if reminder.stage == LATE_REPLY:
            return render(Template.LATE_REPLY, reply=Markup(reminder.reply or "")), None
        if reminder.campaign_id is None:
            return render(Template.REMINDER, text=reminder.text, late=late, due=due_local), None
        behind: list[CampaignCreator] = []
        with s.session() as session:
            campaign = campaign_of(
                session=session, user_id=reminder.user_id, campaign_id=reminder.campaign_id
            )
            if campaign is not None:
                brief = brief_of(
                    session=session, user_id=reminder.user_id, brief_id=campaign.brief_id
                )
                creators = creators_of(session=session, campaign=campaign, brief=brief)
                behind = behind_at(
                    reminder.stage or "", creators, campaign.start_day, campaign.length_days
                )
        advice = stage_advice(reminder.stage or "", s.kb)
        keyboard = keyboards.checkin(reminder.id, reminder.campaign_id, behind[:MAX_ASKED])
        text = render(
            Template.CHECKIN,
            advice=advice,
            late=late,
            due=due_local,
            campaign=campaign.name if campaign else _("your campaign"),
            currency=s.currency,
            behind=behind,
            status_words=status_words,
        )
        return text, keyboard

    def _await_results(self, reminder: Reminder) -> bool:
        """Let the user answer the check-in by just typing their results (the hand-off
        described in handlers.context.UserState). Stored on the user's state as stored
        (another instance may be where the user's last update went, and where their answer
        will go), before the check-in is claimed and sent: a user answering the moment it
        arrives, to either instance, finds it awaited (written after the send, a quick answer
        found it not yet awaited, and so did every answer when the instance was killed or the
        database went away between the two). Before the claim, not between it and the send,
        where a kill would leave it claimed and never sent. Not sent after all (claimed
        elsewhere, or refused for good), it stays awaited: results typed then are that
        check-in's. False: the user was erased (/forget_me)."""
        reminder_id = reminder.id
        assert reminder_id is not None

        def hand_off(data: dict[str, Any]) -> None:
            state = UserState(data)
            state.await_checkin_results(reminder_id)
            data.update(state)

        with self.services.session() as session:
            changed = change_user_data(
                session=session, user_id=reminder.user_id, reminder_id=reminder_id, change=hand_off
            )
        if changed is None:  # the user was erased (/forget_me)
            return False
        stored, version = changed
        state = self.application.user_data[reminder.user_id]
        state.clear()
        state.update(stored)
        persistence = self.application.persistence
        if isinstance(persistence, DatabasePersistence):
            persistence.remember_user_data(reminder.user_id, state, version)
        return True

    async def resume(self, user_id: int) -> None:
        """A paused user wrote to the bot again: their reminders go back in the queue."""
        if user_id not in self.paused:
            return
        self.paused.discard(user_id)
        with self.services.session() as session:
            resumed = resume_user(session=session, user_id=user_id)
        if resumed:
            self.arm()

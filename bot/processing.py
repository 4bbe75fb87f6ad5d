"""Updates of different users handled at the same time, each user's strictly in order.

python-telegram-bot handles one update at a time by default: with Telegram's real round trips
(tens to hundreds of milliseconds a call) one user's reply then holds up everyone else's.
Its `ConversationHandler` needs a user's own updates one by one, in order (it keeps one state
per user and updates it when a callback returns), so the updates of one user queue behind
each other here, and only different users' run side by side.

Two more things happen here, around each update: it is claimed in the database first, and
handled only if this instance's claim won (bot.dedup: one delivered again, to this instance
or another, is skipped), and the replies the handlers make are held until the user's state is
saved (handlers.services.held_replies; the last handler group sends them, see
handlers.common.persist_now), so a crash can never leave a user with a reply whose step the
bot has forgotten. Just before they go they are stored on the update's claim, and the claim
is done the moment they went (bot.dedup), so an instance killed in between does not have its
update handled a second time: the next instance sends those replies.

An update handled for a webhook request (`answer`) is given up if the database goes away
before its replies go (handlers.held's database_lost): they are dropped, its claim released
(bot.dedup), the user's answers as its handlers left them in memory never written
(bot.persistence), and the request answered 503, so that Telegram sends it again and it is
handled in full, here or on another instance. In polling, Telegram has it already: the
user is told something went wrong. What is left: a write of the update that committed
before the database went away (a reminder stored, then the user's answers refused) is made
again when it is handled again, as it was when the user, told to try again, did; and what
went to Telegram at once rather than held (a button press answered) goes again.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from functools import partial
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import BaseUpdateProcessor

from bot.dedup import Claim, UpdateClaims
from handlers.held import ReplyData, handling_given_up, held_replies, send_held_replies

log = logging.getLogger(__name__)
MAX_CONCURRENT_UPDATES = 64


def user_key(update: object) -> int | None:
    """Whose update this is (None: not a user's, e.g. an error passed in by the framework)."""
    if isinstance(update, Update) and update.effective_user is not None:
        return update.effective_user.id
    return None


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """One lock per user with updates in flight; a user's updates take it in arrival order
    (asyncio locks are first come, first served), and it is dropped when none is left."""

    def __init__(
        self,
        max_concurrent_updates: int = MAX_CONCURRENT_UPDATES,
        claims: UpdateClaims | None = None,
        forget_attempt: Callable[[int], None] | None = None,
    ) -> None:
        """`forget_attempt`: told the user of an update given up (bot.persistence)."""
        super().__init__(max_concurrent_updates)
        self._locks: dict[int | None, asyncio.Lock] = {}
        self._in_flight: dict[int | None, int] = {}
        self.claims = claims
        self.forget_attempt = forget_attempt
        self._claimed: set[int] = set()  # claimed by `claim`, not handled yet
        # Updates handled for a webhook request (`answer`): whether each was given up.
        self._answering: dict[int, bool] = {}

    def in_flight(self, user_id: int | None) -> int:
        """How many of this user's updates are being handled or waiting their turn."""
        return self._in_flight.get(user_id, 0)

    async def claim(self, update: Update) -> Claim:
        """Claim an update before handing it to `process_update` (the webhook does, to answer
        Telegram what happened); SQLAlchemyError when the database can't record the claim."""
        if self.claims is None:
            return Claim.WON
        outcome = await asyncio.to_thread(self.claims.claim, update.update_id)
        if outcome is Claim.WON:
            self._claimed.add(update.update_id)
        if outcome is Claim.UNSENT:
            await self._send_unsent(update)
            return Claim.HANDLED
        return outcome

    async def answer(self, update: Update, coroutine: Awaitable[Any]) -> bool:
        """Handle an update this instance claimed (`claim`) for a webhook request: True once
        handled; False when it was given up, the database gone meanwhile (see the module's
        docstring: the request is answered 503)."""
        self._answering[update.update_id] = False
        try:
            await self.process_update(update, coroutine)
            return not self._answering[update.update_id]
        finally:
            del self._answering[update.update_id]

    async def _send_unsent(self, update: Update) -> None:
        """Send the replies of an update another instance handled and died before sending
        (bot.dedup), then mark it done."""
        assert self.claims is not None
        bot = update.get_bot()
        replies: list[ReplyData] = json.loads(self.claims.take_unsent(update.update_id))
        try:
            for chat_id, text, keyboard in replies:
                markup = InlineKeyboardMarkup.de_json(keyboard, bot) if keyboard else None
                await bot.send_message(chat_id, text, reply_markup=markup)
        except TelegramError as exc:
            log.warning("Replies of update %s not sent: %s", update.update_id, exc)
        await asyncio.to_thread(self.claims.done, update.update_id)

    async def _hold(self, update_id: int, replies: list[ReplyData]) -> None:
        """Store the replies of an update handled here on its claim, just before they are
        sent (bot.dedup); while the database can't record them, they are sent all the same."""
        if self.claims is None or update_id not in self._claimed:
            return
        try:  # in this thread, as `_sent`
            self.claims.hold(update_id, json.dumps(replies))
        except SQLAlchemyError as exc:
            log.warning("Replies of update %s sent unrecorded: %s", update_id, exc)

    async def _claimed_here(self, update: object) -> bool:
        """Whether this instance is to handle `update` (claimed now or by `claim`). An update
        the database can't record (it is down) is handled anyway: its handlers then answer
        that something went wrong, which beats silence."""
        if self.claims is None or not isinstance(update, Update):
            return True
        if update.update_id in self._claimed:
            return True
        try:
            outcome = await self.claim(update)
        except SQLAlchemyError as exc:
            log.warning("Update %s not claimed (%s): handled anyway", update.update_id, exc)
            return True
        if outcome is not Claim.WON:
            log.info("Update %s skipped: %s", update.update_id, outcome.value)
        return outcome is Claim.WON

    async def _handled(self, update: object, given_up: bool) -> None:
        if self.claims is None or not isinstance(update, Update):
            return
        if update.update_id not in self._claimed:
            return
        self._claimed.discard(update.update_id)
        if given_up:
            await asyncio.to_thread(self.claims.give_up, update.update_id)
            return
        try:
            await asyncio.to_thread(self.claims.done, update.update_id)
        except SQLAlchemyError as exc:
            log.warning("Update %s handled but not marked so (%s)", update.update_id, exc)

    def _given_up(self, update: object) -> None:
        """The update's handling was given up: said to `answer`, and to the persistence
        before anything else runs (another update's turn would write the user's answers as
        this attempt left them)."""
        assert isinstance(update, Update)
        self._answering[update.update_id] = True
        user = update.effective_user
        if user is not None and self.forget_attempt is not None:
            self.forget_attempt(user.id)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update once the user's earlier updates are done (claimed in its turn, so
        that the claim's round trip never reorders them)."""
        key = user_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._in_flight[key] = self._in_flight.get(key, 0) + 1
        try:
            async with lock:
                if not await self._claimed_here(update):
                    if isinstance(coroutine, Coroutine):
                        coroutine.close()
                    return
                update_id = update.update_id if isinstance(update, Update) else None
                given_up = False
                try:
                    given_up = await self._run(coroutine, update_id)
                    if given_up:
                        self._given_up(update)
                finally:
                    await self._handled(update, given_up)
        finally:
            self._in_flight[key] -= 1
            if not self._in_flight[key]:
                del self._in_flight[key], self._locks[key]

    def _sent(self, update_id: int) -> None:
        """The replies of an update handled here all went: its claim is done at once, in
        this thread (a queue of threads would widen the moment in which a kill makes another
        instance send them again)."""
        if self.claims is None or update_id not in self._claimed:
            return
        try:
            self.claims.done(update_id)
        except SQLAlchemyError as exc:
            log.warning("Update %s handled but not marked so (%s)", update_id, exc)
        self._claimed.discard(update_id)

    async def _run(self, coroutine: Awaitable[Any], update_id: int | None) -> bool:
        """Run the update's handlers, its replies held; whether its handling was given up
        (only for `answer`)."""
        if update_id is None:
            hooks: tuple[Any, ...] = ()
        else:
            hooks = (partial(self._hold, update_id), partial(self._sent, update_id))
        with held_replies(*hooks, may_give_up=update_id in self._answering):
            try:
                await coroutine
            finally:
                # Normally sent by the last handler group once the state is saved; this
                # sends any a handler stopping the groups early left behind.
                await send_held_replies()
            return handling_given_up()

    async def initialize(self) -> None:
        """Hold this instance's lock (the others see it alive)."""
        if self.claims is not None:
            await asyncio.to_thread(self.claims.start)

    async def shutdown(self) -> None:
        if self.claims is not None:
            await asyncio.to_thread(self.claims.stop)

"""Updates of different users handled at the same time, each user's strictly in order.

python-telegram-bot handles one update at a time by default: with Telegram's real round trips
(tens to hundreds of milliseconds a call) one user's reply then holds up everyone else's.
Its `ConversationHandler` needs a user's own updates one by one, in order (it keeps one state
per user and updates it when a callback returns), so the updates of one user queue behind
each other here, and only different users' run side by side.

Two more things happen here, around each update: one delivered a second time is skipped
(bot.dedup), and the replies the handlers make are held until the user's state is saved
(handlers.services.held_replies; the last handler group sends them, see
handlers.common.persist_now), so a crash can never leave a user with a reply whose step the
bot has forgotten.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.dedup import HandledUpdates
from handlers.services import held_replies, send_held_replies

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
        handled: HandledUpdates | None = None,
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int | None, asyncio.Lock] = {}
        self._in_flight: dict[int | None, int] = {}
        self.handled = handled

    def in_flight(self, user_id: int | None) -> int:
        """How many of this user's updates are being handled or waiting their turn."""
        return self._in_flight.get(user_id, 0)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if (
            self.handled is not None
            and isinstance(update, Update)
            and not self.handled.first_time(update.update_id)
        ):
            log.info("Update %s was handled already: skipped", update.update_id)
            if isinstance(coroutine, Coroutine):
                coroutine.close()
            return
        key = user_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._in_flight[key] = self._in_flight.get(key, 0) + 1
        try:
            async with lock:
                with held_replies():
                    try:
                        await coroutine
                    finally:
                        # Normally sent by the last handler group once the state is saved;
                        # this sends any a handler stopping the groups early left behind.
                        await send_held_replies()
        finally:
            self._in_flight[key] -= 1
            if not self._in_flight[key]:
                del self._in_flight[key], self._locks[key]

    async def initialize(self) -> None:
        """Read the updates handled before the last stop."""
        if self.handled is not None:
            await asyncio.to_thread(self.handled.load)

    async def shutdown(self) -> None:
        """Write the handled updates not written yet."""
        if self.handled is not None:
            await self.handled.flush()

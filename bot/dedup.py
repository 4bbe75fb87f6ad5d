"""Each Telegram update handled once: one delivered again (Telegram re-sends what a bot had
not confirmed when it stopped) is skipped.

The ids of the latest updates are kept in memory, checked and marked before an update is
handled (so a copy arriving meanwhile is skipped too), and written to the database in the
background, so that they survive a restart without any update waiting for a database write
(a long import may hold SQLite's write lock for seconds).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from storage.updates import recent_handled_updates, record_handled_updates

log = logging.getLogger(__name__)

# Update ids remembered in memory (the database keeps those of the last two days: see
# storage.updates).
KEEP = 10_000


class HandledUpdates:
    """The updates `bot_id` has handled (the latest KEEP)."""

    def __init__(self, engine: Engine, bot_id: int, keep: int = KEEP) -> None:
        self.engine = engine
        self.bot_id = bot_id
        self.keep = keep
        self._seen: set[int] = set()
        self._order: deque[int] = deque()
        self._unsaved: list[int] = []
        self._saving: asyncio.Task[None] | None = None

    def load(self) -> None:
        """At start: the ids handled before the last stop."""
        with Session(self.engine) as session:
            ids = recent_handled_updates(session=session, bot_id=self.bot_id, limit=self.keep)
        for update_id in reversed(ids):
            self._remember(update_id)

    def _remember(self, update_id: int) -> None:
        self._seen.add(update_id)
        self._order.append(update_id)
        while len(self._order) > self.keep:
            self._seen.discard(self._order.popleft())

    def first_time(self, update_id: int) -> bool:
        """True the first time an update id is offered (it is then marked as handled); False
        for one already handled."""
        if update_id in self._seen:
            return False
        self._remember(update_id)
        self._unsaved.append(update_id)
        if self._saving is None or self._saving.done():
            self._saving = asyncio.get_running_loop().create_task(self._save())
        return True

    async def _save(self) -> None:
        while self._unsaved:
            ids, self._unsaved = self._unsaved, []
            try:
                await asyncio.to_thread(self._write, ids)
            except SQLAlchemyError as exc:  # e.g. locked for too long: kept for the next try
                log.warning("Could not record %d handled update(s) yet: %s", len(ids), exc)
                self._unsaved[:0] = ids
                return

    def _write(self, ids: list[int]) -> None:
        with Session(self.engine) as session:
            record_handled_updates(session=session, bot_id=self.bot_id, update_ids=ids)

    async def flush(self) -> None:
        """Write what is not written yet (at shutdown)."""
        if self._saving is not None:
            await self._saving
        if self._unsaved:
            await self._save()

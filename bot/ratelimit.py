"""Telegram's limits, with replies first: pictures and reminders take what is left."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from telegram.ext import AIORateLimiter

PICTURES = frozenset({"sendPhoto"})
PICTURE_MAX_WAIT = 60.0  # seconds a picture gives way to replies, at most
SPARE_BELOW = 20  # a picture goes only while fewer calls than this went out in the last second
CHECK_EVERY = 0.1  # seconds between a waiting picture's looks at the traffic
_background: ContextVar[bool] = ContextVar("background_sends", default=False)


@contextmanager
def in_background() -> Iterator[None]:
    """The calls made within the block give way to replies, as pictures do. (Reminders and
    check-ins wait for `RepliesFirst.room_left` before they are claimed instead, then go.)"""
    token = _background.set(True)
    try:
        yield
    finally:
        _background.reset(token)


class RepliesFirst(AIORateLimiter):
    """python-telegram-bot's AIORateLimiter (about 30 messages a second, one a second per
    chat), with one priority: a picture (or what is sent `in_background`), and a reminder or
    check-in (the delivery waits for `room_left` before it claims one), uses only spare
    room. It waits while any reply waits its turn (or waits out flood control) or the last
    second's traffic nears the ceiling, so in a burst every user's text goes out before
    anyone's chart or reminder; those follow once the burst is over (or after
    `picture_max_wait` seconds)."""

    def __init__(
        self,
        *,
        max_retries: int,
        picture_max_wait: float = PICTURE_MAX_WAIT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(max_retries=max_retries)
        self.picture_max_wait = picture_max_wait
        self.clock = clock
        self._others = 0
        self._recent: deque[float] = deque()

    async def room_left(self) -> None:
        """Wait while replies use the rate (at most `picture_max_wait`): what a picture or a
        reminder waits for before it goes."""
        for _ in range(round(self.picture_max_wait / CHECK_EVERY)):
            if not self._busy():
                return
            await asyncio.sleep(CHECK_EVERY)

    def _busy(self) -> bool:
        now = self.clock()
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        return self._others > 0 or len(self._recent) >= SPARE_BELOW

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        if endpoint in PICTURES or _background.get():
            await self.room_left()
            self._recent.append(self.clock())
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        self._others += 1
        try:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        finally:
            self._others -= 1
            self._recent.append(self.clock())

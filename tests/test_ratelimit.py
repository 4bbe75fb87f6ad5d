"""Replies before pictures: the production rate limiter's one priority."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.ratelimit import RepliesFirst, in_background


async def call(limiter: RepliesFirst, endpoint: str, done: list[str], gate: asyncio.Event) -> Any:
    async def callback() -> bool:
        await gate.wait()
        done.append(endpoint)
        return True

    return await limiter.process_request(callback, (), {}, endpoint, {"chat_id": 1}, None)


async def test_a_picture_waits_for_the_replies_already_waiting() -> None:
    limiter = RepliesFirst(max_retries=0)
    done: list[str] = []
    reply_gate, open_gate = asyncio.Event(), asyncio.Event()
    open_gate.set()
    reply = asyncio.create_task(call(limiter, "sendMessage", done, reply_gate))
    await asyncio.sleep(0)  # the reply is now waiting its turn
    picture = asyncio.create_task(call(limiter, "sendPhoto", done, open_gate))
    another = asyncio.create_task(call(limiter, "sendMessage", done, open_gate))
    await another  # a later reply does not wait for the picture
    assert done == ["sendMessage"] and not picture.done()
    reply_gate.set()
    await asyncio.gather(reply, picture)
    assert done == ["sendMessage", "sendMessage", "sendPhoto"]


async def test_with_no_reply_waiting_a_picture_goes_at_once() -> None:
    limiter = RepliesFirst(max_retries=0)
    done: list[str] = []
    gate = asyncio.Event()
    gate.set()
    assert await call(limiter, "sendPhoto", done, gate) is True
    assert done == ["sendPhoto"]


async def test_a_picture_gives_way_for_a_bounded_time() -> None:
    limiter = RepliesFirst(max_retries=0, picture_max_wait=0.3)
    done: list[str] = []
    stuck, gate = asyncio.Event(), asyncio.Event()
    gate.set()
    reply = asyncio.create_task(call(limiter, "sendMessage", done, stuck))
    await asyncio.sleep(0)
    await asyncio.wait_for(call(limiter, "sendPhoto", done, gate), 5)
    assert done == ["sendPhoto"]  # sent although the reply still waits
    stuck.set()
    await reply


async def test_a_picture_waits_while_the_last_second_was_busy() -> None:
    now = [100.0]
    limiter = RepliesFirst(max_retries=0, clock=lambda: now[0])
    done: list[str] = []
    gate = asyncio.Event()
    gate.set()
    for _ in range(20):
        await call(limiter, "sendMessage", done, gate)
    picture = asyncio.create_task(call(limiter, "sendPhoto", done, gate))
    await asyncio.sleep(0)
    assert not picture.done() and done.count("sendPhoto") == 0
    now[0] += 1.5  # a quiet second later
    await asyncio.wait_for(picture, 5)
    assert done[-1] == "sendPhoto"


async def test_a_reminder_waits_for_the_replies_already_waiting() -> None:
    """Reminders and check-ins (sent in the background) take what the replies leave."""
    limiter = RepliesFirst(max_retries=0)
    done: list[str] = []
    reply_gate, open_gate = asyncio.Event(), asyncio.Event()
    open_gate.set()
    reply = asyncio.create_task(call(limiter, "sendMessage", done, reply_gate))
    await asyncio.sleep(0)  # the reply is now waiting its turn

    async def remind() -> None:
        with in_background():
            await call(limiter, "sendMessage", done, open_gate)
            done[-1] = "reminder"

    reminder = asyncio.create_task(remind())
    another = asyncio.create_task(call(limiter, "sendMessage", done, open_gate))
    await another  # a later reply does not wait for the reminder
    assert done == ["sendMessage"] and not reminder.done()
    reply_gate.set()
    await asyncio.gather(reply, reminder)
    assert done == ["sendMessage", "sendMessage", "reminder"]

"""Several users at once: one user's slow chat holds up nobody else, and each user's own
messages are still handled one by one, in order."""

from __future__ import annotations

import asyncio

from bot.processing import PerUserUpdateProcessor, user_key
from tests.conftest import USER, BotHarness

OTHER = 5151


def processor(bot: BotHarness) -> PerUserUpdateProcessor:
    assert bot.application is not None
    update_processor = bot.application.update_processor
    assert isinstance(update_processor, PerUserUpdateProcessor)
    return update_processor


async def test_a_slow_chat_does_not_hold_up_another_user(bot: BotHarness) -> None:
    gate = bot.emulator.hold(USER)  # the bot's calls about USER's chat wait
    await bot.emulator.send_text(USER, "/help")
    await bot.emulator.wait_for(lambda: bot.emulator.held.get(USER, 0) == 1)
    [answer] = await bot.say("/help", user=OTHER)
    assert "What I can do" in answer.text
    assert bot.sent(USER) == []  # still held
    gate.set()
    await bot.emulator.wait_for(lambda: len(bot.sent(USER)) == 1)
    assert "What I can do" in bot.sent(USER)[0].text


async def test_a_users_messages_wait_for_the_one_before(bot: BotHarness) -> None:
    gate = bot.emulator.hold(USER)
    await bot.emulator.send_text(USER, "/advise goal=sales niche=cooking")
    await bot.emulator.send_text(USER, "800")  # typed before the budget question arrived
    await bot.emulator.wait_for(lambda: bot.emulator.held.get(USER, 0) == 1)
    await bot.emulator.wait_for(lambda: processor(bot).in_flight(USER) == 2)
    gate.set()
    await bot.emulator.wait_for(lambda: len(bot.sent(USER)) == 2)
    question, recommendation = bot.sent(USER)
    assert "How much" in question.text
    assert "Sales · €800 · Cooking" in recommendation.text


async def test_the_processor_runs_each_users_updates_in_order_and_forgets_idle_users() -> None:
    runner = PerUserUpdateProcessor(max_concurrent_updates=8)
    order: list[str] = []
    release = asyncio.Event()

    async def step(name: str, wait: bool = False) -> None:
        if wait:
            await release.wait()
        order.append(name)

    first = asyncio.create_task(runner.process_update(None, step("first", wait=True)))
    second = asyncio.create_task(runner.process_update(None, step("second")))
    for _ in range(10):  # a few turns of the event loop let both tasks reach the processor
        if runner.in_flight(None) == 2:
            break
        await asyncio.sleep(0)
    assert runner.in_flight(None) == 2 and order == []
    release.set()
    await asyncio.gather(first, second)
    assert order == ["first", "second"]
    assert runner.in_flight(None) == 0 and user_key(None) is None

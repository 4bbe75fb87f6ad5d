"""Fault suite, reminders (issue 13, items 2 and 11): a network outage loses no reminder, a
message Telegram refused is never sent twice, a reminder claimed but never confirmed is shown
to its owner, and a long list of reminders is split by Telegram's own count and can always
be cancelled.

Delivery is run to its end with `deliver_due` (the clock is the harness's, moved by hand).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select
from telegram.error import BadRequest, TimedOut

from bot import delivery as sender
from bot.app import delivery_of
from storage.models import Reminder
from tests.conftest import BotHarness
from tests.test_e2e_delivery import FailingSends, due_reminder, reminders_received


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sender's in-place retries (0.5 s, 1 s, 2 s) made instant."""
    monkeypatch.setattr(sender, "RETRY_DELAYS", (0.01, 0.01, 0.01))


def reminders(bot: BotHarness) -> list[Reminder]:
    with Session(bot.engine) as session:
        return list(session.exec(select(Reminder).order_by(col(Reminder.id))))


async def deliver(bot: BotHarness) -> int:
    assert bot.application is not None
    return await delivery_of(bot.application).deliver_due()


# ---- item 2: a short network outage loses no reminder ----


async def test_a_reminder_due_during_an_outage_is_sent_once_telegram_is_back(
    bot: BotHarness,
) -> None:
    await due_reminder(bot, "water the plants")
    await bot.emulator.go_offline()  # connection refused: the requests never leave
    try:
        assert await deliver(bot) == 0
        [reminder] = reminders(bot)
        assert reminder.status == "pending" and reminder.attempts == 1
        retry_in = reminder.due_at - bot.clock.now()
        assert timedelta(seconds=25) < retry_in <= sender.RELEASE_DELAYS[0]

        bot.clock.advance(seconds=31)  # still out: the next wait is longer
        assert await deliver(bot) == 0
        [reminder] = reminders(bot)
        assert reminder.attempts == 2
        assert reminder.due_at - bot.clock.now() > timedelta(seconds=55)
    finally:
        await bot.emulator.go_online()

    bot.clock.advance(minutes=1, seconds=1)
    assert await deliver(bot) == 1
    assert reminders_received(bot, "water the plants") == 1
    [reminder] = reminders(bot)
    assert reminder.status == "sent"
    [message] = [m for m in bot.sent() if "water the plants" in m.text]
    assert "late" in message.text.lower()  # sent after the time asked for, and says so
    assert reminder.asked_for < reminder.due_at  # the time asked for is kept


async def test_a_pending_retry_is_listed_in_reminders(bot: BotHarness) -> None:
    await due_reminder(bot, "water the plants")
    await bot.emulator.go_offline()
    try:
        assert await deliver(bot) == 0
    finally:
        await bot.emulator.go_online()
    [listing] = await bot.say("/reminders")
    assert "water the plants" in listing.text and "trying again" in listing.text


async def test_a_message_telegram_refused_is_never_retried_as_not_sent(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BadRequest is a NetworkError in python-telegram-bot, but Telegram did answer it."""
    sends = FailingSends(monkeypatch, "water the plants", [BadRequest("Chat not found")])
    await due_reminder(bot, "water the plants")
    assert await deliver(bot) == 0
    assert len(sends.tries) == 1
    assert [r.status for r in reminders(bot)] == ["claimed"]
    bot.clock.advance(hours=2)
    assert await deliver(bot) == 0 and len(sends.tries) == 1  # nor later


@pytest.fixture
def a_lost_reply(monkeypatch: pytest.MonkeyPatch) -> Iterator[FailingSends]:
    """A send that timed out after leaving: it may have reached the user."""
    yield FailingSends(monkeypatch, "water the plants", [TimedOut("Timed out")])


async def test_a_reminder_claimed_but_never_confirmed_is_shown_and_can_be_dismissed(
    bot: BotHarness, a_lost_reply: FailingSends
) -> None:
    await due_reminder(bot, "water the plants")
    assert await deliver(bot) == 0
    assert [r.status for r in reminders(bot)] == ["claimed"]  # at most once: not sent again
    [listing] = await bot.say("/reminders")
    assert "water the plants" in listing.text and "unconfirmed" in listing.text
    [answer] = await bot.press(listing, "✖ 1")
    assert "cancelled" in answer.text.lower()
    assert [r.status for r in reminders(bot)] == ["cancelled"]
    [listing] = await bot.say("/reminders")
    assert "water the plants" not in listing.text

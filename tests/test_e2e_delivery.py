"""End to end: what the reminder sender does when Telegram refuses or the network fails, and
what the user sees when a handler fails.

Failures are injected in the bot's sendMessage for the messages a test names (each given
error raised once, in turn, before messages go through as usual), so every test knows how
many tries to expect; delivery is run to its end with `deliver_due`, not waited for.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import timedelta
from itertools import pairwise
from typing import Any

import pytest
from sqlmodel import Session, col, select
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot

from bot import delivery as sender
from bot.app import delivery_of
from bot.logs import setup_logging
from storage.models import Reminder
from tests.conftest import TOKEN, BotHarness


class FailingSends:
    """The bot's sendMessage, failing for messages whose text holds `marker`: each of
    `errors` is raised once, in turn, then such messages are sent as usual. `tries` holds
    when each attempt to send one was made."""

    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, marker: str, errors: list[TelegramError]
    ) -> None:
        self.errors = list(errors)
        self.tries: list[float] = []
        send_message = ExtBot.send_message

        async def failing(bot: ExtBot[Any], chat_id: int, text: str, *args: Any, **kw: Any) -> Any:
            if marker in text:
                self.tries.append(time.monotonic())
                if self.errors:
                    raise self.errors.pop(0)
            return await send_message(bot, chat_id, text, *args, **kw)

        monkeypatch.setattr(ExtBot, "send_message", failing)

    def waits(self) -> list[float]:
        return [later - earlier for earlier, later in pairwise(self.tries)]


def statuses(bot: BotHarness) -> list[str]:
    with Session(bot.engine) as session:
        return [r.status for r in session.exec(select(Reminder).order_by(col(Reminder.id)))]


async def due_reminder(bot: BotHarness, text: str) -> None:
    """A reminder set by the user, then the clock moved past it."""
    [answer] = await bot.say(f"/remind in 1 minutes {text}")
    assert "OK, I'll remind you" in answer.text
    bot.clock.advance(minutes=2)


async def deliver(bot: BotHarness) -> int:
    """Send everything due now, to the end (retries included); how many were sent."""
    assert bot.application is not None
    return await delivery_of(bot.application).deliver_due()


def reminders_received(bot: BotHarness, text: str) -> int:
    return sum(text in m.text for m in bot.sent())


# ---- flood control ----


async def test_a_refused_reminder_is_sent_after_the_wait_telegram_asks_for(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    wait = timedelta(seconds=0.2)
    sends = FailingSends(monkeypatch, "water the plants", [RetryAfter(wait), RetryAfter(wait)])
    await due_reminder(bot, "water the plants")
    assert await deliver(bot) == 1
    assert len(sends.tries) == 3
    assert all(w >= wait.total_seconds() for w in sends.waits())
    assert reminders_received(bot, "water the plants") == 1
    assert statuses(bot) == ["sent"]


async def test_after_ten_refusals_a_reminder_is_pending_again_for_later(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telegram refused it each time (flood control): it surely was not sent."""
    refusals: list[TelegramError] = [RetryAfter(timedelta(seconds=0.01)) for _ in range(11)]
    sends = FailingSends(monkeypatch, "water the plants", refusals)
    await due_reminder(bot, "water the plants")
    assert await deliver(bot) == 0
    assert len(sends.tries) == sender.FLOOD_RETRIES + 1 == 11
    assert reminders_received(bot, "water the plants") == 0
    assert statuses(bot) == ["pending"]  # due again after a while (see test_faults_delivery)


# ---- network errors ----


@pytest.fixture
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> tuple[float, ...]:
    """The sender's backoff (0.5 s, 1 s, 2 s) a tenth as long."""
    delays = tuple(d / 10 for d in sender.RETRY_DELAYS)
    monkeypatch.setattr(sender, "RETRY_DELAYS", delays)
    return delays


NOT_SENT = [
    NetworkError("httpx.ConnectError: [Errno 111] Connection refused"),
    TimedOut(
        "Pool timeout: All connections in the connection pool are occupied. Request was *not* "
        "sent to Telegram. Consider adjusting the connection pool size or the pool timeout."
    ),
]


async def test_a_request_that_never_left_is_retried_with_backoff(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch, quick_backoff: tuple[float, ...]
) -> None:
    sends = FailingSends(monkeypatch, "call the printer", list(NOT_SENT))
    await due_reminder(bot, "call the printer")
    assert await deliver(bot) == 1
    assert len(sends.tries) == 3
    assert all(w >= d for w, d in zip(sends.waits(), quick_backoff, strict=False))
    assert reminders_received(bot, "call the printer") == 1
    assert statuses(bot) == ["sent"]


async def test_network_retries_are_bounded(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch, quick_backoff: tuple[float, ...]
) -> None:
    errors: list[TelegramError] = [NetworkError("Connection refused") for _ in range(4)]
    sends = FailingSends(monkeypatch, "call the printer", errors)
    await due_reminder(bot, "call the printer")
    assert await deliver(bot) == 0
    assert len(sends.tries) == len(quick_backoff) + 1
    assert statuses(bot) == ["pending"]  # surely not sent: due again after a while


async def test_a_read_timeout_is_never_retried(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch, quick_backoff: tuple[float, ...]
) -> None:
    """The request may have reached Telegram: a retry could send the reminder twice."""
    sends = FailingSends(monkeypatch, "call the printer", [TimedOut("Timed out")])
    await due_reminder(bot, "call the printer")
    assert await deliver(bot) == 0
    assert len(sends.tries) == 1
    assert reminders_received(bot, "call the printer") == 0
    assert statuses(bot) == ["claimed"]


# ---- claimed but not delivered ----


async def test_a_check_in_claimed_but_not_delivered_shows_as_sent_unconfirmed(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch, quick_backoff: tuple[float, ...]
) -> None:
    [rec] = await bot.say("/advise goal=sales budget=2000 niche=travel")
    [ask] = await bot.press(rec, "💾 Save as campaign")
    [ask] = await bot.press(ask, ask.button_texts()[0])
    [ask] = await bot.press(ask, "Tomorrow")
    [schedule] = await bot.press(ask, "1 week")
    await bot.press(schedule, "✅ Accept")
    refused: list[TelegramError] = [BadRequest("Chat not found") for _ in range(10)]
    sends = FailingSends(monkeypatch, "📋", refused)  # the check-ins
    bot.clock.advance(days=1, hours=12)
    assert await deliver(bot) == 0
    assert sends.tries  # the launch day's check-in was tried
    assert not any("📋" in m.html for m in bot.sent())
    assert statuses(bot).count("claimed") == 1

    [listing] = await bot.say("/campaigns")
    [card] = await bot.press(listing, "1")
    [launch] = [line for line in card.text.splitlines() if line.startswith("• Launch day")]
    assert "— sent, unconfirmed" in launch
    [pending] = await bot.say("/reminders")
    assert "Launch day" not in pending.text  # not pending any more either


# ---- a handler that fails ----


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


async def test_a_failing_handler_tells_the_user_and_logs_without_the_token(
    bot: BotHarness,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
) -> None:
    setup_logging("INFO", TOKEN)  # the bot's own: with the token filter, to (captured) stderr

    def broken(**_kw: Any) -> bool:
        raise RuntimeError(f"POST https://api.telegram.org/bot{TOKEN}/getChat failed")

    with monkeypatch.context() as patch:
        patch.setattr("handlers.common.is_admin", broken)
        [answer] = await bot.say("/help")
    assert "something went wrong on my side" in answer.text
    log = capsys.readouterr().err
    assert "ERROR handlers.common: Error while handling an update" in log
    assert "RuntimeError: POST https://api.telegram.org/bot[token]/getChat failed" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    [answer] = await bot.say("/help")  # the next update is handled as usual
    assert "/advise" in answer.text

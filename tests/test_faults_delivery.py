"""Fault suite, reminders (issue 13, items 2 and 11): a network outage loses no reminder, a
message Telegram refused is never sent twice, a reminder claimed but never confirmed is shown
to its owner, and a long list of reminders is split by Telegram's own count and can always
be cancelled.

Delivery is run to its end with `deliver_due` (the clock is the harness's, moved by hand).
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select
from telegram.error import BadRequest, TimedOut

from bench.pgproxy import PostgresProxy
from bot import delivery as sender
from bot.app import delivery_of, prepare_database
from bot.ratelimit import CHECK_EVERY
from bot.sandbox.emulator import html_to_text
from bot.settings import Settings
from knowledge.base import KnowledgeBase
from knowledge.writing.render import split_message, utf16_len
from storage.campaigns import add_reminder, claim, unclaim
from storage.db import make_engine
from storage.models import Reminder
from tests.conftest import USER, BotHarness, eventually
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


# ---- item 11: message length in Telegram's units; every reminder can be cancelled ----


def test_a_split_counts_utf16_units_and_never_cuts_an_entity() -> None:
    text = "<b>" + "Tom &amp; Léa 🎉🎉 " * 700 + "</b>\n\n" + "🎉" * 3000
    parts = split_message(text)
    assert len(parts) > 1
    for part in parts:
        assert utf16_len(part) <= 4096
        assert html_to_text(part)  # well-formed HTML: no entity or tag cut in two
    assert "".join(parts).replace("</b><b>", "").count("&amp;") == 700


LINES = st.lists(
    st.text(alphabet=st.sampled_from(list("ab &<>🎉é ")), min_size=1, max_size=400),
    min_size=1,
    max_size=8,
).map("\n".join)


@given(LINES, st.integers(20, 300))
def test_every_part_of_a_split_fits_and_keeps_the_text(text: str, limit: int) -> None:
    escaped = html.escape(text, quote=False)
    parts = split_message(escaped, limit)
    assert all(utf16_len(part) <= limit for part in parts)
    shown = [html_to_text(part) for part in parts if part.strip()]
    assert "".join(shown).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(
        " ", ""
    )


async def test_thirty_emoji_reminders_are_listed_and_each_can_be_cancelled(
    bot: BotHarness,
) -> None:
    for n in range(32):
        await bot.say(f"/remind in {n + 2} hours {'🎉' * 70} {n}")
    before = len(bot.sent())
    await bot.emulator.send_text(USER, "/reminders")
    await bot.emulator.wait_for(
        lambda: (
            any(m.buttons for m in bot.sent()[before:])
            and not any("went wrong" in m.text for m in bot.sent()[before:])
        )
    )
    listing = [m for m in bot.sent()[before:] if m.buttons]
    assert len(listing) == 1 and "1–30 of 32" in bot.sent()[before].text
    assert "✖ 30" in listing[0].button_texts() and "Next ▶" in listing[0].button_texts()
    [second] = await bot.press(listing[0], "Next ▶")
    assert second.button_texts()[:2] == ["✖ 31", "✖ 32"]
    [cancelled] = await bot.press(second, "✖ 32")
    assert "cancelled" in cancelled.text.lower()
    assert [r.status for r in reminders(bot)].count("cancelled") == 1
    assert reminders(bot)[-1].status == "cancelled"


# ---- issue 24 (found by the chaos test): a reminder sent while the database is cut off ----


async def test_a_reminder_sent_while_the_database_is_unreachable_is_recorded_as_sent_later(
    postgres_url: str, kb: KnowledgeBase
) -> None:
    """The reminder is claimed, then the database becomes unreachable (a loopback proxy
    drops every connection; the server itself runs on) while it is being sent: it goes out,
    and is recorded as sent once the database answers again, never left "claimed" as
    though it might not have reached the user."""
    prepare_database(Settings(_env_file=None, database_url=postgres_url), kb).dispose()
    target = make_url(postgres_url)
    proxy = PostgresProxy(target.host or "127.0.0.1", target.port or 5432)
    proxied = target.set(host="127.0.0.1", port=proxy.start())
    settings = Settings(
        _env_file=None, database_url=proxied.render_as_string(hide_password=False), charts=False
    )
    engine, direct = prepare_database(settings, kb), make_engine(postgres_url)
    bot = BotHarness(settings, engine, kb)
    await bot.start_bot()
    try:
        await due_reminder(bot, "call Léa")
        gate = bot.emulator.hold(USER)
        delivering = asyncio.create_task(deliver(bot))
        await bot.emulator.wait_for(lambda: bot.emulator.held.get(USER, 0) == 1)
        proxy.cut_off()
        gate.set()
        with pytest.raises(SQLAlchemyError):  # the next batch can't be read meanwhile
            await delivering
        assert reminders_received(bot, "call Léa") == 1
        with Session(direct) as session:
            assert session.exec(select(Reminder.status)).one() == "claimed"
        proxy.restore()

        def recorded() -> bool:
            with Session(direct) as session:
                return session.exec(select(Reminder.status)).one() == "sent"

        await eventually(recorded, 3 * sender.TURN_SECONDS + 5)
        assert reminders_received(bot, "call Léa") == 1
    finally:
        proxy.restore()
        await bot.stop_bot()
        await bot.emulator.stop()
        proxy.stop()
        engine.dispose()
        direct.dispose()


async def test_a_reminder_waiting_for_the_replies_to_pass_is_not_claimed_yet(
    bot: BotHarness,
) -> None:
    """Replies go first: a due reminder waits while a reply is being sent (here held by the
    network). It waits unclaimed, so an instance killed meanwhile leaves it pending, to be
    sent by the next one, not claimed and lost (found by the chaos test: reminders were
    claimed, then waited seconds behind a burst of replies)."""
    with Session(bot.engine) as session:
        add_reminder(session=session, user_id=6000, due_at=bot.clock.now(), text="call Léa")
    gate = bot.emulator.hold(USER)
    await bot.emulator.send_text(USER, "/help")
    await bot.emulator.wait_for(lambda: bot.emulator.held.get(USER, 0) == 1)
    delivering = asyncio.create_task(deliver(bot))
    await asyncio.sleep(5 * CHECK_EVERY)  # ample for a claim, which takes milliseconds
    try:
        assert [r.status for r in reminders(bot)] == ["pending"]
    finally:
        delivering.cancel()  # as a kill would
        gate.set()
    with pytest.raises(asyncio.CancelledError):
        await delivering
    assert [r.status for r in reminders(bot)] == ["pending"]
    assert await deliver(bot) == 1
    assert [r.status for r in reminders(bot)] == ["sent"]


def test_a_claim_the_database_went_away_around_is_taken_back_only_if_it_is_ours(
    session: Session,
) -> None:
    """The database went away while a reminder was being claimed (the claim may have been
    written) or before it was sent: the instance takes back its own claim, known by its
    time, never another instance's (found by the chaos test: a reminder whose claim's commit
    was cut stayed claimed, never sent)."""
    due = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    reminder = add_reminder(session=session, user_id=USER, due_at=due, text="call Léa")
    assert reminder.id is not None
    ours, theirs = due + timedelta(seconds=1), due + timedelta(seconds=2)
    assert claim(session=session, reminder_id=reminder.id, now=theirs, late=False)
    assert not unclaim(session=session, reminder_id=reminder.id, claimed_at=ours)
    kept = session.get(Reminder, reminder.id, populate_existing=True)
    assert kept is not None and kept.status == "claimed"
    assert unclaim(session=session, reminder_id=reminder.id, claimed_at=theirs)
    taken_back = session.get(Reminder, reminder.id, populate_existing=True)
    assert taken_back is not None and taken_back.status == "pending"
    assert taken_back.due_at == due and taken_back.attempts == 0

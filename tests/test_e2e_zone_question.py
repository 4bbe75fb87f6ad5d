"""Times in the user's zone, asked once: before the first reminder or campaign schedule, a
user who never chose a zone is asked for it (one tap on the zone their Telegram language
suggests, or the bot's own when it suggests none; or Other…), then the bot goes on with what
it was doing; never again once answered. In English and in French."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from storage.models import Reminder
from tests.conftest import USER, BotHarness


def due_times(bot: BotHarness) -> list[datetime]:
    with Session(bot.engine) as session:
        rows = session.exec(select(Reminder).order_by(col(Reminder.id))).all()
    return [r.due_at if r.due_at.tzinfo else r.due_at.replace(tzinfo=UTC) for r in rows]


def tomorrow_at(bot: BotHarness, zone: str, hour: int) -> datetime:
    local = bot.clock.now().astimezone(ZoneInfo(zone)).date() + timedelta(days=1)
    return datetime.combine(local, time(hour), ZoneInfo(zone)).astimezone(UTC)


async def test_a_french_reminder_waits_for_the_zone_then_is_set_and_delivered_in_it(
    new_user_bot: BotHarness,
) -> None:
    bot = new_user_bot
    bot.emulator.user_languages[USER] = "fr"
    [question] = await bot.say("/rappel demain 9h appeler Léa")
    assert "Votre fuseau horaire" in question.text
    assert question.button_texts() == ["Europe/Paris", "Autre…"]
    assert due_times(bot) == []  # nothing set before the answer
    zone_set, reminder_set = await bot.press(question, "Europe/Paris", count=2)
    assert "Fuseau horaire réglé sur Europe/Paris" in zone_set.text
    assert "09:00" in reminder_set.text and "(Europe/Paris)" in reminder_set.text
    assert "(UTC)" not in reminder_set.text
    assert due_times(bot) == [tomorrow_at(bot, "Europe/Paris", 9)]
    bot.clock.advance(seconds=(due_times(bot)[0] - bot.clock.now()).total_seconds())
    before = len(bot.sent())
    bot.rearm()
    [delivered] = await bot._expect(USER, before, 1)
    assert "Rappel" in delivered.text and "appeler Léa" in delivered.text
    [second] = await bot.say("/rappel dans 2 heures envoyer le devis")  # never asked again
    assert "D’accord" in second.text and "Votre fuseau horaire" not in second.text


async def test_an_english_campaign_schedule_waits_for_the_zone_other_then_shows_it(
    new_user_bot: BotHarness,
) -> None:
    bot = new_user_bot
    bot.emulator.user_languages[USER] = "en-GB"
    [card] = await bot.say("/advise goal=sales budget=2000 niche=cooking")
    [ask_name] = await bot.press(card, "💾 Save as campaign")
    [ask_start] = await bot.press(ask_name, ask_name.button_texts()[0])
    [ask_length] = await bot.press(ask_start, "Tomorrow")
    [question] = await bot.press(ask_length, "2 weeks")
    assert "Your time zone?" in question.text
    assert question.button_texts() == ["Europe/London", "Other…"]
    [listing] = await bot.press(question, "Other…")  # /timezone's buttons
    assert "Europe/Berlin" in listing.button_texts()
    zone_set, schedule = await bot.press(listing, "Europe/Berlin", count=2)
    assert "Europe/Berlin" in zone_set.text
    assert "Check-ins (Europe/Berlin)" in schedule.text and "(UTC)" not in schedule.text
    [saved] = await bot.press(schedule, "✅ Accept")
    assert "saved with" in saved.text
    [reminder] = await bot.say("/remind in 2 hours call Léa")  # asked once only
    assert "(Europe/Berlin)" in reminder.text and "(UTC)" not in reminder.text


async def test_a_french_campaign_schedule_after_one_tap_on_the_guess(
    new_user_bot: BotHarness,
) -> None:
    bot = new_user_bot
    bot.emulator.user_languages[USER] = "fr"
    [card] = await bot.say("/conseil objectif=ventes budget=2000 niche=cuisine")
    [ask_name] = await bot.press(card, "💾 Enregistrer comme campagne")
    [ask_start] = await bot.press(ask_name, ask_name.button_texts()[0])
    [ask_length] = await bot.press(ask_start, "Demain")
    [question] = await bot.press(ask_length, ask_length.button_texts()[0])
    assert "Votre fuseau horaire" in question.text
    listing, again = await bot.say("/aide", count=2)  # the question waits, and is asked again
    assert "Ce que je sais faire" in listing.text and "Votre fuseau horaire" in again.text
    zone_set, schedule = await bot.press(again, "Europe/Paris", count=2)
    assert "Bilans (Europe/Paris)" in schedule.text and "(UTC)" not in schedule.text
    [saved] = await bot.press(schedule, schedule.button_texts()[0])
    assert "Campagne" in saved.text and zone_set is not None


async def test_english_alone_is_offered_the_bots_own_zone(new_user_bot: BotHarness) -> None:
    bot = new_user_bot
    [question] = await bot.say("/remind in 2 hours call Léa")
    assert "Your time zone?" in question.text
    assert question.button_texts() == ["UTC", "Other…"]
    assert due_times(bot) == []
    zone_set, reminder = await bot.press(question, "UTC", count=2)
    assert "UTC" in zone_set.text
    assert "OK, I'll remind you" in reminder.text and "(UTC)" in reminder.text
    assert len(due_times(bot)) == 1
    [again] = await bot.say("/remind in 3 hours send the quote")  # never asked again
    assert "OK, I'll remind you" in again.text

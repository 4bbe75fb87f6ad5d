"""End to end: a campaign renamed, moved and deleted from its card; a schedule set aside by
another command waits under /campaigns."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlmodel import Session, col, select

from storage.models import Campaign, CheckinResult, Reminder
from tests.conftest import USER, BotHarness
from tests.test_e2e_campaigns import wait_sent


async def save_campaign(bot: BotHarness, name: str) -> None:
    [rec] = await bot.say("/advise goal=sales budget=2000 niche=cooking")
    [ask] = await bot.press(rec, "💾 Save as campaign")
    [ask] = await bot.say(name)
    [ask] = await bot.press(ask, "Tomorrow")
    [schedule] = await bot.press(ask, "2 weeks")
    [saved] = await bot.press(schedule, "✅ Accept")
    assert "saved with" in saved.text


async def open_card(bot: BotHarness):  # type: ignore[no-untyped-def]
    [listing] = await bot.say("/campaigns")
    [card] = await bot.press(listing, "1")
    return card


def checkins(bot: BotHarness) -> list[Reminder]:
    with Session(bot.engine) as session:
        query = select(Reminder).where(col(Reminder.campaign_id).is_not(None))
        return list(session.exec(query.order_by(col(Reminder.due_at))))


async def test_a_campaign_is_renamed_then_moved_with_its_check_ins(bot: BotHarness) -> None:
    await save_campaign(bot, "Winter cookies")
    card = await open_card(bot)
    assert card.button_texts()[-4:] == ["✉️ First messages", "✏️ Rename", "📅 Move", "🗑 Delete"]
    assert all(" · to contact" in label for label in card.button_texts()[:-4])
    [ask] = await bot.press(card, "✏️ Rename")
    assert "New name for Winter cookies" in ask.text
    [ask] = await bot.say("x" * 200)
    assert "A name of 1 to 120 characters" in ask.text  # asked again, nothing lost
    [renamed] = await bot.say("Spring cookies")
    assert "Renamed: Spring cookies" in renamed.text
    card = await open_card(bot)
    assert card.text.startswith("Spring cookies — planned")

    before = [r.due_at for r in checkins(bot)]
    [ask] = await bot.press(card, "📅 Move")
    assert "New start day?" in ask.text
    [ask] = await bot.say("2020-01-01")
    assert "already passed" in ask.text
    today = bot.clock.now().date()
    [moved] = await bot.say("in 5 days")
    new_start = today + timedelta(days=5)
    assert f"now starts {new_start:%a %d %b %Y}; 4 check-ins moved with it" in moved.text
    after = checkins(bot)
    assert [r.due_at - b for r, b in zip(after, before, strict=True)] == [timedelta(days=4)] * 4
    assert after[0].due_at.replace(tzinfo=UTC) == datetime.combine(new_start, time(10), UTC)
    with Session(bot.engine) as session:
        [campaign] = session.exec(select(Campaign)).all()
    assert (campaign.name, campaign.start_day) == ("Spring cookies", new_start)

    # The moved launch-day check-in comes at its new time, not the old one.
    bot.clock.advance(days=2)
    bot.rearm()
    [answer] = await bot.say("/help")  # nothing else came first
    assert "/advise" in answer.text
    bot.clock.advance(days=4)
    [checkin] = await wait_sent(bot, 1)
    assert "Launch day — Spring cookies" in checkin


async def test_a_campaign_is_deleted_only_once_confirmed(bot: BotHarness) -> None:
    await save_campaign(bot, "Winter cookies")
    bot.clock.advance(days=1, hours=12)
    await wait_sent(bot, 1)
    await bot.say("reach=12k sales=3 spent=800")
    card = await open_card(bot)
    [confirm] = await bot.press(card, "🗑 Delete")
    assert "Delete Winter cookies, its check-ins and the results" in confirm.text
    [kept] = await bot.press(confirm, "Keep")
    assert "Nothing was deleted" in kept.text and len(checkins(bot)) == 4
    [confirm] = await bot.press(card, "🗑 Delete")
    yes = confirm.button("🗑 Yes, delete")["callback_data"]
    [deleted] = await bot.press(confirm, "🗑 Yes, delete")
    assert confirm.buttons == []  # taken away once used
    assert "Winter cookies is deleted" in deleted.text
    with Session(bot.engine) as session:
        assert session.exec(select(Campaign)).all() == []
        assert session.exec(select(CheckinResult)).all() == []
    assert checkins(bot) == []
    answers = len([e for e in bot.emulator.chat_events(USER) if e.kind == "answer"])
    await bot.emulator.press_data(USER, confirm, yes)  # a press from an old screen
    await bot.emulator.wait_for(
        lambda: len([e for e in bot.emulator.chat_events(USER) if e.kind == "answer"]) > answers
    )
    assert "expired" in (bot.emulator.chat_events(USER)[-1].text or "")
    [listing] = await bot.say("/campaigns")
    assert "no campaigns yet" in listing.text


async def test_a_schedule_set_aside_waits_under_campaigns(bot: BotHarness) -> None:
    [rec] = await bot.say("/advise goal=sales budget=2000 niche=cooking")
    [ask] = await bot.press(rec, "💾 Save as campaign")
    [ask] = await bot.say("Winter cookies")
    [ask] = await bot.press(ask, "Tomorrow")
    [schedule] = await bot.press(ask, "2 weeks")
    left, listing = await bot.say("/campaigns", 2)
    assert "Its schedule waits for your OK under /campaigns" in left.text
    assert "Waiting for your OK: Winter cookies" in listing.text
    assert listing.button_texts() == ["📅 Review “Winter cookies”"]
    [schedule] = await bot.press(listing, "📅 Review “Winter cookies”")
    assert "Winter cookies" in schedule.text and "✅ Accept" in schedule.button_texts()
    [saved] = await bot.press(schedule, "✅ Accept")
    assert "saved with 4 check-ins" in saved.text
    [listing] = await bot.say("/campaigns")
    assert "1. Winter cookies — planned" in listing.text and "Waiting" not in listing.text
    assert listing.button_texts() == ["1"]
    assert USER in {r.user_id for r in checkins(bot)}

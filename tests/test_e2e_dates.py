"""End to end, dates (issue 23, part 2), in English and French: a launch brief with a date goes
from plan (each line's posting window in the shortlist and the plan file) to first messages
(showing the window) to a saved campaign whose start day and check-ins follow the windows, in
the user's time zone; the guided brief asks a launch's date, with a "not decided yet" button;
a date in the past gets a clear answer and the question again, nothing typed lost."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlmodel import Session, col, select

from storage.models import Campaign, Reminder
from tests.conftest import USER, BotHarness
from tests.conftest import spaces_as_read as plain
from tests.test_e2e_campaign_changes import open_card
from tests.test_e2e_files import table
from tests.test_e2e_phrasings import edited_view

ZONE = "Pacific/Auckland"  # far from the bot's UTC: its day is often not UTC's


def local_today(bot: BotHarness, zone: str = ZONE) -> date:
    return bot.clock.now().astimezone(ZoneInfo(zone)).date()


def day_words(day: date, language: str = "en") -> str:
    """`15 March`, `15 mars`: a day as the bot writes a posting window's."""
    return format_date(day, "d MMMM", locale=language)


async def test_a_dated_launch_goes_from_plan_to_first_messages_to_a_campaign(
    bot: BotHarness,
) -> None:
    await bot.say(f"/timezone {ZONE}")
    launch = local_today(bot) + timedelta(days=30)
    [card] = await bot.say(
        f"/advise goal=launch budget=3000 niche=cooking platform=instagram date={launch}"
    )
    [plan_file] = await bot.press(card, "📄 Plan (CSV)")
    header, *rows, _totals = table(bot.file(plan_file), ",")
    column = {name: i for i, name in enumerate(header)}
    windows = [(row[column["Post from"]], row[column["Post until"]]) for row in rows]
    assert len(rows) >= 4
    on_the_day = (launch.isoformat(), launch.isoformat())
    teasers = ((launch - timedelta(days=7)).isoformat(), (launch - timedelta(days=1)).isoformat())
    follow_ups = (
        (launch + timedelta(days=1)).isoformat(),
        (launch + timedelta(days=7)).isoformat(),
    )
    # A creator of several posts on the day posts one on it, the others before and after.
    around = (teasers[0], follow_ups[1])
    assert {teasers, follow_ups} <= set(windows) <= {on_the_day, teasers, follow_ups, around}
    assert on_the_day in windows or around in windows

    shortlist = await edited_view(bot, card, "👥 Shortlist")
    text = plain(shortlist.text)
    if on_the_day in windows:
        assert f"📅 Posts on {day_words(launch)} (on launch day)" in text
    if around in windows:
        assert "(one on launch day, the others before and after)" in text

    booked = [row for row in rows if row[column["Booked"]] == "yes"]
    [question] = await bot.press(shortlist, "✉️ First messages")  # no shop name: asked
    briefs, intro, *messages = await bot.press(question, "Skip", 2 + len(booked))
    assert "No shop name yet: the messages don't name your shop" in plain(intro.text)
    texts = [plain(m.text) for m in messages]
    document = bot.file(briefs).decode()  # the creator briefs, one page each: the window too
    assert "When to post" in document
    # Each message in its creator's language: English, or French for French speakers.
    if on_the_day in windows:
        assert f"on {day_words(launch)} (on launch day)" in document
        day = (f"Please post on {day_words(launch)}: our launch day.", "jour de notre lancement.")
        assert any(words in t for t in texts for words in day)
    if around in windows:
        assert "(one on launch day, the others before and after)" in document
        on_it = (
            f"one post on our launch day, {day_words(launch)}, the others before and after it.",
            f"une publication le jour de notre lancement, le {day_words(launch, 'fr')}",
        )
        assert any(words in t for t in texts for words in on_it)
    teasing = ("as a teaser before our launch", "en teaser avant notre lancement")
    assert any(words in t for t in texts for words in teasing)

    card = await edited_view(bot, shortlist, "◀ Back")
    [ask] = await bot.press(card, "💾 Save as campaign")
    [ask_start] = await bot.press(ask, ask.button_texts()[0])
    start = launch - timedelta(days=7)
    assert "The plan's creators post from" in ask_start.text
    assert (
        ask_start.button_texts()[0].startswith("📅 ")
        and "as planned" in ask_start.text + (ask_start.button_texts()[0])
    )
    [ask_length] = await bot.press(ask_start, ask_start.button_texts()[0])
    assert ask_length.button_texts()[0] == "📅 15 days, as planned"
    [schedule] = await bot.press(ask_length, "📅 15 days, as planned")
    assert "15 days" in schedule.text
    await bot.press(schedule, "✅ Accept")
    with Session(bot.engine) as session:
        [campaign] = session.exec(select(Campaign)).all()
        checkins = session.exec(select(Reminder).order_by(col(Reminder.id))).all()
    assert (campaign.start_day, campaign.length_days) == (start, 15)
    zone = ZoneInfo(ZONE)

    def at_ten(day: date) -> datetime:
        return datetime.combine(day, time(10), zone).astimezone(UTC)

    due = {c.stage: c.due_at.replace(tzinfo=UTC) for c in checkins}
    assert due == {
        "launch": at_ten(start),  # the teasers' first day
        "mid": at_ten(launch),  # the launch day
        "last": at_ten(launch + timedelta(days=7)),  # the follow-ups' last day
        "after": at_ten(launch + timedelta(days=21)),
    }

    # The saved campaign's card gives each creator's window, as the plan did.
    campaign_card = await open_card(bot)
    card_lines = plain(campaign_card.text).splitlines()
    for row in booked:
        name, handle = row[column["Name"]], row[column["Handle"]]
        [line] = [line for line in card_lines if line.startswith(f"• {name} @{handle} · ")]
        first, last = (date.fromisoformat(row[column[c]]) for c in ("Post from", "Post until"))
        assert f" · 📅 Posts {window_words(first, last)} · " in line, line
    # The first messages again, from the saved campaign (issue 23, part 5: "from the plan or
    # a saved campaign"): the same messages, the shop's name asked again (it was skipped).
    [asked] = await bot.press(campaign_card, "✉️ First messages")
    _briefs, again, *resent = await bot.press(asked, "Skip", 2 + len(booked))
    assert "No shop name yet" in plain(again.text)
    assert [plain(m.text) for m in resent] == texts


def window_words(first: date, last: date) -> str:
    """A posting window as the bot writes it: `on 15 March`, `between 8 and 14 March`."""
    if first == last:
        return f"on {day_words(first)}"
    if first.month == last.month:
        return f"between {first.day} and {day_words(last)}"
    return f"between {day_words(first)} and {day_words(last)}"


async def test_a_past_date_gets_a_clear_answer_and_the_question_again(bot: BotHarness) -> None:
    last_year = local_today(bot, "UTC") - timedelta(days=365)
    [question] = await bot.say(
        f"/advise goal=launch budget=2000 niche=cooking shop_name=Chez Léa date={last_year}"
    )
    text = plain(question.text)
    assert f"“{last_year}” is in the past: the date must be today or later." in text
    assert "Your other answers are kept." in text
    assert "When is the launch?" in text  # asked again, in the same message
    later = local_today(bot, "UTC") + timedelta(days=20)
    [card] = await bot.say(later.strftime("%d %B %Y"))
    [plan_file] = await bot.press(card, "📄 Plan (CSV)")
    header, *rows, _totals = table(bot.file(plan_file), ",")
    assert all(row[header.index("Promo code")].startswith("CHEZLEA-") for row in rows)  # kept
    assert later.isoformat() in {row[header.index("Post from")] for row in rows}


async def test_the_guided_brief_asks_a_launchs_date_which_may_wait(bot: BotHarness) -> None:
    [platform_question] = await bot.say("/advise a product launch for my bakery, budget 800")
    [country_question] = await bot.press(platform_question, "Any platform")
    [date_question] = await bot.press(country_question, "Anywhere")
    assert "When is the launch?" in date_question.text
    assert date_question.button_texts() == ["Not decided yet"]
    [again] = await bot.say("2020-01-01")
    assert (
        "“2020-01-01” is in the past" in plain(again.text) and "When is the launch?" in again.text
    )
    launch = local_today(bot, "UTC") + timedelta(days=40)
    [summary] = await bot.say(f"on {launch.day} {launch.strftime('%B')} {launch.year}")
    assert f"Launch date: {format_date(launch, 'EEE dd MMM y', locale='en')}" in summary.text
    [question] = await bot.press(summary, "Date")
    [summary] = await bot.press(question, "Not decided yet")
    assert "Launch date" not in summary.text
    [card] = await bot.press(summary, "✅ Get my recommendation")
    shortlist = await edited_view(bot, card, "👥 Shortlist")
    assert "📅" not in shortlist.text  # no date, no windows: as before


async def test_a_french_launch_sentence_with_its_date(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr"
    launch = local_today(bot, "UTC") + timedelta(days=60)
    words = f"le {launch.day} {format_date(launch, 'MMMM', locale='fr')} {launch.year}"
    [question] = await bot.say(f"/conseil lancement {words} pour ma boulangerie, budget 3000 €")
    [country_question] = await bot.press(question, "Toutes plateformes")
    [summary] = await bot.press(country_question, "N’importe où")
    assert "Date du lancement : " in plain(summary.text)
    [card] = await bot.press(summary, "✅ Obtenir ma recommandation")
    shortlist = await edited_view(bot, card, "👥 Sélection")
    text = plain(shortlist.text)
    alone = f"📅 Publie le {day_words(launch, 'fr')} (le jour du lancement)"
    several = "(une le jour du lancement, les autres avant et après)"
    assert alone in text or several in text, text


async def test_an_english_launch_sentence_with_the_month_first(bot: BotHarness) -> None:
    """`on March 15, 2027`: the month first, as English writes a date too."""
    launch = local_today(bot, "UTC") + timedelta(days=60)
    words = f"on {launch.strftime('%B')} {launch.day}, {launch.year}"
    [question] = await bot.say(f"/advise launch {words} for my bakery, budget 3000 euros")
    [country_question] = await bot.press(question, "Any platform")
    [summary] = await bot.press(country_question, "Anywhere")
    assert f"Launch date: {format_date(launch, 'EEE dd MMM y', locale='en')}" in summary.text
    assert "€3,000" in summary.text


async def test_the_launch_date_waits_for_the_time_zone_of_a_new_user(
    new_user_bot: BotHarness,
) -> None:
    bot = new_user_bot
    bot.emulator.user_languages[USER] = "fr"
    [platform_question] = await bot.say("/conseil un lancement pour ma boulangerie, budget 800 €")
    [country_question] = await bot.press(platform_question, "Toutes plateformes")
    [zone_question] = await bot.press(country_question, "N’importe où")
    assert "Votre fuseau horaire" in zone_question.text  # the date is read in it
    zone_set, date_question = await bot.press(zone_question, "Europe/Paris", count=2)
    assert "Europe/Paris" in zone_set.text
    assert "Quand a lieu le lancement" in plain(date_question.text)
    assert date_question.button_texts() == ["Pas encore décidé"]
    launch = local_today(bot, "Europe/Paris") + timedelta(days=10)
    [summary] = await bot.say(f"le {launch.day} {format_date(launch, 'MMMM', locale='fr')}")
    assert "Date du lancement : " in plain(summary.text)

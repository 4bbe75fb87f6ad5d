"""/help, /language and /timezone typed inside an open form (the brief, Save as campaign, an
admin's /add and /import) answer and keep it open: the form asks its question again, and the
next answer goes on where the user was. In English and in French."""

from __future__ import annotations

from tests.conftest import ADMIN, USER, BotHarness, spaces_as_read
from tests.test_e2e_campaigns import save_a_week_campaign

HEADER = "name,handle,platform,niche,followers,engagement_rate,price_per_post\n"


async def test_help_timezone_and_language_keep_an_open_brief(bot: BotHarness) -> None:
    [goal_question] = await bot.say("/advise")
    [budget_question] = await bot.press(goal_question, "Sales")
    assert "How much can you spend" in budget_question.text
    listing, again = await bot.say("/help", count=2)
    assert "What I can do" in listing.text
    assert "How much can you spend" in again.text and "set your brief aside" not in listing.text
    zone_set, again = await bot.say("/timezone Paris", count=2)
    assert "Europe/Paris" in zone_set.text and "How much can you spend" in again.text
    [choose] = await bot.say("/language")
    done, again = await bot.press(choose, "Français", count=2)
    assert "je vous parle en français" in done.text
    assert "Votre brief est conservé" in spaces_as_read(done.text)
    assert "Combien pouvez-vous dépenser" in again.text
    [niche_question] = await bot.say("800")  # the budget: the brief went on where it was
    assert "niche" in niche_question.text.lower()


async def test_aide_langue_and_timezone_keep_an_open_brief_in_french(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr"
    [goal_question] = await bot.say("/conseil")
    [budget_question] = await bot.press(goal_question, "Ventes")
    listing, again = await bot.say("/aide", count=2)
    assert "Ce que je sais faire" in listing.text and "Combien pouvez-vous" in again.text
    zone_set, again = await bot.say("/timezone Bruxelles", count=2)
    assert "Fuseau horaire réglé sur Europe/Brussels" in zone_set.text
    assert "Combien pouvez-vous" in again.text
    [choose] = await bot.say("/langue")
    done, again = await bot.press(choose, "English", count=2)
    assert "I speak English" in done.text and "Your brief is kept" in done.text
    assert "How much can you spend" in again.text
    [niche_question] = await bot.say("900")
    assert "niche" in niche_question.text.lower() and budget_question is not None


async def _save_as_campaign(bot: BotHarness, save: str) -> None:
    [card] = await bot.say("/advise goal=sales budget=2000 niche=cooking")
    [ask_name] = await bot.press(card, save)
    assert ask_name.button_texts()


async def test_help_timezone_and_language_keep_save_as_campaign(bot: BotHarness) -> None:
    await _save_as_campaign(bot, "💾 Save as campaign")
    [ask_start] = await bot.say("Winter cookies")
    assert "When does it start" in ask_start.text
    listing, again = await bot.say("/help", count=2)
    assert "What I can do" in listing.text and "When does it start" in again.text
    zone_set, again = await bot.say("/timezone New York", count=2)
    assert "America/New_York" in zone_set.text and "When does it start" in again.text
    [choose] = await bot.say("/language")
    done, again = await bot.press(choose, "Français", count=2)
    assert "Ce que vous faisiez est conservé" in spaces_as_read(done.text)
    assert "Quand commence-t-elle" in again.text
    [ask_length] = await bot.press(again, "Demain")
    [schedule] = await bot.press(ask_length, ask_length.button_texts()[0])
    assert "Winter cookies" in schedule.text and "America/New_York" in schedule.text


async def test_aide_langue_and_timezone_keep_save_as_campaign_in_french(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr"
    await _save_as_campaign(bot, "💾 Enregistrer comme campagne")
    [ask_start] = await bot.say("Biscuits d'hiver")
    listing, again = await bot.say("/aide", count=2)
    assert "Ce que je sais faire" in listing.text and "Quand commence-t-elle" in again.text
    zone_set, again = await bot.say("/timezone Paris", count=2)
    assert "Europe/Paris" in zone_set.text and "Quand commence-t-elle" in again.text
    [choose] = await bot.say("/langue")
    done, again = await bot.press(choose, "English", count=2)
    assert "What you were doing is kept" in done.text and "When does it start" in again.text
    [ask_length] = await bot.press(again, "Tomorrow")
    [schedule] = await bot.press(ask_length, ask_length.button_texts()[0])
    assert "Biscuits d'hiver" in schedule.text and ask_start is not None


async def test_help_timezone_and_language_keep_an_admin_form(bot: BotHarness) -> None:
    [ask_name] = await bot.say("/add", user=ADMIN)
    [ask_platform] = await bot.say("Tom Knit", user=ADMIN)
    assert "Which platform" in ask_platform.text
    listing, again = await bot.say("/help", count=2, user=ADMIN)
    assert "What I can do" in listing.text and "Which platform" in again.text
    assert "/adminhelp" in listing.text
    zone_set, again = await bot.say("/timezone Paris", count=2, user=ADMIN)
    assert "Europe/Paris" in zone_set.text and "Which platform" in again.text
    [choose] = await bot.say("/language", user=ADMIN)
    done, again = await bot.press(choose, "Français", count=2, user=ADMIN)
    assert "Ce que vous faisiez est conservé" in spaces_as_read(done.text)
    [ask_handle] = await bot.press(again, "TikTok", user=ADMIN)
    assert "@" in ask_handle.text and ask_name is not None  # /add went on: its next field


async def test_aide_langue_and_timezone_keep_an_import_in_french(bot: BotHarness) -> None:
    bot.emulator.user_languages[ADMIN] = "fr"
    [ask_file] = await bot.say("/import", user=ADMIN)
    assert "Envoyez-moi la liste" in ask_file.text
    listing, again = await bot.say("/aide", count=2, user=ADMIN)
    assert "Ce que je sais faire" in listing.text and "Envoyez-moi la liste" in again.text
    zone_set, again = await bot.say("/timezone Paris", count=2, user=ADMIN)
    assert "Europe/Paris" in zone_set.text and "Envoyez-moi la liste" in again.text
    [choose] = await bot.say("/langue", user=ADMIN)
    done, again = await bot.press(choose, "English", count=2, user=ADMIN)
    assert "What you were doing is kept" in done.text and "Send me the roster" in again.text
    row = "Zed,@zedtest,blog,cooking,50k,9,100\n"
    [preview] = await bot.send_file("mine.csv", (HEADER + row).encode(), user=ADMIN)
    assert "Preview of mine.csv" in preview.text  # the import went on


async def test_another_command_still_closes_the_open_form(bot: BotHarness) -> None:
    await bot.say("/advise")
    left, listing = await bot.say("/reminders", count=2)
    assert "set your brief aside" in left.text and "No pending reminders" in listing.text


async def test_help_keeps_the_step_by_step_results_of_a_check_in(bot: BotHarness) -> None:
    await save_a_week_campaign(bot, "/advise goal=sales budget=2000 niche=travel")
    bot.clock.advance(days=1)
    before = len(bot.sent())
    bot.rearm()
    [checkin] = await bot._expect(USER, before, 1)
    [ask] = await bot.press(checkin, "📝 Enter results")
    [ask] = await bot.press(ask, "Step by step")
    [ask] = await bot.say("3000")  # reach: the next figure is asked
    listing, again = await bot.say("/help", count=2)
    assert "What I can do" in listing.text and again.text == ask.text
    for value in ("900", "40", "2", "100", "50"):
        [ask] = await bot.say(value)
    assert "Noted" in ask.text and "Spent: €50" in ask.text

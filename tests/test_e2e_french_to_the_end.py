"""End to end, French to the end: /aide names the French commands, the admin's previews name
the fields the French way, and a user's language follows their Telegram until they choose."""

from __future__ import annotations

import re

from tests.conftest import ADMIN, USER, BotHarness
from tests.conftest import spaces_as_read as _plain
from tests.test_e2e_campaigns import wait_sent

LEA_FR = (
    '/add nom="Léa Martin" compte=@leacuisine plateforme=instagram niche=cuisine '
    "abonnés=23,5k taux=7,5 prix=350"
)
LEA_EN = (
    '/add name="Léa Martin" handle=@leacuisine platform=instagram niche=cooking '
    "followers=23.5k er=7.5 price=350"
)


async def test_aide_names_the_french_commands_and_its_example_works(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr"
    [aide] = await bot.say("/aide")
    text = _plain(aide.text)
    for french in ("/conseil —", "/campagnes —", "/resultats —", "/rappel ", "/langue —"):
        assert french in text, (french, text)
    assert "/aide — cette liste" in text and "/annuler — arrêter" in text
    assert not re.search(r"/(advise|help|cancel|campaigns|results|remind|language)\b", text)
    assert "=" not in text  # no key=value: the quick form is in words
    [example] = [line for line in text.splitlines() if line.startswith("/conseil je tiens")]
    [question] = await bot.say(example)  # goal, budget and niche read from it
    assert question.text.startswith("Quelle plateforme"), question.text


async def test_help_in_english_is_unchanged(bot: BotHarness) -> None:
    [help_] = await bot.say("/help")
    assert "/advise —" in help_.text and "/help — this list" in help_.text
    assert "/advise I sell bread, budget €800, want sales" in help_.text


async def test_adminhelp_in_french_names_the_french_fields_and_filters(bot: BotHarness) -> None:
    bot.emulator.user_languages[ADMIN] = "fr"
    [help_] = await bot.say("/adminhelp", user=ADMIN)
    text = _plain(help_.text)
    assert "Commandes d’admin" in text
    assert "abonnés=24k taux=4,1 prix=350" in text and "plateforme:instagram palier:micro" in text
    assert "/sample retirer" in text
    for english in ("followers=", "price=", "platform:", "tier:", "/sample remove"):
        assert english not in text, english


async def test_admin_previews_in_french_name_fields_and_numbers_the_french_way(
    bot: BotHarness,
) -> None:
    bot.emulator.user_languages[ADMIN] = "fr"
    [draft] = await bot.say(LEA_FR, user=ADMIN)
    text = _plain(draft.text)
    assert "Prêt à ajouter" in text
    assert "• abonnés : 23 500" in text and "• taux_engagement : 7,5 %" in text
    assert "• plateforme : instagram" in text and "followers" not in text
    assert "ouvert_exclusivité : non" in text
    await bot.press(draft, "💾 Enregistrer", user=ADMIN)
    [hint] = await bot.say("/edit @leacuisine", user=ADMIN)
    assert re.search(r"/edit #\d+ prix=400 taux=4,5", hint.text), hint.text
    assert "Champs : nom, compte, plateforme" in _plain(hint.text)
    [preview] = await bot.say("/edit @leacuisine abonnés=25k taux=8,25", user=ADMIN)
    text = _plain(preview.text)
    assert "• abonnés : 23 500 → 25 000" in text
    assert "• taux_engagement : 7,5 % → 8,25 %" in text
    await bot.press(preview, "✅ Confirmer", user=ADMIN)
    [log] = await bot.say("/history @leacuisine", user=ADMIN)
    assert "abonnés : 23 500 → 25 000" in _plain(log.text) and "followers" not in log.text
    assert f"— ajout par {ADMIN}" in log.text and f"— modification par {ADMIN}" in log.text


async def test_admin_previews_in_english_are_as_typed(bot: BotHarness) -> None:
    [draft] = await bot.say(LEA_EN, user=ADMIN)
    assert "• followers: 23500" in draft.text and "• engagement_rate: 7.5" in draft.text
    await bot.press(draft, "💾 Save", user=ADMIN)
    [hint] = await bot.say("/edit @leacuisine", user=ADMIN)
    assert re.search(r"/edit #\d+ price=400 er=4.5", hint.text), hint.text
    [preview] = await bot.say("/edit @leacuisine followers=25k er=8.25", user=ADMIN)
    assert "• followers: 23500 → 25000" in preview.text
    assert "• engagement_rate: 7.5 → 8.25" in preview.text


async def _campaign_in_english(bot: BotHarness) -> None:
    [rec] = await bot.say("/advise goal=sales budget=2000 niche=cooking")
    [ask_name] = await bot.press(rec, "💾 Save as campaign")
    await bot.say("Winter cookies")
    [ask_length] = await bot.say("tomorrow")
    [schedule] = await bot.say("12 days")
    [saved] = await bot.press(schedule, "✅ Accept")
    assert "check-ins" in saved.text, (ask_name.text, ask_length.text, saved.text)


async def test_a_check_in_follows_the_telegram_language_of_the_latest_update(
    bot: BotHarness,
) -> None:
    await _campaign_in_english(bot)
    await bot.say("/remind in 3 hours call Léa")
    bot.emulator.user_languages[USER] = "fr-FR"  # the user's Telegram now speaks French
    [listing] = await bot.say("/campagnes")
    assert "Winter cookies" in listing.text and "Vos campagnes" in _plain(listing.text)
    bot.clock.advance(hours=3)
    [reminder] = await wait_sent(bot, 1)
    assert "call Léa" in reminder and "Rappel" in reminder
    bot.clock.advance(days=1, hours=12)
    [checkin] = await wait_sent(bot, 1)
    assert "Jour du lancement — Winter cookies" in checkin
    bot.emulator.user_languages[USER] = "en"  # and back: the next one in English
    await bot.say("/campaigns")
    bot.clock.advance(days=6)
    [checkin] = await wait_sent(bot, 1)
    assert "Winter cookies" in checkin and "Jour" not in checkin


async def test_a_chosen_language_wins_over_the_telegram_one_for_check_ins(
    bot: BotHarness,
) -> None:
    [question] = await bot.say("/language")
    await bot.press(question, "English")
    await _campaign_in_english(bot)
    bot.emulator.user_languages[USER] = "fr"
    [listing] = await bot.say("/campagnes")
    assert "Your campaigns" in listing.text
    bot.clock.advance(days=1, hours=12)
    [checkin] = await wait_sent(bot, 1)
    assert "Launch day — Winter cookies" in checkin

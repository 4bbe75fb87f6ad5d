"""End to end, French to the end: /aide names the French commands, the admin's previews name
the fields the French way, and a user's language follows their Telegram until they choose."""

from __future__ import annotations

import re

from tests.conftest import ADMIN, USER, BotHarness
from tests.conftest import spaces_as_read as _plain

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
    [example] = [line for line in text.splitlines() if line.startswith("/conseil ventes")]
    [question] = await bot.say(example)  # goal, budget, niche and platform read from it
    assert question.text.startswith("Où sont vos clients")


async def test_help_in_english_is_unchanged(bot: BotHarness) -> None:
    [help_] = await bot.say("/help")
    assert "/advise —" in help_.text and "/help — this list" in help_.text
    assert "/advise goal=sales budget=800 niche=cooking platform=instagram" in help_.text


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
    [preview] = await bot.say("/edit @leacuisine abonnés=25k taux=8,25", user=ADMIN)
    text = _plain(preview.text)
    assert "• abonnés : 23 500 → 25 000" in text
    assert "• taux_engagement : 7,5 % → 8,25 %" in text
    await bot.press(preview, "✅ Confirmer", user=ADMIN)
    [log] = await bot.say("/history @leacuisine", user=ADMIN)
    assert "abonnés : 23 500 → 25 000" in _plain(log.text) and "followers" not in log.text


async def test_admin_previews_in_english_are_as_typed(bot: BotHarness) -> None:
    [draft] = await bot.say(LEA_EN, user=ADMIN)
    assert "• followers: 23500" in draft.text and "• engagement_rate: 7.5" in draft.text
    await bot.press(draft, "💾 Save", user=ADMIN)
    [preview] = await bot.say("/edit @leacuisine followers=25k er=8.25", user=ADMIN)
    assert "• followers: 23500 → 25000" in preview.text
    assert "• engagement_rate: 7.5 → 8.25" in preview.text

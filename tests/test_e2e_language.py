"""The language the bot speaks: the user's Telegram language until /language, the command
menus per language, the French command names, and a language switch in the middle of a
brief that keeps its answers."""

from __future__ import annotations

from tests.conftest import USER, BotHarness
from tests.conftest import spaces_as_read as _plain


async def test_menus_in_each_language(bot: BotHarness) -> None:
    english = {c["command"]: c["description"] for c in bot.emulator.commands["default"]}
    french = {c["command"]: c["description"] for c in bot.emulator.commands["default/fr"]}
    assert english["advise"] == "Get a recommendation"
    assert english["language"] == "Choose your language"
    assert french["conseil"] == "Obtenir une recommandation"
    assert {"conseil", "rappel", "campagnes", "resultats", "langue"} <= set(french)
    assert "advise" not in french
    assert len(english) == len(french)


async def test_a_french_telegram_gets_french_and_english_stays_english(bot: BotHarness) -> None:
    [english] = await bot.say("/language")
    assert english.text.startswith("Which language")
    assert english.button_texts() == ["English", "Français"]
    bot.emulator.user_languages[USER] = "fr-CA"
    [french] = await bot.say("/langue")
    assert _plain(french.text).startswith("Dans quelle langue")


async def test_choosing_a_language_sticks_and_sets_the_chat_menu(bot: BotHarness) -> None:
    [question] = await bot.say("/language")
    [done] = await bot.press(question, "Français")
    assert _plain(done.text).startswith("Désormais, je vous parle en français")
    menu = {c["command"] for c in bot.emulator.commands[f"chat:{USER}"]}
    assert "conseil" in menu and "advise" not in menu
    # The choice outlives the update, whatever the user's Telegram speaks.
    [again] = await bot.say("/language")
    assert _plain(again.text).startswith("Dans quelle langue")
    [back] = await bot.press(again, "English")
    assert back.text.startswith("From now on I speak English")
    menu = {c["command"] for c in bot.emulator.commands[f"chat:{USER}"]}
    assert "advise" in menu


async def test_french_command_names_do_what_the_english_ones_do(bot: BotHarness) -> None:
    [english] = await bot.say("/advise")
    [french] = await bot.say("/conseil")
    assert french.button_texts() and len(french.buttons) == len(english.buttons)
    [reminders] = await bot.say("/rappel")
    assert "/" in reminders.text  # the usage, not "unknown command"
    for command in ("/campagnes", "/resultats"):
        [answer] = await bot.say(command)
        assert "don't know that command" not in answer.text


async def test_switching_language_mid_brief_keeps_the_answers(bot: BotHarness) -> None:
    [goal_question] = await bot.say("/advise")
    [budget_question] = await bot.press(goal_question, "Sales")
    [language_question] = await bot.say("/language")
    switched = await bot.press(language_question, "Français", count=2)
    assert "Votre brief est conservé" in _plain(switched[0].text)
    # The budget is asked again: the goal given before the switch is kept.
    assert _plain(switched[1].text) != _plain(goal_question.text)
    assert switched[1].button_texts() == budget_question.button_texts()
    # The budget is taken, and the next question is the niche's (had the goal been lost,
    # the goal would be asked again).
    [niche_question] = await bot.say("2000")
    assert niche_question.button_texts() != goal_question.button_texts()
    assert niche_question.button_texts() != switched[1].button_texts()


async def test_the_choice_outlives_a_restart(bot: BotHarness) -> None:
    [question] = await bot.say("/language")
    await bot.press(question, "Français")
    await bot.stop_bot()
    await bot.start_bot()
    [again] = await bot.say("/help")
    assert "Ce que je sais faire" in _plain(again.text)


async def test_niche_buttons_in_each_languages_own_order(bot: BotHarness) -> None:
    """The niches are listed by label, in the reader's language, whoever asked first."""
    french_user = USER + 1
    bot.emulator.user_languages[french_user] = "fr"
    [goal] = await bot.say("/conseil", user=french_user)
    [budget] = await bot.press(goal, "Ventes", user=french_user)
    [french] = await bot.say("800", user=french_user)
    [goal] = await bot.say("/advise")
    await bot.press(goal, "Sales")
    [english] = await bot.say("800")
    english_labels = english.button_texts()
    french_labels = french.button_texts()
    assert english_labels[:-1] == sorted(english_labels[:-1], key=str.lower)
    assert french_labels[:-1] == sorted(french_labels[:-1], key=str.lower)
    assert english_labels != french_labels
    assert budget is not None


async def test_language_fr_switches_at_once_and_a_name_it_doesnt_know_shows_the_buttons(
    bot: BotHarness,
) -> None:
    """`/language fr` was a picker needing a tap (a planner's read): it switches at once, as
    `/langue english` does back; a word it can't read shows the buttons."""
    [done] = await bot.say("/language fr")
    assert _plain(done.text).startswith("Désormais, je vous parle en français")
    menu = {c["command"] for c in bot.emulator.commands[f"chat:{USER}"]}
    assert "conseil" in menu
    [back] = await bot.say("/langue English")
    assert back.text.startswith("From now on I speak English")
    [question] = await bot.say("/language klingon")
    assert question.text.startswith("Which language")
    assert question.button_texts() == ["English", "Français"]


async def test_a_brief_written_in_french_is_answered_in_french(bot: BotHarness) -> None:
    """An owner whose Telegram speaks English writes their brief in French: the bot answers
    in French from then on (five of twenty-two French briefs got English replies), with the
    country and the shop's name the sentence gives kept; a chosen language still wins."""
    [basket] = await bot.say(
        "Je vends des bougies artisanales pour les ventes, budget 1500 €, Instagram, France, "
        "ma boutique s'appelle Atelier Lune"
    )
    assert _plain(basket.text).startswith("Combien un client dépense-t-il en moyenne")
    [summary] = await bot.press(basket, "Passer")
    text = _plain(summary.text)
    assert "Pays de l’audience : France" in text, text
    assert "Nom de la boutique : Atelier Lune" in text, text
    [card, *_chart] = await bot.press(summary, "✅ Obtenir ma recommandation")
    assert card.text.startswith("Recommandation"), card.text  # still French after a tap
    # Written in English again: English again.
    [question] = await bot.say("I sell handmade soap and I want more sales for my shop")
    assert question.text.startswith("How much"), question.text
    # A language chosen with /language wins over the language a message is written in.
    await bot.say("/language fr")
    [still] = await bot.say("I sell handmade soap and I want more sales for my shop")
    assert _plain(still.text).startswith("Combien"), still.text


async def test_a_telegram_language_changed_since_a_written_one_wins(bot: BotHarness) -> None:
    """The newer sign wins: a French sentence from an English Telegram gets French, until
    the user's Telegram itself changes language."""
    [french] = await bot.say("Je vends des bougies et je veux plus de ventes pour ma boutique")
    assert _plain(french.text).startswith("Combien")
    await bot.say("/cancel")
    [still] = await bot.say("/help")
    assert "/conseil" in still.text
    bot.emulator.user_languages[USER] = "de"  # their Telegram now speaks German: English here
    [english] = await bot.say("/help")
    assert "/advise" in english.text and "/conseil" not in english.text

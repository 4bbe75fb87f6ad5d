"""End to end, in French and English: a brief typed as people type on a phone — `500e` at
the budget question, `bjr, j'ai un resto a lyon, je veux + de clients, 1000e` in a plain
message, `je vends du pain` (bread in French; `pain relief` is no bakery in English)."""

from __future__ import annotations

from tests.conftest import USER, BotHarness
from tests.conftest import spaces_as_read as _plain


async def test_500e_at_the_budget_question_in_french(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr"
    [goal_question] = await bot.say("/conseil")
    await bot.press(goal_question, "Ventes")
    [niche_question] = await bot.say("500e")
    assert "Dans quelle niche" in _plain(niche_question.text), niche_question.text


async def test_500e_at_the_budget_question_in_english(bot: BotHarness) -> None:
    [goal_question] = await bot.say("/advise")
    await bot.press(goal_question, "Sales")
    [niche_question] = await bot.say("1.5k e")
    assert "niche" in niche_question.text.lower(), niche_question.text
    assert "Budget" not in niche_question.text, niche_question.text


async def _summary_of(bot: BotHarness, text: str, any_platform: str) -> str:
    [platform_question] = await bot.say(text)
    assert any_platform in platform_question.button_texts(), platform_question.text
    [next_question] = await bot.press(platform_question, any_platform)
    [summary] = await bot.press(next_question, next_question.button_texts()[0])
    return _plain(summary.text)


async def test_a_french_brief_typed_on_a_phone_starts_with_all_four(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr"
    summary = await _summary_of(
        bot, "bjr, j'ai un resto a lyon, je veux + de clients, 1000e", "Toutes plateformes"
    )
    for line in ("Objectif : Ventes", "Budget : 1 000 €", "Restaurant", "France"):
        assert line in summary, summary


async def test_an_english_brief_typed_on_a_phone_starts_with_all_four(bot: BotHarness) -> None:
    summary = await _summary_of(
        bot, "hi, i have a resto in lyon, need + customers, 1000e", "Any platform"
    )
    for line in ("Goal: Sales", "Budget: €1,000", "Niche: Restaurants", "France"):
        assert line in summary, summary


async def test_je_vends_du_pain_is_a_bakery(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr"
    [goal_question] = await bot.say("je vends du pain")
    assert "objectif" in _plain(goal_question.text), goal_question.text
    await bot.press(goal_question, "Ventes")
    [platform_question] = await bot.say("800e")
    assert "Toutes plateformes" in platform_question.button_texts(), platform_question.text


async def test_pain_at_the_niche_question_in_french_and_not_in_english(bot: BotHarness) -> None:
    [goal_question] = await bot.say("/advise")
    await bot.press(goal_question, "Sales")
    await bot.say("500 euros")
    [again] = await bot.say("pain relief cream")
    assert "niche" in again.text.lower() and "Any platform" not in again.button_texts()
    bot.emulator.user_languages[USER] = "fr"
    [goal_question] = await bot.say("/conseil")
    await bot.press(goal_question, "Ventes")
    await bot.say("500 balles")
    [platform_question] = await bot.say("pain")
    assert "Toutes plateformes" in platform_question.button_texts(), platform_question.text

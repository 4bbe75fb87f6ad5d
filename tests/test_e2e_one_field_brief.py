"""One field starts a brief: a plain message naming a goal, a budget or a niche starts one,
keeping what it said and asking the rest; results at a waiting check-in, questions in words,
a bare figure and small talk go where they went before. In English and in French."""

from __future__ import annotations

from tests.conftest import USER, BotHarness, spaces_as_read

GOAL_EN, GOAL_FR = "What is the campaign for?", "Quel est l’objectif de la campagne"
FALLBACK_EN, FALLBACK_FR = "question in words", "/conseil"


async def test_one_field_starts_a_brief_keeping_it(bot: BotHarness) -> None:
    [goal_question] = await bot.say("I have a bakery")
    assert GOAL_EN in goal_question.text
    [budget_question] = await bot.press(goal_question, "Sales")
    [platform_question] = await bot.say("800")  # the niche was kept: not asked
    assert "Which platform" in platform_question.text and budget_question is not None
    await bot.say("/cancel")
    [goal_question] = await bot.say("budget 500")
    [niche_question] = await bot.press(goal_question, "Awareness / reach")
    assert "niche" in niche_question.text.lower()  # the budget was kept
    await bot.say("/cancel")
    [budget_question] = await bot.say("I want more sales")
    assert "How much can you spend" in budget_question.text


async def test_small_talk_a_bare_figure_and_questions_start_no_brief(bot: BotHarness) -> None:
    for text in ("thanks", "ok", "800", "sales 12, spent 1160"):
        [fallback] = await bot.say(text)
        assert FALLBACK_EN in fallback.text and GOAL_EN not in fallback.text, text
    for text in ("hello", "Hi!", "hey 👋", "good morning"):  # a hello gets the welcome
        [welcome] = await bot.say(text)
        assert welcome.text.startswith("Hello! I help small businesses"), text
        assert welcome.button_texts() == ["Get a recommendation"]
    [answer] = await bot.say("what is a micro-influencer?")
    assert answer.text.startswith("By followers:")
    [cant] = await bot.say("which niche suits a bakery?")  # a question naming a niche
    assert "I can't answer that one" in cant.text and GOAL_EN not in cant.text


async def test_one_field_starts_a_brief_in_french(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr"
    [goal_question] = await bot.say("j'ai une boulangerie")
    assert GOAL_FR in goal_question.text
    await bot.say("/annuler")
    [goal_question] = await bot.say("budget 500 €")
    assert GOAL_FR in goal_question.text
    await bot.say("/annuler")
    [budget_question] = await bot.say("je veux plus de ventes")
    assert "Combien pouvez-vous dépenser" in budget_question.text
    await bot.say("/annuler")
    for text in ("merci", "ok"):
        [fallback] = await bot.say(text)
        assert FALLBACK_FR in fallback.text and GOAL_FR not in fallback.text, text
    for text in ("bonjour", "Salut !", "bjr", "coucou 🙂"):
        [welcome] = await bot.say(text)
        assert welcome.text.startswith("Bonjour"), (text, welcome.text)
    [answer] = await bot.say("c'est quoi un micro-influenceur ?")
    assert spaces_as_read(answer.text).startswith("En abonnés :")


async def _checkin_waiting(bot: BotHarness, advise: str) -> None:
    """A saved campaign whose first check-in reached the user (it waits for results)."""
    await bot.say("/timezone Paris")
    [card] = await bot.say(advise)
    save = next(label for label in card.button_texts() if label.startswith("💾"))
    [ask_name] = await bot.press(card, save)
    assert ask_name.button_texts()
    [ask_start] = await bot.press(ask_name, ask_name.button_texts()[0])
    [ask_length] = await bot.press(ask_start, ask_start.button_texts()[0])  # today
    [schedule] = await bot.press(ask_length, ask_length.button_texts()[0])  # 1 week
    await bot.press(schedule, schedule.button_texts()[0])  # accept
    bot.clock.advance(days=1)
    before = len(bot.sent())
    bot.rearm()
    await bot._expect(USER, before, 1)


async def test_at_a_check_in_results_are_results_and_one_field_is_no_brief(
    bot: BotHarness,
) -> None:
    await _checkin_waiting(bot, "/advise goal=sales budget=2000 niche=travel")
    [not_a_brief] = await bot.say("I have a bakery")
    assert FALLBACK_EN in not_a_brief.text and GOAL_EN not in not_a_brief.text
    [noted] = await bot.say("sales 12")
    assert "Noted" in noted.text


async def test_at_a_check_in_results_are_results_in_french(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr"
    await _checkin_waiting(bot, "/conseil objectif=ventes budget=2000 niche=voyage")
    [not_a_brief] = await bot.say("j'ai une boulangerie")
    assert GOAL_FR not in not_a_brief.text
    [noted] = await bot.say("ventes 12")
    assert "C’est noté" in noted.text

"""A question in words typed inside a form is answered, and the form asks its question again
(issue 22: "Questions in words … get a short sourced answer"): never taken for an answer."""

from __future__ import annotations

from tests.conftest import USER, BotHarness, spaces_as_read


async def test_a_question_at_the_niche_question_is_answered_and_the_brief_goes_on(
    bot: BotHarness,
) -> None:
    [goal_question] = await bot.say("/advise")
    await bot.press(goal_question, "Sales")
    [niche_question] = await bot.say("800")
    answer, again = await bot.say("what is a micro-influencer?", count=2)
    assert answer.text.startswith("By followers:"), answer.text
    assert again.text == niche_question.text  # the same question, nothing taken
    [platform_question] = await bot.say("cooking")
    assert "Which platform?" in platform_question.text
    answer, again = await bot.say("is tiktok better than instagram for a small shop?", count=2)
    assert "social networks" in answer.text and "I don't know the platform" not in answer.text
    assert "Which platform?" in again.text


async def test_a_question_inside_a_brief_in_french(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr"
    [goal_question] = await bot.say("/conseil")
    answer, again = await bot.say("c est quoi un micro-influenceur ?", count=2)
    assert spaces_as_read(answer.text).startswith("En abonnés :"), answer.text
    assert again.text == goal_question.text


async def test_a_brief_sentence_with_a_question_mark_is_still_a_brief(bot: BotHarness) -> None:
    await bot.say("/advise")
    [reply] = await bot.say("I own a bakery and have 800 euros, I want more sales. What now?")
    assert "By followers" not in reply.text
    assert "I didn't catch that goal" not in reply.text

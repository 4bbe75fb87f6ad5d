"""End to end, plain words: /advise followed by a sentence."""

from __future__ import annotations

from tests.conftest import BotHarness
from tests.test_e2e_advise import assert_recommendation


async def test_an_advise_sentence_fills_goal_budget_and_niche_and_asks_only_the_platform(
    bot: BotHarness,
) -> None:
    [platform_question] = await bot.say(
        "/advise I sell handmade candles, budget 500 euros, want more sales"
    )
    assert "Which platform" in platform_question.text
    [basket_question] = await bot.press(platform_question, "Any platform")
    assert "spend on average" in basket_question.text  # a guided sales brief asks (skippable)
    [summary] = await bot.press(basket_question, "Skip")
    for line in ("Goal: Sales", "Budget: €500", "Niche: Candles", "Platform: any"):
        assert line in summary.text, summary.text
    [card] = await bot.press(summary, "✅ Get my recommendation")
    assert_recommendation(card)
    assert "Sales · €500 · Candles · any platform" in card.text


async def test_an_advise_sentence_with_a_platform_goes_straight_to_the_summary(
    bot: BotHarness,
) -> None:
    [summary] = await bot.say("/advise launching a new cookbook, €2k, on Instagram, cooking")
    assert "Goal: Product launch" in summary.text and "Budget: €2,000" in summary.text
    assert "Niche: Cooking" in summary.text and "Platform: Instagram" in summary.text
    [question] = await bot.say("/advise my shop needs help")  # nothing to read: step by step
    assert "campaign for" in question.text

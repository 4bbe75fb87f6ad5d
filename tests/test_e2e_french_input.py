"""End to end: a brief and a reminder typed in French, the interface left in English."""

from __future__ import annotations

from tests.conftest import BotHarness
from tests.test_e2e_advise import assert_recommendation
from tests.test_e2e_campaigns import wait_sent


async def test_a_french_one_line_brief_without_the_command(bot: BotHarness) -> None:
    [card] = await bot.say("objectif=ventes budget=2 000 € niche=cuisine plateforme=Insta")
    assert_recommendation(card)
    assert "Sales · €2,000 · Cooking · Instagram" in card.text, card.text


async def test_a_french_reminder_is_sent_the_next_morning(bot: BotHarness) -> None:
    [answer] = await bot.say("/remind demain 9h appeler Léa")
    assert "OK, I'll remind you" in answer.text and "at 09:00" in answer.text
    bot.clock.advance(days=2)
    [text] = await wait_sent(bot, 1)
    assert "Reminder" in text and "appeler Léa" in text

"""End to end, in English and French: a "test" never swallows the budget, the platform asked
is booked first and widening is said truly, and Why always gives a reason or says there is
none (a new-user tester's findings on the sample roster)."""

from __future__ import annotations

from tests.conftest import USER, BotHarness
from tests.test_e2e_french_brief import _view as view

FLORIST = "goal=sales budget=180 niche=florist platform=instagram order_value=40 margin=30"
MACRO_COMMUNITY = "goal=community budget=2000 niche=fashion platform=instagram"
VEGAN = "goal=community budget=3000 niche=vegan skincare platform=instagram country=FR"


async def test_a_test_too_dear_for_its_share_books_no_one_and_says_so(bot: BotHarness) -> None:
    [card] = await bot.say(f"/advise {FLORIST}")
    lines = card.text.splitlines()
    assert lines[1] == (  # (the test notice says why nothing is booked: said once)
        "🧪 No sales campaign pays back here, and no creator fits a test of 25% of the budget"
        " (€45): nothing booked."
    )
    assert "no one here can be booked yet" not in card.text
    assert "don't fit this budget" not in card.text
    why = await view(bot, card, "💡 Why")
    assert "no creator fits a small test: at most 25% of the budget (€45)" in why.text
    assert "the least a fairly paid post costs is €50 (our fair-pay floor)" in why.text
    assert "own code or link" not in why.text  # (no tracking advice for what is not run)


async def test_a_test_too_dear_for_its_share_in_french(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr"
    [card] = await bot.say(f"/conseil {FLORIST}")
    lines = card.text.splitlines()
    assert lines[1] == (
        "🧪 Aucune campagne de ventes n’est rentable ici, et aucun créateur ne tient dans un test"
        " de 25\u00a0% du budget (45\u00a0€)\u00a0: rien n’est réservé."
    )
    why = await view(bot, card, "💡 Pourquoi")
    assert "coûte au moins 50\u00a0€ (notre plancher de juste rémunération)" in why.text


async def test_the_platform_asked_is_booked_and_widening_said_truly(bot: BotHarness) -> None:
    [card] = await bot.say(f"/advise {VEGAN}")
    assert "· Instagram ·" in card.text  # an Instagram creator is in the plan
    assert "No one on Instagram could be booked" not in card.text
    assert "mega" not in card.text.splitlines()[0]
    why = await view(bot, card, "💡 Why")
    assert "Only 1 creator on Instagram could be booked, so the plan also looks at" in why.text


async def test_the_platform_asked_is_booked_in_french(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr"
    [card] = await bot.say(f"/conseil {VEGAN}")
    assert "· Instagram ·" in card.text
    why = await view(bot, card, "💡 Pourquoi")
    assert "Personne sur Instagram n’était réservable" not in why.text
    assert "Seul 1 créateur sur Instagram était réservable" in why.text


async def test_why_says_so_when_the_sources_give_no_reason(bot: BotHarness) -> None:
    """A community plan the roster makes macro: the sources argue for macro on no community
    goal."""
    [card] = await bot.say(f"/advise {MACRO_COMMUNITY}")
    assert card.text.startswith("Recommendation: macro-influencers")
    why = await view(bot, card, "💡 Why")
    bullets = [line for line in why.text.splitlines() if line.startswith("• ")]
    assert bullets[0].startswith("• The sources give no reason for this case: the plan follows")
    bot.emulator.user_languages[USER] = "fr"
    [card] = await bot.say(f"/conseil {MACRO_COMMUNITY}")
    why = await view(bot, card, "💡 Pourquoi")
    bullets = [line for line in why.text.splitlines() if line.startswith("• ")]
    assert bullets[0].startswith("• Les sources ne donnent pas de raison pour ce cas\u00a0:")

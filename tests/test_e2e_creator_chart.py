"""End to end (issue 23, part 7): once results per creator are entered at a check-in, a chart
of each side and each creator against their own forecast follows the reply, in the owner's
language, its caption saying the sides in words; the campaign's card sends it too. Nothing
saved (a creator given twice), no chart."""

from __future__ import annotations

import html
import re

from knowledge.campaigns.by_creator import by_creator
from tests.conftest import USER, BotHarness
from tests.conftest import spaces_as_read as plain
from tests.test_e2e_campaign_changes import open_card
from tests.test_e2e_campaigns import wait_sent
from tests.test_e2e_charts import PNG, chart_bot, phone_sized
from tests.test_e2e_pipeline import creators

__all__ = ["chart_bot"]  # the fixture, used by name


async def save_mixed_campaign(bot: BotHarness) -> None:
    """A sales plan with micro and macro creators (its card, then its chart), saved from
    tomorrow for two weeks."""
    rec, chart = await bot.say("/advise goal=sales budget=30000 niche=cooking", 2)
    assert "micro" in rec.text and "macro" in rec.text and chart.photo is not None
    [ask] = await bot.press(rec, "💾 Save as campaign")
    [ask] = await bot.say("Big cookies")
    [ask] = await bot.press(ask, "Tomorrow")
    [schedule] = await bot.press(ask, "2 weeks")
    await bot.press(schedule, "✅ Accept")


async def test_a_chart_per_side_and_creator_follows_their_results(chart_bot: BotHarness) -> None:
    bot = chart_bot
    await save_mixed_campaign(bot)
    booked = [c for c in creators(bot) if c.wave == 1]
    macro = next(c for c in booked if c.side == "macro")
    micro = next(c for c in booked if c.side == "micro")
    bot.clock.advance(days=15)
    await wait_sent(bot, 3)

    # A creator given twice: nothing saved, no chart (the next reply is the one below).
    [twice] = await bot.say(f"{micro.handle} 4 sales\n{micro.handle} 5 sales")
    assert "Nothing was saved." in twice.text

    saved, picture = await bot.say(f"{macro.handle} 12 sales\n{micro.promo_code} 2 sales", 2)
    assert "✅ Saved for 2 creators." in saved.text and saved.photo is None
    assert picture.photo is not None and bot.file(picture).startswith(PNG)
    assert phone_sized(bot.file(picture))
    title, sides, legend = plain(picture.text).splitlines()
    assert title == "Sales: micro against macro and each creator, against their own forecasts"
    # The sides in words, as the reply above says them.
    by = by_creator(
        {"metric": "conversions"},
        "sales",
        creators(bot),
        [
            {"creator_id": macro.id, "stage": "last", "conversions": 12},
            {"creator_id": micro.id, "stage": "last", "conversions": 2},
        ],
    )
    assert by is not None
    for side, words in zip(by.sides, sides.removesuffix(".").split("; "), strict=True):
        name = {"micro": "Micro-influencers", "macro": "Macro-influencers"}[side.side]
        assert words.startswith(f"{name} {side.actual}, ")
        assert re.search(r"(above|within|below) the forecast [\d.,–k]+$", words), words
    assert legend.startswith("Bars: what each side and creator reported; lines:")

    # The campaign's card: its results, then the charts (all results, and per creator).
    before = len(bot.sent())
    card = await open_card(bot)
    assert f"{macro.name} {macro.handle}: 12 (forecast " in card.text

    def per_creator() -> list[str]:
        return [plain(m.text) for m in bot.sent()[before:] if m.photo is not None]

    await bot.emulator.wait_for(lambda: any(t.startswith("Sales: micro") for t in per_creator()))
    assert [t.splitlines()[1] for t in per_creator() if t.startswith("Sales: micro")] == [sides]


async def test_in_french_the_chart_speaks_french(chart_bot: BotHarness) -> None:
    bot = chart_bot
    await save_mixed_campaign(bot)
    macro = next(c for c in creators(bot) if c.wave == 1 and c.side == "macro")
    bot.clock.advance(days=15)
    await wait_sent(bot, 3)
    bot.emulator.user_languages[USER] = "fr"
    saved, picture = await bot.say(f"{macro.handle} 12 ventes", 2)
    assert "Par créateur" in html.unescape(saved.text) and picture.photo is not None
    title, sides, legend = plain(picture.text).splitlines()
    assert (
        title == "Ventes : micro contre macro et chaque créateur, face à leurs propres prévisions"
    )
    assert sides.startswith("Macro-influenceurs : 12, ")
    assert legend.startswith("Barres : ce que chaque groupe et chaque créateur a obtenu ;")

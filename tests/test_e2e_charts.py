"""End to end: a chart after each recommendation's card, and results against the forecast
as a chart at a check-in and on /results; drawn off the event loop, each with a caption
that says the same in words."""

from __future__ import annotations

import asyncio
import dataclasses
import math
import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Engine

from bot.settings import Settings
from handlers.services import SERVICES_KEY, Services
from knowledge.base import KnowledgeBase
from knowledge.pictures.charts import Chart, draw
from tests.conftest import USER, BotHarness, eventually, spaces_as_read
from tests.test_charts import png_size
from tests.test_e2e_campaigns import wait_sent

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def chart_bot(
    settings: Settings, engine: Engine, kb: KnowledgeBase
) -> AsyncIterator[BotHarness]:
    harness = BotHarness(settings.model_copy(update={"charts": True}), engine, kb)
    await harness.start_bot()
    try:
        yield harness
    finally:
        await harness.stop_bot()
        await harness.emulator.stop()


class GatedDrawer:
    """Draws only once the test opens the gate, to show what the bot does meanwhile."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.waiting = 0

    async def draw(self, chart: Chart) -> bytes:
        self.waiting += 1
        await self.gate.wait()
        return draw(chart)


def phone_sized(png: bytes) -> bool:
    width, height = png_size(png)
    return width >= 1080 and height >= width


async def test_the_card_comes_first_then_a_chart_saying_the_same(chart_bot: BotHarness) -> None:
    card, picture = await chart_bot.say("/advise goal=awareness budget=3000 niche=cooking", 2)
    assert card.text.startswith("Recommendation:") and card.photo is None
    assert picture.photo is not None and chart_bot.file(picture).startswith(PNG)
    assert phone_sized(chart_bot.file(picture))
    # The card gives the cost of 1,000 people as a range, each end from the range beside it.
    found = re.findall(
        r"(€[\d,.]+) of €3,000 · ([\d.]+)–([\d.]+)k people reached · €([\d,]+)–€([\d,]+) per 1,000",
        card.text,
    )
    spent, low, high, cheap, dear = found[0]
    cost = float(spent[1:].replace(",", ""))
    assert int(cheap) == pytest.approx(cost / float(high), rel=0.06)
    assert int(dear) == pytest.approx(cost / float(low), rel=0.06)
    amount = f"{low}–{high}k people reached"
    title, this_plan, *others, legend = picture.text.splitlines()
    assert title == "What €3,000 buys"
    assert this_plan == f"This plan, {spent}: {amount}"  # the card's words and figures
    assert all(o.startswith(("All micro, €", "All macro, €")) for o in others)
    assert legend == "Bars: the middle forecast; lines: its range."


async def test_a_sales_chart_shows_the_break_even_the_card_gives(chart_bot: BotHarness) -> None:
    brief = "/advise goal=sales budget=800 niche=cooking order_value=12 margin=60"
    card, picture = await chart_bot.say(brief, 2)
    assert phone_sized(chart_bot.file(picture))
    lines = picture.text.splitlines()
    assert lines[-2] == "Dashed marks: the sales each plan needs to pay for itself.", lines
    needed = re.fullmatch(r"This plan, €[\d,.]+: (.+); pays back at (\d+)", lines[1])
    assert needed is not None, lines
    assert f"{needed[2]} sales" in card.text
    amount = re.findall(r"€[\d,.]+ of €800 · ([^·\n]+) · ", card.text)[0]
    assert needed[1] == amount
    # Each other plan pays back at what it costs over what a sale earns back: €12 × (60 %
    # margin − 10 % off the promo code).
    for other in lines[2:-2]:
        cost, at = re.fullmatch(r"All m\w+, €([\d,.]+): .+; pays back at (\d+)", other).groups()
        assert int(at) == math.ceil(float(cost.replace(",", "")) / 6), other


async def test_the_chart_in_french(chart_bot: BotHarness) -> None:
    chart_bot.emulator.user_languages[USER] = "fr"
    brief = "/conseil goal=sales budget=800 niche=cooking order_value=12 margin=60"
    card, picture = await chart_bot.say(brief, 2)
    assert phone_sized(chart_bot.file(picture))
    text = spaces_as_read(picture.text)
    lines = text.splitlines()
    assert lines[0] == "Ce que permettent 800 €"
    assert lines[-2] == (
        "Traits pointillés : les ventes qu’il faut à chaque plan pour être rentable."
    ), lines
    needed = re.search(r" ; rentable à partir de (\d+)$", lines[1])
    assert needed is not None, lines
    assert f"{needed[1]} ventes" in spaces_as_read(card.text)
    spent = re.findall(r"· ([\d ,]+ €) sur 800 €", spaces_as_read(card.text))[0]
    assert lines[1].startswith(f"Ce plan, {spent} : ")
    assert lines[-1] == "Barres : la prévision médiane ; traits : sa fourchette."


async def test_a_pending_chart_holds_up_neither_its_user_nor_another(
    chart_bot: BotHarness,
) -> None:
    assert chart_bot.application is not None
    drawer = GatedDrawer()
    services: Services = chart_bot.application.bot_data[SERVICES_KEY]
    chart_bot.application.bot_data[SERVICES_KEY] = dataclasses.replace(services, charts=drawer)
    try:
        [card] = await chart_bot.say("/advise goal=sales budget=2000 niche=travel")
        [helped] = await chart_bot.say("/help")  # the same user goes on at once
        assert "/advise" in helped.text
        brief = "/advise goal=awareness budget=900 niche=diy"
        [other] = await chart_bot.say(brief, user=USER + 1)
        assert card.text.startswith("Recommendation:")
        assert other.text.startswith("Recommendation:")
        await eventually(lambda: drawer.waiting == 2)
        assert not [m for u in (USER, USER + 1) for m in chart_bot.sent(u) if m.photo is not None]
        drawer.gate.set()
        for user, replies in ((USER, 2), (USER + 1, 1)):
            [picture] = await chart_bot._expect(user, replies, 1)
            assert picture.photo is not None and chart_bot.file(picture).startswith(PNG)
    finally:
        drawer.gate.set()
        # The bot's own chart workers, started with it, are stopped with it (none left).
        chart_bot.application.bot_data[SERVICES_KEY] = services


async def test_results_get_a_chart_at_the_check_in_and_on_results(chart_bot: BotHarness) -> None:
    card, _picture = await chart_bot.say("/advise goal=sales budget=2000 niche=cooking", 2)
    [ask] = await chart_bot.press(card, "💾 Save as campaign")
    [ask] = await chart_bot.press(ask, ask.button_texts()[0])
    [ask] = await chart_bot.press(ask, "Today")
    [schedule] = await chart_bot.press(ask, "1 week")
    await chart_bot.press(schedule, "✅ Accept")
    [campaign] = await chart_bot.say("/campaigns")
    [campaign_card] = await chart_bot.press(campaign, "1")
    assert "Results" in campaign_card.text  # no results yet: no chart (the next reply is ours)
    chart_bot.clock.advance(days=1)
    await wait_sent(chart_bot, 1)
    thanks, picture = await chart_bot.say("reach=12k sales=3 spent=800", 2)
    assert "Noted" in thanks.text and picture.photo is not None
    assert chart_bot.file(picture).startswith(PNG)
    caption = picture.text
    # On launch day the totals so far are not called behind the whole campaign's forecast.
    assert caption.startswith("Results so far against the whole campaign's forecast: people")
    assert "engagements" not in caption  # only what was reported
    assert "below" not in caption and "judge by cost per unit" in caption
    for measure, words in (("People reached", "people reached 12k"), ("Sales", "sales 3")):
        figures = re.search(rf"{measure}: ([\d.,k]+) \(forecast ([\d.,k]+–[\d.,k]+)\)", thanks.text)
        assert figures is not None, measure
        assert f"{words} (forecast {figures[2]})" in caption
    results, again = await chart_bot.say("/results", 2)
    assert "People reached: 12k" in results.text and again.text == caption

"""End to end: a chart after each recommendation's card, and results against the forecast
as a chart at a check-in and on /results; drawn off the event loop, each with a caption
that says the same in words."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Engine

from bot.settings import Settings
from handlers.services import SERVICES_KEY, Services
from knowledge.base import KnowledgeBase
from knowledge.pictures.charts import Chart, draw
from tests.conftest import USER, BotHarness, eventually
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


async def test_the_card_comes_first_then_a_chart_saying_the_same(chart_bot: BotHarness) -> None:
    card, picture = await chart_bot.say("/advise goal=awareness budget=3000 niche=cooking", 2)
    assert card.text.startswith("Recommendation:") and card.photo is None
    assert picture.photo is not None and chart_bot.file(picture).startswith(PNG)
    spent, reach = re.findall(
        r"(€[\d,]+) of €3,000 · ([\d.,k]+–[\d.,k]+) people reached", card.text
    )[0]
    caption = picture.text
    assert caption.startswith("What €3,000 buys: This plan €")
    assert f"for {reach} people reached" in caption.split(";")[0]
    assert (
        abs(
            int(caption.split("This plan €")[1].split(" ")[0].replace(",", ""))
            - int(spent[1:].replace(",", ""))
        )
        <= 1
    )
    assert "Bars: the middle forecast; lines: its range." in caption


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
    finally:
        drawer.gate.set()
    for user, replies in ((USER, 2), (USER + 1, 1)):
        [picture] = await chart_bot._expect(user, replies, 1)
        assert picture.photo is not None and chart_bot.file(picture).startswith(PNG)


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

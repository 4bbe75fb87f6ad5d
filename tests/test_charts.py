"""The pictures: what they show, and captions that say the same in words."""

from __future__ import annotations

import os
import struct
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.charts import NICENESS, WARM_UP, ChartWorkers
from knowledge.advice.stored import StoredBrief, StoredForecast, StoredPlan, StoredRecommendation
from knowledge.base import Metric
from knowledge.campaigns.checkins import Comparison
from knowledge.pictures.charts import draw, plan_chart, results_chart
from knowledge.writing.render import render
from knowledge.writing.replies import Template


def plan(label: str, people: int, spent: int, sales: list[float], key: list[Any]) -> StoredPlan:
    forecast = StoredForecast.model_construct(
        conversions=sales, reach=[x * 1000 for x in sales], engagements=[], clicks=[]
    )
    return StoredPlan.model_construct(
        label=label,
        people=people,
        spent_cents=spent,
        budget_cents=300_000,
        forecast=forecast,
        key=key,
    )


def stored(micro_is_plan: bool = False, nobody: bool = False) -> StoredRecommendation:
    people = 0 if nobody else 5
    this = plan("plan", people, 299_243, [8.0, 30.0, 99.0], [[1, 1, 1]])
    micro = plan(
        "micro", people, 299_243, [8.0, 30.0, 99.0], [[1, 1, 1]] if micro_is_plan else [[2, 1, 1]]
    )
    macro = plan("macro", people, 254_539, [0.0, 2.0, 11.0], [[3, 1, 1]])
    return StoredRecommendation.model_construct(
        plan=this,
        all_micro=micro,
        all_macro=macro,
        metric="conversions",
        brief=StoredBrief.model_construct(currency="EUR"),
    )


def comparison(actual: dict[str, int], partial: bool = False) -> Comparison:
    return Comparison(
        metric=Metric.CONVERSIONS,
        actual=actual,
        forecast={"reach": [15_000.0, 22_000.0, 34_000.0], "conversions": [4.0, 12.0, 51.0]},
        forecast_spent_cents=200_000,
        standing=None,
        judged_on=None,
        actual_cost=None,
        forecast_cost=None,
        per=1,
        roi=None,
        partial=partial,
    )


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_plan_chart_shows_each_plan_on_cost_and_the_goals_measure() -> None:
    chart = plan_chart(stored())
    assert chart is not None
    cost, measure = chart.panels
    assert chart.title == "What €3,000 buys"
    assert [b.label for b in cost.bars] == ["This plan", "All micro", "All macro"]
    assert [b.mid for b in cost.bars] == [2992.43, 2992.43, 2545.39]
    assert [b.text for b in cost.bars] == ["€2,992", "€2,992", "€2,545"]
    assert measure.title == "Sales (range)"
    assert [(b.low, b.mid, b.high) for b in measure.bars][2] == (0.0, 2.0, 11.0)
    caption = render(Template.CHART_PLAN_CAPTION, chart=chart, metric="conversions")
    assert caption == (
        "What €3,000 buys: This plan €2,992 for 8–99 sales; all micro €2,992 for 8–99 sales; "
        "all macro €2,545 for 0–11 sales. Bars: the middle forecast; lines: its range."
    )
    assert png_size(draw(chart)) == (720, 295)


def test_an_alternative_that_is_the_plan_is_drawn_once_and_an_empty_plan_not_at_all() -> None:
    chart = plan_chart(stored(micro_is_plan=True))
    assert chart is not None
    assert [b.label for b in chart.panels[0].bars] == ["This plan", "All macro"]
    assert plan_chart(stored(nobody=True)) is None


def test_the_results_chart_shows_only_what_was_reported() -> None:
    assert results_chart(comparison({"spent_cents": 80_000})) is None
    chart = results_chart(comparison({"reach": 40_000, "conversions": 3}))
    assert chart is not None
    assert chart.title == "Results so far against the forecast"
    assert [b.label for b in chart.panels[0].bars] == ["People reached", "Sales"]
    caption = render(Template.CHART_RESULTS_CAPTION, chart=chart, partial=False)
    assert caption.startswith(
        "Results so far against the forecast: people reached 40k, above the forecast 15–34k; "
        "sales 3, below the forecast 4–51."
    )
    width, height = png_size(draw(chart))
    assert width == 720 and height == 240


def test_early_totals_are_not_judged_against_the_whole_campaign() -> None:
    chart = results_chart(comparison({"conversions": 3}, partial=True))
    assert chart is not None and "whole campaign" in chart.title
    caption = render(Template.CHART_RESULTS_CAPTION, chart=chart, partial=True)
    assert "below" not in caption and "sales 3 (forecast 4–51)" in caption


@given(st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=100_000))
def test_a_result_is_called_above_within_or_below_as_its_range_says(sales: int, reach: int) -> None:
    chart = results_chart(comparison({"conversions": sales, "reach": reach}))
    assert chart is not None
    caption = render(Template.CHART_RESULTS_CAPTION, chart=chart, partial=False)
    for figure, low, high, name in (
        (reach, 15_000, 34_000, "people reached"),
        (sales, 4, 51, "sales"),
    ):
        said = caption.split(f"{name} ")[1].split(";")[0]
        word = "above" if figure > high else "below" if figure < low else "within"
        others = {"above", "below", "within"} - {word}
        assert f", {word} the forecast " in said and not any(o in said for o in others)


async def test_chart_workers_draw_at_a_lower_priority_than_the_bot() -> None:
    """A picture waits for the processor while replies are worked out (bot.charts)."""
    workers = ChartWorkers(1)
    try:
        assert (await workers.draw(WARM_UP)).startswith(b"\x89PNG")
        pool = workers._pool
        assert isinstance(pool, ProcessPoolExecutor)
        theirs = pool.submit(os.nice, 0).result(timeout=60)
    finally:
        workers.close()
    assert theirs >= os.nice(0) + NICENESS or theirs == 19

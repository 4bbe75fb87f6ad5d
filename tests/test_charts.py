"""The pictures: what they show, and captions that say the same in words."""

from __future__ import annotations

import os
import struct
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.charts import NICENESS, WARM_UP, ChartWorkers
from knowledge.advice.snapshot import headline
from knowledge.advice.stored import (
    StoredBrief,
    StoredForecast,
    StoredNotice,
    StoredPlan,
    StoredRecommendation,
)
from knowledge.base import Metric
from knowledge.campaigns.checkins import Comparison
from knowledge.pictures.charts import (
    amount_words,
    chart_scale,
    draw,
    plan_chart,
    results_chart,
)
from knowledge.writing.render import environment, render
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


def stored(
    micro_is_plan: bool = False,
    nobody: bool = False,
    needed: int | None = 112,
    metric: str = "conversions",
    spent: tuple[int, int, int] = (299_243, 299_243, 254_539),
    sales: tuple[list[float], ...] = ([1.0, 4.0, 11.0], [8.0, 30.0, 99.0], [0.2, 2.0, 4.5]),
) -> StoredRecommendation:
    people = 0 if nobody else 5
    this = plan("plan", people, spent[0], sales[0], [[1, 1, 1]])
    micro = plan("micro", people, spent[1], sales[1], [[1, 1, 1]] if micro_is_plan else [[2, 1, 1]])
    macro = plan("macro", people, spent[2], sales[2], [[3, 1, 1]])
    # A sale earns back €26.80: 112 pay for this plan's €2,992.43, as its notice says.
    params = {"needed": needed, "margin_cents": 2680.0}
    notices = [StoredNotice(code="break_even", fact=None, params=params)]
    return StoredRecommendation.model_construct(
        plan=this,
        all_micro=micro,
        all_macro=macro,
        metric=metric,
        brief=StoredBrief.model_construct(currency="EUR"),
        notices=notices if needed else [],
    )


def comparison(
    actual: dict[str, int],
    partial: bool = False,
    forecast: dict[str, list[float]] | None = None,
) -> Comparison:
    return Comparison(
        metric=Metric.CONVERSIONS,
        actual=actual,
        forecast=forecast
        or {"reach": [15_000.0, 22_000.0, 34_000.0], "conversions": [4.0, 12.0, 51.0]},
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


def test_the_plan_chart_shows_each_plan_on_the_goals_measure_in_the_cards_words() -> None:
    chart = plan_chart(stored())
    assert chart is not None
    [group] = chart.groups
    assert chart.title == "What €3,000 buys"
    assert chart.axis == "Sales"
    # Each plan costs its own, so each pays back at its own count of sales (€2,545 / €26.80).
    assert [b.label for b in group.bars] == [
        "This plan, €2,992: 1–11 sales; pays back at 112",
        "All micro, €2,992: 8–99 sales; pays back at 112",
        "All macro, €2,545: maybe no sale, at best 4.5; pays back at 95",
    ]
    assert [(b.low, b.mid, b.high, b.mark) for b in group.bars][2] == (0.2, 2.0, 4.5, 95)
    assert [b.mark for b in group.bars] == [112, 112, 95]
    assert chart_scale(chart, group) == 112  # the marks are on the scale, beyond the bars
    caption = render(Template.CHART_PLAN_CAPTION, chart=chart)
    assert caption.splitlines() == [
        "What €3,000 buys",
        "This plan, €2,992: 1–11 sales; pays back at 112",
        "All micro, €2,992: 8–99 sales; pays back at 112",
        "All macro, €2,545: maybe no sale, at best 4.5; pays back at 95",
        "Dashed marks: the sales each plan needs to pay for itself.",
        "Bars: the middle forecast; lines: its range.",
    ]
    assert png_size(draw(chart)) == (1080, 1080)


def test_the_plan_chart_words_its_range_as_the_card_does() -> None:
    """The card's `amount` macro and the chart say the same: one wording, one rounding."""
    for trio, metric in (
        ([0.0, 0.3, 0.7], "conversions"),
        ([0.2, 1.0, 3.6], "conversions"),
        ([1.2, 3.0, 7.8], "conversions"),
        ([30_000.0, 60_000.0, 140_000.0], "reach"),
    ):
        card = render_string(
            '{% from "_macros.html" import amount %}{{ amount(trio, metric) }}',
            trio=trio,
            metric=metric,
        )
        assert amount_words(trio, metric) == card


def test_no_break_even_line_without_a_margin_nor_on_another_measure() -> None:
    chart = plan_chart(stored(needed=None))
    assert chart is not None and chart.marks_label == ""
    assert all(b.mark is None for b in chart.groups[0].bars)
    assert "Dashed" not in render(Template.CHART_PLAN_CAPTION, chart=chart)
    chart = plan_chart(stored(metric="reach"))
    assert chart is not None and chart.marks_label == "" and chart.axis == "People reached"
    assert all(b.mark is None for b in chart.groups[0].bars)


def test_an_alternative_that_is_the_plan_is_drawn_once_and_an_empty_plan_not_at_all() -> None:
    chart = plan_chart(stored(micro_is_plan=True))
    assert chart is not None
    assert [b.label.split(",")[0] for b in chart.groups[0].bars] == ["This plan", "All macro"]
    assert plan_chart(stored(nobody=True)) is None


def test_the_results_chart_sets_each_figure_reported_beside_its_forecast() -> None:
    assert results_chart(comparison({"spent_cents": 80_000})) is None
    chart = results_chart(comparison({"reach": 40_000, "conversions": 3}))
    assert chart is not None
    assert chart.title == "Results so far against the forecast"
    assert chart.axis == ""  # each measure on its own scale: no percentage axis
    assert [g.heading for g in chart.groups] == ["People reached", "Sales"]
    assert [[b.label for b in g.bars] for g in chart.groups] == [
        ["Forecast: 15–34k", "You reported: 40k"],
        ["Forecast: 4–51", "You reported: 3"],
    ]
    assert [b.mid for b in chart.groups[1].bars] == [12.0, 3.0]
    caption = render(Template.CHART_RESULTS_CAPTION, chart=chart, partial=False)
    assert caption.startswith(
        "Results so far against the forecast: people reached 40k, above the forecast 15–34k; "
        "sales 3, below the forecast 4–51."
    )
    width, height = png_size(draw(chart))
    assert width == 1080 and height >= width


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


def render_string(source: str, **values: Any) -> str:
    return str(environment().from_string(source).render(**values)).strip()


@pytest.mark.parametrize(
    ("sales", "dearest"),
    [([0.75, 2.0, 4.0], None), ([1.0, 2.0, 4.0], 18_000), ([0.0, 0.5, 4.0], None)],
)
def test_a_sale_that_may_not_come_has_no_dearest_cost(
    sales: list[float], dearest: int | None
) -> None:
    """A planner's read: "maybe no sale, at best 4 · €45–€240 a sale", where no sale at all
    makes the dearest end unbounded: the card then says "€45 or more a sale"."""
    forecast = StoredForecast.model_construct(conversions=sales)
    h = headline(18_000, forecast, "conversions")
    assert h is not None and h.dearest_cents == dearest and h.cheapest_cents == 4_500
    with_range = render_string('{{ money_span(h.cheapest_cents, h.dearest_cents, "EUR") }}', h=h)
    assert with_range == ("€45 or more" if dearest is None else "€45–€180")
    reach = headline(18_000, StoredForecast.model_construct(reach=[500.0, 900.0, 2_000.0]), "reach")
    assert reach is not None and reach.dearest_cents == 36_000  # people: no such case

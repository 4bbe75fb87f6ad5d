"""Check-ins: what to look at at each stage, and reported results compared with the forecast."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from knowledge.advice.money import PER
from knowledge.advice.stored import metric_of, plan_forecast
from knowledge.base import DATA_DIR, Fact, KnowledgeBase, Metric
from knowledge.reading.results import RESULT_ORDER
from knowledge.writing import i18n


@dataclass(frozen=True)
class StageAdvice:
    name: str
    label: str
    text: str
    facts: tuple[Fact, ...]

    @property
    def cited(self) -> list[str]:
        """The short names of the sources its facts come from, in the current language."""
        return list(dict.fromkeys(i18n.localized(fact.source, "short") for fact in self.facts))


@cache
def _stages_raw() -> dict[str, Any]:
    with (DATA_DIR / "checkins.toml").open("rb") as fh:
        stages: dict[str, Any] = tomllib.load(fh)["stages"]
    return stages


def stage_advice(stage: str, kb: KnowledgeBase) -> StageAdvice:
    """What to look at at `stage`, in the current language."""
    raw = _stages_raw().get(stage, {"label": stage, "text": "", "facts": []})
    return StageAdvice(
        stage,
        i18n.localized(raw, "label"),
        i18n.localized(raw, "text"),
        tuple(kb.fact(f) for f in raw["facts"]),
    )


class Standing(StrEnum):
    """Where the goal's measure stands against the forecast range."""

    AHEAD = "ahead"
    WITHIN = "within"
    BEHIND = "behind"


# Stages at which totals so far can't yet be held against the whole campaign's forecast.
EARLY_STAGES = frozenset({"launch", "mid"})


@dataclass(frozen=True)
class Release:
    """Wave 2's reserve held against wave 1's cost per unit: each reserve line is booked if
    that cost is at most the line's own limit."""

    booked: tuple[str, ...]  # the names of the lines to book
    booked_cents: int
    kept: int  # lines kept back
    kept_cents: int


def release(recommendation: Mapping[str, Any], actual_cost: float | None) -> Release | None:
    """What the results release of a plan's wave-2 reserve (None: no reserve, or no cost
    per unit to judge it on)."""
    plan = recommendation.get("plan") or {}
    reserve = [line for line in plan.get("lines", []) if line.get("reserve")]
    if not reserve or actual_cost is None:
        return None
    booked = [line for line in reserve if (line.get("release_cents") or 0) >= actual_cost]
    kept = [line for line in reserve if line not in booked]
    return Release(
        booked=tuple(str(line["name"]) for line in booked),
        booked_cents=sum(int(line["cost_cents"]) for line in booked),
        kept=len(kept),
        kept_cents=sum(int(line["cost_cents"]) for line in kept),
    )


@dataclass(frozen=True)
class Comparison:
    """Reported results (the latest of each) beside the forecast of the recommended plan,
    judged on the goal's own measure."""

    metric: Metric
    actual: dict[str, int]
    forecast: dict[str, list[float]]  # low, mid, high per measure
    forecast_spent_cents: int
    standing: Standing | None  # None: not enough to judge (see `missing`)
    judged_on: str | None  # "cost": per unit of the measure; "total": the measure; "nothing"
    actual_cost: float | None  # cents per unit (per 1,000 people for reach)
    forecast_cost: tuple[float, float] | None  # cheapest, dearest
    per: int
    roi: float | None
    missing: tuple[str, ...] = ()  # what to report to be judged
    # What the sales earned after the spend, from the brief's margin: the reported revenue
    # (or the sales times the brief's basket) times the margin, minus what was spent.
    profit_cents: int | None = None
    margin_pct: float | None = None
    revenue_cents: int | None = None  # what the profit is worked out on
    revenue_estimated: bool = False  # the revenue is sales × basket, not reported
    discount_pct: int = 0  # the promo code's discount taken off the margin of estimated sales
    over_plan_pct: int | None = None  # spent this much over the plan (from 10 % over)
    partial: bool = False  # reported at an early stage: totals so far, not the campaign's
    release: Release | None = None  # what the results release of a wave-2 reserve

    @property
    def actual_measure(self) -> int | None:
        return self.actual.get(self.metric.value)


def latest(results: Iterable[Mapping[str, int | None]]) -> dict[str, int]:
    """Each figure as last reported (owners report totals so far)."""
    merged: dict[str, int] = {}
    for result in results:
        for field in RESULT_ORDER:
            value = result.get(field)
            if value is not None:
                merged[field] = value
    return merged


def _standing_of_cost(actual: float, cheapest: float, dearest: float) -> Standing:
    if actual < cheapest:
        return Standing.AHEAD
    return Standing.WITHIN if actual <= dearest else Standing.BEHIND


def _standing_of_total(actual: float, low: float, high: float) -> Standing:
    if actual > high:
        return Standing.AHEAD
    return Standing.WITHIN if actual >= low else Standing.BEHIND


OVERSPEND_SHOWN = 0.10
"""Spending over the plan is pointed out from this share over it."""


def _code_discount(recommendation: Mapping[str, Any]) -> int:
    """The promo codes' discount the plan's break-even counted a sale's margin net of (0 for
    a plan stored before it did)."""
    for notice in recommendation.get("notices") or []:
        if notice.get("code") in ("break_even", "test") and "discount_pct" in notice.get(
            "params", {}
        ):
            return int(notice["params"]["discount_pct"])
    return 0


def _money(
    recommendation: Mapping[str, Any], actual: Mapping[str, int], planned_cents: int
) -> dict[str, Any]:
    """The money side of results: the profit after the spend when the brief gave a margin,
    and how far the spend went over the plan. Sales counted without their revenue earn what
    the plan counted them to: the basket's margin less the promo code's discount."""
    brief = recommendation.get("brief") or {}
    margin, basket = brief.get("margin_pct"), brief.get("order_value_cents")
    spent, revenue = actual.get("spent_cents"), actual.get("revenue_cents")
    sales = actual.get("conversions")
    estimated = revenue is None and sales is not None and bool(basket)
    discount = _code_discount(recommendation) if estimated else 0
    if estimated:
        revenue = int(sales or 0) * int(basket or 0)
    profit = None
    if margin and revenue is not None and spent is not None:
        profit = round(revenue * (float(margin) - discount) / 100) - spent
    over = None
    if spent and planned_cents and spent > planned_cents * (1 + OVERSPEND_SHOWN):
        over = round((spent / planned_cents - 1) * 100)
    return {
        "profit_cents": profit,
        "revenue_cents": revenue if profit is not None else None,
        "margin_pct": float(margin) if margin else None,
        "revenue_estimated": estimated and profit is not None,
        "discount_pct": discount if profit is not None else 0,
        "over_plan_pct": over,
    }


def compare(
    recommendation: Mapping[str, Any], goal: str, actual: dict[str, int], stage: str | None = None
) -> Comparison:
    """How the campaign stands on its goal's measure against the forecast range: on cost per
    unit when spend and the measure are reported; on the total itself only from the last
    day on (earlier totals are partial). No tolerance beyond the range itself."""
    metric = metric_of(recommendation, goal)
    spent_forecast, forecast = plan_forecast(recommendation)
    per = PER[metric]
    low, _mid, high = forecast.get(metric.value, [0.0, 0.0, 0.0])
    measure, spent = actual.get(metric.value), actual.get("spent_cents")
    revenue = actual.get("revenue_cents")
    roi = (revenue - spent) / spent if revenue is not None and spent else None
    cost_range = None
    if spent_forecast and high > 0:
        cost_range = (
            spent_forecast * per / high,
            spent_forecast * per / low if low > 0 else math.inf,
        )
    standing: Standing | None = None
    judged_on: str | None = None
    actual_cost: float | None = None
    missing: tuple[str, ...] = ()
    if measure == 0 and spent:
        standing, judged_on = Standing.BEHIND, "nothing"
    elif measure is not None and spent and cost_range is not None:
        actual_cost = spent * per / measure
        standing, judged_on = _standing_of_cost(actual_cost, *cost_range), "cost"
    elif measure is not None and stage not in EARLY_STAGES and high > 0:
        standing, judged_on = _standing_of_total(measure, low, high), "total"
    else:
        missing = tuple(
            name
            for name, have in ((metric.value, measure is not None), ("spent_cents", bool(spent)))
            if not have
        )
    money = _money(recommendation, actual, spent_forecast)
    return Comparison(
        **money,
        metric=metric,
        actual=actual,
        forecast=forecast,
        forecast_spent_cents=spent_forecast,
        standing=standing,
        judged_on=judged_on,
        actual_cost=actual_cost,
        forecast_cost=cost_range,
        per=per,
        roi=roi,
        missing=missing,
        partial=stage in EARLY_STAGES,
        release=release(recommendation, actual_cost),
    )

"""Check-ins: what to look at at each stage, reading reported results, and comparing them
with the forecast."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from knowledge.base import DATA_DIR, Fact, KnowledgeBase
from knowledge.parsing import BudgetError, parse_count, parse_price

# Results people report: the name they type → the field it is stored in.
RESULT_FIELDS = {
    "reach": "reach",
    "views": "reach",
    "impressions": "reach",
    "engagements": "engagements",
    "engagement": "engagements",
    "likes": "engagements",
    "clicks": "clicks",
    "click": "clicks",
    "visits": "clicks",
    "sales": "conversions",
    "conversions": "conversions",
    "orders": "conversions",
    "signups": "conversions",
    "revenue": "revenue_cents",
    "turnover": "revenue_cents",
    "spent": "spent_cents",
    "spend": "spent_cents",
    "cost": "spent_cents",
}
RESULT_ORDER = ("reach", "engagements", "clicks", "conversions", "revenue_cents", "spent_cents")
MONEY = {"revenue_cents", "spent_cents"}
_PAIR = re.compile(r"([A-Za-z_]+)\s*[=:]\s*(\S+)")


@dataclass(frozen=True)
class StageAdvice:
    name: str
    label: str
    text: str
    facts: tuple[Fact, ...]


@cache
def _stages_raw() -> dict[str, Any]:
    with (DATA_DIR / "checkins.toml").open("rb") as fh:
        return tomllib.load(fh)["stages"]


def stage_advice(stage: str, kb: KnowledgeBase) -> StageAdvice:
    raw = _stages_raw().get(stage, {"label": stage, "text": "", "facts": []})
    return StageAdvice(stage, raw["label"], raw["text"], tuple(kb.fact(f) for f in raw["facts"]))


class ResultsInvalid(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_result_value(field: str, text: str, currency: str) -> int:
    """One reported figure: a count (`12000`, `12k`) or an amount of money in `currency`
    (cents; `700`, `€700`). Raises ValueError saying what is wrong with it."""
    cleaned = text.strip()
    not_a_figure = ValueError("must be a number of zero or more")
    if cleaned.startswith("-"):
        raise not_a_figure
    try:
        return parse_price(cleaned, currency) if field in MONEY else parse_count(cleaned)
    except BudgetError as exc:
        raise ValueError(f"is in {exc.currency}: amounts here are in {currency.upper()}") from None
    except ValueError:
        raise not_a_figure from None


def parse_results(text: str, currency: str) -> dict[str, int]:
    """`reach=12000 sales=35 spent=700` → stored fields; every problem named."""
    pairs = _PAIR.findall(text)
    leftover = _PAIR.sub(" ", text).split()
    problems = [f"“{w[:30]}” is not name=value" for w in leftover]
    values: dict[str, int] = {}
    for key, raw in pairs:
        field = RESULT_FIELDS.get(key.lower())
        if field is None:
            problems.append(
                f"“{key[:30]}” is not a result I know (reach, engagements, clicks, "
                "sales, revenue, spent)"
            )
            continue
        try:
            values[field] = parse_result_value(field, raw, currency)
        except ValueError as exc:
            problems.append(f"{key} “{raw[:30]}” {exc}")
    if problems:
        raise ResultsInvalid(problems)
    if not values:
        raise ResultsInvalid(["no results given"])
    return values


@dataclass(frozen=True)
class Comparison:
    """Reported results (the latest of each) beside the forecast of the recommended plan."""

    verdict: str
    actual: dict[str, int]
    forecast: dict[str, float]
    cost_per_engagement: tuple[float | None, float | None]
    cost_per_conversion: tuple[float | None, float | None]
    roi: float | None
    as_predicted: bool | None
    fact: Fact | None


def latest(results: Iterable[Mapping[str, int | None]]) -> dict[str, int]:
    """Each figure as last reported (owners report totals so far)."""
    merged: dict[str, int] = {}
    for result in results:
        for field in RESULT_ORDER:
            value = result.get(field)
            if value is not None:
                merged[field] = value
    return merged


def _ratio(cost: float | None, amount: float | None) -> float | None:
    return cost / amount if cost is not None and amount else None


def compare(
    recommendation: Mapping[str, Any], actual: dict[str, int], kb: KnowledgeBase
) -> Comparison:
    """How the campaign did against the forecast, and whether the micro/macro choice held up.

    Micro plans are judged on cost per engagement (the articles expect closer, cheaper
    engagement); macro plans on reach (a peak of visibility); a mix on both.
    """
    plan = recommendation.get("plan", {})
    verdict = str(recommendation.get("verdict", "micro"))
    forecast = {
        "reach": float(plan.get("reach", 0)),
        "engagements": float(plan.get("engagements", 0)),
        "conversions": float(plan.get("conversions", 0)),
        "spent_cents": float(plan.get("spent_cents", 0)),
    }
    spent = actual.get("spent_cents")
    cpe = (
        _ratio(spent, actual.get("engagements")),
        _ratio(forecast["spent_cents"], forecast["engagements"]),
    )
    cpc = (
        _ratio(spent, actual.get("conversions")),
        _ratio(forecast["spent_cents"], forecast["conversions"]),
    )
    revenue = actual.get("revenue_cents")
    roi = (revenue - spent) / spent if revenue is not None and spent else None
    checks: list[bool] = []
    if verdict in ("micro", "mix") and cpe[0] is not None and cpe[1] is not None:
        checks.append(cpe[0] <= cpe[1] * 1.25)
    if verdict in ("macro", "mix") and actual.get("reach") is not None and forecast["reach"]:
        checks.append(actual["reach"] >= forecast["reach"] * 0.8)
    as_predicted = all(checks) if checks else None
    fact_id = {
        "micro": "S2-closer-relationship",
        "macro": "S2-reach-per-post",
        "mix": "S2-depends-on-goal",
    }.get(verdict, "S2-bigger-not-better")
    return Comparison(verdict, actual, forecast, cpe, cpc, roi, as_predicted, kb.fact(fact_id))

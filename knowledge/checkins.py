"""Check-ins: what to look at at each stage, reading reported results, and comparing them
with the forecast."""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from knowledge import i18n
from knowledge.base import DATA_DIR, Fact, KnowledgeBase, Metric
from knowledge.i18n import N_, _
from knowledge.matching import ascii_fold
from knowledge.parsing import (
    CURRENCY_ALIASES,
    BudgetError,
    TooLarge,
    parse_count,
    parse_price,
)
from knowledge.snapshot import HEADLINE_PER, metric_of, plan_forecast

# Results people report: the name they type, in English or French without accents (`dépensé`
# is read as `depense`) → the field it is stored in.
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
    "portee": "reach",
    "vues": "reach",
    "interactions": "engagements",
    "clics": "clicks",
    "clic": "clicks",
    "visites": "clicks",
    "ventes": "conversions",
    "commandes": "conversions",
    "inscriptions": "conversions",
    "ca": "revenue_cents",
    "chiffre_d_affaires": "revenue_cents",
    "revenus": "revenue_cents",
    "depense": "spent_cents",
    "depenses": "spent_cents",
    "cout": "spent_cents",
}
RESULT_ORDER = ("reach", "engagements", "clicks", "conversions", "revenue_cents", "spent_cents")
MONEY = {"revenue_cents", "spent_cents"}
# `key=value`: a key is letters (accented ones too: `portée=`) or `_`; a value, one word, with
# its thousands groups (`12 000`, `1 500,50`) and its currency (`800 €`) if written apart.
_PAIR = re.compile(
    r"([^\W\d]+)\s*[=:]\s*(\S+(?:[ \u00a0\u202f]\d{3}(?!\d))*(?:(?<=\d{3})[.,]\d+)?"
    r"(?:\s*(?:"
    + "|".join(re.escape(c) for c in sorted(CURRENCY_ALIASES, key=len, reverse=True))
    + r")(?!\w)(?!\s*[=:]))?)",
    re.IGNORECASE,
)
# Results as people type them, shown when a line can't be read (in the reader's language).
EXAMPLE = N_("reach=1200 sales=3")


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
        return tomllib.load(fh)["stages"]


def stage_advice(stage: str, kb: KnowledgeBase) -> StageAdvice:
    """What to look at at `stage`, in the current language."""
    raw = _stages_raw().get(stage, {"label": stage, "text": "", "facts": []})
    return StageAdvice(
        stage,
        i18n.localized(raw, "label"),
        i18n.localized(raw, "text"),
        tuple(kb.fact(f) for f in raw["facts"]),
    )


class ResultsInvalid(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_result_value(field: str, text: str, currency: str) -> int:
    """One reported figure: a count (`12000`, `12k`) or an amount of money in `currency`
    (cents; `700`, `€700`). Raises ValueError saying what is wrong with it."""
    cleaned = text.strip()
    example = "700" if field in MONEY else "35"
    not_a_figure = ValueError(
        _("must be a number of zero or more, like %(example)s") % {"example": example}
    )
    if cleaned.startswith("-"):
        raise not_a_figure
    try:
        return parse_price(cleaned, currency) if field in MONEY else parse_count(cleaned)
    except BudgetError as exc:
        raise ValueError(
            _("is in %(currency)s: amounts here are in %(ours)s, like %(example)s")
            % {"currency": exc.currency, "ours": currency.upper(), "example": example}
        ) from None
    except TooLarge as exc:
        limit = i18n.money(exc.limit, currency) if field in MONEY else i18n.number(exc.limit)
        raise ValueError(_("is more than %(limit)s") % {"limit": limit}) from None
    except ValueError:
        raise not_a_figure from None


_FIRST_KEY = re.compile(r"^\s*([^\W\d]+)\s*[=:]")


def is_results_line(text: str) -> bool:
    """Whether `text` starts as a line of results does (`reach=…`, `portée : …`), and not as
    another form's `key=value` words (`goal=…`, `country=…`)."""
    first = _FIRST_KEY.match(text)
    return first is not None and ascii_fold(first.group(1)) in RESULT_FIELDS


def value_problem(text: str, problem: object) -> str:
    """What is wrong with one figure typed at its own question: `“abc” must be a number…`."""
    return _("“%(value)s” %(problem)s") % {"value": text[:30], "problem": problem}


def parse_results(text: str, currency: str) -> dict[str, int]:
    """`reach=12000 sales=35 spent=700` or `portée=12 000 ventes=35 dépensé=700 €` → stored
    fields; every problem named in plain words, with an example of what to type."""
    pairs = _PAIR.findall(text)
    leftover = " ".join(_PAIR.sub(" ", text).split())
    problems = []
    example = _(EXAMPLE)
    if leftover:
        problems.append(
            _("I couldn't read “%(text)s”. Type results like: %(example)s")
            % {"text": leftover[:30], "example": example}
        )
    values: dict[str, int] = {}
    for key, value in pairs:
        raw = value.rstrip(",;")  # `ventes : 40, dépensé : 800 €`: the list's own commas
        field = RESULT_FIELDS.get(ascii_fold(key))
        if field is None:
            problems.append(
                _(
                    "I don't know “%(key)s”: type reach, engagements, clicks, sales, revenue "
                    "or spent, like: %(example)s"
                )
                % {"key": key[:30], "example": example}
            )
            continue
        try:
            values[field] = parse_result_value(field, raw, currency)
        except ValueError as exc:
            problems.append(
                _("%(key)s “%(value)s” %(problem)s")
                % {"key": key, "value": raw[:30], "problem": exc}
            )
    if problems:
        raise ResultsInvalid(problems)
    if not values:
        raise ResultsInvalid(
            [_("I found no results there. Type them like: %(example)s") % {"example": example}]
        )
    return values


class Standing(StrEnum):
    """Where the goal's measure stands against the forecast range."""

    AHEAD = "ahead"
    WITHIN = "within"
    BEHIND = "behind"


# Stages at which totals so far can't yet be held against the whole campaign's forecast.
EARLY_STAGES = frozenset({"launch", "mid"})


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
    partial: bool = False  # reported at an early stage: totals so far, not the campaign's

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


def compare(
    recommendation: Mapping[str, Any], goal: str, actual: dict[str, int], stage: str | None = None
) -> Comparison:
    """How the campaign stands on its goal's measure against the forecast range: on cost per
    unit when spend and the measure are reported; on the total itself only from the last
    day on (earlier totals are partial). No tolerance beyond the range itself."""
    metric = metric_of(recommendation, goal)
    spent_forecast, forecast = plan_forecast(recommendation)
    per = HEADLINE_PER[metric]
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
    return Comparison(
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
    )

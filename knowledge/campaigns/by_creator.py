"""Results per creator against each creator's own forecast, and per side (micro against
macro) against the forecast of that side's creators who reported: the sources' question
(which side delivers?) answered with the owner's own figures.

Each creator's figures are their totals so far (the latest of each reported). A side adds up
the creators of it who reported the goal's measure, and is held against the sum of their own
forecasts (the low ends, the middles and the high ends). As for the whole campaign
(`checkins.compare`), totals are judged against the range only from the last day on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from knowledge.advice.stored import metric_of
from knowledge.base import Metric, Side
from knowledge.campaigns.checkins import EARLY_STAGES, Standing, latest


class Creator(Protocol):
    """A creator the campaign follows (storage.models.CampaignCreator)."""

    @property
    def id(self) -> int | None: ...

    @property
    def name(self) -> str: ...

    @property
    def handle(self) -> str: ...

    @property
    def side(self) -> str: ...

    @property
    def forecast(self) -> dict[str, Any]: ...

    @property
    def replaced_by(self) -> int | None: ...


@dataclass(frozen=True)
class Measured:
    """A creator or a side: the goal's measure so far beside its forecast range."""

    name: str  # the creator's name and handle, or the side
    side: str
    actual: int
    forecast: tuple[float, float, float] | None  # low, middle, high (None: not known)
    standing: Standing | None  # None: too early to judge, or no forecast
    reported: int = 1  # creators who reported (a side)
    creators: int = 1  # the side's creators in the campaign


@dataclass(frozen=True)
class ByCreator:
    metric: Metric
    creators: list[Measured]
    sides: list[Measured]
    partial: bool  # reported at an early stage: totals so far


def _standing(
    actual: int, forecast: tuple[float, float, float] | None, partial: bool
) -> Standing | None:
    if forecast is None or partial:
        return None
    low, _mid, high = forecast
    if actual > high:
        return Standing.AHEAD
    return Standing.WITHIN if actual >= low else Standing.BEHIND


def _trio(forecast: Mapping[str, Any], metric: Metric) -> tuple[float, float, float] | None:
    values = forecast.get(metric.value)
    if not isinstance(values, Sequence) or len(values) != 3:
        return None
    low, mid, high = (float(v) for v in values)
    return low, mid, high


def _side(side: Side, measured: list[Measured], creators: int, partial: bool) -> Measured | None:
    mine = [m for m in measured if m.side == side.value]
    if not mine:
        return None
    actual = sum(m.actual for m in mine)
    known = [m.forecast for m in mine if m.forecast is not None]
    forecast = None
    if len(known) == len(mine):
        forecast = (sum(f[0] for f in known), sum(f[1] for f in known), sum(f[2] for f in known))
    return Measured(
        side.value,
        side.value,
        actual,
        forecast,
        _standing(actual, forecast, partial),
        len(mine),
        creators,
    )


def by_creator(
    recommendation: Mapping[str, Any],
    goal: str,
    creators: Sequence[Creator],
    results: Iterable[Mapping[str, Any]],
) -> ByCreator | None:
    """Each creator who reported the goal's measure, and each side, against their own
    forecast (None: nobody reported it). `results`: the creators' reported results, oldest
    first, each with its `creator_id` and `stage`."""
    metric = metric_of(recommendation, goal)
    grouped: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    stage = None
    for result in results:
        grouped[int(result["creator_id"])].append(result)
        stage = result.get("stage")
    partial = stage in EARLY_STAGES
    measured = []
    for c in creators:
        actual = latest(grouped.get(c.id or 0, [])).get(metric.value)
        if actual is None:
            continue
        forecast = _trio(c.forecast, metric)
        standing = _standing(actual, forecast, partial)
        measured.append(Measured(f"{c.name} {c.handle}", c.side, actual, forecast, standing))
    if not measured:
        return None
    in_campaign = [c for c in creators if c.replaced_by is None]
    sides = [
        _side(side, measured, sum(c.side == side.value for c in in_campaign), partial)
        for side in (Side.MICRO, Side.MACRO)
    ]
    return ByCreator(metric, measured, [s for s in sides if s is not None], partial)

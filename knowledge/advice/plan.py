"""A plan as data: lines (a creator, a wave, posts, their cost and forecast) and totals."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from knowledge.advice.brief import Candidate
from knowledge.advice.forecast import Forecast, Range
from knowledge.base import Metric, Side

TEST_WAVE, SCALE_WAVE = 1, 2


def _capped(f: Forecast, audience: float) -> Forecast:
    """A creator's forecast with the people reached at most their real audience (repeat
    posts reach many of the same people), and the funnel kept in order."""
    r = Range(min(f.reach.low, audience), min(f.reach.mid, audience), min(f.reach.high, audience))

    def under(x: Range, top: Range) -> Range:
        return Range(min(x.low, top.low), min(x.mid, top.mid), min(x.high, top.high))

    clicks = under(f.clicks, r)
    return Forecast(r, under(f.engagements, r), clicks, under(f.conversions, clicks))


@dataclass(frozen=True)
class Line:
    """One creator in one wave of a plan: `posts` posts worth `worth` first posts."""

    candidate: Candidate
    side: Side
    wave: int
    posts: int
    first_post: int  # the number of this line's first post in the campaign (1, or after wave 1)
    cost_cents: int
    one_post: Forecast
    worth: float
    audience: float  # the creator's real audience: the most people the line can reach
    months: int | None = None  # an ambassador's retainer

    @cached_property
    def forecast(self) -> Forecast:
        return _capped(self.one_post.scaled(self.worth), self.audience)

    def measure(self, metric: Metric) -> float:
        """The middle forecast of `metric` (the same as `forecast`, without building it)."""
        one, worth = self.one_post, self.worth
        reach = min(one.reach.mid * worth, self.audience)
        if metric is Metric.REACH:
            return reach
        if metric is Metric.ENGAGEMENTS:
            return min(one.engagements.mid * worth, reach)
        clicks = min(one.clicks.mid * worth, reach)
        if metric is Metric.CLICKS:
            return clicks
        return min(one.conversions.mid * worth, clicks)


@dataclass(frozen=True)
class Plan:
    """Lines bought with at most `budget_cents`."""

    label: str
    budget_cents: int
    lines: tuple[Line, ...]

    @cached_property
    def spent_cents(self) -> int:
        return sum(line.cost_cents for line in self.lines)

    @cached_property
    def forecast(self) -> Forecast:
        total = Forecast()
        for line in self.lines:
            total = total + line.forecast
        return total

    def measure(self, metric: Metric) -> float:
        """The plan's middle forecast of the goal's measure."""
        return sum(line.measure(metric) for line in self.lines)

    def spent_on(self, side: Side) -> int:
        return sum(line.cost_cents for line in self.lines if line.side == side)

    @property
    def people(self) -> int:
        return len({id(line.candidate) for line in self.lines})

    @property
    def posts(self) -> int:
        return sum(line.posts for line in self.lines)

    @property
    def waves(self) -> int:
        return max((line.wave for line in self.lines), default=0)

"""A plan as data: lines (a creator, a wave, posts, their cost and forecast) and totals.

A plan's spend is what it plans to pay: the lines booked now, and, for a plan in two waves,
the wave-2 reserve that the wave-1 results release line by line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from knowledge.advice.brief import Candidate
from knowledge.advice.forecast import Forecast, Range, total
from knowledge.base import Funnel, Metric, Side

FIRST_WAVE, RESERVE_WAVE = 1, 2


@dataclass(frozen=True)
class Line:
    """One creator in one wave of a plan: `posts` posts worth `worth` first posts, each paid
    `price_cents` (the creator's ask, the fair-pay floor if they ask less, or, for a seeded
    parcel, the product and its shipping; with paid use asked, its usage fee included)."""

    candidate: Candidate
    side: Side
    wave: int
    posts: int
    first_post: int  # the number of this line's first post in the campaign (1, or after wave 1)
    price_cents: int
    one_post: Forecast
    worth: float
    audience: float  # the creator's real audience: the most people the line can reach
    value: float  # the goal's measure a first post brings, weighted as the brief values it
    unit_cost: float  # cents per weighted unit of the line's last post (its marginal cost)
    months: int | None = None  # an ambassador's retainer
    seeding: bool = False  # a gifted-only creator sent the product, one post
    reserve: bool = False  # wave 2: money held, booked only if the wave-1 results say so
    release_cents: float | None = None  # a reserve line is booked if wave 1 costs at most this
    asked: bool = True  # in the niche and on the platform asked (not found by widening)
    usage_cents: int = 0  # of the price, the fee for paid use of one post

    @property
    def fee_cents(self) -> int:
        """The post fee, without the usage fee: what the fair-pay floor is held against."""
        return self.price_cents - self.usage_cents

    @property
    def cost_cents(self) -> int:
        return self.price_cents * self.posts

    @property
    def first_unit_cost(self) -> float:
        """Cents per weighted unit of a first post of this creator."""
        return self.price_cents / self.value

    @cached_property
    def forecast(self) -> Forecast:
        """The line's posts, with the people reached at most the creator's real audience
        (repeat posts reach many of the same people)."""
        f = self.one_post.scaled(self.worth)
        top = Range(self.audience, self.audience, self.audience)
        return Forecast(f.reach.capped(top), f.engagements, f.clicks, f.conversions).in_order()

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
    funnel: Funnel

    @cached_property
    def spent_cents(self) -> int:
        """What the plan plans to pay, the wave-2 reserve included."""
        return sum(line.cost_cents for line in self.lines)

    @cached_property
    def reserve_cents(self) -> int:
        return sum(line.cost_cents for line in self.lines if line.reserve)

    @property
    def booked_cents(self) -> int:
        return self.spent_cents - self.reserve_cents

    def extension_cents(self, months: int) -> int:
        """What extending every retainer of the plan to `months` would cost on top."""
        return sum(
            line.cost_cents * (months - line.months) // line.months
            for line in self.lines
            if line.months
        )

    @cached_property
    def forecast(self) -> Forecast:
        """The whole plan's forecast (the reserve released)."""
        return total((line.forecast for line in self.lines), self.funnel)

    @cached_property
    def booked_forecast(self) -> Forecast:
        """Wave 1's forecast (the lines booked now)."""
        if not self.reserve_cents:
            return self.forecast
        return total((line.forecast for line in self.lines if not line.reserve), self.funnel)

    def measure(self, metric: Metric) -> float:
        """The plan's middle forecast of the goal's measure."""
        return sum(line.measure(metric) for line in self.lines)

    def unit_cost(self, metric: Metric) -> float | None:
        """Cents per unit of `metric` at the middle forecast (None: the plan brings none)."""
        measure = self.measure(metric)
        return self.spent_cents / measure if measure > 0 and self.spent_cents else None

    def thin_beside(self, other: Plan, most_people: int, metric: Metric) -> bool:
        """Fewer than half the people the budget allows, where `other` (the other side's
        plan) brings the goal's units for less: a programme too thin to keep to its side (a
        planner's read: €900 on one nano of €24,000 while all macro cost less a unit)."""
        mine, theirs = self.unit_cost(metric), other.unit_cost(metric)
        cheaper = theirs is not None and (mine is None or theirs < mine)
        return 2 * self.people < most_people and cheaper

    def spent_on(self, side: Side) -> int:
        return sum(line.cost_cents for line in self.lines if line.side == side)

    @property
    def people(self) -> int:
        return len({line.candidate.id for line in self.lines})

    @property
    def posts(self) -> int:
        return sum(line.posts for line in self.lines)

    @property
    def waves(self) -> int:
        return max((line.wave for line in self.lines), default=0)

    def with_lines(self, lines: Iterable[Line], label: str | None = None) -> Plan:
        return Plan(label or self.label, self.budget_cents, tuple(lines), self.funnel)

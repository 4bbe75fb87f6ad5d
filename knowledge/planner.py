"""Building plans: which creators, how many posts each, and in which wave, within a budget.

A plan is filled greedily with posts, best value per unit of cost first (the goal's own
measure, middle forecast). A creator's 2nd, 3rd… post is worth less than the first
(`repeat_post_value`), so it comes after better first posts of others. A post worth less than
`useful_value_floor` of the best on its side is never bought. Creators whose audience matches
the brief's country or language come first.

Three shapes of plan:
- one wave: the plan for budgets under `waves.from_budget`;
- two waves: a test wave (`test_share` of the budget, one post each, spread across up to
  `test_max_people` creators), then a scale wave buying more posts from the test's
  creators, best first (the test's results say who is best);
- a retainer: an ambassador plan of 1 to `max_creators` creators, each paid for months of
  regular posts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from knowledge.base import Assumptions, Metric, Side
from knowledge.forecast import Candidate, Forecast, post_forecast, posts_value

TEST_WAVE, SCALE_WAVE = 1, 2


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
    months: int | None = None  # an ambassador's retainer

    @cached_property
    def forecast(self) -> Forecast:
        return self.one_post.scaled(self.worth)

    def measure(self, metric: Metric) -> float:
        """The middle forecast of `metric` (without building the whole forecast)."""
        return self.one_post.of(metric).mid * self.worth


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


@dataclass(frozen=True)
class Offer:
    """A creator as the planner weighs them: what one post brings toward the goal."""

    candidate: Candidate
    side: Side
    value: float  # middle forecast of the goal's measure for one post, preference included
    price_cents: int
    match: int  # how well the audience matches the brief's country and language (0–2)
    forecast: Forecast
    ratio: float  # value per currency unit (a free post counts as costing one unit)


def offer(
    c: Candidate, side: Side, metric: Metric, a: Assumptions, match: int, preference: float = 1.0
) -> Offer:
    forecast = post_forecast(c, a)
    value = forecast.of(metric).mid * preference
    return Offer(
        c, side, value, c.price_cents, match, forecast, value / max(c.price_cents / 100, 1.0)
    )


def _order(o: Offer) -> tuple[int, float, int, str, int]:
    return (-o.match, -o.ratio, o.price_cents, o.candidate.handle.lower(), o.candidate.id)


def useful(offers: Sequence[Offer], floor: float) -> list[Offer]:
    """The offers whose first post brings at least `floor` of the best value per cost among
    them, best first."""
    best = max((o.ratio for o in offers), default=0.0)
    kept = [o for o in offers if o.value > 0 and o.ratio >= floor * best]
    return sorted(kept, key=_order)


Keep = Callable[[int, Offer], bool]
Item = tuple[int, float, int, int, int]


class Offers:
    """The offers plans are built from, with their (offer, post number) pairs ranked once
    for all the plans of a recommendation."""

    def __init__(self, offers: Sequence[Offer], a: Assumptions) -> None:
        self.offers = list(offers)
        self.a = a
        self._ranked: dict[tuple[int, int], list[Item]] = {}

    def ranked(self, max_posts: int, first_post: int) -> list[Item]:
        """Every (offer, post number) pair, best value per cost first: a creator's repeats
        are worth less, and creators whose audience matches the brief come first."""
        key = (max_posts, first_post)
        if key not in self._ranked:
            self._ranked[key] = sorted(
                (-o.match, -o.ratio * posts_value(self.a, 1, first_post + n), o.price_cents, i, n)
                for i, o in enumerate(self.offers)
                for n in range(max_posts)
            )
        return self._ranked[key]


def _everyone(_index: int, _o: Offer) -> bool:
    return True


def _side(side: Side) -> Keep:
    return lambda _index, o: o.side == side


class _Fill:
    """Posts bought so far in one wave: per offer (by index), how many; and what they cost."""

    def __init__(
        self, offers: Offers, max_people: int, max_posts: int, first_post: int = 1
    ) -> None:
        self.offers = offers.offers
        self.max_people = max_people
        self.posts: dict[int, int] = {}
        self.spent = 0
        self.first_post = first_post
        self._items = offers.ranked(max_posts, first_post)

    def run(self, budget_cents: int, keep: Keep = _everyone) -> None:
        """Buy the best posts until nothing more fits `budget_cents` (what was spent before
        included)."""
        offers = self.offers
        for _match, _worth, price, index, n in self._items:
            have = self.posts.get(index, 0)
            if have != n or not keep(index, offers[index]):
                continue  # (the post before it was not bought, so this one is not either)
            if have == 0 and len(self.posts) >= self.max_people:
                continue
            if self.spent + price > budget_cents:
                continue
            self.posts[index] = have + 1
            self.spent += price

    def split(self, budget: int, macro_share: int | None) -> None:
        """Fill `budget`: the macro side up to its share first, then the micro side, then the
        macro side with what is left; `None`: both sides together, best first."""
        if macro_share is None:
            self.run(budget)
            return
        self.run(budget * macro_share // 100, _side(Side.MACRO))
        self.run(budget, _side(Side.MICRO))
        self.run(budget, _side(Side.MACRO))

    def lines(self, wave: int, a: Assumptions) -> list[Line]:
        lines = []
        for index, posts in sorted(self.posts.items()):
            o = self.offers[index]
            lines.append(
                Line(
                    candidate=o.candidate,
                    side=o.side,
                    wave=wave,
                    posts=posts,
                    first_post=self.first_post,
                    cost_cents=o.price_cents * posts,
                    one_post=o.forecast,
                    worth=posts_value(a, posts, self.first_post),
                )
            )
        return lines


def one_wave(
    label: str, offers: Offers, budget: int, macro_share: int | None, a: Assumptions
) -> Plan:
    fill = _Fill(offers, a.plan.max_people, a.plan.max_posts_per_creator)
    fill.split(budget, macro_share)
    return Plan(label, budget, tuple(fill.lines(TEST_WAVE, a)))


def two_waves(
    label: str, offers: Offers, budget: int, macro_share: int | None, a: Assumptions
) -> Plan:
    """A test wave of one post each across many creators, then a scale wave of more posts
    from the test's creators, best first (by forecast, to be confirmed by the test)."""
    w = a.waves
    test = _Fill(offers, w.test_max_people, 1)
    test.split(round(budget * w.test_share), macro_share)
    tested = set(test.posts)
    scale = _Fill(offers, len(tested), a.plan.max_posts_per_creator - 1, first_post=2)
    scale.spent = test.spent
    scale.run(budget, lambda index, _o: index in tested)
    return Plan(label, budget, tuple(test.lines(TEST_WAVE, a) + scale.lines(SCALE_WAVE, a)))


def retainer(
    label: str, offers: Offers, budget: int, macro_share: int | None, a: Assumptions
) -> Plan:
    """An ambassador plan: the best creators by value per cost (`offers` is in that order),
    each on the longest retainer the budget left allows, from `months` down to `min_months`
    of regular posts."""
    amb = a.ambassador
    lines: list[Line] = []
    spent = 0

    def take(keep: Keep, cap: int) -> None:
        nonlocal spent
        for index, o in enumerate(offers.offers):
            if len(lines) >= amb.max_creators:
                return
            if not keep(index, o) or any(line.candidate is o.candidate for line in lines):
                continue
            for months in range(amb.months, amb.min_months - 1, -1):
                posts = months * amb.posts_per_month
                cost = o.price_cents * posts
                if spent + cost <= cap:
                    worth = 1 + amb.later_post_value * (posts - 1)
                    lines.append(
                        Line(
                            o.candidate,
                            o.side,
                            TEST_WAVE,
                            posts,
                            1,
                            cost,
                            o.forecast,
                            worth,
                            months,
                        )
                    )
                    spent += cost
                    break

    if macro_share is None:
        take(_everyone, budget)
    else:
        take(_side(Side.MACRO), budget * macro_share // 100)
        take(_side(Side.MICRO), budget)
        take(_side(Side.MACRO), budget)
    return Plan(label, budget, tuple(lines))

"""Building plans: which creators, how many posts each, and in which wave, within a budget.

A plan is filled greedily with posts, best value per unit of cost first (the goal's own
measure, middle forecast). A creator's 2nd, 3rd… post is worth less than the first
(`repeat_post_value`), so it comes after better first posts of others. A post is bought only
while it brings at least `useful_value_floor` of what the plan bought so far brings per unit
of cost: money is left unspent rather than spent at several times the plan's own cost. From a
budget (`share_cap_from`), no creator takes more than `max_share_per_creator` of it.

Three shapes of plan:
- one wave;
- two waves, from `waves.from_budget`: a test wave (`test_share` of the budget, one post
  each, spread across up to `test_max_people` creators), then a scale wave buying more posts
  from the test's creators, best first (the test's results say who is best); kept only when
  it delivers at least `waves.keep_if` of what one wave would;
- a retainer: an ambassador plan of 1 to `max_creators` creators, each paid for months of
  regular posts, at least at the fair-pay floor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from knowledge.advice.forecast import posts_value
from knowledge.advice.offers import Offer, Offers
from knowledge.advice.plan import SCALE_WAVE, TEST_WAVE, Line, Plan
from knowledge.base import Assumptions, Metric, Side

Keep = Callable[[int, Offer], bool]


def _everyone(_index: int, _o: Offer) -> bool:
    return True


def _side(side: Side) -> Keep:
    return lambda _index, o: o.side == side


class _Fill:
    """Posts bought so far in one wave: per offer (by index), how many; what they cost and
    what they bring."""

    def __init__(
        self,
        offers: Offers,
        max_people: int,
        max_posts: int,
        *,
        first_post: int = 1,
        floor: float = 0.0,
        creator_cap: int | None = None,
    ) -> None:
        self.offers = offers.offers
        self.max_people = max_people
        self.posts: dict[int, int] = {}
        self.spent = 0
        self.value = 0.0
        self.first_post = first_post
        self.floor = floor
        self.creator_cap = creator_cap
        self._offers = offers
        self._max_posts = max_posts
        self._post_value = {
            first_post + n: posts_value(offers.a, 1, first_post + n) for n in range(max_posts)
        }

    def run(
        self, budget_cents: int, side: Side | None = None, only: set[int] | None = None
    ) -> None:
        """Buy the best posts of `side` (None: both), of the offers in `only` if given, until
        nothing more fits `budget_cents` (what was spent before included), or the next post
        would bring less than `floor` of the plan's value per cost so far."""
        ranked = self._offers.ranked(self._max_posts, self.first_post, side)
        cheapest_from = ranked.cheapest_from
        cap = self.creator_cap
        for position, (minus_worth, price, index, n) in enumerate(ranked.items):
            if self.spent + cheapest_from[position] > budget_cents:
                return  # nothing from here on fits
            have = self.posts.get(index, 0)
            if have != n or (only is not None and index not in only):
                continue  # (the post before it was not bought, so this one is not either)
            if self.spent and -minus_worth < self.floor * self.value / max(self.spent / 100, 1):
                return  # every post after this one brings less still
            if have == 0 and len(self.posts) >= self.max_people:
                continue
            if self.spent + price > budget_cents or (cap is not None and (n + 1) * price > cap):
                continue
            self.posts[index] = have + 1
            self.spent += price
            self.value += -minus_worth * max(price / 100, 1)

    def split(self, budget: int, macro_share: int | None) -> None:
        """Fill `budget`: the macro side up to its share first, then the micro side, then the
        macro side with what is left; `None`: both sides together, best first."""
        if macro_share is None:
            self.run(budget)
        else:
            self.run(budget * macro_share // 100, Side.MACRO)
            self.run(budget, Side.MICRO)
            self.run(budget, Side.MACRO)
        self.prune()

    def _worth(self, index: int, post: int) -> float:
        """Value per cost of a creator's post number `post` (from 1) in this wave."""
        return self.offers[index].ratio * self._post_value[self.first_post + post - 1]

    def prune(self) -> None:
        """Drop the posts that, bought early in a split, bring less than `floor` of what the
        rest of the plan brings per cost (the last post of a creator first, the worst first)."""
        while len(self.posts) > 1 and self.floor:
            index = min(self.posts, key=lambda i: self._worth(i, self.posts[i]))
            worth = self._worth(index, self.posts[index])
            price = self.offers[index].price_cents
            units = max(price / 100, 1)
            others = (self.value - worth * units) / max((self.spent - price) / 100, 1)
            if worth >= self.floor * others:
                return
            self.value -= worth * units
            self.spent -= price
            self.posts[index] -= 1
            if not self.posts[index]:
                del self.posts[index]

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
                    audience=o.audience,
                )
            )
        return lines


@dataclass(frozen=True)
class Rules:
    """What every plan of a recommendation is built with."""

    a: Assumptions
    metric: Metric  # the goal's measure
    share_cap_from: int | None = None  # cents; from this budget, a creator's share is capped
    value_floor: bool = True  # False: what buying beyond the useful posts would bring

    def fill(
        self, offers: Offers, budget: int, max_people: int, max_posts: int, first_post: int = 1
    ) -> _Fill:
        cap = None
        if self.share_cap_from is not None and budget >= self.share_cap_from:
            cap = int(budget * self.a.plan.max_share_per_creator)
        return _Fill(
            offers,
            max_people,
            max_posts,
            first_post=first_post,
            floor=self.a.plan.useful_value_floor if self.value_floor else 0.0,
            creator_cap=cap,
        )


def one_wave(label: str, offers: Offers, budget: int, macro_share: int | None, r: Rules) -> Plan:
    a = r.a
    fill = r.fill(offers, budget, a.plan.max_people, a.plan.max_posts_per_creator)
    fill.split(budget, macro_share)
    return Plan(label, budget, tuple(fill.lines(TEST_WAVE, a)))


def two_waves(label: str, offers: Offers, budget: int, macro_share: int | None, r: Rules) -> Plan:
    """A test wave of one post each across many creators, then a scale wave of more posts
    from the test's creators, best first (by forecast, to be confirmed by the test); or one
    wave, when the test's share of the budget would keep out creators who matter (two waves
    bring less than `keep_if` of what one would)."""
    a, w = r.a, r.a.waves
    test = r.fill(offers, budget, w.test_max_people, 1)
    test.split(round(budget * w.test_share), macro_share)
    tested = set(test.posts)
    scale = r.fill(offers, budget, len(tested), a.plan.max_posts_per_creator - 1, first_post=2)
    scale.spent, scale.value = test.spent, test.value
    scale.run(budget, only=tested)
    waves = Plan(label, budget, tuple(test.lines(TEST_WAVE, a) + scale.lines(SCALE_WAVE, a)))
    single = one_wave(label, offers, budget, macro_share, r)
    keep = waves.measure(r.metric) >= w.keep_if * single.measure(r.metric)
    return waves if keep else single


def retainer(label: str, offers: Offers, budget: int, macro_share: int | None, r: Rules) -> Plan:
    """An ambassador plan: the best creators by value per cost (`offers` is in that order),
    each on the longest retainer the budget left allows, from `months` down to `min_months`
    of regular posts."""
    amb = r.a.ambassador
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
                            o.audience,
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

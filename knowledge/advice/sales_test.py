"""A sales plan that can't pay back at the middle forecast is a test (assumptions.toml,
`[test]`): a few creators, one post and a code each, a share of the budget, sized so that
its result can be read and no bigger."""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.advice.offers import Item, Offers
from knowledge.advice.plan import Line, Plan
from knowledge.advice.planner import Limits, by_id, line_from
from knowledge.base import Assumptions


def test_plan(label: str, offers: Offers, limits: Limits) -> Plan:
    """A test for a sales plan that can't pay back, to learn whether this audience buys at
    all: one post each from `test.min_people` to `test.max_people` creators, together at most
    `test.max_share` of the budget, and no more once it can be read (`test.readable_clicks`
    at the middle forecast): past that, more money buys no better answer. Among those worth
    testing (in the brief's audience, if it names one; costing per sale at most
    `marginal_cost_multiple` times the `min_people`-th best of their kind: those of the niche
    and platform asked against them, the others against all), those of the niche
    and platform asked first, each kind best per sale first, the others never taking more of
    the money than those asked (a test of the brief, not of a nearby niche or platform). A
    first pass keeps room for `min_people` (no one creator's result is all there is to read);
    a second fills from those left. Seeded parcels too, when the brief asks for seeding
    (alone, when no paid post fits: the product and a code are the cheapest test of whether
    the audience buys). Empty when no one fits that share: the reply says so rather than
    spend more on a test that can't pay back."""
    a = offers.a
    budget = int(limits.budget_cents * a.test.max_share)
    target = None if limits.on_target_share is None else True
    fits = [item for item in offers.of(None, target) if not item[3] and item[1] <= budget]
    paid = [item for item in fits if not offers.offers[item[2]].seeding]
    least = a.test.min_people
    of_all = _kth_best([item[0] for item in paid], least)
    asked = [item[0] for item in paid if offers.offers[item[2]].asked]
    best = {True: _kth_best(asked, least) if asked else of_all, False: of_all}
    worth = sorted(
        (item for item in paid if item[0] <= limits.multiple * best[offers.offers[item[2]].asked]),
        key=lambda item: (
            not offers.offers[item[2]].asked,
            item[0],
            item[1],
            offers.offers[item[2]].candidate.id,
        ),
    )
    test = _spread(offers, budget, worth)
    seeded = [item for item in fits if offers.offers[item[2]].seeding]
    seeded.sort(key=lambda item: not offers.offers[item[2]].asked)
    for item in seeded[: limits.parcels]:
        test.book(item, seeding=True)
    return Plan(label, limits.budget_cents, by_id(test.lines), a.funnel)


def _spread(offers: Offers, budget: int, worth: list[Item]) -> _Test:
    """The test of `worth` in order, with no one creator taking over `test.max_one_share` of
    its money where the others can take their place: the dearest over it is left out and the
    test booked again, kept while it still has as many creators, can be read as well and
    rests less on one (a test resting on one creator's result is no test of several); never
    the one creator of the brief asked."""
    rules = offers.a.test

    def booked_without(left_out: set[int]) -> _Test:
        test = _Test(offers, budget)
        items = [item for item in worth if item[2] not in left_out]
        test.run(items, room=True)
        test.run(items, room=False)
        return test

    left_out: set[int] = set()
    test = booked_without(left_out)
    for _ in range(len(worth)):
        dearest = max(test.prices, key=lambda index: test.prices[index], default=None)
        if dearest is None or test.prices[dearest] <= rules.max_one_share * test.spent:
            break
        if [index for index in test.prices if offers.offers[index].asked] == [dearest]:
            break  # the one creator of the brief asked: kept, a test of the brief
        left_out.add(dearest)
        attempt = booked_without(left_out)
        fewer = attempt.people < min(test.people, rules.min_people)
        unread = attempt.clicks < min(test.clicks, rules.readable_clicks)
        if fewer or unread or attempt.top_share >= test.top_share:
            break
        test = attempt
    return test


def unreadable(plan: Plan, budget_cents: int, a: Assumptions) -> bool:
    """A sales plan of the few posts that pay back, too small to be read (under the test's
    readable clicks and its share of the budget): it is run as a test instead ("€50 of
    €400,000", a planner's read)."""
    small = plan.spent_cents < a.test.max_share * budget_cents
    return small and plan.forecast.clicks.mid < a.test.readable_clicks


def _kth_best(unit_costs: list[float], k: int) -> float:
    """The `k`-th lowest cost per sale (the highest, when there are fewer): the best of a
    kind as a test measures it, so that one outlier does not leave too few to test."""
    ranked = sorted(unit_costs)
    return ranked[min(k, len(ranked)) - 1] if ranked else 0.0


class _Test:
    """The lines of a test as they are booked, with its money, people and clicks."""

    def __init__(self, offers: Offers, budget: int) -> None:
        self.offers, self.budget, self.a = offers, budget, offers.a
        self.lines: list[Line] = []
        self.booked: set[int] = set()
        self.prices: dict[int, int] = {}  # per offer booked (not the seeded parcels)
        self.spent = self.people = self.on_brief = 0
        self.clicks = 0.0

    @property
    def top_share(self) -> float:
        """The dearest creator's share of the test's money (1 for an empty test)."""
        return max(self.prices.values()) / self.spent if self.prices and self.spent else 1.0

    def readable(self) -> bool:
        rules = self.a.test
        return self.people >= rules.min_people and self.clicks >= rules.readable_clicks

    def run(self, items: Sequence[Item], room: bool) -> None:
        """Books `items` in order while the test can't be read yet; with `room`, none that
        would leave too little money for `min_people`, each at their price."""
        for item in items:
            if self.readable() or self.people >= self.a.test.max_people:
                return
            _unit_cost, price, index, _n = item
            offer = self.offers.offers[index]
            if index in self.booked or self.spent + price > self.budget:
                continue
            if self.on_brief and not offer.asked and self.spent + price > 2 * self.on_brief:
                continue
            still = self.a.test.min_people - self.people - 1
            if room and still > 0 and self.spent + price * (1 + still) > self.budget:
                continue
            self.book(item)

    def book(self, item: Item, seeding: bool = False) -> None:
        unit_cost, price, index, _n = item
        offer = self.offers.offers[index]
        if self.spent + price > self.budget:
            return
        self.lines.append(line_from(offer, 1, 1.0, unit_cost))
        self.booked.add(index)
        self.spent += price
        if not seeding:
            self.prices[index] = price
            self.people += 1
            self.clicks += offer.forecast.clicks.mid
            self.on_brief += price if offer.asked else 0

"""What the notices of a recommendation are worked out from, and the shape they take."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from knowledge.advice.brief import Brief, Candidate
from knowledge.advice.offers import Offer
from knowledge.advice.plan import Plan
from knowledge.advice.planner import Limits
from knowledge.advice.scope import Scope, SearchStep
from knowledge.advice.vetting import LeftOut
from knowledge.base import Assumptions, Fact, KnowledgeBase, Metric, Side


@dataclass(frozen=True)
class Notice:
    """A warning or remark shown with the recommendation, tied to a fact when it has one."""

    code: str
    fact: Fact | None = None
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class NextPost:
    """The post a plan would book next with the money left: the cheapest per unit not in the
    plan that the money left and the per-creator cap allow, and what stops it."""

    unit_cost: float  # cents per weighted unit
    # "ceiling" (not worth it), "people" (the cap), "audience" (elsewhere), "widened" (off
    # the niche or platform asked, past what those asked for take)
    stopped_by: str


@dataclass(frozen=True)
class Situation:
    """What the notices are worked out from."""

    brief: Brief
    kb: KnowledgeBase
    metric: Metric
    strategy: Side
    plan: Plan
    alternatives: tuple[Plan, Plan]  # all micro, all macro
    pool: Sequence[Candidate]
    everyone: Sequence[Candidate]
    offers: Sequence[Offer]
    scope: Scope
    left_out: Counter[LeftOut]
    widened: SearchStep | None
    lacking: bool
    test: bool
    ceiling: float | None
    next_post: NextPost | None
    # What the brief said of its audience that no candidate's row can match (the roster
    # lists no country, or no language, for anyone): planned as if it had said nothing.
    audience_unknown: dict[str, str] = field(default_factory=dict)

    @property
    def a(self) -> Assumptions:
        return self.kb.assumptions

    @property
    def margin_per_sale_cents(self) -> float | None:
        """What a sale through a promo code earns back (Brief.margin_per_sale_cents)."""
        return self.brief.margin_per_sale_cents(self.kb.posts.discount_pct)

    @property
    def nearby_niches_booked(self) -> list[str]:
        """The nearby niches the plan went to (the brief's aside): those to brief again
        with, to spend what a widened search may not take."""
        off = [line.candidate for line in self.plan.lines if not line.asked]
        found = {n for c in off for n in c.niches if n in self.scope.niches}
        return sorted(found - {self.brief.niche})

    @property
    def cheapest_per_sale_cents(self) -> float:
        """A sale's cost with the best-value creator that could be tested (booked or not:
        "even with the best" holds for all), per sale as the owner counts them (not weighted
        by the brief); 0 when none forecasts a sale."""
        per_sale = [
            o.price_cents / o.forecast.conversions.mid
            for o in self.offers
            if not o.seeding and o.on_target is not False and o.forecast.conversions.mid > 0
        ]
        return min(per_sale, default=0.0)

    @property
    def discount_pct(self) -> int:
        """The promo codes' discount, which a sale's margin is net of."""
        return self.brief.code_discount_pct(self.kb.posts.discount_pct)


def _retainer_cost(o: Offer, left: int, a: Assumptions) -> float | None:
    """Cents per unit of the longest retainer of `o` the money left pays (None: none)."""
    amb = a.ambassador
    for months in range(amb.months, amb.min_months - 1, -1):
        posts = months * amb.posts_per_month
        worth = 1 + amb.later_post_value * (posts - 1)
        if o.price_cents * posts <= left and o.within_market(worth / posts):
            return o.price_cents * posts / (o.value * worth)
    return None


def beyond(
    plan: Plan,
    offers: Sequence[Offer],
    limits: Limits,
    a: Assumptions,
    ceiling: float | None,
    retainers: bool = False,
) -> NextPost | None:
    """The next post (for `retainers`: the next ambassador) the money left could pay
    (`NextPost`), or None."""
    left = limits.budget_cents - plan.spent_cents
    posts: dict[int, int] = {}
    for line in plan.lines:
        posts[line.candidate.id] = posts.get(line.candidate.id, 0) + line.posts
    repeat = a.funnel.repeat_post_value
    cap = limits.creator_cap_cents
    best: tuple[float, Offer, int] | None = None
    for o in offers:
        have = posts.get(o.candidate.id, 0)
        if retainers:  # a programme of several: none over the creator cap (planner.retainer)
            room = left if cap is None or limits.people <= 1 else min(left, cap)
            unit = None if have or o.seeding else _retainer_cost(o, room, a)
            if unit is not None and (best is None or unit < best[0]):
                best = (unit, o, have)
            continue
        most = 1 if o.seeding else a.plan.most_posts(a.tier_for(o.candidate.followers).name)
        if o.price_cents > left or have >= most:
            continue
        if cap is not None and (have + 1) * o.price_cents > cap:
            continue
        if not o.within_market(repeat[min(have, len(repeat) - 1)]):
            continue
        unit_cost = o.unit_cost(repeat[min(have, len(repeat) - 1)])
        if best is None or unit_cost < best[0]:
            best = (unit_cost, o, have)
    if best is None:
        return None
    unit_cost, o, have = best
    people = len({line.candidate.id for line in plan.lines if not line.seeding})
    asked = sum(line.cost_cents for line in plan.lines if line.asked)
    widened = plan.spent_cents - asked
    amb = a.ambassador  # a retainer's least: its shortest term (planner.retainer)
    cost = o.price_cents * (amb.min_months * amb.posts_per_month if retainers else 1)
    if ceiling is not None and unit_cost > ceiling:
        stopped_by = "ceiling"
    elif have == 0 and not o.seeding and people >= limits.people:
        stopped_by = "people"
    elif not o.asked and asked and widened + cost > a.plan.widened_per_asked * asked:
        stopped_by = "widened"
    elif o.on_target is False:
        stopped_by = "audience"
    else:
        stopped_by = "ceiling" if ceiling is not None else "people"
    return NextPost(unit_cost, stopped_by)

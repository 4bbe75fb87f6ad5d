"""Choosing the plan to recommend among those built, the cost per unit every plan is held
to, and the verdict the chosen plan makes.

The cheapest plan the reply shows (all micro, all macro, or the plan itself) sets the
reference cost per unit of the goal's measure; a post is booked only while it costs at most
`marginal_cost_multiple` times that, and, with a basket and a margin, only while a sale
earns back its cost at the middle forecast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.advice.plan import Line, Plan
from knowledge.base import Assumptions, KnowledgeBase, Metric, Side, Tier

SHARE_STEP = 5  # the verdict's split is rounded to this many points
BAND_SHARE = 0.6  # a side's money mostly in one tier (this share or more): listed first


Band = tuple[int, int | None]  # followers, from–to (None: no ceiling)


@dataclass(frozen=True)
class Verdict:
    micro_pct: int
    macro_pct: int
    micro_band: Band | None = None  # the follower range most of the micro money goes to
    macro_band: Band | None = None
    micro_tier: str | None = None  # the name of that range's tier
    macro_tier: str | None = None

    @property
    def kind(self) -> str:
        if self.macro_pct == 0:
            return "micro"
        if self.micro_pct == 0:
            return "macro"
        return "mix"

    @staticmethod
    def of_plan(plan: Plan, a: Assumptions) -> Verdict:
        """The split of a plan's spend, rounded to SHARE_STEP points (a side under SHARE_STEP
        points is left out of the words: pure micro or pure macro), with each side's follower
        range (`side_band`)."""
        micro, macro = plan.spent_on(Side.MICRO), plan.spent_on(Side.MACRO)
        total = micro + macro
        exact = macro * 100 / total if total else 0.0
        share = SHARE_STEP * round(exact / SHARE_STEP)
        if exact < SHARE_STEP:
            share = 0
        elif exact > 100 - SHARE_STEP:
            share = 100
        micro_band, micro_tier = side_band(plan, Side.MICRO, a) if share < 100 else (None, None)
        macro_band, macro_tier = side_band(plan, Side.MACRO, a) if share > 0 else (None, None)
        return Verdict(100 - share, share, micro_band, macro_band, micro_tier, macro_tier)

    @staticmethod
    def of_side(side: Side) -> Verdict:
        return Verdict(0, 100) if side is Side.MACRO else Verdict(100, 0)


def main_tier(plan: Plan, side: Side, a: Assumptions) -> Tier | None:
    """The tier taking at least BAND_SHARE of the side's money."""
    by_tier: dict[str, int] = {}
    for line in plan.lines:
        if line.side is side:
            name = a.tier_for(line.candidate.followers).name
            by_tier[name] = by_tier.get(name, 0) + line.cost_cents
    spent = sum(by_tier.values())
    for tier in a.tiers:
        if spent and by_tier.get(tier.name, 0) >= BAND_SHARE * spent:
            return tier
    return None


def side_band(plan: Plan, side: Side, a: Assumptions) -> tuple[Band | None, str | None]:
    """The followers of the side's creators the verdict names: its one tier (`nano, under
    10k`) when all of the side's money goes to it; else the range its tiers span, with no
    tier's name (a planner's read: "10k–100k followers" over a plan with a nano in it)."""
    used = {a.tier_for(line.candidate.followers).name for line in plan.lines if line.side is side}
    tiers = [t for t in a.tiers if t.name in used]
    if not tiers:
        return None, None
    if len(tiers) == 1:
        return a.tier_bounds(tiers[0]), tiers[0].name
    return (tiers[0].min_followers, a.tier_bounds(tiers[-1])[1]), None


def macro_share(plan: Plan) -> float:
    spent = plan.spent_cents
    return plan.spent_on(Side.MACRO) * 100 / spent if spent else 0.0


def big_voice(plan: Plan, kb: KnowledgeBase) -> Line | None:
    """The plan's account with the most followers, if big enough to be one big voice."""
    biggest = max(plan.lines, key=lambda line: line.candidate.followers, default=None)
    threshold = kb.assumptions.strategy.big_voice_followers
    return biggest if biggest is not None and biggest.candidate.followers >= threshold else None


def weighted_unit_cost(plan: Plan) -> float | None:
    """Cents per weighted unit of the goal's measure (as the planner weighs posts)."""
    value = sum(line.value * line.worth for line in plan.lines)
    return plan.spent_cents / value if value > 0 else None


def reference_cost(plans: Sequence[Plan]) -> float | None:
    """The cheapest cost per weighted unit among plans that bring anything."""
    costs = [c for c in (weighted_unit_cost(p) for p in plans) if c is not None]
    return min(costs, default=None)


def ceiling(reference: float, a: Assumptions, margin_per_sale: float | None) -> float:
    """The most a post may cost per unit: with a basket and a margin, what a sale earns back
    (a post that pays for itself at the middle forecast earns its keep, whatever the
    cheapest plan pays); otherwise `marginal_cost_multiple` times the reference."""
    if margin_per_sale is not None:
        return margin_per_sale
    return a.plan.marginal_cost_multiple * reference


def choose(
    plans: Sequence[Plan],
    metric: Metric,
    prior: int,
    tolerance: float,
    voice_tolerance: float,
    kb: KnowledgeBase,
) -> Plan:
    """The plan to recommend. A plan that another one beats by more than `tolerance` (by
    more than `voice_tolerance`, for a plan with one big voice) at equal or lower cost is
    out: spending more for less is not using the budget. Of the others, those within the
    same leeway of the one bringing most; of these, the one whose spend is split closest to
    the prior."""
    measures = {id(p): p.measure(metric) for p in plans}

    def allowed(p: Plan) -> float:
        return voice_tolerance if big_voice(p, kb) is not None else tolerance

    def beaten(p: Plan) -> bool:
        return any(
            q.spent_cents <= p.spent_cents and measures[id(q)] > measures[id(p)] * (1 + allowed(p))
            for q in plans
        )

    kept = [p for p in plans if not beaten(p)] or list(plans)
    best = max(kept, key=lambda p: (measures[id(p)], -p.spent_cents))
    top = measures[id(best)]
    near = [p for p in kept if p.lines and measures[id(p)] * (1 + allowed(p)) >= top]
    if not near:
        return best
    return min(near, key=lambda p: (abs(macro_share(p) - prior), -measures[id(p)], p.spent_cents))

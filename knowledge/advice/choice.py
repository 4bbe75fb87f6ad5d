"""Choosing the plan to recommend among those built, and the verdict it makes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.advice.plan import Line, Plan
from knowledge.base import KnowledgeBase, Metric, Side, in_currency

SHARE_STEP = 5  # the verdict's split is rounded to this many points


@dataclass(frozen=True)
class Verdict:
    micro_pct: int
    macro_pct: int

    @property
    def kind(self) -> str:
        if self.macro_pct == 0:
            return "micro"
        if self.micro_pct == 0:
            return "macro"
        return "mix"

    @staticmethod
    def of_spend(micro_cents: int, macro_cents: int) -> Verdict:
        """The split of a plan's spend, rounded to SHARE_STEP points; a side under
        SHARE_STEP points is left out of the words (pure micro or pure macro)."""
        total = micro_cents + macro_cents
        exact = macro_cents * 100 / total if total else 0.0
        macro = SHARE_STEP * round(exact / SHARE_STEP)
        if exact < SHARE_STEP:
            macro = 0
        elif exact > 100 - SHARE_STEP:
            macro = 100
        return Verdict(100 - macro, macro)

    @staticmethod
    def of_side(side: Side) -> Verdict:
        return Verdict(0, 100) if side is Side.MACRO else Verdict(100, 0)


def measure_of(plan: Plan, metric: Metric) -> float:
    return plan.measure(metric)


def macro_share(plan: Plan) -> float:
    spent = plan.spent_cents
    return plan.spent_on(Side.MACRO) * 100 / spent if spent else 0.0


def big_voice(plan: Plan, kb: KnowledgeBase) -> Line | None:
    """The plan's account with the most followers, if big enough to be one big voice."""
    biggest = max(plan.lines, key=lambda line: line.candidate.followers, default=None)
    threshold = kb.assumptions.strategy.big_voice_followers
    return biggest if biggest is not None and biggest.candidate.followers >= threshold else None


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
    out: spending more for less is not using the budget. Then plans spending at least
    `min_spend_share` of the budget come first when there are any; among them, those within
    the same leeway of the best; of these, the one whose spend is split closest to the
    prior."""
    measures = {id(p): measure_of(p, metric) for p in plans}

    def allowed(p: Plan) -> float:
        return voice_tolerance if big_voice(p, kb) is not None else tolerance

    def beaten(p: Plan) -> bool:
        return any(
            q.spent_cents <= p.spent_cents and measures[id(q)] > measures[id(p)] * (1 + allowed(p))
            for q in plans
        )

    plans = [p for p in plans if not beaten(p)] or list(plans)
    min_spend = kb.assumptions.plan.min_spend_share
    plans = [p for p in plans if p.spent_cents >= min_spend * p.budget_cents] or plans
    best = max(plans, key=lambda p: (measures[id(p)], -p.spent_cents))
    top = measures[id(best)]

    near = [p for p in plans if p.lines and measures[id(p)] * (1 + allowed(p)) >= top]
    if not near:
        return best
    return min(near, key=lambda p: (abs(macro_share(p) - prior), -measures[id(p)], p.spent_cents))


def trimmed(plan: Plan, kb: KnowledgeBase, currency: str) -> Plan:
    """A large plan without the creators who take under `min_line_share` of its spend: each
    is a contract to manage for next to nothing."""
    threshold = in_currency(kb.assumptions.waves.from_budget, currency)
    if threshold is None or plan.budget_cents < threshold or not plan.lines:
        return plan
    smallest = kb.assumptions.plan.min_line_share * plan.spent_cents
    spent_on: dict[int, int] = {}
    for line in plan.lines:
        spent_on[id(line.candidate)] = spent_on.get(id(line.candidate), 0) + line.cost_cents
    kept = tuple(line for line in plan.lines if spent_on[id(line.candidate)] >= smallest)
    return Plan(plan.label, plan.budget_cents, kept) if kept else plan

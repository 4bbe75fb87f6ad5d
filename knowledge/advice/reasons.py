"""The reasons under a verdict: the facts of the knowledge base that argue for it."""

from __future__ import annotations

from knowledge.advice.brief import Brief
from knowledge.advice.choice import Verdict
from knowledge.advice.plan import Plan
from knowledge.base import Fact, Goal, KnowledgeBase, Side


def reasons_for(
    brief: Brief,
    verdict: Verdict,
    specialist: bool,
    plan: Plan,
    kb: KnowledgeBase,
    *,
    budget_bound: bool = False,
) -> tuple[Fact, ...]:
    """Up to four facts behind the verdict: never one arguing for the side the verdict does
    not take; conditional facts only when their condition holds; general ones (bigger is not
    always better…) when the sources give fewer than two for this side and goal."""
    sides = {Side.MICRO, Side.MACRO} if verdict.kind == "mix" else {Side(verdict.kind)}
    a = kb.assumptions
    conditions = {"mix"} if verdict.kind == "mix" else set()
    if specialist:
        conditions.add("specialist_niche")
    if brief.goal is Goal.AMBASSADOR:
        conditions.add("ambassador")
    if brief.goal is Goal.SALES:
        conditions.add("sales")
    if plan.people >= a.plan.shown_people:
        conditions.add("many_creators")
    if budget_bound:
        conditions.add("budget_bound")

    def fits(f: Fact) -> bool:
        if f.condition is not None and f.condition not in conditions:
            return False
        return f.favours in sides and (brief.goal in f.goals or f.condition in conditions)

    ranked = sorted((f for f in kb.facts if fits(f)), key=lambda f: (-f.weight, f.id))
    chosen: list[Fact] = []
    # The side with most of the money gives the first reason (a mix: each side one, first).
    leading = [Side.MACRO, Side.MICRO] if verdict.macro_pct > 50 else [Side.MICRO, Side.MACRO]
    for side in (s for s in leading if s in sides):
        chosen += [f for f in ranked if f.favours == side][:1]
    chosen += [f for f in ranked if f not in chosen]
    neutral = sorted(
        (f for f in kb.facts if f.favours == Side.NEUTRAL and f.condition in conditions),
        key=lambda f: (-f.weight, f.id),
    )
    reasons = list(dict.fromkeys([*chosen[:3], *neutral, *chosen[3:]]))[:4]
    if len(reasons) < 2:
        general = sorted(
            (f for f in kb.facts if f.favours == Side.NEUTRAL and f.condition is None and f.goals),
            key=lambda f: (-f.weight, f.id),
        )
        reasons += [f for f in general if f not in reasons][: 2 - len(reasons)]
    return tuple(reasons)

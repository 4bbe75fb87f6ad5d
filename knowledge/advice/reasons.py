"""The reasons under a verdict: the facts of the knowledge base that argue for it.

A reason argues for the side the verdict takes (for a mix: each side it books, the one with
most of the money first, then the facts on mixing, so that a mix is not argued by one side's
reasons alone; facts speaking against a side are no reason for a mix that books it), for the
brief's goal;
a fact with a condition only when that condition holds (a mix, a specialist niche, an
ambassador, a sales brief, no macro creator affordable). A fact that argues for neither side
(the announcement of a later article, what an ambassador is) is never a reason: it may be a
notice's. A verdict the roster forced against the sources' strategy says so first, as a
notice (`against_strategy`, `roster_lacks`), and its reasons are those of the side it takes.
"""

from __future__ import annotations

from knowledge.advice.brief import Brief
from knowledge.advice.choice import Verdict
from knowledge.advice.situation import Situation
from knowledge.base import Fact, Goal, KnowledgeBase, Side

MAX_REASONS = 4
# Conditions that make a neutral fact argue for the verdict: a mix is argued by the facts
# saying each type has its own strengths.
ARGUING_NEUTRAL = {"mix"}


def _conditions(brief: Brief, verdict: Verdict, specialist: bool, s: Situation) -> set[str]:
    conditions = {"mix"} if verdict.kind == "mix" else set()
    if specialist:
        conditions.add("specialist_niche")
    if brief.goal is Goal.AMBASSADOR:
        conditions.add("ambassador")
    if brief.goal is Goal.SALES:
        conditions.add("sales")
    affordable_macro = any(
        s.kb.assumptions.tier_for(c.followers).side is Side.MACRO
        and c.price_cents <= brief.budget_cents
        for c in s.everyone
    )
    if not affordable_macro and any(
        s.kb.assumptions.tier_for(c.followers).side is Side.MACRO for c in s.everyone
    ):
        conditions.add("budget_bound")
    return conditions


def reasons_for(
    brief: Brief,
    verdict: Verdict,
    specialist: bool,
    kb: KnowledgeBase,
    s: Situation,
) -> tuple[Fact, ...]:
    """Up to four facts behind the verdict: the strongest for its side (a mix: for each side,
    the one with most money first, then the facts on mixing; the facts on mixing first when
    the side with most money has none at this goal), then the rest by weight."""
    sides = {Side.MICRO, Side.MACRO} if verdict.kind == "mix" else {Side(verdict.kind)}
    conditions = _conditions(brief, verdict, specialist, s)

    def argues(f: Fact) -> bool:
        if f.condition is not None and f.condition not in conditions:
            return False
        if verdict.kind == "mix" and f.against is not None:  # it books both sides
            return False
        if f.favours is Side.NEUTRAL:
            return f.condition in ARGUING_NEUTRAL & conditions
        return f.favours in sides and (brief.goal in f.goals or f.condition in conditions)

    ranked = sorted((f for f in kb.facts if argues(f)), key=lambda f: (-f.weight, f.id))
    leading = [Side.MACRO, Side.MICRO] if verdict.macro_pct > 50 else [Side.MICRO, Side.MACRO]
    chosen: list[Fact] = []
    for side in (side for side in leading if side in sides):
        found = [f for f in ranked if f.favours is side][:1]
        if not found and not chosen:  # most money, no fact for it: why a mix, first
            chosen += [f for f in ranked if f.favours is Side.NEUTRAL]
        chosen += found
    chosen += [f for f in ranked if f.favours is Side.NEUTRAL and f not in chosen]
    chosen += [f for f in ranked if f not in chosen]
    return tuple(chosen[:MAX_REASONS])

"""The recommendation engine: verdict, reasons, plan and forecasts for a brief.

Pure and deterministic: the same brief, candidates, price guide and knowledge give the same
answer. Money is handled in integer cents so that totals are exact.

How a recommendation is made:
1. The candidates are those the bot's rules let it book (`vetting`: audience quality,
   posting pace, engagement, prices under or over the market, gifted-only accounts without
   seeding), in the brief's search steps taken until enough of them could fill a plan
   (`scope.fill_rule`; those found by widening count for less); one account per person.
2. The sources' strategy gives a prior share of the budget for macro creators (per goal,
   less in specialist niches). If the side it favours is missing where the brief looks, that
   side is looked for wider; if the roster has none at all, the verdict keeps the strategy
   and the reply says what the roster lacks and offers instead.
3. All micro, all macro and a plan taking both sides cheapest first are built, each
   spending while a post costs at most `marginal_cost_multiple` times its own cost per unit
   so far; the cheapest of them per unit of the goal's measure is the reference. Then the
   plans (several splits of the budget, and no split) are built again, booking a post only
   while it costs at most that multiple of the reference, and, with a basket and a margin,
   while a sale earns back its cost. The plan kept is, among those delivering at least
   1 / (1 + tolerance) of the best one's measure, the one whose spend is closest to the
   prior. A sales plan that can pay back nowhere, or too little to read, is a test. From a
   budget, two waves: wave 1 booked, wave 2 a reserve the wave-1 results release.
4. The verdict is the split of that plan's spend. Ambassadors: retainers (`_build_retainers`).
An owner's results (`own`) move every forecast above towards their rates (advice.learning).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from knowledge.advice.audience import audience_known
from knowledge.advice.brief import Brief, Candidate, PriceGuide
from knowledge.advice.choice import Verdict, ceiling, choose, reference_cost, weighted_unit_cost
from knowledge.advice.edits import Editing, PlanEdits, edited
from knowledge.advice.forecast import value_per_cost
from knowledge.advice.learning import Learning, Outcome, learning, with_learning
from knowledge.advice.notices import notices_for
from knowledge.advice.offers import Offer, Offers, make_offer
from knowledge.advice.plan import Plan
from knowledge.advice.planner import (
    Limits,
    asked_ceiling,
    limits_for,
    one_wave,
    programme,
    retainer,
    retainer_limits,
    shape_for,
)
from knowledge.advice.reasons import reasons_for
from knowledge.advice.sales_test import test_plan, unreadable
from knowledge.advice.scope import (
    Scope,
    SearchStep,
    fill_rule,
    in_any_step,
    in_step,
    niches_to_fetch,
    one_per_person,
    scope_of,
    search_steps,
    side_of,
    widen_side,
)
from knowledge.advice.situation import Notice, Situation, beyond
from knowledge.advice.vetting import LeftOut, vet
from knowledge.base import Fact, Goal, KnowledgeBase, Metric, Side, in_currency

__all__ = ["Recommendation", "recommend"]
# How many times the reference cost is worked out again when a plan built under it turns
# out cheaper still (each time the ceiling can only come down).
REFERENCE_ROUNDS = 6


@dataclass(frozen=True)
class Recommendation:
    brief: Brief
    verdict: Verdict
    strategy: Side  # the side the sources' strategy favours for this brief (NEUTRAL: even)
    metric: Metric  # the goal's measure
    reasons: tuple[Fact, ...]
    plan: Plan
    all_micro: Plan
    all_macro: Plan
    notices: tuple[Notice, ...]
    scope: Scope
    test: bool = False  # a sales plan that can't pay back, or too little to read: a test
    ceiling: float | None = None  # the most a post may cost, cents per (weighted) unit
    asked_ceiling: float | None = None  # the same for those asked, when the search widened
    learning: Learning | None = None  # what the owner's results made of the public rates

    def notice(self, code: str) -> Notice | None:
        return next((n for n in self.notices if n.code == code), None)


@dataclass(frozen=True)
class Pool:
    """The candidates a brief is planned from, and what the reply says of the others."""

    everyone: list[Candidate]  # where the plan looks, at any price or quality
    pool: list[Candidate]  # those the rules let it book (and the widened side, if any)
    scope: Scope
    widened: SearchStep | None
    lacking: bool  # the roster has none of the strategy's side where the brief looks
    left_out: Counter[LeftOut]


@dataclass(frozen=True)
class Built:
    plan: Plan
    all_micro: Plan
    all_macro: Plan
    ceiling: float | None
    test: bool = False
    asked_ceiling: float | None = None


def _pool(
    brief: Brief,
    candidates: Sequence[Candidate],
    strategy: Side,
    kb: KnowledgeBase,
    prices: PriceGuide,
) -> Pool:
    a = kb.assumptions
    priced = [c for c in candidates if c.price_cents >= 0]
    vetted = vet(priced, brief, niches_to_fetch(brief, kb), prices, a)
    floor = in_currency(a.fair_pay_floor, brief.currency) or 0
    kept = {c.id for c in vetted.kept}
    bookable, enough = fill_rule(brief, kb)  # vetted too: one left out fills no plan
    looked, scope, step_index = scope_of(
        brief, priced, kb, lambda c: c.id in kept and bookable(c), enough
    )
    pool = [c for c in looked if c.id in kept]
    everyone = looked
    # The roster lacks a side when the niche has none of it at any price or quality.
    lacking = (
        strategy is not Side.NEUTRAL
        and bool(everyone)
        and not any(side_of(c, kb) is strategy for c in priced if in_any_step(c, brief, kb))
    )
    widened: SearchStep | None = None
    if pool and strategy is not Side.NEUTRAL and not any(side_of(c, kb) is strategy for c in pool):
        extra, widened = widen_side(brief, vetted.kept, strategy, step_index, kb)
        pool += extra
    metric = a.goal_metric[brief.goal]
    room = a.plan.people_for(brief.budget_cents, brief.currency)

    def score(c: Candidate) -> float:  # as the search ranks them: per what a post is paid
        return value_per_cost(c, metric, a, floor)

    # In the running: among each side's `room` best scores of those the budget could pay
    # (so the count is the same whether the candidates come from the search or the roster).
    bar = {}
    for side in (Side.MICRO, Side.MACRO):
        scores = sorted(
            (
                score(c)
                for c in everyone
                if side_of(c, kb) is side and c.price_cents <= brief.budget_cents
            ),
            reverse=True,
        )
        bar[side] = scores[room - 1] if len(scores) >= room else 0.0

    def in_the_running(c: Candidate) -> bool:
        return score(c) >= bar[side_of(c, kb)]

    left_out = vetted.left_out(everyone, brief.budget_cents, in_the_running)
    return Pool(everyone, pool, scope, widened, lacking, left_out)


def _offers(
    brief: Brief, pool: Sequence[Candidate], metric: Metric, kb: KnowledgeBase
) -> list[Offer]:
    """What each person brings (one account each: the best value per cost); those of the
    first search step that has anyone come first in every plan (`Offer.asked`)."""
    a = kb.assumptions
    rank = {c.id: value_per_cost(c, metric, a) for c in pool}
    steps = search_steps(brief, kb)
    asked = next((step for step in steps if any(in_step(c, step) for c in pool)), steps[0])
    offers = (
        make_offer(
            c,
            side_of(c, kb),
            brief,
            metric,
            a,
            in_step(c, asked),
            off_niche=not set(c.niches) & set(asked.niches),
            paid_use=kb.posts.paid_use,
        )
        for c in one_per_person(pool, rank)
    )
    return [o for o in offers if o is not None]


def _build_posts(
    brief: Brief,
    offers: Offers,
    limits: Limits,
    metric: Metric,
    prior: int,
    voice: float,
    kb: KnowledgeBase,
    shape: Callable[[Plan, Limits], Plan] = lambda plan, _limits: plan,
) -> Built:
    """Posts (not retainers): the alternatives at their own pace, then the plan under the
    ceiling the cheapest of them sets, in the `shape` it is shown in (waves): a cheaper plan
    shown lowers the ceiling again; a test when no sale, or too few to read, can pay back.
    When widened, those of the niche and platform asked are held against their own cheapest
    plan (`asked_ceiling`): cheaper creators elsewhere do not rule out what the owner chose."""
    a = kb.assumptions
    empty = Plan("plan", brief.budget_cents, (), a.funnel)
    micro = one_wave("micro", offers, limits, side=Side.MICRO)
    macro = one_wave("macro", offers, limits, side=Side.MACRO)
    reference = reference_cost([micro, macro, one_wave("plan", offers, limits)])
    if reference is None:
        return Built(empty, micro, macro, None)
    sale_margin = brief.margin_per_sale_cents(kb.posts.discount_pct)
    margin = sale_margin if brief.goal is Goal.SALES else None
    if margin is not None and offers.items[0][0] > margin:
        return Built(test_plan("plan", offers, limits), micro, macro, None, test=True)
    shares = sorted({*a.strategy.split_grid, prior})
    chosen, limit = empty, reference
    asked_limit = asked_ceiling(offers, limits, margin)
    for _ in range(REFERENCE_ROUNDS):
        limit = ceiling(reference, a, margin)
        bounded = replace(limits, ceiling=limit, asked_ceiling=asked_limit)
        plans = [one_wave("plan", offers, bounded, share) for share in (*shares, None)]
        chosen = shape(choose(plans, metric, prior, a.strategy.tolerance, voice, kb), bounded)
        own = weighted_unit_cost(chosen)
        if own is None or own >= reference * (1 - 1e-9):
            break
        reference = own
    if margin is not None and unreadable(chosen, limits.budget_cents, a):  # the few that pay
        return Built(test_plan("plan", offers, limits), micro, macro, None, test=True)
    return Built(chosen, micro, macro, limit, asked_ceiling=asked_limit)


def _build_retainers(
    brief: Brief,
    offers: Sequence[Offer],
    limits: Limits,
    side: Side | None,
    kb: KnowledgeBase,
) -> tuple[Built, Side | None]:
    """Ambassadors, and the side they are drawn from: retainers of the favoured side (`side`;
    None: either; the sources favour one for what a cost per unit does not show), or either
    when its programme is too thin beside the other's (`Plan.thin_beside`), as many as the
    budget's band allows, each at most the ceiling per unit: twice the cheapest retainers."""
    a = kb.assumptions
    people = a.ambassador.creators_for(brief.budget_cents, brief.currency)

    def of(label: str, only: Side | None, lim: Limits) -> Plan:
        chosen = [o for o in offers if only is None or o.side is only]
        return retainer(label, Offers(chosen, a, 1), lim, people)

    def shown(label: str, only: Side | None) -> Plan:
        chosen = [o for o in offers if only is None or o.side is only]
        return programme(label, Offers(chosen, a, 1), limits, people)

    micro, macro = shown("micro", Side.MICRO), shown("macro", Side.MACRO)
    favoured = shown("plan", side)
    other = macro if side is Side.MICRO else micro
    if side is not None and favoured.thin_beside(other, people, a.goal_metric[brief.goal]):
        side, favoured = None, shown("plan", None)
    reference = reference_cost([favoured] if side is not None else [micro, macro, favoured])
    if reference is None:
        return Built(Plan("plan", brief.budget_cents, (), a.funnel), micro, macro, None), side
    limit = ceiling(reference, a, None)
    return Built(of("plan", side, replace(limits, ceiling=limit)), micro, macro, limit), side


def _build(
    brief: Brief, offers: list[Offer], found: Pool, strategy: Side, prior: int, kb: KnowledgeBase
) -> tuple[Built, list[Offer]]:
    """The plans, and the offers the recommended plan could draw from (ambassadors: a side)."""
    a = kb.assumptions
    metric = a.goal_metric[brief.goal]
    limits = limits_for(brief, kb)
    if brief.goal is Goal.AMBASSADOR:
        favoured = None if found.lacking or strategy is Side.NEUTRAL else strategy
        if not any(o.side is favoured for o in offers):  # none may be booked: the other, said
            favoured = None
        built, used = _build_retainers(brief, offers, limits, favoured, kb)
        return built, [o for o in offers if used is None or o.side is used]
    voice = a.strategy.tolerance
    if strategy is Side.MACRO:
        voice = max(voice, a.strategy.big_voice_tolerance.get(brief.goal, 0.0))
    ranked, shape = Offers(offers, a, a.plan.max_posts_per_creator), shape_for(brief, kb)
    return _build_posts(brief, ranked, limits, metric, prior, voice, kb, shape), offers


def _situation(
    brief: Brief,
    kb: KnowledgeBase,
    strategy: Side,
    plan: Plan,
    built: Built,
    found: Pool,
    offers: list[Offer],
    eligible: list[Offer],
) -> Situation:
    a = kb.assumptions
    limits = retainer_limits(brief, limits_for(brief, kb), kb)
    return Situation(
        brief=brief,
        kb=kb,
        metric=a.goal_metric[brief.goal],
        strategy=strategy,
        plan=plan,
        alternatives=(built.all_micro, built.all_macro),
        pool=found.pool,
        everyone=found.everyone,
        offers=offers,
        scope=found.scope,
        left_out=found.left_out,
        widened=found.widened,
        lacking=found.lacking,
        test=built.test,
        ceiling=built.ceiling,
        next_post=beyond(plan, eligible, limits, a, built.ceiling, brief.goal is Goal.AMBASSADOR),
    )


def _editing(brief: Brief, kb: KnowledgeBase, built: Built, found: Pool) -> Editing:
    """What the owner's edits draw on (`edits.Editing`), but the offers and candidates."""
    limits = limits_for(brief, kb)
    bounded = replace(limits, ceiling=built.ceiling, asked_ceiling=built.asked_ceiling)
    movable = brief.goal is not Goal.AMBASSADOR and not built.test and built.ceiling is not None
    shape = shape_for(brief, kb)
    return Editing(brief, kb, (), bounded, (), {}, found.scope.niches, shape, movable)


def recommend(
    brief: Brief,
    candidates: Sequence[Candidate],
    kb: KnowledgeBase,
    prices: PriceGuide | None = None,
    own: Sequence[Outcome] = (),
    edits: PlanEdits | None = None,
) -> Recommendation:
    """Verdict, reasons, plan and forecasts for `brief`, drawn from `candidates`; `prices`:
    the roster's asks per group (to leave out low ones); `own`: the owner's results;
    `edits`: the owner's changes to the plan (the plan page), made before the verdict."""
    learned = learning(own, kb.assumptions.funnel.credibility_posts)
    kb = with_learning(kb, learned)
    a = kb.assumptions
    asked = brief
    brief, audience_unknown = audience_known(brief, candidates)
    metric = a.goal_metric[brief.goal]
    niche = kb.niches.get(brief.niche)
    specialist = bool(niche and niche.specialist)
    prior = a.strategy.prior(brief.goal, specialist)
    strategy = Side.MICRO if prior < 50 else Side.MACRO if prior > 50 else Side.NEUTRAL
    found = _pool(brief, candidates, strategy, kb, prices or {})
    offers = _offers(brief, found.pool, metric, kb)
    built, eligible = _build(brief, offers, found, strategy, prior, kb)
    plan = built.plan
    if edits:
        on = replace(_editing(brief, kb, built, found), offers=eligible, candidates=candidates)
        plan = edited(plan, edits, replace(on, prices=prices or {}))
        eligible = [o for o in eligible if o.candidate.id not in edits.out]
    if not plan.lines:  # (a side the roster lacks: the plan is what it offers instead)
        verdict = Verdict.of_side(strategy if strategy is not Side.NEUTRAL else Side.MICRO)
        plan = Plan("plan", brief.budget_cents, (), a.funnel)
    else:
        verdict = Verdict.of_plan(plan, a)
    situation = _situation(brief, kb, strategy, plan, built, found, offers, eligible)
    situation = replace(situation, audience_unknown=audience_unknown)
    return Recommendation(
        brief=asked,
        verdict=verdict,
        strategy=strategy,
        metric=metric,
        reasons=reasons_for(brief, verdict, specialist, kb, situation),
        plan=plan,
        all_micro=built.all_micro,
        all_macro=built.all_macro,
        notices=tuple(notices_for(situation)),
        scope=found.scope,
        test=built.test,
        ceiling=built.ceiling,
        asked_ceiling=built.asked_ceiling,
        learning=learned,
    )

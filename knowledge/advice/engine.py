"""The recommendation engine: verdict, reasons, plan and forecasts for a brief.

Pure and deterministic: the same brief, candidates and knowledge give the same answer.
Money is handled in integer cents so that totals are exact.

How a recommendation is made:
1. The candidates are those of the brief's first search step that finds anyone (the niche on
   the platform, then wider); creators under the audience-quality floor are left out, and
   rows sharing a contact count as one person.
2. The sources' strategy gives a prior share of the budget for macro creators (per goal,
   less in specialist niches). If the side it favours is missing where the brief looks, that
   side is looked for wider; if the roster has none at all, the verdict keeps the strategy
   and the reply says what the roster lacks and offers instead.
3. Plans are built for several splits of the budget, and without a split; all micro and all
   macro are the bot's own alternatives. The plan kept is, among those delivering at least
   1 / (1 + tolerance) of the best one's measure, the one whose spend is closest to the prior.
4. The verdict is the split of that plan's actual spend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.advice.audience import audience_match
from knowledge.advice.brief import Brief, Candidate
from knowledge.advice.choice import Verdict, choose, macro_share, trimmed
from knowledge.advice.forecast import Forecast, post_figures, post_forecast, value_per_cost
from knowledge.advice.notices import Notice, notices_for
from knowledge.advice.offers import Offer, Offers, offer, ranked
from knowledge.advice.plan import Plan
from knowledge.advice.planner import Rules, one_wave, retainer, two_waves
from knowledge.advice.reasons import reasons_for
from knowledge.advice.scope import (
    Scope,
    SearchStep,
    in_any_step,
    in_step,
    one_per_person,
    scope_of,
    search_steps,
    side_of,
    widen_side,
)
from knowledge.base import Fact, Goal, KnowledgeBase, Metric, Side, in_currency

__all__ = ["Brief", "Candidate", "Recommendation", "recommend", "search_steps"]


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

    def notice(self, code: str) -> Notice | None:
        return next((n for n in self.notices if n.code == code), None)


def _left_out_for_quality(
    brief: Brief,
    priced: Sequence[Candidate],
    offers: Sequence[Offer],
    metric: Metric,
    step_index: int,
    kb: KnowledgeBase,
) -> int:
    """How many creators under the audience-quality floor would have been in the running:
    where the plan looks, within budget, and with a first post worth at least that of the
    last creator a plan could hold on their side."""
    a = kb.assumptions
    if step_index < 0:
        return 0
    step = search_steps(brief, kb)[step_index]
    room = a.ambassador.max_creators if brief.goal is Goal.AMBASSADOR else a.plan.max_people
    bar = {}
    for side in (Side.MICRO, Side.MACRO):
        ratios = sorted((o.ratio for o in offers if o.side is side), reverse=True)
        bar[side] = ratios[room - 1] if len(ratios) >= room else 0.0
    return sum(
        1
        for c in priced
        if c.audience_quality is not None
        and c.audience_quality < a.plan.audience_quality_floor
        and c.price_cents <= brief.budget_cents
        and in_step(c, step)
        and value_per_cost(c, metric, a) >= bar[side_of(c, kb)]
    )


def _weight(c: Candidate, brief: Brief, kb: KnowledgeBase) -> float:
    """How much the brief values a creator's post: less when their audience is not in the
    brief's country or language; a little more for an ambassador open to exclusivity."""
    a = kb.assumptions
    weight = 1.0
    wanted = int(brief.country is not None) + int(brief.language is not None)
    if wanted and audience_match(c, brief.country, brief.language) < wanted:
        weight *= a.audience.off_target_value[brief.goal]
    if brief.goal is Goal.AMBASSADOR and c.open_to_exclusivity:
        weight *= a.ambassador.exclusivity_preference
    return weight


def _offers(
    brief: Brief,
    people: Sequence[Candidate],
    metric: Metric,
    kb: KnowledgeBase,
    forecasts: dict[int, Forecast],
) -> list[Offer]:
    """What each person brings, among those the budget can buy. An ambassador is paid at
    least the fair-pay floor a post, and is not someone whose feed buries sponsored posts."""
    a = kb.assumptions
    floor = in_currency(a.fair_pay_floor, brief.currency) or 0
    offers = []
    for c in people:
        price = c.price_cents
        if brief.goal is Goal.AMBASSADOR:
            if post_figures(c, a).diluted:
                continue
            price = max(price, floor)
        if price <= brief.budget_cents:
            weight = _weight(c, brief, kb)
            offers.append(offer(c, side_of(c, kb), metric, a, weight, price, forecasts[id(c)]))
    return ranked(offers)


def recommend(brief: Brief, candidates: Sequence[Candidate], kb: KnowledgeBase) -> Recommendation:
    """Verdict, reasons, plan and forecasts for `brief`, drawn from `candidates`."""
    a = kb.assumptions
    metric = a.goal_metric[brief.goal]
    niche = kb.niches.get(brief.niche)
    specialist = bool(niche and niche.specialist)
    prior = a.strategy.prior(brief.goal, specialist)
    strategy = Side.MICRO if prior < 50 else Side.MACRO if prior > 50 else Side.NEUTRAL

    quality_floor = a.plan.audience_quality_floor
    priced = [c for c in candidates if c.price_cents >= 0]
    eligible = [
        c for c in priced if c.audience_quality is None or c.audience_quality >= quality_floor
    ]
    pool, scope, step_index = scope_of(brief, eligible, kb)
    everyone, _, _ = scope_of(brief, priced, kb)
    # The roster lacks a side when the niche has none of it at any price or quality.
    lacking = (
        strategy is not Side.NEUTRAL
        and bool(everyone)
        and not any(side_of(c, kb) is strategy for c in priced if in_any_step(c, brief, kb))
    )
    widened: SearchStep | None = None
    if pool and strategy is not Side.NEUTRAL and not any(side_of(c, kb) is strategy for c in pool):
        extra, widened = widen_side(brief, eligible, strategy, step_index, kb)
        pool += extra

    forecasts = {id(c): post_forecast(c, a) for c in pool}
    ratios = {id(c): forecasts[id(c)].of(metric).mid / max(c.price_cents / 100, 1.0) for c in pool}
    people = one_per_person(pool, ratios)
    offers = _offers(brief, people, metric, kb, forecasts)
    low_quality = _left_out_for_quality(brief, priced, offers, metric, step_index, kb)

    build = retainer if brief.goal is Goal.AMBASSADOR else one_wave
    threshold = in_currency(a.waves.from_budget, brief.currency)
    if build is one_wave and threshold is not None and brief.budget_cents >= threshold:
        build = two_waves
    rules = Rules(a, metric, in_currency(a.plan.share_cap_from, brief.currency))
    budget = brief.budget_cents
    micro = Offers([o for o in offers if o.side is Side.MICRO], a)
    macro = Offers([o for o in offers if o.side is Side.MACRO], a)
    all_micro = trimmed(build("micro", micro, budget, None, rules), kb, brief.currency)
    all_macro = trimmed(build("macro", macro, budget, None, rules), kb, brief.currency)
    both = Offers(offers, a)
    shares = sorted({*a.strategy.split_grid, prior})
    splits = [
        trimmed(build("plan", both, budget, share, rules), kb, brief.currency)
        for share in (*shares, None)
    ]
    tolerance = a.strategy.tolerance
    voice = tolerance
    if strategy is Side.MACRO:
        voice = max(tolerance, a.strategy.big_voice_tolerance.get(brief.goal, 0.0))
    plans = [*splits, all_micro, all_macro]
    chosen = choose(plans, metric, prior, tolerance, voice, kb)
    if lacking or not chosen.lines:
        verdict = Verdict.of_side(strategy if strategy is not Side.NEUTRAL else Side.MICRO)
        plan = Plan("plan", budget, ())
    else:
        plan = Plan("plan", budget, chosen.lines)
        verdict = Verdict.of_spend(plan.spent_on(Side.MICRO), plan.spent_on(Side.MACRO))

    unfloored = Rules(a, metric, rules.share_cap_from, value_floor=False)
    share = None if not plan.spent_cents else round(macro_share(plan))
    notices = notices_for(
        brief,
        kb,
        plan=plan,
        alternatives=(all_micro, all_macro),
        beyond=lambda: one_wave("plan", both, budget, share, unfloored),
        metric=metric,
        strategy=strategy,
        scope=scope,
        pool=pool,
        everyone=everyone,
        offers=offers,
        low_quality=low_quality,
        widened=widened,
        lacking=lacking,
    )
    budget_bound = any(side_of(c, kb) is Side.MACRO for c in everyone) and not any(
        o.side is Side.MACRO for o in offers
    )
    return Recommendation(
        brief=brief,
        verdict=verdict,
        strategy=strategy,
        metric=metric,
        reasons=reasons_for(brief, verdict, specialist, plan, kb, budget_bound=budget_bound),
        plan=plan,
        all_micro=all_micro,
        all_macro=all_macro,
        notices=tuple(notices),
        scope=scope,
    )

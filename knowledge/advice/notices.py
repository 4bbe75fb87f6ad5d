"""Everything a recommendation must say besides the plan itself: what the roster lacks, money
left, break-even, audience, fair pay, and the like, as codes and values the templates word."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from knowledge.advice.audience import audience_match
from knowledge.advice.brief import Brief, Candidate
from knowledge.advice.choice import big_voice, measure_of
from knowledge.advice.forecast import post_figures
from knowledge.advice.offers import Offer
from knowledge.advice.plan import Plan
from knowledge.advice.scope import Scope, SearchStep, side_of
from knowledge.base import Fact, Goal, KnowledgeBase, Metric, Side, in_currency


@dataclass(frozen=True)
class Notice:
    """A warning or remark shown with the recommendation, tied to a fact when it has one."""

    code: str
    fact: Fact | None = None
    params: dict[str, object] = field(default_factory=dict)


def notices_for(
    brief: Brief,
    kb: KnowledgeBase,
    *,
    plan: Plan,
    alternatives: tuple[Plan, Plan],
    beyond: Callable[[], Plan],  # the plan without the value floor (built only if needed)
    metric: Metric,
    strategy: Side,
    scope: Scope,
    pool: Sequence[Candidate],
    everyone: Sequence[Candidate],
    offers: Sequence[Offer],
    low_quality: int,
    widened: SearchStep | None,
    lacking: bool,
) -> list[Notice]:
    """Everything the reply must say besides the plan itself, most pressing first."""
    a = kb.assumptions
    notices: list[Notice] = []
    if not pool:
        known = kb.niches.get(brief.niche)
        notices.append(Notice("no_match", params={"nearest": known.related if known else ()}))
    elif scope.niche_widened:
        notices.append(Notice("niche_widened", params={"nearest": scope.niches}))
    if scope.platform_widened and pool:
        notices.append(Notice("platform_widened"))
    if lacking:
        other = alternatives[1] if strategy is Side.MICRO else alternatives[0]
        notices.append(
            Notice("roster_lacks", params={"side": strategy.value, "instead": other.label})
        )
    elif widened is not None:
        notices.append(
            Notice(
                "side_widened",
                params={
                    "side": strategy.value,
                    "niches": widened.niches,
                    "platform": widened.platform,
                    "niche_widened": widened.niche_widened,
                },
            )
        )
    if pool and not plan.lines and not lacking:
        notices.append(_nothing_affordable(brief, pool, kb))
    if any(line.niches for line in kb.checklist_for(brief.country, brief.niche)):
        notices.append(Notice("regulated"))
    if brief.goal is Goal.SALES and plan.lines:
        notices.append(_break_even(brief, plan, kb))
    notices += _trade_off(plan, alternatives, metric, strategy, kb)
    notices += _against_strategy(brief, plan, alternatives, everyone, strategy, kb)
    if plan.lines and plan.spent_cents < a.plan.min_spend_share * brief.budget_cents:
        notices.append(_unspent(brief, plan, beyond(), metric, kb))
    if plan.waves == 2:
        notices.append(Notice("waves", params={"test_share": a.waves.test_share, "metric": metric}))
    notices += _one_platform(brief, plan, metric)
    if low_quality:
        floor = a.plan.audience_quality_floor
        notices.append(Notice("low_quality", params={"count": low_quality, "floor": floor}))
    if brief.country or brief.language:
        notices.append(_audience(brief, plan, offers))
    if plan.lines and plan.lines[0].months:
        notices.append(_ambassador(plan, kb))
    frequent = {
        line.candidate.name for line in plan.lines if post_figures(line.candidate, a).diluted
    }
    if frequent:
        notices.append(
            Notice(
                "high_frequency",
                kb.fact("S1-feed-dilution"),
                {"names": sorted(frequent), "limit": a.funnel.dilution_posts_per_week},
            )
        )
    fair = in_currency(a.fair_pay_floor, brief.currency)
    underpaid = sorted(
        {
            line.candidate.name
            for line in plan.lines
            if fair is not None and line.cost_cents < fair * line.posts
        }
    )
    if underpaid:
        notices.append(
            Notice(
                "fair_pay",
                kb.fact("S1-fair-pay"),
                {"names": underpaid, "floor_cents": fair, "people": plan.people},
            )
        )
    fictional = len({line.candidate.id for line in plan.lines if line.candidate.sample})
    if fictional:
        notices.append(Notice("sample_people", params={"count": fictional}))
    return notices


def _nothing_affordable(brief: Brief, pool: Sequence[Candidate], kb: KnowledgeBase) -> Notice:
    """Why nobody fits: the cheapest post, or, for an ambassador, the cheapest retainer (its
    fewest posts, each paid at least the fair-pay floor)."""
    a = kb.assumptions
    cheapest = min(c.price_cents for c in pool)
    if brief.goal is not Goal.AMBASSADOR:
        return Notice("nothing_affordable", params={"cheapest_cents": cheapest})
    posts = a.ambassador.min_months * a.ambassador.posts_per_month
    per_post = max(cheapest, in_currency(a.fair_pay_floor, brief.currency) or 0)
    return Notice(
        "retainer_too_dear",
        params={"posts": posts, "per_post_cents": per_post, "cost_cents": per_post * posts},
    )


def _trade_off(
    plan: Plan,
    alternatives: tuple[Plan, Plan],
    metric: Metric,
    strategy: Side,
    kb: KnowledgeBase,
) -> list[Notice]:
    """When all micro or all macro beats the plan by more than the tolerance at equal or
    lower cost, the reply says why the plan is kept: its one big voice, named."""
    voice = big_voice(plan, kb)
    if not plan.lines or voice is None:
        return []
    mine = measure_of(plan, metric)
    tolerance = kb.assumptions.strategy.tolerance
    for alternative in alternatives:
        theirs = measure_of(alternative, metric)
        if alternative.spent_cents <= plan.spent_cents and theirs > mine * (1 + tolerance):
            return [
                Notice(
                    "big_voice",
                    params={
                        "alternative": alternative.label,
                        "more_pct": round((theirs / mine - 1) * 100) if mine else 100,
                        "metric": metric.value,
                        "strategy": strategy.value,
                        "name": voice.candidate.name,
                        "followers": voice.candidate.followers,
                    },
                )
            ]
    return []


def _against_strategy(
    brief: Brief,
    plan: Plan,
    alternatives: tuple[Plan, Plan],
    everyone: Sequence[Candidate],
    strategy: Side,
    kb: KnowledgeBase,
) -> list[Notice]:
    """When most of the money goes to the side the sources' strategy does not favour, the
    reply says why: the favoured side has no one with a sound audience within the budget,
    or those it has can't take the budget (at a cost worth paying)."""
    spent = plan.spent_cents
    if not spent or strategy is Side.NEUTRAL:
        return []
    other = Side.MACRO if strategy is Side.MICRO else Side.MICRO
    if plan.spent_on(other) * 2 <= spent:
        return []
    favoured = alternatives[0] if strategy is Side.MICRO else alternatives[1]
    params: dict[str, object] = {"side": other.value, "strategy": strategy.value}
    if not favoured.lines:
        sound = [
            c.price_cents
            for c in everyone
            if side_of(c, kb) is strategy
            and (
                c.audience_quality is None
                or c.audience_quality >= kb.assumptions.plan.audience_quality_floor
            )
        ]
        params |= {"why": "none", "cheapest_cents": min(sound) if sound else None}
    else:
        params |= {"why": "capacity", "capacity_cents": favoured.spent_cents}
    return [Notice("against_strategy", params=params)]


def _unspent(brief: Brief, plan: Plan, beyond: Plan, metric: Metric, kb: KnowledgeBase) -> Notice:
    """Money left: what spending more would bring, priced in the plan's own unit; or, for an
    ambassador, that a plan holds few creators."""
    params: dict[str, object] = {
        "left_cents": brief.budget_cents - plan.spent_cents,
        "retainer": brief.goal is Goal.AMBASSADOR,
        "max_creators": kb.assumptions.ambassador.max_creators,
        "metric": metric.value,
    }
    more_spent = beyond.spent_cents - plan.spent_cents
    more = measure_of(beyond, metric) - measure_of(plan, metric)
    mine = measure_of(plan, metric)
    per = 1000 if metric is Metric.REACH else 1
    if more_spent > 0 and more > 0 and mine > 0:
        params |= {
            "more_spent_cents": more_spent,
            "more": more,
            "more_cost_cents": more_spent * per / more,
            "plan_cost_cents": plan.spent_cents * per / mine,
        }
    return Notice("unspent", params=params)


def _one_platform(brief: Brief, plan: Plan, metric: Metric) -> list[Notice]:
    """Sales plans resting mostly on one platform the owner did not ask for: its click
    figures are rough (they decide a sales plan)."""
    if brief.platform is not None or metric is not Metric.CONVERSIONS or not plan.spent_cents:
        return []
    spend: dict[str, int] = {}
    for line in plan.lines:
        spend[line.candidate.platform] = spend.get(line.candidate.platform, 0) + line.cost_cents
    platform, cents = max(spend.items(), key=lambda item: item[1])
    if cents * 2 <= plan.spent_cents:
        return []
    return [
        Notice(
            "one_platform",
            params={"platform": platform, "pct": round(cents * 100 / plan.spent_cents)},
        )
    ]


def _audience(brief: Brief, plan: Plan, offers: Sequence[Offer]) -> Notice:
    """How much of the money reaches the brief's country or language."""
    wanted = int(brief.country is not None) + int(brief.language is not None)

    def matches(c: Candidate) -> bool:
        return audience_match(c, brief.country, brief.language) == wanted

    on_target = sum(line.cost_cents for line in plan.lines if matches(line.candidate))
    return Notice(
        "audience",
        params={
            "country": brief.country,
            "language": brief.language,
            "on_target_cents": on_target,
            "spent_cents": plan.spent_cents,
            "available": sum(1 for o in offers if matches(o.candidate)),
        },
    )


def _ambassador(plan: Plan, kb: KnowledgeBase) -> Notice:
    """The retainers, and exclusivity as a priced option for those open to it."""
    a = kb.assumptions
    open_lines = [line for line in plan.lines if line.candidate.open_to_exclusivity]
    premium = a.ambassador.exclusivity_premium
    extra = sum(line.cost_cents for line in open_lines)
    return Notice(
        "ambassador",
        kb.fact("S1-exclusivity"),
        {
            "names": [line.candidate.name for line in open_lines],
            "premium_low": premium.low,
            "premium_high": premium.high,
            "with_exclusivity_cents": plan.spent_cents + round(extra * premium.high),
            "months": sorted({line.months or 0 for line in plan.lines}),
            "per_month": a.ambassador.posts_per_month,
        },
    )


def _break_even(brief: Brief, plan: Plan, kb: KnowledgeBase) -> Notice:
    """Sales briefs: the sales the plan needs to pay for itself (with a basket and a margin),
    what it would lose or gain, and what the same money buys of a salesperson's time (fact
    S1-like-a-salesperson; the day rate is our assumption)."""
    a = kb.assumptions
    spent = plan.spent_cents
    sales = plan.forecast.conversions
    params: dict[str, object] = {"spent_cents": spent}
    if brief.order_value_cents and brief.margin_pct:
        per_sale = brief.order_value_cents * brief.margin_pct / 100
        needed = math.ceil(spent / per_sale) if per_sale > 0 else 0
        params |= {
            "needed": needed,
            "reached": "yes" if sales.low >= needed else "maybe" if sales.high >= needed else "no",
            "best_cents": round(sales.high * per_sale - spent),
            "worst_cents": round(sales.low * per_sale - spent),
            "pays_at_mid_cents": round(sales.mid * per_sale),
        }
    day = in_currency(a.salesperson_day_cost, brief.currency)
    if day:
        params |= {"salesperson_days": max(1, round(spent / day)), "day_cents": day}
    return Notice("break_even", kb.fact("S1-like-a-salesperson"), params)

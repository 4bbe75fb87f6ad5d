"""A recommendation made stored data (`knowledge.advice.stored`): its plans, lines, figures,
notices and reasons, as every view of it needs them."""

from __future__ import annotations

from datetime import date
from typing import Any

from knowledge.advice.audience import audience_match
from knowledge.advice.brief import Brief
from knowledge.advice.choice import Band, main_tier
from knowledge.advice.engine import Recommendation
from knowledge.advice.forecast import post_figures
from knowledge.advice.learning import Learning, with_learning
from knowledge.advice.money import PER
from knowledge.advice.plan import Line, Plan
from knowledge.advice.posts import with_posts
from knowledge.advice.stored import (
    Figures,
    Headline,
    StoredBrief,
    StoredForecast,
    StoredLearning,
    StoredLine,
    StoredNotice,
    StoredPlan,
    StoredRate,
    StoredRecommendation,
    StoredScope,
    StoredVerdict,
    Trio,
)
from knowledge.advice.vetting import CLEAR_OF_BAND, market_top_cents
from knowledge.advice.windows import with_windows
from knowledge.base import Assumptions, Goal, KnowledgeBase, Metric, Side, Spread


def _spread(s: Spread) -> Trio:
    return [s.low, s.mid, s.high]


def headline(spent_cents: int, forecast: StoredForecast, metric: str) -> Headline | None:
    """What one unit of the goal's measure costs (per 1,000 people reached for reach), from
    the cheapest case to the dearest; None when the plan brings none of it."""
    low, mid, high = forecast[metric]
    per = PER[Metric(metric)]
    if high <= 0 or spent_cents <= 0:
        return None
    maybe_none = metric == Metric.CONVERSIONS.value and low < 1
    return Headline(
        metric=metric,
        per=per,
        cheapest_cents=round(spent_cents * per / high),
        mid_cents=round(spent_cents * per / mid) if mid > 0 else None,
        # "Maybe no sale" (under one at the low end, as the card words it): no dearest end.
        dearest_cents=round(spent_cents * per / low) if low > 0 and not maybe_none else None,
    )


NOTABLY_ABOVE = 1.25  # an engagement rate this many times the tier's typical one is noted


def _notes(line: Line, rec: Recommendation, kb: KnowledgeBase) -> list[list[Any]]:
    """Why a person fits, as codes and values the templates turn into words."""
    a = kb.assumptions
    c = line.candidate
    tier = a.tier_for(c.followers)
    notes: list[list[Any]] = [
        ["niche", [n for n in c.niches if n in rec.scope.niches] or list(c.niches)[:1]]
    ]
    # Praise only for a clear margin: 2.03 % is no better than a typical 2 %.
    if c.engagement_rate >= NOTABLY_ABOVE * tier.typical_engagement_rate:
        notes.append(["engagement", c.engagement_rate, tier.typical_engagement_rate])
    if c.audience_quality is not None and c.audience_quality >= a.plan.good_audience_quality:
        notes.append(["quality", c.audience_quality])
    elif c.audience_quality is not None:
        notes.append(["quality_low", c.audience_quality])
    else:
        notes.append(["quality_unknown"])
    if audience_match(c, rec.brief.country, rec.brief.language):
        notes.append(["audience"])
    elif c.country and not (rec.brief.country or rec.brief.language):
        notes.append(["country", c.country])
    # A post's price against the market's per 1,000 people one post reaches (as agencies
    # quote it); not for a creator raised to the fair-pay floor (nothing to negotiate down).
    top = market_top_cents(c.platform, rec.brief.currency, a)
    reach = line.one_post.reach.mid
    raised = line.fee_cents > c.price_cents
    per_thousand = line.fee_cents * 1000 / reach if reach > 0 else 0.0
    if top is not None and not (line.seeding or raised) and per_thousand > top * CLEAR_OF_BAND:
        notes.append(["over_market", per_thousand, top])
    if rec.brief.goal is Goal.AMBASSADOR and c.open_to_exclusivity:
        notes.append(["exclusive"])
    return notes


def _line(line: Line, rec: Recommendation, kb: KnowledgeBase) -> StoredLine:
    a = kb.assumptions
    c = line.candidate
    figures = post_figures(c, a)
    per = PER[rec.metric]
    return StoredLine(
        id=c.id,
        name=c.name,
        handle=c.handle,
        platform=c.platform,
        tier=figures.tier.name,
        side=line.side.value,
        wave=line.wave,
        posts=line.posts,
        first_post=line.first_post,
        months=line.months,
        ask_cents=c.price_cents,
        price_cents=line.fee_cents,
        cost_cents=line.cost_cents,
        usage_cents=line.usage_cents * line.posts,
        followers=c.followers,
        engagement_rate=c.engagement_rate,
        audience_quality=figures.quality,
        quality_known=figures.quality_known,
        posts_per_week=c.posts_per_week,
        contact=c.contact,
        country=c.country,
        language=c.language,
        open_to_exclusivity=c.open_to_exclusivity,
        seeding=line.seeding,
        reserve=line.reserve,
        release_cents=line.release_cents * per if line.release_cents else None,
        unit_cents=line.unit_cost * per,
        notes=_notes(line, rec, kb),
        forecast=StoredForecast.of(line.forecast),
        figures=Figures(
            reach_rate=_spread(figures.reach_rate),
            reach_factor=figures.tier.reach_factor,
            sponsored_engagement=_spread(figures.sponsored_engagement),
            click_rate=_spread(figures.click_rate),
            click_factor=figures.click_factor,
            conversion_rate=_spread(figures.conversion_rate),
            dilution_factor=figures.dilution_factor,
            post_value=round(line.worth, 4),
            engagement_cap=figures.engagement_cap,
            learned={m.value: f for m in Metric if (f := figures.learned.of(m)) != 1},
        ),
    )


def _plan(plan: Plan, rec: Recommendation, kb: KnowledgeBase, lines: bool = True) -> StoredPlan:
    """A plan as data; the alternatives (all micro, all macro) keep their totals only, and
    which lines they hold (`key`), to tell whether one is the plan itself."""
    forecast = StoredForecast.of(plan.forecast)
    return StoredPlan(
        label=plan.label,
        budget_cents=plan.budget_cents,
        spent_cents=plan.spent_cents,
        booked_cents=plan.booked_cents,
        reserve_cents=plan.reserve_cents,
        micro_cents=plan.spent_on(Side.MICRO),
        macro_cents=plan.spent_on(Side.MACRO),
        people=plan.people,
        posts=plan.posts,
        waves=plan.waves,
        forecast=forecast,
        booked_forecast=StoredForecast.of(plan.booked_forecast),
        headline=headline(plan.spent_cents, forecast, rec.metric.value),
        key=sorted([line.candidate.id, line.wave, line.posts] for line in plan.lines),
        lines=[_line(line, rec, kb) for line in _ordered(plan, rec.metric, kb.assumptions)]
        if lines
        else [],
    )


def _ordered(plan: Plan, metric: Metric, a: Assumptions) -> list[Line]:
    """The order people read a plan in: by wave, then side (the side with most of the money
    first), then the creators of the niche and platform asked before those found by widening
    (the card's top pick is what the owner asked for), then the tier most of that side's
    money goes to (`nano`: a 28k account does not head a list of nanos), then the goal's
    measure, best first."""
    first = Side.MACRO if plan.spent_on(Side.MACRO) * 2 > plan.spent_cents else Side.MICRO
    named = {side: main_tier(plan, side, a) for side in (Side.MICRO, Side.MACRO)}

    def off_the_named_tier(line: Line) -> bool:
        tier = named[line.side]
        return tier is not None and a.tier_for(line.candidate.followers) != tier

    return sorted(
        plan.lines,
        key=lambda line: (
            line.wave,
            line.side != first,
            not line.asked,
            off_the_named_tier(line),
            -line.measure(metric),
        ),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _band(band: Band | None) -> tuple[int, int | None] | None:
    return None if band is None else (band[0], band[1])


def _learning(found: Learning | None) -> StoredLearning | None:
    if found is None:
        return None
    rates = [
        StoredRate(
            side=r.side.value,
            platform=r.platform,
            metric=r.metric.value,
            own=r.own,
            posts=r.posts,
            weight=r.weight,
            factor=r.factor,
        )
        for r in found.rates
    ]
    return StoredLearning(campaigns=found.campaigns, rates=rates)


def _stored_brief(b: Brief) -> StoredBrief:
    return StoredBrief(
        goal=b.goal.value,
        budget_cents=b.budget_cents,
        currency=b.currency,
        niche=b.niche,
        platform=b.platform,
        country=b.country,
        language=b.language,
        order_value_cents=b.order_value_cents,
        margin_pct=b.margin_pct,
        gifting=b.gifting,
        product_value_cents=b.product_value_cents,
        discount_pct=b.discount_pct,
        shop_url=b.shop_url,
        shop_name=b.shop_name,
        start_date=b.start_date,
        town=b.town,
        paid_use_days=b.paid_use_days,
    )


def snapshot(
    rec: Recommendation, kb: KnowledgeBase, today: date | None = None
) -> StoredRecommendation:
    """The whole recommendation as stored data, each line with what it buys, its promo code,
    link and disclosure (knowledge.advice.posts), and its posting window when the brief gives
    a date (knowledge.advice.windows): a launch's teasers start no earlier than `today`, the
    owner's day (None: as early as the rules say)."""
    b = rec.brief
    per = PER[rec.metric]
    kb = with_learning(kb, rec.learning)
    stored = StoredRecommendation(
        brief=_stored_brief(b),
        verdict=StoredVerdict(
            kind=rec.verdict.kind,
            micro_pct=rec.verdict.micro_pct,
            macro_pct=rec.verdict.macro_pct,
            micro_band=_band(rec.verdict.micro_band),
            macro_band=_band(rec.verdict.macro_band),
            micro_tier=rec.verdict.micro_tier,
            macro_tier=rec.verdict.macro_tier,
        ),
        strategy=rec.strategy.value,
        metric=rec.metric.value,
        test=rec.test,
        ceiling_cents=rec.ceiling * per if rec.ceiling is not None else None,
        reasons=[f.id for f in rec.reasons],
        reason_sides=[[f.id, f.favours.value] for f in rec.reasons],
        plan=_plan(rec.plan, rec, kb),
        all_micro=_plan(rec.all_micro, rec, kb, lines=False),
        all_macro=_plan(rec.all_macro, rec, kb, lines=False),
        notices=[
            StoredNotice(code=n.code, fact=n.fact.id if n.fact else None, params=_plain(n.params))
            for n in rec.notices
        ],
        scope=StoredScope(
            niches=list(rec.scope.niches),
            platform=rec.scope.platform,
            niche_widened=rec.scope.niche_widened,
            platform_widened=rec.scope.platform_widened,
        ),
        learning=_learning(rec.learning),
    )
    return with_windows(with_posts(stored, kb.posts), kb.windows, today or date.min)

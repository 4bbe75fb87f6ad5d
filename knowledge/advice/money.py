"""Where the money goes, as notices: a test instead of a sales plan that can't pay back, the
sales a plan needs to pay for itself, money left and why, a cheaper plan shown and why this
one, the wave-2 reserve, the audience reached, fair pay, seeding and market prices.

Costs per unit are in cents, per 1,000 people for reach (`PER`); the engine weighs units as
the brief values them (an audience outside the brief's counts less), and these notices say
so where it matters.
"""

from __future__ import annotations

import math

from knowledge.advice.audience import on_target
from knowledge.advice.choice import weighted_unit_cost
from knowledge.advice.plan import Plan
from knowledge.advice.situation import Notice, Situation
from knowledge.advice.stored import stored_figure
from knowledge.advice.vetting import CLEAR_OF_BAND
from knowledge.base import Goal, Metric, in_currency

PER = {Metric.REACH: 1000, Metric.ENGAGEMENTS: 1, Metric.CLICKS: 1, Metric.CONVERSIONS: 1}
COUNTRIES_NAMED = 3  # a plan's audience countries named when the brief names none


def money_notices(s: Situation) -> list[Notice]:
    notices: list[Notice] = []
    if s.test:
        notices.append(_test(s) if s.plan.lines else _test_too_dear(s))
    if s.brief.goal is Goal.SALES and s.plan.lines:
        notices.append(_break_even(s))
        if s.margin_per_sale_cents is None:
            # Judged without what a sale earns: how to judge it by that (on the card).
            notices.append(Notice("ask_margin"))
    left = _left(s)
    if left is not None:
        notices.append(left)
    notices += _dearer(s)
    if s.plan.waves == 2:
        notices.append(_waves(s))
    notices += _one_platform(s)
    if (s.brief.country or s.brief.language) and (s.plan.lines or not s.test):
        notices.append(_audience(s))  # (a test too dear for its share says why itself)
    else:
        notices += _countries(s)
    notices += _fair_pay(s)
    notices += _seeding(s)
    notices += _cpm(s)
    return notices


def _test(s: Situation) -> Notice:
    """No sale pays back: the plan is a test, with the figures that say so."""
    cheapest = s.cheapest_per_sale_cents
    margin = s.margin_per_sale_cents or 0.0
    return Notice(
        "test",
        s.kb.fact("INF-track-per-creator"),
        {
            "margin_cents": margin,
            "needed": math.ceil(s.plan.spent_cents / margin) if margin > 0 else 0,
            "cheapest_cents": cheapest,
            "spent_cents": s.plan.spent_cents,
            "share": s.a.test.max_share,
            "people": s.plan.people,
            "sales": s.plan.forecast.conversions.mid,
            "best": stored_figure(s.plan.forecast.conversions.high),
            "clicks": s.plan.forecast.clicks.mid,
            "readable": s.a.test.readable_clicks,
            "discount_pct": s.discount_pct,
        },
    )


def _test_too_dear(s: Situation) -> Notice:
    """No sale pays back, and no creator fits a test's share of the budget: said, rather
    than most of the budget spent on a test that can't pay back."""
    paid = [o for o in s.offers if not o.seeding and o.on_target is not False]
    cheapest = min(paid, key=lambda o: o.price_cents, default=None)
    return Notice(
        "test_too_dear",
        None,  # (nothing booked: no fact on tracking what is not run)
        {
            "share": s.a.test.max_share,
            "share_cents": int(s.brief.budget_cents * s.a.test.max_share),
            "cheapest_cents": cheapest.price_cents if cheapest else 0,
            # the cheapest asks less, and is offered the fair-pay floor: the floor is the price
            "floor": bool(cheapest and cheapest.ask_cents < cheapest.fee_cents),
            "margin_cents": s.margin_per_sale_cents or 0.0,
        },
    )


def _break_even(s: Situation) -> Notice:
    """Sales briefs: the sales the plan needs to pay for itself (with a basket and a margin),
    what it would lose or gain; without them, what the same money buys of a salesperson's
    time (fact S1-like-a-salesperson; the day rate is our assumption)."""
    brief, plan = s.brief, s.plan
    spent, sales = plan.spent_cents, plan.forecast.conversions
    params: dict[str, object] = {"spent_cents": spent}
    per_sale = s.margin_per_sale_cents
    if per_sale:
        needed = math.ceil(spent / per_sale)
        worst = sales.low * per_sale - spent
        params |= {
            "needed": needed,
            "reached": "yes" if worst >= 0 else "maybe" if sales.high >= needed else "no",
            "best": stored_figure(sales.high),
            "best_cents": round(sales.high * per_sale - spent),
            "worst_cents": round(sales.low * per_sale - spent),
            "margin_cents": per_sale,
            "discount_pct": s.discount_pct,
        }
        return Notice("break_even", None, params)
    # Without a margin, no break-even: the same money set against a salesperson's time.
    day = in_currency(s.a.salesperson_day_cost, brief.currency)
    if day:
        params |= {"salesperson_days": spent / day, "day_cents": day}
    return Notice("break_even", s.kb.fact("S1-like-a-salesperson"), params)


def _left(s: Situation) -> Notice | None:
    """Money left above `left_notice_share` of the budget, and which it is: kept back while
    a test says whether sales pay; no one else (paid fairly, vetted) fits; the plan holds as
    many creators as a budget this size should; or the next posts would cost more per unit
    than the ceiling (with the figures that show it)."""
    brief, plan, a = s.brief, s.plan, s.a
    left = brief.budget_cents - plan.spent_cents
    if not plan.lines or left <= a.plan.left_notice_share * brief.budget_cents:
        return None
    per = PER[s.metric]
    params: dict[str, object] = {"left_cents": left, "metric": s.metric.value, "per": per}
    nxt = s.next_post
    if s.test:
        why = "test"
        margin = s.margin_per_sale_cents or 0.0
        # Even the test's best case short of paying for itself: nothing to keep back for.
        params["hopeless"] = plan.forecast.conversions.high * margin < plan.spent_cents
        # What a sale would need to earn for the best-value creator to pay back: the next step.
        params |= {"margin_cents": margin, "cheapest_cents": s.cheapest_per_sale_cents}
    elif nxt is None:
        why = "nobody"
    elif nxt.stopped_by == "people":
        why = "cap"
        retainer = brief.goal is Goal.AMBASSADOR
        cap = (
            a.ambassador.creators_for(brief.budget_cents, brief.currency)
            if retainer
            else a.plan.people_for(brief.budget_cents, brief.currency)
        )
        params |= {"cap": cap, "retainer": retainer}
        if retainer:  # what extending every retainer to its longest would take of the rest
            most = a.ambassador.max_months
            params |= {"extend_cents": plan.extension_cents(most), "max_months": most}
    elif nxt.stopped_by == "widened":
        why = "widened"
        asked = sum(line.cost_cents for line in plan.lines if line.asked)
        params |= {"asked_cents": asked, "nearby": s.nearby_niches_booked}
    elif nxt.stopped_by == "audience":
        why = "audience"
        params |= {
            "share": a.plan.on_target_share,
            "country": brief.country,
            "language": brief.language,
        }
    else:
        why = "not_worth"
        params |= _not_worth(s, nxt.unit_cost)
    params["why"] = why
    return Notice("left", params=params)


def _not_worth(s: Situation, next_cost: float) -> dict[str, object]:
    """The figures that show the next post is not worth it: its cost per unit, the ceiling
    (twice the cheapest plan shown, or what a sale earns back) and the plan's own."""
    brief, plan = s.brief, s.plan
    per = PER[s.metric]
    limit = s.ceiling or 0.0
    margin_bound = (
        brief.goal is Goal.SALES
        and s.margin_per_sale_cents is not None
        and limit >= s.margin_per_sale_cents - 1e-9
    )
    # The engine weighs units as the brief values them; said in the plan's own units (those
    # the card shows), every figure scaled alike so that they compare the same (a sale's
    # margin is in money: not scaled).
    weighted = weighted_unit_cost(plan) or 0.0
    shown = 1.0
    if weighted and not margin_bound:
        shown = (plan.unit_cost(s.metric) or weighted) / weighted
    return {
        "next_cents": next_cost * per * shown,
        "limit_cents": limit * per * shown,
        "plan_cents": weighted * per * shown,
        "multiple": s.a.plan.marginal_cost_multiple,
        "margin_bound": margin_bound,
    }


def _dearer(s: Situation) -> list[Notice]:
    """A plan shown beside this one that is at least 20 % cheaper per unit (the tolerance):
    what it buys, and what this plan's extra units cost each (under the ceiling)."""
    plan, metric = s.plan, s.metric
    mine = plan.unit_cost(metric)
    if mine is None or s.test:
        return []
    per = PER[metric]
    found = []
    for alternative in s.alternatives:
        theirs = alternative.unit_cost(metric)
        if theirs is None or theirs * (1 + s.a.strategy.tolerance) > mine:
            continue
        extra = plan.measure(metric) - alternative.measure(metric)
        more = plan.spent_cents - alternative.spent_cents
        found.append(
            Notice(
                "dearer",
                params={
                    "alternative": alternative.label,
                    "alternative_cents": theirs * per,
                    "alternative_measure": alternative.measure(metric),
                    "plan_cents": mine * per,
                    "extra": extra,
                    "extra_cents": more * per / extra if extra > 0 and more > 0 else None,
                    "metric": metric.value,
                    "multiple": s.a.plan.marginal_cost_multiple,
                },
            )
        )
    return found[:1]


def _waves(s: Situation) -> Notice:
    """Wave 1 booked now, wave 2 a reserve released line by line by wave 1's cost per unit."""
    plan = s.plan
    per = PER[s.metric]
    releases = [line.release_cents * per for line in plan.lines if line.release_cents]
    wave_one = plan.with_lines(line for line in plan.lines if not line.reserve)
    return Notice(
        "waves",
        params={
            "booked_cents": plan.booked_cents,
            "reserve_cents": plan.reserve_cents,
            "reserve_lines": sum(1 for line in plan.lines if line.reserve),
            "wave_one_people": sum(1 for line in plan.lines if not line.reserve),
            "release_low_cents": min(releases, default=0.0),
            "release_high_cents": max(releases, default=0.0),
            "forecast_cents": (wave_one.unit_cost(s.metric) or 0.0) * per,
            "metric": s.metric.value,
        },
    )


def _one_platform(s: Situation) -> list[Notice]:
    """Sales plans resting mostly on one platform the owner did not ask for: its click
    figures are rough (they decide a sales plan)."""
    plan = s.plan
    if s.brief.platform is not None or s.metric is not Metric.CONVERSIONS or not plan.spent_cents:
        return []
    spend: dict[str, int] = {}
    for line in plan.lines:
        spend[line.candidate.platform] = spend.get(line.candidate.platform, 0) + line.cost_cents
    platform, cents = max(spend.items(), key=lambda item: item[1])
    if cents * 2 <= plan.spent_cents:
        return []
    others = [o for o in s.offers if o.candidate.platform != platform]
    best_other = min(others, key=lambda o: (o.unit_cost(), o.candidate.id), default=None)
    return [
        Notice(
            "one_platform",
            params={
                "platform": platform,
                "pct": round(cents * 100 / plan.spent_cents),
                "other": best_other.candidate.platform if best_other else None,
            },
        )
    ]


def _audience(s: Situation) -> Notice:
    """How much of the money reaches the brief's country or language, and how many of the
    creators who could be booked speak to it."""
    brief, plan = s.brief, s.plan
    on = sum(line.cost_cents for line in plan.lines if on_target(line.candidate, brief))
    return Notice(
        "audience",
        params={
            "country": brief.country,
            "language": brief.language,
            "on_target_cents": on,
            "elsewhere_cents": plan.spent_cents - on,
            "spent_cents": plan.spent_cents,
            "available": sum(1 for o in s.offers if o.on_target),
            "share": s.a.plan.on_target_share,
        },
    )


def _countries(s: Situation) -> list[Notice]:
    """No country or language in the brief, and the plan's audiences in several countries:
    how many, those taking most of the money first, and how to keep it to the customers'."""
    by_country: dict[str, int] = {}
    for line in s.plan.lines:
        if line.candidate.country:
            country = line.candidate.country.upper()
            by_country[country] = by_country.get(country, 0) + line.cost_cents
    if len(by_country) < 2:
        return []
    ranked = sorted(by_country, key=lambda c: (-by_country[c], c))
    return [Notice("countries", params={"count": len(ranked), "top": ranked[:COUNTRIES_NAMED]})]


def _fair_pay(s: Situation) -> list[Notice]:
    """Picks who ask under the fair-pay floor: offered the floor (fact S1-fair-pay)."""
    raised = [
        line
        for line in s.plan.lines
        if not line.seeding and line.candidate.price_cents < line.fee_cents
    ]
    if not raised:
        return []
    names = sorted({line.candidate.name for line in raised})
    extra = sum((line.fee_cents - line.candidate.price_cents) * line.posts for line in raised)
    return [
        Notice(
            "fair_pay",
            s.kb.fact("S1-fair-pay"),
            {
                "names": names,
                "floor_cents": in_currency(s.a.fair_pay_floor, s.brief.currency),
                "extra_cents": extra,
                "people": s.plan.people,
            },
        )
    ]


def _seeding(s: Situation) -> list[Notice]:
    """Seeding asked for: the gifted-only creators sent the product, one post each; or, with
    none, every post paid (and the source's word against paying in gifts, which argues for
    that, not against the parcels the owner asked for)."""
    if s.brief.gift_cents is None:
        return []
    parcels = [line for line in s.plan.lines if line.seeding]
    return [
        Notice(
            "seeding",
            None,  # (not the author's dislike of gifts as pay: the owner asked for them)
            {
                "parcels": len(parcels),
                "cost_cents": sum(line.cost_cents for line in parcels),
                "gift_cents": s.brief.gift_cents,
                "shipping_cents": in_currency(s.a.seeding.shipping, s.brief.currency),
                "max_parcels": s.a.seeding.max_parcels,
            },
        )
    ]


def market_cost(plan: Plan, s: Situation) -> tuple[str, float] | None:
    """The platform taking most of the plan's money and the plan's cost per 1,000 people
    reached there (middle forecast), in cents."""
    by_platform: dict[str, list[int]] = {}
    for line in plan.lines:
        by_platform.setdefault(line.candidate.platform, []).append(line.cost_cents)
    if not by_platform:
        return None
    platform = max(by_platform, key=lambda p: (sum(by_platform[p]), p))
    lines = [line for line in plan.lines if line.candidate.platform == platform]
    reach = sum(line.measure(Metric.REACH) for line in lines)
    spent = sum(line.cost_cents for line in lines)
    return (platform, spent * 1000 / reach) if reach > 0 else None


def _cpm(s: Situation) -> list[Notice]:
    """The plan's cost per 1,000 people reached on its main platform, flagged when outside
    the band agencies quote for that platform (reach goals only: elsewhere it is not what
    the plan buys)."""
    if s.metric is not Metric.REACH or not s.plan.lines:
        return []
    found = market_cost(s.plan, s)
    band = s.a.cpm_band.get(s.brief.currency.upper(), {})
    if found is None or found[0] not in band:
        return []
    platform, cost = found
    low, high = band[platform]
    if low * 100 / CLEAR_OF_BAND <= cost <= high * 100 * CLEAR_OF_BAND:
        return []
    return [
        Notice(
            "cpm",
            params={
                "platform": platform,
                "cost_cents": cost,
                "low_cents": low * 100,
                "high_cents": high * 100,
                "above": cost > high * 100,
            },
        )
    ]

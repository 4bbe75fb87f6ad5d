"""Every rule of a plan, as a property over generated rosters and briefs: what a planner
checks before signing (money, fair pay, audience, vetting, size, one person, waves, the
verdict and its reasons, the figures)."""

from __future__ import annotations

import statistics
from collections import defaultdict

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from knowledge.advice.audience import name_key, on_target
from knowledge.advice.brief import Brief, Candidate, PriceGuide, PriceRange
from knowledge.advice.choice import main_tier, weighted_unit_cost
from knowledge.advice.engine import Recommendation, recommend
from knowledge.advice.money import PER
from knowledge.advice.scope import niches_to_fetch
from knowledge.advice.snapshot import snapshot
from knowledge.advice.vetting import over_market, under_market
from knowledge.base import Goal, Metric, Side, default_knowledge, in_currency
from tests.hypothesis_profiles import examples
from tests.test_engine import NICHES, PLATFORMS, roster

KB = default_knowledge()
A = KB.assumptions
DISCOUNT = KB.posts.discount_pct  # a sale through a promo code earns its margin less this
FLOOR = A.fair_pay_floor["EUR"] * 100
EPSILON = 1e-6

briefs = st.builds(
    Brief,
    goal=st.sampled_from(list(Goal)),
    budget_cents=st.integers(10_000, 100_000_000),
    currency=st.just("EUR"),
    niche=st.sampled_from(NICHES),
    platform=st.sampled_from([None, *PLATFORMS]),
    country=st.sampled_from([None, None, "FR", "CA"]),
    order_value_cents=st.sampled_from([None, 1_200, 4_000, 25_000]),
    margin_pct=st.sampled_from([None, 30.0, 60.0]),
    gifting=st.booleans(),
    product_value_cents=st.sampled_from([None, 2_500]),
    paid_use_days=st.sampled_from([None, None, 30, 90]),
)
SIZE = 150


def guide(people: list[Candidate]) -> PriceGuide:
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for c in people:
        if c.price_cents > 0:
            for niche in c.niches:
                groups[(niche, c.platform, A.tier_for(c.followers).name)].append(c.price_cents)
    return {
        key: PriceRange(min(v), int(statistics.median(v)), max(v), len(v))
        for key, v in groups.items()
    }


def run(seed: int, brief: Brief) -> tuple[Recommendation, list[Candidate], PriceGuide]:
    people = roster(seed, SIZE)
    prices = guide(people)
    return recommend(brief, people, KB, prices), people, prices


rules = settings(max_examples=examples(50), deadline=None)


@rules
@given(st.integers(0, 60), briefs)
def test_the_budget_the_caps_and_the_split(seed: int, brief: Brief) -> None:
    rec, _, _ = run(seed, brief)
    cap = in_currency(A.plan.share_cap_from, "EUR")
    for plan in (rec.plan, rec.all_micro, rec.all_macro):
        assert plan.spent_cents <= brief.budget_cents
        paid = {line.candidate.id for line in plan.lines if not line.seeding}
        if brief.goal is Goal.AMBASSADOR:
            assert len(paid) <= A.ambassador.creators_for(brief.budget_cents, "EUR")
        else:
            assert len(paid) <= A.plan.people_for(brief.budget_cents, "EUR")
        assert sum(1 for line in plan.lines if line.seeding) <= A.seeding.max_parcels
        per_creator: dict[int, int] = defaultdict(int)
        for line in plan.lines:
            per_creator[line.candidate.id] += line.cost_cents
            if line.months is None:
                assert line.first_post + line.posts - 1 <= A.plan.max_posts_per_creator
        room = A.ambassador.creators_for(brief.budget_cents, "EUR")
        several = brief.goal is not Goal.AMBASSADOR or room > 1
        if cap is not None and brief.budget_cents >= cap and several:
            limit = brief.budget_cents * A.plan.max_share_per_creator
            assert all(cost <= limit + EPSILON for cost in per_creator.values())
    spent = rec.plan.spent_cents
    if spent:
        exact = rec.plan.spent_on(Side.MACRO) * 100 / spent
        pure = rec.verdict.kind != "mix"  # a side under 5 points is left out of the words
        assert abs(rec.verdict.macro_pct - exact) <= (5 if pure else 2.5)
    assert rec.verdict.micro_pct + rec.verdict.macro_pct == 100


@rules
@given(st.integers(0, 60), briefs.filter(lambda b: b.goal is not Goal.AMBASSADOR))
@example(  # a plan shown in waves, cheaper per unit than the one its ceiling was set from
    2, Brief(Goal.LAUNCH, 11_750_580, "EUR", "fashion", platform="youtube")
)
@example(  # a sale earns over twice what the cheapest plan pays for one
    1, Brief(Goal.SALES, 10_000, "EUR", "cooking", order_value_cents=25_000, margin_pct=60.0)
)
@example(  # the plan kept is cheaper per unit than the one its ceiling was set from: again
    44, Brief(Goal.AWARENESS, 1_000_000, "EUR", "cooking")
)
def test_each_booking_costs_at_most_twice_the_cheapest_plan_shown(seed: int, brief: Brief) -> None:
    """Per unit of the goal's measure, as the planner weighs it; and, with a basket and a
    margin, no more than a sale earns back."""
    rec, _, _ = run(seed, brief)
    if rec.test or not rec.plan.lines:
        return
    assert rec.ceiling is not None
    shown = [p for p in (rec.plan, rec.all_micro, rec.all_macro) if p.lines]
    reference = min(c for c in (weighted_unit_cost(p) for p in shown) if c is not None)
    margin = brief.margin_per_sale_cents(DISCOUNT) if brief.goal is Goal.SALES else None
    if margin is None:
        assert rec.ceiling <= A.plan.marginal_cost_multiple * reference * (1 + EPSILON)
    else:  # instead: a post that pays for itself earns its keep, whatever the cheapest pays
        assert rec.ceiling <= margin * (1 + EPSILON)
    for line in rec.plan.lines:
        # A creator of the niche and platform asked is held to their own cheapest plan when
        # the search looked further (where cheaper creators elsewhere set `ceiling`).
        top = max(rec.ceiling, rec.asked_ceiling or 0.0) if line.asked else rec.ceiling
        assert line.unit_cost <= top * (1 + EPSILON)
    if rec.asked_ceiling is not None and margin is not None:
        assert rec.asked_ceiling <= margin * (1 + EPSILON)


@rules
@given(st.integers(0, 60), briefs)
@example(0, Brief(Goal.AMBASSADOR, 565_906, "EUR", "cooking"))  # the next one over the cap
def test_money_left_is_always_explained_with_figures_that_show_it(seed: int, brief: Brief) -> None:
    rec, _, _ = run(seed, brief)
    left = brief.budget_cents - rec.plan.spent_cents
    notice = rec.notice("left")
    if rec.plan.lines and left > A.plan.left_notice_share * brief.budget_cents:
        assert notice is not None and notice.params["left_cents"] == left
        if notice.params["why"] == "not_worth":
            assert notice.params["next_cents"] > notice.params["limit_cents"]
    else:
        assert notice is None


@rules
@given(st.integers(0, 60), briefs)
def test_a_plan_a_shown_alternative_beats_per_unit_says_why(seed: int, brief: Brief) -> None:
    rec, _, _ = run(seed, brief)
    mine = rec.plan.unit_cost(rec.metric)
    for alternative in (rec.all_micro, rec.all_macro):
        theirs = alternative.unit_cost(rec.metric)
        beaten = mine and theirs and theirs * (1 + A.strategy.tolerance) <= mine
        if beaten and not rec.test:
            dearer = rec.notice("dearer")
            assert dearer is not None
            assert dearer.params["alternative_cents"] * (1 + A.strategy.tolerance) <= (
                dearer.params["plan_cents"] * (1 + EPSILON)
            )


@rules
@given(st.integers(0, 60), briefs)
def test_no_sales_plan_that_cannot_pay_back_books_more_than_a_test(seed: int, brief: Brief) -> None:
    rec, _, _ = run(seed, brief)
    margin = brief.margin_per_sale_cents(DISCOUNT)
    if brief.goal is not Goal.SALES or margin is None:
        return
    if rec.test and not rec.plan.lines:  # no one fits the test's share: said, not booked
        assert rec.notice("test_too_dear") is not None and rec.notice("test") is None
        return
    if rec.test:
        # At most a quarter of the budget, however dear the cheapest per sale; a paid
        # creator in it (or, with seeding asked, parcels alone), and those in it within the
        # multiple of the best per sale among them (of the `min_people` best, the dearest):
        # those of the niche and platform asked among themselves, the others among all.
        # No more creators than it takes to read it: without the dearest per sale, it would
        # lack its least people or its clicks.
        paid = [line for line in rec.plan.lines if not line.seeding]
        assert paid or brief.gift_cents is not None
        assert rec.plan.spent_cents <= A.test.max_share * brief.budget_cents
        multiple = A.plan.marginal_cost_multiple
        for line in paid:
            peers = sorted(other.unit_cost for other in paid if other.asked or not line.asked)
            best = peers[min(A.test.min_people, len(peers)) - 1]
            assert line.unit_cost <= multiple * best * (1 + EPSILON)
        assert len(paid) <= A.test.max_people
        if len(paid) > A.test.min_people:
            fewer = sum(line.one_post.clicks.mid for line in paid) - max(
                line.one_post.clicks.mid for line in paid
            )
            assert fewer < A.test.readable_clicks * (1 + EPSILON)
        assert all(line.posts == 1 for line in rec.plan.lines)
        assert brief.gift_cents is not None or not any(line.seeding for line in rec.plan.lines)
        assert rec.notice("test") is not None
    else:  # every booking earns back its cost at the middle forecast
        assert all(line.unit_cost <= margin * (1 + EPSILON) for line in rec.plan.lines)


@rules
@given(st.integers(0, 60), briefs)
def test_every_creator_is_paid_fairly_and_gifts_only_when_asked(seed: int, brief: Brief) -> None:
    rec, _, _ = run(seed, brief)
    shipping = A.seeding.shipping["EUR"] * 100
    for line in rec.plan.lines:
        if line.seeding:
            assert brief.gift_cents is not None
            assert line.candidate.price_cents == 0 and line.posts == 1
            assert line.price_cents == brief.gift_cents + shipping
            assert line.usage_cents == 0  # a gift's paid use is agreed apart
        else:  # the floor on the post fee; paid ads use adds its share of that fee
            assert line.fee_cents == max(FLOOR, line.candidate.price_cents)
            pct = KB.posts.paid_use.fee_pct(line.candidate.platform, brief.paid_use_days)
            assert line.usage_cents == round(line.fee_cents * pct / 100)
            assert line.price_cents == line.fee_cents + line.usage_cents
        assert line.cost_cents == line.price_cents * line.posts
    raised = {
        line.candidate.name
        for line in rec.plan.lines
        if not line.seeding and line.candidate.price_cents < line.fee_cents
    }
    fair = rec.notice("fair_pay")
    assert (fair is not None and set(fair.params["names"]) == raised) or (not raised and not fair)


@rules
@given(st.integers(0, 60), briefs.filter(lambda b: b.country is not None))
def test_most_of_the_money_reaches_the_briefs_audience(seed: int, brief: Brief) -> None:
    rec, _, _ = run(seed, brief)
    spent = rec.plan.spent_cents
    on = sum(line.cost_cents for line in rec.plan.lines if on_target(line.candidate, brief))
    notice = rec.notice("audience")
    if rec.test and not rec.plan.lines:  # no one fits a test's share: that notice says so
        assert notice is None and rec.notice("test_too_dear") is not None
        return
    assert notice is not None and notice.params["on_target_cents"] == on
    if on and not rec.test:
        # Off-target posts are bought only within their share of what the plan spends.
        assert spent - on <= (1 - A.plan.on_target_share) / A.plan.on_target_share * on + EPSILON
    assert notice.params["elsewhere_cents"] == spent - on


@rules
@given(st.integers(0, 60), briefs)
def test_nobody_the_checklist_warns_against_is_booked(seed: int, brief: Brief) -> None:
    rec, _, prices = run(seed, brief)
    for line in rec.plan.lines:
        c = line.candidate
        tier = A.tier_for(c.followers)
        assert (c.posts_per_week or 0) <= A.funnel.dilution_posts_per_week
        assert c.engagement_rate >= A.vetting.engagement_floor_share * tier.typical_engagement_rate
        assert (
            c.engagement_rate
            <= A.vetting.engagement_ceiling_multiple * tier.typical_engagement_rate
        )
        assert c.audience_quality is None or c.audience_quality >= A.plan.audience_quality_floor
        if tier.side is Side.MACRO:  # a big account: at least the macro floor
            floor = A.plan.macro_audience_quality_floor
            assert c.audience_quality is None or c.audience_quality >= floor
        if c.price_cents:
            searched = [n for n in niches_to_fetch(brief, KB) if n in c.niches] or list(c.niches)
            trusted = [
                group
                for niche in searched
                if (group := prices.get((niche, c.platform, tier.name)))
                and group.count >= A.vetting.min_peers
            ]
            if trusted and under_market(c, brief.currency, A):
                assert c.price_cents >= A.vetting.cheap_ask_share * trusted[0].median_cents
            if trusted and under_market(c, brief.currency, A, point=0.5):
                assert c.price_cents >= A.vetting.implausible_ask_share * trusted[0].median_cents
            assert not over_market(c, brief.currency, A)
            band = A.cpm_band.get(brief.currency, {}).get(c.platform)
            if band and not line.seeding and line.months:  # a retainer, on average
                per_post = line.one_post.reach.mid * line.worth / line.posts
                assert line.fee_cents * 1000 / per_post <= band[
                    1
                ] * 100 * A.vetting.over_market_multiple * (1 + EPSILON)
            if band and not line.seeding and not line.months:
                last = A.funnel.repeat_post_value[min(line.first_post + line.posts - 2, 5)]
                cost = line.fee_cents * 1000 / (line.one_post.reach.mid * last)
                assert cost <= band[1] * 100 * A.vetting.over_market_multiple * (1 + EPSILON)
        else:
            assert line.seeding


@rules
@given(st.integers(0, 60), briefs)
def test_one_person_is_booked_once(seed: int, brief: Brief) -> None:
    rec, _, _ = run(seed, brief)
    ids = {line.candidate.id for line in rec.plan.lines}
    names = [name_key(line.candidate.name) for line in rec.plan.lines if line.wave == 1]
    assert len(names) == len(set(names))
    assert len({line.candidate.id for line in rec.plan.lines if line.wave == 1}) == len(names)
    assert ids >= {line.candidate.id for line in rec.plan.lines if line.reserve}


@rules
@given(st.integers(0, 60), briefs.filter(lambda b: b.goal is not Goal.AMBASSADOR))
def test_two_waves_book_a_test_and_hold_the_rest_with_a_rule(seed: int, brief: Brief) -> None:
    rec, _, _ = run(seed, brief)
    plan = rec.plan
    if plan.waves != 2:
        return
    first = [line for line in plan.lines if not line.reserve]
    reserve = [line for line in plan.lines if line.reserve]
    assert first and reserve
    assert all(line.wave == 1 and line.posts == 1 for line in first)
    assert all(line.wave == 2 and (line.release_cents or 0) > 0 for line in reserve)
    assert len(first) <= A.waves.test_max_people
    # Wave 1 tries every tier wave 2 books more of: one post of each, then about
    # `test_share` of the plan.
    tier = lambda line: A.tier_for(line.candidate.followers).name  # noqa: E731
    assert {tier(line) for line in reserve} <= {tier(line) for line in first}
    one_per_tier = sum(
        min(line.price_cents for line in first if tier(line) == t) for t in {tier(x) for x in first}
    )
    assert plan.booked_cents <= max(
        A.waves.test_share * plan.spent_cents + max(line.price_cents for line in first),
        one_per_tier,
    )
    assert rec.notice("waves") is not None


@rules
@given(st.integers(0, 60), st.integers(50_000, 50_000_000), st.sampled_from(NICHES))
def test_ambassadors_are_of_the_favoured_side_on_retainers(
    seed: int, budget: int, niche: str
) -> None:
    rec, _, _ = run(seed, Brief(Goal.AMBASSADOR, budget, "EUR", niche))
    lacking = rec.notice("roster_lacks") is not None
    most = A.ambassador.creators_for(budget, "EUR")
    # A micro programme too thin beside the macro side's draws from either side.
    thin = rec.all_micro.thin_beside(rec.all_macro, most, rec.metric)
    for line in rec.plan.lines:
        assert line.months is not None and line.months >= A.ambassador.min_months
        assert line.posts == line.months * A.ambassador.posts_per_month
        assert line.side is Side.MICRO or lacking or rec.notice("side_widened") or thin
    assert rec.plan.people <= most


@rules
@given(st.integers(0, 60), briefs)
def test_reasons_argue_for_the_verdict_and_no_announcement_is_one(seed: int, brief: Brief) -> None:
    rec, _, _ = run(seed, brief)
    sides = {Side.MICRO, Side.MACRO} if rec.verdict.kind == "mix" else {Side(rec.verdict.kind)}
    for fact in rec.reasons:
        assert fact.id != "S1-long-tail"
        assert fact.favours in sides or (fact.favours is Side.NEUTRAL and fact.condition == "mix")
        # a mix books both sides: no reason speaks against either
        assert rec.verdict.kind != "mix" or fact.against is None
    assert len(rec.reasons) <= 4


@rules
@given(st.integers(0, 60), briefs)
def test_the_figures_hold_together(seed: int, brief: Brief) -> None:
    rec, _, _ = run(seed, brief)
    for plan in (rec.plan, rec.all_micro, rec.all_macro):
        f = plan.forecast
        for m in Metric:
            r = f.of(m)
            assert r.low <= r.mid * (1 + EPSILON) and r.mid <= r.high * (1 + EPSILON)
            assert r.mid == pytest.approx(sum(line.forecast.of(m).mid for line in plan.lines))
        if plan.lines:
            assert f.reach.mid >= f.clicks.mid >= f.conversions.mid
            # At each end, engagements at most the cap's share of the people reached (or the
            # middle's share, where repeat posts lift it): a poor reach is a poor response.
            share = max(A.funnel.max_engagement_per_reach, f.engagements.mid / f.reach.mid)
            assert f.engagements.low <= f.reach.low * share * (1 + EPSILON)
            assert f.engagements.high <= f.reach.high * share * (1 + EPSILON)


@rules
@given(st.integers(0, 60), briefs)
def test_a_verdict_against_the_sources_gives_figures_the_forecast_shows(
    seed: int, brief: Brief
) -> None:
    rec, _, _ = run(seed, brief)
    notice = rec.notice("against_strategy")
    if notice is None or notice.params["why"] not in ("capacity", "dearer_side"):
        return
    favoured = rec.all_micro if rec.strategy is Side.MICRO else rec.all_macro
    theirs, mine = favoured.unit_cost(rec.metric), rec.plan.unit_cost(rec.metric)
    assert theirs is not None and mine is not None
    on_side = rec.plan.spent_on(rec.strategy)
    if notice.params["why"] == "dearer_side":  # "All <side>" costs more per unit
        assert theirs > mine * (1 + A.strategy.tolerance)
        assert notice.params["capacity_cents"] == on_side
    else:  # the favoured side's creators worth it: no more than their own plan takes
        assert theirs <= mine * (1 + A.strategy.tolerance)
        assert notice.params["capacity_cents"] == max(favoured.spent_cents, on_side)


@settings(max_examples=examples(25), deadline=None)
@given(st.integers(0, 60), briefs, st.randoms(use_true_random=False))
def test_the_same_brief_gives_the_same_plan_whatever_the_rosters_order(
    seed: int, brief: Brief, shuffle: object
) -> None:
    people = roster(seed, SIZE)
    prices = guide(people)
    mixed = list(people)
    shuffle.shuffle(mixed)  # type: ignore[attr-defined]
    assert recommend(brief, people, KB, prices) == recommend(brief, mixed, KB, prices)


@rules
@given(st.integers(0, 60), briefs)
def test_costs_per_unit_are_what_the_plan_pays_for_what_it_brings(seed: int, brief: Brief) -> None:
    rec, _, _ = run(seed, brief)
    per = PER[rec.metric]
    h = rec.plan.unit_cost(rec.metric)
    if h is not None:
        assert h * rec.plan.measure(rec.metric) == pytest.approx(rec.plan.spent_cents)
        assert per in (1, 1000)


@rules
@given(st.integers(0, 60), briefs.filter(lambda b: b.platform is not None))
def test_a_platform_widened_notice_says_truly_who_could_be_booked_there(
    seed: int, brief: Brief
) -> None:
    """ "No one on X could be booked" only when no one there could be; "none of them is in
    this plan" only when some could and none is."""
    rec, _, _ = run(seed, brief)
    widened = rec.notice("platform_widened")
    if widened is None:
        return
    on_it = [line for line in rec.plan.lines if line.candidate.platform == brief.platform]
    own = widened.params["own"]
    if not own:
        assert not on_it
    assert widened.params["unbooked"] == bool(own and rec.plan.lines and not on_it)


@rules
@given(st.integers(0, 60), briefs)
# A CI run: the asked creators head the list, a nano first, while most of the side's money
# goes to micro accounts found by widening.
@example(0, Brief(Goal.AWARENESS, 466_897, "EUR", "travel", "instagram"))
def test_the_first_pick_is_of_the_tier_the_verdict_names(seed: int, brief: Brief) -> None:
    """`micro-influencers (nano, under 10k)` is not headed by a 28k account: within a wave and
    a side, the creators of the niche and platform asked first (the owner's choice heads the
    list), and among them the tier most of the side's money goes to."""
    rec, _, _ = run(seed, brief)
    lines = snapshot(rec, KB).plan.lines
    asked = {line.candidate.id: line.asked for line in rec.plan.lines}
    for wave in {line.wave for line in lines}:
        in_wave = [line for line in lines if line.wave == wave]
        for side in (Side.MICRO, Side.MACRO):
            tier = main_tier(rec.plan, side, A)
            ours = [line for line in in_wave if line.side == side.value]
            if not ours:
                continue
            if any(asked[line.id] for line in ours):
                assert asked[ours[0].id]
            first = [line for line in ours if asked[line.id] == asked[ours[0].id]]
            if tier is not None and any(line.tier == tier.name for line in first):
                assert first[0].tier == tier.name

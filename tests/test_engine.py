"""The recommendation engine: the funnel by hand, fixed scenarios a planner would check, and
the plan's invariants as property tests."""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from knowledge.advice.brief import Brief, Candidate
from knowledge.advice.choice import Verdict
from knowledge.advice.engine import Recommendation, recommend
from knowledge.advice.forecast import post_forecast, spread_factors
from knowledge.advice.plan import Plan
from knowledge.base import (
    Goal,
    KnowledgeBase,
    Metric,
    Side,
    Spread,
    default_knowledge,
    load_knowledge,
)

KB = default_knowledge()
A = KB.assumptions
NICHES = ("cooking", "travel", "fashion", "gardening")
PLATFORMS = ("instagram", "youtube", "tiktok", "blog")


def person(
    i: int, followers: int, price: float, niche: str = "cooking", **extra: object
) -> Candidate:
    values: dict[str, object] = {
        "id": i,
        "name": f"P{i}",
        "handle": f"@p{i}",
        "platform": "instagram",
        "niches": (niche,),
        "followers": followers,
        "engagement_rate": 3.0,
        "price_cents": int(price * 100),
        "audience_quality": 80,
    }
    values.update(extra)
    return Candidate(**values)  # type: ignore[arg-type]


def roster(seed: int = 1, size: int = 120) -> list[Candidate]:
    rng = random.Random(seed)
    people = []
    for i in range(size):
        followers = int(10 ** rng.uniform(3, 6.6))
        people.append(
            Candidate(
                id=i,
                name=f"Person {i}",
                handle=f"@h{i}",
                platform=rng.choice(PLATFORMS),
                niches=tuple(rng.sample(NICHES, rng.choice((1, 2)))),
                followers=followers,
                engagement_rate=round(rng.uniform(0.5, 9), 1),
                price_cents=int(followers * rng.uniform(0.5, 2)),
                posts_per_week=rng.choice((None, 2, 5, 21)),
                audience_quality=rng.choice((None, 40, 55, 90)),
                open_to_exclusivity=rng.random() < 0.3,
                country=rng.choice((None, "FR", "CA", "US")),
                contact=rng.choice((None, None, None, f"agent{rng.randint(1, 8)}@example.invalid")),
            )
        )
    return people


def measure(plan: Plan, metric: Metric) -> float:
    return plan.forecast.of(metric).mid


# ---- the funnel ----


def test_one_post_can_be_recomputed_by_hand() -> None:
    """50,000 followers (micro tier), quality 80, stated engagement 4 %, on Instagram."""
    f = post_forecast(person(1, 50_000, 500, engagement_rate=4.0), A)
    micro = A.tier_for(50_000)
    reach = 50_000 * micro.reach_rate.mid * 0.80
    clicks = reach * A.funnel.click_rate["instagram"].mid * micro.click_factor
    assert f.reach.mid == pytest.approx(reach)
    assert f.engagements.mid == pytest.approx(50_000 * 0.04 * A.funnel.sponsored_engagement.mid)
    assert f.clicks.mid == pytest.approx(clicks)
    assert f.conversions.mid == pytest.approx(clicks * micro.conversion_rate.mid)
    below, above = spread_factors([micro.reach_rate])
    assert f.reach.low == pytest.approx(reach * micro.reach_rate.low / micro.reach_rate.mid)
    assert (below, above) == pytest.approx(
        (micro.reach_rate.low / micro.reach_rate.mid, micro.reach_rate.high / micro.reach_rate.mid)
    )


def test_audience_quality_is_counted_once_in_the_reach_only() -> None:
    real = post_forecast(person(1, 50_000, 500, audience_quality=100), A)
    half = post_forecast(person(2, 50_000, 500, audience_quality=50), A)
    assert half.reach.mid == pytest.approx(real.reach.mid / 2)
    assert half.engagements.mid == pytest.approx(real.engagements.mid)


def test_heavy_posters_count_half() -> None:
    calm = post_forecast(person(1, 50_000, 500, posts_per_week=3), A)
    busy = post_forecast(person(2, 50_000, 500, posts_per_week=30), A)
    assert busy.reach.mid == pytest.approx(calm.reach.mid / 2)


candidates = st.builds(
    person,
    i=st.integers(1, 10_000),
    followers=st.integers(1, 50_000_000),
    price=st.floats(0, 1e6),
    engagement_rate=st.floats(0, 100),
    audience_quality=st.one_of(st.none(), st.integers(0, 100)),
    posts_per_week=st.one_of(st.none(), st.floats(0, 500)),
    platform=st.sampled_from([*KB.platforms, "myspace"]),
)


@settings(max_examples=300, deadline=None)
@given(candidates)
def test_the_funnel_holds_together_at_every_end(c: Candidate) -> None:
    f = post_forecast(c, A)
    for r in (f.reach, f.engagements, f.clicks, f.conversions):
        assert 0 <= r.low <= r.mid <= r.high
    for end in ("low", "mid", "high"):
        reach, engaged, clicks, sales = (getattr(getattr(f, m), end) for m in Metric)
        assert engaged <= reach + 1e-9 and clicks <= reach + 1e-9 and sales <= clicks + 1e-9


spreads = st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1)).map(
    lambda t: Spread(*sorted(t))
)


@given(st.lists(spreads, min_size=1, max_size=4))
def test_spreads_combine_to_a_range_around_the_middle(rates: list[Spread]) -> None:
    below, above = spread_factors(rates)
    assert 0 <= below <= 1 <= above
    widest = max(((s.high / s.mid) if s.mid else 1) for s in rates)
    assert above >= widest * (1 - 1e-9)  # never narrower than its widest rate


# ---- scenarios a planner checks ----


def test_sales_on_a_small_budget_spends_it_on_micro_creators() -> None:
    people = [person(1, 20_000, 200), person(2, 8_000, 90), person(3, 800_000, 6_000)]
    rec = recommend(Brief(Goal.SALES, 80_000, "EUR", "cooking"), people, KB)
    assert rec.verdict.kind == "micro"
    assert {line.candidate.id for line in rec.plan.lines} == {1, 2}
    assert rec.plan.spent_cents >= 0.7 * 80_000
    assert all(f.favours in (Side.MICRO, Side.NEUTRAL) for f in rec.reasons)


def test_a_creator_gets_several_posts_each_worth_less() -> None:
    people = [person(1, 20_000, 200)]
    rec = recommend(Brief(Goal.SALES, 80_000, "EUR", "cooking"), people, KB)
    [line] = rec.plan.lines
    assert line.posts == A.plan.max_posts_per_creator
    one = post_forecast(people[0], A).conversions.mid
    assert line.forecast.conversions.mid == pytest.approx(
        one * sum(A.funnel.repeat_post_value[: line.posts])
    )


def test_the_verdict_is_the_split_of_the_plans_spend() -> None:
    rec = recommend(Brief(Goal.LAUNCH, 1_200_000, "EUR", "fashion"), roster(3), KB)
    spent = rec.plan.spent_cents
    assert spent
    macro_pct = rec.plan.spent_on(Side.MACRO) * 100 / spent
    assert abs(rec.verdict.macro_pct - macro_pct) <= 5


def test_a_cheap_micro_plan_beats_a_fixed_awareness_share() -> None:
    """Awareness leans macro in the sources, but where all micro reaches three times as many
    people for the same money, the plan follows the numbers."""
    people = [person(i, 30_000, 50, "fashion", engagement_rate=4) for i in range(1, 9)]
    people.append(person(20, 600_000, 1_200, "fashion"))
    rec = recommend(Brief(Goal.AWARENESS, 120_000, "EUR", "fashion"), people, KB)
    assert measure(rec.all_micro, Metric.REACH) > 1.2 * measure(rec.all_macro, Metric.REACH)
    assert rec.verdict.kind == "micro"


def test_a_launch_may_keep_one_big_voice_and_says_why() -> None:
    people = [person(i, 30_000, 50, "fashion", engagement_rate=4) for i in range(1, 9)]
    people.append(person(20, 600_000, 1_200, "fashion"))
    rec = recommend(Brief(Goal.LAUNCH, 240_000, "EUR", "fashion"), people, KB)
    assert rec.plan.lines
    if rec.plan.spent_on(Side.MACRO) and any(
        measure(alt, Metric.REACH) > 1.2 * measure(rec.plan, Metric.REACH)
        and alt.spent_cents <= rec.plan.spent_cents
        for alt in (rec.all_micro, rec.all_macro)
    ):
        assert rec.notice("big_voice") is not None


def test_a_missing_side_keeps_the_strategy_and_says_what_the_roster_lacks() -> None:
    """Sales lean micro; with only macro tech creators, the verdict stays micro and the reply
    offers what the roster has instead."""
    people = [person(1, 300_000, 900, niche="tech"), person(2, 700_000, 2_000, niche="tech")]
    rec = recommend(Brief(Goal.SALES, 500_000, "EUR", "tech", "pinterest"), people, KB)
    assert rec.verdict.kind == "micro"
    assert not rec.plan.lines
    lacks = rec.notice("roster_lacks")
    assert lacks is not None and lacks.params["instead"] == "macro"
    assert rec.all_macro.lines
    assert all(f.favours != Side.MACRO for f in rec.reasons)


def test_a_side_missing_on_the_platform_is_looked_for_wider() -> None:
    people = [
        person(1, 300_000, 900, niche="tech", platform="pinterest"),
        person(2, 20_000, 150, niche="tech", platform="instagram"),
    ]
    rec = recommend(Brief(Goal.SALES, 150_000, "EUR", "tech", "pinterest"), people, KB)
    assert rec.notice("side_widened") is not None
    assert 2 in {line.candidate.id for line in rec.plan.lines}


def test_an_ambassador_plan_is_a_retainer_of_one_to_three_creators() -> None:
    rec = recommend(Brief(Goal.AMBASSADOR, 1_500_000, "EUR", "cooking"), roster(5), KB)
    assert 1 <= rec.plan.people <= A.ambassador.max_creators
    for line in rec.plan.lines:
        assert line.months is not None and line.months >= A.ambassador.min_months
        assert line.posts == line.months * A.ambassador.posts_per_month
    floor = (A.fair_pay_floor["EUR"]) * 100
    assert all(line.cost_cents >= floor * line.posts for line in rec.plan.lines)  # paid fairly
    notice = rec.notice("ambassador")
    assert notice is not None
    premium = A.ambassador.exclusivity_premium
    assert (notice.params["premium_low"], notice.params["premium_high"]) == (
        premium.low,
        premium.high,
    )
    assert notice.params["months"] == sorted({line.months for line in rec.plan.lines})


def test_big_budgets_come_in_two_waves() -> None:
    rec = recommend(Brief(Goal.SALES, 5_000_000, "EUR", "cooking"), roster(2, 300), KB)
    assert rec.plan.waves == 2
    test = [line for line in rec.plan.lines if line.wave == 1]
    scale = [line for line in rec.plan.lines if line.wave == 2]
    assert sum(line.cost_cents for line in test) <= A.waves.test_share * 5_000_000
    assert all(line.posts == 1 for line in test)
    assert {id(line.candidate) for line in scale} <= {id(line.candidate) for line in test}
    assert rec.notice("waves") is not None


def test_unspent_money_is_explained() -> None:
    people = [person(1, 20_000, 200), person(2, 8_000, 90)]
    rec = recommend(Brief(Goal.SALES, 10_000_000, "EUR", "cooking"), people, KB)
    notice = rec.notice("unspent")
    assert notice is not None
    assert notice.params["left_cents"] == 10_000_000 - rec.plan.spent_cents


def test_money_is_left_rather_than_spent_at_several_times_the_plans_cost() -> None:
    """A macro post bringing sales at 20 times the micro creators' cost is not bought to
    spend the budget; the reply prices what spending more would bring."""
    people = [person(i, 20_000, 150, engagement_rate=6) for i in range(1, 4)]
    people.append(person(9, 200_000, 5_000, audience_quality=50))
    rec = recommend(Brief(Goal.SALES, 1_500_000, "EUR", "cooking"), people, KB)
    assert all(line.side is Side.MICRO for line in rec.plan.lines)
    notice = rec.notice("unspent")
    assert (
        notice is not None
        and notice.params["more_cost_cents"] > 4 * notice.params["plan_cost_cents"]
    )


def test_more_budget_never_brings_less() -> None:
    people = roster(7, 200)
    for goal in (Goal.AWARENESS, Goal.SALES, Goal.LAUNCH):
        before = 0.0
        for budget in (800_000, 900_000, 1_000_000, 1_100_000, 2_000_000):
            rec = recommend(Brief(goal, budget, "EUR", "travel", "instagram"), people, KB)
            now = measure(rec.plan, rec.metric)
            assert now >= 0.9 * before, (goal, budget)
            before = now


def test_nobody_under_the_audience_quality_floor_and_the_reply_counts_them() -> None:
    people = [person(1, 20_000, 200, audience_quality=30), person(2, 8_000, 90)]
    rec = recommend(Brief(Goal.SALES, 80_000, "EUR", "cooking"), people, KB)
    assert [line.candidate.id for line in rec.plan.lines] == [2]
    notice = rec.notice("low_quality")
    assert notice is not None and notice.params["count"] == 1


def test_rows_with_the_same_contact_are_one_person() -> None:
    people = [
        person(1, 20_000, 200, contact="lea@example.org"),
        person(2, 20_000, 200, platform="tiktok", handle="@lea", contact=" LEA@example.org"),
    ]
    rec = recommend(Brief(Goal.SALES, 200_000, "EUR", "cooking"), people, KB)
    assert rec.plan.people == 1


def test_an_audience_in_the_briefs_country_comes_first() -> None:
    people = [person(1, 20_000, 200, engagement_rate=8), person(2, 20_000, 200, country="FR")]
    brief = Brief(Goal.SALES, 20_000, "EUR", "cooking", country="FR")
    rec = recommend(brief, people, KB)
    assert [line.candidate.id for line in rec.plan.lines] == [2]
    notice = rec.notice("audience")
    assert notice is not None
    assert notice.params["on_target_cents"] == notice.params["spent_cents"] == 20_000


def test_a_niche_the_roster_lacks_is_looked_for_in_its_nearest_ones() -> None:
    rec = recommend(Brief(Goal.SALES, 50_000, "EUR", "wine"), [person(1, 9_000, 100)], KB)
    assert rec.scope.niche_widened and "cooking" in rec.scope.niches
    assert rec.notice("niche_widened") is not None


def test_nobody_anywhere_gives_a_verdict_and_help_not_a_budget_problem() -> None:
    rec = recommend(Brief(Goal.SALES, 50_000, "EUR", "zzz-unheard-of"), [person(1, 9_000, 100)], KB)
    assert rec.notice("no_match") is not None
    assert rec.notice("nothing_affordable") is None
    assert not rec.plan.lines


def test_posts_under_the_fair_pay_floor_are_flagged() -> None:
    rec = recommend(
        Brief(Goal.SALES, 50_000, "EUR", "cooking"),
        [person(1, 9_000, 30), person(2, 9_000, 150)],
        KB,
    )
    notice = rec.notice("fair_pay")
    assert notice is not None and notice.params["names"] == ["P1"]


def test_sales_briefs_get_break_even_and_the_salesperson_comparison() -> None:
    brief = Brief(Goal.SALES, 100_000, "EUR", "cooking", order_value_cents=4_000, margin_pct=25.0)
    rec = recommend(brief, [person(1, 30_000, 250, engagement_rate=5)], KB)
    notice = rec.notice("break_even")
    assert notice is not None and notice.fact is not None
    assert notice.fact.id == "S1-like-a-salesperson"
    assert notice.params["needed"] == math.ceil(rec.plan.spent_cents / (4_000 * 0.25))
    assert notice.params["salesperson_days"] == round(rec.plan.spent_cents / 26_000)


def test_assumptions_can_be_overridden(tmp_path: Path) -> None:
    override = tmp_path / "mine.toml"
    override.write_text("[strategy]\nprior_macro_share = { sales = 90 }\n")
    kb = load_knowledge(override)
    assert kb.assumptions.strategy.prior_macro_share[Goal.SALES] == 90
    assert kb.assumptions.strategy.prior_macro_share[Goal.AWARENESS] == 80


# ---- invariants over random rosters and briefs ----

briefs = st.builds(
    Brief,
    goal=st.sampled_from(list(Goal)),
    budget_cents=st.integers(1_000, 200_000_000),
    currency=st.just("EUR"),
    niche=st.sampled_from(NICHES),
    platform=st.sampled_from([None, *PLATFORMS]),
    country=st.sampled_from([None, "FR", "CA"]),
)


def recommendation(
    seed: int, brief: Brief, size: int = 80
) -> tuple[Recommendation, list[Candidate]]:
    people = roster(seed, size)
    return recommend(brief, people, KB), people


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 50), briefs)
def test_plans_respect_budget_people_quality_and_the_verdict_follows_the_spend(
    seed: int, brief: Brief
) -> None:
    rec, _ = recommendation(seed, brief)
    for plan in (rec.plan, rec.all_micro, rec.all_macro):
        assert plan.spent_cents <= brief.budget_cents
        assert plan.people <= A.plan.max_people
        people = Counter(id(line.candidate) for line in plan.lines)
        contacts = {
            line.candidate.contact.strip().lower() for line in plan.lines if line.candidate.contact
        }
        accounts = {(line.candidate.platform, line.candidate.handle) for line in plan.lines}
        assert len(accounts) == len(people) and len(contacts) <= len(people)
        assert all(count <= 2 for count in people.values())  # one line per wave at most
        for line in plan.lines:
            q = line.candidate.audience_quality
            assert q is None or q >= A.plan.audience_quality_floor
            assert line.posts <= max(
                A.plan.max_posts_per_creator, (line.months and line.posts) or 0
            )
    spent = rec.plan.spent_cents
    if spent:
        assert abs(rec.verdict.macro_pct - rec.plan.spent_on(Side.MACRO) * 100 / spent) <= 5
    assert rec.verdict.micro_pct + rec.verdict.macro_pct == 100


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 50), briefs)
def test_a_reason_never_argues_for_the_side_the_verdict_does_not_take(
    seed: int, brief: Brief
) -> None:
    rec, _ = recommendation(seed, brief)
    if rec.verdict.kind != "mix":
        other = Side.MACRO if rec.verdict.kind == "micro" else Side.MICRO
        assert all(f.favours != other for f in rec.reasons)
    assert len(rec.reasons) >= 2


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 50), briefs)
def test_no_own_alternative_beats_the_plan_by_more_than_the_tolerance_unless_said(
    seed: int, brief: Brief
) -> None:
    rec, _ = recommendation(seed, brief)
    mine = measure(rec.plan, rec.metric)
    for alternative in (rec.all_micro, rec.all_macro):
        beaten = (
            rec.plan.lines
            and alternative.spent_cents <= rec.plan.spent_cents
            and measure(alternative, rec.metric) > mine * (1 + A.strategy.tolerance)
        )
        if beaten:
            assert rec.notice("big_voice") is not None


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 50), briefs.filter(lambda b: b.goal is not Goal.AMBASSADOR))
def test_the_budget_is_used_whenever_the_roster_can_absorb_it(seed: int, brief: Brief) -> None:
    """At least 70 % is spent when the roster's useful posts costing at most 30 % of the
    budget each add up to 70 % of it (then nothing can stop a fill short of 70 %)."""
    rec, _ = recommendation(seed, brief)
    assume(rec.plan.lines and rec.plan.waves == 1)
    chosen = {id(line.candidate) for line in rec.plan.lines}
    small = [
        line.candidate.price_cents
        for line in rec.all_micro.lines + rec.all_macro.lines + rec.plan.lines
        if line.candidate.price_cents <= 0.3 * brief.budget_cents
    ]
    absorbable = sum(small) * A.plan.max_posts_per_creator >= 0.7 * brief.budget_cents
    if absorbable and len(chosen) < A.plan.max_people:
        assert rec.plan.spent_cents >= 0.7 * brief.budget_cents or rec.notice("unspent")


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 50), st.integers(50_000, 50_000_000))
def test_an_ambassador_plan_has_at_most_three_creators_with_several_deliverables(
    seed: int, budget: int
) -> None:
    rec, _ = recommendation(seed, Brief(Goal.AMBASSADOR, budget, "EUR", "cooking"))
    assert rec.plan.people <= 3
    assert all(
        line.posts >= A.ambassador.min_months * A.ambassador.posts_per_month
        for line in rec.plan.lines
    )


def test_the_same_brief_gives_the_same_answer() -> None:
    brief = Brief(Goal.COMMUNITY, 300_000, "EUR", "travel", "instagram")
    people = roster(9)
    assert recommend(brief, people, KB) == recommend(brief, list(reversed(people)), KB)


def test_verdict_words_follow_the_split() -> None:
    assert Verdict.of_spend(100, 0).kind == "micro"
    assert Verdict.of_spend(0, 100).kind == "macro"
    assert Verdict.of_spend(61, 39) == Verdict(60, 40)
    assert Verdict.of_spend(0, 0).kind == "micro"


@pytest.mark.parametrize("goal", list(Goal))
def test_every_goal_on_a_varied_roster_gives_a_plan(goal: Goal) -> None:
    rec = recommend(Brief(goal, 500_000, "EUR", "cooking"), roster(4, 200), KB)
    assert rec.plan.lines
    assert rec.metric is A.goal_metric[goal]


def test_knowledge_base_is_consistent(kb: KnowledgeBase) -> None:
    ids = [f.id for f in kb.facts]
    assert len(ids) == len(set(ids))
    assert all(f.text and (f.quote or f.kind == "inference") for f in kb.facts)
    assert {line.country for line in kb.checklist} >= {"US", "FR", "GB", "CA", "other", "*"}
    for a, b in itertools.pairwise(t.min_followers for t in kb.assumptions.tiers):
        assert a < b


def test_a_plan_that_spends_more_for_less_is_not_recommended() -> None:
    """Found by the property above: one micro creator worth four posts beat two macro ones
    spending 70 % of the budget twice over; the plan was the macro one because it spent more.
    The roster cannot usefully absorb 70 % here: the cheaper, better plan is the one."""
    brief = Brief(Goal.SALES, 574_248, "EUR", "travel", country="CA")
    rec, _ = recommendation(0, brief)
    mine = measure(rec.plan, rec.metric)
    for alternative in (rec.all_micro, rec.all_macro):
        if alternative.spent_cents <= rec.plan.spent_cents:
            assert measure(alternative, rec.metric) <= mine * (1 + A.strategy.tolerance)
    assert rec.verdict.kind == "micro"

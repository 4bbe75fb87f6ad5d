"""The forecast funnel: one post by hand, its ranges, and the range of a plan's total."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.advice.brief import Candidate
from knowledge.advice.forecast import (
    Forecast,
    Range,
    post_figures,
    post_forecast,
    posts_value,
    shown,
    spread_factors,
    total,
    value_per_cost,
)
from knowledge.base import Metric, Spread, default_knowledge
from tests.hypothesis_profiles import examples

KB = default_knowledge()
A = KB.assumptions


def person(followers: int = 50_000, **extra: object) -> Candidate:
    values: dict[str, object] = {
        "id": 1,
        "name": "P",
        "handle": "@p",
        "platform": "instagram",
        "niches": ("cooking",),
        "followers": followers,
        "engagement_rate": 4.0,
        "price_cents": 50_000,
        "audience_quality": 80,
    }
    values.update(extra)
    return Candidate(**values)  # type: ignore[arg-type]


def test_one_post_can_be_recomputed_by_hand() -> None:
    """50,000 followers (micro tier), quality 80, stated engagement 4 %, on Instagram."""
    f = post_forecast(person(), A)
    micro = A.tier_for(50_000)
    platform = A.funnel.reach_rate["instagram"]
    reach = 50_000 * 0.80 * platform.mid * micro.reach_factor
    clicks = reach * A.funnel.click_rate["instagram"].mid * micro.click_factor
    assert f.reach.mid == pytest.approx(reach)
    assert f.engagements.mid == pytest.approx(50_000 * 0.04 * A.funnel.sponsored_engagement.mid)
    assert f.clicks.mid == pytest.approx(clicks)
    assert f.conversions.mid == pytest.approx(clicks * micro.conversion_rate.mid)
    k = shown(A.funnel)  # the reply's percentiles against the rates'
    assert 0 < k < 1
    assert f.reach.low == pytest.approx(reach * (platform.low / platform.mid) ** k)
    assert f.reach.high == pytest.approx(reach * (platform.high / platform.mid) ** k)


def test_each_platform_has_its_own_reach_and_bigger_accounts_reach_less() -> None:
    instagram = post_forecast(person(platform="instagram"), A).reach.mid
    youtube = post_forecast(person(platform="youtube"), A).reach.mid
    unknown = post_forecast(person(platform="myspace"), A).reach.mid
    assert youtube / instagram == pytest.approx(
        A.funnel.reach_rate["youtube"].mid / A.funnel.reach_rate["instagram"].mid
    )
    assert unknown / instagram == pytest.approx(
        A.funnel.reach_rate["default"].mid / A.funnel.reach_rate["instagram"].mid
    )
    per_follower = [
        post_forecast(person(f), A).reach.mid / f for f in (5_000, 50_000, 300_000, 2_000_000)
    ]
    assert per_follower == sorted(per_follower, reverse=True)
    assert per_follower[0] / per_follower[1] == pytest.approx(
        A.tier_for(5_000).reach_factor / A.tier_for(50_000).reach_factor
    )


def test_audience_quality_is_counted_once_in_the_reach_only() -> None:
    real = post_forecast(person(audience_quality=100, engagement_rate=2.0), A)
    half = post_forecast(person(audience_quality=50, engagement_rate=2.0), A)
    unknown = post_forecast(person(audience_quality=None, engagement_rate=2.0), A)
    assert half.reach.mid == pytest.approx(real.reach.mid / 2)
    assert half.engagements.mid == pytest.approx(real.engagements.mid)
    assert unknown.reach.mid == pytest.approx(
        real.reach.mid * A.funnel.default_audience_quality / 100
    )


def test_engagements_are_at_most_a_share_of_the_people_reached() -> None:
    """On a platform where few followers see a post (X: 5 %), a stated engagement rate per
    follower would have most viewers engage: capped at `max_engagement_per_reach` of them."""
    cap = A.funnel.max_engagement_per_reach
    on_x = post_forecast(person(platform="x", engagement_rate=3.0), A)
    assert on_x.engagements.mid == pytest.approx(on_x.reach.mid * cap)
    calm = post_forecast(person(engagement_rate=1.0), A)
    assert calm.engagements.mid == pytest.approx(50_000 * 0.01 * A.funnel.sponsored_engagement.mid)
    assert calm.engagements.mid < calm.reach.mid * cap


def test_heavy_posters_count_half_and_say_so() -> None:
    calm = person(posts_per_week=A.funnel.dilution_posts_per_week)
    busy = person(posts_per_week=A.funnel.dilution_posts_per_week + 1)
    assert post_forecast(busy, A).reach.mid == pytest.approx(
        post_forecast(calm, A).reach.mid * A.funnel.dilution_factor
    )
    assert post_figures(busy, A).diluted and not post_figures(calm, A).diluted
    assert post_figures(busy, A).dilution_factor == A.funnel.dilution_factor
    assert post_figures(calm, A).dilution_factor == 1.0


def test_a_forecast_is_read_by_measure_and_adds_and_scales() -> None:
    f = Forecast(Range(1, 2, 3), Range(4, 5, 6), Range(7, 8, 9), Range(10, 11, 12))
    assert [f.of(m).mid for m in Metric] == [2, 5, 8, 11]
    assert (f + f).clicks == Range(14, 16, 18)
    assert f.scaled(2).conversions == Range(20, 22, 24)
    assert Range(1, 5, 9).capped(Range(2, 3, 4)) == Range(1, 3, 4)


def test_repeat_posts_are_worth_less_and_value_per_cost_counts_a_free_post_as_one_unit() -> None:
    values = A.funnel.repeat_post_value
    assert posts_value(A, 1) == 1.0
    assert posts_value(A, 3) == pytest.approx(sum(values[:3]))
    assert posts_value(A, 2, first=2) == pytest.approx(values[1] + values[2])
    assert posts_value(A, 10) == pytest.approx(sum(values) + values[-1] * (10 - len(values)))
    c = person(price_cents=0)
    assert value_per_cost(c, Metric.REACH, A) == pytest.approx(post_forecast(c, A).reach.mid)
    paid = person(price_cents=25_000)
    assert value_per_cost(paid, Metric.REACH, A) == pytest.approx(
        post_forecast(paid, A).reach.mid / 250
    )


def test_the_same_figures_give_the_same_forecast_object() -> None:
    assert post_forecast(person(), A) is post_forecast(person(), A)


candidates = st.builds(
    person,
    followers=st.integers(1, 50_000_000),
    price_cents=st.integers(0, 10**9),
    engagement_rate=st.floats(0, 100),
    audience_quality=st.one_of(st.none(), st.integers(0, 100)),
    posts_per_week=st.one_of(st.none(), st.floats(0, 500)),
    platform=st.sampled_from([*KB.platforms, "myspace"]),
)


@settings(max_examples=examples(300), deadline=None)
@given(candidates)
def test_the_funnel_holds_together_at_every_end(c: Candidate) -> None:
    f = post_forecast(c, A)
    for end in ("low", "mid", "high"):
        reach, engaged, clicks, sales = (getattr(f.of(m), end) for m in Metric)
        assert 0 <= engaged <= reach + 1e-9
        assert 0 <= sales <= clicks <= reach + 1e-9
    for m in Metric:
        r = f.of(m)
        assert r.low <= r.mid <= r.high


spreads = st.tuples(st.floats(0.001, 0.1), st.floats(1.0, 3.0), st.floats(1.0, 3.0)).map(
    lambda t: Spread(t[0], t[0] * t[1], t[0] * t[1] * t[2])
)


@given(st.lists(spreads, min_size=1, max_size=4))
def test_spreads_combine_to_a_range_around_the_middle(rates: list[Spread]) -> None:
    below, above = spread_factors(rates)
    assert 0 < below <= 1 <= above
    # Never wider than every rate at its worst (or best) at once, never narrower than one.
    worst = math.prod(s.mid / s.low for s in rates)
    best = math.prod(s.high / s.mid for s in rates)
    assert 1 / below <= worst * (1 + 1e-9)
    assert above <= best * (1 + 1e-9)
    assert 1 / below >= max(s.mid / s.low for s in rates) * (1 - 1e-9)
    assert above >= max(s.high / s.mid for s in rates) * (1 - 1e-9)
    assert spread_factors([Spread(0.0, 0.1, 0.2)]) == (0.0, pytest.approx(2.0))
    half = spread_factors(rates, 0.5)
    assert half[0] == pytest.approx(math.sqrt(below)) and half[1] == pytest.approx(math.sqrt(above))


def test_one_creators_total_is_their_own_range() -> None:
    f = post_forecast(person(), A)
    alone = total([f], A.funnel)
    for m in Metric:
        assert alone.of(m).low == pytest.approx(f.of(m).low)
        assert alone.of(m).mid == pytest.approx(f.of(m).mid)
        assert alone.of(m).high == pytest.approx(f.of(m).high)


def test_a_plans_range_narrows_with_more_creators_but_keeps_its_shared_doubt() -> None:
    f = post_forecast(person(), A)
    widths = [total([f] * n, A.funnel).conversions for n in (1, 5, 20, 200)]
    ratios = [r.high / r.low for r in widths]
    assert ratios == sorted(ratios, reverse=True) and ratios[0] > ratios[-1]
    # The shared part stays: even 200 creators are not a sure thing.
    one = f.conversions
    shared = math.sqrt(A.funnel.shared_uncertainty)
    floor = (one.high / one.mid) ** shared * (one.mid / one.low) ** shared
    assert ratios[-1] >= floor * 0.99 and ratios[-1] > 1.5
    assert all(
        r.mid == pytest.approx(f.conversions.mid * n)
        for r, n in zip(widths, (1, 5, 20, 200), strict=True)
    )


def test_five_creators_give_a_sales_range_under_four_times() -> None:
    people = [person(20_000 * (i + 1), id=i, price_cents=20_000) for i in range(5)]
    plan = total([post_forecast(p, A) for p in people], A.funnel).conversions
    assert plan.high / plan.low < 4


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(candidates, min_size=1, max_size=12), st.integers(1, 4))
def test_a_totals_middle_is_the_sum_and_its_ends_hold_the_funnel(
    people: list[Candidate], posts: int
) -> None:
    parts = [post_forecast(c, A).scaled(posts) for c in people]
    t = total(parts, A.funnel)
    for m in Metric:
        r = t.of(m)
        assert r.mid == pytest.approx(sum(p.of(m).mid for p in parts))
        assert r.low <= r.mid * (1 + 1e-9) and r.mid <= r.high * (1 + 1e-9)
        # Never below the lowest sum, never above the highest.
        assert r.low >= sum(p.of(m).low for p in parts) * (1 - 1e-9) - 1e-9
        assert r.high <= sum(p.of(m).high for p in parts) * (1 + 1e-9) + 1e-9
    for end in ("low", "mid", "high"):
        reach, engaged, clicks, sales = (getattr(t.of(m), end) for m in Metric)
        assert engaged <= reach + 1e-6 and sales <= clicks + 1e-6 and clicks <= reach + 1e-6

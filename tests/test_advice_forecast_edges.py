"""The forecast funnel at its edges: every measure's own rates and ends, the funnel kept in
order at each end, and a plan's total where a part brings nothing or may bring anything.
Found by mutation testing (tests/MUTATION.md); test_forecast.py has the main rules."""

from __future__ import annotations

import gc
import math
import random
import weakref
from dataclasses import replace
from statistics import NormalDist

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from knowledge.advice import forecast
from knowledge.advice.brief import Candidate
from knowledge.advice.forecast import (
    Forecast,
    Range,
    funnel_mid,
    post_figures,
    post_forecast,
    shown,
    spread_factors,
    total,
    value_per_cost,
)
from knowledge.base import Learned, Metric, Spread, default_knowledge
from tests.hypothesis_profiles import examples
from tests.test_forecast import person as forecast_person

A = default_knowledge().assumptions
F = A.funnel
K = shown(F)


def person(followers: int = 50_000, **extra: object) -> Candidate:
    """tests.test_forecast's creator, engaging 1 % unless told otherwise."""
    return forecast_person(followers, **({"engagement_rate": 1.0} | extra))


def test_ranges_and_forecasts_add_scale_and_cap_at_every_end() -> None:
    one = Forecast(Range(1, 2, 3), Range(4, 5, 6), Range(7, 8, 9), Range(10, 11, 12))
    two = Forecast(Range(100, 200, 300), Range(0, 0, 0), Range(1, 1, 1), Range(2, 3, 4))
    assert one + two == Forecast(
        Range(101, 202, 303), Range(4, 5, 6), Range(8, 9, 10), Range(12, 14, 16)
    )
    assert one.scaled(3) == Forecast(
        Range(3, 6, 9), Range(12, 15, 18), Range(21, 24, 27), Range(30, 33, 36)
    )
    assert Range(5, 5, 5).capped(Range(1, 9, 3)) == Range(1, 5, 3)
    assert Range(1, 2, 3).scaled(0.5) == Range(0.5, 1, 1.5)


def test_a_post_uses_its_platforms_and_tiers_figures() -> None:
    nano = post_figures(person(5_000, platform="blog", audience_quality=None), A)
    tier = A.tier_for(5_000)
    assert nano.tier == tier
    assert (nano.quality, nano.quality_known) == (F.default_audience_quality, False)
    assert nano.reach_rate == F.reach_rate["blog"]
    assert nano.click_rate == F.click_rate["blog"]
    assert nano.sponsored_engagement == F.sponsored_engagement
    assert nano.click_factor == tier.click_factor
    assert nano.conversion_rate == tier.conversion_rate
    assert nano.engagement_cap == F.max_engagement_per_reach
    assert not nano.diluted and nano.dilution_factor == 1.0
    known = post_figures(person(audience_quality=0, posts_per_week=None), A)
    assert (known.quality, known.quality_known, known.diluted) == (0, True, False)


def test_every_step_of_the_middle_funnel_by_hand_for_a_heavy_poster() -> None:
    """A nano creator on a blog posting daily and more: the dilution halves the reach and the
    engagements alike; clicks take the tier's click factor, sales its conversion rate."""
    c = person(8_000, platform="blog", posts_per_week=20, audience_quality=90)
    p = post_figures(c, A)
    reach, engagements, clicks, sales = funnel_mid(c, p)
    tier = A.tier_for(8_000)
    want_reach = 8_000 * 0.90 * F.reach_rate["blog"].mid * tier.reach_factor * F.dilution_factor
    assert reach == pytest.approx(want_reach)
    engaged = 8_000 * 0.01 * F.sponsored_engagement.mid * F.dilution_factor
    assert engaged < want_reach * F.max_engagement_per_reach  # not capped: the rate's own
    assert engagements == pytest.approx(engaged)
    want_clicks = want_reach * F.click_rate["blog"].mid * tier.click_factor
    assert clicks == pytest.approx(want_clicks)
    assert sales == pytest.approx(want_clicks * tier.conversion_rate.mid)


def test_each_measures_range_combines_the_rates_it_depends_on() -> None:
    """Reach: the platform's reach rate; engagements: the sponsored share; clicks: reach and
    click rates; sales: those and the tier's conversion rate."""
    c = person(8_000, platform="blog")
    f = post_forecast(c, A)
    p = post_figures(c, A)
    expected = {
        Metric.REACH: spread_factors([p.reach_rate], K),
        Metric.ENGAGEMENTS: spread_factors([p.sponsored_engagement], K),
        Metric.CLICKS: spread_factors([p.reach_rate, p.click_rate], K),
        Metric.CONVERSIONS: spread_factors([p.reach_rate, p.click_rate, p.conversion_rate], K),
    }
    for metric, (below, above) in expected.items():
        r = f.of(metric)
        assert r.low == pytest.approx(r.mid * below), metric
        assert r.high == pytest.approx(r.mid * above), metric


def test_spreads_that_say_nothing_or_everything() -> None:
    assert spread_factors([Spread(0.0, 0.0, 0.1)]) == (0.0, 1.0)  # no middle: no width above
    below, above = spread_factors([Spread(1.0, 1.0, 1e305)])
    assert below == 1.0 and above == math.inf  # past what a float can hold


def test_the_funnel_is_kept_in_order_at_each_end() -> None:
    reach = Range(100, 1_000, 2_000)
    f = Forecast(reach, Range(50, 300, 900), Range(200, 500, 3_000), Range(300, 400, 2_500))
    kept = f.in_order(0.15)  # the middle engages 30 % of those reached: the ends keep to it
    assert kept.reach == reach
    assert kept.engagements == Range(30, 300, 600)
    assert kept.clicks == Range(100, 500, 2_000)
    assert kept.conversions == Range(100, 400, 2_000)
    assert f.in_order(0.5).engagements == Range(50, 300, 900)
    assert f.in_order().engagements == Range(50, 300, 900)


def test_with_no_middle_reach_the_ends_are_held_to_the_reach_alone() -> None:
    f = Forecast(Range(10, 0, 100), Range(5, 0, 50), Range(0, 0, 0), Range(0, 0, 0))
    assert f.in_order(0.15).engagements == Range(5, 0, 50)


def test_a_reach_under_one_person_still_holds_engagements_to_the_cap() -> None:
    f = Forecast(Range(0.25, 0.5, 1.0), Range(0.01, 0.05, 0.9), Range(), Range())
    assert f.in_order(0.1).engagements == Range(0.01, 0.05, 0.1)


def test_value_per_cost_pays_at_least_the_floor_and_one_unit() -> None:
    c = person(price_cents=5_000)
    mid = post_forecast(c, A).reach.mid
    assert value_per_cost(c, Metric.REACH, A, floor_cents=10_000) == pytest.approx(mid / 100)
    assert value_per_cost(c, Metric.REACH, A, floor_cents=1_000) == pytest.approx(mid / 50)
    cheap = person(price_cents=40)
    assert value_per_cost(cheap, Metric.CLICKS, A) == pytest.approx(
        post_forecast(cheap, A).clicks.mid
    )


def test_a_total_of_nothing_is_nothing() -> None:
    assert total([], F) == Forecast()


def test_parts_that_bring_nothing_in_the_middle_add_only_to_the_high_end() -> None:
    f = post_forecast(person(), A)
    maybe = Forecast(Range(0, 0, 500), Range(0, 0, 40), Range(0, 0, 4), Range(0, 0, 0.1))
    alone, both = total([f], F), total([f, maybe], F)
    for m in Metric:
        assert both.of(m).mid == pytest.approx(alone.of(m).mid)
        assert both.of(m).low == pytest.approx(alone.of(m).low)
        assert alone.of(m).high <= both.of(m).high <= alone.of(m).high + maybe.of(m).high
    nothing = total([maybe, maybe], F)
    assert nothing.reach == Range(0, 0, 500)  # the most one of them may bring
    assert nothing.conversions == Range(0, 0, 0.1)


def part(mid: float, below: float, above: float) -> Range:
    """A part's range: its low end `below` of its middle, its high end `above` times it (for
    a part bringing nothing in the middle, `above` itself)."""
    return Range(mid * below, mid, mid * above if mid else above)


parts = st.lists(
    st.builds(part, st.sampled_from([0.0, 1.0, 250.0, 1e5]), st.floats(0, 1), st.floats(1, 30)),
    min_size=1,
    max_size=5,
)


@settings(max_examples=examples(100), deadline=None)
@given(parts, st.randoms(use_true_random=False))
@example([Range(0, 0, 5), Range(10, 20, 40)], random.Random(0))
def test_a_totals_range_is_the_same_whatever_the_order_of_its_parts(
    ranges: list[Range], rnd: random.Random
) -> None:
    """A plan's lines come in id order; its range must not depend on it (a part bringing
    nothing in the middle, anywhere in the list, adds only to the high end)."""

    def reach(rs: list[Range]) -> Range:
        return total([Forecast(r, Range(), Range(), Range()) for r in rs], F).reach

    shuffled = list(ranges)
    rnd.shuffle(shuffled)
    ordered = reach(ranges)
    for r in (reach(shuffled), reach(ranges[::-1])):
        for end in ("low", "mid", "high"):
            assert getattr(r, end) == pytest.approx(getattr(ordered, end), rel=1e-9, abs=1e-9)


def test_a_part_that_may_bring_anything_or_nothing_counts_a_bounded_spread() -> None:
    """A log distance from the middle counts at most 12 (e¹²), and an end at zero or without
    bound counts that much: a sum's range stays finite."""
    wild = Forecast(Range(0, 10, math.inf), Range(0, 1, math.inf), Range(0, 1, 2), Range(0, 1, 2))
    t = total([wild], F)
    assert t.reach.high == pytest.approx(10 * math.exp(12))
    assert t.reach.low == pytest.approx(10 * math.exp(-12))
    far = Forecast(Range(10 * math.exp(-13), 10, 10 * math.exp(13)), Range(), Range(), Range())
    r = total([far], F).reach
    assert r.low == pytest.approx(10 * math.exp(-12))
    assert r.high == pytest.approx(10 * math.exp(12))


def test_two_like_creators_sum_as_the_module_says() -> None:
    """Fenton–Wilkinson for two equal parts of log spread σ: the own part's variance halves,
    the shared part stays: σ_sum² = ln(1 + (g − 1) / 2) + s·σ², g = e^((1 − s)·σ²)."""
    part = Range(50, 100, 300)
    s = F.shared_uncertainty
    t = total([Forecast(part, part, part, part)] * 2, F)
    z = NormalDist().inv_cdf(1 - F.range_percentile / 100)
    for end, sign in ((math.log(3), 1), (math.log(2), -1)):
        sigma = end / z
        g = math.exp((1 - s) * sigma * sigma)
        width = math.sqrt(math.log1p((g - 1) / 2) + s * sigma * sigma)
        want = 200 * math.exp(sign * z * width)
        assert (t.reach.high if sign > 0 else t.reach.low) == pytest.approx(want)


def test_a_plans_total_keeps_engagements_within_a_share_of_those_reached() -> None:
    eager = Forecast(Range(100, 1_000, 2_000), Range(100, 150, 1_500), Range(), Range())
    t = total([eager], F)
    assert t.engagements.low == pytest.approx(100 * F.max_engagement_per_reach)
    assert t.engagements.high == pytest.approx(2_000 * F.max_engagement_per_reach)


def test_other_assumptions_give_their_own_forecast() -> None:
    wider = replace(F, reach_rate={**F.reach_rate, "instagram": Spread(0.2, 0.6, 0.9)})
    other = replace(A, funnel=wider)
    c = person()
    assert post_forecast(c, other).reach.mid == pytest.approx(2 * post_forecast(c, A).reach.mid)


def test_cached_forecasts_keep_their_assumptions_alive_and_stay_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A forecast is cached under its assumptions' id: those assumptions are kept alive
    while it is (another set could otherwise be given the same id and its forecasts), and
    the cache is emptied when it holds `FORECASTS_KEPT` of them."""
    monkeypatch.setattr(forecast, "FORECASTS_KEPT", 3)
    # (what earlier tests in this worker cached would otherwise empty it mid-test)
    monkeypatch.setattr(forecast, "_FORECASTS", {})
    monkeypatch.setattr(forecast, "_OWNERS", {})
    firsts = [replace(A, funnel=replace(F, dilution_factor=0.5 + i / 10)) for i in range(2)]
    kept = [weakref.ref(a) for a in firsts]
    for a in firsts:
        post_forecast(person(), a)
    del a, firsts
    gc.collect()
    assert all(ref() is not None for ref in kept)
    for followers in range(10_000, 10_005):
        post_forecast(person(followers), A)
        assert len(forecast._FORECASTS) <= 3


def test_an_owners_results_scale_each_rate_by_its_measures_own_factor() -> None:
    """An owner's results of micro posts on Instagram: twice the people reached, three times
    the clicks, 1.5 times the sales, half the engagements of the public forecast. Each rate
    moves by its measure's factor over the one before it in the funnel, so each forecast
    moves by its own factor; another platform, or the other side, keeps the public rates."""
    own = Learned(reach=2.0, engagements=0.5, clicks=3.0, conversions=1.5)
    learned = replace(A, funnel=replace(F, learned={"micro instagram": own}))
    c = person(50_000)
    public, mine = post_figures(c, A), post_figures(c, learned)
    assert public.tier.side.value == "micro" and mine.learned == own
    for rate, factor in (
        ("reach_rate", 2.0),
        ("sponsored_engagement", 0.5),
        ("click_rate", 3.0 / 2.0),
        ("conversion_rate", 1.5 / 3.0),
    ):
        before, after = getattr(public, rate), getattr(mine, rate)
        assert (after.low, after.mid, after.high) == pytest.approx(
            (before.low * factor, before.mid * factor, before.high * factor)
        ), rate
    forecast_public, forecast_mine = post_forecast(c, A), post_forecast(c, learned)
    assert forecast_mine.reach.mid == pytest.approx(2 * forecast_public.reach.mid)
    assert forecast_mine.clicks.mid == pytest.approx(3 * forecast_public.clicks.mid)
    assert forecast_mine.conversions.mid == pytest.approx(1.5 * forecast_public.conversions.mid)
    for other in (person(50_000, platform="tiktok"), person(900_000)):
        assert post_figures(other, learned).reach_rate == post_figures(other, A).reach_rate

"""Learning from the owner's results: the credibility weight, the blend of each measured
rate with the public one, the forecast it makes, and what a campaign's finished results
give (knowledge.advice.learning, knowledge.campaigns.outcomes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.advice.brief import Brief, Candidate
from knowledge.advice.engine import recommend
from knowledge.advice.forecast import post_forecast
from knowledge.advice.learning import Outcome, blend, learning, weight, with_learning
from knowledge.advice.snapshot import snapshot
from knowledge.base import Goal, Metric, Side, default_knowledge
from knowledge.campaigns.outcomes import outcomes
from knowledge.writing import i18n
from knowledge.writing.render import render, shown_text
from knowledge.writing.replies import Template
from knowledge.writing.views import card_text, forecast_values, view_values
from tests.test_engine import roster

KB = default_knowledge()
A = KB.assumptions
K = A.funnel.credibility_posts


def person(followers: int = 50_000, platform: str = "instagram") -> Candidate:
    return Candidate(
        id=1,
        name="P",
        handle="@p",
        platform=platform,
        niches=("cooking",),
        followers=followers,
        engagement_rate=3.0,
        price_cents=20_000,
        audience_quality=80,
    )


def measured(
    own: float, posts: int, metric: Metric = Metric.CONVERSIONS, campaign: int = 1
) -> Outcome:
    """A micro Instagram creator whose `metric` came in at `own` times its public forecast."""
    return Outcome(campaign, Side.MICRO, "instagram", posts, {metric: 10 * own}, {metric: 10.0})


posts_measured = st.integers(min_value=0, max_value=10_000)
credibility = st.floats(min_value=0.1, max_value=1_000)


@given(posts_measured, credibility)
def test_the_weight_is_a_share_below_one(posts: int, k: float) -> None:
    w = weight(posts, k)
    assert 0 <= w < 1
    assert (w == 0) == (posts == 0)


@given(posts_measured, posts_measured, credibility)
def test_more_measured_weighs_more(fewer: int, more: int, k: float) -> None:
    fewer, more = sorted((fewer, more))
    assert weight(fewer, k) <= weight(more, k)


@given(
    st.floats(min_value=0, max_value=100),
    st.floats(min_value=0, max_value=100),
    st.floats(min_value=0, max_value=0.999),
    st.floats(min_value=0, max_value=0.999),
)
def test_a_heavier_weight_is_closer_to_the_owners_rate(
    public: float, own: float, lighter: float, heavier: float
) -> None:
    lighter, heavier = sorted((lighter, heavier))
    near, far = blend(public, own, heavier), blend(public, own, lighter)
    assert abs(near - own) <= abs(far - own) + 1e-9
    assert min(public, own) - 1e-9 <= near <= max(public, own) + 1e-9
    assert blend(public, own, 0.0) == public


def test_nothing_measured_is_exactly_the_public_forecast() -> None:
    assert learning([], K) is None
    assert with_learning(KB, None) is KB
    # A result with no public forecast to hold it against teaches nothing either.
    nothing = Outcome(1, Side.MICRO, "instagram", 3, {Metric.CONVERSIONS: 4}, {})
    assert learning([nothing], K) is None
    brief = Brief(Goal.SALES, 300_000, "EUR", "cooking")
    people = roster(3)
    assert recommend(brief, people, KB, own=[]) == recommend(brief, people, KB)
    assert recommend(brief, people, KB, own=[nothing]) == recommend(brief, people, KB)


def test_sales_twice_the_forecast_move_sales_only_and_say_by_how_much() -> None:
    found = learning([measured(2.0, 4)], K)
    assert found is not None and found.campaigns == 1
    [rate] = found.rates
    assert (rate.side, rate.platform, rate.metric) == (Side.MICRO, "instagram", Metric.CONVERSIONS)
    assert rate.own == pytest.approx(2.0)
    assert rate.weight == pytest.approx(4 / (4 + K))
    public = post_forecast(person(), A)
    mine = post_forecast(person(), with_learning(KB, found).assumptions)
    assert mine.conversions.mid == pytest.approx(public.conversions.mid * rate.factor)
    assert mine.reach == public.reach and mine.clicks == public.clicks
    assert mine.engagements == public.engagements
    # Its range moves with it, as wide as before.
    ratio = mine.conversions.high / mine.conversions.mid
    assert ratio == pytest.approx(public.conversions.high / public.conversions.mid)


def test_clicks_and_sales_follow_the_people_reached_when_only_reach_was_measured() -> None:
    found = learning([measured(0.5, 6, Metric.REACH)], K)
    assert found is not None
    factor = found.rates[0].factor
    assert 0.5 < factor < 1
    public = post_forecast(person(), A)
    mine = post_forecast(person(), with_learning(KB, found).assumptions)
    for metric in (Metric.REACH, Metric.CLICKS, Metric.CONVERSIONS):
        assert mine.of(metric).mid == pytest.approx(public.of(metric).mid * factor)


def test_each_side_and_platform_keeps_its_own_rates() -> None:
    found = learning([measured(3.0, 8, Metric.REACH)], K)
    a = with_learning(KB, found).assumptions
    for other in (person(platform="tiktok"), person(followers=600_000)):
        assert post_forecast(other, a) == post_forecast(other, A)
    assert post_forecast(person(), a) != post_forecast(person(), A)


@given(
    st.floats(min_value=0, max_value=20),
    st.integers(min_value=1, max_value=200),
    st.integers(min_value=1, max_value=200),
)
def test_more_posts_measured_bring_the_forecast_closer_to_the_owners_rate(
    own: float, fewer: int, more: int
) -> None:
    fewer, more = sorted((fewer, more))
    public = post_forecast(person(), A).conversions.mid
    theirs = public * own

    def forecast(posts: int) -> float:
        found = learning([measured(own, posts)], K)
        return post_forecast(person(), with_learning(KB, found).assumptions).conversions.mid

    near, far = forecast(more), forecast(fewer)
    assert abs(near - theirs) <= abs(far - theirs) * (1 + 1e-9) + 1e-12
    assert min(public, theirs) * (1 - 1e-9) <= far <= max(public, theirs) * (1 + 1e-9)


def test_several_campaigns_add_up_per_side_and_platform() -> None:
    found = learning(
        [measured(1.0, 2, campaign=1), measured(3.0, 2, campaign=2), measured(9.0, 0, campaign=3)],
        K,
    )
    assert found is not None and found.campaigns == 2
    [rate] = found.rates
    assert rate.own == pytest.approx(2.0) and rate.posts == 4


@dataclass
class Creator:
    id: int
    influencer_id: int
    side: str = "micro"
    platform: str = "instagram"
    posts: int = 2
    forecast: dict[str, Any] = field(
        default_factory=lambda: {"conversions": [1.0, 4.0, 8.0], "reach": [500, 1000, 2000]}
    )
    wave: int = 1
    status: str = "published"
    replaced_by: int | None = None


def test_a_campaigns_outcomes_are_its_finished_results_against_the_public_forecast() -> None:
    recommendation = {
        "plan": {
            "lines": [
                {"id": 7, "figures": {"learned": {"conversions": 2.0}}},
                {"id": 8, "figures": {}},
            ]
        }
    }
    creators = [Creator(1, 7), Creator(2, 8), Creator(3, 9, side="macro")]
    results = [
        {"creator_id": 1, "stage": "mid", "conversions": 1, "reach": 300},
        {"creator_id": 1, "stage": "last", "conversions": 6},
        {"creator_id": 2, "stage": "mid", "conversions": 9},  # not finished: left out
        {"creator_id": 3, "stage": "after", "reach": 800},
    ]
    found = outcomes(5, recommendation, creators, results)
    assert [(o.campaign, o.side, o.posts) for o in found] == [
        (5, Side.MICRO, 2),
        (5, Side.MACRO, 2),
    ]
    first, macro = found
    # The mid-campaign reach was a total so far: only what was reported from the last day on.
    assert first.actual == {Metric.CONVERSIONS: 6.0}
    # Its saved forecast had twice the public rate in it: the public one is half of it.
    assert first.public[Metric.CONVERSIONS] == pytest.approx(2.0)
    assert macro.actual == {Metric.REACH: 800.0} and macro.public[Metric.REACH] == 1000


def test_the_card_and_the_views_say_what_the_owners_results_count() -> None:
    brief = Brief(Goal.SALES, 300_000, "EUR", "cooking", platform="instagram")
    people = [p for p in roster(5, 300) if p.platform == "instagram"]
    own = [measured(2.0, 4, campaign=1), measured(1.0, 4, Metric.REACH, campaign=2)]
    rec = recommend(brief, people, KB, own=own)
    stored = snapshot(rec, KB)
    assert stored.learning is not None and stored.learning.campaigns == 2
    micro = [line for line in stored.plan.lines if line.side == "micro"]
    assert micro and all("conversions" in line.figures.learned for line in micro)
    for language, card_line, how_line in (
        ("en", "Forecast based on your 2 campaigns and public rates.", "weight 50%"),
        ("fr", "Prévision fondée sur vos 2 campagnes et les taux publics.", "poids 50\u00a0%"),
    ):
        with i18n.speaking(language):
            assert card_line in shown_text(card_text(stored, KB))
            values = view_values(stored, KB) | {"lines": stored.plan.lines, "offset": 0}
            how = render(Template.RECOMMENDATION_HOW, **values, page=0, pages=1)
            forecast = render(
                Template.RECOMMENDATION_FORECAST,
                **view_values(stored, KB),
                **forecast_values(stored),
            )
            for text in (how, forecast):  # (French: a no-break space before %)
                assert how_line in text


def test_a_campaigns_totals_count_only_when_its_creators_are_of_one_side_and_platform() -> None:
    totals = [{"stage": "mid", "reach": 100}, {"stage": "last", "reach": 1500}]
    declined = Creator(3, 9, side="macro", platform="tiktok", status="declined", replaced_by=4)
    alike = [Creator(1, 7), Creator(2, 8, posts=1), declined]
    [whole] = outcomes(5, {}, alike, [], totals)
    assert (whole.side, whole.platform, whole.posts) == (Side.MICRO, "instagram", 3)
    assert whole.actual == {Metric.REACH: 1500.0}
    assert whole.public == {Metric.REACH: 2000.0, Metric.CONVERSIONS: 8.0}
    # Creators' own results come first: the totals are not counted twice.
    mine = [{"creator_id": 1, "stage": "last", "conversions": 3}]
    assert [o.actual for o in outcomes(5, {}, alike, mine, totals)] == [{Metric.CONVERSIONS: 3}]
    # A mixed campaign, or one with a reserve that may never have been released: nothing.
    for mixed in ([Creator(1, 7), Creator(2, 8, side="macro")], [Creator(1, 7, wave=2)]):
        assert outcomes(5, {}, mixed, [], totals) == []
    assert outcomes(5, {}, alike, [], [{"stage": "mid", "reach": 900}]) == []


def test_the_card_says_nothing_of_results_that_did_not_move_its_plan() -> None:
    brief = Brief(Goal.SALES, 300_000, "EUR", "cooking", platform="instagram")
    people = [p for p in roster(5, 300) if p.platform == "instagram"]
    elsewhere = Outcome(
        1, Side.MICRO, "tiktok", 4, {Metric.CONVERSIONS: 9}, {Metric.CONVERSIONS: 3}
    )
    stored = snapshot(recommend(brief, people, KB, own=[elsewhere]), KB)
    assert stored.learning is not None and not stored.learned
    assert "Forecast based on" not in card_text(stored, KB)
    assert stored.plan == snapshot(recommend(brief, people, KB), KB).plan

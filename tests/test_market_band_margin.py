"""A price is called over the agencies' band only clear of it (`vetting.CLEAR_OF_BAND`): a
planner's read found "€35 per 1,000, where agencies pay about €35" called a high price,
and "About €40 per 1,000 people, over the €5–€40 agencies quote" on a card."""

from __future__ import annotations

import pytest

from knowledge.advice.brief import Brief, Candidate
from knowledge.advice.engine import recommend
from knowledge.advice.forecast import post_forecast
from knowledge.advice.snapshot import snapshot
from knowledge.advice.vetting import CLEAR_OF_BAND
from knowledge.base import Goal, Metric, default_knowledge

KB = default_knowledge()
A = KB.assumptions
TOP = A.cpm_band["EUR"]["instagram"][1] * 100
LOW = A.cpm_band["EUR"]["instagram"][0] * 100


def creator(per_thousand_cents: float) -> Candidate:
    """A 30k Instagram account priced at `per_thousand_cents` per 1,000 people one post reaches."""
    c = Candidate(
        id=1,
        name="Lea",
        handle="@lea",
        platform="instagram",
        niches=("cooking",),
        followers=30_000,
        engagement_rate=2.5,
        price_cents=100,
        audience_quality=85,
    )
    reach = post_forecast(c, A).reach.mid
    return Candidate(**{**c.__dict__, "price_cents": round(per_thousand_cents * reach / 1000)})


@pytest.mark.parametrize(("times", "noted"), [(1.0, False), (1.05, False), (1.25, True)])
def test_a_price_is_noted_high_only_clear_of_the_bands_top(times: float, noted: bool) -> None:
    brief = Brief(Goal.AWARENESS, 500_000, "EUR", "cooking", "instagram")
    stored = snapshot(recommend(brief, [creator(TOP * times)], KB), KB)
    [line] = stored.plan.lines
    assert any(note[0] == "over_market" for note in line.notes) is noted


def test_a_plan_is_flagged_outside_the_band_only_clear_of_it() -> None:
    """Swept from far under the band to over it: flagged exactly when the plan's cost per
    1,000 people is clear of the band, and some plans just over its top are not."""
    brief = Brief(Goal.AWARENESS, 500_000, "EUR", "cooking", "instagram")
    just_over = 0
    for step in range(10, 160, 3):
        rec = recommend(brief, [creator(TOP * step / 100)], KB)
        assert rec.plan.lines
        cost = rec.plan.spent_cents * 1000 / rec.plan.measure(Metric.REACH)
        clear = cost > TOP * CLEAR_OF_BAND or cost < LOW / CLEAR_OF_BAND
        assert (rec.notice("cpm") is not None) is clear, cost
        just_over += TOP < cost <= TOP * CLEAR_OF_BAND
    assert just_over

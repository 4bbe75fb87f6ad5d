"""End to end: an owner saves a campaign, reports each creator's sales at the last check-in,
briefs again, and gets a forecast moved towards their own figures, said on the card and
weighed in How; a brand-new owner with the same brief gets the public forecast, unchanged."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, col, select

from knowledge.advice.stored import StoredRecommendation
from knowledge.base import KnowledgeBase
from storage.models import SavedBrief
from tests.conftest import USER, BotHarness
from tests.test_e2e_campaigns import wait_sent
from tests.test_e2e_pipeline import creators
from tests.test_e2e_plain_words import _assert_sums, _view, plain

BRIEF = "/advise goal=sales budget=30000 niche=cooking"
NEWCOMER = 5151
TIMES_THE_FORECAST = 10


def recommendations(bot: BotHarness, user: int = USER) -> list[StoredRecommendation]:
    """The user's saved recommendations, oldest first."""
    with Session(bot.engine) as session:
        query = select(SavedBrief).where(SavedBrief.user_id == user).order_by(col(SavedBrief.id))
        found = [StoredRecommendation.of(b.recommendation) for b in session.exec(query)]
    assert all(found)
    return [r for r in found if r is not None]


async def test_an_owners_results_move_their_next_forecast_and_a_newcomers_stays_public(
    bot: BotHarness, kb: KnowledgeBase
) -> None:
    [first] = await bot.say(BRIEF)
    assert "Forecast based on" not in first.text
    [ask] = await bot.press(first, "💾 Save as campaign")
    [ask] = await bot.say("Big cookies")
    [ask] = await bot.press(ask, "Tomorrow")
    [schedule] = await bot.press(ask, "2 weeks")
    await bot.press(schedule, "✅ Accept")
    bot.clock.advance(days=15)
    await wait_sent(bot, 3)  # launch, mid-campaign, last day

    # At the last check-in, each micro creator booked sold ten times their forecast.
    micro = [c for c in creators(bot) if c.side == "micro" and c.wave == 1]
    sold = {c.id: max(1, round(TIMES_THE_FORECAST * c.forecast["conversions"][1])) for c in micro}
    lines = "\n".join(f"{c.handle} {sold[c.id]} sales" for c in micro)
    [saved] = await bot.say(lines)
    assert f"✅ Saved for {len(micro)} creator" in saved.text

    [again] = await bot.say(BRIEF)
    assert "Forecast based on your campaign and public rates." in again.text
    before, after = recommendations(bot)
    assert after.learning is not None and after.learning.campaigns == 1
    rates = {(r.side, r.platform, r.metric): r for r in after.learning.rates}
    for platform in {c.platform for c in micro}:
        mine = [c for c in micro if c.platform == platform]
        rate = rates.pop(("micro", platform, "conversions"))
        posts = sum(c.posts for c in mine)
        public = sum(c.forecast["conversions"][1] for c in mine)
        assert rate.own == pytest.approx(sum(sold[c.id] for c in mine) / public, rel=0.02)
        assert rate.weight == pytest.approx(posts / (posts + 4))
        assert rate.factor > 1
    assert not rates  # nothing else was measured

    # Each line on a side and platform measured is forecast with the public rates times
    # the owner's factor (here sales per click: the clicks were not reported, so they and the
    # people reached stay public); the plan, cheaper per sale, leans to those creators.
    factors = {(r.side, r.platform): r.factor for r in after.learning.rates}
    a = kb.assumptions
    for line in after.plan.lines:
        factor = factors.get((line.side, line.platform), 1.0)
        tier = a.tier_for(line.followers)
        assert line.figures.conversion_rate[1] == pytest.approx(tier.conversion_rate.mid * factor)
        assert line.figures.reach_rate[1] == a.funnel.reach_rate_of(line.platform).mid
        assert line.figures.learned == ({"conversions": factor} if factor != 1 else {})
    assert any((line.side, line.platform) in factors for line in after.plan.lines)
    per_euro = [r.plan.forecast.conversions[1] / r.plan.spent_cents for r in (before, after)]
    assert per_euro[1] > per_euro[0]

    # How gives the weights, and its sums still add up with the owner's rates in them.
    forecast = await _view(bot, again, again.button_texts()[2])
    weights = re.compile(r"sales: [\d,]+% of the public rate over \d+ posts?, weight \d+% → × ")
    assert "Your own results" in forecast.text and weights.search(forecast.text)
    how = plain((await _view(bot, forecast, forecast.button_texts()[0])).text)
    assert "Your own results" in how and weights.search(how)
    assert "• Micro-influencers · " in how
    _assert_sums(how, "en")

    # A newcomer with the same brief: the public forecast, as the owner first had it.
    [fresh] = await bot.say(BRIEF, user=NEWCOMER)
    assert fresh.text == first.text
    [public] = recommendations(bot, NEWCOMER)
    assert public.learning is None
    assert public.plan == before.plan


async def test_a_campaigns_totals_count_when_its_creators_share_a_side_and_platform(
    bot: BotHarness,
) -> None:
    brief = "/advise goal=sales budget=1000 niche=travel platform=instagram"
    [first] = await bot.say(brief)
    [ask] = await bot.press(first, "💾 Save as campaign")
    [ask] = await bot.say("City trips")
    [ask] = await bot.press(ask, "Tomorrow")
    [schedule] = await bot.press(ask, "2 weeks")
    await bot.press(schedule, "✅ Accept")
    followed = creators(bot)
    assert {(c.side, c.platform, c.wave) for c in followed} == {("micro", "instagram", 1)}
    bot.clock.advance(days=15)
    await wait_sent(bot, 3)

    # The whole campaign's people reached, half the forecast: the owner's rate for micro
    # Instagram accounts, over all their posts.
    public = sum(c.forecast["reach"][1] for c in followed)
    [saved] = await bot.say(f"{round(public / 2)} reach")
    assert "Noted" in saved.text, saved.text

    [again] = await bot.say(brief)
    assert "Forecast based on your campaign and public rates." in again.text
    [before, after] = recommendations(bot)
    assert after.learning is not None
    [rate] = after.learning.rates
    posts = sum(c.posts for c in followed)
    assert (rate.side, rate.platform, rate.metric, rate.posts) == (
        "micro",
        "instagram",
        "reach",
        posts,
    )
    assert rate.own == pytest.approx(0.5, rel=0.01)
    assert rate.factor == pytest.approx(1 - 0.5 * posts / (posts + 4), rel=0.01)
    # Fewer people reached: fewer clicks and sales as well, at the public rates per person.
    per_euro = [r.plan.forecast.reach[1] / r.plan.spent_cents for r in (before, after)]
    assert per_euro[1] < per_euro[0]

"""The forecast funnel: what one post of a creator is expected to bring, as a range, and the
range of a plan's total.

    people reached = followers × share of real audience × reach rate (platform) × reach
                     factor (tier)
    engagements    = followers × stated engagement rate × sponsored share, at most the reach
    clicks         = people reached × click rate (platform) × click factor (tier)
    sales          = clicks × conversion rate (tier)

Audience quality is counted once, in the reach: the engagement rate is already measured over
all followers, fake ones included. Accounts posting more than `dilution_posts_per_week` times
a week count `dilution_factor` (fact S1-feed-dilution).

An owner whose own results were measured has each rate of a side on a platform scaled by
what their results make of it (`Funnel.learned_for`, knowledge.advice.learning): people
reached per follower, engagements per follower, clicks per person reached and sales per
click, so that each measure's forecast moves by its own factor.

Every rate has a low end, a middle and a high end (knowledge/data/assumptions.toml), read as
the `rate_percentile`-th and (100 − it)-th percentiles of what a post gets; a forecast is
shown from its `range_percentile`-th percentile to its mirror (k = z(range) / z(rate)). The
middle forecast takes every middle. One post's range combines the spreads of the rates it
depends on as independent errors, in quadrature on a log scale: with L_i = middle / low and
H_i = high / middle for each rate,

    low = middle / exp(k √Σ ln² L_i)        high = middle × exp(k √Σ ln² H_i)

A plan's total is not the sum of every creator's extremes: part of each spread
(`shared_uncertainty`) is common to all creators (the benchmark itself may be off), the
rest is each creator's own luck, which evens out in a sum (`total`). At each end,
engagements ≤ reach, clicks ≤ reach and sales ≤ clicks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

from knowledge.advice.brief import Candidate
from knowledge.base import Assumptions, Funnel, Learned, Metric, Spread, Tier


@dataclass(frozen=True)
class Range:
    low: float = 0.0
    mid: float = 0.0
    high: float = 0.0

    def __add__(self, other: Range) -> Range:
        return Range(self.low + other.low, self.mid + other.mid, self.high + other.high)

    def scaled(self, factor: float) -> Range:
        return Range(self.low * factor, self.mid * factor, self.high * factor)

    def capped(self, top: Range) -> Range:
        """Each end at most `top`'s same end (a later step of the funnel)."""
        return Range(min(self.low, top.low), min(self.mid, top.mid), min(self.high, top.high))


@dataclass(frozen=True)
class Forecast:
    reach: Range = Range()
    engagements: Range = Range()
    clicks: Range = Range()
    conversions: Range = Range()

    def __add__(self, other: Forecast) -> Forecast:
        return Forecast(
            self.reach + other.reach,
            self.engagements + other.engagements,
            self.clicks + other.clicks,
            self.conversions + other.conversions,
        )

    def scaled(self, factor: float) -> Forecast:
        return Forecast(
            self.reach.scaled(factor),
            self.engagements.scaled(factor),
            self.clicks.scaled(factor),
            self.conversions.scaled(factor),
        )

    def of(self, metric: Metric) -> Range:
        found: Range = getattr(self, metric.value)
        return found

    def in_order(self, engagement_cap: float = 1.0) -> Forecast:
        """The funnel kept in order at each end: clicks and engagements at most the reach,
        sales at most the clicks; and at the low and high ends, engagements at most
        `engagement_cap` of the people reached (or the middle's share, if larger): a post
        seen by fewer people is engaged with by fewer."""
        reach, engagements = self.reach, self.engagements
        share = max(engagement_cap, engagements.mid / reach.mid) if reach.mid > 0 else 1.0
        engaged = Range(
            min(engagements.low, reach.low * share),
            engagements.mid,
            min(engagements.high, reach.high * share),
        ).capped(reach)
        clicks = self.clicks.capped(reach)
        return Forecast(reach, engaged, clicks, self.conversions.capped(clicks))


@dataclass(frozen=True)
class PostFigures:
    """The figures the funnel used for one creator's post, to show how a forecast is made."""

    tier: Tier
    quality: int  # percent of real, relevant followers used
    quality_known: bool
    diluted: bool
    reach_rate: Spread  # the platform's, before the tier's reach factor
    sponsored_engagement: Spread
    click_rate: Spread
    click_factor: float
    conversion_rate: Spread
    dilution_factor: float
    engagement_cap: float  # engagements: at most this share of the people reached
    learned: Learned  # what the owner's results made of the public rates above (in them)


def _scaled(s: Spread, factor: float) -> Spread:
    return s if factor == 1 else Spread(s.low * factor, s.mid * factor, s.high * factor)


def post_figures(c: Candidate, a: Assumptions) -> PostFigures:
    """The rates one post of `c` is forecast with: the public ones, each scaled by what the
    owner's results make of it (a measure's factor over the one before it in the funnel)."""
    tier = a.tier_for(c.followers)
    f = a.funnel
    known = c.audience_quality is not None
    diluted = (c.posts_per_week or 0) > f.dilution_posts_per_week
    own = f.learned_for(tier.side, c.platform)
    return PostFigures(
        tier=tier,
        quality=c.audience_quality
        if c.audience_quality is not None
        else f.default_audience_quality,
        quality_known=known,
        diluted=diluted,
        reach_rate=_scaled(f.reach_rate_of(c.platform), own.reach),
        sponsored_engagement=_scaled(f.sponsored_engagement, own.engagements),
        click_rate=_scaled(f.click_rate_of(c.platform), own.clicks / own.reach),
        click_factor=tier.click_factor,
        conversion_rate=_scaled(tier.conversion_rate, own.conversions / own.clicks),
        dilution_factor=f.dilution_factor if diluted else 1.0,
        engagement_cap=f.max_engagement_per_reach,
        learned=own,
    )


def funnel_mid(c: Candidate, p: PostFigures) -> tuple[float, float, float, float]:
    """People reached, engagements, clicks and sales of one post, on the middle rates."""
    real = c.followers * p.quality / 100
    reach = real * p.reach_rate.mid * p.tier.reach_factor * p.dilution_factor
    engaged = c.followers * c.engagement_rate / 100 * p.sponsored_engagement.mid
    engagements = min(reach * p.engagement_cap, engaged * p.dilution_factor)
    clicks = reach * p.click_rate.mid * p.click_factor
    return reach, engagements, clicks, clicks * p.conversion_rate.mid


def spread_factors(spreads: Sequence[Spread], shown: float = 1.0) -> tuple[float, float]:
    return _spread_factors(tuple(spreads), shown)


@lru_cache(maxsize=256)
def _spread_factors(spreads: tuple[Spread, ...], shown: float) -> tuple[float, float]:
    """How far below and above its middle a measure may fall, given the spreads of the rates
    it depends on, combined as independent errors (0 below: a rate may be nil); `shown`:
    the share of those log distances the reply shows (its percentiles against the rates')."""

    def widening(ratios: list[float]) -> float:
        exponent = shown * math.sqrt(sum(math.log(r) ** 2 for r in ratios))
        return math.exp(exponent) if exponent < 700 else math.inf

    lows = [s.mid / s.low for s in spreads if s.low > 0]
    below = 0.0 if len(lows) < len(spreads) else 1 / widening(lows)
    above = widening([s.high / s.mid for s in spreads if s.mid > 0])
    return below, above


@lru_cache(maxsize=512)
def _ends(
    reach_rate: Spread, sponsored: Spread, click_rate: Spread, conversion_rate: Spread, shown: float
) -> tuple[tuple[float, float], ...]:
    """Below and above factors of people reached, engagements, clicks and sales, for one
    set of rates (the same for every creator of a tier on a platform), `shown` as in
    `spread_factors`."""
    return (
        spread_factors((reach_rate,), shown),
        spread_factors((sponsored,), shown),
        spread_factors((reach_rate, click_rate), shown),
        spread_factors((reach_rate, click_rate, conversion_rate), shown),
    )


# Forecasts already worked out, per set of assumptions (kept alive by `_OWNERS`, so an id is
# never reused while cached) and per creator figures: a roster's people come back brief after
# brief. Cleared when it grows past `FORECASTS_KEPT`.
_FORECASTS: dict[tuple[int, str, int, float, int | None, float | None], Forecast] = {}
_OWNERS: dict[int, Assumptions] = {}
FORECASTS_KEPT = 200_000


def post_forecast(c: Candidate, a: Assumptions) -> Forecast:
    """What one post of `c` is expected to bring, low–mid–high (it depends only on the
    creator's audience figures, their platform and the assumptions)."""
    key = (id(a), c.platform, c.followers, c.engagement_rate, c.audience_quality, c.posts_per_week)
    found = _FORECASTS.get(key)
    if found is None:
        if len(_FORECASTS) >= FORECASTS_KEPT:
            _FORECASTS.clear()
            _OWNERS.clear()
        _OWNERS[id(a)] = a
        found = _FORECASTS[key] = _post_forecast(c, a)
    return found


def _post_forecast(c: Candidate, a: Assumptions) -> Forecast:
    p = post_figures(c, a)
    reach, engagements, clicks, sales = funnel_mid(c, p)
    (rb, ra), (eb, ea), (cb, ca), (sb, sa) = _ends(
        p.reach_rate, p.sponsored_engagement, p.click_rate, p.conversion_rate, shown(a.funnel)
    )
    return Forecast(
        Range(reach * rb, reach, reach * ra),
        Range(engagements * eb, engagements, engagements * ea),
        Range(clicks * cb, clicks, clicks * ca),
        Range(sales * sb, sales, sales * sa),
    ).in_order(p.engagement_cap)


def posts_value(a: Assumptions, posts: int, first: int = 1) -> float:
    """What posts number `first` to `first + posts - 1` of one creator are worth together,
    in first posts."""
    return _posts_value(a.funnel.repeat_post_value, posts, first)


@lru_cache(maxsize=1024)
def _posts_value(values: tuple[float, ...], posts: int, first: int) -> float:
    return sum(values[min(i, len(values) - 1)] for i in range(first - 1, first - 1 + posts))


def value_per_cost(c: Candidate, metric: Metric, a: Assumptions, floor_cents: int = 0) -> float:
    """The middle forecast of `metric` for one post, per currency unit of what it is paid:
    the ask, at least `floor_cents` (the fair-pay floor, as a plan would pay it) and one unit
    (a free post counts as costing one). The search's scores and the engine's ranks."""
    return post_forecast(c, a).of(metric).mid / (max(c.price_cents, floor_cents, 100) / 100)


@lru_cache(maxsize=16)
def _z(percentile: float) -> float:
    """How many standard deviations a percentile's end lies from the middle."""
    return NormalDist().inv_cdf(1 - percentile / 100)


def shown(f: Funnel) -> float:
    """The share of a rate's spread (its ends at `rate_percentile`) that a forecast shows
    (its ends at `range_percentile`)."""
    return _z(f.range_percentile) / _z(f.rate_percentile)


def _sum_range(parts: Sequence[Range], f: Funnel) -> Range:
    """The range of a sum of uncertain parts, each lognormal around its middle with the log
    spread its own ends give, part of it (`shared_uncertainty`) common to all. The parts'
    own spreads are summed as lognormals (Fenton–Wilkinson: the sum's variance is the sum of
    the parts' variances); the shared spread is the parts' average, weighted by middle."""
    mid = sum(p.mid for p in parts)
    if mid <= 0:
        return Range(0.0, 0.0, max((p.high for p in parts), default=0.0))
    z = _z(f.range_percentile)
    ends = []
    for sign in (-1, 1):
        shared = own_mean = own_variance = 0.0
        for part in parts:
            weight = part.mid / mid
            if weight <= 0:
                continue
            end = part.low if sign < 0 else part.high
            distance = abs(math.log(part.mid / end)) if 0 < end < math.inf else 12.0
            sigma = min(distance, 12.0) / z
            own = sigma * math.sqrt(1 - f.shared_uncertainty)
            shared += weight * sigma * math.sqrt(f.shared_uncertainty)
            growth = math.exp(own * own)
            own_mean += weight * math.sqrt(growth)
            own_variance += weight * weight * growth * (growth - 1)
        sigma = math.sqrt(math.log1p(own_variance / (own_mean * own_mean)) + shared * shared)
        ends.append(mid * math.exp(sign * z * sigma))
    # Never wider than the parts' own ends added up (all at their worst, or best, at once).
    low = max(ends[0], sum(p.low for p in parts))
    return Range(min(low, mid), mid, max(min(ends[1], sum(p.high for p in parts)), mid))


def total(forecasts: Iterable[Forecast], f: Funnel) -> Forecast:
    """A plan's forecast from its lines' forecasts: middles add up; the ends are those of the
    sum (`_sum_range`), narrower than the sum of every line's ends."""
    lines = list(forecasts)
    return Forecast(
        _sum_range([x.reach for x in lines], f),
        _sum_range([x.engagements for x in lines], f),
        _sum_range([x.clicks for x in lines], f),
        _sum_range([x.conversions for x in lines], f),
    ).in_order(f.max_engagement_per_reach)

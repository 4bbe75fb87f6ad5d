"""Who is not booked, by the bot's own rules (the checklist's warnings), and why: the reply
counts them, so the owner knows the roster held more than the plan shows.

A creator is left out when their audience quality is under the floor (many fake or
irrelevant followers), they post more than the checklist's weekly limit (a sponsored post is
buried: fact S1-feed-dilution), their engagement is under a share of their tier's benchmark
or implausibly far over it (bought likes), their ask is under a share of what the roster
usually asks of an account their size (the median per 1,000 followers of the same tier,
niche and platform; across the niches looked at, else the whole roster, when the niche has
too few people) and under the bottom of the market band for the people a post reaches (a
price that hides a problem), or under a smaller share of it and under the band's middle (a
stale or mistyped price the plan would otherwise be built on), their price is several times
what the market pays for the people one post reaches (an ask to negotiate before booking),
or they work for gifts only and the brief asks for no seeding.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from knowledge.advice.brief import ALL_NICHES, ANY_NICHE, Brief, Candidate, PriceGuide
from knowledge.advice.forecast import post_forecast
from knowledge.base import Assumptions, Side, in_currency


class LeftOut(StrEnum):
    LOW_QUALITY = "low_quality"
    FREQUENT = "frequent"
    WEAK_ENGAGEMENT = "weak_engagement"
    IMPLAUSIBLE_ENGAGEMENT = "implausible_engagement"
    CHEAP_ASK = "cheap_ask"
    DEAR_ASK = "dear_ask"
    FAR_UNDER_FLOOR = "far_under_floor"
    OVER_MARKET = "over_market"
    GIFTED_ONLY = "gifted_only"


@dataclass(frozen=True)
class Vetted:
    kept: list[Candidate]
    reasons: dict[int, LeftOut]  # by candidate id, for those left out

    def left_out(
        self,
        among: Sequence[Candidate],
        budget_cents: int,
        in_the_running: Callable[[Candidate], bool],
    ) -> Counter[LeftOut]:
        """How many of `among` were left out, for each reason: of those the budget could pay
        for and who would have been `in_the_running` (priced to compete for a place)."""
        return Counter(
            self.reasons[c.id]
            for c in among
            if c.id in self.reasons and c.price_cents <= budget_cents and in_the_running(c)
        )


def _usual_ask(c: Candidate, niches: Sequence[str], prices: PriceGuide, a: Assumptions) -> float:
    """What the creator's group (tier, niche, platform; else tier and platform across the
    niches looked at, else across the whole roster) usually asks of an account their size,
    or 0 when no group is big enough to say."""
    tier = a.tier_for(c.followers).name
    for niche in [*([n for n in niches if n in c.niches] or c.niches), ANY_NICHE, ALL_NICHES]:
        group = prices.get((niche, c.platform, tier))
        if group is not None and group.count >= a.vetting.min_peers:
            return group.usual_for(c.followers)
    return 0


# A price is called over (or under) the market band only past this margin: the band is a
# spread of published quotes, and "€40 per 1,000, over the €5–€40 agencies quote" (40.3
# rounded) read as a contradiction to a planner.
CLEAR_OF_BAND = 1.1


def market_top_cents(platform: str, currency: str, a: Assumptions) -> float | None:
    """The top of the market band for `platform`, in cents per 1,000 people reached (None:
    no band for this platform or currency)."""
    band = a.cpm_band.get(currency.upper(), {}).get(platform)
    return band[1] * 100 if band else None


def under_market(c: Candidate, currency: str, a: Assumptions, point: float = 0.0) -> bool:
    """Whether `c`'s ask is under the bottom of the market band per 1,000 people a post
    reaches (`point` 0.5: under its middle; True where the platform has no band: the
    roster's median is all there is)."""
    band = a.cpm_band.get(currency.upper(), {}).get(c.platform)
    reach = post_forecast(c, a).reach.mid
    if band is None or reach <= 0:
        return True
    return c.price_cents * 1000 / reach < (band[0] + point * (band[1] - band[0])) * 100


def over_market(c: Candidate, currency: str, a: Assumptions) -> bool:
    """Whether what a post of `c` would be paid (the ask, at least the fair-pay floor) is over
    `over_market_multiple` times the top of the market band, per 1,000 people it reaches."""
    top = market_top_cents(c.platform, currency, a)
    reach = post_forecast(c, a).reach.mid
    if top is None or reach <= 0:
        return False
    paid = max(c.price_cents, in_currency(a.fair_pay_floor, currency) or 0)
    return paid * 1000 / reach > a.vetting.over_market_multiple * top


def reason_left_out(
    c: Candidate, brief: Brief, niches: Sequence[str], prices: PriceGuide, a: Assumptions
) -> LeftOut | None:
    """Why `c` is not booked for `brief` (None: they may be)."""
    reason = own_reason(c, brief, a)
    if reason is not None or c.price_cents == 0:
        return reason
    median = _usual_ask(c, niches, prices, a)
    if c.price_cents < a.vetting.cheap_ask_share * median and under_market(c, brief.currency, a):
        return LeftOut.CHEAP_ASK
    if c.price_cents < a.vetting.implausible_ask_share * median and under_market(
        c, brief.currency, a, point=0.5
    ):
        return LeftOut.CHEAP_ASK
    if median and c.price_cents > a.vetting.dear_ask_multiple * median:
        return LeftOut.DEAR_ASK
    return None


# Reasons already worked out, per set of assumptions (kept alive by `_OWNERS`, so an id is
# never reused while cached) and per creator figures: the engine and the search ask for the
# same people brief after brief. Cleared when it grows past `REASONS_KEPT`.
_REASONS: dict[tuple[object, ...], LeftOut | None] = {}
_OWNERS: dict[int, Assumptions] = {}
REASONS_KEPT = 200_000


def own_reason(c: Candidate, brief: Brief, a: Assumptions) -> LeftOut | None:
    """Why `c` is not booked, from their own figures alone (not against the roster's prices:
    the search can tell it as it reads them)."""
    key = (
        id(a),
        c.platform,
        c.followers,
        c.engagement_rate,
        c.audience_quality,
        c.posts_per_week,
        c.price_cents,
        brief.currency,
        brief.gift_cents is not None,
    )
    if key not in _REASONS:
        if len(_REASONS) >= REASONS_KEPT:
            _REASONS.clear()
            _OWNERS.clear()
        _OWNERS[id(a)] = a
        _REASONS[key] = _own_reason(c, brief, a)
    return _REASONS[key]


def _own_reason(c: Candidate, brief: Brief, a: Assumptions) -> LeftOut | None:
    if c.audience_quality is not None and c.audience_quality < quality_floor(c, a):
        return LeftOut.LOW_QUALITY
    if (c.posts_per_week or 0) > a.funnel.dilution_posts_per_week:
        return LeftOut.FREQUENT
    typical = a.tier_for(c.followers).typical_engagement_rate
    if c.engagement_rate < a.vetting.engagement_floor_share * typical:
        return LeftOut.WEAK_ENGAGEMENT
    if c.engagement_rate > a.vetting.engagement_ceiling_multiple * typical:
        return LeftOut.IMPLAUSIBLE_ENGAGEMENT
    if c.price_cents == 0:
        return None if brief.gift_cents is not None else LeftOut.GIFTED_ONLY
    floor = in_currency(a.fair_pay_floor, brief.currency) or 0
    if c.price_cents * a.fair_pay_max_raise < floor:
        return LeftOut.FAR_UNDER_FLOOR
    if over_market(c, brief.currency, a):
        return LeftOut.OVER_MARKET
    return None


def quality_floor(c: Candidate, a: Assumptions) -> int:
    """The least audience quality `c` may have: higher for a macro account."""
    if a.tier_for(c.followers).side is Side.MACRO:
        return max(a.plan.audience_quality_floor, a.plan.macro_audience_quality_floor)
    return a.plan.audience_quality_floor


def vet(
    candidates: Sequence[Candidate],
    brief: Brief,
    niches: Sequence[str],
    prices: PriceGuide,
    a: Assumptions,
) -> Vetted:
    """The candidates who may be booked, and why each of the others was left out."""
    kept: list[Candidate] = []
    reasons: dict[int, LeftOut] = {}
    for c in candidates:
        reason = reason_left_out(c, brief, niches, prices, a)
        if reason is None:
            kept.append(c)
        else:
            reasons[c.id] = reason
    return Vetted(kept, reasons)

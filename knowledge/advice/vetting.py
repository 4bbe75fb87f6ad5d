"""Who is not booked, by the bot's own rules (the checklist's warnings), and why: the reply
counts them, so the owner knows the roster held more than the plan shows.

A creator is left out when their audience quality is under the floor (many fake or
irrelevant followers), they post more than the checklist's weekly limit (a sponsored post is
buried: fact S1-feed-dilution), their engagement is under a share of their tier's benchmark
or implausibly far over it (bought likes), their ask is under a share of the roster's median
for the same tier, niche and platform (a price that hides a problem), or they work for gifts
only and the brief asks for no seeding.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from knowledge.advice.brief import Brief, Candidate, PriceGuide
from knowledge.base import Assumptions


class LeftOut(StrEnum):
    LOW_QUALITY = "low_quality"
    FREQUENT = "frequent"
    WEAK_ENGAGEMENT = "weak_engagement"
    IMPLAUSIBLE_ENGAGEMENT = "implausible_engagement"
    CHEAP_ASK = "cheap_ask"
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


def _median_ask(c: Candidate, niches: Sequence[str], prices: PriceGuide, a: Assumptions) -> int:
    """The roster's median ask for the creator's group (tier, niche, platform), or 0 when
    the group is too small to say."""
    tier = a.tier_for(c.followers).name
    for niche in [n for n in niches if n in c.niches] or list(c.niches):
        group = prices.get((niche, c.platform, tier))
        if group is not None and group.count >= a.vetting.min_peers:
            return group.median_cents
    return 0


def reason_left_out(
    c: Candidate, brief: Brief, niches: Sequence[str], prices: PriceGuide, a: Assumptions
) -> LeftOut | None:
    """Why `c` is not booked for `brief` (None: they may be)."""
    if c.audience_quality is not None and c.audience_quality < a.plan.audience_quality_floor:
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
    median = _median_ask(c, niches, prices, a)
    if c.price_cents < a.vetting.cheap_ask_share * median:
        return LeftOut.CHEAP_ASK
    return None


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

"""What an owner's own results teach the forecast of their next briefs: their measured rates,
per side and platform, blended with the public benchmarks by how much they measured.

Where each measured rate comes from (`knowledge.campaigns.outcomes` gathers them): for each
creator of the owner's campaigns who reported a measure on the last day or after, the figure
they reported (their totals: people reached, engagements, clicks, sales per promo code:
`CreatorResult`), against the public forecast of that creator's plan line (the middle of the
forecast saved with the campaign, `CampaignCreator.forecast`, divided by any factor an
earlier blend had put in it: the saved plan line's `figures.learned`); or, for a campaign
reported only as a whole whose creators share one side and platform, its totals
(`CheckinResult`) against the sum of their forecasts. That forecast already
holds the creator's followers, real share, tier, platform, posting pace and booked posts, so
actual ÷ forecast is the owner's rate as a share of the public one for the same creators:

- people reached per follower (reported reach ÷ forecast reach),
- engagements per follower (reported engagements ÷ forecast engagements),
- clicks per follower, and sales per follower (reported sales ÷ forecast sales).

Per side and platform, a measure's own rate is Σ actual ÷ Σ public forecast over the creators
who reported it, and counts with the credibility weight of experience rating (Bühlmann):

    weight = n / (n + k)    n: those creators' booked posts; k: `Funnel.credibility_posts`

so the forecast of that measure is the public one × (1 − weight + weight × own rate). A measure
nobody reported keeps the public rate of its own step of the funnel: clicks follow the people
reached, sales the clicks; engagements stand alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from knowledge.base import KnowledgeBase, Learned, Metric, Side

__all__ = ["Learning", "Outcome", "Rate", "blend", "learning", "weight", "with_learning"]


@dataclass(frozen=True)
class Outcome:
    """One creator's finished results beside the public forecast of their line."""

    campaign: int
    side: Side
    platform: str
    posts: int  # booked in the campaign
    actual: Mapping[Metric, float]  # the measures reported
    public: Mapping[Metric, float]  # the middle of the public forecast of each


@dataclass(frozen=True)
class Rate:
    """One measure of one side on one platform: the owner's rate beside the public one."""

    side: Side
    platform: str
    metric: Metric
    own: float  # the owner's rate as a share of the public one (actual ÷ public forecast)
    posts: int  # the posts behind it
    weight: float  # what the owner's rate counts in the blend, in [0, 1)

    @property
    def factor(self) -> float:
        """The forecast of this measure: the public one times this."""
        return blend(1.0, self.own, self.weight)


@dataclass(frozen=True)
class Learning:
    """What an owner's results make of the public rates: how many of their campaigns count,
    and each measured rate with its weight."""

    campaigns: int
    rates: tuple[Rate, ...]

    def learned(self) -> dict[str, Learned]:
        """The factors on each measure's forecast, per "side platform" (`Funnel.learned`)."""
        found: dict[tuple[Side, str], dict[Metric, float]] = defaultdict(dict)
        for rate in self.rates:
            found[rate.side, rate.platform][rate.metric] = rate.factor
        out = {}
        for (side, platform), factors in found.items():
            reach = factors.get(Metric.REACH, 1.0)
            clicks = factors.get(Metric.CLICKS, reach)
            out[f"{side.value} {platform}"] = Learned(
                reach=reach,
                engagements=factors.get(Metric.ENGAGEMENTS, 1.0),
                clicks=clicks,
                conversions=factors.get(Metric.CONVERSIONS, clicks),
            )
        return out


def weight(posts: float, k: float) -> float:
    """What a rate measured over `posts` posts counts against the public one: n / (n + k),
    from 0 (nothing measured) towards 1, never reaching it."""
    return posts / (posts + k) if posts > 0 else 0.0


def blend(public: float, own: float, weight: float) -> float:
    """The rate a forecast uses: the owner's `own` rate counting `weight`, the public the rest."""
    return (1 - weight) * public + weight * own


def learning(outcomes: Iterable[Outcome], k: float) -> Learning | None:
    """The owner's rates per side, platform and measure, each weighted by the posts behind it
    (None: nothing measured that a public forecast can be held against)."""
    actual: dict[tuple[Side, str, Metric], float] = defaultdict(float)
    public: dict[tuple[Side, str, Metric], float] = defaultdict(float)
    posts: dict[tuple[Side, str, Metric], int] = defaultdict(int)
    campaigns = set()
    for o in outcomes:
        for metric, value in o.actual.items():
            expected = o.public.get(metric, 0.0)
            if expected <= 0 or value < 0 or o.posts <= 0:
                continue
            key = (o.side, o.platform, metric)
            actual[key] += value
            public[key] += expected
            posts[key] += o.posts
            campaigns.add(o.campaign)
    if not posts:
        return None
    rates = tuple(
        Rate(*key, actual[key] / public[key], n, weight(n, k)) for key, n in sorted(posts.items())
    )
    return Learning(len(campaigns), rates)


# The knowledge as one owner's results make it, per set of results: the same results give the
# same object, so the forecasts worked out for it are found again (forecast.post_forecast).
_LEARNED: dict[tuple[int, Learning], tuple[KnowledgeBase, KnowledgeBase]] = {}
LEARNED_KEPT = 64


def with_learning(kb: KnowledgeBase, found: Learning | None) -> KnowledgeBase:
    """`kb` with the owner's factors on the public rates (`kb` itself: nothing learned)."""
    if found is None:
        return kb
    key = (id(kb), found)
    kept = _LEARNED.get(key)
    if kept is None:
        if len(_LEARNED) >= LEARNED_KEPT:
            _LEARNED.clear()
        a = kb.assumptions
        funnel = replace(a.funnel, learned=found.learned())
        kept = _LEARNED[key] = (kb, replace(kb, assumptions=replace(a, funnel=funnel)))
    return kept[1]

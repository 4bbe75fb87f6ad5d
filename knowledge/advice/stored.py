"""A recommendation as stored data: what is kept with a saved brief (as JSON), and what every
view of it (the card, Why, Shortlist, Forecast, How, the plan file, a chart, a campaign's
card) is rendered from, then or later, on any instance of the bot.

`StoredRecommendation` is the typed form, at `VERSION` (made by
`knowledge.advice.snapshot`); `StoredRecommendation.of` reads one
back, and gives None for one stored by an older version (its buttons then say the brief
has expired). A campaign keeps the recommendation it was made from whatever its version:
`verdict_of`, `plan_forecast` and `metric_of` read any version's JSON.

A line's figures are those its forecast was made with, so that the "How these numbers are
made" view can show them and anyone can redo the sums. Costs per unit are per 1,000 people
for reach (`PER`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, ValidationError

from knowledge.advice.choice import Verdict
from knowledge.advice.forecast import Forecast, Range
from knowledge.base import Metric

VERSION = 3


Json = dict[str, Any]


Trio = list[float]  # low, middle, high


class _Stored(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class StoredForecast(_Stored):
    reach: Trio
    engagements: Trio
    clicks: Trio
    conversions: Trio

    def __getitem__(self, metric: str) -> Trio:
        value: Trio = getattr(self, Metric(metric).value)
        return value

    @classmethod
    def of(cls, f: Forecast) -> StoredForecast:
        return cls(
            reach=_trio(f.reach),
            engagements=_trio(f.engagements),
            clicks=_trio(f.clicks),
            conversions=_trio(f.conversions),
        )


class Headline(_Stored):
    """What one unit of the goal's measure costs, from the cheapest case to the dearest."""

    metric: str
    per: int
    cheapest_cents: int
    mid_cents: int | None
    dearest_cents: int | None


class Figures(_Stored):
    reach_rate: Trio
    reach_factor: float
    sponsored_engagement: Trio
    click_rate: Trio
    click_factor: float
    conversion_rate: Trio
    dilution_factor: float
    post_value: float
    engagement_cap: float = 1.0  # engagements at most this share of reach (1: version 3.0)
    # The factor the owner's results put on each measure's public forecast (already in the
    # rates above; knowledge.advice.learning); none: public rates alone.
    learned: dict[str, float] = {}


class StoredDeliverable(_Stored):
    """What a line buys: `count` pieces of a format of posts.toml, each with its approval
    rounds before posting."""

    format: str
    count: int
    approval_rounds: int
    length: tuple[int, int] | None = None  # a piece's usual length, in `unit` (posts.toml)
    unit: str | None = None


class StoredLine(_Stored):
    id: int
    name: str
    handle: str
    platform: str
    tier: str
    side: str
    wave: int
    posts: int
    first_post: int
    months: int | None
    ask_cents: int  # what the creator asks per post
    price_cents: int  # the fee per post (the floor if they ask less; a parcel), no usage fee
    cost_cents: int  # the posts' fees and the usage fee
    followers: int
    engagement_rate: float
    audience_quality: int
    quality_known: bool
    posts_per_week: float | None
    contact: str | None
    country: str | None
    language: str | None
    open_to_exclusivity: bool
    seeding: bool
    reserve: bool
    release_cents: float | None  # a reserve line is booked if wave 1 costs at most this
    unit_cents: float  # the line's last post, per unit of the goal's measure (as weighed)
    notes: list[list[Any]]
    forecast: StoredForecast
    figures: Figures
    # What is bought, tracked and disclosed (knowledge.advice.posts); None: stored before.
    deliverable: StoredDeliverable | None = None
    usage: str | None = None  # the content's use (knowledge.advice.posts: ORGANIC, PAID…)
    usage_cents: int = 0  # the fee for paid use of the line's posts, in all
    paid_use_days: int | None = None  # how long the posts may run as ads (with PAID)
    ad_product: str | None = None  # the platform's ad product that runs them (with PAID)
    promo_code: str | None = None
    link: str | None = None  # the shop's address, tagged for this creator
    disclosure: str | None = None  # the country whose words mark the ad; "other": none listed
    # When the line posts, both days included, once the brief gives a date
    # (knowledge.advice.windows); None: no date given.
    post_from: date | None = None
    post_until: date | None = None
    post_role: str | None = None  # teaser, main or follow_up around a launch; else spread

    @property
    def pieces(self) -> int:
        """What the line buys, counted as the owner and the creator count it: the
        deliverable's pieces (the price of two posts buys one dedicated YouTube video), else
        its posts."""
        return self.deliverable.count if self.deliverable else self.posts

    @property
    def piece_price_cents(self) -> int:
        """The fee of one piece (`pieces`): the line's fees shared among its pieces."""
        return round(self.price_cents * self.posts / self.pieces)


class StoredPlan(_Stored):
    label: str
    budget_cents: int
    spent_cents: int  # planned, the reserve included
    booked_cents: int
    reserve_cents: int
    micro_cents: int
    macro_cents: int
    people: int
    posts: int
    waves: int
    forecast: StoredForecast
    booked_forecast: StoredForecast
    headline: Headline | None
    key: list[list[int]]
    lines: list[StoredLine]


class StoredBrief(_Stored):
    goal: str
    budget_cents: int
    currency: str
    niche: str
    platform: str | None = None
    country: str | None = None
    language: str | None = None
    order_value_cents: int | None = None
    margin_pct: float | None = None
    gifting: bool = False
    product_value_cents: int | None = None
    discount_pct: int | None = None
    shop_url: str | None = None
    shop_name: str | None = None
    start_date: date | None = None  # the start or launch date, in the owner's time zone
    town: str | None = None  # the town the shop is in, when the country was read from it
    paid_use_days: int | None = None  # posts run as ads from the creator's account (None: organic)


class StoredVerdict(_Stored):
    kind: str
    micro_pct: int
    macro_pct: int
    micro_band: tuple[int, int | None] | None = None
    macro_band: tuple[int, int | None] | None = None
    micro_tier: str | None = None
    macro_tier: str | None = None


class StoredNotice(_Stored):
    code: str
    fact: str | None
    params: dict[str, Any]


class StoredScope(_Stored):
    niches: list[str]
    platform: str | None
    niche_widened: bool
    platform_widened: bool


class StoredRate(_Stored):
    """One rate the owner measured (knowledge.advice.learning.Rate)."""

    side: str
    platform: str
    metric: str
    own: float  # the owner's rate as a share of the public one
    posts: int
    weight: float
    factor: float


class StoredLearning(_Stored):
    """What the owner's results made of the public rates: the campaigns that count, and the
    rates measured with their weights."""

    campaigns: int
    rates: list[StoredRate]


class StoredRecommendation(_Stored):
    version: int = VERSION
    brief: StoredBrief
    verdict: StoredVerdict
    strategy: str
    metric: str
    test: bool
    ceiling_cents: float | None  # the most a post may cost per unit (per 1,000 for reach)
    reasons: list[str]
    reason_sides: list[list[str]]
    plan: StoredPlan
    all_micro: StoredPlan
    all_macro: StoredPlan
    notices: list[StoredNotice]
    scope: StoredScope
    learning: StoredLearning | None = None  # None: the public rates alone
    # The owner's edits on the plan page, as its fields (knowledge.advice.edits.PlanEdits);
    # empty: the plan as the engine made it.
    edits: dict[str, str] = {}

    @classmethod
    def of(cls, raw: Mapping[str, Any] | None) -> Self | None:
        """A stored recommendation read back; None when it is missing, of an older version
        or not one at all."""
        if not raw or raw.get("version") != VERSION:
            return None
        try:
            return cls.model_validate(raw)
        except ValidationError:
            return None

    def to_json(self) -> Json:
        return self.model_dump(mode="json")

    @property
    def learned(self) -> bool:
        """Whether the owner's results moved this plan's forecast (the rates of a line)."""
        return self.learning is not None and any(line.figures.learned for line in self.plan.lines)

    def notice(self, code: str) -> StoredNotice | None:
        return next((n for n in self.notices if n.code == code), None)


def stored_figure(value: float) -> float:
    """A forecast figure as a recommendation stores it: a notice saying a figure the card
    also shows keeps it at this precision, so that both read the same once rounded."""
    return round(value, 2)


def _trio(r: Range) -> Trio:
    return [stored_figure(r.low), stored_figure(r.mid), stored_figure(r.high)]


def verdict_of(stored: Mapping[str, Any]) -> Verdict:
    """The verdict of a stored recommendation of any version (JSON)."""
    v = stored.get("verdict")
    if isinstance(v, Mapping):
        return Verdict(int(v.get("micro_pct", 100)), int(v.get("macro_pct", 0)))
    # Version 1 stored the kind and the shares at the top level.
    return Verdict(int(stored.get("micro_pct", 100)), int(stored.get("macro_pct", 0)))


def plan_forecast(stored: Mapping[str, Any]) -> tuple[int, dict[str, list[float]]]:
    """A stored recommendation's plan (JSON, any version): what it spends and its forecast
    ranges (a version 1 recommendation stored single figures: ranges of one point)."""
    plan = stored.get("plan") or {}
    spent = int(plan.get("spent_cents", 0))
    if "forecast" in plan:
        return spent, {k: list(v) for k, v in plan["forecast"].items()}
    points = {m.value: float(plan.get(m.value, 0) or 0) for m in Metric}
    return spent, {k: [v, v, v] for k, v in points.items()}


@dataclass(frozen=True)
class PlanPeople:
    """Who a stored plan books, what it spends and in how many waves (any version)."""

    lines: list[Mapping[str, Any]]
    spent_cents: int
    waves: int


def plan_people(stored: Mapping[str, Any]) -> PlanPeople:
    """A stored recommendation's (JSON, any version) people, spend and waves; nothing for a
    campaign saved without a recommendation."""
    plan = stored.get("plan") or {}
    lines = [line for line in plan.get("lines", []) if isinstance(line, Mapping)]
    return PlanPeople(lines, int(plan.get("spent_cents", 0)), int(plan.get("waves", 1)))


def metric_of(stored: Mapping[str, Any], goal: str) -> Metric:
    """The measure a stored recommendation (JSON, any version) was planned on."""
    if "metric" in stored:
        return Metric(stored["metric"])
    return {
        "sales": Metric.CONVERSIONS,
        "awareness": Metric.REACH,
        "launch": Metric.REACH,
    }.get(goal, Metric.ENGAGEMENTS)


BRIEF_KEYS = (
    "goal",
    "budget_cents",
    "niche",
    "platform",
    "country",
    "language",
    "order_value_cents",
    "margin_pct",
    "gifting",
    "product_value_cents",
    "discount_pct",
    "shop_url",
    "shop_name",
    "start_date",
    "paid_use_days",
)


class Change(_Stored):
    """What a changed answer changed against the previous plan."""

    answers: list[tuple[str, Any, Any]]
    people: int
    metric: str
    before: Trio | None
    after: Trio


def what_changed(old: StoredRecommendation, new: StoredRecommendation) -> Change:
    """The brief's answers that differ, the creators gained or lost, and the goal's measure
    before and after."""
    was, now = old.brief.model_dump(), new.brief.model_dump()
    return Change(
        answers=[
            (key, was.get(key), now.get(key)) for key in BRIEF_KEYS if was.get(key) != now.get(key)
        ],
        people=new.plan.people - old.plan.people,
        metric=new.metric,
        before=old.plan.forecast[new.metric] if old.metric == new.metric else None,
        after=new.plan.forecast[new.metric],
    )

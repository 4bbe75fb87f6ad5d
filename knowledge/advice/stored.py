"""A recommendation as stored data: what is kept with a saved brief (as JSON), and what every
view of it (the card, Why, Shortlist, Forecast, How, the plan file, a chart, a campaign's
card) is rendered from, then or later, on any instance of the bot.

`StoredRecommendation` is the typed form, at `VERSION`; `StoredRecommendation.of` reads one
back, and gives None for one stored by an older version (its buttons then say the brief
has expired). A campaign keeps the recommendation it was made from whatever its version:
`verdict_of`, `plan_forecast` and `metric_of` read any version's JSON.

A line's figures are those its forecast was made with, so that the "How these numbers are
made" view can show them and anyone can redo the sums. Costs per unit are per 1,000 people
for reach (`PER`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, ValidationError

from knowledge.advice.audience import audience_match
from knowledge.advice.choice import Band, Verdict
from knowledge.advice.engine import Recommendation
from knowledge.advice.forecast import Forecast, Range, post_figures
from knowledge.advice.money import PER
from knowledge.advice.plan import Line, Plan
from knowledge.base import Goal, KnowledgeBase, Metric, Side, Spread

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
    price_cents: int  # what the plan pays per post (the floor if they ask less; a parcel)
    cost_cents: int
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


class StoredVerdict(_Stored):
    kind: str
    micro_pct: int
    macro_pct: int
    micro_band: tuple[int, int | None] | None = None
    macro_band: tuple[int, int | None] | None = None


class StoredNotice(_Stored):
    code: str
    fact: str | None
    params: dict[str, Any]


class StoredScope(_Stored):
    niches: list[str]
    platform: str | None
    niche_widened: bool
    platform_widened: bool


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

    def notice(self, code: str) -> StoredNotice | None:
        return next((n for n in self.notices if n.code == code), None)


def _trio(r: Range) -> Trio:
    return [round(r.low, 2), round(r.mid, 2), round(r.high, 2)]


def _spread(s: Spread) -> Trio:
    return [s.low, s.mid, s.high]


def headline(spent_cents: int, forecast: StoredForecast, metric: str) -> Headline | None:
    """What one unit of the goal's measure costs (per 1,000 people reached for reach), from
    the cheapest case to the dearest; None when the plan brings none of it."""
    low, mid, high = forecast[metric]
    per = PER[Metric(metric)]
    if high <= 0 or spent_cents <= 0:
        return None
    return Headline(
        metric=metric,
        per=per,
        cheapest_cents=round(spent_cents * per / high),
        mid_cents=round(spent_cents * per / mid) if mid > 0 else None,
        dearest_cents=round(spent_cents * per / low) if low > 0 else None,
    )


def _notes(line: Line, rec: Recommendation, kb: KnowledgeBase) -> list[list[Any]]:
    """Why a person fits, as codes and values the templates turn into words."""
    a = kb.assumptions
    c = line.candidate
    tier = a.tier_for(c.followers)
    notes: list[list[Any]] = [
        ["niche", [n for n in c.niches if n in rec.scope.niches] or list(c.niches)[:1]]
    ]
    if c.engagement_rate >= tier.typical_engagement_rate:
        notes.append(["engagement", c.engagement_rate, tier.typical_engagement_rate])
    if c.audience_quality is not None and c.audience_quality >= a.plan.good_audience_quality:
        notes.append(["quality", c.audience_quality])
    if audience_match(c, rec.brief.country, rec.brief.language):
        notes.append(["audience"])
    if rec.brief.goal is Goal.AMBASSADOR and c.open_to_exclusivity:
        notes.append(["exclusive"])
    return notes


def _line(line: Line, rec: Recommendation, kb: KnowledgeBase) -> StoredLine:
    a = kb.assumptions
    c = line.candidate
    figures = post_figures(c, a)
    per = PER[rec.metric]
    return StoredLine(
        id=c.id,
        name=c.name,
        handle=c.handle,
        platform=c.platform,
        tier=figures.tier.name,
        side=line.side.value,
        wave=line.wave,
        posts=line.posts,
        first_post=line.first_post,
        months=line.months,
        ask_cents=c.price_cents,
        price_cents=line.price_cents,
        cost_cents=line.cost_cents,
        followers=c.followers,
        engagement_rate=c.engagement_rate,
        audience_quality=figures.quality,
        quality_known=figures.quality_known,
        posts_per_week=c.posts_per_week,
        contact=c.contact,
        country=c.country,
        language=c.language,
        open_to_exclusivity=c.open_to_exclusivity,
        seeding=line.seeding,
        reserve=line.reserve,
        release_cents=line.release_cents * per if line.release_cents else None,
        unit_cents=line.unit_cost * per,
        notes=_notes(line, rec, kb),
        forecast=StoredForecast.of(line.forecast),
        figures=Figures(
            reach_rate=_spread(figures.reach_rate),
            reach_factor=figures.tier.reach_factor,
            sponsored_engagement=_spread(figures.sponsored_engagement),
            click_rate=_spread(figures.click_rate),
            click_factor=figures.click_factor,
            conversion_rate=_spread(figures.conversion_rate),
            dilution_factor=figures.dilution_factor,
            post_value=round(line.worth, 4),
        ),
    )


def _plan(plan: Plan, rec: Recommendation, kb: KnowledgeBase, lines: bool = True) -> StoredPlan:
    """A plan as data; the alternatives (all micro, all macro) keep their totals only, and
    which lines they hold (`key`), to tell whether one is the plan itself."""
    forecast = StoredForecast.of(plan.forecast)
    return StoredPlan(
        label=plan.label,
        budget_cents=plan.budget_cents,
        spent_cents=plan.spent_cents,
        booked_cents=plan.booked_cents,
        reserve_cents=plan.reserve_cents,
        micro_cents=plan.spent_on(Side.MICRO),
        macro_cents=plan.spent_on(Side.MACRO),
        people=plan.people,
        posts=plan.posts,
        waves=plan.waves,
        forecast=forecast,
        booked_forecast=StoredForecast.of(plan.booked_forecast),
        headline=headline(plan.spent_cents, forecast, rec.metric.value),
        key=sorted([line.candidate.id, line.wave, line.posts] for line in plan.lines),
        lines=[_line(line, rec, kb) for line in _ordered(plan, rec.metric)] if lines else [],
    )


def _ordered(plan: Plan, metric: Metric) -> list[Line]:
    """The order people read a plan in: by wave, then side (the side with most of the money
    first), then the goal's measure, best first."""
    first = Side.MACRO if plan.spent_on(Side.MACRO) * 2 > plan.spent_cents else Side.MICRO
    return sorted(
        plan.lines,
        key=lambda line: (line.wave, line.side != first, -line.measure(metric)),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _band(band: Band | None) -> tuple[int, int | None] | None:
    return None if band is None else (band[0], band[1])


def snapshot(rec: Recommendation, kb: KnowledgeBase) -> StoredRecommendation:
    """The whole recommendation as stored data."""
    b = rec.brief
    per = PER[rec.metric]
    return StoredRecommendation(
        brief=StoredBrief(
            goal=b.goal.value,
            budget_cents=b.budget_cents,
            currency=b.currency,
            niche=b.niche,
            platform=b.platform,
            country=b.country,
            language=b.language,
            order_value_cents=b.order_value_cents,
            margin_pct=b.margin_pct,
            gifting=b.gifting,
            product_value_cents=b.product_value_cents,
        ),
        verdict=StoredVerdict(
            kind=rec.verdict.kind,
            micro_pct=rec.verdict.micro_pct,
            macro_pct=rec.verdict.macro_pct,
            micro_band=_band(rec.verdict.micro_band),
            macro_band=_band(rec.verdict.macro_band),
        ),
        strategy=rec.strategy.value,
        metric=rec.metric.value,
        test=rec.test,
        ceiling_cents=rec.ceiling * per if rec.ceiling is not None else None,
        reasons=[f.id for f in rec.reasons],
        reason_sides=[[f.id, f.favours.value] for f in rec.reasons],
        plan=_plan(rec.plan, rec, kb),
        all_micro=_plan(rec.all_micro, rec, kb, lines=False),
        all_macro=_plan(rec.all_macro, rec, kb, lines=False),
        notices=[
            StoredNotice(code=n.code, fact=n.fact.id if n.fact else None, params=_plain(n.params))
            for n in rec.notices
        ],
        scope=StoredScope(
            niches=list(rec.scope.niches),
            platform=rec.scope.platform,
            niche_widened=rec.scope.niche_widened,
            platform_widened=rec.scope.platform_widened,
        ),
    )


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

"""Load the knowledge base: facts with their sources, niches, platforms, the checklist, and
the assumptions (figures that do not come from the articles, each with its source)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"


class Goal(StrEnum):
    SALES = "sales"
    AWARENESS = "awareness"
    COMMUNITY = "community"
    LAUNCH = "launch"
    AMBASSADOR = "ambassador"


class Side(StrEnum):
    MICRO = "micro"
    MACRO = "macro"
    NEUTRAL = "neutral"


class Metric(StrEnum):
    """The measures a forecast gives, in funnel order."""

    REACH = "reach"
    ENGAGEMENTS = "engagements"
    CLICKS = "clicks"
    CONVERSIONS = "conversions"


class FactKind(StrEnum):
    SOURCE = "source"  # what the source says, in our words
    INFERENCE = "inference"  # the bot's own reading, built on source facts


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    short: str
    number: int  # how replies cite it: [1], [2]
    title_fr: str = ""
    short_fr: str = ""


@dataclass(frozen=True)
class Fact:
    id: str
    source: Source
    favours: Side
    goals: frozenset[Goal]
    weight: int
    text: str
    quote: str = ""
    kind: FactKind = FactKind.SOURCE
    based_on: tuple[str, ...] = ()
    condition: str | None = None
    text_fr: str = ""


@dataclass(frozen=True)
class Spread:
    """A rate as sources disagree on it: the low and high ends give every forecast its range;
    the middle (where the sources suggest one, else halfway) is what plans are optimised on."""

    low: float
    mid: float
    high: float

    def at(self, end: str) -> float:
        return {"low": self.low, "mid": self.mid, "high": self.high}[end]


@dataclass(frozen=True)
class Tier:
    name: str
    min_followers: int
    side: Side
    reach_rate: Spread  # share of the real audience that sees one post
    click_factor: float  # the platform's click-through rate is multiplied by this
    conversion_rate: Spread  # share of clicks that become a sale or sign-up
    typical_engagement_rate: float  # percent; "engages well" above it


@dataclass(frozen=True)
class Niche:
    slug: str
    label: str
    synonyms: tuple[str, ...] = ()  # English and French
    related: tuple[str, ...] = ()
    specialist: bool = False
    label_fr: str = ""
    # The English synonyms alone, to find a niche named in a sentence (a French one may be an
    # English word there: thé → “the”).
    synonyms_en: tuple[str, ...] = ()


@dataclass(frozen=True)
class Platform:
    slug: str
    label: str
    synonyms: tuple[str, ...] = ()
    handle_pattern: str = r"^\S{1,100}$"


@dataclass(frozen=True)
class Funnel:
    """How one post turns into people reached, engagements, clicks and sales."""

    default_audience_quality: int
    dilution_posts_per_week: float
    dilution_factor: float
    sponsored_engagement: Spread  # share of a creator's stated engagement a sponsored post gets
    click_rate: Mapping[str, Spread]  # per platform, clicks per person reached ("default" too)
    repeat_post_value: tuple[float, ...]  # value of the 1st, 2nd… post by one creator

    def click_rate_of(self, platform: str) -> Spread:
        return self.click_rate.get(platform) or self.click_rate["default"]


@dataclass(frozen=True)
class Strategy:
    """The sources' strategy as a starting point, and how far a plan may follow it against
    the numbers."""

    prior_macro_share: Mapping[Goal, int]
    specialist_niche_shift: int
    tolerance: float  # a plan may reach this much less than the best one, no reason needed
    big_voice_tolerance: Mapping[Goal, float]  # more, with the one-line reason (launches…)
    big_voice_followers: int  # an account this big may be the one big voice
    split_grid: tuple[int, ...]  # macro shares of the budget tried

    def prior(self, goal: Goal, specialist: bool) -> int:
        share = self.prior_macro_share[goal] - (self.specialist_niche_shift if specialist else 0)
        return max(0, min(100, share))


@dataclass(frozen=True)
class PlanRules:
    max_people: int
    shown_people: int
    max_posts_per_creator: int
    max_share_per_creator: float
    share_cap_from: Mapping[str, int]  # per currency, in currency units
    min_spend_share: float
    min_line_share: float  # from the waves' budget, lines under this share of spend are dropped
    useful_value_floor: (
        float  # a post below this share of its side's best value per cost is not bought
    )
    audience_quality_floor: int
    good_audience_quality: int
    goal_metric: Mapping[Goal, Metric]


@dataclass(frozen=True)
class Waves:
    from_budget: Mapping[str, int]  # per currency, in currency units ("default" too)
    test_share: float
    test_max_people: int
    keep_if: float


@dataclass(frozen=True)
class Ambassador:
    max_creators: int
    months: int
    min_months: int
    posts_per_month: int
    later_post_value: float
    exclusivity_premium: Spread
    exclusivity_preference: float


@dataclass(frozen=True)
class Audience:
    off_target_value: Mapping[Goal, float]  # a post to an audience outside the brief's one


@dataclass(frozen=True)
class Assumptions:
    """Every figure the engine uses that does not come from the articles."""

    tiers: tuple[Tier, ...]
    funnel: Funnel
    strategy: Strategy
    plan: PlanRules
    waves: Waves
    ambassador: Ambassador
    audience: Audience
    fair_pay_floor: Mapping[str, int]  # per currency, in currency units
    salesperson_day_cost: Mapping[str, int]  # per currency, in currency units
    sources: Mapping[str, str] = field(default_factory=dict)

    def tier_for(self, followers: int) -> Tier:
        chosen = self.tiers[0]
        for tier in self.tiers:
            if followers >= tier.min_followers:
                chosen = tier
        return chosen

    @property
    def goal_metric(self) -> Mapping[Goal, Metric]:
        return self.plan.goal_metric


def in_currency(table: Mapping[str, int], currency: str) -> int | None:
    """A money figure of the assumptions in `currency`, in cents (None: not set for it)."""
    units = table.get(currency.upper(), table.get("default"))
    return None if units is None else units * 100


@dataclass(frozen=True)
class ChecklistLine:
    """A line of the checklist given with every plan."""

    id: str
    topic: str
    country: str  # "*": every brief; a two-letter code; "other": any country without a line
    text: str
    source: str  # a fact id, or the public rule it states, with its year
    facts: tuple[str, ...] = ()
    text_fr: str = ""
    niches: tuple[str, ...] = ()  # a regulated product's niches: shown only for those

    def applies_to(
        self, country: str | None, niche: str | None, countries_with_lines: set[str]
    ) -> bool:
        if self.niches and niche not in self.niches:
            return False
        if self.country == "*":
            return True
        if self.country == "other":
            return country not in countries_with_lines
        return self.country == country


@dataclass(frozen=True)
class Tip:
    """How to find creators when the roster has none in a niche; `{niche}` in the text."""

    id: str
    text: str
    text_fr: str = ""


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """Compared and hashed by identity, so derived lookups can be cached per instance."""

    sources: dict[str, Source]
    facts: tuple[Fact, ...]
    niches: dict[str, Niche]
    platforms: dict[str, Platform]
    assumptions: Assumptions
    checklist: tuple[ChecklistLine, ...] = ()
    finding_tips: tuple[Tip, ...] = ()

    def fact(self, fact_id: str) -> Fact:
        return next(f for f in self.facts if f.id == fact_id)

    def facts_with_condition(self, condition: str) -> list[Fact]:
        return [f for f in self.facts if f.condition == condition]

    def checklist_for(self, country: str | None, niche: str | None = None) -> list[ChecklistLine]:
        """The checklist lines for a brief in `niche` aimed at `country` (None: not given)."""
        with_lines = {line.country for line in self.checklist if len(line.country) == 2}
        return [line for line in self.checklist if line.applies_to(country, niche, with_lines)]


class KnowledgeError(ValueError):
    """The knowledge data (or an override file) is inconsistent."""


def _read(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open("rb") as fh:
        return tomllib.load(fh)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _spread(raw: Any) -> Spread:
    low, high = float(raw["low"]), float(raw["high"])
    spread = Spread(low, float(raw.get("mid", (low + high) / 2)), high)
    if not 0 <= spread.low <= spread.mid <= spread.high <= 1:
        raise KnowledgeError(f"a rate needs 0 <= low <= mid <= high <= 1: {raw}")
    return spread


def _assumptions(raw: dict[str, Any]) -> Assumptions:
    try:
        tiers = tuple(
            Tier(
                name=str(t["name"]),
                min_followers=int(t["min_followers"]),
                side=Side(t["side"]),
                reach_rate=_spread(t["reach_rate"]),
                click_factor=float(t["click_factor"]),
                conversion_rate=_spread(t["conversion_rate"]),
                typical_engagement_rate=float(t["typical_engagement_rate"]),
            )
            for t in raw["tiers"]
        )
        f, s, p = raw["funnel"], raw["strategy"], raw["plan"]
        w, amb = raw["waves"], raw["ambassador"]
        assumptions = Assumptions(
            tiers=tiers,
            funnel=Funnel(
                default_audience_quality=int(f["default_audience_quality"]),
                dilution_posts_per_week=float(f["dilution_posts_per_week"]),
                dilution_factor=float(f["dilution_factor"]),
                sponsored_engagement=_spread(f["sponsored_engagement"]),
                click_rate={k: _spread(v) for k, v in f["click_rate"].items()},
                repeat_post_value=tuple(float(v) for v in f["repeat_post_value"]),
            ),
            strategy=Strategy(
                prior_macro_share={Goal(k): int(v) for k, v in s["prior_macro_share"].items()},
                specialist_niche_shift=int(s["specialist_niche_shift"]),
                tolerance=float(s["tolerance"]),
                big_voice_tolerance={
                    Goal(k): float(v) for k, v in s["big_voice_tolerance"].items()
                },
                big_voice_followers=int(s["big_voice_followers"]),
                split_grid=tuple(int(v) for v in s["split_grid"]),
            ),
            plan=PlanRules(
                max_people=int(p["max_people"]),
                shown_people=int(p["shown_people"]),
                max_posts_per_creator=int(p["max_posts_per_creator"]),
                max_share_per_creator=float(p["max_share_per_creator"]),
                share_cap_from={str(k): int(v) for k, v in p["share_cap_from"].items()},
                min_spend_share=float(p["min_spend_share"]),
                min_line_share=float(p["min_line_share"]),
                useful_value_floor=float(p["useful_value_floor"]),
                audience_quality_floor=int(p["audience_quality_floor"]),
                good_audience_quality=int(p["good_audience_quality"]),
                goal_metric={Goal(k): Metric(v) for k, v in p["goal_metric"].items()},
            ),
            waves=Waves(
                from_budget={str(k): int(v) for k, v in w["from_budget"].items()},
                test_share=float(w["test_share"]),
                test_max_people=int(w["test_max_people"]),
                keep_if=float(w["keep_if"]),
            ),
            ambassador=Ambassador(
                max_creators=int(amb["max_creators"]),
                months=int(amb["months"]),
                min_months=int(amb["min_months"]),
                posts_per_month=int(amb["posts_per_month"]),
                later_post_value=float(amb["later_post_value"]),
                exclusivity_premium=_spread(amb["exclusivity_premium"]),
                exclusivity_preference=float(amb["exclusivity_preference"]),
            ),
            audience=Audience(
                off_target_value={
                    Goal(k): float(v) for k, v in raw["audience"]["off_target_value"].items()
                }
            ),
            fair_pay_floor={str(k): int(v) for k, v in raw["fair_pay"]["floor"].items()},
            salesperson_day_cost={
                str(k): int(v) for k, v in raw["salesperson"]["day_cost"].items()
            },
            sources=dict(raw.get("sources", {})),
        )
    except (KeyError, ValueError, TypeError) as exc:
        if isinstance(exc, KnowledgeError):
            raise
        raise KnowledgeError(f"assumptions are incomplete or invalid: {exc!r}") from exc
    _check(assumptions)
    return assumptions


def _check(a: Assumptions) -> None:
    if not a.tiers or a.tiers[0].min_followers != 0:
        raise KnowledgeError("the first tier must start at 0 followers")
    bounds = [t.min_followers for t in a.tiers]
    if bounds != sorted(set(bounds)):
        raise KnowledgeError("tiers must be in strictly ascending order of min_followers")
    if {t.side for t in a.tiers} != {Side.MICRO, Side.MACRO}:
        raise KnowledgeError("tiers must include at least one micro and one macro tier")
    if set(a.strategy.prior_macro_share) != set(Goal) or set(a.plan.goal_metric) != set(Goal):
        raise KnowledgeError("prior_macro_share and goal_metric need a value for every goal")
    if any(not 0 <= v <= 100 for v in a.strategy.prior_macro_share.values()):
        raise KnowledgeError("prior_macro_share values must be between 0 and 100")
    if any(m is Metric.CLICKS for m in a.plan.goal_metric.values()):
        raise KnowledgeError("goal_metric values must be reach, engagements or conversions")
    if "default" not in a.funnel.click_rate:
        raise KnowledgeError("click_rate needs a default for platforms it does not name")
    worst_click = max(t.click_factor for t in a.tiers) * max(
        r.high for r in a.funnel.click_rate.values()
    )
    if worst_click > 1:
        raise KnowledgeError("a click rate times a tier's click factor must stay at most 1")
    values = a.funnel.repeat_post_value
    if not values or values[0] != 1 or list(values) != sorted(values, reverse=True):
        raise KnowledgeError("repeat_post_value starts at 1 and never increases")
    if a.plan.max_posts_per_creator > len(values):
        raise KnowledgeError("repeat_post_value needs a value for every post a creator may get")
    if not 0 < a.waves.test_share < 1 or not 0 < a.plan.min_spend_share <= 1:
        raise KnowledgeError("test_share and min_spend_share are fractions of the budget")
    if not 1 <= a.ambassador.min_months <= a.ambassador.months:
        raise KnowledgeError("ambassador min_months must be between 1 and months")
    if not a.strategy.split_grid or {0, 100} - set(a.strategy.split_grid):
        raise KnowledgeError("split_grid must include 0 and 100")


def _facts(raw: dict[str, Any]) -> tuple[dict[str, Source], tuple[Fact, ...]]:
    sources = {
        sid: Source(
            id=sid,
            title=s["title"],
            short=s["short"],
            number=number,
            title_fr=s.get("title_fr", ""),
            short_fr=s.get("short_fr", ""),
        )
        for number, (sid, s) in enumerate(raw["sources"].items(), start=1)
    }
    facts = tuple(
        Fact(
            id=f["id"],
            source=sources[f["source"]],
            favours=Side(f["favours"]),
            goals=frozenset(Goal(g) for g in f["goals"]),
            weight=int(f["weight"]),
            text=f["text"],
            quote=f.get("quote", ""),
            kind=FactKind(f.get("kind", FactKind.SOURCE)),
            based_on=tuple(f.get("based_on", ())),
            condition=f.get("condition"),
            text_fr=f.get("text_fr", ""),
        )
        for f in raw["facts"]
    )
    ids = {f.id for f in facts}
    if len(ids) != len(facts):
        raise KnowledgeError("fact ids must be unique")
    if any(set(f.based_on) - ids for f in facts):
        raise KnowledgeError("an inference is based on a fact id that does not exist")
    return sources, facts


def load_knowledge(override_file: Path | None = None) -> KnowledgeBase:
    """Read the data files; `override_file` replaces any assumption it names."""
    raw_assumptions = _read("assumptions.toml")
    if override_file is not None:
        with override_file.open("rb") as fh:
            raw_assumptions = _merge(raw_assumptions, tomllib.load(fh))
    sources, facts = _facts(_read("facts.toml"))
    raw_niches = _read("niches.toml")
    niches = {
        slug: Niche(
            slug=slug,
            label=n["label"],
            synonyms=tuple(n.get("synonyms", ())) + tuple(n.get("synonyms_fr", ())),
            related=tuple(n.get("related", ())),
            specialist=bool(n.get("specialist", False)),
            label_fr=n.get("label_fr", ""),
            synonyms_en=tuple(n.get("synonyms", ())),
        )
        for slug, n in raw_niches["niches"].items()
    }
    if any(set(n.related) - set(niches) for n in niches.values()):
        raise KnowledgeError("a niche is related to a niche that does not exist")
    platforms = {
        slug: Platform(
            slug=slug,
            label=p["label"],
            synonyms=tuple(p.get("synonyms", ())),
            handle_pattern=p.get("handle_pattern", r"^\S{1,100}$"),
        )
        for slug, p in raw_niches["platforms"].items()
    }
    checklist = tuple(
        ChecklistLine(
            id=item["id"],
            topic=item["topic"],
            country=item["country"],
            text=item["text"],
            source=item["source"],
            facts=tuple(item.get("facts", ())),
            text_fr=item.get("text_fr", ""),
            niches=tuple(item.get("niches", ())),
        )
        for item in _read("checklist.toml")["items"]
    )
    tips = tuple(
        Tip(id=t["id"], text=t["text"], text_fr=t.get("text_fr", ""))
        for t in _read("finding_creators.toml")["lines"]
    )
    fact_ids = {f.id for f in facts}
    if any(set(line.facts) - fact_ids for line in checklist):
        raise KnowledgeError("a checklist line rests on a fact id that does not exist")
    return KnowledgeBase(
        sources=sources,
        facts=facts,
        niches=niches,
        platforms=platforms,
        assumptions=_assumptions(raw_assumptions),
        checklist=checklist,
        finding_tips=tips,
    )


@cache
def default_knowledge() -> KnowledgeBase:
    return load_knowledge()

"""What the knowledge base holds: goals, sides and measures; facts with their sources; niches,
platforms and the checklist; and the assumptions (figures not from the articles, each sourced)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from knowledge.base.posts import PostRules
from knowledge.base.windows import WindowRules

DATA_DIR = Path(__file__).parents[1] / "data"


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
    quote_fr: str = ""  # our French translation of `quote` (S1's original French is lost)
    against: Side | None = None  # the side it speaks against (macro: "macros lack …")


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
    reach_factor: float  # the platform's reach rate is multiplied by this (bigger: fewer)
    click_factor: float  # the platform's click-through rate is multiplied by this
    conversion_rate: Spread  # share of clicks that become a sale or sign-up
    typical_engagement_rate: float  # percent, the public benchmark for the tier


@dataclass(frozen=True)
class Niche:
    slug: str
    label: str
    synonyms: tuple[str, ...] = ()  # English and French
    related: tuple[str, ...] = ()
    specialist: bool = False
    label_fr: str = ""
    labels: tuple[tuple[str, str], ...] = ()  # (language, name): a first message's languages


@dataclass(frozen=True)
class Platform:
    slug: str
    label: str
    synonyms: tuple[str, ...] = ()
    handle_pattern: str = r"^\S{1,100}$"
    profile_url: str = ""  # `{handle}` is the handle without its @


Band = tuple[int, int]  # (budget under this many currency units, the most allowed)


@dataclass(frozen=True)
class Learned:
    """What an owner's own results make of the public forecast of one side on one platform:
    a factor on each measure's forecast (1: the public rates alone; advice.learning)."""

    reach: float = 1.0
    engagements: float = 1.0
    clicks: float = 1.0
    conversions: float = 1.0

    def of(self, metric: Metric) -> float:
        found: float = getattr(self, metric.value)
        return found


PUBLIC = Learned()


@dataclass(frozen=True)
class Funnel:
    """How one post turns into people reached, engagements, clicks and sales, and how sure
    each figure is."""

    default_audience_quality: int
    dilution_posts_per_week: float
    dilution_factor: float
    sponsored_engagement: Spread  # share of a creator's stated engagement a sponsored post gets
    max_engagement_per_reach: float  # engagements of one post: at most this share of its reach
    reach_rate: Mapping[str, Spread]  # per platform, views per real follower (micro tier)
    click_rate: Mapping[str, Spread]  # per platform, clicks per person reached ("default" too)
    repeat_post_value: tuple[float, ...]  # value of the 1st, 2nd… post by one creator
    # The share of each rate's uncertainty common to every creator of a plan (the benchmark
    # itself may be off); the rest is each creator's own luck, which evens out in a sum.
    shared_uncertainty: float
    # A rate's low and high ends are read as these percentiles of what a post gets...
    rate_percentile: float
    # ...and the reply shows a forecast from this percentile to its mirror.
    range_percentile: float
    # An owner's measured rate counts n / (n + this), n the posts measured (sources.learning).
    credibility_posts: float
    # One owner's results, per "side platform" (knowledge.advice.learning); none: public.
    learned: Mapping[str, Learned] = field(default_factory=dict)

    def reach_rate_of(self, platform: str) -> Spread:
        return self.reach_rate.get(platform) or self.reach_rate["default"]

    def click_rate_of(self, platform: str) -> Spread:
        return self.click_rate.get(platform) or self.click_rate["default"]

    def learned_for(self, side: Side, platform: str) -> Learned:
        return self.learned.get(f"{side.value} {platform}", PUBLIC)


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
    max_people: int  # above the last band of `people_cap`
    people_cap: Mapping[str, tuple[Band, ...]]  # per currency ("default" too)
    shown_people: int
    max_posts_per_creator: int
    max_posts_by_tier: Mapping[str, int]  # fewer for these tiers
    max_share_per_creator: float
    share_cap_from: Mapping[str, int]  # per currency, in currency units
    # A post is booked only while its cost per unit of the goal's measure is at most this
    # many times the cheapest plan's (all micro, all macro or the plan itself).
    marginal_cost_multiple: float
    on_target_share: float  # with a country or language: at least this share of the spend
    widened_value: float  # a creator of the niche asked, found on another platform: this much
    off_niche_value: float  # a creator found in a nearby niche: this much
    widened_per_asked: float  # money on widened creators, at most this times the asked ones'
    left_notice_share: float  # money left above this share of the budget is explained
    one_creator_share: float  # one creator's share of the spend from which Why says so
    audience_quality_floor: int
    # The floor for macro accounts (100k+): a higher one, since their follower count is what a
    # post is paid for and one of them can take most of a plan's money.
    macro_audience_quality_floor: int
    good_audience_quality: int
    goal_metric: Mapping[Goal, Metric]

    def people_for(self, budget_cents: int, currency: str) -> int:
        return cap_for(self.people_cap, budget_cents, currency, self.max_people)

    def most_posts(self, tier: str) -> int:
        """The most posts one creator of `tier` gets in a campaign."""
        return min(self.max_posts_per_creator, self.max_posts_by_tier.get(tier, 1_000))


@dataclass(frozen=True)
class Vetting:
    """Who is not booked (and counted on the card): the checklist's own warnings."""

    engagement_floor_share: float  # under this share of the tier's typical engagement rate
    engagement_ceiling_multiple: float  # over this many times it
    cheap_ask_share: float  # an ask under this share of the roster's median for its group
    implausible_ask_share: float  # under this share, and under the market band's middle
    min_peers: int  # a median is only trusted from this many people in the group
    # A price over this many times the top of the market band for the platform, per 1,000
    # people reached at the middle forecast (cpm_band), is not booked.
    over_market_multiple: float
    # An ask over this many times what the roster asks of accounts the creator's size is not
    # booked: the shortlist would say "negotiate" of a price the plan pays in full.
    dear_ask_multiple: float


@dataclass(frozen=True)
class TestPlan:
    """A sales plan that can't pay back is a test: a few creators, a code each."""

    max_share: float
    max_people: int
    min_people: int  # so that one creator's result is not all there is to read
    # A test can be read once it brings about this many clicks (middle forecast): it stops
    # adding creators there, and says so when its share of the budget can't reach it.
    readable_clicks: int
    max_one_share: float  # of a test's money, the most one creator takes where others fit


@dataclass(frozen=True)
class Waves:
    from_budget: Mapping[str, int]  # per currency, in currency units ("default" too)
    test_share: float  # of the plan's spend, booked in wave 1; the rest is a reserve
    test_max_people: int


@dataclass(frozen=True)
class Ambassador:
    max_creators: int  # above the last band of `creators_cap`
    creators_cap: Mapping[str, tuple[Band, ...]]  # per currency ("default" too)
    months: int
    min_months: int
    max_months: int  # the longest a retainer is extended to once its first months' results are in
    posts_per_month: int
    later_post_value: float
    exclusivity_premium: Spread
    exclusivity_preference: float

    def creators_for(self, budget_cents: int, currency: str) -> int:
        return cap_for(self.creators_cap, budget_cents, currency, self.max_creators)


@dataclass(frozen=True)
class Seeding:
    """Product seeding: gifted-only creators, asked for by the brief, paid in product."""

    shipping: Mapping[str, int]  # per currency, in currency units
    max_parcels: int


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
    vetting: Vetting
    test: TestPlan
    waves: Waves
    ambassador: Ambassador
    seeding: Seeding
    audience: Audience
    fair_pay_floor: Mapping[str, int]  # per currency, in currency units
    # An ask the floor would raise more than this many times over is left out, not raised.
    fair_pay_max_raise: float
    salesperson_day_cost: Mapping[str, int]  # per currency, in currency units
    # Per currency, per platform: the cost per 1,000 people reached agencies quote (units).
    cpm_band: Mapping[str, Mapping[str, tuple[float, float]]]
    sources: Mapping[str, str] = field(default_factory=dict)

    def tier_for(self, followers: int) -> Tier:
        return self.tiers[max(0, bisect_right(self._tier_floors, followers) - 1)]

    @cached_property
    def _tier_floors(self) -> tuple[int, ...]:
        return tuple(t.min_followers for t in self.tiers)

    def tier_bounds(self, tier: Tier) -> tuple[int, int | None]:
        """A tier's followers, from its floor to the next tier's (None: no ceiling)."""
        later = [t.min_followers for t in self.tiers if t.min_followers > tier.min_followers]
        return tier.min_followers, min(later, default=None)

    @property
    def goal_metric(self) -> Mapping[Goal, Metric]:
        return self.plan.goal_metric


def cap_for(
    bands: Mapping[str, tuple[Band, ...]], budget_cents: int, currency: str, above: int
) -> int:
    """The most allowed for a budget: the first band the budget is under, else `above`."""
    table = bands.get(currency.upper(), bands.get("default", ()))
    return next((most for under, most in table if budget_cents < under * 100), above)


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
    posts: PostRules  # what a plan line buys, its tracking and disclosure (posts.toml)
    windows: WindowRules  # when each line posts, once the brief gives a date (windows.toml)
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

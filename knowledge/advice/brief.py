"""What the advice starts from: the owner's brief, the creators the roster offers for it, and
what the roster asks per post in each group (its price guide)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from knowledge.base import Assumptions, Goal, in_currency


@dataclass(frozen=True)
class Brief:
    goal: Goal
    budget_cents: int
    currency: str
    niche: str
    platform: str | None = None
    country: str | None = None  # two-letter code of the audience's country (FR)
    language: str | None = None  # two-letter code of the audience's language (fr)
    order_value_cents: int | None = None  # average basket, for break-even
    margin_pct: float | None = None  # gross margin on a sale, percent
    gifting: bool = False  # product seeding asked for: gifted-only creators may be sent one
    product_value_cents: int | None = None  # what the product sent to a creator is worth
    discount_pct: int | None = None  # the promo codes' discount (None: posts.toml's default)
    shop_url: str | None = None  # the shop's web address (http or https), for tracked links
    shop_name: str | None = None  # the shop's name, for the promo codes
    start_date: date | None = None  # the start or launch date, in the owner's time zone
    town: str | None = None  # the town the shop is in, when the country was read from it
    paid_use_days: int | None = None  # posts run as ads from the creator's account (None: organic)

    def code_discount_pct(self, default_pct: int) -> int:
        """The promo codes' discount: the brief's, else the default (posts.toml's)."""
        return self.discount_pct or default_pct

    def margin_per_sale_cents(self, default_discount_pct: int) -> float | None:
        """What one sale through a creator's promo code earns back, when the basket and the
        margin are known: the basket's margin less the code's discount, basket × (margin −
        discount) (a planner's read: a €40 basket at 35 % earns €10 with 10 % off, not €14).
        At least a cent, so that a margin the code eats up reads as "no sale pays back"."""
        if not self.order_value_cents or not self.margin_pct:
            return None
        discount = self.code_discount_pct(default_discount_pct)
        return max(self.order_value_cents * (self.margin_pct - discount) / 100, 1.0)

    @property
    def gift_cents(self) -> int | None:
        """The product a seeded creator gets: its own value, else the average basket."""
        if not self.gifting:
            return None
        return self.product_value_cents or self.order_value_cents or None


@dataclass(frozen=True)
class Candidate:
    """An influencer as the engine sees it; `engagement_rate` is a percentage.

    `niches` holds at least those of the person's niches that the brief's search looked in
    (the engine needs no others). `country` and `language` are two-letter codes (None when
    the roster's words name none); `contact` is as the roster wrote it. `sample`: a
    fictional person of the sample roster.
    """

    id: int
    name: str
    handle: str
    platform: str
    niches: tuple[str, ...]
    followers: int
    engagement_rate: float
    price_cents: int
    posts_per_week: float | None = None
    audience_quality: int | None = None
    open_to_exclusivity: bool = False
    country: str | None = None  # FR
    language: str | None = None  # fr
    contact: str | None = None
    sample: bool = False


@dataclass(frozen=True)
class PriceRange:
    """What a group of the roster asks per post: the middle half, and the median; and the
    median ask per 1,000 followers (0: not known), so an account is held against what
    accounts of its own size ask (a tier spans 10k to 100k followers)."""

    low_cents: int
    median_cents: int
    high_cents: int
    count: int
    per_thousand_cents: float = 0.0

    def usual_for(self, followers: int) -> float:
        """What the group usually asks of an account this size: the median per 1,000
        followers times its followers, else the group's median."""
        if self.per_thousand_cents > 0:
            return self.per_thousand_cents * followers / 1000
        return float(self.median_cents)


# The roster's asks per (niche, platform, tier name): what the engine holds an ask against.
PriceGuide = Mapping[tuple[str, str, str], PriceRange]
"""Asks per (niche, platform, tier); niche `ANY_NICHE`: across the niches looked at;
`ALL_NICHES`: across the whole roster (for accounts whose niches hold too few peers)."""
ANY_NICHE = "*"
ALL_NICHES = "**"


def creator_cap_cents(brief: Brief, a: Assumptions) -> int | None:
    """The most one creator may take of the brief's budget (None: no cap, under the budget
    `share_cap_from`): a small shop's plan does not rest on one person."""
    share_from = in_currency(a.plan.share_cap_from, brief.currency)
    if share_from is None or brief.budget_cents < share_from:
        return None
    return int(brief.budget_cents * a.plan.max_share_per_creator)

"""What the advice starts from: the owner's brief, and the creators the roster offers for it."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.base import Goal


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

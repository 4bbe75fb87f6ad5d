"""Load the knowledge base: facts with their sources, niches, platforms and assumptions."""

from __future__ import annotations

import tomllib
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


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    short: str


@dataclass(frozen=True)
class Fact:
    id: str
    source: Source
    favours: Side
    goals: frozenset[Goal]
    weight: int
    text: str
    condition: str | None = None


@dataclass(frozen=True)
class Tier:
    name: str
    min_followers: int
    side: Side
    reach_rate: float
    conversion_rate: float
    typical_engagement_rate: float


@dataclass(frozen=True)
class Niche:
    slug: str
    label: str
    synonyms: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    specialist: bool = False


@dataclass(frozen=True)
class Platform:
    slug: str
    label: str
    synonyms: tuple[str, ...] = ()
    handle_pattern: str = r"^\S{1,100}$"


@dataclass(frozen=True)
class Assumptions:
    """Every figure the engine uses that does not come from the articles."""

    tiers: tuple[Tier, ...]
    base_macro_share: dict[Goal, int]
    specialist_niche_shift: int
    efficiency_shift: int
    efficiency_ratio: float
    efficiency_sample: int
    pure_threshold: int
    share_step: int
    default_audience_quality: int
    dilution_posts_per_week: float
    dilution_factor: float
    exclusivity_bonus: float
    goal_metric: dict[Goal, str]
    max_people: int
    max_macro_in_mix: int
    good_audience_quality: int
    sources: dict[str, str] = field(default_factory=dict)

    def tier_for(self, followers: int) -> Tier:
        chosen = self.tiers[0]
        for tier in self.tiers:
            if followers >= tier.min_followers:
                chosen = tier
        return chosen

    def tier_named(self, name: str) -> Tier:
        return next(t for t in self.tiers if t.name == name)


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """Compared and hashed by identity, so derived lookups can be cached per instance."""

    sources: dict[str, Source]
    facts: tuple[Fact, ...]
    niches: dict[str, Niche]
    platforms: dict[str, Platform]
    assumptions: Assumptions

    def fact(self, fact_id: str) -> Fact:
        return next(f for f in self.facts if f.id == fact_id)

    def facts_with_condition(self, condition: str) -> list[Fact]:
        return [f for f in self.facts if f.condition == condition]


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


def _assumptions(raw: dict[str, Any]) -> Assumptions:
    try:
        tiers = tuple(
            Tier(
                name=str(t["name"]),
                min_followers=int(t["min_followers"]),
                side=Side(t["side"]),
                reach_rate=float(t["reach_rate"]),
                conversion_rate=float(t["conversion_rate"]),
                typical_engagement_rate=float(t["typical_engagement_rate"]),
            )
            for t in raw["tiers"]
        )
        verdict, forecast, shortlist = raw["verdict"], raw["forecast"], raw["shortlist"]
        assumptions = Assumptions(
            tiers=tiers,
            base_macro_share={Goal(k): int(v) for k, v in verdict["base_macro_share"].items()},
            specialist_niche_shift=int(verdict["specialist_niche_shift"]),
            efficiency_shift=int(verdict["efficiency_shift"]),
            efficiency_ratio=float(verdict["efficiency_ratio"]),
            efficiency_sample=int(verdict["efficiency_sample"]),
            pure_threshold=int(verdict["pure_threshold"]),
            share_step=int(verdict["share_step"]),
            default_audience_quality=int(forecast["default_audience_quality"]),
            dilution_posts_per_week=float(forecast["dilution_posts_per_week"]),
            dilution_factor=float(forecast["dilution_factor"]),
            exclusivity_bonus=float(forecast["exclusivity_bonus"]),
            goal_metric={Goal(k): str(v) for k, v in forecast["goal_metric"].items()},
            max_people=int(shortlist["max_people"]),
            max_macro_in_mix=int(shortlist["max_macro_in_mix"]),
            good_audience_quality=int(shortlist["good_audience_quality"]),
            sources=dict(raw.get("sources", {})),
        )
    except (KeyError, ValueError, TypeError) as exc:
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
    if set(a.base_macro_share) != set(Goal) or set(a.goal_metric) != set(Goal):
        raise KnowledgeError("base_macro_share and goal_metric need a value for every goal")
    if any(not 0 <= v <= 100 for v in a.base_macro_share.values()):
        raise KnowledgeError("base_macro_share values must be between 0 and 100")
    if any(m not in {"reach", "engagements", "conversions"} for m in a.goal_metric.values()):
        raise KnowledgeError("goal_metric values must be reach, engagements or conversions")
    if not 0 < a.share_step <= 50 or 100 % a.share_step:
        raise KnowledgeError("share_step must divide 100")


def load_knowledge(override_file: Path | None = None) -> KnowledgeBase:
    """Read the data files; `override_file` replaces any assumption it names."""
    raw_facts = _read("facts.toml")
    raw_niches = _read("niches.toml")
    raw_assumptions = _read("assumptions.toml")
    if override_file is not None:
        with override_file.open("rb") as fh:
            raw_assumptions = _merge(raw_assumptions, tomllib.load(fh))

    sources = {
        sid: Source(id=sid, title=s["title"], short=s["short"])
        for sid, s in raw_facts["sources"].items()
    }
    facts = tuple(
        Fact(
            id=f["id"],
            source=sources[f["source"]],
            favours=Side(f["favours"]),
            goals=frozenset(Goal(g) for g in f["goals"]),
            weight=int(f["weight"]),
            text=f["text"],
            condition=f.get("condition"),
        )
        for f in raw_facts["facts"]
    )
    if len({f.id for f in facts}) != len(facts):
        raise KnowledgeError("fact ids must be unique")
    niches = {
        slug: Niche(
            slug=slug,
            label=n["label"],
            synonyms=tuple(n.get("synonyms", ())),
            related=tuple(n.get("related", ())),
            specialist=bool(n.get("specialist", False)),
        )
        for slug, n in raw_niches["niches"].items()
    }
    platforms = {
        slug: Platform(
            slug=slug,
            label=p["label"],
            synonyms=tuple(p.get("synonyms", ())),
            handle_pattern=p.get("handle_pattern", r"^\S{1,100}$"),
        )
        for slug, p in raw_niches["platforms"].items()
    }
    return KnowledgeBase(
        sources=sources,
        facts=facts,
        niches=niches,
        platforms=platforms,
        assumptions=_assumptions(raw_assumptions),
    )


@cache
def default_knowledge() -> KnowledgeBase:
    return load_knowledge()

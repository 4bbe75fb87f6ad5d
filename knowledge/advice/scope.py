"""Where a brief's candidates are looked for (the niche on the platform, then wider), which of
them count, and one account per person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.advice.audience import one_account_each, people
from knowledge.advice.brief import Brief, Candidate
from knowledge.base import KnowledgeBase, Side


@dataclass(frozen=True)
class Scope:
    """Which niches and platform the plan was drawn from."""

    niches: tuple[str, ...]
    platform: str | None
    niche_widened: bool = False
    platform_widened: bool = False


@dataclass(frozen=True)
class SearchStep:
    """One place to look for a brief's candidates."""

    niches: tuple[str, ...]
    platform: str | None
    niche_widened: bool = False
    platform_widened: bool = False


def search_steps(brief: Brief, kb: KnowledgeBase) -> tuple[SearchStep, ...]:
    """Where a brief's candidates are looked for, in order; the first step that finds anyone
    is used: the niche on the brief's platform, the niche on any platform, then the related
    niches the same way. The database search (storage) and the engine both follow it."""
    known = kb.niches.get(brief.niche)
    related = known.related if known else ()
    steps: list[SearchStep] = []
    for niches, widened in (((brief.niche,), False), (related, True)):
        if not niches:
            continue
        steps.append(SearchStep(niches, brief.platform, niche_widened=widened))
        if brief.platform is not None:
            steps.append(SearchStep(niches, None, widened, platform_widened=True))
    return tuple(steps)


def niches_to_fetch(brief: Brief, kb: KnowledgeBase) -> tuple[str, ...]:
    """Every niche the search steps may look in: the brief's own, then the related ones."""
    return tuple(dict.fromkeys(n for step in search_steps(brief, kb) for n in step.niches))


def in_step(c: Candidate, step: SearchStep) -> bool:
    return bool(set(c.niches) & set(step.niches)) and (
        step.platform is None or c.platform == step.platform
    )


def side_of(c: Candidate, kb: KnowledgeBase) -> Side:
    return kb.assumptions.tier_for(c.followers).side


def scope_of(
    brief: Brief, candidates: Sequence[Candidate], kb: KnowledgeBase
) -> tuple[list[Candidate], Scope, int]:
    """The candidates of the first search step that finds anyone, its scope, and its index
    (-1: nobody anywhere)."""
    for index, step in enumerate(search_steps(brief, kb)):
        pool = [c for c in candidates if in_step(c, step)]
        if pool:
            niches = tuple(n for n in step.niches if any(n in c.niches for c in pool))
            scope = Scope(niches, step.platform, step.niche_widened, step.platform_widened)
            return pool, scope, index
    return [], Scope((), None, niche_widened=True), -1


def widen_side(
    brief: Brief, candidates: Sequence[Candidate], side: Side, after: int, kb: KnowledgeBase
) -> tuple[list[Candidate], SearchStep | None]:
    """The `side` candidates of the first search step after `after` that has any."""
    for step in search_steps(brief, kb)[after + 1 :]:
        found = [c for c in candidates if side_of(c, kb) == side and in_step(c, step)]
        if found:
            return found, step
    return [], None


def in_any_step(c: Candidate, brief: Brief, kb: KnowledgeBase) -> bool:
    return any(in_step(c, step) for step in search_steps(brief, kb))


def one_per_person(candidates: Sequence[Candidate], rank: dict[int, float]) -> list[Candidate]:
    """One account per person (`knowledge.advice.audience.same_person`), the one with the
    best `rank` (by candidate id); and one row per (platform, handle)."""
    accounts = {(c.platform, c.handle.strip().lstrip("@").lower()): c for c in candidates}
    kept = set(one_account_each(people(accounts.values()), rank))
    return [c for c in candidates if c.id in kept]

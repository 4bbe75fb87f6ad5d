"""Where a brief's candidates are looked for (the niche on the platform, then wider), which of
them count, and one account per person."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from knowledge.advice.audience import on_target, one_account_each, people
from knowledge.advice.brief import Brief, Candidate, creator_cap_cents
from knowledge.advice.vetting import own_reason
from knowledge.base import Goal, KnowledgeBase, Side, in_currency


@dataclass(frozen=True)
class Scope:
    """Which niches and platform the plan was drawn from; `own`: how many of those who could
    be booked were in the brief's own niche and platform (when the scope was widened because
    they were too few to fill the plan)."""

    niches: tuple[str, ...]
    platform: str | None
    niche_widened: bool = False
    platform_widened: bool = False
    own: int = 0


@dataclass(frozen=True)
class SearchStep:
    """One place to look for a brief's candidates."""

    niches: tuple[str, ...]
    platform: str | None
    niche_widened: bool = False
    platform_widened: bool = False


def search_steps(brief: Brief, kb: KnowledgeBase) -> tuple[SearchStep, ...]:
    """Where a brief's candidates are looked for, in order: the niche on the brief's
    platform, the niche on any platform, then the related niches the same way. The engine
    takes steps until enough people could be booked (`scope_of`); the database search
    (storage) fetches every step."""
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
    brief: Brief,
    candidates: Sequence[Candidate],
    kb: KnowledgeBase,
    bookable: Callable[[Candidate], bool] = lambda c: True,
    enough: Callable[[Sequence[Candidate]], bool] = bool,
) -> tuple[list[Candidate], Scope, int]:
    """The candidates of the search steps taken, their scope, and the last step's index (-1:
    nobody anywhere). Steps are taken, in order, until those who could be `bookable` are
    `enough` to fill a plan; if no step has anyone bookable, the first step that has anyone
    (so the reply can say why no one fits)."""
    steps = search_steps(brief, kb)
    taken: list[int] = []
    found = 0
    for index, step in enumerate(steps):
        here = [c for c in candidates if in_step(c, step)]
        if not here:
            continue
        taken.append(index)
        ready = [c for c in candidates if bookable(c) and _in_any(c, steps, taken)]
        found = len(ready)
        if found and enough(ready):
            break
    if not taken:
        return [], Scope((), None, niche_widened=True), -1
    if not found:
        taken = taken[:1]
    used = [steps[i] for i in taken]
    pool = [c for c in candidates if _in_any(c, steps, taken)]
    niches = tuple(
        dict.fromkeys(n for step in used for n in step.niches if any(n in c.niches for c in pool))
    )
    # Widened: some of those who could be booked are outside the niche or platform asked.
    ready = [c for c in pool if bookable(c)] or pool
    niche_widened = any(brief.niche not in c.niches for c in ready)
    platform_widened = brief.platform is not None and any(
        c.platform != brief.platform for c in ready
    )
    widened = niche_widened or platform_widened
    own = sum(1 for c in pool if bookable(c) and in_step(c, steps[0])) if widened else 0
    scope = Scope(
        niches,
        None if any(step.platform is None for step in used) else brief.platform,
        niche_widened=niche_widened,
        platform_widened=platform_widened,
        own=own,
    )
    return pool, scope, taken[-1]


def _in_any(c: Candidate, steps: Sequence[SearchStep], taken: Sequence[int]) -> bool:
    return any(in_step(c, steps[i]) for i in taken)


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


def fill_rule(
    brief: Brief, kb: KnowledgeBase
) -> tuple[Callable[[Candidate], bool], Callable[[Sequence[Candidate]], bool]]:
    """Who could enter a plan (the brief's audience, if it names one, at a price it can
    pay, and nothing in their own figures the rules refuse: `vetting.own_reason`), and when
    they are enough to fill one: as many people (or ambassadors) as a budget this size holds,
    or all their posts (retainers) together worth the budget. The search (storage) stops
    fetching by the same rule."""
    a = kb.assumptions
    floor = in_currency(a.fair_pay_floor, brief.currency) or 0
    most = creator_cap_cents(brief, a) or brief.budget_cents
    retainer = brief.goal is Goal.AMBASSADOR
    amb = a.ambassador
    posts = amb.months * amb.posts_per_month if retainer else a.plan.max_posts_per_creator
    people = (
        amb.creators_for(brief.budget_cents, brief.currency)
        if retainer
        else a.plan.people_for(brief.budget_cents, brief.currency)
    )

    def bookable(c: Candidate) -> bool:
        return (
            on_target(c, brief) is not False
            and max(c.price_cents, floor) <= most
            and own_reason(c, brief, a) is None
        )

    def enough(ready: Sequence[Candidate]) -> bool:
        worth = sum(max(c.price_cents, floor) * posts for c in ready)
        return len(ready) >= people or worth >= brief.budget_cents

    return bookable, enough

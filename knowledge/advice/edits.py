"""An owner's edits to a recommended plan (the plan page, issue 25): creators removed, creators
swapped for the next best fit, a creator's number of posts, money moved between the sides.

The engine applies them to the plan it built, before the verdict, the situation, the reasons
and the notices are worked out (`engine.recommend(..., edits=...)`), so what the page shows
(totals, forecast, split, notices) is the chat's own arithmetic. An edit naming a creator not
in the plan changes nothing. No edit spends more than the budget: a removal frees money, a
swap spends at most what the creator it replaces was paid (`replacement.best_fit`), more posts
only while the budget has room, and a move rebuilds the plan within the budget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from knowledge.advice.brief import Brief, Candidate, PriceGuide
from knowledge.advice.forecast import posts_value
from knowledge.advice.offers import Offer, Offers
from knowledge.advice.plan import Line, Plan
from knowledge.advice.planner import Limits, one_wave
from knowledge.advice.replacement import Declined, best_fit
from knowledge.base import Assumptions, KnowledgeBase, Side

MOVE_STEP = 25  # a move shifts this many points of the plan's spend to one side
MOST_MOVES = 100 // MOVE_STEP


@dataclass(frozen=True)
class PlanEdits:
    """What the owner changed, as ids of creators (the roster's) and counts."""

    removed: frozenset[int] = frozenset()
    swapped: tuple[int, ...] = ()  # in the order swapped, each for the next best fit
    posts: tuple[tuple[int, int], ...] = ()  # (creator id, posts), by id, one per creator
    to_macro: int = 0  # moves of money to the macro side (negative: to the micro side)

    def __bool__(self) -> bool:
        return bool(self.removed or self.swapped or self.posts or self.to_macro)

    @property
    def out(self) -> frozenset[int]:
        """The creators taken out of the plan, who may not come back into it."""
        return self.removed | frozenset(self.swapped)

    def remove(self, creator_id: int) -> PlanEdits:
        return replace(self, removed=self.removed | {creator_id})

    def swap(self, creator_id: int) -> PlanEdits:
        if creator_id in self.swapped:
            return self
        return replace(self, swapped=(*self.swapped, creator_id))

    def with_posts(self, creator_id: int, posts: int) -> PlanEdits:
        wanted = {**dict(self.posts), creator_id: max(1, posts)}
        return replace(self, posts=tuple(sorted(wanted.items())))

    def move(self, side: Side) -> PlanEdits:
        step = 1 if side is Side.MACRO else -1
        return replace(self, to_macro=max(-MOST_MOVES, min(MOST_MOVES, self.to_macro + step)))


@dataclass(frozen=True)
class Editing:
    """What editing a plan draws on: the brief, the offers the plan was built from and the
    limits it was built within (its ceiling included); the candidates a swap looks among,
    the roster's asks (to vet them) and the niches looked in; and the shape the engine gives
    a plan (two waves from a budget)."""

    brief: Brief
    kb: KnowledgeBase
    offers: Sequence[Offer]
    limits: Limits
    candidates: Sequence[Candidate]
    prices: PriceGuide
    niches: tuple[str, ...]
    shape: Callable[[Plan, Limits], Plan]
    movable: bool  # a plan of posts under a ceiling (not ambassadors' retainers, not a test)


def edited(plan: Plan, edits: PlanEdits, on: Editing) -> Plan:
    """`plan` with `edits` applied: the money moved first (the plan rebuilt by the engine's
    planner at the new split, without those swapped out), then the swaps in their order, the
    removals (a creator a swap brought in may be removed too), and the numbers of posts,
    each to the plan as it then is (so removing a creator never raises the spend)."""
    a = on.kb.assumptions
    if edits.to_macro and on.movable and plan.spent_cents:
        plan = _moved(plan, edits, on)
    gone = [line.candidate for line in plan.lines if line.candidate.id in edits.out]
    lines = list(plan.lines)
    for creator_id in edits.swapped:
        lines = _swapped(lines, creator_id, gone, on)
    lines = [line for line in lines if line.candidate.id not in edits.removed]
    for creator_id, posts in edits.posts:
        lines = _with_total_posts(lines, creator_id, posts, plan.budget_cents, a)
    return plan.with_lines(lines)


def _moved(plan: Plan, edits: PlanEdits, on: Editing) -> Plan:
    """The plan rebuilt by the engine's planner with `edits.to_macro` steps of the spend moved
    to the macro side: each side filled on its own share of the budget (the macro side first,
    the micro side with what it left, within the people the budget allows), each post at most
    a multiple of its side's own cost per unit so far (`planner.one_wave`); the money a side
    can't take stays with the other. The plan as it was when nobody can take any."""
    a = on.kb.assumptions
    now = plan.spent_on(Side.MACRO) * 100 / plan.spent_cents
    share = max(0, min(100, round(now) + MOVE_STEP * edits.to_macro))
    # (those swapped out don't come back; those removed are taken out after, as always, so
    # that removing one more never lets the others take more money)
    kept = [o for o in on.offers if o.candidate.id not in edits.swapped]
    offers = Offers(kept, a, a.plan.max_posts_per_creator)
    free = replace(on.limits, ceiling=None, asked_ceiling=None)
    budget = on.limits.budget_cents
    macro = one_wave(
        "plan", offers, replace(free, budget_cents=budget * share // 100), side=Side.MACRO
    )
    rest = replace(free, budget_cents=budget - macro.spent_cents, people=free.people - macro.people)
    micro = one_wave("plan", offers, rest, side=Side.MICRO)
    rebuilt = Plan("plan", budget, macro.lines + micro.lines, a.funnel)
    return on.shape(rebuilt, on.limits) if rebuilt.lines else plan


def _theirs(lines: Sequence[Line], creator_id: int) -> list[Line]:
    return sorted((line for line in lines if line.candidate.id == creator_id), key=_wave)


def _wave(line: Line) -> int:
    return line.wave


def _spread(
    lines: list[Line], theirs: list[Line], posts: int, made: Callable[[Line], Line], a: Assumptions
) -> list[Line]:
    """`lines` with one creator's (`theirs`, by wave) holding `posts` posts in all: each of
    their lines keeps its posts, the last takes what is more or less (the reserve of a plan
    in two waves), a line left with none is dropped; `made` turns an old line into the new
    one before its posts are set."""
    left, first, new = posts, 1, []
    for index, old in enumerate(theirs):
        take = left if index == len(theirs) - 1 else min(old.posts, left)
        if take > 0:
            new.append(_with_posts(made(old), take, first, a))
        first, left = first + take, left - take
    who = theirs[0].candidate.id
    at = next(i for i, line in enumerate(lines) if line.candidate.id == who)
    others = [line for line in lines if line.candidate.id != who]
    return others[:at] + new + others[at:]


def _with_posts(line: Line, posts: int, first: int, a: Assumptions) -> Line:
    """`line` with `posts` posts from post number `first`: its worth and the cost per unit
    of its last post worked out again (and a reserve's release bar with it)."""
    repeat = a.funnel.repeat_post_value
    unit = line.price_cents / (line.value * repeat[min(first + posts - 2, len(repeat) - 1)])
    release = line.release_cents
    if release is not None:
        release = release * line.unit_cost / unit
    return replace(
        line,
        posts=posts,
        first_post=first,
        worth=posts_value(a, posts, first),
        unit_cost=unit,
        release_cents=release,
    )


def _with_total_posts(
    lines: list[Line], creator_id: int, wanted: int, budget_cents: int, a: Assumptions
) -> list[Line]:
    """One creator's posts set to `wanted`, at least 1 and at most the plan's most posts for
    their tier; more only while the budget has room. Retainers and parcels keep theirs."""
    theirs = _theirs(lines, creator_id)
    if not theirs or any(line.months or line.seeding for line in theirs):
        return lines
    now = sum(line.posts for line in theirs)
    price = theirs[0].price_cents
    most = a.plan.most_posts(a.tier_for(theirs[0].candidate.followers).name)
    posts = max(1, min(wanted, most))
    if posts > now:
        room = budget_cents - sum(line.cost_cents for line in lines)
        posts = min(posts, now + max(0, room) // price)
    if posts == now:
        return lines
    return _spread(lines, theirs, posts, lambda line: line, a)


def _swapped(lines: list[Line], creator_id: int, gone: list[Candidate], on: Editing) -> list[Line]:
    """One creator's lines taken by the next best fit (`replacement.best_fit`: same niche,
    platform and side, vetted, not in the plan nor taken out of it, not the same person),
    for as many of their posts as the money they were paid buys; unchanged when nobody
    fits. Retainers and parcels are not swapped."""
    theirs = _theirs(lines, creator_id)
    if not theirs or any(line.months or line.seeding for line in theirs):
        return lines
    c = theirs[0].candidate
    niche = next((n for n in on.niches if n in c.niches), c.niches[0] if c.niches else "")
    declined = Declined(
        niche=niche,
        platform=c.platform,
        side=theirs[0].side,
        posts=sum(line.posts for line in theirs),
        freed_cents=sum(line.cost_cents for line in theirs),
    )
    in_plan = [line.candidate for line in lines] + gone
    found = best_fit(on.brief, declined, on.candidates, in_plan, on.prices, on.kb)
    if found is None:
        return lines
    offer, posts = found

    def taken_by(old: Line) -> Line:
        return replace(
            old,
            candidate=offer.candidate,
            side=offer.side,
            price_cents=offer.price_cents,
            one_post=offer.forecast,
            audience=offer.audience,
            value=offer.value,
            seeding=offer.seeding,
            usage_cents=offer.usage_cents,
        )

    return _spread(lines, theirs, posts, taken_by, on.kb.assumptions)

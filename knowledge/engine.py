"""The recommendation engine: verdict, reasons, shortlist and forecast for a brief.

Pure and deterministic: the same brief, candidates and knowledge give the same answer.
Money is handled in integer cents so that totals are exact.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from knowledge.base import Assumptions, Fact, Goal, KnowledgeBase, Side, Tier


@dataclass(frozen=True)
class Candidate:
    """An influencer as the engine sees it; `engagement_rate` is a percentage.

    `niches` holds at least those of the person's niches that the brief's search looked in
    (the engine needs no others).
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


@dataclass(frozen=True)
class Brief:
    goal: Goal
    budget_cents: int
    currency: str
    niche: str
    platform: str | None = None


@dataclass(frozen=True)
class Estimate:
    reach: float = 0.0
    engagements: float = 0.0
    conversions: float = 0.0

    def __add__(self, other: Estimate) -> Estimate:
        return Estimate(
            self.reach + other.reach,
            self.engagements + other.engagements,
            self.conversions + other.conversions,
        )


@dataclass(frozen=True)
class FitNote:
    """One short reason why a person fits; the template turns the code into words."""

    code: str
    value: float | tuple[str, ...] = 0.0
    reference: float = 0.0


@dataclass(frozen=True)
class Pick:
    candidate: Candidate
    tier: Tier
    estimate: Estimate
    notes: tuple[FitNote, ...]


@dataclass(frozen=True)
class Plan:
    """A set of people bought with at most `budget_cents`, and what they are expected to bring."""

    label: str
    budget_cents: int
    picks: tuple[Pick, ...]

    @property
    def spent_cents(self) -> int:
        return sum(p.candidate.price_cents for p in self.picks)

    @property
    def estimate(self) -> Estimate:
        total = Estimate()
        for pick in self.picks:
            total = total + pick.estimate
        return total

    @property
    def cost_per_engagement_cents(self) -> float | None:
        engagements = self.estimate.engagements
        return self.spent_cents / engagements if engagements >= 1 else None

    def side(self, side: Side) -> tuple[Pick, ...]:
        return tuple(p for p in self.picks if p.tier.side == side)


@dataclass(frozen=True)
class Verdict:
    micro_pct: int
    macro_pct: int

    @property
    def kind(self) -> str:
        if self.macro_pct == 0:
            return "micro"
        if self.micro_pct == 0:
            return "macro"
        return "mix"


@dataclass(frozen=True)
class Notice:
    """A warning or remark shown under the recommendation, tied to a fact when it has one."""

    code: str
    fact: Fact | None = None
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Scope:
    """Which niches and platform the shortlist was drawn from."""

    niches: tuple[str, ...]
    platform: str | None
    niche_widened: bool = False
    platform_widened: bool = False


@dataclass(frozen=True)
class Recommendation:
    brief: Brief
    verdict: Verdict
    reasons: tuple[Fact, ...]
    plan: Plan
    all_micro: Plan
    all_macro: Plan
    notices: tuple[Notice, ...]
    scope: Scope

    def notice(self, code: str) -> Notice | None:
        return next((n for n in self.notices if n.code == code), None)


def estimate(candidate: Candidate, assumptions: Assumptions) -> Estimate:
    """Reach, engagements and conversions of one post (see assumptions.toml)."""
    tier = assumptions.tier_for(candidate.followers)
    quality = candidate.audience_quality
    if quality is None:
        quality = assumptions.default_audience_quality
    real_followers = candidate.followers * quality / 100 * _dilution(candidate, assumptions)
    engagements = real_followers * candidate.engagement_rate / 100
    return Estimate(
        reach=real_followers * tier.reach_rate,
        engagements=engagements,
        conversions=engagements * tier.conversion_rate,
    )


def _dilution(candidate: Candidate, assumptions: Assumptions) -> float:
    if (candidate.posts_per_week or 0) > assumptions.dilution_posts_per_week:
        return assumptions.dilution_factor
    return 1.0


def goal_value(candidate: Candidate, goal: Goal, assumptions: Assumptions) -> float:
    """What one post brings toward the goal, in the goal's own unit."""
    value = getattr(estimate(candidate, assumptions), assumptions.goal_metric[goal])
    if goal is Goal.AMBASSADOR and candidate.open_to_exclusivity:
        value *= assumptions.exclusivity_bonus
    return value


def metric_values_per_cost(candidate: Candidate, assumptions: Assumptions) -> dict[str, float]:
    """Reach, engagements and conversions per currency unit (no exclusivity bonus)."""
    e = estimate(candidate, assumptions)
    cost = max(candidate.price_cents / 100, 1.0)
    return {
        "reach": e.reach / cost,
        "engagements": e.engagements / cost,
        "conversions": e.conversions / cost,
    }


class GoalValues:
    """Each candidate's goal value, worked out once for the whole of a recommendation.

    Keyed by object identity (ids need not be unique), so it must not outlive the
    candidates it has seen.
    """

    def __init__(self, goal: Goal, assumptions: Assumptions) -> None:
        self.goal = goal
        self.assumptions = assumptions
        self._known: dict[int, float] = {}

    def __call__(self, c: Candidate) -> float:
        value = self._known.get(id(c))
        if value is None:
            value = self._known[id(c)] = goal_value(c, self.goal, self.assumptions)
        return value

    def per_cost(self, c: Candidate) -> float:
        """Goal value per currency unit; a free post counts as costing one unit."""
        return self(c) / max(c.price_cents / 100, 1.0)


def best_within_budget(
    pool: Iterable[Candidate],
    budget_cents: int,
    limit: int,
    goal: Goal,
    assumptions: Assumptions,
    values: GoalValues | None = None,
) -> list[Candidate]:
    """Pick at most `limit` people whose prices add up to at most `budget_cents`.

    First by goal value per unit of cost; then, while money is left and the list is
    full, the weakest pick is swapped for a stronger person who still fits.
    """
    value_of = values or GoalValues(goal, assumptions)

    def ranking(c: Candidate) -> tuple[float, int, str, int]:
        return (-value_of.per_cost(c), c.price_cents, c.handle.lower(), c.id)

    unique: dict[tuple[str, str], Candidate] = {}
    for c in sorted(pool, key=ranking):
        unique.setdefault((c.platform, c.handle.lower()), c)
    ranked = list(unique.values())
    chosen: list[Candidate] = []
    spent = 0
    for c in ranked:
        if len(chosen) >= limit:
            break
        if spent + c.price_cents <= budget_cents:
            chosen.append(c)
            spent += c.price_cents
    if len(chosen) < limit or not chosen:
        return chosen
    by_value = sorted(ranked, key=lambda c: (-value_of(c), c.price_cents, c.id))
    for _ in range(limit * 4):
        weakest = min(chosen, key=lambda c: (value_of(c), -c.id))
        room = budget_cents - spent + weakest.price_cents
        taken = {c.id for c in chosen}
        upgrade = next((c for c in by_value if c.id not in taken and c.price_cents <= room), None)
        if upgrade is None or value_of(upgrade) <= value_of(weakest):
            break
        chosen[chosen.index(weakest)] = upgrade
        spent += upgrade.price_cents - weakest.price_cents
    return sorted(chosen, key=ranking)


def _fit_notes(c: Candidate, brief: Brief, scope: Scope, a: Assumptions) -> tuple[FitNote, ...]:
    tier = a.tier_for(c.followers)
    notes = [FitNote("niche", tuple(n for n in c.niches if n in scope.niches))]
    if c.engagement_rate >= tier.typical_engagement_rate:
        notes.append(FitNote("engagement", c.engagement_rate, tier.typical_engagement_rate))
    if c.audience_quality is not None and c.audience_quality >= a.good_audience_quality:
        notes.append(FitNote("quality", c.audience_quality))
    if brief.goal is Goal.AMBASSADOR and c.open_to_exclusivity:
        notes.append(FitNote("exclusive"))
    if _dilution(c, a) < 1:
        notes.append(FitNote("frequent", c.posts_per_week or 0, a.dilution_posts_per_week))
    return tuple(notes)


def _plan(
    label: str, people: Sequence[Candidate], budget: int, brief: Brief, scope: Scope, a: Assumptions
) -> Plan:
    picks = tuple(
        Pick(c, a.tier_for(c.followers), estimate(c, a), _fit_notes(c, brief, scope, a))
        for c in people
    )
    return Plan(label=label, budget_cents=budget, picks=picks)


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


def _scope(
    brief: Brief,
    candidates: Sequence[Candidate],
    kb: KnowledgeBase,
) -> tuple[list[Candidate], Scope]:
    """The candidates to draw from: those of the first search step that finds anyone."""
    for step in search_steps(brief, kb):
        pool = [
            c
            for c in candidates
            if set(c.niches) & set(step.niches)
            and (step.platform is None or c.platform == step.platform)
        ]
        if pool:
            niches = tuple(n for n in step.niches if any(n in c.niches for c in pool))
            return pool, Scope(niches, step.platform, step.niche_widened, step.platform_widened)
    return [], Scope((), None, niche_widened=True)


def _round_share(value: float, step: int) -> int:
    return int(min(100, max(0, step * round(value / step))))


def _share_needed(price_cents: int, budget_cents: int, step: int) -> int:
    return step * math.ceil(price_cents * 100 / budget_cents / step)


def _efficiency(pool: Sequence[Candidate], values: GoalValues, a: Assumptions) -> float:
    best = sorted((values.per_cost(c) for c in pool), reverse=True)
    best = best[: a.efficiency_sample]
    return sum(best) / len(best) if best else 0.0


def decide_split(
    brief: Brief,
    micro: Sequence[Candidate],
    macro: Sequence[Candidate],
    kb: KnowledgeBase,
    values: GoalValues | None = None,
) -> tuple[int, list[str]]:
    """The macro side's share of the budget (0-100) and the conditions that shaped it.

    `micro` and `macro` are the affordable candidates of each side.
    """
    a = kb.assumptions
    base = a.base_macro_share[brief.goal]
    share = float(base)
    conditions: list[str] = []
    niche = kb.niches.get(brief.niche)
    if niche is not None and niche.specialist:
        share -= a.specialist_niche_shift
        conditions.append("specialist_niche")
    values = values or GoalValues(brief.goal, a)
    micro_eff, macro_eff = _efficiency(micro, values, a), _efficiency(macro, values, a)
    if micro_eff and macro_eff:
        if macro_eff >= a.efficiency_ratio * micro_eff:
            share += a.efficiency_shift
        elif micro_eff >= a.efficiency_ratio * macro_eff:
            share -= a.efficiency_shift
    macro_share = _round_share(share, a.share_step)
    if not macro:
        macro_share = 0
        conditions.append("budget_bound")
    elif not micro:
        macro_share = 100
    if macro_share <= a.pure_threshold:
        macro_share = 0
    elif macro_share >= 100 - a.pure_threshold:
        macro_share = 100
    if 0 < macro_share < 100:
        macro_share = _fit_mix(macro_share, base, brief, micro, macro, a)
    return macro_share, conditions


def _fit_mix(
    share: int,
    base: int,
    brief: Brief,
    micro: Sequence[Candidate],
    macro: Sequence[Candidate],
    a: Assumptions,
) -> int:
    """Move a mixed split so that each part can buy at least one person, or make it pure."""
    budget = brief.budget_cents
    need_macro = _share_needed(min(c.price_cents for c in macro), budget, a.share_step)
    need_micro = _share_needed(min(c.price_cents for c in micro), budget, a.share_step)
    share = max(share, need_macro)
    share = min(share, 100 - need_micro)
    if need_macro + need_micro > 100 or not a.pure_threshold < share < 100 - a.pure_threshold:
        return 100 if base >= 50 else 0
    return share


def _reasons(
    brief: Brief, verdict: Verdict, conditions: Iterable[str], kb: KnowledgeBase
) -> tuple[Fact, ...]:
    def for_side(side: Side) -> list[Fact]:
        facts = [
            f
            for f in kb.facts
            if f.condition is None and f.favours == side and brief.goal in f.goals
        ]
        return sorted(facts, key=lambda f: (-f.weight, f.id))

    if verdict.kind == "mix":
        chosen = for_side(Side.MICRO)[:2] + for_side(Side.MACRO)[:2]
        chosen += kb.facts_with_condition("mix")
    else:
        chosen = for_side(Side(verdict.kind))[:3]
    for condition in conditions:
        chosen += kb.facts_with_condition(condition)
    if len(chosen) < 2:
        chosen += for_side(Side.NEUTRAL)
    unique = list(dict.fromkeys(chosen))
    return tuple(unique[:5])


def _notices(
    brief: Brief,
    plan: Plan,
    scope: Scope,
    pool: Sequence[Candidate],
    macro_pool: Sequence[Candidate],
    kb: KnowledgeBase,
) -> list[Notice]:
    a = kb.assumptions
    notices: list[Notice] = []
    if not pool:
        known = kb.niches.get(brief.niche)
        notices.append(Notice("no_match", params={"nearest": known.related if known else ()}))
    elif scope.niche_widened:
        notices.append(Notice("niche_widened", params={"nearest": scope.niches}))
    if scope.platform_widened:
        notices.append(Notice("platform_widened"))
    if pool and not plan.picks:
        cheapest = min(c.price_cents for c in pool)
        notices.append(Notice("nothing_affordable", params={"cheapest_cents": cheapest}))
    if pool and not macro_pool:
        notices.append(Notice("no_macro_in_roster"))
    elif plan.picks and all(c.price_cents > brief.budget_cents for c in macro_pool):
        cheapest = min(c.price_cents for c in macro_pool)
        notices.append(Notice("no_macro_affordable", params={"cheapest_cents": cheapest}))
    frequent = [p.candidate.name for p in plan.picks if _dilution(p.candidate, a) < 1]
    if frequent:
        notices.append(
            Notice(
                "high_frequency",
                kb.fact("S1-feed-dilution"),
                {"names": frequent, "limit": a.dilution_posts_per_week},
            )
        )
    if plan.side(Side.MICRO) or any(c.price_cents == 0 for c in pool):
        notices.append(Notice("fair_pay", kb.fact("S1-fair-pay")))
    if brief.goal is Goal.AMBASSADOR:
        open_ones = [p.candidate.name for p in plan.picks if p.candidate.open_to_exclusivity]
        notices.append(Notice("ambassador", kb.fact("S1-exclusivity"), {"names": open_ones}))
    left = brief.budget_cents - plan.spent_cents
    if plan.picks and left * 10 > brief.budget_cents * 3:
        capped = len(plan.picks) >= a.max_people
        notices.append(Notice("unspent", params={"left_cents": left, "capped": capped}))
    return notices


def recommend(brief: Brief, candidates: Sequence[Candidate], kb: KnowledgeBase) -> Recommendation:
    """Verdict, reasons, shortlist and forecasts for `brief`, drawn from `candidates`."""
    a = kb.assumptions
    pool, scope = _scope(brief, [c for c in candidates if c.price_cents >= 0], kb)

    def side_of(c: Candidate) -> Side:
        return a.tier_for(c.followers).side

    micro_pool = [c for c in pool if side_of(c) == Side.MICRO]
    macro_pool = [c for c in pool if side_of(c) == Side.MACRO]
    budget = brief.budget_cents
    micro_ok = [c for c in micro_pool if c.price_cents <= budget]
    macro_ok = [c for c in macro_pool if c.price_cents <= budget]
    values = GoalValues(brief.goal, a)
    macro_pct, conditions = decide_split(brief, micro_ok, macro_ok, kb, values)
    verdict = Verdict(micro_pct=100 - macro_pct, macro_pct=macro_pct)

    def chosen(pool: Sequence[Candidate], budget: int, limit: int) -> list[Candidate]:
        return best_within_budget(pool, budget, limit, brief.goal, a, values)

    all_micro = _plan("micro", chosen(micro_ok, budget, a.max_people), budget, brief, scope, a)
    all_macro = _plan("macro", chosen(macro_ok, budget, a.max_people), budget, brief, scope, a)
    if verdict.kind == "micro":
        plan = Plan("plan", budget, all_micro.picks)
    elif verdict.kind == "macro":
        plan = Plan("plan", budget, all_macro.picks)
    else:
        macro_budget = budget * macro_pct // 100
        macro_people = chosen(macro_ok, macro_budget, a.max_macro_in_mix)
        micro_people = chosen(micro_ok, budget - macro_budget, a.max_people - len(macro_people))
        plan = _plan("plan", macro_people + micro_people, budget, brief, scope, a)
    return Recommendation(
        brief=brief,
        verdict=verdict,
        reasons=_reasons(brief, verdict, conditions, kb),
        plan=plan,
        all_micro=all_micro,
        all_macro=all_macro,
        notices=tuple(_notices(brief, plan, scope, pool, macro_pool, kb)),
        scope=scope,
    )


def niches_to_fetch(brief: Brief, kb: KnowledgeBase) -> tuple[str, ...]:
    """Every niche the search steps may look in: the brief's own, then the related ones."""
    return tuple(dict.fromkeys(n for step in search_steps(brief, kb) for n in step.niches))


def summarise(rec: Recommendation) -> dict[str, object]:
    """A JSON-ready record of a recommendation, for saving beside its brief."""

    def plan(p: Plan) -> dict[str, object]:
        e = p.estimate
        return {
            "people": [pick.candidate.id for pick in p.picks],
            "spent_cents": p.spent_cents,
            "reach": round(e.reach),
            "engagements": round(e.engagements),
            "conversions": round(e.conversions, 1),
        }

    return {
        "verdict": rec.verdict.kind,
        "micro_pct": rec.verdict.micro_pct,
        "macro_pct": rec.verdict.macro_pct,
        "reasons": [f.id for f in rec.reasons],
        "plan": plan(rec.plan),
        "all_micro": plan(rec.all_micro),
        "all_macro": plan(rec.all_macro),
        "notices": [n.code for n in rec.notices],
    }

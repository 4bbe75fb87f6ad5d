"""The recommendation engine: verdict, reasons, plan and forecasts for a brief.

Pure and deterministic: the same brief, candidates and knowledge give the same answer.
Money is handled in integer cents so that totals are exact.

How a recommendation is made:
1. The candidates are those of the brief's first search step that finds anyone (the niche on
   the platform, then wider); creators under the audience-quality floor are left out, and
   rows sharing a contact count as one person.
2. The sources' strategy gives a prior share of the budget for macro creators (per goal,
   less in specialist niches). If the side it favours is missing where the brief looks, that
   side is looked for wider; if the roster has none at all, the verdict keeps the strategy
   and the reply says what the roster lacks and offers instead.
3. Plans are built for several splits of the budget, and without a split; all micro and all
   macro are the bot's own alternatives. The plan kept is, among those delivering at least
   1 / (1 + tolerance) of the best one's measure, the one whose spend is closest to the prior.
4. The verdict is the split of that plan's actual spend.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from knowledge.audience import audience_match, contact_key
from knowledge.base import Fact, Goal, KnowledgeBase, Metric, Side, in_currency
from knowledge.forecast import Candidate, post_figures, value_per_cost
from knowledge.planner import Offer, Offers, Plan, offer, one_wave, retainer, two_waves, useful

__all__ = ["Brief", "Candidate", "Recommendation", "recommend", "search_steps"]

SHARE_STEP = 5  # the verdict's split is rounded to this many points


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

    @staticmethod
    def of_spend(micro_cents: int, macro_cents: int) -> Verdict:
        """The split of a plan's spend, rounded to SHARE_STEP points."""
        total = micro_cents + macro_cents
        macro = SHARE_STEP * round(macro_cents * 100 / total / SHARE_STEP) if total else 0
        return Verdict(100 - macro, macro)

    @staticmethod
    def of_side(side: Side) -> Verdict:
        return Verdict(0, 100) if side is Side.MACRO else Verdict(100, 0)


@dataclass(frozen=True)
class Notice:
    """A warning or remark shown with the recommendation, tied to a fact when it has one."""

    code: str
    fact: Fact | None = None
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Scope:
    """Which niches and platform the plan was drawn from."""

    niches: tuple[str, ...]
    platform: str | None
    niche_widened: bool = False
    platform_widened: bool = False


@dataclass(frozen=True)
class Recommendation:
    brief: Brief
    verdict: Verdict
    strategy: Side  # the side the sources' strategy favours for this brief (NEUTRAL: even)
    metric: Metric  # the goal's measure
    reasons: tuple[Fact, ...]
    plan: Plan
    all_micro: Plan
    all_macro: Plan
    notices: tuple[Notice, ...]
    scope: Scope

    def notice(self, code: str) -> Notice | None:
        return next((n for n in self.notices if n.code == code), None)


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


def _in_step(c: Candidate, step: SearchStep) -> bool:
    return bool(set(c.niches) & set(step.niches)) and (
        step.platform is None or c.platform == step.platform
    )


def _side(c: Candidate, kb: KnowledgeBase) -> Side:
    return kb.assumptions.tier_for(c.followers).side


def _scope(
    brief: Brief, candidates: Sequence[Candidate], kb: KnowledgeBase
) -> tuple[list[Candidate], Scope, int]:
    """The candidates of the first search step that finds anyone, its scope, and its index
    (-1: nobody anywhere)."""
    for index, step in enumerate(search_steps(brief, kb)):
        pool = [c for c in candidates if _in_step(c, step)]
        if pool:
            niches = tuple(n for n in step.niches if any(n in c.niches for c in pool))
            scope = Scope(niches, step.platform, step.niche_widened, step.platform_widened)
            return pool, scope, index
    return [], Scope((), None, niche_widened=True), -1


def _widen_side(
    brief: Brief, candidates: Sequence[Candidate], side: Side, after: int, kb: KnowledgeBase
) -> tuple[list[Candidate], SearchStep | None]:
    """The `side` candidates of the first search step after `after` that has any."""
    for step in search_steps(brief, kb)[after + 1 :]:
        found = [c for c in candidates if _side(c, kb) == side and _in_step(c, step)]
        if found:
            return found, step
    return [], None


def _left_out_for_quality(
    brief: Brief,
    priced: Sequence[Candidate],
    offers: Sequence[Offer],
    metric: Metric,
    step_index: int,
    kb: KnowledgeBase,
) -> int:
    """How many creators under the audience-quality floor would have been in the running:
    where the plan looks, within budget, and with a first post worth at least that of the
    last creator a plan could hold on their side."""
    a = kb.assumptions
    if step_index < 0:
        return 0
    step = search_steps(brief, kb)[step_index]
    room = a.ambassador.max_creators if brief.goal is Goal.AMBASSADOR else a.plan.max_people
    bar = {}
    for side in (Side.MICRO, Side.MACRO):
        ratios = sorted((o.ratio for o in offers if o.side is side), reverse=True)
        bar[side] = ratios[room - 1] if len(ratios) >= room else 0.0
    return sum(
        1
        for c in priced
        if c.audience_quality is not None
        and c.audience_quality < a.plan.audience_quality_floor
        and c.price_cents <= brief.budget_cents
        and _in_step(c, step)
        and value_per_cost(c, metric, a) >= bar[_side(c, kb)]
    )


def _one_per_person(candidates: Sequence[Candidate], rank: dict[int, float]) -> list[Candidate]:
    """One account per (platform, handle), and one per person: rows with the same non-empty
    contact are one person, who keeps the account with the best value per cost."""
    best: dict[tuple[str, ...], Candidate] = {}
    for c in sorted(candidates, key=lambda c: (-rank[id(c)], c.price_cents, c.id)):
        account = ("account", c.platform, c.handle.strip().lstrip("@").lower())
        person = contact_key(c.contact)
        keys = [account] + ([("person", person)] if person else [])
        if any(k in best for k in keys):
            continue
        for k in keys:
            best[k] = c
    return list(dict.fromkeys(best.values()))


def _measure(plan: Plan, metric: Metric) -> float:
    return plan.measure(metric)


def _macro_share(plan: Plan) -> float:
    spent = plan.spent_cents
    return plan.spent_on(Side.MACRO) * 100 / spent if spent else 0.0


def _choose(
    plans: Sequence[Plan], metric: Metric, prior: int, tolerance: float, min_spend: float
) -> Plan:
    """The plan to recommend. Plans spending at least
    `min_spend` of the budget come first when there are any; among them, those within
    `tolerance` of the best; of these, the one whose spend is split closest to the prior."""
    plans = [p for p in plans if p.spent_cents >= min_spend * p.budget_cents] or list(plans)
    measures = {id(p): _measure(p, metric) for p in plans}
    best = max(plans, key=lambda p: (measures[id(p)], -p.spent_cents))
    top = measures[id(best)]
    near = [p for p in plans if measures[id(p)] * (1 + tolerance) >= top and p.lines]
    if not near:
        return best
    return min(near, key=lambda p: (abs(_macro_share(p) - prior), -measures[id(p)], p.spent_cents))


def recommend(brief: Brief, candidates: Sequence[Candidate], kb: KnowledgeBase) -> Recommendation:
    """Verdict, reasons, plan and forecasts for `brief`, drawn from `candidates`."""
    a = kb.assumptions
    metric = a.goal_metric[brief.goal]
    niche = kb.niches.get(brief.niche)
    specialist = bool(niche and niche.specialist)
    prior = a.strategy.prior(brief.goal, specialist)
    strategy = Side.MICRO if prior < 50 else Side.MACRO if prior > 50 else Side.NEUTRAL

    floor = a.plan.audience_quality_floor
    priced = [c for c in candidates if c.price_cents >= 0]
    eligible = [c for c in priced if c.audience_quality is None or c.audience_quality >= floor]
    pool, scope, step_index = _scope(brief, eligible, kb)
    widened: SearchStep | None = None
    if pool and strategy is not Side.NEUTRAL and not any(_side(c, kb) == strategy for c in pool):
        extra, widened = _widen_side(brief, eligible, strategy, step_index, kb)
        pool += extra

    preference = a.ambassador.exclusivity_preference if brief.goal is Goal.AMBASSADOR else 1.0
    offers_by_id = {
        id(c): offer(
            c,
            _side(c, kb),
            metric,
            a,
            audience_match(c, brief.country, brief.language),
            preference if c.open_to_exclusivity else 1.0,
        )
        for c in pool
    }
    people = _one_per_person(pool, {k: o.ratio for k, o in offers_by_id.items()})
    affordable = [offers_by_id[id(c)] for c in people if c.price_cents <= brief.budget_cents]
    # A post is worth buying against the best of both sides; all micro and all macro are
    # each judged against the best of their own side.
    value_floor = a.plan.useful_value_floor
    offers = useful(affordable, value_floor)
    micro = useful([o for o in affordable if o.side is Side.MICRO], value_floor)
    macro = useful([o for o in affordable if o.side is Side.MACRO], value_floor)
    low_quality = _left_out_for_quality(brief, priced, offers, metric, step_index, kb)

    build = retainer if brief.goal is Goal.AMBASSADOR else one_wave
    threshold = in_currency(a.waves.from_budget, brief.currency)
    if build is one_wave and threshold is not None and brief.budget_cents >= threshold:
        build = two_waves
    budget = brief.budget_cents
    all_micro = build("micro", Offers(micro, a), budget, None, a)
    all_macro = build("macro", Offers(macro, a), budget, None, a)
    both = Offers(offers, a)
    shares = sorted({*a.strategy.split_grid, prior})
    splits = [build("plan", both, budget, share, a) for share in (*shares, None)]
    tolerance = a.strategy.tolerance
    if strategy is Side.MACRO:
        tolerance = max(tolerance, a.strategy.big_voice_tolerance.get(brief.goal, 0.0))
    # The bot's own alternatives compete too, unless they buy posts not worth buying against
    # the best of both sides.
    worth = {id(o.candidate) for o in offers}
    plans = splits + [
        p for p in (all_micro, all_macro) if all(id(line.candidate) in worth for line in p.lines)
    ]
    chosen = _choose(plans, metric, prior, tolerance, a.plan.min_spend_share)
    lacking = (
        bool(pool)
        and strategy is not Side.NEUTRAL
        and not any(_side(c, kb) is strategy for c in pool)
    )
    if lacking or not chosen.lines:
        verdict = Verdict.of_side(strategy if strategy is not Side.NEUTRAL else Side.MICRO)
        plan = Plan("plan", budget, ())
    else:
        plan = Plan("plan", budget, chosen.lines)
        verdict = Verdict.of_spend(plan.spent_on(Side.MICRO), plan.spent_on(Side.MACRO))

    notices = _notices(
        brief,
        kb,
        plan=plan,
        alternatives=(all_micro, all_macro),
        plans=plans,
        metric=metric,
        strategy=strategy,
        scope=scope,
        pool=pool,
        offers=offers,
        low_quality=low_quality,
        widened=widened,
        lacking=bool(lacking),
    )
    budget_bound = bool(macro_pool_all := [c for c in pool if _side(c, kb) is Side.MACRO]) and all(
        c.price_cents > budget for c in macro_pool_all
    )
    return Recommendation(
        brief=brief,
        verdict=verdict,
        strategy=strategy,
        metric=metric,
        reasons=_reasons(brief, verdict, specialist, plan, kb, budget_bound=budget_bound),
        plan=plan,
        all_micro=all_micro,
        all_macro=all_macro,
        notices=tuple(notices),
        scope=scope,
    )


def _reasons(
    brief: Brief,
    verdict: Verdict,
    specialist: bool,
    plan: Plan,
    kb: KnowledgeBase,
    *,
    budget_bound: bool = False,
) -> tuple[Fact, ...]:
    """Up to four facts behind the verdict: never one arguing for the side the verdict does
    not take; conditional facts only when their condition holds; general ones (bigger is not
    always better…) when the sources give fewer than two for this side and goal."""
    sides = {Side.MICRO, Side.MACRO} if verdict.kind == "mix" else {Side(verdict.kind)}
    a = kb.assumptions
    conditions = {"mix"} if verdict.kind == "mix" else set()
    if specialist:
        conditions.add("specialist_niche")
    if brief.goal is Goal.AMBASSADOR:
        conditions.add("ambassador")
    if brief.goal is Goal.SALES:
        conditions.add("sales")
    if plan.people >= a.plan.shown_people:
        conditions.add("many_creators")
    if budget_bound:
        conditions.add("budget_bound")

    def fits(f: Fact) -> bool:
        if f.condition is not None and f.condition not in conditions:
            return False
        return f.favours in sides and (brief.goal in f.goals or f.condition in conditions)

    ranked = sorted((f for f in kb.facts if fits(f)), key=lambda f: (-f.weight, f.id))
    chosen: list[Fact] = []
    # The side with most of the money gives the first reason (a mix: each side one, first).
    leading = [Side.MACRO, Side.MICRO] if verdict.macro_pct > 50 else [Side.MICRO, Side.MACRO]
    for side in (s for s in leading if s in sides):
        chosen += [f for f in ranked if f.favours == side][:1]
    chosen += [f for f in ranked if f not in chosen]
    neutral = sorted(
        (f for f in kb.facts if f.favours == Side.NEUTRAL and f.condition in conditions),
        key=lambda f: (-f.weight, f.id),
    )
    reasons = list(dict.fromkeys([*chosen[:3], *neutral, *chosen[3:]]))[:4]
    if len(reasons) < 2:
        general = sorted(
            (f for f in kb.facts if f.favours == Side.NEUTRAL and f.condition is None and f.goals),
            key=lambda f: (-f.weight, f.id),
        )
        reasons += [f for f in general if f not in reasons][: 2 - len(reasons)]
    return tuple(reasons)


def _notices(
    brief: Brief,
    kb: KnowledgeBase,
    *,
    plan: Plan,
    alternatives: tuple[Plan, Plan],
    plans: Sequence[Plan],
    metric: Metric,
    strategy: Side,
    scope: Scope,
    pool: Sequence[Candidate],
    offers: Sequence[Offer],
    low_quality: int,
    widened: SearchStep | None,
    lacking: bool,
) -> list[Notice]:
    a = kb.assumptions
    notices: list[Notice] = []
    budget = brief.budget_cents
    if not pool:
        known = kb.niches.get(brief.niche)
        notices.append(
            Notice(
                "no_match",
                params={"nearest": known.related if known else ()},
            )
        )
    elif scope.niche_widened:
        notices.append(Notice("niche_widened", params={"nearest": scope.niches}))
    if scope.platform_widened and pool:
        notices.append(Notice("platform_widened"))
    if lacking:
        other = alternatives[1] if strategy is Side.MICRO else alternatives[0]
        notices.append(
            Notice(
                "roster_lacks",
                params={"side": strategy.value, "instead": other.label},
            )
        )
    elif widened is not None:
        notices.append(
            Notice(
                "side_widened",
                params={
                    "side": strategy.value,
                    "niches": widened.niches,
                    "platform": widened.platform,
                    "niche_widened": widened.niche_widened,
                },
            )
        )
    if pool and not plan.lines and not lacking:
        cheapest = min((c.price_cents for c in pool), default=0)
        notices.append(Notice("nothing_affordable", params={"cheapest_cents": cheapest}))
    if low_quality:
        notices.append(
            Notice(
                "low_quality", params={"count": low_quality, "floor": a.plan.audience_quality_floor}
            )
        )
    if brief.country or brief.language:
        matched = sum(
            1
            for line in plan.lines
            if audience_match(line.candidate, brief.country, brief.language)
        )
        notices.append(
            Notice(
                "audience",
                params={
                    "country": brief.country,
                    "language": brief.language,
                    "matched": matched,
                    "available": sum(1 for o in offers if o.match),
                },
            )
        )
    _trade_off(notices, plan, alternatives, metric, strategy, a.strategy.tolerance)
    _against_strategy(notices, plan, alternatives, metric, strategy, a.plan.min_spend_share)
    if plan.lines and plan.spent_cents < a.plan.min_spend_share * budget:
        useful_posts = sum(o.price_cents for o in offers) * a.plan.max_posts_per_creator
        notices.append(
            Notice(
                "unspent",
                params={
                    "left_cents": budget - plan.spent_cents,
                    "capacity_cents": max(p.spent_cents for p in plans),
                    "lumpy": useful_posts >= a.plan.min_spend_share * budget,
                    "floor": a.plan.useful_value_floor,
                    "retainer": brief.goal is Goal.AMBASSADOR,
                    "max_creators": a.ambassador.max_creators,
                },
            )
        )
    if plan.waves == 2:
        notices.append(
            Notice("waves", params={"test_share": a.waves.test_share, "metric": metric.value})
        )
    if plan.lines and plan.lines[0].months:
        open_ones = [
            line.candidate.name for line in plan.lines if line.candidate.open_to_exclusivity
        ]
        notices.append(
            Notice(
                "ambassador",
                kb.fact("S1-exclusivity"),
                {
                    "names": open_ones,
                    "premium": a.ambassador.exclusivity_premium,
                    "months": max(line.months or 0 for line in plan.lines),
                    "per_month": a.ambassador.posts_per_month,
                },
            )
        )
    frequent = [
        line.candidate.name for line in plan.lines if post_figures(line.candidate, a).diluted
    ]
    if frequent:
        notices.append(
            Notice(
                "high_frequency",
                kb.fact("S1-feed-dilution"),
                {"names": sorted(set(frequent)), "limit": a.funnel.dilution_posts_per_week},
            )
        )
    floor = in_currency(a.fair_pay_floor, brief.currency)
    underpaid = sorted(
        {
            line.candidate.name
            for line in plan.lines
            if floor is not None and line.candidate.price_cents < floor
        }
    )
    if underpaid:
        notices.append(
            Notice("fair_pay", kb.fact("S1-fair-pay"), {"names": underpaid, "floor_cents": floor})
        )
    if brief.goal is Goal.SALES and plan.lines:
        notices.append(_break_even(brief, plan, kb))
    fictional = len({line.candidate.id for line in plan.lines if line.candidate.sample})
    if fictional:
        notices.append(Notice("sample_people", params={"count": fictional}))
    return notices


def _trade_off(
    notices: list[Notice],
    plan: Plan,
    alternatives: tuple[Plan, Plan],
    metric: Metric,
    strategy: Side,
    tolerance: float,
) -> None:
    """When all micro or all macro beats the plan by more than `tolerance` at equal or lower
    cost, the reply must say why the plan is kept (a launch that wants one big voice)."""
    if not plan.lines:
        return
    mine = _measure(plan, metric)
    for alternative in alternatives:
        theirs = _measure(alternative, metric)
        if alternative.spent_cents <= plan.spent_cents and theirs > mine * (1 + tolerance):
            notices.append(
                Notice(
                    "big_voice",
                    params={
                        "alternative": alternative.label,
                        "more_pct": round((theirs / mine - 1) * 100) if mine else 100,
                        "metric": metric.value,
                        "strategy": strategy.value,
                    },
                )
            )
            return


def _against_strategy(
    notices: list[Notice],
    plan: Plan,
    alternatives: tuple[Plan, Plan],
    metric: Metric,
    strategy: Side,
    min_spend: float,
) -> None:
    """When most of the money goes to the side the sources' strategy does not favour, the
    reply says why, in numbers: the favoured side can't take the budget, or the other side
    brings more of the goal's measure for the money."""
    spent = plan.spent_cents
    if not spent or strategy is Side.NEUTRAL:
        return
    other = Side.MACRO if strategy is Side.MICRO else Side.MICRO
    if plan.spent_on(other) * 2 <= spent:
        return
    favoured = alternatives[0] if strategy is Side.MICRO else alternatives[1]
    params: dict[str, object] = {"side": other.value, "strategy": strategy.value}
    if not favoured.lines:
        params["why"] = "none"
    elif favoured.spent_cents < min_spend * plan.budget_cents:
        params |= {"why": "capacity", "capacity_cents": favoured.spent_cents}
    else:
        mine, theirs = _measure(plan, metric), _measure(favoured, metric)
        more = round((mine / theirs - 1) * 100) if theirs else 100
        params |= {"why": "value", "more_pct": more, "metric": metric.value}
    notices.append(Notice("against_strategy", params=params))


def _break_even(brief: Brief, plan: Plan, kb: KnowledgeBase) -> Notice:
    """Sales briefs: the sales the plan needs to pay for itself (with a basket and a margin),
    and what the same money buys of a salesperson's time (fact S1-like-a-salesperson)."""
    a = kb.assumptions
    spent = plan.spent_cents
    sales = plan.forecast.conversions
    params: dict[str, object] = {"spent_cents": spent}
    if brief.order_value_cents and brief.margin_pct:
        per_sale = brief.order_value_cents * brief.margin_pct / 100
        needed = math.ceil(spent / per_sale) if per_sale > 0 else 0
        params |= {
            "needed": needed,
            "reached": "yes" if sales.low >= needed else "maybe" if sales.high >= needed else "no",
        }
    day = in_currency(a.salesperson_day_cost, brief.currency)
    if day:
        params["salesperson_days"] = round(spent / day, 1)
    return Notice("break_even", kb.fact("S1-like-a-salesperson"), params)

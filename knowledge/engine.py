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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from knowledge.audience import audience_match, contact_key
from knowledge.base import Fact, Goal, KnowledgeBase, Metric, Side, in_currency
from knowledge.forecast import Candidate, Forecast, post_figures, post_forecast, value_per_cost
from knowledge.planner import (
    Line,
    Offer,
    Offers,
    Plan,
    Rules,
    offer,
    one_wave,
    ranked,
    retainer,
    two_waves,
)

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
        """The split of a plan's spend, rounded to SHARE_STEP points; a side under
        SHARE_STEP points is left out of the words (pure micro or pure macro)."""
        total = micro_cents + macro_cents
        exact = macro_cents * 100 / total if total else 0.0
        macro = SHARE_STEP * round(exact / SHARE_STEP)
        if exact < SHARE_STEP:
            macro = 0
        elif exact > 100 - SHARE_STEP:
            macro = 100
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


def big_voice(plan: Plan, kb: KnowledgeBase) -> Line | None:
    """The plan's account with the most followers, if big enough to be one big voice."""
    biggest = max(plan.lines, key=lambda line: line.candidate.followers, default=None)
    threshold = kb.assumptions.strategy.big_voice_followers
    return biggest if biggest is not None and biggest.candidate.followers >= threshold else None


def _choose(
    plans: Sequence[Plan],
    metric: Metric,
    prior: int,
    tolerance: float,
    voice_tolerance: float,
    kb: KnowledgeBase,
) -> Plan:
    """The plan to recommend. A plan that another one beats by more than `tolerance` (by
    more than `voice_tolerance`, for a plan with one big voice) at equal or lower cost is
    out: spending more for less is not using the budget. Then plans spending at least
    `min_spend_share` of the budget come first when there are any; among them, those within
    the same leeway of the best; of these, the one whose spend is split closest to the
    prior."""
    measures = {id(p): _measure(p, metric) for p in plans}

    def allowed(p: Plan) -> float:
        return voice_tolerance if big_voice(p, kb) is not None else tolerance

    def beaten(p: Plan) -> bool:
        return any(
            q.spent_cents <= p.spent_cents and measures[id(q)] > measures[id(p)] * (1 + allowed(p))
            for q in plans
        )

    plans = [p for p in plans if not beaten(p)] or list(plans)
    min_spend = kb.assumptions.plan.min_spend_share
    plans = [p for p in plans if p.spent_cents >= min_spend * p.budget_cents] or plans
    best = max(plans, key=lambda p: (measures[id(p)], -p.spent_cents))
    top = measures[id(best)]

    near = [p for p in plans if p.lines and measures[id(p)] * (1 + allowed(p)) >= top]
    if not near:
        return best
    return min(near, key=lambda p: (abs(_macro_share(p) - prior), -measures[id(p)], p.spent_cents))


def _weight(c: Candidate, brief: Brief, kb: KnowledgeBase) -> float:
    """How much the brief values a creator's post: less when their audience is not in the
    brief's country or language; a little more for an ambassador open to exclusivity."""
    a = kb.assumptions
    weight = 1.0
    wanted = int(brief.country is not None) + int(brief.language is not None)
    if wanted and audience_match(c, brief.country, brief.language) < wanted:
        weight *= a.audience.off_target_value[brief.goal]
    if brief.goal is Goal.AMBASSADOR and c.open_to_exclusivity:
        weight *= a.ambassador.exclusivity_preference
    return weight


def _offers(
    brief: Brief,
    people: Sequence[Candidate],
    metric: Metric,
    kb: KnowledgeBase,
    forecasts: dict[int, Forecast],
) -> list[Offer]:
    """What each person brings, among those the budget can buy. An ambassador is paid at
    least the fair-pay floor a post, and is not someone whose feed buries sponsored posts."""
    a = kb.assumptions
    floor = in_currency(a.fair_pay_floor, brief.currency) or 0
    offers = []
    for c in people:
        price = c.price_cents
        if brief.goal is Goal.AMBASSADOR:
            if post_figures(c, a).diluted:
                continue
            price = max(price, floor)
        if price <= brief.budget_cents:
            weight = _weight(c, brief, kb)
            offers.append(offer(c, _side(c, kb), metric, a, weight, price, forecasts[id(c)]))
    return ranked(offers)


def _trimmed(plan: Plan, kb: KnowledgeBase, currency: str) -> Plan:
    """A large plan without the creators who take under `min_line_share` of its spend: each
    is a contract to manage for next to nothing."""
    threshold = in_currency(kb.assumptions.waves.from_budget, currency)
    if threshold is None or plan.budget_cents < threshold or not plan.lines:
        return plan
    smallest = kb.assumptions.plan.min_line_share * plan.spent_cents
    spent_on: dict[int, int] = {}
    for line in plan.lines:
        spent_on[id(line.candidate)] = spent_on.get(id(line.candidate), 0) + line.cost_cents
    kept = tuple(line for line in plan.lines if spent_on[id(line.candidate)] >= smallest)
    return Plan(plan.label, plan.budget_cents, kept) if kept else plan


def recommend(brief: Brief, candidates: Sequence[Candidate], kb: KnowledgeBase) -> Recommendation:
    """Verdict, reasons, plan and forecasts for `brief`, drawn from `candidates`."""
    a = kb.assumptions
    metric = a.goal_metric[brief.goal]
    niche = kb.niches.get(brief.niche)
    specialist = bool(niche and niche.specialist)
    prior = a.strategy.prior(brief.goal, specialist)
    strategy = Side.MICRO if prior < 50 else Side.MACRO if prior > 50 else Side.NEUTRAL

    quality_floor = a.plan.audience_quality_floor
    priced = [c for c in candidates if c.price_cents >= 0]
    eligible = [
        c for c in priced if c.audience_quality is None or c.audience_quality >= quality_floor
    ]
    pool, scope, step_index = _scope(brief, eligible, kb)
    everyone, _, _ = _scope(brief, priced, kb)
    # The roster lacks a side when the niche has none of it at any price or quality.
    lacking = (
        strategy is not Side.NEUTRAL
        and bool(everyone)
        and not any(_side(c, kb) is strategy for c in priced if _in_any_step(c, brief, kb))
    )
    widened: SearchStep | None = None
    if pool and strategy is not Side.NEUTRAL and not any(_side(c, kb) is strategy for c in pool):
        extra, widened = _widen_side(brief, eligible, strategy, step_index, kb)
        pool += extra

    forecasts = {id(c): post_forecast(c, a) for c in pool}
    ratios = {id(c): forecasts[id(c)].of(metric).mid / max(c.price_cents / 100, 1.0) for c in pool}
    people = _one_per_person(pool, ratios)
    offers = _offers(brief, people, metric, kb, forecasts)
    low_quality = _left_out_for_quality(brief, priced, offers, metric, step_index, kb)

    build = retainer if brief.goal is Goal.AMBASSADOR else one_wave
    threshold = in_currency(a.waves.from_budget, brief.currency)
    if build is one_wave and threshold is not None and brief.budget_cents >= threshold:
        build = two_waves
    rules = Rules(a, metric, in_currency(a.plan.share_cap_from, brief.currency))
    budget = brief.budget_cents
    micro = Offers([o for o in offers if o.side is Side.MICRO], a)
    macro = Offers([o for o in offers if o.side is Side.MACRO], a)
    all_micro = _trimmed(build("micro", micro, budget, None, rules), kb, brief.currency)
    all_macro = _trimmed(build("macro", macro, budget, None, rules), kb, brief.currency)
    both = Offers(offers, a)
    shares = sorted({*a.strategy.split_grid, prior})
    splits = [
        _trimmed(build("plan", both, budget, share, rules), kb, brief.currency)
        for share in (*shares, None)
    ]
    tolerance = a.strategy.tolerance
    voice = tolerance
    if strategy is Side.MACRO:
        voice = max(tolerance, a.strategy.big_voice_tolerance.get(brief.goal, 0.0))
    plans = [*splits, all_micro, all_macro]
    chosen = _choose(plans, metric, prior, tolerance, voice, kb)
    if lacking or not chosen.lines:
        verdict = Verdict.of_side(strategy if strategy is not Side.NEUTRAL else Side.MICRO)
        plan = Plan("plan", budget, ())
    else:
        plan = Plan("plan", budget, chosen.lines)
        verdict = Verdict.of_spend(plan.spent_on(Side.MICRO), plan.spent_on(Side.MACRO))

    unfloored = Rules(a, metric, rules.share_cap_from, value_floor=False)
    share = None if not plan.spent_cents else round(_macro_share(plan))
    notices = _notices(
        brief,
        kb,
        plan=plan,
        alternatives=(all_micro, all_macro),
        beyond=lambda: one_wave("plan", both, budget, share, unfloored),
        metric=metric,
        strategy=strategy,
        scope=scope,
        pool=pool,
        everyone=everyone,
        offers=offers,
        low_quality=low_quality,
        widened=widened,
        lacking=lacking,
    )
    budget_bound = any(_side(c, kb) is Side.MACRO for c in everyone) and not any(
        o.side is Side.MACRO for o in offers
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


def _sound(c: Candidate, kb: KnowledgeBase) -> bool:
    """Whether a creator's audience passes the quality floor (an unknown one does)."""
    q = c.audience_quality
    return q is None or q >= kb.assumptions.plan.audience_quality_floor


def _in_any_step(c: Candidate, brief: Brief, kb: KnowledgeBase) -> bool:
    return any(_in_step(c, step) for step in search_steps(brief, kb))


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
    beyond: Callable[[], Plan],  # the plan without the value floor (built only if needed)
    metric: Metric,
    strategy: Side,
    scope: Scope,
    pool: Sequence[Candidate],
    everyone: Sequence[Candidate],
    offers: Sequence[Offer],
    low_quality: int,
    widened: SearchStep | None,
    lacking: bool,
) -> list[Notice]:
    """Everything the reply must say besides the plan itself, most pressing first."""
    a = kb.assumptions
    notices: list[Notice] = []
    if not pool:
        known = kb.niches.get(brief.niche)
        notices.append(Notice("no_match", params={"nearest": known.related if known else ()}))
    elif scope.niche_widened:
        notices.append(Notice("niche_widened", params={"nearest": scope.niches}))
    if scope.platform_widened and pool:
        notices.append(Notice("platform_widened"))
    if lacking:
        other = alternatives[1] if strategy is Side.MICRO else alternatives[0]
        notices.append(
            Notice("roster_lacks", params={"side": strategy.value, "instead": other.label})
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
        notices.append(_nothing_affordable(brief, pool, kb))
    if any(line.niches for line in kb.checklist_for(brief.country, brief.niche)):
        notices.append(Notice("regulated"))
    if brief.goal is Goal.SALES and plan.lines:
        notices.append(_break_even(brief, plan, kb))
    notices += _trade_off(plan, alternatives, metric, strategy, kb)
    notices += _against_strategy(brief, plan, alternatives, everyone, strategy, kb)
    if plan.lines and plan.spent_cents < a.plan.min_spend_share * brief.budget_cents:
        notices.append(_unspent(brief, plan, beyond(), metric, kb))
    if plan.waves == 2:
        notices.append(Notice("waves", params={"test_share": a.waves.test_share, "metric": metric}))
    notices += _one_platform(brief, plan, metric)
    if low_quality:
        floor = a.plan.audience_quality_floor
        notices.append(Notice("low_quality", params={"count": low_quality, "floor": floor}))
    if brief.country or brief.language:
        notices.append(_audience(brief, plan, offers))
    if plan.lines and plan.lines[0].months:
        notices.append(_ambassador(plan, kb))
    frequent = {
        line.candidate.name for line in plan.lines if post_figures(line.candidate, a).diluted
    }
    if frequent:
        notices.append(
            Notice(
                "high_frequency",
                kb.fact("S1-feed-dilution"),
                {"names": sorted(frequent), "limit": a.funnel.dilution_posts_per_week},
            )
        )
    fair = in_currency(a.fair_pay_floor, brief.currency)
    underpaid = sorted(
        {
            line.candidate.name
            for line in plan.lines
            if fair is not None and line.cost_cents < fair * line.posts
        }
    )
    if underpaid:
        notices.append(
            Notice(
                "fair_pay",
                kb.fact("S1-fair-pay"),
                {"names": underpaid, "floor_cents": fair, "people": plan.people},
            )
        )
    fictional = len({line.candidate.id for line in plan.lines if line.candidate.sample})
    if fictional:
        notices.append(Notice("sample_people", params={"count": fictional}))
    return notices


def _nothing_affordable(brief: Brief, pool: Sequence[Candidate], kb: KnowledgeBase) -> Notice:
    """Why nobody fits: the cheapest post, or, for an ambassador, the cheapest retainer (its
    fewest posts, each paid at least the fair-pay floor)."""
    a = kb.assumptions
    cheapest = min(c.price_cents for c in pool)
    if brief.goal is not Goal.AMBASSADOR:
        return Notice("nothing_affordable", params={"cheapest_cents": cheapest})
    posts = a.ambassador.min_months * a.ambassador.posts_per_month
    per_post = max(cheapest, in_currency(a.fair_pay_floor, brief.currency) or 0)
    return Notice(
        "retainer_too_dear",
        params={"posts": posts, "per_post_cents": per_post, "cost_cents": per_post * posts},
    )


def _trade_off(
    plan: Plan,
    alternatives: tuple[Plan, Plan],
    metric: Metric,
    strategy: Side,
    kb: KnowledgeBase,
) -> list[Notice]:
    """When all micro or all macro beats the plan by more than the tolerance at equal or
    lower cost, the reply says why the plan is kept: its one big voice, named."""
    voice = big_voice(plan, kb)
    if not plan.lines or voice is None:
        return []
    mine = _measure(plan, metric)
    tolerance = kb.assumptions.strategy.tolerance
    for alternative in alternatives:
        theirs = _measure(alternative, metric)
        if alternative.spent_cents <= plan.spent_cents and theirs > mine * (1 + tolerance):
            return [
                Notice(
                    "big_voice",
                    params={
                        "alternative": alternative.label,
                        "more_pct": round((theirs / mine - 1) * 100) if mine else 100,
                        "metric": metric.value,
                        "strategy": strategy.value,
                        "name": voice.candidate.name,
                        "followers": voice.candidate.followers,
                    },
                )
            ]
    return []


def _against_strategy(
    brief: Brief,
    plan: Plan,
    alternatives: tuple[Plan, Plan],
    everyone: Sequence[Candidate],
    strategy: Side,
    kb: KnowledgeBase,
) -> list[Notice]:
    """When most of the money goes to the side the sources' strategy does not favour, the
    reply says why: the favoured side has no one with a sound audience within the budget,
    or those it has can't take the budget (at a cost worth paying)."""
    spent = plan.spent_cents
    if not spent or strategy is Side.NEUTRAL:
        return []
    other = Side.MACRO if strategy is Side.MICRO else Side.MICRO
    if plan.spent_on(other) * 2 <= spent:
        return []
    favoured = alternatives[0] if strategy is Side.MICRO else alternatives[1]
    params: dict[str, object] = {"side": other.value, "strategy": strategy.value}
    if not favoured.lines:
        sound = [
            c.price_cents
            for c in everyone
            if _side(c, kb) is strategy
            and (
                c.audience_quality is None
                or c.audience_quality >= kb.assumptions.plan.audience_quality_floor
            )
        ]
        params |= {"why": "none", "cheapest_cents": min(sound) if sound else None}
    else:
        params |= {"why": "capacity", "capacity_cents": favoured.spent_cents}
    return [Notice("against_strategy", params=params)]


def _unspent(brief: Brief, plan: Plan, beyond: Plan, metric: Metric, kb: KnowledgeBase) -> Notice:
    """Money left: what spending more would bring, priced in the plan's own unit; or, for an
    ambassador, that a plan holds few creators."""
    params: dict[str, object] = {
        "left_cents": brief.budget_cents - plan.spent_cents,
        "retainer": brief.goal is Goal.AMBASSADOR,
        "max_creators": kb.assumptions.ambassador.max_creators,
        "metric": metric.value,
    }
    more_spent = beyond.spent_cents - plan.spent_cents
    more = _measure(beyond, metric) - _measure(plan, metric)
    mine = _measure(plan, metric)
    per = 1000 if metric is Metric.REACH else 1
    if more_spent > 0 and more > 0 and mine > 0:
        params |= {
            "more_spent_cents": more_spent,
            "more": more,
            "more_cost_cents": more_spent * per / more,
            "plan_cost_cents": plan.spent_cents * per / mine,
        }
    return Notice("unspent", params=params)


def _one_platform(brief: Brief, plan: Plan, metric: Metric) -> list[Notice]:
    """Sales plans resting mostly on one platform the owner did not ask for: its click
    figures are rough (they decide a sales plan)."""
    if brief.platform is not None or metric is not Metric.CONVERSIONS or not plan.spent_cents:
        return []
    spend: dict[str, int] = {}
    for line in plan.lines:
        spend[line.candidate.platform] = spend.get(line.candidate.platform, 0) + line.cost_cents
    platform, cents = max(spend.items(), key=lambda item: item[1])
    if cents * 2 <= plan.spent_cents:
        return []
    return [
        Notice(
            "one_platform",
            params={"platform": platform, "pct": round(cents * 100 / plan.spent_cents)},
        )
    ]


def _audience(brief: Brief, plan: Plan, offers: Sequence[Offer]) -> Notice:
    """How much of the money reaches the brief's country or language."""
    wanted = int(brief.country is not None) + int(brief.language is not None)

    def matches(c: Candidate) -> bool:
        return audience_match(c, brief.country, brief.language) == wanted

    on_target = sum(line.cost_cents for line in plan.lines if matches(line.candidate))
    return Notice(
        "audience",
        params={
            "country": brief.country,
            "language": brief.language,
            "on_target_cents": on_target,
            "spent_cents": plan.spent_cents,
            "available": sum(1 for o in offers if matches(o.candidate)),
        },
    )


def _ambassador(plan: Plan, kb: KnowledgeBase) -> Notice:
    """The retainers, and exclusivity as a priced option for those open to it."""
    a = kb.assumptions
    open_lines = [line for line in plan.lines if line.candidate.open_to_exclusivity]
    premium = a.ambassador.exclusivity_premium
    extra = sum(line.cost_cents for line in open_lines)
    return Notice(
        "ambassador",
        kb.fact("S1-exclusivity"),
        {
            "names": [line.candidate.name for line in open_lines],
            "premium_low": premium.low,
            "premium_high": premium.high,
            "with_exclusivity_cents": plan.spent_cents + round(extra * premium.high),
            "months": sorted({line.months or 0 for line in plan.lines}),
            "per_month": a.ambassador.posts_per_month,
        },
    )


def _break_even(brief: Brief, plan: Plan, kb: KnowledgeBase) -> Notice:
    """Sales briefs: the sales the plan needs to pay for itself (with a basket and a margin),
    what it would lose or gain, and what the same money buys of a salesperson's time (fact
    S1-like-a-salesperson; the day rate is our assumption)."""
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
            "best_cents": round(sales.high * per_sale - spent),
            "worst_cents": round(sales.low * per_sale - spent),
            "pays_at_mid_cents": round(sales.mid * per_sale),
        }
    day = in_currency(a.salesperson_day_cost, brief.currency)
    if day:
        params |= {"salesperson_days": max(1, round(spent / day)), "day_cents": day}
    return Notice("break_even", kb.fact("S1-like-a-salesperson"), params)

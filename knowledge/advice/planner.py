"""Building plans: which creators, how many posts each, and in which wave, within a budget.

A plan is filled with posts cheapest per unit of the goal's measure first (a creator's 2nd,
3rd… post is worth less: `repeat_post_value`). A post is booked only while it costs at most
`ceiling` per unit: a figure the engine sets at `marginal_cost_multiple` times the cheapest
plan the reply shows (`ceiling=None`: that many times the plan's own cost per unit so far).
Past it, money is left rather than spent at several times the plan's own cost. Besides:

- creators in the niche and on the platform the brief asked for come first; those found by
  widening the search (worth `widened_value` of theirs) only after them, however cheap;
- at most `people` creators (by budget band) and `parcels` seeded creators;
- from a budget (`share_cap_from`), no creator takes more than `max_share_per_creator`;
- with an audience in the brief, creators outside it take at most 1 − `on_target_share` of
  the spend (so none when nobody in it can be booked: money spent on the wrong audience is
  lost, and the reply says who is missing).

Shapes of plan: one wave (optionally with a share of the budget for the macro side first);
two waves, from `waves.from_budget` (wave 1 books about `test_share` of the plan, one post
each; the rest is a reserve that the wave-1 results release line by line); a retainer for
ambassadors; and a test, for a sales plan that can't pay back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from knowledge.advice.brief import Brief, creator_cap_cents
from knowledge.advice.choice import ceiling, reference_cost, weighted_unit_cost
from knowledge.advice.forecast import posts_value
from knowledge.advice.offers import Item, Offer, Offers
from knowledge.advice.plan import FIRST_WAVE, RESERVE_WAVE, Line, Plan
from knowledge.base import Assumptions, Goal, KnowledgeBase, Metric, Side, in_currency


@dataclass(frozen=True)
class Limits:
    """What every plan of a recommendation is built within."""

    budget_cents: int
    people: int
    parcels: int
    creator_cap_cents: int | None  # the most one creator may take (None: no cap)
    on_target_share: float | None  # None: the brief names no audience
    multiple: float  # marginal_cost_multiple
    ceiling: float | None = None  # the most cents per unit a post may cost (None: see above)
    # The most for a creator of the niche and platform asked, when higher: what the owner
    # chose is judged against its own cheapest plan, not against cheaper creators elsewhere.
    asked_ceiling: float | None = None


class Fill:
    """Posts bought so far in one plan: per offer (by index), how many; what they cost, what
    they bring (weighted), how much went to audiences outside the brief's, and how much to
    creators of the niche and platform asked and to those found by widening."""

    def __init__(self, offers: Offers, limits: Limits) -> None:
        self.offers = offers
        self.limits = limits
        self.posts: dict[int, int] = {}
        self.spent = 0
        self.value = 0.0
        self.off_target = 0
        self.parcels = 0
        self.asked = 0
        self.widened = 0
        self.least = 0  # a new creator only if they can take this much (price × most posts)

    @property
    def people(self) -> int:
        return len(self.posts) - self.parcels

    def ceiling(self, asked: bool) -> float:
        lim = self.limits
        if lim.ceiling is None:
            return lim.multiple * self.spent / self.value if self.value else float("inf")
        if asked and lim.asked_ceiling is not None:
            return max(lim.ceiling, lim.asked_ceiling)
        return lim.ceiling

    def _fits(self, o: Offer, n: int, budget: int) -> bool:
        lim = self.limits
        if n == 0 and o.seeding and self.parcels >= lim.parcels:
            return False
        if n == 0 and not o.seeding and self.people >= lim.people:
            return False
        if n == 0 and not o.seeding and o.price_cents * self.offers.max_posts < self.least:
            return False
        if self.spent + o.price_cents > budget:
            return False
        if lim.creator_cap_cents is not None and (n + 1) * o.price_cents > lim.creator_cap_cents:
            return False
        # The brief's own creators booked: those found by widening get no more than them.
        widened_cap = self.offers.a.plan.widened_per_asked * self.asked
        if not o.asked and self.asked and self.widened + o.price_cents > widened_cap:
            return False
        if o.on_target is False and lim.on_target_share is not None:
            on = self.spent - self.off_target
            room = on * (1 - lim.on_target_share) / lim.on_target_share
            return self.off_target + o.price_cents <= room
        return True

    def run(self, items: Sequence[Item], budget: int) -> None:
        """Buy posts of `items` (cheapest per unit first) while they fit `budget` (what was
        spent before included) and cost at most their ceiling per unit (the asked creators'
        own, when the limits set one)."""
        for unit_cost, price, index, n in items:
            if unit_cost > self.ceiling(asked=True):
                return  # every later item costs more still
            if self.posts.get(index, 0) != n:
                continue  # (the post before it was not bought, so this one is not either)
            o = self.offers.offers[index]
            if unit_cost > self.ceiling(o.asked) or not self._fits(o, n, budget):
                continue
            self.posts[index] = n + 1
            self.parcels += int(o.seeding and n == 0)
            self.spent += price
            self.value += price / unit_cost
            self.off_target += price if o.on_target is False else 0
            self.asked += price if o.asked else 0
            self.widened += 0 if o.asked else price

    def side(self, side: Side | None, budget: int, target: bool | None, asked: bool) -> None:
        """Fill one side (None: both) up to `budget` with the offers whose audience is
        `target`-ed (None: any; False: outside the brief's, within their share of the
        spend), in the niche and platform `asked` (or, False, found by widening)."""
        self.run(self.offers.of(side, target, asked), budget)

    def lines(self, a: Assumptions) -> list[Line]:
        repeat = a.funnel.repeat_post_value
        lines = []
        for index, posts in sorted(
            self.posts.items(), key=lambda item: self.offers.offers[item[0]].candidate.id
        ):
            o = self.offers.offers[index]
            last = o.unit_cost(repeat[min(posts - 1, len(repeat) - 1)])
            lines.append(line_from(o, posts, posts_value(a, posts), last))
        return lines


def line_from(o: Offer, posts: int, worth: float, unit_cost: float, **more: object) -> Line:
    return Line(
        candidate=o.candidate,
        side=o.side,
        wave=FIRST_WAVE,
        posts=posts,
        first_post=1,
        price_cents=o.price_cents,
        one_post=o.forecast,
        worth=worth,
        audience=o.audience,
        value=o.value,
        unit_cost=unit_cost,
        seeding=o.seeding,
        asked=o.asked,
        usage_cents=o.usage_cents,
        **more,  # type: ignore[arg-type]
    )


def one_wave(
    label: str,
    offers: Offers,
    limits: Limits,
    macro_share: int | None = None,
    side: Side | None = None,
) -> Plan:
    """One wave of posts: of `side` only, or both sides cheapest first, or (`macro_share`)
    the macro side first up to its share of the budget, then the micro side, then the macro
    side with what is left. When the people cap stops it with much of the budget left, it is
    filled again with those who can take a fair share of the money first (half of what each
    of the cap's people would get), then the rest: kept when it brings more (a planner's read:
    a big budget spent on 30 small accounts, most of it left, where bigger ones within the
    same cost per unit could take it)."""
    a = offers.a
    budget = limits.budget_cents
    fill = _filled(offers, limits, macro_share, side, 0)
    left = budget - fill.spent
    if fill.people >= limits.people and left > a.plan.left_notice_share * budget:
        bigger = _filled(offers, limits, macro_share, side, budget // (2 * limits.people))
        fill = bigger if bigger.value > fill.value else fill
    return Plan(label, budget, tuple(fill.lines(a)), a.funnel)


def _filled(
    offers: Offers, limits: Limits, macro_share: int | None, side: Side | None, least: int
) -> Fill:
    """`one_wave`'s posts, those who can take `least` first when it is set."""
    fill = Fill(offers, limits)
    budget = limits.budget_cents
    for fill.least in (least, 0) if least else (0,):
        # The brief's audience first, on every side; then the others (None: no audience
        # asked). Within each, the niche and platform asked first, then those found by
        # widening.
        for target in (None,) if limits.on_target_share is None else (True, False):
            for asked in (True, False):
                if macro_share is None:
                    fill.side(side, budget, target, asked)
                else:
                    fill.side(Side.MACRO, budget * macro_share // 100, target, asked)
                    fill.side(Side.MICRO, budget, target, asked)
                    fill.side(Side.MACRO, budget, target, asked)
    return fill


def asked_ceiling(offers: Offers, limits: Limits, margin: float | None) -> float | None:
    """The ceiling the cheapest plan of the niche and platform asked sets, when the search
    had to look further (None: it did not, or no one asked for can be booked)."""
    asked = [o for o in offers.offers if o.asked]
    if not asked or len(asked) == len(offers.offers):
        return None
    only = Offers(asked, offers.a, offers.max_posts)
    reference = reference_cost([one_wave("asked", only, limits)])
    return None if reference is None else ceiling(reference, offers.a, margin)


def in_two_waves(
    plan: Plan, a: Assumptions, metric: Metric, ceiling: float, asked_ceiling: float | None = None
) -> Plan:
    """The plan as wave 1, booked now: one post from the cheapest per unit of each tier in
    the plan (so wave 1 tries every kind of creator wave 2 books more of), then one post each
    from the next cheapest per unit, up to about `test_share` of the plan's spend across up
    to `test_max_people`; and wave 2, a reserve: every other post. A reserve line is released
    if wave 1 costs at most `release_cents` per unit: the line stays under its ceiling
    (`ceiling`; `asked_ceiling` for a creator of the niche and platform asked, when higher) as
    long as its own cost per unit is off its forecast by no more than wave 1's is."""
    lines = sorted(plan.lines, key=lambda line: (line.first_unit_cost, line.candidate.id))
    first: list[Line] = []
    tiers: set[str] = set()
    for line in lines:
        tier = a.tier_for(line.candidate.followers).name
        if tier not in tiers and len(first) < a.waves.test_max_people:
            first.append(line)
            tiers.add(tier)
    spent = sum(line.price_cents for line in first)
    target = a.waves.test_share * plan.spent_cents
    for line in lines:
        if line in first:
            continue
        if len(first) >= a.waves.test_max_people or spent + line.price_cents > target:
            break
        first.append(line)
        spent += line.price_cents
    first.sort(key=lambda line: (line.first_unit_cost, line.candidate.id))
    tested = [replace(line, posts=1, worth=1.0, unit_cost=line.first_unit_cost) for line in first]
    wave_cost = plan.with_lines(tested).unit_cost(metric) or 0.0
    reserve = []
    for line in lines:
        done = 1 if line in first else 0
        if line.posts > done:
            reserve.append(
                replace(
                    line,
                    wave=RESERVE_WAVE,
                    posts=line.posts - done,
                    first_post=1 + done,
                    worth=posts_value(a, line.posts - done, 1 + done),
                    reserve=True,
                    release_cents=wave_cost * _top(line, ceiling, asked_ceiling) / line.unit_cost,
                )
            )
    return plan.with_lines(tested + reserve)


def _top(line: Line, ceiling: float, asked_ceiling: float | None) -> float:
    """The ceiling `line` was booked under."""
    if line.asked and asked_ceiling is not None:
        return max(ceiling, asked_ceiling)
    return ceiling


def retainer(label: str, offers: Offers, limits: Limits, people: int) -> Plan:
    """An ambassador plan: up to `people` creators, cheapest per unit of a retainer first
    (the brief's audience first, others within their share), each on the longest retainer
    the budget left allows (from `months` down to `min_months` of regular posts, paid at
    least the fair-pay floor), while a retainer costs at most the ceiling per unit. A
    programme with room for several ambassadors does not rest on one: none takes more than
    the creator cap (a programme of one takes what it needs). Once one of the niche and
    platform asked is signed, those found wider take no more than they do, together."""
    a = offers.a
    amb = a.ambassador
    cap = limits.creator_cap_cents if people > 1 else None
    lines: list[Line] = []
    spent = off_target = asked = 0
    value = 0.0
    ranked = sorted(
        (o for o in offers.offers if not o.seeding),
        key=lambda o: (
            not o.asked,  # the niche and platform asked first
            o.unit_cost(),
            o.price_cents,
            o.candidate.handle.lower(),
            o.candidate.id,
        ),
    )
    for target in (None,) if limits.on_target_share is None else (True, False):
        for o in ranked:
            if len(lines) >= people:
                break
            if target is not None and bool(o.on_target) is not target:
                continue
            for months in range(amb.months, amb.min_months - 1, -1):
                posts = months * amb.posts_per_month
                worth = 1 + amb.later_post_value * (posts - 1)
                cost = o.price_cents * posts
                if cap is not None and cost > cap:
                    continue
                if not o.within_market(worth / posts):  # the retainer's posts on average
                    continue
                unit_cost = cost / (o.value * worth)
                ceiling = limits.ceiling
                if ceiling is None:
                    ceiling = limits.multiple * spent / value if value else float("inf")
                share = limits.on_target_share or 1.0
                room = (spent - off_target) * (1 - share) / share - off_target
                if target is False and cost > room:
                    continue
                if (
                    not o.asked
                    and asked
                    and spent - asked + cost > a.plan.widened_per_asked * asked
                ):
                    continue  # found wider: no more than those asked take (as for posts)
                if spent + cost <= limits.budget_cents and unit_cost <= ceiling:
                    lines.append(line_from(o, posts, worth, unit_cost, months=months))
                    spent += cost
                    asked += cost if o.asked else 0
                    off_target += cost if target is False else 0
                    value += o.value * worth
                    break
    return Plan(label, limits.budget_cents, by_id(lines), a.funnel)


def by_id(lines: list[Line]) -> tuple[Line, ...]:
    """Lines in candidate id order: the same plan whatever the roster's order."""
    return tuple(sorted(lines, key=lambda line: (line.candidate.id, line.wave)))


def limits_for(brief: Brief, kb: KnowledgeBase) -> Limits:
    """What every plan of a recommendation for `brief` is built within."""
    a = kb.assumptions
    audience = brief.country is not None or brief.language is not None
    return Limits(
        budget_cents=brief.budget_cents,
        people=a.plan.people_for(brief.budget_cents, brief.currency),
        parcels=a.seeding.max_parcels if brief.gift_cents is not None else 0,
        creator_cap_cents=creator_cap_cents(brief, a),
        on_target_share=a.plan.on_target_share if audience else None,
        multiple=a.plan.marginal_cost_multiple,
    )


def retainer_limits(brief: Brief, limits: Limits, kb: KnowledgeBase) -> Limits:
    """The limits as the money left is judged: an ambassador plan's cap is its creators'."""
    if brief.goal is not Goal.AMBASSADOR:
        return limits
    return replace(
        limits, people=kb.assumptions.ambassador.creators_for(brief.budget_cents, brief.currency)
    )


def shape_for(brief: Brief, kb: KnowledgeBase) -> Callable[[Plan, Limits], Plan]:
    """The shape a plan is shown in: two waves from a budget (a launch is one moment: its
    posts go out around the day, none waits for results)."""
    a = kb.assumptions
    waves_from = in_currency(a.waves.from_budget, brief.currency)

    def in_waves(plan: Plan, bounded: Limits) -> Plan:
        if waves_from is None or plan.spent_cents < waves_from or plan.posts <= 1:
            return plan
        if brief.goal is Goal.LAUNCH or bounded.ceiling is None:
            return plan
        metric = a.goal_metric[brief.goal]
        return in_two_waves(plan, a, metric, bounded.ceiling, bounded.asked_ceiling)

    return in_waves


def programme(label: str, offers: Offers, limits: Limits, people: int) -> Plan:
    """An ambassador programme as the cheapest plan a reply shows: the `people` best
    retainers per unit (`retainer`), less any costing over `limits.multiple` times the
    programme's own cost per unit, until none does. One small account far cheaper per unit
    than every other no longer makes a programme of one (a planner's read: €600 of €20,000
    on one 7.5k account, the next ambassador "over 2× the cheapest plan shown" by 10 %)."""
    plan = retainer(label, offers, replace(limits, ceiling=float("inf")), people)
    for _ in range(people):
        cost = weighted_unit_cost(plan)
        if cost is None:
            break
        held = retainer(label, offers, replace(limits, ceiling=limits.multiple * cost), people)
        if held.lines == plan.lines:
            break
        plan = held
    return plan

"""Everything a recommendation must say besides the plan itself, as codes and values the
templates word: where the plan looks and what the roster lacks (here), and where the money
goes (`knowledge.advice.money`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from knowledge.advice.audience import on_target
from knowledge.advice.brief import Candidate, creator_cap_cents
from knowledge.advice.choice import big_voice
from knowledge.advice.money import PER, money_notices
from knowledge.advice.scope import side_of
from knowledge.advice.situation import Notice, Situation
from knowledge.advice.vetting import LeftOut
from knowledge.base import Goal, Side, in_currency


def notices_for(s: Situation) -> list[Notice]:
    """Everything the reply must say besides the plan itself, most pressing first."""
    notices = _scope_notices(s)
    if s.audience_unknown:
        unknown = s.audience_unknown
        params: dict[str, object] = {k: unknown.get(k) for k in ("country", "language")}
        notices.append(Notice("audience_unknown", params=params))
    if s.brief.town and s.brief.country and s.plan.lines:
        notices.append(Notice("local", params={"town": s.brief.town, "country": s.brief.country}))
    if any(line.niches for line in s.kb.checklist_for(s.brief.country, s.brief.niche)):
        notices.append(Notice("regulated"))
    notices += _busy(s)
    notices += money_notices(s)
    notices += _unaudited(s)
    notices += _one_creator(s)
    notices += _asked_dearer(s)
    notices += _trade_off(s)
    notices += _against_strategy(s)
    if s.left_out:
        notices.append(_left_out(s))
    if s.plan.lines and s.plan.lines[0].months:
        notices.append(_ambassador(s))
    fictional = len({line.candidate.id for line in s.plan.lines if line.candidate.sample})
    if fictional:
        notices.append(_sample_people(fictional, s.plan.people))
    return notices


def _busy(s: Situation) -> list[Notice]:
    """A plan dated in the busy season (windows.toml): creators are booked up and dearer
    then, so write to them weeks ahead (a planner's read: a launch on 10 December, not a
    word of Christmas)."""
    day, busy = s.brief.start_date, s.kb.windows.busy
    if day is None or not s.plan.lines or not busy.holds(day):
        return []
    params = {
        "day": day.isoformat(),
        "launch": s.brief.goal is Goal.LAUNCH,
        "weeks": busy.lead_weeks,
    }
    return [Notice("busy", params=params)]


def _one_creator(s: Situation) -> list[Notice]:
    """One creator with most of a plan's money beside others (not a retainer: an ambassador
    programme's retainers are said apart): if they drop out, so does most of the plan."""
    paid = [line for line in s.plan.lines if not line.seeding and not line.months]
    spent: dict[int, int] = {}
    for line in paid:
        spent[line.candidate.id] = spent.get(line.candidate.id, 0) + line.cost_cents
    total = sum(spent.values())
    if len(spent) < 2 or not total:
        return []
    top = max(spent, key=lambda person: spent[person])
    share = spent[top] / total
    if share < s.a.plan.one_creator_share:
        return []
    name = next(line.candidate.name for line in paid if line.candidate.id == top)
    return [Notice("one_creator", params={"name": name, "share": share})]


UNAUDITED_SHARE = 0.5  # from this share of the paid spend, unaudited audiences are flagged


def _unaudited(s: Situation) -> list[Notice]:
    """Most of the paid money on creators whose real followers nobody has checked (a
    planner's read: 100 % of a plan on two such accounts, flagged only line by line)."""
    paid = [line for line in s.plan.lines if not line.seeding]
    spent = sum(line.price_cents * line.posts for line in paid)
    unknown = [line for line in paid if line.candidate.audience_quality is None]
    share = sum(line.price_cents * line.posts for line in unknown) / spent if spent else 0.0
    if share < UNAUDITED_SHARE:
        return []
    return [Notice("unaudited", params={"share": share, "people": len(unknown)})]


def _asked_dearer(s: Situation) -> list[Notice]:
    """Creators of the niche and platform asked, booked over the limit the rest of the plan
    is held to (the search widened to cheaper ones): who, at what cost per unit, and why
    they are kept."""
    brief, ceiling = s.brief, s.ceiling
    if ceiling is None or s.test:
        return []
    dear = [
        line
        for line in s.plan.lines
        if line.asked
        and line.unit_cost > ceiling * (1 + 1e-9)
        and brief.niche in line.candidate.niches
        and brief.platform in (None, line.candidate.platform)
    ]
    value = sum(line.value * line.worth for line in dear)
    if not dear or value <= 0:
        return []
    per = PER[s.metric]
    params: dict[str, object] = {
        "names": list(dict.fromkeys(line.candidate.name for line in dear)),
        "cost_cents": sum(line.cost_cents for line in dear) / value * per,
        "multiple": s.a.plan.marginal_cost_multiple,
        "metric": s.metric.value,
        "platform": brief.platform if s.scope.platform_widened else None,
    }
    return [Notice("asked_dearer", params=params)]


def _sample_people(fictional: int, people: int) -> Notice:
    """The plan's fictional people (the sample roster): all of them, or `fictional` of
    `people`, mixed with real ones (the card always says so: knowledge.writing.views)."""
    mixed = fictional < people
    return Notice(
        "sample_people",
        params={"count": fictional, "people": people, "mixed": mixed},
    )


def _scope_notices(s: Situation) -> list[Notice]:
    brief, kb = s.brief, s.kb
    notices: list[Notice] = []
    if not s.everyone:
        known = kb.niches.get(brief.niche)
        notices.append(Notice("no_match", params={"nearest": known.related if known else ()}))
    notices += _widened(s)
    if s.lacking:
        other = s.alternatives[1] if s.strategy is Side.MICRO else s.alternatives[0]
        notices.append(
            Notice("roster_lacks", params={"side": s.strategy.value, "instead": other.label})
        )
    elif s.widened is not None and s.plan.lines:  # nobody booked: nothing to say of where
        notices.append(
            Notice(
                "side_widened",
                params={
                    "side": s.strategy.value,
                    "niches": s.widened.niches,
                    "platform": s.widened.platform,
                    "niche_widened": s.widened.niche_widened,
                },
            )
        )
    if s.everyone and not s.plan.lines and not s.lacking and not s.test:
        notices += _nothing_affordable(s)
    return notices


def _widened(s: Situation) -> list[Notice]:
    """Where the plan looked beyond the niche or platform asked, when the plan uses it (or
    there is no plan: it says where we looked), with the share of the money spent there;
    and, when those asked for could be booked yet none is in the plan, that they are not."""
    brief, lines = s.brief, s.plan.lines
    spent = s.plan.spent_cents

    def share_outside(inside: Callable[[Candidate], bool]) -> int:
        out = sum(line.cost_cents for line in lines if not inside(line.candidate))
        return round(100 * out / spent) if spent else 0

    def in_niche(c: Candidate) -> bool:
        return brief.niche in c.niches

    def on_platform(c: Candidate) -> bool:
        return c.platform == brief.platform

    asked = {o.candidate.id for o in s.offers if o.asked}
    off_niche = share_outside(in_niche) if lines else 100
    off_platform = share_outside(on_platform) if lines else 100
    niche_widened = s.scope.niche_widened and off_niche > 0
    platform_widened = s.scope.platform_widened and off_platform > 0
    listed = bool(s.everyone) and any(in_niche(c) for c in s.everyone)
    both = niche_widened and platform_widened and listed and bool(s.pool)
    outside = share_outside(lambda c: c.id in asked) if lines else 100
    base: dict[str, object] = {
        "own": s.scope.own,
        "unbooked": bool(lines) and s.scope.own > 0 and outside == 100,
    }
    off = Counter[str]()
    for line in lines:
        if brief.platform and not on_platform(line.candidate):
            off[line.candidate.platform] += line.cost_cents
    if off and spent:  # the other platform taking most of the money, said on the card
        platform, cents = off.most_common(1)[0]
        base |= {"top_platform": platform, "top_platform_share": round(100 * cents / spent)}
    nearest = tuple(n for n in s.scope.niches if n != brief.niche)
    if both:  # one notice: the niche *on* the platform was short, not each on its own
        return [Notice("scope_widened", params=base | {"nearest": nearest, "elsewhere": outside})]
    found = []
    if s.everyone and niche_widened:
        more: dict[str, object] = {"nearest": nearest, "listed": listed, "elsewhere": off_niche}
        found.append(Notice("niche_widened", params=base | more))
    if platform_widened and s.pool:
        # "Could be booked" on the platform asked: those the plan could draw from there (in
        # whichever niche the search took), and whether any of them is in it.
        on_it = {
            o.candidate.id
            for o in s.offers
            if on_platform(o.candidate) and o.on_target is not False
        }
        booked = any(line.candidate.id in on_it for line in lines)
        more = {
            "listed": any(on_platform(c) for c in s.everyone),
            "elsewhere": off_platform,
            "own": len(on_it),
            "unbooked": bool(lines) and bool(on_it) and not booked,
        }
        found.append(Notice("platform_widened", params=base | more))
    return found


def _nothing_affordable(s: Situation) -> list[Notice]:
    """When the budget is why nobody fits: the cheapest post where the plan looks (at least
    the fair-pay floor), or, for an ambassador, the cheapest retainer (its fewest posts, each
    paid at least the floor). Nothing when someone fits the budget (the plan is empty for
    another reason, which its own notice says)."""
    a = s.a
    floor = in_currency(a.fair_pay_floor, s.brief.currency) or 0
    cheapest = min(max(c.price_cents, floor) for c in s.everyone)
    if s.brief.goal is not Goal.AMBASSADOR:
        most = creator_cap_cents(s.brief, a) or s.brief.budget_cents
        if cheapest <= most:
            return [] if s.brief.country or s.brief.language else [Notice("none_worth_it")]
        return [
            Notice(
                "nothing_affordable",
                params={"cheapest_cents": cheapest, "most_cents": most},
            )
        ]
    # (an ambassador speaks to the brief's audience: one elsewhere is not the least retainer)
    theirs = [c for c in s.everyone if c.price_cents and on_target(c, s.brief) is not False]
    cheapest = min((max(c.price_cents, floor) for c in theirs), default=cheapest)
    posts = a.ambassador.min_months * a.ambassador.posts_per_month
    if cheapest * posts <= s.brief.budget_cents:
        return []
    params: dict[str, object] = {
        "posts": posts,
        "per_post_cents": cheapest,
        "cost_cents": cheapest * posts,
        "one_offs": s.brief.budget_cents // cheapest,
    }
    return [Notice("retainer_too_dear", params=params)]


def _trade_off(s: Situation) -> list[Notice]:
    """When all micro or all macro beats the plan by more than the tolerance at equal or
    lower cost, the reply says why the plan is kept: its one big voice, named."""
    plan = s.plan
    voice = big_voice(plan, s.kb)
    if not plan.lines or voice is None:
        return []
    mine = plan.measure(s.metric)
    tolerance = s.a.strategy.tolerance
    for alternative in s.alternatives:
        theirs = alternative.measure(s.metric)
        if alternative.spent_cents <= plan.spent_cents and theirs > mine * (1 + tolerance):
            return [
                Notice(
                    "big_voice",
                    params={
                        "alternative": alternative.label,
                        "more_pct": round((theirs / mine - 1) * 100) if mine else 100,
                        "metric": s.metric.value,
                        "strategy": s.strategy.value,
                        "name": voice.candidate.name,
                        "followers": voice.candidate.followers,
                    },
                )
            ]
    return []


def _against_strategy(s: Situation) -> list[Notice]:
    """When most of the money goes to the side the sources' strategy does not favour, the
    reply says why: the favoured side has no one the rules let it book within the budget,
    or those it has can take only so much at a cost worth paying. Not for a test: it books
    the few creators cheapest per sale, whatever their side, and says so itself."""
    spent = s.plan.spent_cents
    if not spent or s.strategy is Side.NEUTRAL or s.test:
        return []
    other = Side.MACRO if s.strategy is Side.MICRO else Side.MICRO
    if s.plan.spent_on(other) * 2 <= spent:
        return []
    params: dict[str, object] = {"side": other.value, "strategy": s.strategy.value}
    favoured_spent = s.plan.spent_on(s.strategy)
    if not favoured_spent:
        sound = [c.price_cents for c in s.pool if side_of(c, s.kb) is s.strategy]
        floor = in_currency(s.a.fair_pay_floor, s.brief.currency) or 0
        cap = creator_cap_cents(s.brief, s.a) if s.brief.goal is not Goal.AMBASSADOR else None
        most = cap or s.brief.budget_cents
        cheapest = max(min(sound), floor) if sound else None
        params |= {"why": "none", "cheapest_cents": cheapest, "most_cents": most}
        favoured = s.alternatives[0] if s.strategy is Side.MICRO else s.alternatives[1]
        theirs, mine = favoured.unit_cost(s.metric), s.plan.unit_cost(s.metric)
        if cheapest is not None and cheapest <= most and not (theirs and mine):
            params["why"] = "unbookable"
            # Where to look: those left out (Why lists them), or the audience asked.
            params["left_out"] = sum(s.left_out.values())
            params["audience"] = bool(s.brief.country or s.brief.language) and not any(
                on_target(c, s.brief) is not False for c in s.pool if side_of(c, s.kb) is s.strategy
            )
        elif cheapest is not None and cheapest <= most and theirs and mine:
            per = PER[s.metric]
            params |= {
                "why": "value",
                "theirs_cents": theirs * per,
                "mine_cents": mine * per,
                "metric": s.metric.value,
            }
    else:
        # More of the favoured side costs more per unit than this plan (its plan alone shows
        # it), or its creators worth booking are too few to take more (all of them: that plan).
        favoured = s.alternatives[0] if s.strategy is Side.MICRO else s.alternatives[1]
        theirs, mine = favoured.unit_cost(s.metric), s.plan.unit_cost(s.metric)
        if theirs and mine and theirs > mine * (1 + s.a.strategy.tolerance):
            params |= {"why": "dearer_side", "capacity_cents": favoured_spent}
        else:
            capacity = max(favoured.spent_cents, favoured_spent)
            params |= {"why": "capacity", "capacity_cents": capacity}
    return [Notice("against_strategy", params=params)]


def _left_out(s: Situation) -> Notice:
    a = s.a
    return Notice(
        "left_out",
        s.kb.fact("S1-feed-dilution") if s.left_out[LeftOut.FREQUENT] else None,
        {
            "counts": {reason.value: n for reason, n in sorted(s.left_out.items())},
            "total": sum(s.left_out.values()),
            "floor": a.plan.audience_quality_floor,
            "limit": a.funnel.dilution_posts_per_week,
            "engagement_share": a.vetting.engagement_floor_share,
            "ask_share": a.vetting.cheap_ask_share,
            "over_market_multiple": a.vetting.over_market_multiple,
        },
    )


def _ambassador(s: Situation) -> Notice:
    """The retainers, and exclusivity as a priced option for those open to it."""
    a, plan = s.a, s.plan
    open_lines = [line for line in plan.lines if line.candidate.open_to_exclusivity]
    premium = a.ambassador.exclusivity_premium
    extra = sum(line.cost_cents for line in open_lines)
    return Notice(
        "ambassador",
        s.kb.fact("S1-exclusivity"),
        {
            "names": [line.candidate.name for line in open_lines],
            "premium_low": premium.low,
            "premium_high": premium.high,
            "with_exclusivity_cents": plan.spent_cents + round(extra * premium.high),
            "premium_cents": round(extra * premium.high),
            "months": sorted({line.months or 0 for line in plan.lines}),
            "per_month": a.ambassador.posts_per_month,
        },
    )

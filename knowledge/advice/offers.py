"""What each creator offers a plan, as the planner weighs it: what one post brings toward the
goal (weighted by how much the brief values their audience), what it is paid, and every
(creator, post number) pair ranked by cost per unit once for all the plans of a
recommendation.

A post is paid the creator's ask, or the fair-pay floor when they ask less (no post is
booked under it), plus, when the brief asks for paid use and the platform has an ad product
for it, the usage fee: a share of that post fee (posts.toml, `paid_use`). This is the one
place it is added: plans, totals and the budget count it. A gifted-only creator (ask 0) is
offered only when the brief asks for product seeding: one post, paid with the product and
its shipping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.advice.audience import on_target
from knowledge.advice.brief import Brief, Candidate
from knowledge.advice.forecast import Forecast, post_forecast
from knowledge.advice.vetting import market_top_cents
from knowledge.base import Assumptions, Goal, Metric, PaidUse, Side, in_currency


@dataclass(frozen=True)
class Offer:
    """A creator as the planner weighs them."""

    candidate: Candidate
    side: Side
    value: float  # middle forecast of the goal's measure for one post, weights included
    price_cents: int  # what one post is paid, the usage fee included
    forecast: Forecast
    audience: float  # real audience: followers × audience quality
    on_target: bool | None  # the brief's audience (None: the brief names none)
    seeding: bool = False
    asked: bool = True  # in the niche and on the platform asked (False: found by widening)
    # The most a post may cost per 1,000 people it reaches (a repeat post reaches fewer new
    # people: it gets dearer); None: no market band for the platform.
    market_cap_cents: float | None = None
    usage_cents: int = 0  # of the price, the fee for paid use of one post

    @property
    def fee_cents(self) -> int:
        """The post fee: the ask, or the fair-pay floor (the price without the usage fee)."""
        return self.price_cents - self.usage_cents

    def within_market(self, repeat_value: float) -> bool:
        """Whether a post worth `repeat_value` first posts costs at most the market cap."""
        reach = self.forecast.reach.mid * repeat_value
        cap = self.market_cap_cents
        return cap is None or self.seeding or (reach > 0 and self.fee_cents * 1000 / reach <= cap)

    @property
    def ask_cents(self) -> int:
        return self.candidate.price_cents

    def unit_cost(self, repeat_value: float = 1.0) -> float:
        """Cents per unit of the goal's measure for a post worth `repeat_value` first posts."""
        return self.price_cents / (self.value * repeat_value)


def _weight(
    c: Candidate, brief: Brief, a: Assumptions, target: bool | None, asked: bool, off_niche: bool
) -> float:
    """How much the brief values a creator's post: less outside the niche and platform it
    asked for (`asked` False: found by widening), much less outside the niche; less when
    their audience is not the brief's; a little more for an ambassador open to exclusivity."""
    weight = 1.0 if asked else a.plan.off_niche_value if off_niche else a.plan.widened_value
    if target is False:
        weight *= a.audience.off_target_value[brief.goal]
    if brief.goal is Goal.AMBASSADOR and c.open_to_exclusivity:
        weight *= a.ambassador.exclusivity_preference
    return weight


def make_offer(
    c: Candidate,
    side: Side,
    brief: Brief,
    metric: Metric,
    a: Assumptions,
    asked: bool = True,
    off_niche: bool = False,
    paid_use: PaidUse | None = None,
) -> Offer | None:
    """What `c` offers this brief, or None: a gifted-only creator without seeding asked for,
    a post the budget can't pay, or one that brings nothing. `asked`: in the niche and on
    the platform the brief asked for (not found by widening); `off_niche`: found in a nearby
    niche, not the one asked; `paid_use`: the usage fees (posts.toml), for a brief that
    asks for paid use."""
    floor = in_currency(a.fair_pay_floor, brief.currency) or 0
    gift = brief.gift_cents
    seeding = c.price_cents == 0
    if seeding and gift is None:
        return None
    shipping = in_currency(a.seeding.shipping, brief.currency) or 0
    price = gift + shipping if seeding and gift is not None else max(c.price_cents, floor)
    pct = 0.0 if seeding or paid_use is None else paid_use.fee_pct(c.platform, brief.paid_use_days)
    usage = round(price * pct / 100)
    price += usage
    forecast = post_forecast(c, a)
    target = on_target(c, brief)
    value = forecast.of(metric).mid * _weight(c, brief, a, target, asked, off_niche)
    if price <= 0 or price > brief.budget_cents or value <= 0:
        return None
    quality = (
        c.audience_quality if c.audience_quality is not None else a.funnel.default_audience_quality
    )
    top = market_top_cents(c.platform, brief.currency, a)
    cap = top * a.vetting.over_market_multiple if top is not None else None
    audience = c.followers * quality / 100
    return Offer(c, side, value, price, forecast, audience, target, seeding, asked, cap, usage)


# (cents per unit, price, offer index, post number from 0)
Item = tuple[float, int, int, int]


class Offers:
    """The offers plans are built from, with their (offer, post number) pairs ranked once:
    cheapest per unit first (a creator's repeat posts are worth less, so cost more per unit),
    then by price, handle and id, so that plans are the same whatever the roster's order."""

    def __init__(self, offers: Sequence[Offer], a: Assumptions, max_posts: int) -> None:
        self.offers = list(offers)
        self.a = a
        self.max_posts = max_posts
        repeat = a.funnel.repeat_post_value
        keyed = sorted(
            (
                o.unit_cost(repeat[min(n, len(repeat) - 1)]),
                o.price_cents,
                o.candidate.handle.lower(),
                o.candidate.id,
                i,
                n,
            )
            for i, o in enumerate(self.offers)
            for n in range(1 if o.seeding else self._most(o))
            if o.within_market(repeat[min(n, len(repeat) - 1)])
        )
        self.items: list[Item] = [(u, price, i, n) for u, price, _h, _id, i, n in keyed]
        self._of: dict[tuple[Side | None, bool | None, bool | None], list[Item]] = {}

    def _most(self, o: Offer) -> int:
        """The most posts `o`'s creator gets here (fewer for the tiers the data names)."""
        return min(
            self.max_posts, self.a.plan.most_posts(self.a.tier_for(o.candidate.followers).name)
        )

    def of(self, side: Side | None, target: bool | None, asked: bool | None = None) -> list[Item]:
        """The items of one side (None: both) whose audience is `target`-ed (None: any): on
        target, or with no audience asked (True); outside it (False); and in the niche and
        platform `asked` (None: wherever)."""
        key = (side, target, asked)
        if key not in self._of:
            self._of[key] = [
                item
                for item in self.items
                if (side is None or self.offers[item[2]].side is side)
                and (target is None or (self.offers[item[2]].on_target is not False) is target)
                and (asked is None or self.offers[item[2]].asked is asked)
            ]
        return self._of[key]

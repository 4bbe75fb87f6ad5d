"""A creator who declined, replaced by the next best fit: of the same niche, platform and side,
not already in the campaign (nor the same person on another account), someone the rules let
the plan book (`vetting`), within the money the decliner freed, and the first of them by the
engine's own ranking (`offers.Offers`: cheapest per unit of the goal's measure first).

The replacement takes as many of the decliner's posts as that money pays, each paid as a plan
pays it (the ask, at least the fair-pay floor), with a promo code none of the campaign's other
creators has and a link tagged for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from knowledge.advice.audience import same_person
from knowledge.advice.brief import Brief, Candidate, PriceGuide
from knowledge.advice.forecast import posts_value
from knowledge.advice.offers import Offer, Offers, make_offer
from knowledge.advice.plan import FIRST_WAVE, Line
from knowledge.advice.posts import code_parts, creator_link
from knowledge.advice.scope import side_of
from knowledge.advice.stored import StoredBrief, StoredForecast
from knowledge.advice.tracking import Creator, code_for
from knowledge.advice.vetting import vet
from knowledge.base import Goal, KnowledgeBase, Side


@dataclass(frozen=True)
class Declined:
    """The creator who declined, as the replacement must match them."""

    niche: str
    platform: str
    side: Side
    posts: int
    freed_cents: int  # what the plan was to pay them


@dataclass(frozen=True)
class Replacement:
    candidate: Candidate
    side: Side
    posts: int
    price_cents: int  # per post
    cost_cents: int
    forecast: StoredForecast
    promo_code: str
    link: str | None


def as_brief(stored: StoredBrief) -> Brief:
    """The brief a stored recommendation was made for."""
    return Brief(
        goal=Goal(stored.goal),
        budget_cents=stored.budget_cents,
        currency=stored.currency,
        niche=stored.niche,
        platform=stored.platform,
        country=stored.country,
        language=stored.language,
        order_value_cents=stored.order_value_cents,
        margin_pct=stored.margin_pct,
        gifting=stored.gifting,
        product_value_cents=stored.product_value_cents,
        discount_pct=stored.discount_pct,
        shop_url=stored.shop_url,
        shop_name=stored.shop_name,
        start_date=stored.start_date,
        town=stored.town,
        paid_use_days=stored.paid_use_days,
    )


def _posts_paid(offer: Offer, declined: Declined, kb: KnowledgeBase) -> int:
    """How many of the decliner's posts the freed money pays this offer for, each within
    the market's cap (0: not even one)."""
    repeat = kb.assumptions.funnel.repeat_post_value
    posts = 0
    while (
        posts < declined.posts
        and offer.price_cents * (posts + 1) <= declined.freed_cents
        and offer.within_market(repeat[min(posts, len(repeat) - 1)])
    ):
        posts += 1
    return posts


def _fits(
    brief: Brief,
    declined: Declined,
    candidates: Iterable[Candidate],
    in_campaign: Sequence[Candidate],
    prices: PriceGuide,
    kb: KnowledgeBase,
) -> list[Offer]:
    """The offers of those who could take the decliner's place."""
    a = kb.assumptions
    taken = {c.id for c in in_campaign}
    matching = [
        c
        for c in candidates
        if c.id not in taken
        and c.platform == declined.platform
        and declined.niche in c.niches
        and side_of(c, kb) is declined.side
        and not any(same_person(c, other) for other in in_campaign)
    ]
    metric = a.goal_metric[brief.goal]
    offers = (
        make_offer(c, declined.side, brief, metric, a, paid_use=kb.posts.paid_use)
        for c in vet(matching, brief, [declined.niche], prices, a).kept
    )
    return [o for o in offers if o is not None and o.price_cents <= declined.freed_cents]


def best_fit(
    brief: Brief,
    declined: Declined,
    candidates: Iterable[Candidate],
    in_campaign: Sequence[Candidate],
    prices: PriceGuide,
    kb: KnowledgeBase,
) -> tuple[Offer, int] | None:
    """The next best fit's offer and how many of the decliner's posts the freed money pays
    them for (None: nobody fits)."""
    offers = Offers(_fits(brief, declined, candidates, in_campaign, prices, kb), kb.assumptions, 1)
    for _unit_cost, _price, index, _post in offers.items:
        offer = offers.offers[index]
        posts = _posts_paid(offer, declined, kb)
        if posts > 0:
            return offer, posts
    return None


def next_best_fit(
    stored: StoredBrief,
    declined: Declined,
    candidates: Iterable[Candidate],
    in_campaign: Sequence[Candidate],
    codes_taken: set[str],
    prices: PriceGuide,
    kb: KnowledgeBase,
) -> Replacement | None:
    """Who takes the place of a creator who declined (None: nobody fits). `candidates`: the
    roster's, as the search finds them; `in_campaign`: the campaign's creators (the decliner
    included), none of whom may come back."""
    found = best_fit(as_brief(stored), declined, candidates, in_campaign, prices, kb)
    if found is None:
        return None
    return _replacement(stored, found[0], found[1], codes_taken, kb)


def _replacement(
    stored: StoredBrief, offer: Offer, posts: int, codes_taken: set[str], kb: KnowledgeBase
) -> Replacement:
    c = offer.candidate
    line = Line(
        candidate=c,
        side=offer.side,
        wave=FIRST_WAVE,
        posts=posts,
        first_post=1,
        price_cents=offer.price_cents,
        one_post=offer.forecast,
        worth=posts_value(kb.assumptions, posts),
        audience=offer.audience,
        value=offer.value,
        unit_cost=offer.unit_cost(),
        seeding=offer.seeding,
        usage_cents=offer.usage_cents,
    )
    shop, discount = code_parts(stored, kb.posts)
    creator = Creator(c.id, c.name, c.handle)
    return Replacement(
        candidate=c,
        side=offer.side,
        posts=posts,
        price_cents=offer.price_cents,
        cost_cents=line.cost_cents,
        forecast=StoredForecast.of(line.forecast),
        promo_code=code_for(creator, shop, discount, codes_taken),
        link=creator_link(stored, creator, c.platform, shop),
    )

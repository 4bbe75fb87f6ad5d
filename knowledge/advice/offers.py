"""What each creator brings as the planner weighs them, and every (creator, post number) pair
ranked by value per cost once for all the plans of a recommendation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.advice.brief import Candidate
from knowledge.advice.forecast import Forecast, post_forecast, posts_value
from knowledge.base import Assumptions, Metric, Side


@dataclass(frozen=True)
class Offer:
    """A creator as the planner weighs them: what one post brings toward the goal."""

    candidate: Candidate
    side: Side
    value: float  # middle forecast of the goal's measure for one post, weights included
    price_cents: int  # what the plan pays a post (an ambassador: at least the fair-pay floor)
    forecast: Forecast
    ratio: float  # value per currency unit (a free post counts as costing one unit)
    audience: float  # real audience: followers × audience quality


def offer(
    c: Candidate,
    side: Side,
    metric: Metric,
    a: Assumptions,
    weight: float = 1.0,
    price_cents: int | None = None,
    forecast: Forecast | None = None,
) -> Offer:
    """`weight`: how much the brief values this creator's audience (its country, language,
    an ambassador open to exclusivity); `price_cents`: what a post is paid, if not the ask;
    `forecast`: one post's, if already worked out."""
    forecast = forecast or post_forecast(c, a)
    value = forecast.of(metric).mid * weight
    price = c.price_cents if price_cents is None else price_cents
    quality = (
        c.audience_quality if c.audience_quality is not None else a.funnel.default_audience_quality
    )
    return Offer(
        c,
        side,
        value,
        price,
        forecast,
        value / max(price / 100, 1.0),
        c.followers * quality / 100,
    )


def _order(o: Offer) -> tuple[float, int, str, int]:
    return (-o.ratio, o.price_cents, o.candidate.handle.lower(), o.candidate.id)


def ranked(offers: Sequence[Offer]) -> list[Offer]:
    """The offers that bring anything, best value per cost first."""
    return sorted((o for o in offers if o.value > 0), key=_order)


Item = tuple[float, int, int, int]


class _Ranked:
    """(offer, post number) pairs of one side (or both), best value per cost first, with the
    cheapest price from each position on (a fill stops once nothing after fits)."""

    def __init__(self, items: list[Item]) -> None:
        self.items = items
        cheapest: list[int] = []
        low = 2**62
        for item in reversed(items):
            low = min(low, item[1])
            cheapest.append(low)
        self.cheapest_from = cheapest[::-1]


class Offers:
    """The offers plans are built from, with their (offer, post number) pairs ranked once
    for all the plans of a recommendation."""

    def __init__(self, offers: Sequence[Offer], a: Assumptions) -> None:
        self.offers = list(offers)
        self.a = a
        self._ranked: dict[tuple[int, int, Side | None], _Ranked] = {}

    def ranked(self, max_posts: int, first_post: int, side: Side | None = None) -> _Ranked:
        """Every (offer, post number) pair of `side` (None: both), best value per cost first
        (a creator's repeats are worth less)."""
        key = (max_posts, first_post, side)
        if key not in self._ranked:
            if side is None:
                worth = [posts_value(self.a, 1, first_post + n) for n in range(max_posts)]
                items = sorted(
                    (-o.ratio * worth[n], o.price_cents, i, n)
                    for i, o in enumerate(self.offers)
                    for n in range(max_posts)
                )
            else:
                items = [
                    item
                    for item in self.ranked(max_posts, first_post).items
                    if self.offers[item[2]].side == side
                ]
            self._ranked[key] = _Ranked(items)
        return self._ranked[key]

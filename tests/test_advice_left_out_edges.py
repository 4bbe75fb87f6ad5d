"""Who the reply counts as left out by the bot's rules: only those in the running, among
their side's `room` best scores (what a post brings per what it is paid, at least the
fair-pay floor) of those the budget can pay. Found by mutation testing (tests/MUTATION.md).

Sales forecasts don't read the engagement rate: a creator engaging too little is left out
(weak engagement) yet scores like anyone of their size and ask."""

from __future__ import annotations

from knowledge.advice.brief import Brief, Candidate
from knowledge.advice.engine import recommend
from knowledge.base import Goal, default_knowledge
from tests.test_engine import person

KB = default_knowledge()
BUDGET = 150_000  # €1,500: room for five people


def weak(i: int, followers: int, price: float) -> Candidate:
    return person(i, followers, price, engagement_rate=0.1)


def left_out(people: list[Candidate]) -> int:
    rec = recommend(Brief(Goal.SALES, BUDGET, "EUR", "cooking"), people, KB)
    notice = rec.notice("left_out")
    assert notice is None or set(notice.params["counts"]) == {"weak_engagement"}
    return int(notice.params["total"]) if notice is not None else 0


def fine(count: int, price: float = 300) -> list[Candidate]:
    return [person(i, 30_000 + i, price) for i in range(1, count + 1)]


def test_only_those_among_their_sides_best_scores_are_counted() -> None:
    """Four fine creators, one weak one with twice their score (counted) and five with a
    third of it (under the fifth best: not counted)."""
    assert KB.assumptions.plan.people_for(BUDGET, "EUR") == 5
    low = [weak(20 + i, 10_000 + i, 300) for i in range(5)]
    assert left_out([*fine(4), weak(10, 60_000, 300), *low]) == 1
    assert left_out([*fine(4), low[0]]) == 1  # alone with the four, among the best five


def test_the_fifth_best_score_itself_is_in_the_running() -> None:
    """Four fine creators, then a weak one scoring fifth (counted), then two scoring less."""
    low = [weak(20 + i, 10_000 + i, 300) for i in range(2)]
    assert left_out([*fine(4), weak(10, 20_000, 300), *low]) == 1


def test_the_bar_is_set_by_those_the_budget_can_pay() -> None:
    """Four creators the budget can pay: fewer than five, so all are in the running, the
    weak one too, however many dearer creators score over it."""
    dear = [person(30 + i, 90_000 + i, 2_000) for i in range(2)]
    assert left_out([*fine(3), weak(20, 10_000, 300), *dear]) == 1


def test_a_creator_asking_exactly_the_budget_sets_the_bar_too() -> None:
    exact = person(40, 99_000, BUDGET / 100)
    assert left_out([*fine(4), weak(20, 10_000, 300), exact]) == 0  # the sixth score of six
    over = person(40, 99_000, BUDGET / 100 + 0.01)
    assert left_out([*fine(4), weak(20, 10_000, 300), over]) == 1  # the fifth of five


def test_an_ask_under_the_fair_pay_floor_is_scored_at_the_floor() -> None:
    """12,000 followers asking 60 % of the floor (€30 for €50) score as if paid the floor:
    under five creators of 30,000 at twice the floor (at its own ask it would score over
    them); with twice the followers, over them."""
    floor = KB.assumptions.fair_pay_floor["EUR"]
    assert floor * KB.assumptions.fair_pay_max_raise > floor / 0.6  # raised, not left out
    assert left_out([*fine(5, 2 * floor), weak(50, 12_000, 0.6 * floor)]) == 0
    assert left_out([*fine(5, 2 * floor), weak(50, 12_000 * 2, 0.6 * floor)]) == 1

"""A sales test sized to be read (an eighth planner's read: tests of a few hundred euros on
budgets of thousands, about 100 clicks, too few to tell anything): the test stops once it
brings `test.readable_clicks`, and Why says when its share of the budget can't get there."""

from __future__ import annotations

import pytest

from knowledge.advice.brief import Brief, Candidate
from knowledge.advice.engine import recommend
from knowledge.advice.snapshot import snapshot
from knowledge.base import Goal, KnowledgeBase
from knowledge.writing import i18n
from knowledge.writing.render import Template, render, shown_text
from knowledge.writing.views import view_values, why_values

FIRST_SIGN = {
    "en": "A test reads well from about 300 clicks; with about",
    "fr": "Un test se lit bien à partir d’environ 300 clics ; avec environ",
}


def person(i: int, followers: int, price_cents: int) -> Candidate:
    return Candidate(
        id=i,
        name=f"P{i}",
        handle=f"@p{i}",
        platform="instagram",
        niches=("cooking",),
        followers=followers,
        engagement_rate=3.0,
        price_cents=price_cents,
        audience_quality=80,
    )


def why(people: list[Candidate], budget_cents: int, kb: KnowledgeBase, language: str) -> str:
    brief = Brief(
        Goal.SALES, budget_cents, "EUR", "cooking", order_value_cents=1_500, margin_pct=40
    )
    rec = recommend(brief, people, kb)
    assert rec.test and rec.plan.lines
    stored = snapshot(rec, kb)
    with i18n.speaking(language):
        values = view_values(stored, kb) | why_values(stored, kb, quotes=True)
        text = shown_text(render(Template.RECOMMENDATION_WHY, **values))
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_why_says_a_test_too_small_to_read_is_a_first_sign(
    language: str, kb: KnowledgeBase
) -> None:
    small = [person(i, 8_000 + 500 * i, 6_000) for i in range(1, 4)]
    text = why(small, 200_000, kb, language)
    assert FIRST_SIGN[language] in text, text
    # Enough big accounts within a quarter of the budget: the test can be read, not said.
    big = [person(i, 90_000 - 1_000 * i, 30_000) for i in range(1, 6)]
    assert FIRST_SIGN[language] not in why(big, 800_000, kb, language)


OWN_COST = {"en": "This test costs about €", "fr": "Ce test coûte environ "}
# The best creator's figure is theirs alone (a fourteenth read: "even with the best-value
# creators" read as the test's cost, a third figure beside the card's and the Forecast's).
BEST_ALONE = {"en": "with the best-value creator alone", "fr": "le créateur le plus rentable seul"}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_why_says_when_the_test_costs_more_a_sale_than_its_best_creator(
    language: str, kb: KnowledgeBase
) -> None:
    """A planner's read: "costs about €94 even with the best-value creators" beside a
    Forecast of €110 a sale read as two figures for one thing: the test's own cost a sale is
    said when it is over the best creator's by more than a tenth."""
    mixed = [person(1, 40_000, 6_000), person(2, 9_000, 6_000), person(3, 8_500, 6_000)]
    said = why(mixed, 200_000, kb, language)
    assert OWN_COST[language] in said and BEST_ALONE[language] in said
    alike = [person(i, 9_000, 6_000) for i in range(1, 4)]
    assert OWN_COST[language] not in why(alike, 200_000, kb, language)

"""The Forecast view gives sales only where the owner plans on them: a sales brief, or one
that gives its basket. A planner's read: "8–28 sales" on an awareness brief with no basket is
a number the owner will hold the bot to."""

from __future__ import annotations

from dataclasses import replace

import pytest

from knowledge.advice.brief import Brief, Candidate
from knowledge.advice.engine import recommend
from knowledge.advice.snapshot import snapshot
from knowledge.base import Goal, default_knowledge
from knowledge.writing import i18n
from knowledge.writing.render import render, shown_text
from knowledge.writing.replies import Template
from knowledge.writing.views import forecast_values, view_values, why_values

KB = default_knowledge()
ROSTER = [
    Candidate(
        id=i,
        name=f"C{i}",
        handle=f"@c{i}",
        platform="instagram",
        niches=("cooking",),
        followers=20_000 * i,
        engagement_rate=3.0,
        price_cents=20_000 * i,
        audience_quality=85,
    )
    for i in range(1, 6)
]


def forecast_text(brief: Brief, language: str = "en") -> str:
    stored = snapshot(recommend(brief, ROSTER, KB), KB)
    assert stored.plan.lines
    with i18n.speaking(language):
        values = view_values(stored, KB) | forecast_values(stored)
        return shown_text(render(Template.RECOMMENDATION_FORECAST, **values))


@pytest.mark.parametrize("goal", [Goal.AWARENESS, Goal.LAUNCH, Goal.COMMUNITY, Goal.AMBASSADOR])
def test_no_sales_without_a_sales_goal_or_a_basket(goal: Goal) -> None:
    brief = Brief(goal, 500_000, "EUR", "cooking")
    text = forecast_text(brief)
    assert "clicks" in text and "sale" not in text
    assert "vente" not in forecast_text(brief, "fr")
    basket = replace(brief, order_value_cents=4_000, margin_pct=50)
    assert "sale" in forecast_text(basket)


def test_a_sales_brief_gives_sales_with_or_without_a_basket() -> None:
    brief = Brief(Goal.SALES, 500_000, "EUR", "cooking")
    assert "sale" in forecast_text(brief)


def why_text(brief: Brief) -> tuple[str, str]:
    stored = snapshot(recommend(brief, ROSTER, KB), KB)
    notice = stored.notice("break_even")
    assert notice is not None and stored.plan.lines
    with i18n.speaking("en"):
        values = view_values(stored, KB) | why_values(
            stored, KB, quotes=False, original_quotes=False
        )
        return str(notice.params["reached"]), shown_text(
            render(Template.RECOMMENDATION_WHY, **values)
        )


def test_a_payback_in_doubt_says_it_counts_first_purchases_only() -> None:
    """A planner's read: cat food and nail polish are bought again; the payback counted
    each customer once without saying so."""
    said = "It counts each new customer's first purchase only"
    for basket, expected in ((5_000, "no"), (50_000, "maybe"), (200_000, "yes")):
        brief = Brief(
            Goal.SALES, 300_000, "EUR", "cooking", order_value_cents=basket, margin_pct=60
        )
        reached, text = why_text(brief)
        assert reached == expected
        assert (said in text) is (reached != "yes")


def test_a_default_discount_taking_a_third_of_the_margin_says_so() -> None:
    """A planner's read: a 10 % code on a 20 % margin halved what a sale earns, silently."""
    said = "That default discount takes 50% of your margin"
    thin = Brief(Goal.SALES, 300_000, "EUR", "cooking", order_value_cents=50_000, margin_pct=20)
    assert said in why_text(thin)[1]
    chosen = replace(thin, discount_pct=10)  # the owner's own choice: not "default"
    assert "That default discount" not in why_text(chosen)[1]
    wide = replace(thin, margin_pct=60)  # a sixth of the margin: nothing to say
    assert "That default discount" not in why_text(wide)[1]


def test_a_test_says_what_a_sale_earns_once() -> None:
    """A fifteenth read: the sales maths printed twice (in the test's notice and again in
    the break-even's)."""
    brief = Brief(Goal.SALES, 300_000, "EUR", "cooking", order_value_cents=5_000, margin_pct=60)
    stored = snapshot(recommend(brief, ROSTER, KB), KB)
    assert stored.test and stored.notice("break_even") is not None
    text = why_text(brief)[1]
    assert text.count("A sale counts what it earns you after the promo code") == 1


def test_the_platform_asked_says_how_many_of_those_bookable_are_in_the_plan() -> None:
    """A fifteenth read: "Only 4 creators on YouTube could be booked" beside a plan of 2 of
    them read as a false statement."""

    def creator(i: int, platform: str, price: int) -> Candidate:
        return Candidate(
            id=i,
            name=f"C{i}",
            handle=f"@c{i}",
            platform=platform,
            niches=("tech",),
            followers=50_000,
            engagement_rate=2.0,
            price_cents=price * 100,
            audience_quality=85,
        )

    roster = [creator(1, "youtube", 200), creator(2, "youtube", 700), creator(3, "youtube", 720)]
    roster += [creator(10 + i, "instagram", 300) for i in range(8)]
    brief = Brief(Goal.AWARENESS, 5_000_000, "EUR", "tech", "youtube")
    stored = snapshot(recommend(brief, roster, KB), KB)
    on_youtube = {line.id for line in stored.plan.lines if line.platform == "youtube"}
    assert on_youtube == {1}
    for language, said in (
        ("en", "could be booked, so the plan also looks at other platforms. 1 of them is in"),
        ("fr", "1 d’entre eux est dans le plan : les autres coûtent trop cher"),
    ):
        with i18n.speaking(language):
            values = view_values(stored, KB) | why_values(
                stored, KB, quotes=False, original_quotes=False
            )
            assert said in shown_text(render(Template.RECOMMENDATION_WHY, **values))

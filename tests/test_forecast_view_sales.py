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
from knowledge.writing.views import forecast_values, view_values

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

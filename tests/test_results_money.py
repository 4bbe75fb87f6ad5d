"""Results at a check-in say what the money did: the profit after the spend from the brief's
margin (on the reported revenue, or the sales times the basket), and a spend over the plan;
never an ROI that leaves the margin out as if it were the profit."""

from __future__ import annotations

import re
from typing import Any

import pytest

from knowledge.campaigns.checkins import compare
from knowledge.writing import i18n
from knowledge.writing.render import Template, render, shown_text
from tests.conftest import BotHarness
from tests.test_e2e_campaigns import wait_sent

PLAN: dict[str, Any] = {
    "version": 2,
    "metric": "conversions",
    "brief": {"goal": "sales", "order_value_cents": 1200, "margin_pct": 60.0},
    "plan": {
        "spent_cents": 10000,
        "forecast": {
            "reach": [5000, 9000, 14000],
            "engagements": [200, 400, 700],
            "clicks": [20, 60, 110],
            "conversions": [1, 4, 9],
        },
    },
}


def test_the_profit_is_the_margin_on_the_revenue_minus_the_spend() -> None:
    got = compare(PLAN, "sales", {"conversions": 20, "spent_cents": 20000, "revenue_cents": 24000})
    assert got.profit_cents == 14400 - 20000 and got.revenue_cents == 24000
    assert not got.revenue_estimated
    assert got.over_plan_pct == 100  # €200 against the plan's €100


def test_without_a_reported_revenue_the_basket_gives_it() -> None:
    got = compare(PLAN, "sales", {"conversions": 12, "spent_cents": 16000})
    assert got.revenue_cents == 12 * 1200 and got.revenue_estimated
    assert got.profit_cents == round(14400 * 0.6) - 16000
    assert got.over_plan_pct == 60


@pytest.mark.parametrize(("spent", "over"), [(10000, None), (11000, None), (11100, 11)])
def test_a_spend_over_the_plan_is_said_from_ten_percent_over(spent: int, over: int | None) -> None:
    assert compare(PLAN, "sales", {"conversions": 3, "spent_cents": spent}).over_plan_pct == over


def test_no_margin_no_profit_said() -> None:
    plan = PLAN | {"brief": {"goal": "sales"}}
    got = compare(plan, "sales", {"conversions": 20, "spent_cents": 20000, "revenue_cents": 24000})
    assert got.profit_cents is None and got.roi == pytest.approx(0.2)


def _said(language: str, actual: dict[str, int], plan: dict[str, Any] = PLAN) -> str:
    comparison = compare(plan, "sales", actual)
    with i18n.speaking(language):
        return shown_text(render(Template.RESULTS_SAVED, comparison=comparison, currency="EUR"))


def test_a_loss_is_said_beside_a_good_cost_per_sale() -> None:
    text = _said("en", {"conversions": 12, "spent_cents": 16000})
    assert "💶 Spent: €160, 60% over the plan's €100." in text
    assert (
        "💶 After the spend: a loss of €73.60 (your 60% margin on about €144 of sales "
        "(12 × your basket), minus €160 spent)." in text
    )
    assert "ROI" not in text
    french = _said("fr", {"conversions": 12, "spent_cents": 16000})
    assert "une perte de 73,60 €" in french and "60 % de plus que les 100 € du plan" in french


def test_a_profit_is_said_and_an_roi_without_margin_says_what_it_leaves_out() -> None:
    text = _said("en", {"conversions": 20, "spent_cents": 10000, "revenue_cents": 30000})
    assert "💶 After the spend: €80 earned (your 60% margin on €300 of sales" in text
    plain = _said(
        "en",
        {"conversions": 20, "spent_cents": 10000, "revenue_cents": 30000},
        PLAN | {"brief": {"goal": "sales"}},
    )
    assert "ROI: 200% (revenue minus spend, divided by spend), before the cost of what" in plain


async def test_a_check_in_answered_in_words_says_the_loss(bot: BotHarness) -> None:
    brief = "/advise goal=sales budget=800 niche=cooking order_value=12 margin=60"
    [card] = await bot.say(brief)
    await bot.press(card, "💾 Save as campaign")
    [ask_start] = await bot.say("Bread test")
    [ask_length] = await bot.press(ask_start, "Tomorrow")
    [schedule] = await bot.press(ask_length, ask_length.button_texts()[0])
    await bot.press(schedule, "✅ Accept")
    bot.clock.advance(days=1, hours=12)
    await wait_sent(bot, 1)
    spent = re.search(r"€(\d+) of €800", card.text)
    assert spent is not None
    over = int(spent[1]) * 2  # twice the plan's spend
    [thanks] = await bot.say(f"12 sales, spent {over}")
    assert f"💶 Spent: €{over}, 100% over the plan's €{spent[1]}." in thanks.text
    assert "💶 After the spend: a loss of" in thanks.text
    assert thanks.text.count("\n") < 14, thanks.text


def test_sales_counted_without_revenue_earn_the_margin_less_the_code_as_the_plan_counted() -> None:
    """The plan's break-even counted a sale at its margin less the promo code's discount (a
    €12 basket at 60 %, 10 % off: €6); the results count the sales the same way, so that the
    break-even's sales make no profit and no loss."""
    notice = {"code": "break_even", "params": {"needed": 17, "discount_pct": 10}}
    plan = PLAN | {"notices": [notice]}
    got = compare(plan, "sales", {"conversions": 12, "spent_cents": 16000})
    assert got.revenue_estimated and got.discount_pct == 10
    assert got.profit_cents == 12 * 600 - 16000
    even = compare(plan, "sales", {"conversions": 20, "spent_cents": 12000})
    assert even.profit_cents == 0
    reported = compare(
        plan, "sales", {"conversions": 12, "spent_cents": 16000, "revenue_cents": 14400}
    )
    assert reported.discount_pct == 0 and reported.profit_cents == round(14400 * 0.6) - 16000
    text = _said("en", {"conversions": 12, "spent_cents": 16000}, plan)
    assert (
        "a loss of €88 (your 60% margin less the promo code's 10% off, on about €144 of sales "
        "(12 × your basket), minus €160 spent)" in text
    )
    assert "de remise du code promo, sur environ 144" in _said(
        "fr", {"conversions": 12, "spent_cents": 16000}, plan
    )

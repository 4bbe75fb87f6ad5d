"""The budget parser and the other number readers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.reading.parsing import (
    BudgetError,
    BudgetProblem,
    parse_budget,
    parse_count,
    parse_percent,
    parse_price,
)
from knowledge.writing import i18n

GOOD = [
    ("800", 80_000),
    ("1,500", 150_000),
    ("1 500 €", 150_000),
    ("1\u00a0500\u00a0€", 150_000),
    ("1\u202f500 €", 150_000),
    ("€2k", 200_000),
    ("2.5k", 250_000),
    ("2,5k", 250_000),
    ("2.5 K", 250_000),
    ("EUR 900", 90_000),
    ("900 eur", 90_000),
    ("900eur", 90_000),
    ("900 euros", 90_000),
    ("€ 1,234.56", 123_456),
    ("1.234,56 €", 123_456),
    ("1.500", 150_000),
    ("12,50", 1_250),
    ("0.99", 99),
    ("1m", 100_000_000),
    ("1.2 million", 120_000_000),
    ("3 thousand", 300_000),
    ("+700", 70_000),
    ("  650  ", 65_000),
    ("1'000", 100_000),
    ("1 000 000 000", 100_000_000_000),
    ("about 800", 80_000),
    ("around €2k", 200_000),
    ("max 1500€", 150_000),
    ("up to 1,500 euros.", 150_000),
    ("~ 900", 90_000),
]
BAD = [
    ("0", BudgetProblem.NOT_POSITIVE),
    ("0.00", BudgetProblem.NOT_POSITIVE),
    ("-500", BudgetProblem.NOT_POSITIVE),
    ("€-500", BudgetProblem.NOT_POSITIVE),
    ("−200", BudgetProblem.NOT_POSITIVE),
    ("1000000001", BudgetProblem.TOO_LARGE),
    ("2bn", BudgetProblem.TOO_LARGE),
    ("", BudgetProblem.UNREADABLE),
    ("lots", BudgetProblem.UNREADABLE),
    ("about 800 or more", BudgetProblem.UNREADABLE),
    ("3k a month", BudgetProblem.UNREADABLE),
    ("800 or 900", BudgetProblem.UNREADABLE),
    ("1,2,3", BudgetProblem.UNREADABLE),
    ("2 3", BudgetProblem.UNREADABLE),
    ("1e9", BudgetProblem.UNREADABLE),
    ("2kg", BudgetProblem.UNREADABLE),
    ("9" * 5000, BudgetProblem.UNREADABLE),
    ("$3,000", BudgetProblem.WRONG_CURRENCY),
    ("3000$", BudgetProblem.WRONG_CURRENCY),
    ("CAD 900", BudgetProblem.WRONG_CURRENCY),
    ("£50", BudgetProblem.WRONG_CURRENCY),
    ("500 usd", BudgetProblem.WRONG_CURRENCY),
    ("12 XYZ", BudgetProblem.UNKNOWN_CURRENCY),
    ("€500 $", BudgetProblem.UNREADABLE),
]


@pytest.mark.parametrize(("text", "cents"), GOOD)
def test_budgets_people_type(text: str, cents: int) -> None:
    budget = parse_budget(text, "EUR")
    assert (budget.cents, budget.currency) == (cents, "EUR")


@pytest.mark.parametrize(("text", "problem"), BAD)
def test_bad_budgets_name_the_problem(text: str, problem: BudgetProblem) -> None:
    with pytest.raises(BudgetError) as caught:
        parse_budget(text, "EUR")
    assert caught.value.problem is problem


def test_wrong_currency_names_it() -> None:
    with pytest.raises(BudgetError) as caught:
        parse_budget("CAD 900", "EUR")
    assert caught.value.currency == "CAD"


def test_the_deployment_currency_is_accepted_whatever_it_is() -> None:
    assert parse_budget("CAD 900", "CAD").cents == 90_000
    assert parse_budget("$3,000", "USD").cents == 300_000


@given(st.integers(min_value=1, max_value=10**9))
def test_whole_amounts_round_trip_through_their_display(amount: int) -> None:
    shown = i18n.money(amount * 100, "EUR")
    assert parse_budget(shown, "EUR").cents == amount * 100


@given(st.text(max_size=80))
def test_any_text_gives_a_budget_or_a_budget_error(text: str) -> None:
    try:
        budget = parse_budget(text, "EUR")
    except BudgetError:
        return
    assert 0 < budget.cents <= 10**11


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("24000", 24_000),
        ("24,000", 24_000),
        ("24 000", 24_000),
        ("24k", 24_000),
        ("1.2M", 1_200_000),
        ("950", 950),
    ],
)
def test_follower_counts(text: str, count: int) -> None:
    assert parse_count(text) == count


@pytest.mark.parametrize("text", ["", "abc", "1.5", "-3", "12 people"])
def test_bad_follower_counts(text: str) -> None:
    with pytest.raises(ValueError):
        parse_count(text)


def test_percent_and_price() -> None:
    assert parse_percent("3.2%") == 3.2
    assert parse_percent("3,2") == 3.2
    assert parse_price("349.99", "EUR") == 34_999
    assert parse_price("1,200", "EUR") == 120_000
    with pytest.raises(ValueError):
        parse_percent("high")


@pytest.mark.parametrize(
    ("text", "cents"),
    [("0", 0), ("€350", 35_000), ("350 €", 35_000), ("350 EUR", 35_000), ("eur 1.2k", 120_000)],
)
def test_price_in_the_deployment_currency(text: str, cents: int) -> None:
    assert parse_price(text, "EUR") == cents


def test_price_in_another_currency_or_unreadable() -> None:
    with pytest.raises(BudgetError) as caught:
        parse_price("$350", "EUR")
    assert caught.value.problem is BudgetProblem.WRONG_CURRENCY and caught.value.currency == "USD"
    assert parse_price("$350", "USD") == 35_000
    for bad in ("-€5", "€", "350 apples", "3 5 0 €"):
        with pytest.raises(ValueError):
            parse_price(bad, "EUR")

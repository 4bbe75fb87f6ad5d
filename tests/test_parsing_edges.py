"""Edges of reading amounts that mutation testing found unpinned: error messages that name
what was typed, typographic apostrophes, mixed decimal marks, ids, and the longest text read."""

from __future__ import annotations

import pytest

from knowledge.reading.parsing import (
    BudgetError,
    BudgetProblem,
    TooLarge,
    amounts_in,
    is_skip,
    parse_budget,
    parse_count,
    parse_id,
    parse_percent,
    parse_price,
)


def test_an_id_is_digits_alone_around_spaces() -> None:
    assert parse_id(" 12345 ") == 12345
    assert parse_id("12a") is None
    assert parse_id("1" * 18) == int("1" * 18)
    assert parse_id("1" * 19) is None


def test_errors_name_what_was_typed() -> None:
    with pytest.raises(ValueError, match=r"^not a price: 'abc'$"):
        parse_price("abc", "EUR")
    with pytest.raises(ValueError, match=r"^not a price of zero or more: '-5 €'$"):
        parse_price("-5 €", "EUR")
    with pytest.raises(ValueError, match=r"^not a number: 'lots'$"):
        parse_count("lots")
    with pytest.raises(ValueError, match=r"^not a whole number: '2.5'$"):
        parse_count("2.5")
    with pytest.raises(ValueError, match=r"^not a percentage: 'x%'$"):
        parse_percent("x%")
    with pytest.raises(TooLarge, match=r"^more than 1,000$") as raised:
        parse_count("5000", limit=1_000)
    assert raised.value.limit == 1_000


def test_a_price_in_another_currency_is_refused_with_its_code() -> None:
    with pytest.raises(BudgetError) as raised:
        parse_price("$350", "EUR")
    assert raised.value.problem is BudgetProblem.WRONG_CURRENCY
    assert parse_price("0", "EUR") == 0
    assert parse_price("349.99", "EUR") == 34_999
    assert parse_price("1.2k", "eur") == 120_000


def test_typographic_apostrophes_are_read_like_plain_ones() -> None:
    assert parse_budget("1’500", "EUR").cents == 150_000  # Swiss grouping
    assert is_skip("Don’t know") and is_skip("don't  know") and not is_skip("know")


def test_with_both_marks_the_last_is_the_decimal_one() -> None:
    assert parse_count("1,234,567") == 1_234_567
    assert parse_budget("1.500,50", "EUR").cents == 150_050
    assert parse_budget("1,500.50", "EUR").cents == 150_050
    assert parse_price("2.5", "EUR") == 250


def test_a_three_letter_word_beside_an_amount_is_an_unknown_currency() -> None:
    for text in ("500 xyz", "500 XYZ"):
        with pytest.raises(BudgetError) as raised:
            parse_budget(text, "EUR")
        assert raised.value.problem is BudgetProblem.UNKNOWN_CURRENCY
        assert raised.value.currency == "XYZ" and str(raised.value) == "unknown_currency"
    with pytest.raises(BudgetError) as other:
        parse_budget("500 usd", "EUR")
    assert other.value.problem is BudgetProblem.WRONG_CURRENCY and other.value.currency == "USD"


def test_a_budget_text_of_sixty_characters_is_read_and_longer_is_not() -> None:
    sixty = "environ " * 7 + "€500"
    assert len(sixty) == 60
    assert parse_budget(sixty, "EUR").cents == 50_000
    with pytest.raises(BudgetError) as raised:
        parse_budget(" " + sixty + "0", "EUR")  # 61 characters once trimmed
    assert raised.value.problem is BudgetProblem.UNREADABLE


def test_amounts_in_a_sentence_keep_their_own_currency() -> None:
    found = amounts_in("budget 500 euros for 20 candles")
    assert [(a.text, a.currency) for a in found] == [("500 euros", "EUR"), ("20", "")]
    assert [a.start for a in found] == [7, 21]
    assert [(a.text, a.currency) for a in amounts_in("try 2 CAD 900")] == [
        ("2 CAD", "CAD"),
        ("CAD 900", "CAD"),
    ]
    assert parse_percent("3,2 %") == parse_percent("3.2%") == 3.2

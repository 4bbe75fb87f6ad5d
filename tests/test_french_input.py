"""French input, read as a French speaker types it, whatever the interface language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_currency, format_decimal
from hypothesis import given
from hypothesis import strategies as st

from knowledge.parsing import (
    MAX_CENTS,
    BudgetError,
    BudgetProblem,
    is_skip,
    parse_budget,
    parse_count,
    parse_price,
)

# Not fr_CH: Babel groups its large numbers oddly there (`1000000'000`).
FRENCH_LOCALES = ("fr_FR", "fr_BE", "fr_CA")


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("2 000 €", 200_000),
        ("2 000€", 200_000),
        ("2\u202f000\u00a0€", 200_000),  # Babel's and French phones' spaces
        ("2\u00a0000 €", 200_000),
        ("2k€", 200_000),
        ("2 k€", 200_000),
        ("environ 2000 euros", 200_000),
        ("env. 2000 €", 200_000),
        ("1,5k", 150_000),
        ("1 500,50 €", 150_050),
        ("1\u202f500,50\u00a0€", 150_050),
        ("max 1500 euros", 150_000),
        ("autour de 3000€", 300_000),
        ("aux alentours de 3 000 €", 300_000),
        ("à peu près 800 €", 80_000),
        ("a peu pres 800", 80_000),
        ("jusqu'à 2000€", 200_000),
        ("jusqu’à 2 000 €", 200_000),
        ("pas plus de 900 euros", 90_000),
        ("2000 € maximum", 200_000),
        ("2,5", 250),  # a decimal comma: two euros fifty
        ("1,500", 150_000),  # three digits after a lone comma stay thousands
        ("1 234,567", 123_457),  # unless the thousands are grouped by spaces already
    ],
)
def test_french_budgets(text: str, cents: int) -> None:
    assert parse_budget(text, "EUR").cents == cents


@pytest.mark.parametrize(
    "text",
    ["3k par mois", "2000 balles", "1,5,3", "autour de"],
)
def test_french_budgets_not_read(text: str) -> None:
    with pytest.raises(BudgetError) as caught:
        parse_budget(text, "EUR")
    assert caught.value.problem is BudgetProblem.UNREADABLE


@given(st.integers(min_value=1, max_value=MAX_CENTS), st.sampled_from(FRENCH_LOCALES))
def test_any_amount_babel_writes_in_french_reads_back(cents: int, locale: str) -> None:
    written = format_currency(Decimal(cents) / 100, "EUR", locale=locale)
    assert parse_budget(written, "EUR").cents == cents
    assert parse_price(written, "EUR") == cents


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(FRENCH_LOCALES))
def test_any_count_babel_writes_in_french_reads_back(count: int, locale: str) -> None:
    assert parse_count(format_decimal(count, locale=locale)) == count


@pytest.mark.parametrize(
    "text", ["passer", "Passer", "aucun", "aucune", "je ne sais pas", "Sais pas", "peu importe"]
)
def test_french_skip_words(text: str) -> None:
    assert is_skip(text)


@pytest.mark.parametrize("text", ["France", "passe", "je sais"])
def test_answers_that_are_not_skips(text: str) -> None:
    assert not is_skip(text)

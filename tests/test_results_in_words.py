"""Results typed in words at a check-in, in English and in French: the word beside a figure
names it; a figure no word names is asked about."""

from __future__ import annotations

import pytest

from knowledge.reading.results import (
    ResultsInvalid,
    is_results_line,
    is_worded_results,
    parse_results,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            "sales 12, revenue 150, spent 1160",
            {"conversions": 12, "revenue_cents": 15_000, "spent_cents": 116_000},
        ),
        ("sold 3 boxes so far, spent 680", {"conversions": 3, "spent_cents": 68_000}),
        ("about 9 thousand people reached", {"reach": 9_000}),
        ("environ 15 000 vues", {"reach": 15_000}),
        ("12 ventes pour 1 160 €", {"conversions": 12, "spent_cents": 116_000}),
        ("spent €1,160 for 12 sales", {"spent_cents": 116_000, "conversions": 12}),
        ("12 sales 40 clicks", {"conversions": 12, "clicks": 40}),
        ("5 mille vues, 300 likes", {"reach": 5_000, "engagements": 300}),
        ("Ventes : 40, dépensé : 800 €", {"conversions": 40, "spent_cents": 80_000}),
    ],
)
def test_results_in_words_are_read(typed: str, expected: dict[str, int]) -> None:
    assert is_results_line(typed)
    assert parse_results(typed, "EUR") == expected


@pytest.mark.parametrize(
    "typed",
    ["I want sales, budget 800", "hello 12", "sales with 800 euros for my bakery", "lovely day"],
)
def test_a_sentence_that_is_not_results_is_not_taken_for_them(typed: str) -> None:
    assert not is_worded_results(typed) and not is_results_line(typed)


def test_a_figure_no_word_names_is_asked_about() -> None:
    with pytest.raises(ResultsInvalid) as caught:
        parse_results("sales 12 and 3 apples", "EUR")
    assert caught.value.problems == [
        "I couldn't tell what “3” counts. Type results like: 1,200 people reached, 3 sales"
    ]
    with pytest.raises(ResultsInvalid) as money:
        parse_results("sales 12, spent $700", "EUR")
    assert "USD" in money.value.problems[0] and "spent" in money.value.problems[0]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # money beside a sales word is what the sales brought in
        ("spent 250€, got back 180€ in sales", {"spent_cents": 25_000, "revenue_cents": 18_000}),
        ("4 sales = 310€", {"conversions": 4, "revenue_cents": 31_000}),
        # money after `for` is the spend, unless the spend is named elsewhere
        (
            "14 ventes pour 1 120,50 €, l'influenceuse nous a coûté 500 €",
            {"conversions": 14, "revenue_cents": 112_050, "spent_cents": 50_000},
        ),
        # likes, comments and shares add up
        ("300 likes and 40 comments, 25 clicks", {"engagements": 340, "clicks": 25}),
        # people, then what they did
        ("5 people bought, 22 people clicked", {"conversions": 5, "clicks": 22}),
        ("41 personnes ont cliqué, 3 ont commandé", {"clicks": 41, "conversions": 3}),
        # a greeting, hedges and pronouns before the figures
        (
            "Hi, results of the campaign: the video reached 45 000 people. We paid €600.",
            {"reach": 45_000, "spent_cents": 60_000},
        ),
        ("cost me 600, like 90 euros total", {"spent_cents": 60_000, "revenue_cents": 9_000}),
        ("ça a touché environ 6000 personnes", {"reach": 6_000}),
        ("views 1.8k, sales zero", {"reach": 1_800, "conversions": 0}),
        ("890€ de chiffre et on a payé 300€", {"revenue_cents": 89_000, "spent_cents": 30_000}),
    ],
)
def test_results_as_people_write_them(typed: str, expected: dict[str, int]) -> None:
    assert is_results_line(typed)
    assert parse_results(typed, "EUR") == expected


@pytest.mark.parametrize(
    "typed",
    [
        "we run a small restaurant in Lyon, 1500 euros to spend, we want more visibility",
        "I have a bakery, 800 euros for 3 creators",
        "sales with 800 euros for my bakery",
    ],
)
def test_a_brief_with_money_in_it_is_not_taken_for_results(typed: str) -> None:
    assert not is_results_line(typed)

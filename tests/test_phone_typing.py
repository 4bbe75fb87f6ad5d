"""Briefs typed as people type on a phone, in French and English: `500e`, `+ de clients`,
`resto`, `je vends du pain` (bakery in French only), a niche word mistyped."""

from __future__ import annotations

import pytest

from knowledge.base import default_knowledge
from knowledge.reading.brief_form import BUDGET, COUNTRY, GOAL, NICHE, read_sentence, take
from knowledge.reading.matching import goal_in_sentence, match_goal
from knowledge.reading.money_words import spelled_out
from knowledge.reading.parsing import BudgetError, BudgetProblem, amounts_in, parse_budget
from knowledge.reading.tongue import is_french

KB = default_knowledge()


def _read(text: str, language: str | None = None) -> dict[str, object]:
    return read_sentence(
        text, kb=KB, currency="EUR", roster_niches=(), user_language=language
    ).answers


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("500e", 50_000),
        ("500 E", 50_000),
        ("1,5k€", 150_000),
        ("1.5k e", 150_000),
        ("500 eur", 50_000),
        ("500 balles", 50_000),
        ("mille euros", 100_000),
        ("deux mille euros", 200_000),
        ("a thousand euros", 100_000),
        ("2 mille €", 200_000),
    ],
)
def test_phone_budgets(text: str, cents: int) -> None:
    assert parse_budget(text, "EUR").cents == cents


def test_slang_money_is_the_deployment_s_own_and_e_is_euros_only() -> None:
    assert parse_budget("500 balles", "CHF").currency == "CHF"
    with pytest.raises(BudgetError) as caught:
        parse_budget("500e", "USD")
    assert caught.value.problem is BudgetProblem.WRONG_CURRENCY
    with pytest.raises(BudgetError):
        parse_budget("e500", "EUR")  # `e` is euros only after an amount


def test_an_ordinal_is_not_euros() -> None:
    [district, budget] = amounts_in("dans le 5e arrondissement, 800e")
    assert district.currency == "" and budget.currency == "EUR"


def test_thousands_in_words_keep_their_places() -> None:
    assert spelled_out("budget mille euros") == "budget 1000  euros"
    assert spelled_out("un mille-feuille") == "un mille-feuille"


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("je veux + de clients", "sales"),
        ("+ de visibilite stp", "awareness"),
        ("vendre +", "sales"),
        ("we want more customers", "sales"),
    ],
)
def test_plus_as_typed_on_a_phone(text: str, goal: str) -> None:
    assert goal_in_sentence(text) == goal


def test_a_phone_number_s_plus_is_no_goal() -> None:
    assert match_goal("+33 6 12 34 56 78").value is None


def test_the_reported_brief_reads_all_four() -> None:
    assert _read("bjr, j'ai un resto a lyon, je veux + de clients, 1000e") == {
        GOAL: "sales",
        BUDGET: 100_000,
        NICHE: "restaurant",
        COUNTRY: "FR",
        "town": "Lyon",
    }


@pytest.mark.parametrize(
    ("text", "language", "french"),
    [
        ("je vends du pain", None, True),
        ("je vends du pain", "en", True),
        ("pain", "fr", True),
        ("pain", "en", False),
        ("pain relief cream", "fr", False),
        ("I sell pain relief cream", "fr", False),
    ],
)
def test_a_sentence_s_language(text: str, language: str | None, french: bool) -> None:
    assert is_french(text, language) is french


def test_pain_is_bread_in_french_only() -> None:
    assert _read("je vends du pain") == {NICHE: "bakery"}
    assert _read("pain", "fr") == {NICHE: "bakery"}
    assert NICHE not in _read("pain relief cream", "fr")
    assert NICHE not in _read("I sell pain relief products, budget 500€", "en")


@pytest.mark.parametrize(
    ("text", "language", "niche"),
    [("je vends du pain", None, "bakery"), ("pain", "fr", "bakery"), ("pain", "en", None)],
)
def test_pain_at_the_niche_question(text: str, language: str | None, niche: str | None) -> None:
    answers: dict[str, object] = {}
    take(NICHE, answers, text, kb=KB, currency="EUR", roster_niches=(), user_language=language)
    assert answers.get(NICHE) == niche


@pytest.mark.parametrize(
    ("text", "niche"),
    [
        ("ma boulangeri a besoin de clients", "bakery"),
        ("salon de the a nantes", "tea"),
        ("my restaurnat in Lyon", "restaurant"),
    ],
)
def test_a_long_niche_word_mistyped_or_without_accents(text: str, niche: str) -> None:
    assert _read(text).get(NICHE) == niche


def test_a_short_word_is_never_taken_as_a_typo() -> None:
    assert NICHE not in _read("I paint walls")

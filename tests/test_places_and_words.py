"""Unit tests of the readers behind issue 22: places in a sentence, niche words in French
sentences, questions the bot can't answer, and mistyped commands."""

from __future__ import annotations

import pytest

from knowledge.advice.brief import Brief
from knowledge.advice.scope import niches_to_fetch
from knowledge.base import Goal, default_knowledge
from knowledge.reading.commands import close_commands, command_meant
from knowledge.reading.matching import goal_in_sentence, niche_words_vocabulary
from knowledge.reading.places import country_named_in, place_code
from knowledge.reading.questions import is_question

KB = default_knowledge()
COMMANDS = {
    "advise": "advise",
    "conseil": "advise",
    "remind": "remind",
    "reminders": "reminders",
    "rappel": "remind",
    "help": "help",
    "aide": "help",
}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a restaurant in Lyon", "FR"),
        ("florist in Nice", "FR"),
        ("bijouterie à Nice", "FR"),
        ("Lyon bakery", "FR"),
        ("clients en Belgique", "BE"),
        ("customers in the UK", "GB"),
        ("aux États-Unis", "US"),
        ("based in Geneva", "CH"),
        ("à la Rochelle", "FR"),
        ("a nice shop", None),  # the article, and an everyday word
        ("a bakery in it", None),  # a code is a country only as `the US`
        ("I sell turkey sandwiches and chili", None),  # a country's name only after `in`…
        ("budget de 500 €", None),
        ("shops in Paris and in Berlin", None),  # two countries: none
        ("prêt-à-porter", None),
    ],
)
def test_the_country_a_sentence_places_the_business_in(text: str, code: str | None) -> None:
    assert country_named_in(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("France", "FR"), ("fr", "FR"), ("Montréal", "CA"), ("in Berlin", "DE"), ("Atlantis", None)],
)
def test_a_place_typed_as_an_answer(text: str, code: str | None) -> None:
    assert place_code(text) == code


@pytest.mark.parametrize(
    ("text", "niches"),
    [
        ("je fais du pain au levain", ["bakery"]),
        ("cosmétiques naturels", ["natural-cosmetic"]),
        ("cosmetiques naturels", ["natural-cosmetic"]),  # accents optional
        ("salon de thé", ["tea"]),  # read with its accent
        ("the best shop", []),  # not without it
        ("we look for influencers with our budget", []),  # everyday words of a brief
        ("un fleuriste et une librairie", ["flower", "books"]),
    ],
)
def test_french_niche_words_are_read_in_a_sentence(text: str, niches: list[str]) -> None:
    assert niche_words_vocabulary(KB, ()).all_named_in(text) == niches


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("we sell organic tea and want to grow our community", "community"),
        ("I want more sales", "sales"),
        ("on lance une nouvelle gamme", "launch"),
        ("we sell candles", "sales"),
        ("we sell candles and want awareness and sales", None),  # two goals wished for
    ],
)
def test_the_goal_wished_for(text: str, goal: str | None) -> None:
    assert goal_in_sentence(text) == goal


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("what's the weather tomorrow?", True),
        ("do you know a good accountant", True),
        ("c'est quoi le meilleur hashtag", True),
        ("dois-je payer", True),
        ("lovely weather today", False),
        ("sales 12", False),
        ("I have a bakery", False),
    ],
)
def test_a_question_is_told_apart(text: str, asked: bool) -> None:
    assert is_question(text) is asked


def test_a_mistyped_command_is_taken_only_when_it_plainly_means_one() -> None:
    assert command_meant("advice", COMMANDS) == "advise"
    assert command_meant("ADIVSE", COMMANDS) == "advise"
    assert command_meant("consiel", COMMANDS) == "conseil"
    assert command_meant("hlep", COMMANDS) == "help"
    assert command_meant("reminder", COMMANDS) is None  # /remind or /reminders
    assert close_commands("reminder", COMMANDS)[0] == "reminders"
    assert command_meant("xyzzy", COMMANDS) is None
    assert command_meant("help", COMMANDS) is None  # not mistyped


def test_a_local_business_widens_to_the_niches_of_its_trade() -> None:
    """A restaurant widens to food creators (not travel), natural cosmetics to beauty (not
    DIY): issue 22's complaints."""

    def widened(niche: str) -> tuple[str, ...]:
        brief = Brief(goal=Goal.AWARENESS, budget_cents=150_000, currency="EUR", niche=niche)
        return niches_to_fetch(brief, KB)

    assert "travel" not in widened("restaurant") and "cooking" in widened("restaurant")
    assert "diy" not in widened("natural-cosmetic") and "beauty" in widened("natural-cosmetic")

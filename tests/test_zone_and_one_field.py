"""Unit tests of the pure readers behind the zone question and the one-field brief: the
time zone a Telegram language suggests, and when a plain message starts a brief."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from knowledge.base import default_knowledge
from knowledge.reading import brief_form as form
from knowledge.reading.places import COUNTRY_ZONES, zone_guess

KB = default_knowledge()
ROSTER = ("cooking", "travel", "bakery")


@pytest.mark.parametrize(
    ("language", "zone"),
    [
        ("fr", "Europe/Paris"),
        ("fr-FR", "Europe/Paris"),
        ("fr-BE", "Europe/Brussels"),
        ("fr_CH", "Europe/Zurich"),
        ("en-GB", "Europe/London"),
        ("de", "Europe/Berlin"),
        ("de-AT", "Europe/Vienna"),
        ("es", "Europe/Madrid"),
        ("en", None),
        ("en-US", None),
        ("fr-CA", None),
        ("ja", None),
        (None, None),
        ("", None),
    ],
)
def test_the_zone_a_telegram_language_suggests(language: str | None, zone: str | None) -> None:
    assert zone_guess(language) == zone


def test_every_suggested_zone_exists() -> None:
    for zone in COUNTRY_ZONES.values():
        assert ZoneInfo(zone).key == zone


def starts(text: str, *, checkin_waiting: bool = False) -> bool:
    read = form.read_sentence(text, kb=KB, currency="EUR", roster_niches=ROSTER)
    return form.starts_brief(read, text, "EUR", checkin_waiting=checkin_waiting)


@pytest.mark.parametrize(
    "text",
    ["I have a bakery", "budget 500", "I want more sales", "j'ai une boulangerie", "budget 500 €"],
)
def test_one_field_starts_a_brief_unless_a_check_in_waits(text: str) -> None:
    assert starts(text)
    assert not starts(text, checkin_waiting=True)


@pytest.mark.parametrize(
    "text",
    [
        "hello",
        "thanks",
        "ok",
        "merci",
        "bonjour",
        "800",
        "800 euros",
        "which niche suits a bakery?",
    ],
)
def test_small_talk_a_bare_figure_and_a_question_start_no_brief(text: str) -> None:
    assert not starts(text)


def test_two_fields_start_a_brief_even_while_a_check_in_waits() -> None:
    assert starts("I own a bakery and have 800 euros", checkin_waiting=True)
    assert starts("which niche for my bakery, budget 800 euros?")


@pytest.mark.parametrize(
    ("words", "margin"),
    [
        ("order_value=€40 margin=€15", 37.5),
        ("margin=€15 order_value=€40", 37.5),  # the basket is read first, wherever it is
        ("order_value=40 margin=15 euros", 37.5),
        ("order_value=40 margin=15", 15.0),  # a bare number is a %
        ("order_value=40 margin=40%", 40.0),
    ],
)
def test_a_margin_in_money_is_its_share_of_the_basket(words: str, margin: float) -> None:
    answers: dict[str, object] = {}
    pairs, _ = form.one_line(words)
    for field, value in pairs:
        problem = form.take(field, answers, value, kb=KB, currency="EUR", roster_niches=())
        assert problem is None
    assert answers[form.MARGIN] == pytest.approx(margin)


@pytest.mark.parametrize("words", ["margin=€15", "order_value=€10 margin=€15", "margin=abc"])
def test_a_margin_that_cannot_be_a_share_of_the_basket_is_refused(words: str) -> None:
    answers: dict[str, object] = {}
    pairs, _ = form.one_line(words)
    problems = [
        form.take(field, answers, value, kb=KB, currency="EUR", roster_niches=())
        for field, value in pairs
    ]
    assert problems[-1] == {"text": pairs[-1][1]}
    assert form.MARGIN not in answers


@pytest.mark.parametrize(
    ("answer", "country", "town"),
    [("Berlin", "DE", "Berlin"), ("in Lyon", "FR", "Lyon"), ("Germany", "DE", None)],
)
def test_a_town_given_for_the_customers_is_kept_with_its_country(
    answer: str, country: str, town: str | None
) -> None:
    answers: dict[str, object] = {form.TOWN: "Nantes"}  # an earlier answer: replaced
    assert form.take(form.COUNTRY, answers, answer, kb=KB, currency="EUR", roster_niches=()) is None
    assert answers[form.COUNTRY] == country and answers.get(form.TOWN) == town


def test_a_town_in_a_sentence_is_kept_with_its_country_and_reaches_the_brief() -> None:
    read = form.read_sentence(
        "je tiens une boulangerie à Bordeaux, budget 2000 euros, plus de ventes",
        kb=KB,
        currency="EUR",
        roster_niches=("cooking",),
    )
    assert read.answers[form.COUNTRY] == "FR" and read.answers[form.TOWN] == "Bordeaux"
    brief = form.to_brief({**read.answers, form.NICHE: "cooking"}, "EUR")
    assert (brief.country, brief.town) == ("FR", "Bordeaux")
    assert (
        form.answers_of({"goal": "sales", "budget_cents": 1, "niche": "x", "town": "Bordeaux"})[
            form.TOWN
        ]
        == "Bordeaux"
    )


@pytest.mark.parametrize(
    ("text", "user_language", "language"),
    [
        ("Belgium", "fr", "fr"),
        ("Belgique", "nl", "nl"),
        ("Belgium", "en", None),  # none of Belgium's: any
        ("Canada", "fr", "fr"),
        ("France", "fr", None),  # one language: the country says it
    ],
)
def test_in_a_country_of_several_languages_the_audience_speaks_the_owners(
    text: str, user_language: str, language: str | None
) -> None:
    answers: dict[str, object] = {}
    form.take(
        form.COUNTRY,
        answers,
        text,
        kb=KB,
        currency="EUR",
        roster_niches=(),
        user_language=user_language,
    )
    assert answers.get(form.LANGUAGE) == language
    given = {form.LANGUAGE: "de"}  # a language given stays
    form.take(
        form.COUNTRY,
        given,
        text,
        kb=KB,
        currency="EUR",
        roster_niches=(),
        user_language=user_language,
    )
    assert given[form.LANGUAGE] == "de"


def test_a_french_sentence_from_brussels_is_read_as_a_french_speaking_audience() -> None:
    read = form.read_sentence(
        "je tiens une boutique de fleurs à Bruxelles, budget 1500 euros",
        kb=KB,
        currency="EUR",
        roster_niches=(),
    )
    assert read.answers[form.COUNTRY] == "BE" and read.answers[form.LANGUAGE] == "fr"

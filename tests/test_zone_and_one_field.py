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

"""Errors in plain words: each says what could not be read and shows what to type."""

from __future__ import annotations

import re

import pytest

from bot.sandbox.emulator import html_to_text
from knowledge.base import KnowledgeBase
from knowledge.reading.results import ResultsInvalid, parse_results
from knowledge.reading.roster_query import read_roster_query
from knowledge.writing.render import render
from knowledge.writing.replies import Template, WhenAsked, ZoneReply
from storage.roster_rows import FieldContext, RowInvalid, parse_field

EXAMPLE = re.compile(r"\blike\b|For example|Try |Type ")
JARGON = ("name=value", "IANA", "field=value")


def plain(text: str) -> bool:
    return bool(EXAMPLE.search(text)) and not any(word in text for word in JARGON)


@pytest.mark.parametrize(
    "line", ["lots", "reach=12k colour=blue", "sales=many", "spent=$700", "reach=-5", ""]
)
def test_results_that_cannot_be_read(line: str) -> None:
    with pytest.raises(ResultsInvalid) as caught:
        parse_results(line, "EUR")
    assert caught.value.problems
    assert all(plain(problem) for problem in caught.value.problems), caught.value.problems


def test_words_beside_results_are_quoted_once() -> None:
    with pytest.raises(ResultsInvalid) as caught:
        parse_results("reach=12k and some sales", "EUR")
    assert caught.value.problems == [
        "I couldn't read “and some sales”. Type results like: 1,200 people reached, 3 sales"
    ]


def test_roster_filters_that_cannot_be_read(kb: KnowledgeBase) -> None:
    read = read_roster_query("niche:zzz platform:snap tier:giant min:abc max:x", kb, [])
    assert len(read.problems) == 5
    assert all(plain(problem) for problem in read.problems), read.problems


@pytest.mark.parametrize(
    ("field", "value", "platform"),
    [
        ("handle", "not valid!", "instagram"),
        ("handle", "two words", None),
        ("niche", " ; ", None),
        ("followers", "lots", None),
        ("followers", "0", None),
        ("engagement_rate", "150", None),
        ("price_per_post", "cheap", None),
        ("posts_per_week", "often", None),
        ("audience_quality", "good", None),
    ],
)
def test_roster_fields_that_cannot_be_read(
    kb: KnowledgeBase, field: str, value: str, platform: str | None
) -> None:
    with pytest.raises(RowInvalid) as caught:
        parse_field(field, value, FieldContext(kb, "EUR", platform))
    assert plain(str(caught.value.problems[0])), caught.value.problems


@pytest.mark.parametrize(
    ("template", "values"),
    [
        (Template.UNKNOWN_FIELD, {"key": "colour"}),
        *(
            (
                Template.BUDGET_ERROR,
                {"problem": p, "text": "x", "currency": "USD", "expected": "EUR", "field": f},
            )
            for p in ("unreadable", "not_positive", "too_large", "wrong_currency", "unknown")
            for f in ("budget", "order_value")
        ),
        (Template.TIMEZONE_RESULT, {"kind": ZoneReply.UNKNOWN, "text": "Atlantis"}),
        *(
            (Template.WHEN_PROBLEM, {"problem": p, "detail": "2026-02-31", "what": w, "keep": 1})
            for p in ("unreadable", "no_such_date", "past", "too_far")
            for w in WhenAsked
        ),
        (Template.ROSTER_PROBLEM, {"problems": ["tier “giant” is not a tier"]}),
        (Template.FIELD_PROBLEMS, {"problems": ["colour: not a field I know"], "keep": ""}),
        (Template.ASK_GOAL, {"retry": True}),
        (Template.ASK_NICHE, {"text": "zzz", "suggestions": []}),
        (Template.ASK_PLATFORM, {"text": "snap"}),
        (Template.FALLBACK_TEXT, {}),
    ],
)
def test_error_replies_show_an_example(template: Template, values: dict[str, object]) -> None:
    text = html_to_text(render(template, **values))
    assert plain(text), text

"""The share of real phrasings understood (issue 22): briefs, answers, results, questions and
mistyped commands (`phrasings.toml`), and niches (`niche_phrasings.toml`), in English and
French. Each group, and all of them, must be understood at 95 % or more; the misses are
printed."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from handlers.menu import USER_COMMANDS, names
from knowledge.base import default_knowledge
from knowledge.reading import brief_form as form
from knowledge.reading.commands import command_meant
from knowledge.reading.questions import is_question, match_question
from knowledge.reading.results import parse_result_value, parse_results

KB = default_knowledge()
HERE = Path(__file__).parent
TARGET = 0.95
BRIEF_FIELDS = (form.GOAL, form.BUDGET, form.NICHE, form.PLATFORM, form.COUNTRY)
RESULT_FIELDS = ("reach", "engagements", "clicks", "conversions", "revenue_cents", "spent_cents")
KNOWN_COMMANDS = {name: command for command, _about in USER_COMMANDS for name in names(command)}


@cache
def corpus() -> dict[str, list[dict[str, Any]]]:
    with (HERE / "phrasings.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def niche_corpus() -> dict[str, list[list[str]]]:
    with (HERE / "niche_phrasings.toml").open("rb") as fh:
        return tomllib.load(fh)


def expected_brief(line: dict[str, Any]) -> dict[str, Any]:
    wanted = {f: line[f] for f in BRIEF_FIELDS if f in line}
    if form.BUDGET in wanted:
        wanted[form.BUDGET] = wanted[form.BUDGET] * 100
    return wanted


def brief_read(line: dict[str, Any]) -> dict[str, Any]:
    read = form.read_sentence(line["text"], kb=KB, currency="EUR", roster_niches=())
    return {f: v for f, v in read.answers.items() if f in BRIEF_FIELDS}


def answer_read(line: dict[str, Any]) -> dict[str, Any]:
    """As the guided brief reads an answer typed at a question: that question's answer,
    and every other one a sentence holds."""
    answers: dict[str, Any] = {}
    step, text = line["step"], line["text"]
    form.take(step, answers, text, kb=KB, currency="EUR", roster_niches=())
    read = form.read_sentence(text, kb=KB, currency="EUR", roster_niches=())
    if read.given >= form.SENTENCE_BRIEF_FIELDS:
        for field, value in read.answers.items():
            answers.setdefault(field, value)
    answers.pop(form.TOWN, None)  # kept with its country, not an answer of its own
    return answers


def result_read(line: dict[str, Any]) -> dict[str, int] | str:
    try:
        if "step" in line:
            return {line["step"]: parse_result_value(line["step"], line["text"], "EUR")}
        return parse_results(line["text"], "EUR")
    except ValueError as exc:
        return f"refused: {exc}"


def question_read(line: dict[str, Any]) -> str | None:
    text = line["text"]
    return match_question(text) or ("none" if is_question(text) else None)


def command_read(line: dict[str, Any]) -> str:
    typed = line["text"].split(maxsplit=1)[0].lstrip("/")
    return command_meant(typed, KNOWN_COMMANDS) or ""


def niche_read(text: str) -> str | None:
    answers: dict[str, Any] = {}
    form.take(form.NICHE, answers, text, kb=KB, currency="EUR", roster_niches=())
    return answers.get(form.NICHE)


Check = tuple[str, Any, Any]  # (typed, expected, read)


def checks(group: str) -> list[Check]:
    lines = corpus().get(group, [])
    readers: dict[str, tuple[Callable[[dict[str, Any]], Any], Callable[[Any], Any]]] = {
        "brief": (brief_read, expected_brief),
        "answer": (
            answer_read,
            lambda line: {
                f: v * 100 if f == form.BUDGET else v for f, v in line.items() if f in BRIEF_FIELDS
            },
        ),
        "result": (result_read, lambda line: {f: line[f] for f in RESULT_FIELDS if f in line}),
        "question": (question_read, lambda line: line["topic"]),
        "command": (command_read, lambda line: line["command"]),
    }
    if group == "niche":
        pairs = [*niche_corpus()["english"], *niche_corpus()["french"]]
        return [(text, niche, niche_read(text)) for text, niche in pairs]
    read, expected = readers[group]
    return [(line["text"], expected(line), read(line)) for line in lines]


def share(found: list[Check]) -> float:
    misses = [(typed, want, got) for typed, want, got in found if want != got]
    for typed, want, got in misses:
        print(f"MISS {typed!r}: expected {want!r}, read {got!r}")
    understood = 1 - len(misses) / len(found)
    print(f"{len(found) - len(misses)}/{len(found)} understood ({understood:.1%})")
    return understood


GROUPS = ("brief", "answer", "result", "question", "command", "niche")


def test_the_corpus_is_big_enough() -> None:
    """At least 150 phrasings of briefs, answers, results, questions and commands, in
    both languages, and 100 niche phrasings."""
    assert sum(len(lines) for lines in corpus().values()) >= 150
    assert len(niche_corpus()["english"]) >= 50
    assert len(niche_corpus()["french"]) >= 50


@pytest.mark.parametrize("group", GROUPS)
def test_each_group_is_understood(group: str) -> None:
    assert share(checks(group)) >= TARGET


def test_all_phrasings_are_understood() -> None:
    assert share([check for group in GROUPS for check in checks(group)]) >= TARGET

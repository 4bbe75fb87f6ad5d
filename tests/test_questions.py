"""Questions in words: matched forgivingly to the knowledge base's questions, and answered in
a few sentences that name their sources."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.sandbox.emulator import html_to_text
from knowledge.base import KnowledgeBase
from knowledge.reading.questions import (
    MAX_SENTENCES,
    Answer,
    Figure,
    Question,
    answer,
    answer_to,
    is_greeting,
    match_question,
    questions,
)
from knowledge.writing.render import TEMPLATE_DIR, render
from knowledge.writing.replies import QuestionFigure, Template

QUESTION_IDS = {q.id for q in questions()}
PHRASES = [(phrase, q.id) for q in questions() for phrase in q.phrases]


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("what is a micro-influencer?", "micro"),
        ("What is a micro influencer", "micro"),
        ("WHAT IS A MICRO-INFLUENCER", "micro"),
        ("waht is a micro influncer", "micro"),
        ("what's a micro-influencer exactly?", "micro"),
        ("hey, what is a micro influencer?", "micro"),
        ("what is a macro influencer", "macro"),
        ("how much should I pay?", "pay"),
        ("how much shoud i pay", "pay"),
        ("How much should I pay an influencer for a post", "pay"),
        ("can I pay with gifts?", "pay"),
        ("should I pay influencers?", "pay"),
        ("how much do micro influencers cost", "pay"),
        ("micro or macro?", "micro-or-macro"),
        ("Macro or micro", "micro-or-macro"),
        ("which is better, micro or macro?", "micro-or-macro"),
        ("is micro better than macro for sales?", "micro-or-macro"),
        ("what's the difference between micro and macro influencers?", "micro-or-macro"),
        ("how do I find creators?", "find-creators"),
        ("where can I find creators", "find-creators"),
        ("what is engagement?", "engagement"),
        ("what is engagment", "engagement"),
        ("how many followers is a macro?", "followers"),
        ("how many followers is a macro influencer", "followers"),
        ("how many followers to be a micro", "followers"),
        ("what is influencer marketing", "influencer-marketing"),
        ("what is a brand ambassador?", "ambassador"),
    ],
)
def test_questions_are_understood_as_people_type_them(text: str, question: str) -> None:
    assert match_question(text) == question


@pytest.mark.parametrize(
    "text",
    [
        "",
        "?",
        "800",
        "2.5k €",
        "cooking",
        "sales",
        "hello",
        "thanks",
        "ok",
        "yes",
        "instagram",
        "micro",
        "pay",
        "what",
        "what is a",
        "what is it",
        "how much",
        "who are you",
        "what is the weather",
        "what should I do",
        "how does it work",
        "how do I start",
        "I sell handmade candles",
        "I want more sales",
        "goal=sales budget=800",
        "what is a mcro influencer",  # micro or macro? Not guessed
        "how much should I pay " * 20,  # not a short question
    ],
)
def test_other_text_is_no_question(text: str) -> None:
    assert match_question(text) is None


@pytest.mark.parametrize(("phrase", "question"), PHRASES)
def test_every_phrase_asks_its_own_question(phrase: str, question: str) -> None:
    assert match_question(phrase) == question


@settings(deadline=None)  # the first example builds the caches
@given(
    st.sampled_from(PHRASES),
    st.lists(st.booleans(), min_size=60, max_size=60),
    st.sampled_from(["", "?", " ?", "!", "...", "??"]),
)
def test_case_and_punctuation_never_change_the_question(
    pair: tuple[str, str], upper: list[bool], end: str
) -> None:
    phrase, question = pair
    typed = "".join(c.upper() if up else c for c, up in zip(phrase, upper * 2, strict=False))
    assert match_question(typed + end) == question


@settings(deadline=None)  # the first example builds the caches
@given(st.text(max_size=300))
def test_any_text_is_a_known_question_or_none(text: str) -> None:
    assert match_question(text) in QUESTION_IDS | {None}


@settings(deadline=None)  # the first example builds the caches
@given(st.text(alphabet=st.characters(blacklist_categories=("L",)), max_size=80))
def test_text_without_letters_is_no_question(text: str) -> None:
    assert match_question(text) is None


def sentences(html: str) -> list[str]:
    """The answer's lines before its sources and the pointer to /advise."""
    lines = html_to_text(html).splitlines()
    return [line for line in lines if not line.startswith(("Sources:", "/advise"))]


@pytest.mark.parametrize("question", questions(), ids=lambda q: q.id)
def test_every_answer_is_short_cites_its_sources_and_ends_with_advise(
    question: Question, kb: KnowledgeBase
) -> None:
    given_answer = answer(question, kb, "EUR")
    html = render(Template.QUESTION_ANSWER, answer=given_answer)
    text = html_to_text(html)
    said = sentences(html)
    assert 1 <= len(said) <= MAX_SENTENCES
    assert all(len(line) <= 200 for line in said)
    assert text.splitlines()[-1] == "/advise to get a plan"
    for fact in given_answer.facts:
        assert f"{fact.text} [{fact.source.number}]" in text
        assert f"[{fact.source.number}] {fact.source.short}" in text.splitlines()[-2]
    for line in said:
        if line in {f"{f.text} [{f.source.number}]" for f in given_answer.facts}:
            continue
        if line in {tip.text for tip in given_answer.tips}:
            continue
        assert line.endswith("(our assumption)."), line  # a figure of assumptions.toml


def test_the_figures_come_from_the_assumptions(kb: KnowledgeBase) -> None:
    pay = answer_to("how much should I pay?", kb, "EUR")
    assert pay is not None
    text = html_to_text(render(Template.QUESTION_ANSWER, answer=pay))
    assert "Pay at least €50 a post" in text  # assumptions.toml: fair_pay.floor.EUR
    in_usd = answer_to("how much should I pay?", kb, "USD")
    assert in_usd is not None
    assert "Pay at least $55 a post" in render(Template.QUESTION_ANSWER, answer=in_usd)
    in_yen = answer_to("how much should I pay?", kb, "JPY")  # no floor set for yen
    assert in_yen is not None and in_yen.figures == ()
    followers = answer_to("how many followers is a macro?", kb, "EUR")
    assert followers is not None
    text = html_to_text(render(Template.QUESTION_ANSWER, answer=followers))
    assert (
        "By followers: nano (under 10k) and micro (10k–100k) count as micro; mid (100k–500k), "
        "macro (500k–1M) and mega (1M or more) as macro (our assumption)."
    ) in text
    engagement = answer_to("what is engagement?", kb, "EUR")
    assert engagement is not None
    text = html_to_text(render(Template.QUESTION_ANSWER, answer=engagement))
    assert "typically nano 3%, micro 2%, mid 1.5%, macro 1%, mega 0.8%" in text


def test_no_answer_to_what_is_not_a_question(kb: KnowledgeBase) -> None:
    assert answer_to("I sell candles", kb, "EUR") is None


def test_every_figure_renders_its_own_text(kb: KnowledgeBase) -> None:
    texts = {
        kind: render(
            Template.QUESTION_ANSWER,
            answer=Answer(
                "q", (), (), (Figure(kind, kb.assumptions.tiers, floor_cents=10_000),), "EUR"
            ),
        )
        for kind in QuestionFigure
    }
    assert len(set(texts.values())) == len(texts)
    source = (TEMPLATE_DIR / "question_answer.html").read_text("utf-8")
    assert set(re.findall(r'\bkind == "(\w+)"', source)) == {k.value for k in QuestionFigure}
    with pytest.raises(ValueError, match="no branch for 'chart'"):
        render(
            Template.QUESTION_ANSWER,
            answer=Answer("q", (), (), (Figure("chart"),), "EUR"),  # type: ignore[arg-type]
        )


def test_a_hello_alone_is_a_greeting() -> None:
    for text in ("hi", "Hello!", "hey 👋", "Good morning", "bonjour", "Salut !", "slt", "bjr"):
        assert is_greeting(text), text
    for text in ("hi, I have a bakery", "hello what is a micro-influencer", "", "ok", "merci"):
        assert not is_greeting(text), text

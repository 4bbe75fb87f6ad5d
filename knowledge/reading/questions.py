"""Questions asked in words outside a brief (`what is a micro-influencer?`, `how much should
I pay?`, `c'est quoi un micro-influenceur ?`), and their short answers from the knowledge base
(`data/questions.toml`). Questions are matched in English and French alike.

What is typed is matched against each question's phrases as niches are (`matching.normalize`,
rapidfuzz): the words of one may be a few more or fewer than the other's, in another order
or misspelt. A text that names no question, or two equally well, gets no answer.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from rapidfuzz import fuzz, process

from knowledge.base import (
    DATA_DIR,
    Fact,
    FactKind,
    KnowledgeBase,
    KnowledgeError,
    Source,
    Tier,
    Tip,
    in_currency,
)
from knowledge.reading.matching import SURE, normalize
from knowledge.writing.replies import QuestionFigure

# A longer message is not a short question.
MAX_QUESTION_LENGTH = 200
# How close (0-100, rapidfuzz's token_sort_ratio) a text must be to a phrase as a whole, beside
# holding (nearly) all its words or all of its own: `what should I do` shares three words with
# `what should I pay a creator`, and is not that question.
WHOLE = 70
# An answer says at most this many sentences, then points to /advise.
MAX_SENTENCES = 4


@dataclass(frozen=True)
class Question:
    id: str
    phrases: tuple[str, ...]
    phrases_fr: tuple[str, ...] = ()
    tips: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    figures: tuple[QuestionFigure, ...] = ()

    @property
    def every_phrase(self) -> tuple[str, ...]:
        """Its phrases in every language: a question is matched in any of them, whatever
        the language of the reply."""
        return self.phrases + self.phrases_fr


@dataclass(frozen=True)
class Figure:
    """A figure of the assumptions, as an answer gives it: the tiers (their follower bands
    and typical engagement rates), or the fair-pay floor in the deployment's currency."""

    kind: QuestionFigure
    tiers: tuple[Tier, ...] = ()
    floor_cents: int | None = None


@dataclass(frozen=True)
class Answer:
    question: str
    tips: tuple[Tip, ...]
    facts: tuple[Fact, ...]
    figures: tuple[Figure, ...]
    currency: str

    @property
    def sources(self) -> list[Source]:
        """The sources the facts cite, once each, by number (the bot's own reading is none)."""
        cited = {f.source for f in self.facts if f.kind is FactKind.SOURCE}
        return sorted(cited, key=lambda source: source.number)


@cache
def questions() -> tuple[Question, ...]:
    """The questions of `data/questions.toml`; KnowledgeError if two share an id or a phrase,
    or one says too much."""
    with (DATA_DIR / "questions.toml").open("rb") as fh:
        raw: list[dict[str, Any]] = tomllib.load(fh)["questions"]
    try:
        loaded = tuple(
            Question(
                id=q["id"],
                phrases=tuple(q["phrases"]),
                phrases_fr=tuple(q.get("phrases_fr", ())),
                tips=tuple(q.get("tips", ())),
                facts=tuple(q.get("facts", ())),
                figures=tuple(QuestionFigure(f) for f in q.get("figures", ())),
            )
            for q in raw
        )
    except (KeyError, ValueError) as exc:
        raise KnowledgeError(f"questions are incomplete or invalid: {exc!r}") from exc
    phrases = [normalize(p) for q in loaded for p in q.every_phrase]
    if len({q.id for q in loaded}) != len(loaded) or len(set(phrases)) != len(phrases):
        raise KnowledgeError("question ids and phrases must be unique")
    if any(len(q.tips) + len(q.facts) + len(q.figures) > MAX_SENTENCES for q in loaded):
        raise KnowledgeError(f"an answer says at most {MAX_SENTENCES} things")
    return loaded


@cache
def _phrases() -> tuple[list[str], list[str]]:
    """Every phrase, normalised, and the id of its question."""
    pairs = [(normalize(p), q.id) for q in questions() for p in q.every_phrase]
    return [phrase for phrase, _ in pairs], [question for _, question in pairs]


def match_question(text: str) -> str | None:
    """The id of the question `text` asks, or None.

    A phrase matches when the words of one are (nearly) all in the other, and the two are
    close enough as a whole (`WHOLE`) that a few words in common are not taken for the
    question (`what` or `is a` ask nothing)."""
    key = normalize(text)
    if not key or len(key) > MAX_QUESTION_LENGTH:
        return None
    phrases, ids = _phrases()
    best: dict[str, float] = {}
    for phrase, score, index in process.extract(
        key, phrases, scorer=fuzz.token_set_ratio, score_cutoff=SURE, limit=None
    ):
        if fuzz.token_sort_ratio(key, phrase) >= WHOLE:
            best[ids[index]] = max(best.get(ids[index], 0.0), score)
    ranked = sorted(best.values(), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return None
    return max(best, key=lambda question: best[question])


def answer_to(text: str, kb: KnowledgeBase, currency: str) -> Answer | None:
    """The answer to the question `text` asks, or None when it asks none."""
    question_id = match_question(text)
    if question_id is None:
        return None
    question = next(q for q in questions() if q.id == question_id)
    return answer(question, kb, currency)


def answer(question: Question, kb: KnowledgeBase, currency: str) -> Answer:
    """What answers `question`: its tips, facts and figures (a fair-pay floor not set for
    `currency` is left out). KnowledgeError if it names one the knowledge base lacks."""
    tips = {tip.id: tip for tip in kb.finding_tips}
    facts = {fact.id: fact for fact in kb.facts}
    missing = (set(question.tips) - set(tips)) | (set(question.facts) - set(facts))
    if missing:
        raise KnowledgeError(f"question {question.id} rests on unknown ids: {sorted(missing)}")
    if any("{niche}" in tips[t].text for t in question.tips):
        raise KnowledgeError(
            f"question {question.id}: a tip needs a niche, and a question has none"
        )
    figures = []
    for kind in question.figures:
        if kind is QuestionFigure.FAIR_PAY:
            floor = in_currency(kb.assumptions.fair_pay_floor, currency)
            if floor is not None:
                figures.append(Figure(kind, floor_cents=floor))
        else:
            figures.append(Figure(kind, tiers=kb.assumptions.tiers))
    return Answer(
        question=question.id,
        tips=tuple(tips[t] for t in question.tips),
        facts=tuple(facts[f] for f in question.facts),
        figures=tuple(figures),
        currency=currency,
    )


# The first words of a question, in English and French (normalised: `c'est quoi` → `c est quoi`).
QUESTION_STARTS = (
    "what",
    "whats",
    "how",
    "why",
    "where",
    "who",
    "which",
    "when",
    "is",
    "are",
    "can",
    "could",
    "do",
    "doe",
    "should",
    "would",
    "will",
    "quoi",
    "que",
    "qu",
    "quel",
    "quelle",
    "comment",
    "pourquoi",
    "ou",
    "combien",
    "est ce",
    "c est quoi",
    "peut on",
    "puis je",
    "dois je",
    "faut il",
)


def is_question(text: str) -> bool:
    """Whether `text` asks something (`what's the weather?`, `do you know an accountant`,
    `c'est quoi le meilleur hashtag`): a question mark at its end, or a question's first
    words; one the bot can't answer is told so, and what it can do."""
    if text.rstrip().endswith(("?", "？")):
        return True
    key = f"{normalize(text)} "
    return any(key.startswith(f"{start} ") for start in QUESTION_STARTS)


GREETINGS = frozenset(
    {
        "hi", "hello", "hey", "hiya", "yo", "good morning", "good afternoon", "good evening",
        "hi there", "hello there", "bonjour", "bonsoir", "salut", "slt", "bjr", "coucou",
        "hello bot", "hi bot", "bonjour bot", "start", "hola", "allo", "re",
    }
)  # fmt: skip


def is_greeting(text: str) -> bool:
    """Whether `text` only says hello (`hi!`, `Bonjour 👋`, `slt`): answered with the welcome."""
    return normalize(text) in GREETINGS

"""The brief's answers as people type them, one at a time or as `key=value` words, and the
brief they make.

Answers are kept as plain data (they are stored between messages): goal, budget (cents),
niche and platform are asked for; country, language, order value (cents) and margin
(percent) are optional.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from knowledge.audience import country_code, language_code
from knowledge.base import Goal, KnowledgeBase
from knowledge.engine import Brief
from knowledge.matching import match_goal, niche_vocabulary, platform_vocabulary
from knowledge.parsing import BudgetError, is_skip, parse_budget, parse_percent

GOAL, BUDGET, NICHE, PLATFORM = "goal", "budget", "niche", "platform"
COUNTRY, LANGUAGE, ORDER_VALUE, MARGIN = "country", "language", "order_value", "margin"
REQUIRED = (GOAL, BUDGET, NICHE, PLATFORM)
OPTIONAL = (COUNTRY, LANGUAGE, ORDER_VALUE, MARGIN)
FIELDS = REQUIRED + OPTIONAL
ANY = "any"  # no platform preference
KEY_ALIASES = {
    "goal": GOAL,
    "objective": GOAL,
    "budget": BUDGET,
    "niche": NICHE,
    "platform": PLATFORM,
    "network": PLATFORM,
    "country": COUNTRY,
    "language": LANGUAGE,
    "lang": LANGUAGE,
    "order_value": ORDER_VALUE,
    "basket": ORDER_VALUE,
    "aov": ORDER_VALUE,
    "margin": MARGIN,
}
_PAIR = re.compile(r"([A-Za-z_]+)\s*=\s*(.*?)(?=\s+[A-Za-z_]+\s*=|$)", re.DOTALL)
# A message holding `key=value` words of a brief, typed without /advise.
ONE_LINE_WORDS = re.compile(rf"(?i)\b(?:{'|'.join(KEY_ALIASES)})\s*=")
Answers = dict[str, Any]
Problem = dict[str, Any]


def take(
    field: str,
    answers: Answers,
    text: str,
    *,
    kb: KnowledgeBase,
    currency: str,
    roster_niches: Iterable[str],
) -> Problem | None:
    """Read `text` as the answer to `field` into `answers`; None when understood, else the
    problem to show (and `answers` is left as it was)."""
    text = text.strip()
    if field == GOAL:
        goal = match_goal(text).value
        if goal is None:
            return {"text": text}
        answers[GOAL] = goal
    elif field in (BUDGET, ORDER_VALUE):
        try:
            answers[field] = parse_budget(text, currency).cents
        except BudgetError as exc:
            return {"problem": exc.problem.value, "currency": exc.currency or "", "text": text}
    elif field == NICHE:
        match = niche_vocabulary(kb, roster_niches).match(text)
        if match.value is None:
            return {"text": text, "suggestions": list(match.suggestions)}
        answers[NICHE] = match.value
    elif field == PLATFORM:
        platform = ANY if is_skip(text) else platform_vocabulary(kb).match(text).value
        if platform is None:
            return {"text": text}
        answers[PLATFORM] = platform
    elif field in (COUNTRY, LANGUAGE):
        code = (country_code if field == COUNTRY else language_code)(text)
        if code is None and not is_skip(text):
            return {"text": text}
        answers[field] = code
    elif field == MARGIN:
        try:
            margin = parse_percent(text)
        except ValueError:
            return {"text": text}
        if not 0 < margin <= 100:
            return {"text": text}
        answers[MARGIN] = margin
    else:
        raise ValueError(f"no such brief field: {field}")
    return None


def one_line(words: str) -> tuple[list[tuple[str, str]], list[str]]:
    """`goal=sales budget=800 …` → (field or unknown key, value) pairs, and the words that
    are not pairs."""
    pairs = [(KEY_ALIASES.get(k.lower(), k), v.strip()) for k, v in _PAIR.findall(words.strip())]
    leftover = _PAIR.sub("", words).strip()
    return pairs, [leftover] if leftover else []


def missing(answers: Mapping[str, Any]) -> str | None:
    """The first required answer not given yet."""
    return next((f for f in REQUIRED if f not in answers), None)


def to_brief(answers: Mapping[str, Any], currency: str) -> Brief:
    platform = answers.get(PLATFORM)
    return Brief(
        goal=Goal(answers[GOAL]),
        budget_cents=int(answers[BUDGET]),
        currency=currency,
        niche=answers[NICHE],
        platform=None if platform in (None, ANY) else platform,
        country=answers.get(COUNTRY),
        language=answers.get(LANGUAGE),
        order_value_cents=answers.get(ORDER_VALUE),
        margin_pct=answers.get(MARGIN),
    )


def answers_of(stored_brief: Mapping[str, Any]) -> Answers:
    """The answers of a stored recommendation's brief, to change one of them."""
    answers: Answers = {
        GOAL: stored_brief["goal"],
        BUDGET: stored_brief["budget_cents"],
        NICHE: stored_brief["niche"],
        PLATFORM: stored_brief.get("platform") or ANY,
    }
    for field, key in (
        (COUNTRY, "country"),
        (LANGUAGE, "language"),
        (ORDER_VALUE, "order_value_cents"),
        (MARGIN, "margin_pct"),
    ):
        if stored_brief.get(key) is not None:
            answers[field] = stored_brief[key]
    return answers

"""The brief's answers as people type them, one at a time, as `key=value` words or in a
sentence, and the brief they make.

Answers are kept as plain data (they are stored between messages): goal, budget (cents),
niche and platform are asked for; country, language, order value (cents), margin
(percent), product seeding (yes or no), the product's value (cents), the shop's promo
discount, web address and name, the days of paid use of the posts (knowledge.reading.shop)
and the start or launch date (an ISO day: knowledge.reading.brief_date) are optional. The
guided brief also asks where the customers are, for sales the basket and the margin, and for
a launch its date (`next_step`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from knowledge.advice.brief import Brief
from knowledge.base import Goal, KnowledgeBase
from knowledge.reading import places, shop
from knowledge.reading.brief_date import date_in_sentence, read_brief_date
from knowledge.reading.matching import (
    goal_in_sentence,
    match_goal,
    niche_vocabulary,
    platform_name_vocabulary,
    platform_vocabulary,
)
from knowledge.reading.parsing import BudgetError, is_skip, margin_of, parse_budget
from knowledge.reading.places import audience_language, country_named_in, town_named_in
from knowledge.reading.questions import is_question
from knowledge.reading.sentence import basket_and_margin, budget_in, just_an_amount, niche_in
from knowledge.reading.tongue import is_french
from knowledge.reading.when import WhenError

GOAL, BUDGET, NICHE, PLATFORM = "goal", "budget", "niche", "platform"
COUNTRY, LANGUAGE, ORDER_VALUE, MARGIN = "country", "language", "order_value", "margin"
TOWN = "town"  # the town a country was read from (`Bordeaux`): kept with it, never asked
GIFTING, PRODUCT_VALUE, DATE = "gifting", "product_value", "date"
REQUIRED = (GOAL, BUDGET, NICHE, PLATFORM)
OPTIONAL = (COUNTRY, LANGUAGE, ORDER_VALUE, MARGIN, GIFTING, PRODUCT_VALUE, *shop.FIELDS, DATE)
# Optional answers the guided brief asks, in order: where the customers are (every goal);
# the basket and the margin (sales: they tell whether the plan can pay for itself); the
# launch date (a launch: its posts are timed around it).
GUIDED = ((COUNTRY, None), (ORDER_VALUE, Goal.SALES), (MARGIN, Goal.SALES), (DATE, Goal.LAUNCH))
YES_WORDS = frozenset({"yes", "y", "true", "oui", "o", "vrai", "1"})
NO_WORDS = frozenset({"no", "n", "false", "non", "faux", "0"})
FIELDS = REQUIRED + OPTIONAL
ANY = "any"  # no platform preference
_ANY_PLATFORM = re.compile(
    r"(?i)\b(?:any|all|every) platforms?\b|\btoutes (?:les )?plateformes\b"
    r"|\bn['’]importe quelle plateforme\b"
)
# A sentence, typed at a question of the brief, names at least this many of goal, budget and
# niche (a word or two is only that question's answer); and so must a plain message that is a
# question, or typed while a check-in waits for results, to start a brief (`starts_brief`).
SENTENCE_BRIEF_FIELDS = 2
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
    "gifting": GIFTING,
    "seeding": GIFTING,
    "gift": GIFTING,
    "product_value": PRODUCT_VALUE,
    "gift_value": PRODUCT_VALUE,
    "objectif": GOAL,
    "plateforme": PLATFORM,
    "réseau": PLATFORM,
    "reseau": PLATFORM,
    "pays": COUNTRY,
    "langue": LANGUAGE,
    "panier": ORDER_VALUE,
    "panier_moyen": ORDER_VALUE,
    "marge": MARGIN,
    "cadeau": GIFTING,
    "envoi_produit": GIFTING,
    "valeur_produit": PRODUCT_VALUE,
    "valeur_cadeau": PRODUCT_VALUE,
    **shop.KEY_ALIASES,
    "date": DATE,
    "start": DATE,
    "start_date": DATE,
    "launch_date": DATE,
    "début": DATE,
    "debut": DATE,
    "date_début": DATE,
    "date_debut": DATE,
    "lancement": DATE,
    "date_lancement": DATE,
}
# A key is letters (accented ones too: `réseau=`) or `_`.
_PAIR = re.compile(r"([^\W\d]+)\s*=\s*(.*?)(?=\s+[^\W\d]+\s*=|$)", re.DOTALL)
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
    user_language: str | None = None,
    today: date | None = None,
) -> Problem | None:
    """Read `text` as the answer to `field` into `answers`; None when understood, else the
    problem to show (and `answers` is left as it was). French-only niche words (`pain`) are
    read when `text` is French, or typed by a user whose language is French (`is_french`);
    a date, against the owner's `today`."""
    text = text.strip()
    if field == DATE:
        return _take_date(answers, text, today)
    if field == GOAL:
        goal = match_goal(text).value
        if goal is None:
            return {"text": text}
        answers[GOAL] = goal
    elif field in (BUDGET, ORDER_VALUE, PRODUCT_VALUE):
        try:
            answers[field] = parse_budget(text, currency).cents
        except BudgetError as exc:
            return {"problem": exc.problem.value, "currency": exc.currency or "", "text": text}
    elif field == NICHE:
        french = is_french(text, user_language)
        vocabulary = niche_vocabulary(kb, roster_niches, french)
        match = vocabulary.match(text)
        # A niche as a whole, else the one its words name (`a restaurant in Lyon`), else the
        # nearest spelling (`camping gear` is Outdoors, not `camping-car` misspelt).
        niche = vocabulary.exact(text) or niche_in(text, kb, roster_niches, french) or match.value
        if niche is None:
            return {"text": text, "suggestions": list(match.suggestions)}
        answers[NICHE] = niche
    elif field == PLATFORM:
        platform = ANY if is_skip(text) else platform_vocabulary(kb).match(text).value
        if platform is None:
            return {"text": text}
        answers[PLATFORM] = platform
    elif field in (COUNTRY, LANGUAGE):
        tongue = "fr" if is_french(text, user_language) else user_language
        return _take_place(field, answers, text, tongue)
    elif field == MARGIN:
        margin = margin_of(text, answers.get(ORDER_VALUE), currency)
        if margin is None or not 0 < margin <= 100:
            return {"text": text}
        answers[MARGIN] = margin
    elif field == GIFTING:
        if text.lower() not in YES_WORDS | NO_WORDS:
            return {"text": text}
        answers[GIFTING] = text.lower() in YES_WORDS
    else:  # the shop's answers (ValueError for a field that is none of them)
        return shop.take_shop_answer(field, answers, text, kb.posts.paid_use.days)
    return None


def _take_date(answers: Answers, text: str, today: date | None) -> Problem | None:
    """A start or launch date (ISO in `answers`), read against the owner's `today`; the
    problem (`when`: past, too far, unreadable…) when it can't be taken."""
    if today is None:
        raise ValueError("a brief's date is read against the owner's today")
    try:
        answers[DATE] = read_brief_date(text, today).isoformat()
    except WhenError as exc:
        return {"text": text, "when": exc.problem.value}
    return None


def one_line(words: str) -> tuple[list[tuple[str, str]], list[str]]:
    """`goal=sales budget=800 …` → (field or unknown key, value) pairs, and the words that
    are not pairs; the basket before the margin (a margin in money is a share of it)."""
    pairs = [(KEY_ALIASES.get(k.lower(), k), v.strip()) for k, v in _PAIR.findall(words.strip())]
    pairs.sort(key=lambda pair: pair[0] == MARGIN)
    leftover = _PAIR.sub("", words).strip()
    return pairs, [leftover] if leftover else []


def missing(answers: Mapping[str, Any]) -> str | None:
    """The first required answer not given yet."""
    return next((f for f in REQUIRED if f not in answers), None)


def next_step(answers: Mapping[str, Any], guided: bool) -> str | None:
    """The next question of a brief: the first required answer missing; then a date given
    that could not be taken (in the past: asked again, in any brief); then, in a guided
    brief, the optional ones it asks (`GUIDED`) not answered or skipped yet, the margin only
    with a basket; None when the brief is complete."""
    needed = missing(answers)
    if needed is None and DATE in answers.get("problems", {}):
        return DATE
    if needed is not None or not guided:
        return needed
    skipped = answers.get("skipped", [])
    for field, goal in GUIDED:
        if goal is not None and answers.get(GOAL) != goal.value:
            continue
        if field == MARGIN and answers.get(ORDER_VALUE) is None:
            continue
        if field not in answers and field not in skipped:
            return field
    return None


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
        gifting=bool(answers.get(GIFTING)),
        product_value_cents=answers.get(PRODUCT_VALUE),
        discount_pct=answers.get(shop.DISCOUNT),
        shop_url=answers.get(shop.SHOP),
        shop_name=answers.get(shop.SHOP_NAME),
        start_date=date.fromisoformat(answers[DATE]) if answers.get(DATE) else None,
        town=answers.get(TOWN) if answers.get(COUNTRY) else None,
        paid_use_days=answers.get(shop.PAID_USE),
    )


def _take_place(field: str, answers: Answers, text: str, tongue: str | None) -> Problem | None:
    """A country (with the town it was read from, if any, and in a country of several
    languages the owner's `tongue`, unless a language was given) or a language, or a skip."""
    code = (places.place_code if field == COUNTRY else places.language_code)(text)
    if code is None and not is_skip(text):
        return {"text": text}
    answers[field] = code
    if field == COUNTRY:
        _with_place(answers, town_named_in(text) if code else None, tongue)
    return None


def _with_place(answers: Answers, town: str | None, tongue: str | None) -> None:
    """Beside a country: the town it was read from, or none (a country typed anew drops
    it); in a country of several languages, the owner's `tongue`, unless one was given."""
    answers.pop(TOWN, None)
    answers.update({TOWN: town} if town else {})
    language = audience_language(answers.get(COUNTRY), tongue)
    if answers.get(LANGUAGE) is None and language is not None:
        answers[LANGUAGE] = language


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
        (PRODUCT_VALUE, "product_value_cents"),
        (shop.DISCOUNT, "discount_pct"),
        (shop.SHOP, "shop_url"),
        (shop.SHOP_NAME, "shop_name"),
        (shop.PAID_USE, "paid_use_days"),
    ):
        if stored_brief.get(key) is not None:
            answers[field] = stored_brief[key]
    if stored_brief.get("town"):
        answers[TOWN] = stored_brief["town"]
    start = stored_brief.get("start_date")
    if start is not None:
        answers[DATE] = start.isoformat() if isinstance(start, date) else str(start)
    if stored_brief.get("gifting"):
        answers[GIFTING] = True
    return answers


@dataclass(frozen=True)
class SentenceRead:
    """What a sentence says of a brief: the answers it gives, and the problem with an answer
    it gives that can't be taken (a budget in another currency), to say when that answer
    is asked for."""

    answers: Answers
    problems: dict[str, Problem]

    @property
    def given(self) -> int:
        """How many answers it gives (the town goes with its country, the shop's name with
        the rest: not one more)."""
        return sum(1 for field in self.answers if field not in (TOWN, shop.SHOP_NAME))


def fill_from_sentence(brief: Answers, read: SentenceRead) -> bool:
    """A whole sentence typed at a question of an open brief (`I sell bread, 800 euros, for
    sales`) gives every answer it holds, the latest winning (a new brief typed while the old
    one waits at its platform question replaces its goal, budget and niche); False, and
    nothing taken, for a word or two (only that question's answer: `lots of money`)."""
    if read.given + len(read.problems) < SENTENCE_BRIEF_FIELDS:
        return False
    brief.update(read.answers)
    for field, problem in read.problems.items():
        brief.pop(field, None)
        brief.setdefault("problems", {})[field] = problem
    return True


def read_sentence(
    text: str,
    *,
    kb: KnowledgeBase,
    currency: str,
    roster_niches: Iterable[str],
    user_language: str | None = None,
    today: date | None = None,
) -> SentenceRead:
    """The goal, budget, niche, platform, country and shop name a sentence names (`I sell
    handmade candles, budget 500 euros, want more sales`; `a restaurant in Lyon`: France;
    `my shop is called VivaFit`), and its basket and margin (`panier 12, marge 60`); nothing
    for what it does not name, or names in two ways.

    The budget is the text itself when it is just an amount, an amount after `budget` or
    `spend`, or else the one amount written with a currency; the niche, the one named or
    the one the others named are related to (`handmade candles`: Candles, related to DIY);
    the platform, one named by its name (`instagram`, not `site`); the goal, the one named
    or the one wished for (`we sell tea and want a community`: community). French-only
    niche words (`pain`) are read in French (`is_french`, `user_language` deciding a tie).
    A date (`on 15 March`, `le 15 mars`: knowledge.reading.brief_date) is read when `today`
    is given; one in the past is a problem.
    """
    roster_niches = tuple(roster_niches)
    answers: Answers = {}
    problems: dict[str, Problem] = {}
    goal = goal_in_sentence(text)
    if goal is not None:
        answers[GOAL] = goal
    named, rest = basket_and_margin(text)
    for field, value in named.items():
        take(field, answers, value, kb=kb, currency=currency, roster_niches=roster_niches)
    budget = budget_in(rest, currency)
    if budget is not None:
        problem = take(
            BUDGET, answers, budget, kb=kb, currency=currency, roster_niches=roster_niches
        )
        if problem is not None:
            problems[BUDGET] = problem
    french = is_french(text, user_language)
    niche = niche_in(text, kb, roster_niches, french)
    if niche is not None:
        answers[NICHE] = niche
    platform = platform_name_vocabulary(kb).named_in(text)
    if platform is not None or _ANY_PLATFORM.search(text):
        answers[PLATFORM] = platform or ANY
    country = country_named_in(text, french)
    if country is not None:
        answers[COUNTRY] = country
        _with_place(answers, town_named_in(text, french), "fr" if french else user_language)
    if (shop_name := shop.shop_name_in(text)) is not None:
        answers[shop.SHOP_NAME] = shop_name
    named_date = date_in_sentence(text) if today is not None else None
    if named_date is not None:
        problem = take(
            DATE, answers, named_date, kb=kb, currency=currency, roster_niches=(), today=today
        )
        if problem is not None:
            problems[DATE] = problem
    return SentenceRead(answers, problems)


def starts_brief(read: SentenceRead, text: str, currency: str, *, checkin_waiting: bool) -> bool:
    """Whether a plain message typed outside any form starts a brief: it names one of a goal,
    a budget and a niche (`I have a bakery`, `budget 500`, `I want more sales`); two when it
    is a question (`which niche suits a bakery?`), while a check-in waits for results (`about
    9 thousand` is one of them), or when the budget is the whole message (`800`: a figure
    for what?)."""
    named = sum(1 for field in (GOAL, BUDGET, NICHE) if field in read.answers)
    named += BUDGET in read.problems  # written in a way it can't be taken: asked again
    strict = checkin_waiting or is_question(text) or just_an_amount(text, currency)
    return named >= (SENTENCE_BRIEF_FIELDS if strict else 1)

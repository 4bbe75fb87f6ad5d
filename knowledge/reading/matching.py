"""Forgiving matching of what people type to niches, platforms and goals."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz, process

from knowledge.base import Goal, KnowledgeBase

# Scores (0-100) from rapidfuzz: at or above SURE a close spelling is taken as meant;
# between MAYBE and SURE the closest ones are offered as suggestions.
SURE = 85
MAYBE = 60

GOAL_WORDS: dict[Goal, tuple[str, ...]] = {
    Goal.SALES: (
        "sales",
        "conversion",
        "sell",
        "selling",
        "revenue",
        "orders",
        "ventes",
        "vendre",
        "chiffre d'affaires",
        "commandes",
    ),
    Goal.AWARENESS: (
        "awareness",
        "reach",
        "visibility",
        "brand awareness",
        "get known",
        "exposure",
        "notoriete",
        "visibilite",
        "se faire connaitre",
        "faire connaitre",
        "image de marque",
    ),
    Goal.COMMUNITY: (
        "community",
        "engagement",
        "engage",
        "followers",
        "loyalty",
        "communaute",
        "abonnes",
        "fidelisation",
        "fideliser",
    ),
    Goal.LAUNCH: (
        "launch",
        "launching",
        "product launch",
        "new product",
        "lancement",
        "release",
        "lancer",
        "lancer un produit",
        "nouveau produit",
    ),
    Goal.AMBASSADOR: (
        "ambassador",
        "long term",
        "long-term",
        "partnership",
        "ambassadeur",
        "ambassadrice",
        "long terme",
        "partenariat",
    ),
}


def ascii_fold(text: str) -> str:
    """Lower case without accents: `Chloé` -> `chloe`."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normalize(text: str) -> str:
    """Lower case, no accents, `&` as `and`, punctuation as spaces, plural words made singular."""
    plain = ascii_fold(text).replace("&", " and ")
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    return " ".join(_singular(w) for w in words)


def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def slugify(text: str) -> str:
    """A niche or platform id from free text: `Home & Decor` -> `home-and-decor`."""
    return normalize(text).replace(" ", "-")[:40]


@dataclass(frozen=True)
class Match:
    """`value` when the text was understood; otherwise up to three `suggestions`."""

    value: str | None
    suggestions: tuple[str, ...] = ()


class Vocabulary:
    """Names and synonyms of a closed set of values, matched forgivingly."""

    def __init__(self, names: Mapping[str, Iterable[str]]) -> None:
        self._by_key: dict[str, str] = {}
        for value, words in names.items():
            for word in (value, *words):
                self._by_key.setdefault(normalize(word), value)
                self._by_key.setdefault(normalize(word).replace(" ", ""), value)

    def match(self, text: str) -> Match:
        key = normalize(text)
        if not key or len(key) > 60:
            return Match(None)
        for candidate in (key, key.replace(" ", "")):
            if candidate in self._by_key:
                return Match(self._by_key[candidate])
        scored = process.extract(key, list(self._by_key), scorer=fuzz.ratio, limit=10)
        if scored and scored[0][1] >= SURE:
            best = [self._by_key[k] for k, score, _ in scored if score == scored[0][1]]
            if len(set(best)) == 1:
                return Match(best[0])
        suggestions: list[str] = []
        for k, score, _ in scored:
            value = self._by_key[k]
            if score >= MAYBE and value not in suggestions:
                suggestions.append(value)
        return Match(None, tuple(suggestions[:3]))

    def _named(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, value) of each word or phrase of `text` that names a value."""
        padded = f" {normalize(text)} "
        found = []
        for key, value in self._by_key.items():
            if len(key) < 3:
                continue
            start = padded.find(f" {key} ")
            while start != -1:
                found.append((start + 1, start + 1 + len(key), value))
                start = padded.find(f" {key} ", start + 1)
        return found

    def named_in(self, text: str) -> str | None:
        """The one value that a word or phrase of `text` names (`I want more sales` -> sales);
        None when none does, or several do."""
        named = {value for _start, _end, value in self._named(text)}
        return named.pop() if len(named) == 1 else None

    def all_named_in(self, text: str) -> list[str]:
        """Every value a word or phrase of `text` names, in the order written. A phrase inside
        a longer one counts only as part of it: `home improvement` names DIY, not Home."""
        kept: list[tuple[int, int, str]] = []
        for start, end, value in sorted(self._named(text), key=lambda s: s[0] - s[1]):
            if all(end <= other_start or start >= other_end for other_start, other_end, _ in kept):
                kept.append((start, end, value))
        return list(dict.fromkeys(value for _start, _end, value in sorted(kept)))


def niche_vocabulary(kb: KnowledgeBase, roster_niches: Iterable[str]) -> Vocabulary:
    """The known niches and the roster's own; built once per set of niches."""
    return _niche_vocabulary(kb, frozenset(roster_niches))


@lru_cache(maxsize=64)
def _niche_vocabulary(kb: KnowledgeBase, roster_niches: frozenset[str]) -> Vocabulary:
    names: dict[str, tuple[str, ...]] = {
        slug: (n.label, n.label_fr, *n.synonyms) for slug, n in kb.niches.items()
    }
    for slug in sorted(roster_niches):
        names.setdefault(slug, (slug.replace("-", " "),))
    return Vocabulary(names)


def niche_words_vocabulary(kb: KnowledgeBase, roster_niches: Iterable[str]) -> Vocabulary:
    """The niches by their English names and synonyms, and the roster's own: to find the
    niches a sentence names (`I sell handmade candles`)."""
    return _niche_words_vocabulary(kb, frozenset(roster_niches))


@lru_cache(maxsize=64)
def _niche_words_vocabulary(kb: KnowledgeBase, roster_niches: frozenset[str]) -> Vocabulary:
    names: dict[str, tuple[str, ...]] = {
        slug: (n.label, *n.synonyms_en) for slug, n in kb.niches.items()
    }
    for slug in sorted(roster_niches):
        names.setdefault(slug, (slug.replace("-", " "),))
    return Vocabulary(names)


@lru_cache(maxsize=8)
def platform_vocabulary(kb: KnowledgeBase) -> Vocabulary:
    return Vocabulary({slug: (p.label, *p.synonyms) for slug, p in kb.platforms.items()})


@lru_cache(maxsize=8)
def platform_name_vocabulary(kb: KnowledgeBase) -> Vocabulary:
    """Platforms by their names only, to find one named in a sentence: synonyms such as
    `site`, `web` or `stream` are ordinary words there (`sales on my website`)."""
    return Vocabulary({slug: (p.label,) for slug, p in kb.platforms.items()})


@cache
def goal_vocabulary() -> Vocabulary:
    return Vocabulary({goal.value: words for goal, words in GOAL_WORDS.items()})


def match_goal(text: str) -> Match:
    """A goal as typed: a goal's name or synonym, a close spelling, or a sentence naming one
    goal only (`Sales / conversions`, `we want to sell more`). Only goals are read from a
    sentence: they are a closed set of five, while a niche word inside a longer text may
    be a new niche."""
    vocabulary = goal_vocabulary()
    match = vocabulary.match(text)
    if match.value is None and (named := vocabulary.named_in(text)) is not None:
        return Match(named)
    return match


@lru_cache(maxsize=4096)
def canonical_niche(kb: KnowledgeBase, text: str) -> str:
    """The id a roster stores for a niche: a known niche when the text names one, else a slug."""
    match = niche_vocabulary(kb, ()).match(text)
    return match.value if match.value else slugify(text)


@lru_cache(maxsize=1024)
def parse_platform(kb: KnowledgeBase, text: str) -> str | None:
    """A known platform id for `text` (name, label or synonym), or None."""
    match = platform_vocabulary(kb).match(text)
    return match.value if match.value and not match.suggestions else None


NEW_NICHE_PREFIX = "new:"


@dataclass(frozen=True)
class ChatNiches:
    """Niches typed in the chat: the text to store, or the first one not known."""

    text: str
    unknown: str | None = None


def read_chat_niches(text: str, kb: KnowledgeBase, roster_niches: Iterable[str]) -> ChatNiches:
    """`cooking; new:knitting` → known niches by name or synonym, new ones only when written
    `new:name` (an admin adds a niche on purpose, never by a typo)."""
    vocabulary = niche_vocabulary(kb, roster_niches)
    niches: list[str] = []
    for part in (p.strip() for p in text.split(";") if p.strip()):
        if part.lower().startswith(NEW_NICHE_PREFIX):
            niches.append(slugify(part[len(NEW_NICHE_PREFIX) :]))
            continue
        match = vocabulary.match(part)
        if match.value is None:
            return ChatNiches(text, part)
        niches.append(match.value)
    return ChatNiches(";".join(niches))

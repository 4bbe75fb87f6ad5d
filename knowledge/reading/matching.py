"""Forgiving matching of what people type to niches, platforms and goals."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from knowledge.base import KnowledgeBase
from knowledge.reading.goal_words import GOAL_WORDS

# Scores (0-100) from rapidfuzz: at or above SURE a close spelling is taken as meant;
# between MAYBE and SURE the closest ones are offered as suggestions.
SURE = 85
MAYBE = 60
# In a sentence, a word this long or longer one letter (or two swapped) away from a name is
# taken as that name mistyped (`boulangeri`, `restaurnat`); shorter words are too often
# other words (`pain`, `paint`).
TYPO_LENGTH = 8


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
    """Names and synonyms of a closed set of values, matched forgivingly; `accented` words
    are found in a sentence only as written, accents included (`thé`, not `the`)."""

    def __init__(
        self, names: Mapping[str, Iterable[str]], accented: Mapping[str, str] | None = None
    ) -> None:
        self._accented = {word.lower(): value for word, value in (accented or {}).items()}
        self._by_key: dict[str, str] = {}
        for value, words in names.items():
            for word in (value, *words):
                self._by_key.setdefault(normalize(word), value)
                self._by_key.setdefault(normalize(word).replace(" ", ""), value)
        self._long = [k for k in self._by_key if len(k) >= TYPO_LENGTH and " " not in k]

    def exact(self, text: str) -> str | None:
        """The value `text` names as a whole (case, accents, spaces and plurals aside)."""
        key = normalize(text)
        for candidate in (key, key.replace(" ", "")):
            if candidate in self._by_key:
                return self._by_key[candidate]
        return None

    def match(self, text: str) -> Match:
        key = normalize(text)
        if not key or len(key) > 60:
            return Match(None)
        if (value := self.exact(text)) is not None:
            return Match(value)
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
        for word, value in self._accented.items():
            for hit in re.finditer(rf"(?<!\w){re.escape(word)}s?(?!\w)", text.lower()):
                found.append((hit.start(), hit.end(), value))
        return found or self._mistyped(padded)

    def _mistyped(self, padded: str) -> list[tuple[int, int, str]]:
        """(start, end, value) of each long word one letter away from one name only: read
        only when no name is written as it is (`independent` is no mistyped `independant`
        beside `bookstore`)."""
        found = []
        for hit in re.finditer(rf"[a-z]{{{TYPO_LENGTH},}}", padded):
            if hit.group() in self._by_key:
                continue
            near = {
                self._by_key[k]
                for k in self._long
                if OSA.distance(hit.group(), k, score_cutoff=1) <= 1
            }
            if len(near) == 1:
                found.append((hit.start(), hit.end(), near.pop()))
        return found

    def named_in(self, text: str) -> str | None:
        """The one value that a word or phrase of `text` names (`I want more sales` -> sales);
        None when none does, or several do."""
        named = {value for _start, _end, value in self._named(text)}
        return named.pop() if len(named) == 1 else None

    def all_named_in(self, text: str) -> list[str]:
        """Every value a word or phrase of `text` names, in the order written. A phrase inside
        a longer one counts only as part of it: `home improvement` names DIY, not Home."""
        return list(dict.fromkeys(value for _start, _end, value in self._kept(text)))

    def named_before(self, text: str, words: frozenset[str]) -> list[str]:
        """The values named right before one of `words` (`board game` in `a board game
        cafe`), else by a phrase ending with one (`bike shop` in `a family bike shop`)."""
        padded = f" {normalize(text)} "
        kept = self._kept(text)
        before = [v for _s, end, v in kept if (padded[end:].split() or [""])[0] in words]
        ending = [v for start, end, v in kept if padded[start:end].split()[-1] in words]
        return list(dict.fromkeys(before or ending))

    def _kept(self, text: str) -> list[tuple[int, int, str]]:
        kept: list[tuple[int, int, str]] = []
        for start, end, value in sorted(self._named(text), key=lambda s: s[0] - s[1]):
            if all(end <= other_start or start >= other_end for other_start, other_end, _ in kept):
                kept.append((start, end, value))
        return sorted(kept)


# French niche words that are English words too, read as a niche only in French: `pain`
# (bread, not `pain relief`), `the` (`salon de the`, thé typed without its accent).
FRENCH_ONLY_WORDS = frozenset({"pain", "the", "lecture", "roman"})


def niche_vocabulary(
    kb: KnowledgeBase, roster_niches: Iterable[str], french: bool = True
) -> Vocabulary:
    """The known niches and the roster's own; built once per set of niches. Not `french`:
    without FRENCH_ONLY_WORDS."""
    return _niche_vocabulary(kb, frozenset(roster_niches), french)


@lru_cache(maxsize=64)
def _niche_vocabulary(kb: KnowledgeBase, roster_niches: frozenset[str], french: bool) -> Vocabulary:
    names: dict[str, tuple[str, ...]] = {
        slug: tuple(
            w
            for w in (n.label, n.label_fr, *n.synonyms)
            if french or normalize(w) not in FRENCH_ONLY_WORDS
        )
        for slug, n in kb.niches.items()
    }
    for slug in sorted(roster_niches):
        names.setdefault(slug, (slug.replace("-", " "),))
    return Vocabulary(names)


# Words never read as a niche inside a sentence, in whichever language it is written:
# everyday words of a brief (`budget`, `argent`, `investir`, `réseaux sociaux`), or French
# niche words that are English words once their accents are dropped, or as they are (`thé`
# → `the`, `pêche` → `peche`, `lecture`, `roman`, `chat`, `basket`). An accented one is
# still read with its accents (`salon de thé`).
SENTENCE_STOP_WORDS = frozenset(
    {
        "budget",
        "argent",
        "investir",
        "investissement",
        "chat",
        "mobile",
        "look",
        "week end",
        "livre",
        "reseaux sociaux",
        "peche",
        "travaux",
        "basket",
        "dressing",
    }
)


def niche_words_vocabulary(
    kb: KnowledgeBase, roster_niches: Iterable[str], french: bool = False
) -> Vocabulary:
    """The niches by their names and synonyms in English and French, and the roster's own:
    to find the niches a sentence names (`I sell handmade candles`, `je fais du pain au
    levain`), everyday words aside (`SENTENCE_STOP_WORDS`), and FRENCH_ONLY_WORDS unless
    the sentence is `french`."""
    return _niche_words_vocabulary(kb, frozenset(roster_niches), french)


@lru_cache(maxsize=64)
def _niche_words_vocabulary(
    kb: KnowledgeBase, roster_niches: frozenset[str], french: bool
) -> Vocabulary:
    names: dict[str, list[str]] = {}
    accented: dict[str, str] = {}
    stop = SENTENCE_STOP_WORDS if french else SENTENCE_STOP_WORDS | FRENCH_ONLY_WORDS
    for slug, n in kb.niches.items():
        for word in (n.label, n.label_fr, *n.synonyms):
            if normalize(word) not in stop:
                names.setdefault(slug, []).append(word)
            elif ascii_fold(word) != word.lower():
                accented[word] = slug
    for slug in sorted(roster_niches):
        names.setdefault(slug, [slug.replace("-", " ")])
    return Vocabulary(names, accented)


@lru_cache(maxsize=8)
def platform_vocabulary(kb: KnowledgeBase) -> Vocabulary:
    return Vocabulary({slug: (p.label, *p.synonyms) for slug, p in kb.platforms.items()})


# Synonyms that are a platform's name as people shorten or spell it, read in a sentence too.
NAME_SPELLINGS = frozenset({"insta", "twitter", "tik tok", "you tube", "linked in"})


@lru_cache(maxsize=8)
def platform_name_vocabulary(kb: KnowledgeBase) -> Vocabulary:
    """Platforms by their names (and NAME_SPELLINGS) only, to find one named in a sentence:
    synonyms such as `site`, `web` or `stream` are ordinary words there (`sales on my
    website`)."""
    return Vocabulary(
        {
            slug: (p.label, *(w for w in p.synonyms if w in NAME_SPELLINGS))
            for slug, p in kb.platforms.items()
        }
    )


@cache
def goal_vocabulary() -> Vocabulary:
    return Vocabulary({goal.value: words for goal, words in GOAL_WORDS.items()})


# `+` for `plus`, as typed on a phone (`+ de clients`, `vendre +`), not in `+33` or `1k+`.
_PLUS = re.compile(r"\+(?![\d+])|(?<=[^\d\s+])\++|(?<=\s)\++(?!\d)")


def match_goal(text: str) -> Match:
    """A goal as typed: a goal's name or synonym, a close spelling, or a sentence naming one
    goal only (`Sales / conversions`, `we want to sell more`, `+ de clients`). Only goals are
    read from a sentence: they are a closed set of five, while a niche word inside a longer
    text may be a new niche."""
    text = _PLUS.sub(" plus ", text)
    vocabulary = goal_vocabulary()
    match = vocabulary.match(text)
    if match.value is None and (named := vocabulary.named_in(text)) is not None:
        return Match(named)
    return match


# Words after which a sentence says what its writer wants (`we sell tea and want a community`):
# a goal named there is the goal, one named before may say what the business does.
_WISH = re.compile(
    r"(?i)\b(?:want\w*|wanna|would like|'d like|like to|need\w*|hop(?:e|ing)|goal|objective|aim"
    r"|looking for|for|to|veu[xt]|voudr\w*|voulons|aimer\w*|souhait\w*|besoin|objectif|pour)\b"
)


def goal_in_sentence(text: str) -> str | None:
    """The goal a sentence names: the one it names, else the one named after it says what it
    wants (`we sell organic tea, want to grow our community`: community), else a launch
    named with the buzz it should make (`some buzz for the release`: a launch). A close
    spelling is a goal only at the goal's own question: in a sentence, `cooking` is a niche,
    not `bookings` misspelt. A goal alone as an item of a list settles two named."""
    text = _PLUS.sub(" plus ", text)
    goal = goal_vocabulary().exact(text) or goal_vocabulary().named_in(text)
    named = set(goal_vocabulary().all_named_in(text))
    if goal is None and "launch" in named and named <= {"launch", "awareness", "community"}:
        return "launch"
    wish = _WISH.search(text)
    if goal is None and wish is not None:
        goal = goal_vocabulary().named_in(text[wish.end() :])
    # A goal alone as an item of a list wins over one the rest implies (`I sell dog treats,
    # €5,000, community, …`: community, not sales).
    listed = {goal_vocabulary().exact(item) for item in re.split(r"[,;\n]+", text)} - {None}
    if goal is None and len(listed) == 1:
        goal = listed.pop()
    return goal


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

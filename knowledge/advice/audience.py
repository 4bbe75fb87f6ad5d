"""Whose audience a brief wants, and which roster rows are one person.

A candidate's `country` and `language` are two-letter codes (storage reads the roster's
words into codes before the advice sees them: `knowledge.reading.places`).
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from knowledge.advice.brief import Brief, Candidate

# Countries whose people speak several languages (the ones creators post in): an audience
# there is also a language (knowledge.reading.places reads the owner's as theirs).
SEVERAL_LANGUAGES = {
    "BE": ("fr", "nl", "de"),
    "CH": ("de", "fr", "it"),
    "CA": ("en", "fr"),
    "LU": ("fr", "de"),
}
# Countries whose audiences creators address in one language.
ONE_LANGUAGE = {
    "FR": "fr",
    "MC": "fr",
    "GB": "en",
    "US": "en",
    "IE": "en",
    "AU": "en",
    "NZ": "en",
    "DE": "de",
    "AT": "de",
    "ES": "es",
    "MX": "es",
    "IT": "it",
    "NL": "nl",
    "PT": "pt",
    "BR": "pt",
}


def spoken_language(
    country: str | None, language: str | None, brief_country: str | None, brief_language: str | None
) -> str | None:
    """The language a creator's audience speaks (None: nothing says): the roster's, else
    their country's (the brief's when the roster names none) where it has one, else the
    brief's language for the brief's own country, when that country speaks it."""
    if language:
        return language.lower()
    where = (country or brief_country or "").upper()
    if where in ONE_LANGUAGE:
        return ONE_LANGUAGE[where]
    wanted = (brief_language or "").lower()
    if not wanted or where != (brief_country or "").upper():
        return None
    return wanted if wanted in SEVERAL_LANGUAGES.get(where, (wanted,)) else None


def audience_match(c: Candidate, country: str | None, language: str | None) -> int:
    """How many of the brief's country and language the creator's audience matches (0–2)."""
    return int(country is not None and c.country == country) + int(
        language is not None and c.language == language
    )


def on_target(c: Candidate, brief: Brief) -> bool | None:
    """Whether the creator's audience is the one the brief names (None: it names none)."""
    wanted = int(brief.country is not None) + int(brief.language is not None)
    if not wanted:
        return None
    return audience_match(c, brief.country, brief.language) == wanted


def contact_key(contact: str | None) -> str:
    """The form two roster rows' contacts are compared in ('' for none)."""
    return " ".join((contact or "").lower().split())


@lru_cache(maxsize=100_000)
def name_key(name: str) -> str:
    """The form two roster rows' names are compared in: `Léa  MARTIN` and `lea martin`."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def same_person(a: Candidate, b: Candidate) -> bool:
    """One person behind two rows: the same name on two platforms, or the same name and the
    same contact. A contact shared by different names (an agency's booking address) is not
    enough, and two accounts of one name on one platform with no shared contact are two
    people."""
    if name_key(a.name) != name_key(b.name):
        return False
    shared_contact = bool(contact_key(a.contact)) and contact_key(a.contact) == contact_key(
        b.contact
    )
    return a.platform != b.platform or shared_contact


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def people(candidates: Iterable[Candidate]) -> list[list[Candidate]]:
    """The candidates grouped by person: rows `same_person` links, directly or through
    another row (so that the groups do not depend on the roster's order), each group in id
    order, the groups in order of their first id."""
    by_name: dict[str, list[Candidate]] = defaultdict(list)
    for c in sorted(candidates, key=lambda c: c.id):
        by_name[name_key(c.name)].append(c)
    groups: list[list[Candidate]] = []
    for namesakes in by_name.values():
        parent = list(range(len(namesakes)))
        for i, j in itertools.combinations(range(len(namesakes)), 2):
            if same_person(namesakes[i], namesakes[j]):
                parent[_root(parent, j)] = _root(parent, i)
        linked: dict[int, list[Candidate]] = defaultdict(list)
        for i, c in enumerate(namesakes):
            linked[_root(parent, i)].append(c)
        groups += linked.values()
    return sorted(groups, key=lambda group: group[0].id)


def one_account_each(groups: Sequence[Sequence[Candidate]], rank: dict[int, float]) -> list[int]:
    """For each person, the id of the account with the best `rank` (then the cheapest, then
    the lowest id)."""
    return [min(group, key=lambda c: (-rank[c.id], c.price_cents, c.id)).id for group in groups]


def audience_known(brief: Brief, candidates: Sequence[Candidate]) -> tuple[Brief, dict[str, str]]:
    """The brief to plan with: without the country (or language) it names when no candidate's
    row says one (a roster without audiences can't favour one), and what was set aside."""
    unknown: dict[str, str] = {}
    if brief.country is not None and not any(c.country for c in candidates):
        unknown["country"] = brief.country
    if brief.language is not None and not any(c.language for c in candidates):
        unknown["language"] = brief.language
    if not unknown or not candidates:
        return brief, {}
    country = None if "country" in unknown else brief.country
    language = None if "language" in unknown else brief.language
    return replace(brief, country=country, language=language), unknown

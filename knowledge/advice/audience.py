"""Whose audience a brief wants, and which roster rows are one person.

A candidate's `country` and `language` are two-letter codes (storage reads the roster's
words into codes before the advice sees them: `knowledge.reading.places`).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence

from knowledge.advice.brief import Brief, Candidate


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


def people(candidates: Iterable[Candidate]) -> list[list[Candidate]]:
    """The candidates grouped by person, in the order of each person's first row."""
    by_name: dict[str, list[list[Candidate]]] = defaultdict(list)
    order: list[list[Candidate]] = []
    for c in candidates:
        groups = by_name[name_key(c.name)]
        group = next((g for g in groups if any(same_person(c, other) for other in g)), None)
        if group is None:
            group = []
            groups.append(group)
            order.append(group)
        group.append(c)
    return order


def one_account_each(groups: Sequence[Sequence[Candidate]], rank: dict[int, float]) -> list[int]:
    """For each person, the id of the account with the best `rank` (then the cheapest, then
    the lowest id)."""
    return [min(group, key=lambda c: (-rank[c.id], c.price_cents, c.id)).id for group in groups]

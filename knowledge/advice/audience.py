"""Whose audience a brief wants, and which roster rows are one person.

A candidate's `country` and `language` are two-letter codes (storage reads the roster's
words into codes before the advice sees them: `knowledge.reading.places`).
"""

from __future__ import annotations

from knowledge.advice.brief import Candidate


def audience_match(c: Candidate, country: str | None, language: str | None) -> int:
    """How many of the brief's country and language the creator's audience matches (0–2)."""
    return int(country is not None and c.country == country) + int(
        language is not None and c.language == language
    )


def contact_key(contact: str | None) -> str:
    """The form two roster rows' contacts are compared in ('' for none)."""
    return " ".join((contact or "").lower().split())

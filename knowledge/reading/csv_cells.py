"""CSV cells as people and spreadsheets write them: the key a header cell is read as, and
numbers written with a decimal comma."""

from __future__ import annotations

import re

from knowledge.reading.matching import ascii_fold

# Little French words a header may hold or drop (« Taux d'engagement », « Taux engagement »).
_LITTLE_WORDS = frozenset({"a", "au", "aux", "d", "de", "des", "du", "l", "la", "le", "les"})
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_WORD = re.compile(r"[\W_]+")
_COMMA_DECIMAL = re.compile(r"\d[\d. '’\u00a0\u202f\u2009]*,\d+")


def header_key(header: str) -> str:
    """A header cell as a key: case, accents, apostrophes, spaces, hyphens and what is in
    brackets (a unit) forgiven, and the little French words left out: « Taux d'engagement
    (%) » → `taux_engagement`, "Engagement rate" → `engagement_rate`."""
    words = [w for w in _NOT_WORD.split(_BRACKETS.sub(" ", ascii_fold(header))) if w]
    kept = [w for w in words if w not in _LITTLE_WORDS]
    return "_".join(kept or words)


def with_decimal_point(text: str) -> str:
    """A number written with a decimal comma (`1 250,50`, `1.250,5`, `1,250`, as a French
    spreadsheet saves them) with a point instead, grouping dropped, so that the number readers
    (knowledge.reading.parsing) take the comma as decimal even before three digits: `1,250` →
    `1.2500`."""

    def pointed(match: re.Match[str]) -> str:
        whole, fraction = match[0].rsplit(",", 1)
        digits = "".join(c for c in whole if c.isdigit())
        return f"{digits}.{fraction}" + ("0" if len(fraction) == 3 else "")

    return _COMMA_DECIMAL.sub(pointed, text)

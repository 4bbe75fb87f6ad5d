"""Money as people type it on a phone: `500e`, `500 balles`, `mille euros`, `deux mille €`."""

from __future__ import annotations

import re

# Written only right after an amount: `500e`, `1.5k e` (`e` alone is no currency before one).
AFTER_AMOUNT_ALIASES = {"e": "EUR"}
# Slang for money in the country's own currency (`500 balles`: euros in France, francs in
# Switzerland): the amount is in the deployment's currency, whichever it is.
LOCAL_MONEY = "*"
LOCAL_MONEY_WORDS = frozenset({"balle", "balles", "boules", "buck", "bucks"})
# After a number, `e` is an ordinal, not euros, before these words: `le 5e arrondissement`.
ORDINAL_NOUNS = frozenset(
    {"arrondissement", "arr", "siecle", "siècle", "etage", "étage", "edition", "édition", "rang"}
)

_UNITS = {
    "a": 1,
    "one": 1,
    "un": 1,
    "une": 1,
    "two": 2,
    "deux": 2,
    "three": 3,
    "trois": 3,
    "four": 4,
    "quatre": 4,
    "five": 5,
    "cinq": 5,
    "six": 6,
    "seven": 7,
    "sept": 7,
    "eight": 8,
    "huit": 8,
    "nine": 9,
    "neuf": 9,
    "ten": 10,
    "dix": 10,
}
_SPELLED = re.compile(rf"(?i)\b(?:({'|'.join(_UNITS)})\s+)?(?:mille|thousand)\b(?!-)")


def _digits(match: re.Match[str]) -> str:
    if re.search(r"\d\s*$", match.string[: match.start()]):
        return match.group(0)
    unit = match.group(1)
    value = _UNITS[unit.lower()] * 1000 if unit else 1000
    return str(value).ljust(len(match.group(0)))


def spelled_out(text: str) -> str:
    """`mille euros` → `1000  euros`, `deux mille €` → `2000       €`: thousands written in
    words as figures, each in as many characters as its words (places in `text` still hold),
    a thousand after a figure left as is (`2 mille`)."""
    return _SPELLED.sub(_digits, text)

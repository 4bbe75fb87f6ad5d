"""Tracking per creator: a readable promo code each (`BAKERY-ANNA10`: the shop, the
creator's first name, the discount), unique within a plan, and a link to the shop tagged
with the UTM parameters analytics tools read (`utm_source`: the creator's handle,
`utm_medium`: the platform, `utm_campaign`: the campaign, `utm_content`: the creator)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SHOP_LETTERS = 14  # at most, in a code's shop part
SHORT = 3  # letters: a word this short (`la`, `the`) makes no shop part on its own
CREATOR_LETTERS = 8  # at most, in a code's creator part (before a repeat's number)
_NOT_CODE = re.compile(r"[^A-Z0-9]+")


def plain_words(text: str) -> list[str]:
    """`Léa-Rose Müller` → `['LEA', 'ROSE', 'MULLER']`: the words of `text` in capital
    letters and digits without accents (other scripts dropped)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return [word for word in _NOT_CODE.split(folded.upper()) if word]


def _joined(words: list[str], limit: int) -> str:
    """Whole words while they fit in `limit` letters; all of them cut at `limit` when
    that would leave a short word alone (`LA` of `La Boulangerie Dupont`)."""
    joined = ""
    for word in words:
        if joined and len(joined) + len(word) > limit:
            break
        joined += word
    if len(joined) <= SHORT < len("".join(words)):
        joined = "".join(words)
    return joined[:limit]


def shop_code(shop_name: str | None, shop_url: str | None, default: str) -> str:
    """The shop part of the codes: its name (`Chez Marie` → `CHEZMARIE`), else its web
    address's host's first name after `www.` (`https://www.bakery.co.uk` → `BAKERY`), else
    `default`."""
    if shop_name and (named := _joined(plain_words(shop_name), SHOP_LETTERS)):
        return named
    host = (urlsplit(shop_url).hostname or "") if shop_url else ""
    hosted = _joined(plain_words(host.removeprefix("www.").split(".")[0]), SHOP_LETTERS)
    return hosted or default


@dataclass(frozen=True)
class Creator:
    id: int
    name: str
    handle: str


def _code(shop: str, creator: str, discount_pct: int) -> str:
    # A creator part ending in a digit keeps a hyphen before the discount: `ANNA2-10`.
    joint = "-" if creator[-1].isdigit() else ""
    return f"{shop}-{creator}{joint}{discount_pct}"


def _tries(creator: Creator) -> Iterable[str]:
    """The creator parts to try, in order: the first name, then with the last name's
    initial, then the first name numbered 2, 3…"""
    words = plain_words(creator.name) or plain_words(creator.handle) or ["CREATOR"]
    first = words[0][:CREATOR_LETTERS]
    yield first
    if len(words) > 1:
        yield first + words[-1][0]
    number = 2
    while True:
        yield f"{first}{number}"
        number += 1


def promo_codes(creators: Iterable[Creator], shop: str, discount_pct: int) -> dict[int, str]:
    """A code per creator id, unique among them, in the order given (the first Anna gets
    `SHOP-ANNA10`, the next `SHOP-ANNAM10`); a creator given twice keeps one code."""
    codes: dict[int, str] = {}
    for creator in creators:
        if creator.id not in codes:
            codes[creator.id] = code_for(creator, shop, discount_pct, set(codes.values()))
    return codes


def code_for(creator: Creator, shop: str, discount_pct: int, taken: set[str]) -> str:
    """The creator's code, not one of `taken` (a creator joining a campaign: not one its
    other creators have)."""
    return next(
        code for part in _tries(creator) if (code := _code(shop, part, discount_pct)) not in taken
    )


def slug(text: str) -> str:
    """`Léa Martin` → `lea-martin`: a tag for an analytics report."""
    return "-".join(plain_words(text)).lower()


def campaign_tag(shop: str, goal: str) -> str:
    """The `utm_campaign` of a plan: the shop and the goal (`bakery-sales`)."""
    return f"{slug(shop)}-{goal}"


def tracked_link(shop_url: str, *, source: str, medium: str, campaign: str, content: str) -> str:
    """The shop's address with this creator's UTM tags; the address's own query kept (any
    UTM tags it had replaced), its fragment too."""
    parts = urlsplit(shop_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    query = [(k, v) for k, v in query if not k.lower().startswith("utm_")]
    query += [
        ("utm_source", source),
        ("utm_medium", medium),
        ("utm_campaign", campaign),
        ("utm_content", content),
    ]
    return urlunsplit(parts._replace(path=parts.path or "/", query=urlencode(query)))

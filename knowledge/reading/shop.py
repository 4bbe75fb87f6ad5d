"""The shop's answers of a brief, as typed: the promo codes' discount (`15`, `15 %`), the
shop's web address (`https://example.com`, or `example.com`, read as https), its name, and
the days of paid use of the creators' posts it buys (`30`, `30 days`, `30 jours`; `no`: organic
use only), with the keys that name them (`discount=`, `remise=`, `ads=`, `pub=`…)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from knowledge.reading.parsing import parse_percent

DISCOUNT, SHOP, SHOP_NAME, PAID_USE = "discount", "shop", "shop_name", "paid_use"
FIELDS = (DISCOUNT, SHOP, SHOP_NAME, PAID_USE)
KEY_ALIASES = {
    **dict.fromkeys(("discount", "remise", "réduction", "reduction"), DISCOUNT),
    **dict.fromkeys(("shop", "shop_url", "website", "boutique", "site_web"), SHOP),
    **dict.fromkeys(("shop_name", "nom_boutique"), SHOP_NAME),
    **dict.fromkeys(("ads", "paid_use", "paid_ads", "pub", "publicité", "publicite"), PAID_USE),
}
MAX_DISCOUNT = 90  # percent: a code giving more away is a typo
MAX_ADDRESS = 300  # characters
MAX_NAME = 60  # characters
# A host name: labels of letters, digits and hyphens (any script), with a dot between two.
_HOST = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_][\w-]*[^\W_]|localhost")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)")  # `example.com:8080` has none
_DAYS = re.compile(r"(\d+)\s*(?:d|days?|j|jours?)?\.?", re.IGNORECASE)
NO_PAID_USE = frozenset({"no", "none", "organic", "0", "non", "aucun", "aucune", "organique"})


_NAME = r"[\"“«']?\s*(?P<name>[^,.;:!?\n\"”»]{1,60}?)\s*[\"”»']?(?=\s*(?:[,.;!?\n]|$))"
# The shop's name in a sentence: `my shop is called VivaFit`, `our brand is named Lune`, `shop
# name: Therma`, `ma boutique s'appelle Atelier Lune`, `nom de la boutique : Chez Marie`.
_NAMED = re.compile(
    r"\b(?:(?:my|our)\s+(?:shop|store|brand|business|company|bakery|restaurant|salon|caf[eé])"
    r"\s+is\s+(?:called|named)|(?:shop|store|brand)\s+name\s*(?:is|:|=)?"
    r"|\b(?:a|an|my|our)\s+(?:shop|store|brand|business|bakery|caf[eé])\s+(?:called|named)"
    r"|(?:ma|notre)\s+(?:boutique|marque|entreprise|soci[eé]t[eé]|enseigne|magasin|"
    r"boulangerie|p[aâ]tisserie)\s+s['’]\s*appelle"
    r"|nom\s+de\s+(?:la|ma|notre)\s+(?:boutique|marque)\s*(?:est|:)?"
    r"|(?:boutique|marque)\s+(?:appel[eé]e|nomm[eé]e))\s*:?\s*" + _NAME,
    re.IGNORECASE,
)
MAX_NAME_WORDS = 5  # a longer "name" is the rest of a sentence
_NOT_NAMES = frozenset({"me", "us", "you", "him", "her", "them", "it", "and", "et", "moi", "nous"})


def shop_name_in(text: str) -> str | None:
    """The shop's name a sentence gives (`…, my shop is called VivaFit`), else None."""
    found = _NAMED.search(text)
    if found is None:
        return None
    name = " ".join(found.group("name").split())
    words = name.lower().split()
    if not 0 < len(words) <= MAX_NAME_WORDS or words[0] in _NOT_NAMES:
        return None
    return name


def read_discount(text: str) -> int:
    """A whole percentage from 1 to MAX_DISCOUNT (`15`, `15 %`). Raises ValueError."""
    value = parse_percent(text)
    if value != int(value) or not 1 <= value <= MAX_DISCOUNT:
        raise ValueError(f"not a discount: {text!r}")
    return int(value)


def read_paid_use(text: str, days: tuple[int, ...]) -> int | None:
    """The days of paid use asked (`30`, `30 days`, `30 j`), one of `days` (posts.toml's);
    None for organic use only (`no`, `0`, `non`). Raises ValueError for anything else."""
    words = " ".join(text.lower().split())
    if words in NO_PAID_USE:
        return None
    found = _DAYS.fullmatch(words)
    if found is None or int(found.group(1)) not in days:
        raise ValueError(f"not a paid use: {text!r}")
    return int(found.group(1))


def read_shop_address(text: str) -> str:
    """An http or https web address of a host (`example.com` alone is read as https);
    ValueError for any other scheme (`ftp:`, `javascript:`), a login in it, spaces, or no
    host name."""
    text = text.strip()
    if not _SCHEME.match(text):
        text = f"https://{text}"
    if len(text) > MAX_ADDRESS or any(c.isspace() for c in text):
        raise ValueError(f"not a web address: {text!r}")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  (a port that is not a number raises ValueError)
    except ValueError:
        raise ValueError(f"not a web address: {text!r}") from None
    host = parts.hostname or ""
    if parts.scheme.lower() not in ("http", "https") or "@" in parts.netloc:
        raise ValueError(f"not an http or https address: {text!r}")
    if not _HOST.fullmatch(host):
        raise ValueError(f"no host name in {text!r}")
    return text


def take_shop_answer(
    field: str, answers: dict[str, Any], text: str, paid_days: tuple[int, ...]
) -> dict[str, Any] | None:
    """Read `text` as the answer to a shop `field` into `answers`; None when understood,
    else the problem to show (`answers` left as it was; for paid use, the `days` it takes).
    `paid_days`: the days of paid use a brief may ask. ValueError for another field."""
    if field not in FIELDS:
        raise ValueError(f"no such brief field: {field}")
    text = text.strip()
    try:
        if field == DISCOUNT:
            answers[DISCOUNT] = read_discount(text)
        elif field == SHOP:
            answers[SHOP] = read_shop_address(text)
        elif field == PAID_USE:
            answers[PAID_USE] = read_paid_use(text, paid_days)
        else:
            if not text or len(text) > MAX_NAME:
                raise ValueError(f"not a shop name: {text!r}")
            answers[SHOP_NAME] = " ".join(text.split())
    except ValueError:
        return {"text": text, "days": list(paid_days)} if field == PAID_USE else {"text": text}
    return None

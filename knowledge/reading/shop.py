"""The shop's answers of a brief, as typed: the promo codes' discount (`15`, `15 %`), the
shop's web address (`https://example.com`, or `example.com`, read as https) and its name."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from knowledge.reading.parsing import parse_percent

DISCOUNT, SHOP, SHOP_NAME = "discount", "shop", "shop_name"
FIELDS = (DISCOUNT, SHOP, SHOP_NAME)
MAX_DISCOUNT = 90  # percent: a code giving more away is a typo
MAX_ADDRESS = 300  # characters
MAX_NAME = 60  # characters
# A host name: labels of letters, digits and hyphens (any script), with a dot between two.
_HOST = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_][\w-]*[^\W_]|localhost")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)")  # `example.com:8080` has none


def read_discount(text: str) -> int:
    """A whole percentage from 1 to MAX_DISCOUNT (`15`, `15 %`). Raises ValueError."""
    value = parse_percent(text)
    if value != int(value) or not 1 <= value <= MAX_DISCOUNT:
        raise ValueError(f"not a discount: {text!r}")
    return int(value)


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


def take_shop_answer(field: str, answers: dict[str, Any], text: str) -> dict[str, Any] | None:
    """Read `text` as the answer to a shop `field` into `answers`; None when understood,
    else the problem to show (`answers` left as it was). ValueError for another field."""
    if field not in FIELDS:
        raise ValueError(f"no such brief field: {field}")
    text = text.strip()
    try:
        if field == DISCOUNT:
            answers[DISCOUNT] = read_discount(text)
        elif field == SHOP:
            answers[SHOP] = read_shop_address(text)
        else:
            if not text or len(text) > MAX_NAME:
                raise ValueError(f"not a shop name: {text!r}")
            answers[SHOP_NAME] = " ".join(text.split())
    except ValueError:
        return {"text": text}
    return None

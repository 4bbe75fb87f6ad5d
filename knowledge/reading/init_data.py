"""A Mini App's `initData`: the signed query string Telegram hands a page it opens, checked
the way Telegram's Mini App docs say ("Validating data received via the Mini App").

The data-check string is every field but `hash`, as `key=value`, sorted by key, joined by
line feeds; the secret key is HMAC-SHA256 of the bot token under the key "WebAppData"; the
`hash` is the hex HMAC-SHA256 of the data-check string under that secret key. `auth_date`
(Unix seconds) must be no older than the page's allowed age. Pure: the time is passed in.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qsl, urlencode

# A clock a little ahead of ours is not a forgery: Telegram's servers sign with theirs.
CLOCK_SKEW_SECONDS = 60.0
MAX_INIT_DATA = 8192


class Refusal(StrEnum):
    """Why initData is refused (every one answered 401)."""

    MISSING = "missing"
    MALFORMED = "malformed"
    FORGED = "forged"
    EXPIRED = "expired"


class InitDataRefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class WebAppUser:
    """The Telegram user a checked initData names."""

    id: int
    first_name: str
    language_code: str | None


def secret_key(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def _hash(fields: Mapping[str, str], token: str) -> str:
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    return hmac.new(secret_key(token), check.encode(), hashlib.sha256).hexdigest()


def signed(fields: Mapping[str, str], token: str) -> str:
    """`fields` as initData signed with `token`, as Telegram signs it (the sandbox, which has
    no Telegram, signs its own user's this way; so do the tests)."""
    return urlencode({**fields, "hash": _hash(fields, token)})


def _fields(raw: str) -> dict[str, str]:
    if not raw:
        raise InitDataRefused(Refusal.MISSING)
    if len(raw) > MAX_INIT_DATA:
        raise InitDataRefused(Refusal.MALFORMED)
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataRefused(Refusal.MALFORMED) from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataRefused(Refusal.MALFORMED)  # a field given twice
    return fields


def _user(fields: Mapping[str, str]) -> WebAppUser:
    try:
        user = json.loads(fields["user"])
        user_id = user["id"]
    except (KeyError, TypeError, ValueError):
        raise InitDataRefused(Refusal.MALFORMED) from None
    if type(user_id) is not int or user_id <= 0:
        raise InitDataRefused(Refusal.MALFORMED)
    language = user.get("language_code")
    return WebAppUser(
        user_id,
        str(user.get("first_name") or ""),
        language if isinstance(language, str) else None,
    )


def read_init_data(raw: str, *, token: str, now: float, max_age: float) -> WebAppUser:
    """The user `raw` names, once its signature under `token` and its age (`now` in Unix
    seconds) are checked; InitDataRefused otherwise."""
    fields = _fields(raw)
    given = fields.pop("hash", "")
    if not given:
        raise InitDataRefused(Refusal.MISSING)
    if not hmac.compare_digest(given.encode(), _hash(fields, token).encode()):
        raise InitDataRefused(Refusal.FORGED)
    try:
        auth_date = int(fields.get("auth_date", ""))
    except ValueError:
        raise InitDataRefused(Refusal.MALFORMED) from None
    if not now - max_age <= auth_date <= now + CLOCK_SKEW_SECONDS:
        raise InitDataRefused(Refusal.EXPIRED)
    return _user(fields)

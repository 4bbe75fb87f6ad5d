"""Check roster fields as people write them (CSV cells, chat answers) and build records.

One parser per field serves the CSV import, `/add` (field by field) and `/edit`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from knowledge.base import KnowledgeBase
from knowledge.matching import canonical_niche, platform_vocabulary
from knowledge.parsing import BudgetError, parse_count, parse_percent, parse_price
from storage.models import InfluencerCreate

REQUIRED = ("name", "handle", "platform", "niche", "followers", "engagement_rate", "price_per_post")
OPTIONAL = (
    "currency",
    "country",
    "language",
    "posts_per_week",
    "audience_quality",
    "open_to_exclusivity",
    "contact",
    "notes",
)
COLUMNS = REQUIRED + OPTIONAL
# Where a column's value lives on the record, when the name differs.
ATTRIBUTE = {"niche": "niches", "price_per_post": "price_cents"}
TRUE_WORDS = {"yes", "y", "true", "1", "oui", "x"}
FALSE_WORDS = {"no", "n", "false", "0", "non", ""}
# The order fields are checked in: the platform first, since the handle's rules depend on it.
CHECK_ORDER = ("platform", *(c for c in COLUMNS if c != "platform"))
_WHITESPACE = re.compile(r"\s")
MAX_TEXT = {"name": 200, "country": 60, "language": 40, "contact": 300, "notes": 2000}


@dataclass(frozen=True)
class FieldProblem:
    field: str
    value: str
    message: str

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 40 else self.value[:39] + "…"
        return f"{self.field} “{shown}”: {self.message}"


class RowInvalid(ValueError):
    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class FieldContext:
    kb: KnowledgeBase
    currency: str
    platform: str | None = None


@lru_cache(maxsize=1024)
def parse_platform(kb: KnowledgeBase, text: str) -> str | None:
    """A known platform id for `text` (name, label or synonym), or None."""
    match = platform_vocabulary(kb).match(text)
    return match.value if match.value and not match.suggestions else None


def _text(name: str) -> Callable[[str, FieldContext], str | None]:
    def parse(text: str, _ctx: FieldContext) -> str | None:
        if len(text) > MAX_TEXT[name]:
            raise ValueError(f"is longer than {MAX_TEXT[name]} characters")
        return text or None

    return parse


def _platform(text: str, ctx: FieldContext) -> str:
    platform = parse_platform(ctx.kb, text)
    if platform is None:
        raise ValueError("is not a known platform (" + ", ".join(ctx.kb.platforms) + ")")
    return platform


def _handle(text: str, ctx: FieldContext) -> str:
    if ctx.platform and not re.fullmatch(ctx.kb.platforms[ctx.platform].handle_pattern, text):
        raise ValueError(f"is not a valid {ctx.kb.platforms[ctx.platform].label} handle")
    if len(text) > 200 or _WHITESPACE.search(text):
        raise ValueError("must be one word, without spaces")
    return text


def _niches(text: str, ctx: FieldContext) -> list[str]:
    niches = list(dict.fromkeys(canonical_niche(ctx.kb, p) for p in text.split(";") if p.strip()))
    if not niches or any(not n for n in niches):
        raise ValueError("needs at least one niche name (several separated by ;)")
    return niches


def _followers(text: str, _ctx: FieldContext) -> int:
    try:
        count = parse_count(text)
    except ValueError:
        raise ValueError("is not a number like 24000, 24k or 1.2M") from None
    if count <= 0:
        raise ValueError("must be a positive whole number")
    return count


def _rate(text: str, _ctx: FieldContext) -> float:
    try:
        rate = parse_percent(text)
    except ValueError:
        raise ValueError("is not a percentage like 3.2 or 3.2%") from None
    if not 0 <= rate <= 100:
        raise ValueError("must be between 0 and 100 %")
    return rate


def _price(text: str, ctx: FieldContext) -> int:
    try:
        return parse_price(text, ctx.currency)
    except BudgetError as exc:  # the only one parse_price raises: another currency
        raise ValueError(
            f"is in {exc.currency}: this roster's prices are all in {ctx.currency.upper()}"
        ) from None
    except ValueError:
        raise ValueError("is not a price of zero or more, like 350 or 1.2k") from None


def _currency(text: str, ctx: FieldContext) -> str:
    if text and text.upper() != ctx.currency.upper():
        raise ValueError(f"must be {ctx.currency.upper()}: this roster's prices are all in it")
    return ctx.currency.upper()


def _posts(text: str, _ctx: FieldContext) -> float | None:
    if not text:
        return None
    try:
        posts = float(text.replace(",", "."))
    except ValueError:
        raise ValueError("is not a number") from None
    if not 0 <= posts <= 500:
        raise ValueError("must be between 0 and 500")
    return posts


def _quality(text: str, _ctx: FieldContext) -> int | None:
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,3})\s*%?", text.strip())
    if match is None or int(match[1]) > 100:
        raise ValueError("must be a whole number from 0 to 100")
    return int(match[1])


def _yes_no(text: str, _ctx: FieldContext) -> bool:
    if text.lower() not in TRUE_WORDS | FALSE_WORDS:
        raise ValueError("must be yes or no")
    return text.lower() in TRUE_WORDS


PARSERS: dict[str, Callable[[str, FieldContext], Any]] = {
    "name": _text("name"),
    "handle": _handle,
    "platform": _platform,
    "niche": _niches,
    "followers": _followers,
    "engagement_rate": _rate,
    "price_per_post": _price,
    "currency": _currency,
    "country": _text("country"),
    "language": _text("language"),
    "posts_per_week": _posts,
    "audience_quality": _quality,
    "open_to_exclusivity": _yes_no,
    "contact": _text("contact"),
    "notes": _text("notes"),
}


def parse_field(name: str, text: str, ctx: FieldContext) -> Any:
    """The value of one field as typed; raises RowInvalid naming the field and the value."""
    text = text.strip()
    if name in REQUIRED and not text:
        raise RowInvalid([FieldProblem(name, text, "is required")])
    try:
        return PARSERS[name](text, ctx)
    except ValueError as exc:
        raise RowInvalid([FieldProblem(name, text, str(exc))]) from None


def validate_row(
    raw: Mapping[str, str | None], kb: KnowledgeBase, currency: str
) -> InfluencerCreate:
    """Build an InfluencerCreate from text fields, or raise RowInvalid naming every bad field."""
    return InfluencerCreate.model_validate(row_fields(raw, kb, currency))


def row_fields(raw: Mapping[str, str | None], kb: KnowledgeBase, currency: str) -> dict[str, Any]:
    """The checked values of a row's text fields, keyed as InfluencerCreate names them, or
    RowInvalid naming every bad field.

    Every field is checked here (type, range, length), so a bulk import can write these
    values without building a record per row.
    """
    values: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    ctx = FieldContext(kb, currency)
    for name in CHECK_ORDER:
        if name == "handle":
            ctx = FieldContext(kb, currency, values.get("platform"))
        try:
            values[ATTRIBUTE.get(name, name)] = parse_field(name, raw.get(name) or "", ctx)
        except RowInvalid as exc:
            problems.extend(exc.problems)
    if problems:
        raise RowInvalid(sorted(problems, key=lambda p: COLUMNS.index(p.field)))
    return values


def row_values(item: InfluencerCreate) -> dict[str, str]:
    """The text form of a record's fields, as a CSV row or a chat user would write them."""

    def number(value: float) -> str:
        return f"{value:.6f}".rstrip("0").rstrip(".")

    return {
        "name": item.name,
        "handle": item.handle,
        "platform": item.platform,
        "niche": ";".join(item.niches),
        "followers": str(item.followers),
        "engagement_rate": number(item.engagement_rate),
        "price_per_post": number(item.price_cents / 100),
        "currency": item.currency,
        "country": item.country or "",
        "language": item.language or "",
        "posts_per_week": "" if item.posts_per_week is None else number(item.posts_per_week),
        "audience_quality": "" if item.audience_quality is None else str(item.audience_quality),
        "open_to_exclusivity": "yes" if item.open_to_exclusivity else "no",
        "contact": item.contact or "",
        "notes": item.notes or "",
    }

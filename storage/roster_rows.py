"""Check one roster row as people write it (CSV cell or chat field) and turn it into a record."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from knowledge.base import KnowledgeBase
from knowledge.matching import canonical_niche, platform_vocabulary
from knowledge.parsing import parse_count, parse_percent, parse_price
from storage.models import InfluencerCreate

T = TypeVar("T")

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
TRUE_WORDS = {"yes", "y", "true", "1", "oui", "x"}
FALSE_WORDS = {"no", "n", "false", "0", "non", ""}
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


def parse_platform(kb: KnowledgeBase, text: str) -> str | None:
    """A known platform id for `text` (name, label or synonym), or None."""
    match = platform_vocabulary(kb).match(text)
    return match.value if match.value and not match.suggestions else None


def validate_row(
    raw: Mapping[str, str | None], kb: KnowledgeBase, currency: str
) -> InfluencerCreate:
    """Build an InfluencerCreate from text fields, or raise RowInvalid naming every bad field."""
    cell = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    problems: list[FieldProblem] = []

    def problem(name: str, message: str) -> None:
        problems.append(FieldProblem(name, cell[name], message))

    for name in REQUIRED:
        if not cell[name]:
            problem(name, "is required")
    for name, limit in MAX_TEXT.items():
        if len(cell[name]) > limit:
            problem(name, f"is longer than {limit} characters")

    platform = parse_platform(kb, cell["platform"]) if cell["platform"] else None
    if cell["platform"] and platform is None:
        problem("platform", "is not a known platform (" + ", ".join(kb.platforms) + ")")
    handle = cell["handle"]
    if handle and platform and not re.fullmatch(kb.platforms[platform].handle_pattern, handle):
        problem("handle", f"is not a valid {kb.platforms[platform].label} handle")
    niches = list(
        dict.fromkeys(
            canonical_niche(kb, part) for part in cell["niche"].split(";") if part.strip()
        )
    )
    if cell["niche"] and (not niches or any(not n for n in niches)):
        problem("niche", "needs at least one niche name (several separated by ;)")

    followers = _number(cell, "followers", parse_count, problem)
    if followers is not None and followers <= 0:
        problem("followers", "must be a positive whole number")
    rate = _number(cell, "engagement_rate", parse_percent, problem)
    if rate is not None and not 0 <= rate <= 100:
        problem("engagement_rate", "must be between 0 and 100 %")
    price = _number(cell, "price_per_post", parse_price, problem)
    row_currency = cell["currency"].upper() or currency.upper()
    if row_currency != currency.upper():
        problem("currency", f"must be {currency.upper()}: this roster's prices are all in it")
    posts = _number(cell, "posts_per_week", _plain_float, problem)
    if posts is not None and not 0 <= posts <= 500:
        problem("posts_per_week", "must be between 0 and 500")
    quality = _number(cell, "audience_quality", _plain_int, problem)
    if quality is not None and not 0 <= quality <= 100:
        problem("audience_quality", "must be a whole number from 0 to 100")
    exclusive = cell["open_to_exclusivity"].lower()
    if exclusive not in TRUE_WORDS | FALSE_WORDS:
        problem("open_to_exclusivity", "must be yes or no")

    if problems:
        raise RowInvalid(problems)
    return InfluencerCreate(
        name=cell["name"],
        handle=handle,
        platform=platform or "",
        niches=niches,
        followers=followers or 0,
        engagement_rate=rate or 0.0,
        price_cents=price or 0,
        currency=row_currency,
        country=cell["country"] or None,
        language=cell["language"] or None,
        posts_per_week=posts,
        audience_quality=quality,
        open_to_exclusivity=exclusive in TRUE_WORDS,
        contact=cell["contact"] or None,
        notes=cell["notes"] or None,
    )


def _plain_float(text: str) -> float:
    value = float(text.replace(",", "."))
    if value != value:  # NaN
        raise ValueError(text)
    return value


def _plain_int(text: str) -> int:
    return int(text)


def _number(
    cell: Mapping[str, str],
    name: str,
    parser: Callable[[str], T],
    problem: Callable[[str, str], None],
) -> T | None:
    if not cell[name]:
        return None
    try:
        return parser(cell[name])
    except ValueError:
        problem(name, "is not a number")
        return None

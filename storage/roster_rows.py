"""Check roster fields as people write them (CSV cells, chat answers) and build records.

One parser per field serves the CSV import, `/add` (field by field) and `/edit`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from knowledge.base import KnowledgeBase
from knowledge.files.roster_file import (
    FRENCH_COLUMNS,
    field_name,
    labels_in_every_language,
    roster_labels,
)
from knowledge.files.spreadsheet import number_text
from knowledge.reading.csv_cells import header_key, with_decimal_point
from knowledge.reading.matching import canonical_niche, parse_platform, read_chat_niches, slugify
from knowledge.reading.parsing import (
    BudgetError,
    TooLarge,
    parse_count,
    parse_percent,
    parse_price,
)
from knowledge.writing import i18n
from knowledge.writing.i18n import _
from storage.models import InfluencerBase, InfluencerCreate, max_length

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
# A header may use a column's French name (FRENCH_COLUMNS, accents optional) instead of the
# English one, and `/export fr` writes it.
# Where a column's value lives on the record, when the name differs.
ATTRIBUTE = {"niche": "niches", "price_per_post": "price_cents"}
TRUE_WORDS = {"yes", "y", "true", "1", "oui", "x"}
FALSE_WORDS = {"no", "n", "false", "0", "non", ""}
# The order fields are checked in: the platform first, since the handle's rules depend on it.
CHECK_ORDER = ("platform", *(c for c in COLUMNS if c != "platform"))
_WHITESPACE = re.compile(r"\s")
# An engagement rate under MIN is refused (a fraction typed for a percentage); one under LOW is
# taken with a warning (big accounts sit near 0.3 %, some below).
MIN_ENGAGEMENT_RATE = 0.01
LOW_ENGAGEMENT_RATE = 0.2
# More followers than people on Earth is a typo (and a number the database can't hold is
# refused before it gets there).
MAX_FOLLOWERS = 10**10
MAX_TEXT = {
    name: max_length(InfluencerBase, name)
    for name in ("name", "country", "language", "contact", "notes")
}


# Every header a column is read from: its key, its French name, and its words in each language
# (as the spreadsheet export writes them: "Engagement rate (%)", « Taux d'engagement (%) »).
_COLUMN_ALIASES = {
    header_key(name): column
    for column, names in labels_in_every_language().items()
    for name in (column, FRENCH_COLUMNS[column], *names)
}


def column_name(header: str) -> str:
    """The column a header cell names, by its key: case, accents, apostrophes, spaces,
    hyphens, a unit in brackets and little French words forgiven (see header_key), a French
    name or words read as the column's; another name is returned as its key."""
    name = header_key(header)
    return _COLUMN_ALIASES.get(name, name)


def header_row(language: str = "en") -> list[str]:
    """The columns' names as a machine-readable CSV header in `language` (`en` or `fr`)."""
    return [FRENCH_COLUMNS[c] if language == "fr" else c for c in COLUMNS]


def header_words() -> list[str]:
    """The columns in words, in the language being spoken: the spreadsheet export's header."""
    labels = roster_labels()
    return [labels[c] for c in COLUMNS]


@dataclass(frozen=True)
class FieldProblem:
    field: str
    value: str
    message: str

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 40 else self.value[:39] + "…"
        return _("%(field)s “%(value)s”: %(problem)s") % {
            "field": field_name(self.field),
            "value": shown,
            "problem": self.message,
        }


def unknown_field(name: str) -> str:
    """A `name=value` typed in the chat whose name is no field of the roster."""
    return _("%(field)s: not a field I know") % {"field": name}


def unknown_niche(niche: str, slug: str) -> str:
    """A niche typed in the chat that the bot does not know (`slug`: how to add it)."""
    return _("niche “%(niche)s” is not a niche I know; type niche=new:%(slug)s to add it") % {
        "niche": niche,
        "slug": slug,
    }


class RowInvalid(ValueError):
    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class FieldContext:
    kb: KnowledgeBase
    currency: str
    platform: str | None = None
    # A file split by `;` (a French spreadsheet's): a comma in a price is always decimal.
    decimal_comma: bool = False


def _text(name: str) -> Callable[[str, FieldContext], str | None]:
    def parse(text: str, _ctx: FieldContext) -> str | None:
        if len(text) > MAX_TEXT[name]:
            raise ValueError(_("is longer than %(limit)s characters") % {"limit": MAX_TEXT[name]})
        return text or None

    return parse


def _platform(text: str, ctx: FieldContext) -> str:
    platform = parse_platform(ctx.kb, text)
    if platform is None:
        known = ", ".join(ctx.kb.platforms)
        raise ValueError(_("is not a known platform (%(known)s)") % {"known": known})
    return platform


def _handle(text: str, ctx: FieldContext) -> str:
    if ctx.platform and not re.fullmatch(ctx.kb.platforms[ctx.platform].handle_pattern, text):
        raise ValueError(
            _("is not a valid %(platform)s handle: type the account name, like @leacuisine")
            % {"platform": ctx.kb.platforms[ctx.platform].label}
        )
    if len(text) > max_length(InfluencerBase, "handle") or _WHITESPACE.search(text):
        raise ValueError(_("must be one word, without spaces, like @leacuisine"))
    return text


def _niches(text: str, ctx: FieldContext) -> list[str]:
    niches = list(dict.fromkeys(canonical_niche(ctx.kb, p) for p in text.split(";") if p.strip()))
    if not niches or any(not n for n in niches):
        raise ValueError(_("needs a niche, like cooking (several: cooking;travel)"))
    return niches


def _followers(text: str, _ctx: FieldContext) -> int:
    try:
        count = parse_count(text, MAX_FOLLOWERS)
    except TooLarge:
        limit = i18n.number(MAX_FOLLOWERS)
        raise ValueError(_("is more than %(limit)s: is it a typo?") % {"limit": limit}) from None
    except ValueError:
        raise ValueError(_("is not a number like 24000, 24k or 1.2M")) from None
    if count <= 0:
        raise ValueError(_("must be a whole number above zero, like 24000 or 24k"))
    return count


def _rate(text: str, _ctx: FieldContext) -> float:
    try:
        rate = parse_percent(text)
    except ValueError:
        raise ValueError(_("is not a percentage like 3.2 or 3.2%")) from None
    if not 0 <= rate <= 100:
        raise ValueError(_("must be between 0 and 100, like 4.1"))
    if rate < MIN_ENGAGEMENT_RATE:
        raise ValueError(
            _(
                "is under %(floor)s %%: rates are percentages (4.2 means 4.2 %%); "
                "if this is a fraction (0.042), multiply it by 100"
            )
            % {"floor": i18n.number(MIN_ENGAGEMENT_RATE, 2)}
        )
    return rate


def _price(text: str, ctx: FieldContext) -> int:
    try:
        return parse_price(with_decimal_point(text) if ctx.decimal_comma else text, ctx.currency)
    except BudgetError as exc:  # the only one parse_price raises: another currency
        raise ValueError(
            _("is in %(currency)s: this roster's prices are all in %(roster_currency)s")
            % {"currency": exc.currency, "roster_currency": ctx.currency.upper()}
        ) from None
    except TooLarge as exc:
        limit = i18n.money(exc.limit, ctx.currency)
        raise ValueError(_("is more than %(limit)s") % {"limit": limit}) from None
    except ValueError:
        raise ValueError(_("is not a price of zero or more, like 350 or 1.2k")) from None


def _currency(text: str, ctx: FieldContext) -> str:
    if text and text.upper() != ctx.currency.upper():
        raise ValueError(
            _("must be %(currency)s: this roster's prices are all in it")
            % {"currency": ctx.currency.upper()}
        )
    return ctx.currency.upper()


def _posts(text: str, _ctx: FieldContext) -> float | None:
    if not text:
        return None
    try:
        posts = float(text.replace(",", "."))
    except ValueError:
        raise ValueError(_("is not a number, like 3")) from None
    if not 0 <= posts <= 500:
        raise ValueError(_("must be between 0 and 500, like 3"))
    return posts


def _quality(text: str, _ctx: FieldContext) -> int | None:
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,3})\s*%?", text.strip())
    if match is None or int(match[1]) > 100:
        raise ValueError(_("must be a whole number from 0 to 100, like 80"))
    return int(match[1])


def _yes_no(text: str, _ctx: FieldContext) -> bool:
    if text.lower() not in TRUE_WORDS | FALSE_WORDS:
        raise ValueError(_("must be yes or no"))
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
        raise RowInvalid([FieldProblem(name, text, _("is required"))])
    try:
        return PARSERS[name](text, ctx)
    except ValueError as exc:
        raise RowInvalid([FieldProblem(name, text, str(exc))]) from None


def validate_row(
    raw: Mapping[str, str | None], kb: KnowledgeBase, currency: str
) -> InfluencerCreate:
    """Build an InfluencerCreate from text fields, or raise RowInvalid naming every bad field."""
    return InfluencerCreate.model_validate(row_fields(raw, kb, currency))


def row_fields(
    raw: Mapping[str, str | None], kb: KnowledgeBase, currency: str, decimal_comma: bool = False
) -> dict[str, Any]:
    """The checked values of a row's text fields, keyed as InfluencerCreate names them, or
    RowInvalid naming every bad field (`decimal_comma`: see FieldContext).

    Every field is checked here (type, range, length), so a bulk import can write these
    values without building a record per row.
    """
    values: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    ctx = FieldContext(kb, currency, decimal_comma=decimal_comma)
    for name in CHECK_ORDER:
        if name == "handle":
            ctx = FieldContext(kb, currency, values.get("platform"), decimal_comma)
        try:
            values[ATTRIBUTE.get(name, name)] = parse_field(name, raw.get(name) or "", ctx)
        except RowInvalid as exc:
            problems.extend(exc.problems)
    if problems:
        raise RowInvalid(sorted(problems, key=lambda p: COLUMNS.index(p.field)))
    return values


def row_values(item: InfluencerCreate) -> dict[str, str]:
    """The text form of a record's fields, as a CSV row or a chat user would write them."""

    return {
        "name": item.name,
        "handle": item.handle,
        "platform": item.platform,
        "niche": ";".join(item.niches),
        "followers": str(item.followers),
        "engagement_rate": number_text(item.engagement_rate),
        "price_per_post": number_text(item.price_cents / 100),
        "currency": item.currency,
        "country": item.country or "",
        "language": item.language or "",
        "posts_per_week": "" if item.posts_per_week is None else number_text(item.posts_per_week),
        "audience_quality": "" if item.audience_quality is None else str(item.audience_quality),
        "open_to_exclusivity": "yes" if item.open_to_exclusivity else "no",
        "contact": item.contact or "",
        "notes": item.notes or "",
    }


def field_changes(
    before: Mapping[str, object] | None, after: Mapping[str, object] | None
) -> list[tuple[str, object, object]]:
    """(field, old, new) for each roster field (and `active`) that differs between two
    records in their text form: an edit's preview, and an audit entry's before and after."""
    if not before or not after:
        return []
    return [
        (name, before.get(name, ""), after.get(name, ""))
        for name in (*COLUMNS, "active")
        if before.get(name) != after.get(name)
    ]


# Short names admins type in the chat for some fields (`/edit #12 er=4.5 price=400`,
# `prix=400`); the columns' own names, English or French, work too (see column_name).
FIELD_ALIASES = {
    "er": "engagement_rate",
    "engagement": "engagement_rate",
    "taux": "engagement_rate",
    "price": "price_per_post",
    "prix": "price_per_post",
    "niches": "niche",
    "exclusive": "open_to_exclusivity",
    "exclusivite": "open_to_exclusivity",
    "quality": "audience_quality",
    "qualite": "audience_quality",
    "posts": "posts_per_week",
    "publications": "posts_per_week",
    "follower": "followers",
}
_PAIR = re.compile(r'([^\W\d]\w*)\s*=\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|\S+)')


def read_pairs(text: str) -> tuple[dict[str, str], list[str]]:
    """`field=value` pairs typed in the chat (values may be quoted; aliases resolved), and
    the words that are not pairs."""
    pairs: dict[str, str] = {}
    for key, value in _PAIR.findall(text):
        if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) >= 2:
            value = value[1:-1].replace('\\"', '"')
        name = column_name(key)
        pairs[FIELD_ALIASES.get(name, name)] = value
    leftover = _PAIR.sub(" ", text).split()
    return pairs, leftover


@dataclass(frozen=True)
class TypedField:
    """A field typed in the chat: the text to keep, or the problem; or a niche not known."""

    text: str | None
    problem: str = ""
    unknown_niche: str | None = None


def check_typed_field(
    name: str,
    text: str,
    kb: KnowledgeBase,
    currency: str,
    platform_text: str,
    roster_niches: Iterable[str],
) -> TypedField:
    """Check one field as an admin typed it (`platform_text`: the platform typed so far, whose
    rules the handle follows). Niches are read as in the chat: known ones by name, a new one
    only as `new:name`."""
    if name == "niche":
        niches = read_chat_niches(text, kb, roster_niches)
        if niches.unknown:
            return TypedField(None, unknown_niche=niches.unknown)
        text = niches.text
    try:
        parse_field(name, text, FieldContext(kb, currency, parse_platform(kb, platform_text)))
    except RowInvalid as exc:
        return TypedField(None, str(exc.problems[0]))
    return TypedField(text.strip())


def shown_as_saved(
    draft: Mapping[str, str], kb: KnowledgeBase, currency: str
) -> list[tuple[str, str]]:
    """A draft's fields as they will be saved (`Insta` → instagram, `24k` → 24000), or as
    typed while it is not complete."""
    try:
        shown: Mapping[str, str] = row_values(validate_row(draft, kb, currency))
    except RowInvalid:
        shown = draft
    return [(c, shown[c]) for c in COLUMNS if shown.get(c)]


@dataclass(frozen=True)
class NewRecord:
    """A record typed whole: the record to add, or the problems in /add's words."""

    item: InfluencerCreate | None
    problems: list[str]


def check_new_record(
    typed: Mapping[str, str], kb: KnowledgeBase, currency: str, roster_niches: Iterable[str]
) -> NewRecord:
    """A record typed whole (the roster page's form to add a creator), checked as /add checks
    it: each field typed as /add checks a typed field (niches as in the chat: a new one only as
    `new:name`), then the whole as /add's Save checks it (a required field left empty)."""
    draft: dict[str, str] = {}
    refused: set[str] = set()
    problems: list[str] = []
    for name in CHECK_ORDER:
        text = typed.get(name, "").strip()
        if not text:
            continue
        checked = check_typed_field(
            name, text, kb, currency, draft.get("platform", ""), roster_niches
        )
        if checked.text is not None:
            draft[name] = checked.text
            continue
        refused.add(name)
        unknown = checked.unknown_niche
        problems.append(unknown_niche(unknown, slugify(unknown)) if unknown else checked.problem)
    try:
        item = validate_row(draft, kb, currency)
    except RowInvalid as exc:
        problems += [str(p) for p in exc.problems if p.field not in refused]
        return NewRecord(None, problems)
    return NewRecord(item if not problems else None, problems)

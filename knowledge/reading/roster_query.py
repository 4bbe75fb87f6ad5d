"""The `/roster` and `/export` search grammar: words, and `niche:`, `platform:`, `tier:`,
`min:` and `max:` filters (`plateforme:`, `réseau:`, `palier:`, `niveau:` in French)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from knowledge.base import KnowledgeBase
from knowledge.reading.matching import ascii_fold, niche_vocabulary, parse_platform
from knowledge.reading.parsing import TooLarge, parse_count
from knowledge.writing.i18n import _, number

FILTER_KEYS = ("niche", "platform", "tier", "min", "max")
# The filters' French names (accents optional).
FILTER_ALIASES = {
    "plateforme": "platform",
    "reseau": "platform",
    "palier": "tier",
    "niveau": "tier",
}
# The languages `/export` names the columns in (`/export fr`), the first by default.
EXPORT_LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class RosterQuery:
    """A roster search: words in the name or handle, and filters."""

    text: str = ""
    niche: str | None = None
    platform: str | None = None
    min_followers: int | None = None
    max_followers: int | None = None  # exclusive
    include_inactive: bool = False
    country: str | None = None  # as stored (the roster page's filters)
    language: str | None = None


@dataclass(frozen=True)
class ReadQuery:
    query: RosterQuery
    problems: list[str] = field(default_factory=list)


def _filter_key(key: str) -> str:
    """A filter's English name, from either language's (`Palier` → `tier`)."""
    folded = ascii_fold(key)
    return FILTER_ALIASES.get(folded, folded)


def _tier_bounds(value: str, kb: KnowledgeBase) -> tuple[int, int | None] | str:
    """A tier's followers (from, to), or the problem with `value`."""
    tiers = kb.assumptions.tiers
    names = [t.name for t in tiers]
    if value.lower() not in names:
        return _("tier “%(value)s” is not a tier: type one of %(tiers)s, like tier:%(first)s") % {
            "value": value,
            "tiers": ", ".join(names),
            "first": names[0],
        }
    return kb.assumptions.tier_bounds(tiers[names.index(value.lower())])


def _count(key: str, value: str) -> int | str:
    """A follower count, or the problem with `value`."""
    try:
        return parse_count(value)
    except TooLarge as exc:
        return _("%(key)s “%(value)s” is more than %(limit)s") % {
            "key": key,
            "value": value[:20],
            "limit": number(exc.limit),
        }
    except ValueError:
        return _("%(key)s “%(value)s” is not a number: type it like %(key)s:10k") % {
            "key": key,
            "value": value,
        }


def read_roster_query(text: str, kb: KnowledgeBase, roster_niches: Iterable[str]) -> ReadQuery:
    """Words and `filter:value` tokens into a query, with a problem per filter that can't be
    read (`min:` and `max:` are follower counts, `max:` included)."""
    problems: list[str] = []
    words: list[str] = []
    niche: str | None = None
    platform: str | None = None
    low: int | None = None
    high: int | None = None
    for token in text.split():
        key, _colon, value = token.partition(":")
        key = _filter_key(key)
        if not value or key not in FILTER_KEYS:
            words.append(token)
        elif key == "niche":
            niche = niche_vocabulary(kb, roster_niches).match(value).value
            if niche is None:
                problems.append(
                    _("I don't know the niche “%(value)s”: type it like niche:cooking")
                    % {"value": value}
                )
        elif key == "platform":
            platform = parse_platform(kb, value)
            if platform is None:
                problems.append(
                    _("I don't know the platform “%(value)s”: type it like platform:instagram")
                    % {"value": value}
                )
        else:
            found = _tier_bounds(value, kb) if key == "tier" else _count(key, value)
            if isinstance(found, str):
                problems.append(found)
            elif isinstance(found, tuple):
                low, high = found
            elif key == "min":
                low = found
            else:
                high = found + 1
    return ReadQuery(RosterQuery(" ".join(words), niche, platform, low, high), problems)


@dataclass(frozen=True)
class ExportArgs:
    """`/export`'s arguments: the language of the file (None: the admin's own), the search
    (as `/roster` reads it), and the arguments that are neither."""

    language: str | None
    search: str
    unknown: list[str] = field(default_factory=list)


def read_export_args(text: str) -> ExportArgs:
    """A language (`fr`, `en`, or `--fr`, `--en`) anywhere among the words of a search; an
    option (`--x`) or a `key:value` whose key is not a filter is unknown."""
    language: str | None = None
    search: list[str] = []
    unknown: list[str] = []
    for token in text.split():
        key, colon, value = token.partition(":")
        word = token.lower().removeprefix("--")
        if word in EXPORT_LANGUAGES:
            language = word
        elif token.startswith("-") or (colon and value and _filter_key(key) not in FILTER_KEYS):
            unknown.append(token)
        else:
            search.append(token)
    return ExportArgs(language, " ".join(search), unknown)

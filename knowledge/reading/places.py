"""Countries and languages as people write them (`FR`, `France`, `Royaume-Uni`, `français`,
`fr-CA`), read into two-letter codes."""

from __future__ import annotations

from functools import cache, lru_cache

from babel import Locale
from babel.core import get_global

from knowledge.reading.matching import ascii_fold

# Country and language names are read in these languages, besides the codes themselves.
NAME_LOCALES = ("en", "fr")
# Names people commonly use that CLDR files under another spelling.
COUNTRY_ALIASES = {"uk": "GB", "england": "GB", "usa": "US", "america": "US", "quebec": "CA"}
# Marks inside names that are read as spaces: `Royaume-Uni`, `St. Lucia`, `Côte d’Ivoire`.
_AS_SPACE = str.maketrans({mark: " " for mark in "-.'’"})


def _key(text: str) -> str:
    """`Côte d'Ivoire`, `Côte d’Ivoire` and `cote d ivoire` alike."""
    spaced = ascii_fold(text).translate(_AS_SPACE)
    return " ".join(spaced.split())


@cache
def _countries() -> dict[str, str]:
    names: dict[str, str] = dict(COUNTRY_ALIASES)
    for locale in NAME_LOCALES:
        for code, name in Locale(locale).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(_key(name), code)
                names.setdefault(code.lower(), code)
    return names


@cache
def _languages() -> dict[str, str]:
    names: dict[str, str] = {}
    for locale in NAME_LOCALES:
        for code, name in Locale(locale).languages.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(_key(name), code)
                names.setdefault(code, code)
    return names


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """`FR`, `fr`, `France`, `Royaume-Uni` → a two-letter country code; None if unknown."""
    return _countries().get(_key(text)) if text else None


@lru_cache(maxsize=4096)
def language_code(text: str | None) -> str | None:
    """`fr`, `French`, `français`, `fr-CA` → a two-letter language code; None if unknown."""
    if not text:
        return None
    head = text.strip().replace("_", "-").split("-")[0]
    return _languages().get(_key(head)) or _languages().get(_key(text))


# A language spoken mainly in one country: the country guessed for its speakers.
LANGUAGE_COUNTRIES = {"fr": "FR", "de": "DE", "es": "ES", "it": "IT", "nl": "NL", "pt": "PT"}


def country_guess(zone: str | None, telegram_language: str | None) -> str | None:
    """Where a user most likely is: their time zone's country (`Europe/Paris` → FR), else
    their Telegram language's region (`en-GB` → GB) or a language spoken mainly in one
    country (`fr` → FR); None when nothing says (English alone names no country)."""
    if zone:
        territory = get_global("zone_territories").get(zone)
        if territory and len(territory) == 2 and territory.isalpha():
            return str(territory)
    if not telegram_language:
        return None
    language, _, region = telegram_language.replace("_", "-").partition("-")
    if len(region) == 2 and region.isalpha():
        return region.upper()
    return LANGUAGE_COUNTRIES.get(language.lower())

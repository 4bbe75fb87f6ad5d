"""Countries and languages as people write them (`FR`, `France`, `Royaume-Uni`, `français`,
`fr-CA`), read into two-letter codes; the country and time zone a Telegram language
suggests."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from babel import Locale
from babel.core import get_global

from knowledge.advice.audience import SEVERAL_LANGUAGES
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


# The main cities of the sample roster's audience countries and their neighbours, in English
# and French (a hyphen between the words of one name): a local business names its town
# rather than its country (`a restaurant in Lyon`).
CITIES = {
    "FR": "paris lyon marseille toulouse nice nantes strasbourg montpellier bordeaux lille "
    "rennes reims grenoble dijon angers toulon brest annecy rouen caen nancy metz avignon "
    "perpignan orleans limoges besancon biarritz aix-en-provence clermont-ferrand "
    "saint-etienne le-havre la-rochelle",
    "BE": "bruxelles brussels anvers antwerp gand ghent liege namur bruges charleroi leuven",
    "CH": "geneve geneva lausanne zurich berne bern bale basel lucerne neuchatel fribourg",
    "CA": "montreal toronto vancouver ottawa calgary gatineau sherbrooke edmonton winnipeg",
    "US": "new-york nyc los-angeles san-francisco chicago miami boston seattle austin "
    "houston atlanta new-orleans",
    "GB": "london londres manchester edinburgh edimbourg glasgow bristol birmingham liverpool "
    "leeds brighton cardiff belfast",
    "DE": "berlin munich munchen hamburg hambourg cologne koln frankfurt francfort stuttgart "
    "dusseldorf leipzig",
    "ES": "madrid barcelona barcelone seville sevilla malaga bilbao",
    "NL": "amsterdam rotterdam utrecht eindhoven the-hague la-haye",
    "IT": "rome roma milan milano florence firenze naples napoli turin torino venise venice",
    "PT": "lisbon lisbonne lisboa porto",
    "IE": "dublin cork galway limerick",
    "AT": "vienna wien salzburg salzbourg graz innsbruck",
}
# City names that are also everyday words: read only after `in`, `à`… (`florist in Nice`).
AMBIGUOUS_CITIES = frozenset({"nice", "tours", "nancy", "bath", "reading", "bern", "porto"})
# Words before a place that make it where the business or its customers are (not `a`, the
# English article, which `à` becomes without its accent: `a nice shop`; but `a` is `à` in
# a French sentence: `onglerie a nice`).
PLACE_WORDS = frozenset(
    {"in", "at", "near", "from", "around", "across", "throughout", "based"}
    | {"en", "au", "aux", "dans", "de", "du", "pres", "sur"}
    | {"country", "market", "pays", "marche"}  # `Country: Germany`, `marché : Belgique`
)
ARTICLES = frozenset({"the", "le", "la", "les", "l"})
# The longest place name, in words (`Saint Vincent and the Grenadines` aside).
LONGEST_PLACE = 4


@cache
def _cities() -> dict[str, str]:
    return {_key(city): code for code, names in CITIES.items() for city in names.split()}


@lru_cache(maxsize=4096)
def place_code(text: str | None) -> str | None:
    """The country of a place typed as an answer: a country (`France`, `FR`), a city
    (`Lyon`, `Montréal`), or either with words around it (`in Berlin`, `à Paris`)."""
    if not text:
        return None
    return country_code(text) or _cities().get(_key(text)) or country_named_in(text)


def audience_language(country: str | None, owner_language: str | None) -> str | None:
    """The audience's language in a country of several (`BE`, `CA`…): the owner's own,
    when it is one of them (a French-writing florist in Brussels sells to French speakers);
    None elsewhere, or when it is none of them."""
    spoken = SEVERAL_LANGUAGES.get(country or "", ())
    language = (owner_language or "").lower()[:2]
    return language if language in spoken else None


@lru_cache(maxsize=4096)
def country_named_in(text: str, french: bool = False) -> str | None:
    """The one country a sentence places the business or its customers in: a country's
    name, or a city's, after `in`, `à` (`a` too in a `french` sentence), `based in`… (`a
    restaurant in Lyon`, `clients en Belgique`); a well-known city anywhere (`Lyon
    bakery`). None when none is, or several."""
    codes = {code for code, _town in _places_in(text, french)}
    return codes.pop() if len(codes) == 1 else None


@lru_cache(maxsize=4096)
def town_named_in(text: str, french: bool = False) -> str | None:
    """The one town a sentence (or an answer) places the business in, as `Bordeaux`: a
    shop people visit there, whose customers live around it. None when it names none, or
    places in several countries."""
    if _cities().get(_key(text)):
        return _key(text).title()
    found = _places_in(text, french)
    towns = {town for _code, town in found if town}
    if len({code for code, _town in found}) != 1 or len(towns) != 1:
        return None
    return towns.pop().title()


# Words beside a place standing alone in a list that still make it the customers' place:
# `…, Instagram, Brazil audience`, `…, clients France`.
AUDIENCE_WORDS = frozenset({"audience", "customers", "clients", "public", "only", "seulement"})


def _listed_places(text: str) -> set[tuple[str, str | None]]:
    """Places standing alone as an item of a list (`budget €2,000, Instagram, Brazil, my
    shop is called VivaFit`): a country's full name or a city's, with no `in` before it, or a
    code in capitals (`US`, `UK`: `it` and `de` are words, `IT` and `DE` in a list are not);
    and a country's full name, capitalised, ending an item (`pet food startup Germany, …`).
    A planner's read: a country in a comma list was asked for again."""
    found: set[tuple[str, str | None]] = set()
    items = re.split(r"[,;\n|]+", text)
    if len(items) < 2:  # a word alone is no list (`nice`)
        return found
    for item in items:
        raw = [w for w in item.translate(_AS_SPACE).split() if _key(w) not in AUDIENCE_WORDS]
        words = [_key(word) for word in raw]
        name = " ".join(words)
        city = _cities().get(name)
        coded = len(name) == 2 and "".join(raw).isupper()
        country = (
            _countries().get(name) if len(name) > 2 or coded or name in COUNTRY_ALIASES else None
        )
        if city:
            found.add((city, name))
        elif country:
            found.add((country, None))
        elif len(words) > 1 and raw[-1][:1].isupper():
            for size in range(min(LONGEST_PLACE, len(words) - 1), 0, -1):
                ending = _countries().get(" ".join(words[-size:]))
                if ending and len(" ".join(words[-size:])) > 2:
                    found.add((ending, None))
                    break
    return found


def _places_in(text: str, french: bool) -> set[tuple[str, str | None]]:
    """The places a sentence names: (country code, the town's name or None)."""
    place_words = PLACE_WORDS | {"a"} if french else PLACE_WORDS
    # `à` on its own places what follows; without its accent it would be the article `a`.
    words = re.findall(r"\w+", _key(re.sub(r"(?<!\S)à(?!\S)", " en ", text.lower())))
    found: set[tuple[str, str | None]] = set()
    for i in range(len(words)):
        before = words[i - 1] if i else ""
        article = before in ARTICLES and i > 1
        placed = (words[i - 2] if article else before) in place_words
        for size in range(LONGEST_PLACE, 0, -1):
            name = " ".join(words[i : i + size])
            city = _cities().get(name)
            # A code is a country only as `the US`, `the UK` (`in it`, `a de` are words).
            named = len(name) > 2 or article or name in COUNTRY_ALIASES
            country = _countries().get(name) if named else None
            if city and (placed or name not in AMBIGUOUS_CITIES):
                found.add((city, name))
                break
            if country and placed:
                found.add((country, None))
                break
    return found | _listed_places(text)


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


# The time zone of a country that has one (most of it, for Spain and Portugal); a country over
# several zones (the US, Canada) has none to guess.
COUNTRY_ZONES = {
    "FR": "Europe/Paris",
    "BE": "Europe/Brussels",
    "CH": "Europe/Zurich",
    "LU": "Europe/Luxembourg",
    "MC": "Europe/Monaco",
    "GB": "Europe/London",
    "IE": "Europe/Dublin",
    "DE": "Europe/Berlin",
    "AT": "Europe/Vienna",
    "ES": "Europe/Madrid",
    "IT": "Europe/Rome",
    "NL": "Europe/Amsterdam",
    "PT": "Europe/Lisbon",
}


def zone_guess(telegram_language: str | None) -> str | None:
    """The time zone a Telegram language points to, offered in one tap: its region's
    (`en-GB` → Europe/London, `fr-BE` → Europe/Brussels), or that of the country the language
    is mainly spoken in (`fr` → Europe/Paris, `de` → Europe/Berlin); None when it names no
    zone (`en` alone, `fr-CA`: Canada has several)."""
    country = country_guess(None, telegram_language)
    return COUNTRY_ZONES.get(country) if country else None

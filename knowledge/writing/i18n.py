"""The language a reply is written in, its translations, and numbers, money and dates in
that language's conventions (through Babel).

English is written in the code and the templates; every other language comes from the
gettext catalogues under `knowledge/writing/locale/<language>/`: each `.po` file there is read and
merged at start, so that several catalogues (one per part of the bot) make one language.

The language of the update being handled is kept in a context variable, set once per update
(handlers.common.speak_their_language) or per reminder sent (bot.delivery), so that every
template, button and number below follows it without being handed a language.

The bot speaks English and French (LANGUAGES); a first message to a creator is also written
in German, Spanish, Italian and Portuguese (MESSAGE_LANGUAGES, inside `writing_to`), whose
catalogues hold that message's strings only.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE = "en"
# The languages a user can choose, with the name each has in itself (for /language).
LANGUAGES: Mapping[str, str] = {"en": "English", "fr": "Français"}
# The languages a first message to a creator can be written in (knowledge.writing.outreach):
# the interface's and more, each with its own catalogue of the message's strings only.
MESSAGE_LANGUAGES: Mapping[str, str] = {
    **LANGUAGES,
    "de": "Deutsch",
    "es": "Español",
    "it": "Italiano",
    "pt": "Português",
}
# The Babel locale whose conventions each language's numbers and dates follow; a language's
# regional variant (`pt_BR`, for a Brazilian audience) reads its language's catalogue.
_LOCALES = {
    "en": "en",
    "fr": "fr",
    "de": "de_DE",
    "es": "es_ES",
    "it": "it_IT",
    "pt": "pt_PT",
    "pt_BR": "pt_BR",
}

_current: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def language_for(chosen: str | None, telegram_code: str | None) -> str:
    """A user's language: the one they chose with /language, else their Telegram language
    (`fr`, `fr-CA`… → French), else English."""
    if chosen is not None and chosen in LANGUAGES:
        return chosen
    prefix = (telegram_code or "").split("-")[0].split("_")[0].lower()
    return prefix if prefix in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    return _current.get()


def use_language(language: str) -> None:
    """Speak `language` for the rest of the update being handled (its own task)."""
    _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak `language` inside the block (a reminder sent, a test)."""
    token = _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def message_locale(language: str, country: str | None = None) -> str:
    """The language a first message is written in, with its region where that changes how
    it is written: Portuguese for a Brazilian audience is `pt_BR` (its money and dates),
    for any other `pt`; a language the messages don't speak is English."""
    if language not in MESSAGE_LANGUAGES:
        return DEFAULT_LANGUAGE
    regional = f"{language}_{(country or '').upper()}"
    return regional if regional in _LOCALES else language


@contextmanager
def writing_to(language: str, country: str | None = None) -> Iterator[None]:
    """Write a first message to a creator in `language` inside the block: any of
    MESSAGE_LANGUAGES (their catalogues hold that message's strings only, so nothing else is
    rendered inside), in `country`'s variant where there is one (message_locale)."""
    token = _current.set(message_locale(language, country))
    try:
        yield
    finally:
        _current.reset(token)


def _base(language: str) -> str:
    """`pt` for `pt_BR`: the language whose catalogue and data fields a variant reads."""
    return language.split("_")[0]


def base_language() -> str:
    """The current language without its region (`pt` while writing `pt_BR`)."""
    return _base(_current.get())


def _catalogue(language: str) -> Catalog:
    """Every `.po` file of `language`, merged (a message in two files: the later one wins),
    under the headers of the first: its plural rule (`Plural-Forms`) is the language's, as
    its translators wrote the plural forms, not the rule of Babel's own locale data."""
    merged = Catalog(locale=language, domain="messages")
    for number, path in enumerate(sorted((LOCALE_DIR / language).glob("*.po"))):
        with path.open("rb") as file:
            part = read_po(file, locale=language)
        if number == 0:
            merged.mime_headers = part.mime_headers
        for message in part:
            if message.id and message.string:
                # Babel keeps an existing message's text on a second add: replace it.
                merged.delete(message.id, context=message.context)
                merged[message.id] = message
    return merged


@cache
def translations(language: str) -> NullTranslations:
    """The translations into `language` (none for English, the language of the msgids)."""
    language = _base(language)
    if language == DEFAULT_LANGUAGE or not (LOCALE_DIR / language).is_dir():
        return NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, _catalogue(language))
    buffer.seek(0)
    return Translations(buffer)


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return str(translations(_current.get()).pgettext(context, message))


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).npgettext(context, singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """Mark `message` for translation where it is defined; `_()` translates it when used."""
    return message


def localized(record: Any, field: str = "text") -> str:
    """`record`'s `field` in the current language: its `<field>_<language>` (e.g. `text_fr`)
    when that is filled in, else `field` itself (English). `record` is an object or a
    mapping."""
    get = record.get if isinstance(record, Mapping) else lambda name: getattr(record, name, "")
    language = _base(_current.get())
    if language != DEFAULT_LANGUAGE:
        translated = get(f"{field}_{language}")
        if translated:
            return str(translated)
    return str(get(field))


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(_LOCALES.get(language, DEFAULT_LANGUAGE))


def babel_locale() -> Locale:
    """The Babel locale of the current language (its names of countries, months…)."""
    return _locale(_current.get())


# Date formats (Babel's patterns, see babel.dates), by use; each is translated, so a language
# writes dates its own way (`Mon 30 Nov 2026 at 10:00`, `lun. 30 nov. 2026 à 10:00`).
DATE_FORMATS: Mapping[str, str] = {
    "day": N_("EEE dd MMM y"),
    "date": N_("dd MMM y"),
    "moment": N_("EEE dd MMM y 'at' HH:mm"),
    "short_moment": N_("EEE dd MMM HH:mm"),
    "full_moment": N_("EEE dd MMM y HH:mm"),
    "stamp": N_("y-MM-dd HH:mm"),
    "day_of_month": N_("d"),  # the first day of a window within one month: `12` (and 18 March)
    "day_and_month": N_("d MMMM"),
}


def when(value: date | datetime, style: str = "day") -> str:
    """A date or a moment written the current language's way, in one of DATE_FORMATS."""
    pattern = gettext(DATE_FORMATS[style])
    if isinstance(value, datetime):
        written = format_datetime(value, pattern, tzinfo=value.tzinfo, locale=babel_locale())
    else:
        written = format_date(value, pattern, locale=babel_locale())
    if value.day == 1 and _current.get() == "fr" and re.search(r"(?<!d)d(?!d)", pattern):
        # French says `1er février`, not `1 février` (the day comes before the hour)
        written = re.sub(r"(?<![\d:])1\b(?!:)", "1er", written, count=1)
    return written


def number(value: float, decimals: int = 0) -> str:
    """`1,500` / `1 500`, `2.5` / `2,5`: up to `decimals` decimals, none written if zero."""
    return _formatted(value, "#,##0" + ("." + "#" * decimals if decimals else ""), _current.get())


@lru_cache(maxsize=8192)
def _formatted(value: float, pattern: str, language: str) -> str:
    """Babel's formatting, remembered: it parses its pattern on every call, and a card is
    fitted by rendering the same figures several times."""
    return format_decimal(value, format=pattern, locale=_locale(language))


@cache
def _percent_sign(language: str) -> tuple[str, str]:
    pattern = _locale(language).percent_formats[None]
    return pattern.prefix[0], pattern.suffix[0]


def percent(value: float, decimals: int = 1) -> str:
    """`2.5%` / `2,5 %` for 2.5 (a value already in percent)."""
    before, after = _percent_sign(_current.get())
    return f"{before}{number(value, decimals)}{after}"


# Currencies written with their sign, in every language; others by their code.
CURRENCY_SIGNS = {"EUR": "€", "USD": "$", "GBP": "£"}


@cache
def _money_pattern(language: str) -> tuple[str, str]:
    """Where the currency goes in `language`: (before, after) the number, spaces included."""
    pattern = _locale(language).currency_formats["standard"].pattern.split(";")[0]
    # (a space between the sign and the number stays: Brazil's `€ 1.500`)
    number_part = re.search(r"[#0,.]*[#0][#0,.]*", pattern)
    assert number_part is not None
    return pattern[: number_part.start()], pattern[number_part.end() :]


CENTS_SHOWN_UNDER = 10_000
"""Amounts under this many cents (100 units) keep their cents; larger ones are whole."""


def shown_cents(cents: float) -> int:
    """`cents` as `money` shows it: whole units (half up) from 100 units on."""
    if abs(cents) < CENTS_SHOWN_UNDER:
        return round(cents)
    whole = math.floor(abs(cents) / 100 + 0.5) * 100
    return whole if cents > 0 else -whole


def money(cents: float, currency: str) -> str:
    """`€1,500` / `1 500 €`, `$99.50` / `99,50 $`, `CAD 900` / `900 CAD`: cents only under
    100 units (`€2,719` for 271,871 cents)."""
    code = currency.upper()
    sign = CURRENCY_SIGNS.get(code)
    shown = abs(shown_cents(cents))
    whole, rest = divmod(shown, 100)
    amount = _formatted(shown / 100, "#,##0.00", _current.get()) if rest else number(whole)
    before, after = _money_pattern(_current.get())
    minus = "-" if cents < 0 and shown else ""
    if sign is None:
        return f"{minus}{code} {amount}" if before else f"{minus}{amount}\u00a0{code}"
    return f"{minus}{before.replace('¤', sign)}{amount}{after.replace('¤', sign)}"


def count(value: float) -> str:
    """`950`, `9,500`, `24k`, `1.2M` (French: `9 500`, `24k`, `1,2M`): short, for followers
    and forecasts."""
    whole = round(value)
    if whole < 10_000:
        return number(whole)
    if round(whole / 1000) < 1000:  # 999,600 is `1M`, not `1,000k`
        return f"{number(round(whole / 1000))}k"
    return f"{number(round(whole / 1_000_000, 1), 1)}M"


def significant(
    value: float, digits: int = 2, rounding: Callable[[float], float] | None = None
) -> float:
    """`value` rounded to `digits` significant digits (0 for nothing); `rounding`: down
    (math.floor) or up (math.ceil) instead of to the nearest."""
    if value <= 0:
        return 0.0
    places = digits - 1 - math.floor(math.log10(value))
    if rounding is None:
        return round(value, places)
    scale = 10.0**places
    return float(rounding(round(value * scale, 9))) / scale  # 1.2 × 10 is 12.000000000000002

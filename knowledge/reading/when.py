"""Read dates and times as people type them, in their time zone, and plan check-ins.

Stored times are UTC. A local time that does not exist (clocks jump forward) is moved
forward by the jump; a local time that happens twice (clocks go back) takes the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from itertools import product
from typing import Literal
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from babel.dates import get_day_names, get_month_names

from knowledge.reading.matching import ascii_fold

MAX_AHEAD = timedelta(days=2 * 366)
CHECKIN_TIME = time(10, 0)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
UNITS = {
    "minute": 60,
    "min": 60,
    "mins": 60,
    "minutes": 60,
    "hour": 3600,
    "hours": 3600,
    "h": 3600,
    "day": 86400,
    "days": 86400,
    "d": 86400,
    "week": 604800,
    "weeks": 604800,
    "w": 604800,
    "heure": 3600,
    "heures": 3600,
    "jour": 86400,
    "jours": 86400,
    "j": 86400,
    "semaine": 604800,
    "semaines": 604800,
    "month": 30 * 86400,
    "months": 30 * 86400,
    "mois": 30 * 86400,
}
# Words naming a day by its distance from today.
DAY_WORDS = {
    "today": 0,
    "tomorrow": 1,
    "next week": 7,
    "aujourd'hui": 0,
    "demain": 1,
    "après-demain": 2,
    "apres-demain": 2,
    "la semaine prochaine": 7,
    "semaine prochaine": 7,
}
NOON_WORDS = frozenset({"noon", "at noon", "midday", "midi", "à midi"})
# Day and month names are also read in French, as Babel writes them (accents optional).
DATE_NAMES_LOCALE = "fr"
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(?:(?:at|à)\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
# A time written the French way, at the start of the text: `9h`, `à 9 h 30`, `14h00`, `9 heures`.
_FRENCH_TIME = re.compile(r"\s*(?:à\s+)?(\d{1,2})\s*h(?:eures?)?(?:\s*(\d{2}))?(?!\w)", re.I)
# A time alone at the start of a reminder, written so that it can't be a count (`14:30`, `6pm`,
# `midi`; `9h` is `_FRENCH_TIME`), unlike a bare `9`.
_EXPLICIT_TIME = re.compile(
    r"(?:(?:at|à)\s+)?(?:\d{1,2}(?::\d{2}\s*(?:am|pm)?|\s*(?:am|pm))|"
    + "|".join(re.escape(w) for w in sorted(NOON_WORDS, key=len, reverse=True))
    + r")(?!\w)",
    re.IGNORECASE,
)
_SPAN = r"(\d{1,4}|an?|one|une?)\s*([a-z]+)"  # `3 days`, `an hour`, `une semaine`
_IN = re.compile(rf"(?:in|dans)\s+{_SPAN}", re.IGNORECASE)
_DAY_WORD = re.compile(
    "(?:" + "|".join(re.escape(w) for w in sorted(DAY_WORDS, key=len, reverse=True)) + r")\b"
)


class WhenProblem(StrEnum):
    UNREADABLE = "unreadable"
    NO_SUCH_DATE = "no_such_date"
    PAST = "past"
    TOO_FAR = "too_far"
    OUT_OF_ORDER = "out_of_order"  # a check-in moved past another one, or before the start


class WhenError(ValueError):
    def __init__(self, problem: WhenProblem, detail: str = "") -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.detail = detail


def _span_of(match: re.Match[str]) -> timedelta | None:
    """The span a `_SPAN` match names (`an hour`, `3 days`), or None for an unknown unit."""
    count, unit = match.group(1), UNITS.get(match.group(2).lower())
    if unit is None:
        return None
    return timedelta(seconds=(int(count) if count.isdigit() else 1) * unit)


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall time, by the rule in the module docstring."""
    # fold=0: in a gap, the offset before the jump applies (the time moves forward);
    # in an overlap, the first of the two instants is taken.
    return datetime.combine(day, at).replace(tzinfo=zone, fold=0).astimezone(UTC)


def _parse_time(text: str) -> time | None:
    """A time of day: `9am`, `14:30`, `at 6pm`, `à 14:30`, `noon` or `midi`."""
    if text.strip().lower() in NOON_WORDS:
        return time(12, 0)
    match = _TIME.fullmatch(text.strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").lower()
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _french_time(text: str) -> tuple[time, str] | None:
    """A time written the French way at the start of `text` (`9h`, `à 14 h 30`) and what
    follows; None if there is none."""
    match = _FRENCH_TIME.match(text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute), text[match.end() :]


def _with_folded(names: dict[str, int]) -> dict[str, int]:
    """Names, each also without its accents and its abbreviation dot: `déc.` → `dec`."""
    return {
        form: number
        for name, number in names.items()
        for form in (name, ascii_fold(name), name.rstrip("."), ascii_fold(name).rstrip("."))
    }


@cache
def weekday_names() -> dict[str, int]:
    """Weekday names (English, and French from Babel) → 0 for Monday to 6 for Sunday."""
    french = get_day_names("wide", locale=DATE_NAMES_LOCALE).items()
    return {
        **{name: i for i, name in enumerate(WEEKDAYS)},
        **_with_folded({name.lower(): i for i, name in french}),
    }


@cache
def month_names() -> dict[str, int]:
    """Month names from Babel, French and English, whole and abbreviated (`décembre`, `déc.`,
    `March`, `Mar`) → 1 to 12."""
    names: dict[str, int] = {}
    widths: tuple[Literal["wide", "abbreviated"], ...] = ("wide", "abbreviated")
    for locale, width in product((DATE_NAMES_LOCALE, "en"), widths):
        for number, name in get_month_names(width, locale=locale).items():
            names[name.lower()] = number
    return _with_folded(names)


def _alternatives(names: dict[str, int]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


@cache
def _weekday_pattern() -> re.Pattern[str]:
    """`monday`, `next monday`, `lundi`, `lundi prochain`."""
    return re.compile(rf"(?:next\s+)?({_alternatives(weekday_names())})(?:\s+prochain)?\b")


@cache
def _day_and_month_pattern() -> re.Pattern[str]:
    """`le 3 décembre`, `1er mai 2027`, `lundi 3 déc.`, `15th March`, and the month first
    (`March 15`, `Sunday, March 15th, 2027`): a day of the month needs its month."""
    months = _alternatives(month_names())
    return re.compile(
        rf"(?:le\s+)?(?:(?:{_alternatives(weekday_names())}),?\s+)?(?:(?P<day>\d{{1,2}})"
        rf"(?:er|st|nd|rd|th)?\s+(?P<month>{months})|(?P<month_first>{months})\s+"
        rf"(?P<day_after>\d{{1,2}})(?:st|nd|rd|th)?,?)(?:\s+(?P<year>\d{{4}}))?(?!\w)"
    )


def _day_of_month(match: re.Match[str], today: date) -> date:
    """The date a `_day_and_month_pattern` match names: in its year, or else the next one
    from today on."""
    day = int(match.group("day") or match.group("day_after"))
    month = month_names()[match.group("month") or match.group("month_first")]
    typed = match.group("year")
    for year in [int(typed)] if typed else [today.year, today.year + 1]:
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if typed or found >= today:
            return found
    raise WhenError(WhenProblem.NO_SUCH_DATE, match.group(0))


def parse_day(text: str, today: date) -> tuple[date, str]:
    """A date at the start of `text` and what follows: `2026-12-01`, today, tomorrow,
    monday, next monday, next week, in 3 days, in 2 weeks, in a week; in French too:
    aujourd'hui, demain, lundi (prochain), la semaine prochaine, dans 3 jours,
    le 3 décembre, March 15 (the next one; `le 3` alone is not read)."""
    words = text.strip()
    lower = words.lower().replace("’", "'")
    iso = _ISO_DATE.match(lower)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        try:
            return date(year, month, day), words[iso.end() :]
        except ValueError:
            raise WhenError(WhenProblem.NO_SUCH_DATE, iso.group(0)) from None
    named = _DAY_WORD.match(lower)
    if named:
        return today + timedelta(days=DAY_WORDS[named.group(0)]), words[named.end() :]
    day_and_month = _day_and_month_pattern().match(lower)
    if day_and_month:
        return _day_of_month(day_and_month, today), words[day_and_month.end() :]
    weekday = _weekday_pattern().match(lower)
    if weekday:
        target = weekday_names()[weekday.group(1)]
        ahead = (target - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead), words[weekday.end() :]
    relative = _IN.match(lower)
    span = _span_of(relative) if relative else None
    if relative and span is not None and span >= timedelta(days=1):
        return today + timedelta(days=span.days), words[relative.end() :]
    raise WhenError(WhenProblem.UNREADABLE)


def parse_when(text: str, now: datetime, zone: ZoneInfo) -> tuple[datetime, str]:
    """When a reminder is due (UTC) and the rest of the text (the reminder itself).

    `in 2 hours call Léa`, `in an hour …`, `2026-12-03 09:30 send the brief`,
    `tomorrow 9am …`, `friday noon …`, `next week …`; in French, `dans 2 heures …`,
    `demain à 9h30 …`, `lundi 14h …`, `le 3 décembre 10h …`. A span in minutes or hours is that
    long from now, however long (`in 36 hours`); one in days or weeks names a day (at 10:00
    unless a time follows). A time alone, written as one (`18h`, `14:30`, `6pm`, `midi`), is
    the next such time. A date too far ahead or long past says so (TOO_FAR, PAST), even one the
    calendar can't turn into UTC (year 9999 west of Greenwich, year 1 east of it).
    """
    words = text.strip()
    relative = _IN.match(words.lower())
    span = _span_of(relative) if relative else None
    if relative and span is not None and UNITS[relative.group(2).lower()] < UNITS["day"]:
        return _checked(now + span, now), words[relative.end() :].strip()
    local_now = now.astimezone(zone)
    if _EXPLICIT_TIME.match(words) or _FRENCH_TIME.match(words):
        at, rest = _time_at_start(words)
        if at is not None:
            day = local_now.date() + timedelta(days=int(at <= local_now.time()))
            return _checked(local_to_utc(day, at, zone), now), rest
    day, rest = parse_day(words, local_now.date())
    # Checked on the calendar first: converting a day at the end of time to UTC overflows.
    if day > local_now.date() + MAX_AHEAD + timedelta(days=1):
        raise WhenError(WhenProblem.TOO_FAR)
    if day < local_now.date() - timedelta(days=1):
        raise WhenError(WhenProblem.PAST)
    at, rest = _time_at_start(rest)
    if at is None:
        at = CHECKIN_TIME if day != local_now.date() else (local_now + timedelta(hours=1)).time()
    return _checked(local_to_utc(day, at, zone), now), rest


def _time_at_start(text: str) -> tuple[time | None, str]:
    """The time of day at the start of `text`, if any, and the words after it."""
    french = _french_time(text)
    if french is not None:
        return french[0], " ".join(french[1].split())
    tokens = text.split()
    for size in (2, 1):
        found = _parse_time(" ".join(tokens[:size])) if len(tokens) >= size else None
        if found is not None:
            return found, " ".join(tokens[size:])
    return None, " ".join(tokens)


def _checked(due: datetime, now: datetime) -> datetime:
    if due <= now:
        raise WhenError(WhenProblem.PAST)
    if due - now > MAX_AHEAD:
        raise WhenError(WhenProblem.TOO_FAR)
    return due


def parse_start(text: str, today: date) -> date:
    """A campaign's start date: today or later, at most two years ahead."""
    day, rest = parse_day(text, today)
    if rest.strip():
        raise WhenError(WhenProblem.UNREADABLE)
    if day < today:
        raise WhenError(WhenProblem.PAST)
    if day - today > MAX_AHEAD:
        raise WhenError(WhenProblem.TOO_FAR)
    return day


def parse_length(text: str) -> int:
    """A campaign's length in days: `14`, `10 days`, `3 weeks`, `a month`, `un mois` (30
    days; 1 to 365)."""
    match = re.fullmatch(r"(\d{1,3}|an?|one|une?)\s*([a-z]*)", text.strip().lower())
    if not match or (match.group(2) and UNITS.get(match.group(2), 0) < 86400):
        raise WhenError(WhenProblem.UNREADABLE)
    count = int(match.group(1)) if match.group(1).isdigit() else 1
    if not match.group(1).isdigit() and not match.group(2):
        raise WhenError(WhenProblem.UNREADABLE)
    days = count * (UNITS[match.group(2)] // 86400 if match.group(2) else 1)
    if not 1 <= days <= 365:
        raise WhenError(WhenProblem.TOO_FAR)
    return days


@dataclass(frozen=True)
class Stage:
    name: str
    day: date


def checkin_days(start: date, length_days: int) -> list[Stage]:
    """Launch day, mid-campaign, the last day, and two weeks after the end."""
    last = start + timedelta(days=length_days - 1)
    stages = [Stage("launch", start)]
    if length_days >= 3:
        stages.append(Stage("mid", start + timedelta(days=(length_days - 1) // 2)))
    if length_days >= 2:
        stages.append(Stage("last", last))
    stages.append(Stage("after", last + timedelta(days=14)))
    return stages


@cache
def _zone_names() -> dict[str, str]:
    """Zones by name and by city, in English and as Babel's French data names the cities
    (`bruxelles`, `montreal`), folded: accents optional."""
    names: dict[str, str] = {}
    zones = available_timezones()
    for name in sorted(zones):
        names[ascii_fold(name)] = name
        city = name.rsplit("/", 1)[-1].replace("_", " ")
        names.setdefault(ascii_fold(city), name)
    for name, data in Locale.parse("fr").time_zones.items():
        if name in zones and "city" in data:
            names.setdefault(ascii_fold(str(data["city"])), name)
    return names


def find_zone(text: str) -> str | None:
    """An IANA zone for a name (`Europe/Paris`) or a city (`paris`, `New York`,
    `Bruxelles`, `Montréal`)."""
    key = ascii_fold(text.strip())
    names = _zone_names()
    return names.get(key.replace("_", " ")) or names.get(key)


class Clock:
    """Where the current time comes from; tests and the sandbox use a shifted one."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ShiftedClock(Clock):
    """Real time moved forward by `advance`, so that timers and the bot agree on it."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


def parse_duration(text: str) -> timedelta:
    """A span of time: `2 days`, `3 hours`, `an hour`, `1 week`, `90 minutes`."""
    match = re.fullmatch(_SPAN, text.strip().lower())
    span = _span_of(match) if match else None
    if span is None:
        raise WhenError(WhenProblem.UNREADABLE)
    if span > MAX_AHEAD:
        raise WhenError(WhenProblem.TOO_FAR)
    return span

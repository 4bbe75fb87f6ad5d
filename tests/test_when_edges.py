"""Edges of reading dates and times that mutation testing found unpinned: 12-hour clocks,
the last minute of a day, accents and dots in month names, the longest names first, the
limits of how far ahead or back a date may be, and campaign lengths."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from knowledge.reading.when import (
    CHECKIN_TIME,
    MAX_AHEAD,
    WhenError,
    WhenProblem,
    checkin_days,
    parse_day,
    parse_length,
    parse_when,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday, 09:00 in Paris
TODAY = date(2026, 3, 2)


def local(text: str, now: datetime = NOW) -> tuple[datetime, str]:
    due, rest = parse_when(text, now, PARIS)
    return due.astimezone(PARIS), rest


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("1am", time(1, 0)),
        ("11pm", time(23, 0)),
        ("23:59", time(23, 59)),
        ("0:00", time(0, 0)),
        ("noon", time(12, 0)),
    ],
)
def test_a_time_alone_is_the_next_such_time(typed: str, expected: time) -> None:
    due, rest = local(f"{typed} call Léa")
    assert due.time() == expected and rest == "call Léa"
    assert due.date() == (TODAY if expected > time(9, 0) else TODAY + timedelta(days=1))


@pytest.mark.parametrize("typed", ["13pm", "0am", "24:00", "23:60"])
def test_an_impossible_time_is_not_a_time(typed: str) -> None:
    with pytest.raises(WhenError):
        parse_when(f"{typed} call Léa", NOW, PARIS)


def test_the_time_it_is_now_means_tomorrow() -> None:
    due, _rest = local("09:00 call Léa")
    assert due == datetime(2026, 3, 3, 9, 0, tzinfo=PARIS)


def test_a_span_in_capitals_is_read_and_counted_from_now() -> None:
    due, rest = parse_when("IN 2 HOURS call Léa", NOW, PARIS)
    assert due == NOW + timedelta(hours=2) and rest == "call Léa"


def test_a_day_is_read_in_the_users_time_zone() -> None:
    late = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # already Tuesday 00:30 in Paris
    due, _rest = local("tomorrow send it", late)
    assert due == datetime(2026, 3, 4, 10, 0, tzinfo=PARIS)
    today, _ = local("today send it", late)
    assert today == datetime(2026, 3, 3, 1, 30, tzinfo=PARIS)  # in an hour
    assert due.time() == CHECKIN_TIME


def test_how_far_ahead_and_back_a_day_may_be() -> None:
    last = TODAY + MAX_AHEAD
    due, _ = local(f"{last.isoformat()} 08:00 renew")
    assert due.date() == last
    with pytest.raises(WhenError) as raised:
        parse_when(f"{(last + timedelta(days=2)).isoformat()} renew", NOW, PARIS)
    assert raised.value.problem is WhenProblem.TOO_FAR
    with pytest.raises(WhenError) as past:
        parse_when(f"{(TODAY - timedelta(days=2)).isoformat()} renew", NOW, PARIS)
    assert past.value.problem is WhenProblem.PAST
    with pytest.raises(WhenError) as yesterday:
        parse_when(f"{(TODAY - timedelta(days=1)).isoformat()} renew", NOW, PARIS)
    assert yesterday.value.problem is WhenProblem.PAST and str(yesterday.value) == "past"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3 déc.", date(2026, 12, 3)),
        ("3 dec.", date(2026, 12, 3)),
        ("3 DÉC", date(2026, 12, 3)),
        ("le 3 septembre", date(2026, 9, 3)),
        ("3 sept.", date(2026, 9, 3)),
        ("mardi", date(2026, 3, 3)),
        ("mercredi", date(2026, 3, 4)),
        ("3 février", date(2027, 2, 3)),
        ("3 fevr.", date(2027, 2, 3)),
    ],
)
def test_month_and_day_names_with_accents_dots_and_long_forms(typed: str, expected: date) -> None:
    day, rest = parse_day(f"{typed} relancer", TODAY)
    assert day == expected and rest.strip() == "relancer"


@pytest.mark.parametrize(
    ("typed", "days"),
    [("1", 1), ("1 day", 1), ("365", 365), ("a week", 7), ("un mois", 30), ("52 weeks", 364)],
)
def test_a_campaign_lasts_one_to_365_days(typed: str, days: int) -> None:
    assert parse_length(typed) == days


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("0", WhenProblem.TOO_FAR),
        ("366", WhenProblem.TOO_FAR),
        ("13 months", WhenProblem.TOO_FAR),
        ("3 hours", WhenProblem.UNREADABLE),
        ("3 fortnights", WhenProblem.UNREADABLE),
        ("a", WhenProblem.UNREADABLE),
    ],
)
def test_a_length_out_of_range_or_unreadable_says_which(typed: str, problem: WhenProblem) -> None:
    with pytest.raises(WhenError) as raised:
        parse_length(typed)
    assert raised.value.problem is problem


@pytest.mark.parametrize(
    ("length", "names", "mid", "last"),
    [
        (1, ["launch", "after"], None, 0),
        (2, ["launch", "last", "after"], None, 1),
        (3, ["launch", "mid", "last", "after"], 1, 2),
        (10, ["launch", "mid", "last", "after"], 4, 9),
    ],
)
def test_check_ins_by_length(length: int, names: list[str], mid: int | None, last: int) -> None:
    stages = {s.name: s.day for s in checkin_days(TODAY, length)}
    assert list(stages) == names
    if mid is not None:
        assert stages["mid"] == TODAY + timedelta(days=mid)
    assert stages["after"] == TODAY + timedelta(days=last + 14)
    assert stages.get("last", TODAY) == TODAY + timedelta(days=last)


def test_a_date_that_does_not_exist_names_what_was_typed() -> None:
    for typed in ("31 février", "2027-02-30"):
        with pytest.raises(WhenError) as raised:
            parse_day(f"{typed} relancer", TODAY)
        assert raised.value.problem is WhenProblem.NO_SUCH_DATE
        assert raised.value.detail == typed
    assert WhenError(WhenProblem.PAST).detail == ""


@pytest.mark.parametrize(
    ("typed", "expected"), [("23h59", time(23, 59)), ("0h", time(0, 0)), ("18h", time(18, 0))]
)
def test_a_french_time_alone(typed: str, expected: time) -> None:
    due, rest = local(f"{typed} appeler Léa")
    assert due.time() == expected and rest == "appeler Léa"


@pytest.mark.parametrize("typed", ["24h", "23h60"])
def test_an_impossible_french_time_is_not_a_time(typed: str) -> None:
    with pytest.raises(WhenError):
        parse_when(f"{typed} appeler Léa", NOW, PARIS)


def test_a_weekday_named_on_that_day_is_the_next_one_and_a_day_of_month_today_is_today() -> None:
    assert parse_day("lundi relancer", TODAY)[0] == TODAY + timedelta(days=7)
    assert parse_day("mardi relancer", TODAY)[0] == TODAY + timedelta(days=1)
    assert parse_day("2 mars relancer", TODAY)[0] == TODAY
    assert parse_day("1 mars relancer", TODAY)[0] == date(2027, 3, 1)
    assert parse_day("in 1 day relancer", TODAY)[0] == TODAY + timedelta(days=1)
    assert parse_day("in 2 days relancer", TODAY)[0] == TODAY + timedelta(days=2)


def test_the_words_after_a_day_are_kept_as_typed() -> None:
    _due, rest = local("tomorrow call  Léa   now")
    assert rest == "call Léa now"


def test_two_years_ahead_to_the_minute_is_taken_and_a_minute_more_is_not() -> None:
    last = (TODAY + MAX_AHEAD).isoformat()
    due, _rest = parse_when(f"{last} 09:00 renew", NOW, PARIS)
    assert due == NOW + MAX_AHEAD
    with pytest.raises(WhenError) as raised:
        parse_when(f"{last} 09:01 renew", NOW, PARIS)
    assert raised.value.problem is WhenProblem.TOO_FAR

"""When a plan line posts, once the brief gives a date, read from `knowledge/data/windows.toml`:
for a launch, the days of its teasers, main posts and follow-ups around the launch day and the
share of the lines that tease and follow up; for the other goals, how long the campaign lasts
and how long each line has to post."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path


class WindowRulesError(ValueError):
    """windows.toml does not hold together (teasers ending after the day, a share above 1)."""


@dataclass(frozen=True)
class LaunchDays:
    """Days counted from the launch day: teasers `teaser_from` to `teaser_until` days before
    it, follow-ups `follow_up_from` to `follow_up_until` days after it."""

    teaser_from: int
    teaser_until: int
    follow_up_from: int
    follow_up_until: int
    teaser_share: float
    follow_up_share: float


@dataclass(frozen=True)
class BusySeason:
    """The weeks creators are most in demand, from (`from_month`, `from_day`) to
    (`until_month`, `until_day`), both included, in any year; write to them `lead_weeks`
    ahead."""

    from_month: int
    from_day: int
    until_month: int
    until_day: int
    lead_weeks: int

    def holds(self, day: date) -> bool:
        return (
            (self.from_month, self.from_day)
            <= (day.month, day.day)
            <= (
                self.until_month,
                self.until_day,
            )
        )


@dataclass(frozen=True)
class WindowRules:
    launch: LaunchDays
    window_days: int  # how long a line of the other goals has to post
    days_per_month: int  # an ambassador's booking, a month
    campaign_days: Mapping[str, int]  # goal → how long its campaign lasts
    busy: BusySeason
    sources: Mapping[str, str]


def _check(rules: WindowRules) -> None:
    days = rules.launch
    if not days.teaser_from >= days.teaser_until >= 1:
        raise WindowRulesError("teasers end at least a day before the launch, after they start")
    if not 1 <= days.follow_up_from <= days.follow_up_until:
        raise WindowRulesError("follow-ups start at least a day after the launch")
    if not (days.teaser_share >= 0 and days.follow_up_share >= 0) or (
        days.teaser_share + days.follow_up_share >= 1
    ):
        raise WindowRulesError("the teasers' and follow-ups' shares leave some lines for the day")
    if rules.window_days < 1 or rules.days_per_month < 1:
        raise WindowRulesError("a window and a month last at least a day")
    if any(length < rules.window_days for length in rules.campaign_days.values()):
        raise WindowRulesError("a campaign lasts at least one window")


def _busy(raw: Mapping[str, object]) -> BusySeason:
    """The busy season's month-days, checked as dates (of a leap year, for 29 February)."""
    try:
        first, last = (date.fromisoformat(f"2024-{raw[k]}") for k in ("from", "until"))
    except ValueError as exc:
        raise WindowRulesError("the busy season's days are month-day, such as 11-15") from exc
    weeks = int(str(raw["lead_weeks"]))
    if first > last or weeks < 0:
        raise WindowRulesError("the busy season ends after it starts, written to weeks ahead")
    return BusySeason(first.month, first.day, last.month, last.day, weeks)


def read_window_rules(path: Path) -> WindowRules:
    """The rules of windows.toml at `path`, checked (WindowRulesError when they don't hold)."""
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    launch, spread = raw["launch"], raw["spread"]
    rules = WindowRules(
        launch=LaunchDays(
            teaser_from=int(launch["teaser_from"]),
            teaser_until=int(launch["teaser_until"]),
            follow_up_from=int(launch["follow_up_from"]),
            follow_up_until=int(launch["follow_up_until"]),
            teaser_share=float(launch["teaser_share"]),
            follow_up_share=float(launch["follow_up_share"]),
        ),
        window_days=int(spread["window_days"]),
        days_per_month=int(spread["days_per_month"]),
        campaign_days={goal: int(days) for goal, days in spread["campaign_days"].items()},
        busy=_busy(raw["busy"]),
        sources=dict(raw["sources"]),
    )
    _check(rules)
    return rules

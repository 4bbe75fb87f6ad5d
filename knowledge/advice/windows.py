"""When each plan line posts, once the brief gives a start or launch date (issue 23, part 2):
a posting window per line, from its first to its last day (both included), by the rules of
`knowledge/data/windows.toml`.

- A launch: the biggest audiences post on the launch day (the main posts: one of them, for a
  line of several posts, the others before and after it); of the others, a
  share teases in the days before it (at least one of two lines), and a share follows up in
  the days after it (at least one of three). Teasers never start before `today`: with no day
  left before the launch, no line teases.
- Any other goal: the campaign lasts its goal's number of days from the start date, and the
  lines' windows (a week each) are spread evenly over it, in the plan's order, wave 1 first;
  an ambassador's window is their whole booking, a month of days for each month booked.

The campaign a plan makes runs from its first window's first day to its last window's last
day (`campaign_of`): a saved campaign's start day and check-ins follow it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from knowledge.advice.stored import StoredLine, StoredRecommendation
from knowledge.base import Goal, LaunchDays, WindowRules


class Role(StrEnum):
    """What a line's posts do in the campaign."""

    TEASER = "teaser"  # before a launch day
    MAIN = "main"  # on a launch day
    AROUND = "around"  # several posts: one on a launch day, the others before and after it
    FOLLOW_UP = "follow_up"  # after a launch day
    SPREAD = "spread"  # a goal without a launch day: spread over the campaign


@dataclass(frozen=True)
class Window:
    role: Role
    first: date
    last: date


def launch_windows(
    followers: Sequence[int],
    launch: date,
    today: date,
    days: LaunchDays,
    posts: Sequence[int] = (),
) -> list[Window]:
    """A window for each line (given by its followers and its posts, in the plan's order) of
    a launch on `launch`: the biggest audiences on the day, then teasers, then follow-ups, by
    the shares of `days`; teasers start no earlier than `today` (none when the launch is
    today). A line on the day with several posts posts one on it and the others from the
    teasers' first day to the follow-ups' last (a planner's read: four Reels from one account
    on the day)."""
    teaser_first = max(launch - timedelta(days=days.teaser_from), today)
    teaser_last = launch - timedelta(days=days.teaser_until)
    count = len(followers)
    # Rounded down, but a small plan still has an act before and after the day: with two
    # lines one teases, with three one also follows up (not everyone posting on the day).
    teasers = max(math.floor(count * days.teaser_share), count >= 2)
    teasers = teasers if teaser_first <= teaser_last else 0
    follow_ups = max(math.floor(count * days.follow_up_share), count - teasers >= 2)
    on_the_day = count - teasers - follow_ups
    by_audience = sorted(range(count), key=lambda i: (-followers[i], i))
    windows = {
        Role.MAIN: Window(Role.MAIN, launch, launch),
        Role.TEASER: Window(Role.TEASER, teaser_first, teaser_last),
        Role.FOLLOW_UP: Window(
            Role.FOLLOW_UP,
            launch + timedelta(days=days.follow_up_from),
            launch + timedelta(days=days.follow_up_until),
        ),
    }
    windows[Role.AROUND] = Window(Role.AROUND, teaser_first, windows[Role.FOLLOW_UP].last)
    roles: dict[int, Role] = {}
    for rank, line in enumerate(by_audience):
        if rank < on_the_day:
            several = line < len(posts) and posts[line] > 1
            roles[line] = Role.AROUND if several else Role.MAIN
        else:
            roles[line] = Role.TEASER if rank < on_the_day + teasers else Role.FOLLOW_UP
    return [windows[roles[line]] for line in range(count)]


def campaign_days(goal: Goal, months: int | None, rules: WindowRules) -> int:
    """How long a campaign of `goal` lasts, from its start date (an ambassador's: the months
    booked, when known)."""
    if goal is Goal.AMBASSADOR and months:
        return months * rules.days_per_month
    return rules.campaign_days[goal.value]


def spread_windows(
    count: int, start: date, goal: Goal, months: int | None, rules: WindowRules
) -> list[Window]:
    """`count` windows, in order, spread evenly over a campaign of `goal` from `start`: the
    first starts on `start`, the last ends on the campaign's last day."""
    length = campaign_days(goal, months, rules)
    window = length if goal is Goal.AMBASSADOR else min(rules.window_days, length)
    slack = length - window
    windows = []
    for place in range(count):
        offset = place * slack // (count - 1) if count > 1 else 0
        first = start + timedelta(days=offset)
        windows.append(Window(Role.SPREAD, first, first + timedelta(days=window - 1)))
    return windows


def campaign_of(windows: Sequence[Window]) -> tuple[date, int]:
    """The campaign a plan's windows make: its first day and its length in days."""
    first = min(w.first for w in windows)
    return first, (max(w.last for w in windows) - first).days + 1


def line_windows(
    lines: Sequence[StoredLine], goal: Goal, day: date, today: date, rules: WindowRules
) -> list[Window]:
    """A window for each of `lines`, for a brief of `goal` dated `day` (the launch day, or
    the start date), read on `today`."""
    if goal is Goal.LAUNCH:
        followers = [line.followers for line in lines]
        posts = [line.posts for line in lines]
        return launch_windows(followers, day, today, rules.launch, posts)
    order = sorted(range(len(lines)), key=lambda i: (lines[i].wave, i))
    months = max((line.months or 0 for line in lines), default=0) or None
    spread = spread_windows(len(lines), day, goal, months, rules)
    placed = {line: spread[place] for place, line in enumerate(order)}
    return [placed[i] for i in range(len(lines))]


def with_windows(
    stored: StoredRecommendation, rules: WindowRules, today: date
) -> StoredRecommendation:
    """`stored` with every line's posting window, when its brief gives a date; as it is
    when it gives none."""
    day = stored.brief.start_date
    lines = stored.plan.lines
    if day is None or not lines:
        return stored
    windows = line_windows(lines, Goal(stored.brief.goal), day, today, rules)
    dated = [
        line.model_copy(
            update={"post_from": window.first, "post_until": window.last, "post_role": window.role}
        )
        for line, window in zip(lines, windows, strict=True)
    ]
    return stored.model_copy(update={"plan": stored.plan.model_copy(update={"lines": dated})})


def planned_campaign(stored: StoredRecommendation, today: date) -> tuple[date, int] | None:
    """The campaign a dated plan makes (its first day and length), to propose when it is
    saved as a campaign; None when its lines have no windows, or its first day has passed."""
    windows = [
        Window(Role(line.post_role or Role.SPREAD), line.post_from, line.post_until)
        for line in stored.plan.lines
        if line.post_from is not None and line.post_until is not None
    ]
    if not windows:
        return None
    first, length = campaign_of(windows)
    return (first, length) if first >= today else None

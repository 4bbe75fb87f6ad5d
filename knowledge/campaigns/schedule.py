"""Campaign rules: a campaign's status, the name proposed for it, and when its check-ins fall."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from babel.dates import format_date

from knowledge.reading.when import CHECKIN_TIME, WhenError, WhenProblem, checkin_days, local_to_utc
from knowledge.writing import i18n

# A check-in whose time has already passed when the schedule is accepted (a campaign
# starting today, after 10:00) is sent this long after acceptance instead.
PASSED_CHECKIN_DELAY = timedelta(minutes=1)


class CampaignStatus(StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    ENDED = "ended"


def campaign_status(start_day: date, length_days: int, today: date) -> CampaignStatus:
    """Planned before its first day, running until its last day included, then ended."""
    last_day = start_day + timedelta(days=length_days - 1)
    if today < start_day:
        return CampaignStatus.PLANNED
    return CampaignStatus.RUNNING if today <= last_day else CampaignStatus.ENDED


def _goal_words() -> dict[str, str]:
    """Each goal as a campaign's name says it, in the current language."""
    return {
        "sales": i18n.pgettext("campaign name", "sales"),
        "awareness": i18n.pgettext("campaign name", "awareness"),
        "community": i18n.pgettext("campaign name", "community"),
        "launch": i18n.pgettext("campaign name", "launch"),
        "ambassador": i18n.pgettext("campaign name", "ambassador"),
    }


def _in_a_sentence(label: str) -> str:
    """A niche label inside a name: its first letter small (`cooking`), unless the label is
    an acronym (`DIY`)."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def proposed_name(niche_label: str, goal: str, today: date) -> str:
    """The name offered for a new campaign, in the current language: `Cooking sales — Nov
    2026`, `Ventes cuisine — déc. 2026`."""
    name = i18n.gettext("%(niche)s %(goal)s — %(month)s") % {
        "niche": _in_a_sentence(niche_label),
        "goal": _goal_words().get(goal, goal),
        "month": format_date(today, "MMM y", locale=i18n.current_language()),
    }
    return name[:1].upper() + name[1:]


def read_campaign_name(text: str, limit: int) -> str | None:
    """A campaign name as typed (trimmed), or None when empty or longer than `limit`."""
    name = text.strip()
    return name if 1 <= len(name) <= limit else None


def checkin_schedule(
    start: date,
    length_days: int,
    zone: ZoneInfo,
    now: datetime,
    moved: Mapping[str, datetime] | None = None,
) -> list[tuple[str, datetime]]:
    """(stage, UTC time) of each check-in: 10:00 local time on its day unless the owner moved
    it, and never earlier than a minute from `now`."""
    moved = moved or {}
    soon = now + PASSED_CHECKIN_DELAY
    return [
        (
            stage.name,
            max(soon, moved.get(stage.name) or local_to_utc(stage.day, CHECKIN_TIME, zone)),
        )
        for stage in checkin_days(start, length_days)
    ]


def check_moved(
    stage: str, due: datetime, schedule: Sequence[tuple[str, datetime]], starts: datetime
) -> None:
    """A check-in moved to `due` keeps its place: after the one before it (the first one not
    before the campaign `starts`), before the one after it; WhenError(OUT_OF_ORDER) if not.
    `schedule` is the check-ins' (stage, time), in order."""
    stages = [name for name, _at in schedule]
    place = stages.index(stage)
    earliest = schedule[place - 1][1] if place > 0 else starts
    latest = schedule[place + 1][1] if place + 1 < len(schedule) else None
    if due < earliest or (place > 0 and due == earliest) or (latest and due >= latest):
        raise WhenError(WhenProblem.OUT_OF_ORDER)

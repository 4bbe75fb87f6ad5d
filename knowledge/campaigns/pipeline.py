"""Creators in a campaign: where each stands (to contact → contacted → agreed → content
approved → published → paid, or declined), which moves the owner may make, and who is behind
at a check-in.

The owner moves a creator one step on, or one step back (a tap made by mistake); a creator
may decline until their content is published, and one who declined may be asked again
(contacted) until they are replaced. A replaced creator moves no more.

Without posting dates of its own, a campaign expects every creator booked now (not a wave-2
reserve) to have published by its last check-in before the end (`posted_by`): from that
check-in on, those not published yet are behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from knowledge.reading.when import checkin_days


class CreatorStatus(StrEnum):
    TO_CONTACT = "to_contact"
    CONTACTED = "contacted"
    AGREED = "agreed"
    APPROVED = "approved"  # the content approved
    PUBLISHED = "published"
    PAID = "paid"
    DECLINED = "declined"


# The way forward, in order; DECLINED is off it.
ORDER: tuple[CreatorStatus, ...] = (
    CreatorStatus.TO_CONTACT,
    CreatorStatus.CONTACTED,
    CreatorStatus.AGREED,
    CreatorStatus.APPROVED,
    CreatorStatus.PUBLISHED,
    CreatorStatus.PAID,
)
# Where a creator who declined goes when asked again.
ASKED_AGAIN = CreatorStatus.CONTACTED


def moves(status: CreatorStatus, replaced: bool = False) -> tuple[CreatorStatus, ...]:
    """Where a creator may move from `status`, in the order the buttons offer them: one step
    on, declined (before publishing), one step back; a declined creator may be asked again;
    a replaced one moves no more."""
    if replaced:
        return ()
    if status is CreatorStatus.DECLINED:
        return (ASKED_AGAIN,)
    place = ORDER.index(status)
    allowed: list[CreatorStatus] = []
    if place + 1 < len(ORDER):
        allowed.append(ORDER[place + 1])
    if place < ORDER.index(CreatorStatus.PUBLISHED):
        allowed.append(CreatorStatus.DECLINED)
    if place > 0:
        allowed.append(ORDER[place - 1])
    return tuple(allowed)


def can_move(start: CreatorStatus, end: CreatorStatus, replaced: bool = False) -> bool:
    return end in moves(start, replaced)


def status_of(text: str) -> CreatorStatus | None:
    """A status as a button or the database carries it (None: not one)."""
    try:
        return CreatorStatus(text)
    except ValueError:
        return None


def has_published(status: CreatorStatus) -> bool:
    return status in (CreatorStatus.PUBLISHED, CreatorStatus.PAID)


class Followed(Protocol):
    """A creator as the campaign follows them (storage.models.CampaignCreator)."""

    @property
    def status(self) -> str: ...

    @property
    def wave(self) -> int: ...

    @property
    def replaced_by(self) -> int | None: ...


F = TypeVar("F", bound=Followed)


def posted_by(start: date, length_days: int) -> str | None:
    """The check-in by which the creators should have published: the last one on or before
    the campaign's last day (None: no check-in)."""
    last_day = start + timedelta(days=length_days - 1)
    before_end = [stage for stage in checkin_days(start, length_days) if stage.day <= last_day]
    return before_end[-1].name if before_end else None


def is_due(stage: str, start: date, length_days: int) -> bool:
    """Whether, at the check-in `stage`, the creators should have published."""
    due = posted_by(start, length_days)
    stages = [s.name for s in checkin_days(start, length_days)]
    if due is None or stage not in stages:
        return False
    return stages.index(stage) >= stages.index(due)


def is_behind(creator: Followed) -> bool:
    """Booked now (not a wave-2 reserve), still in (not declined, not replaced), and not
    published yet."""
    status = status_of(creator.status)
    return (
        status is not None
        and creator.wave == 1
        and creator.replaced_by is None
        and status is not CreatorStatus.DECLINED
        and not has_published(status)
    )


def behind_at(stage: str, creators: Iterable[F], start: date, length_days: int) -> list[F]:
    """The creators a check-in at `stage` asks about: none before the creators should have
    published; from then on, those behind."""
    if not is_due(stage, start, length_days):
        return []
    return [c for c in creators if is_behind(c)]


def counts(creators: Iterable[Followed]) -> dict[CreatorStatus, int]:
    """How many creators stand at each status (those replaced left out), in ORDER, then
    declined; statuses nobody stands at left out."""
    found: dict[CreatorStatus, int] = {}
    for creator in creators:
        status = status_of(creator.status)
        if status is not None and creator.replaced_by is None:
            found[status] = found.get(status, 0) + 1
    return {s: found[s] for s in (*ORDER, CreatorStatus.DECLINED) if s in found}


@dataclass(frozen=True)
class Window:
    """When a plan line's creator posts (knowledge.advice.windows): the days, and the role
    of those posts around a launch (None: no launch)."""

    post_from: date
    post_until: date
    post_role: str | None = None


def windows_of(lines: Sequence[Mapping[str, Any]]) -> dict[tuple[int, int], Window]:
    """Each plan line's posting window by (creator id, wave), from a stored recommendation's
    lines (JSON, any version); none for a line stored before windows were made, or planned
    from a brief without a date."""
    found = {}
    for line in lines:
        start, end = line.get("post_from"), line.get("post_until")
        try:
            key = (int(line["id"]), int(line.get("wave") or 1))
            window = Window(date.fromisoformat(str(start)), date.fromisoformat(str(end)))
        except (KeyError, TypeError, ValueError):
            continue
        role = line.get("post_role")
        found[key] = Window(window.post_from, window.post_until, role if role else None)
    return found

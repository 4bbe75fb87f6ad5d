"""Changes an admin makes to one influencer (add, edit, remove, restore), each committed in
one transaction with its audit entry, and the look-ups that name the influencer."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, cast, or_
from sqlmodel import Session, col, select

from knowledge.base import KnowledgeBase
from knowledge.reading.matching import read_chat_niches, slugify
from knowledge.writing.i18n import _
from knowledge.writing.replies import LookupProblem, RosterChange
from storage.admin import _record
from storage.models import (
    AuditEntry,
    Influencer,
    InfluencerCreate,
    InfluencerNiche,
    SavedBrief,
    handle_key,
    utcnow,
)
from storage.roster import find_influencers
from storage.roster_rows import (
    COLUMNS,
    RowInvalid,
    field_changes,
    row_values,
    unknown_field,
    unknown_niche,
    validate_row,
)
from storage.search import _rescore, _set_search_active


@dataclass(frozen=True)
class Lookup:
    """The one influencer a reference names, or why there is not exactly one."""

    influencer: Influencer | None
    problem: LookupProblem | None = None
    matches: tuple[Influencer, ...] = ()


def look_up(*, session: Session, reference: str) -> Lookup:
    """The influencer named by `reference` (`@handle`, `#id`)."""
    reference = reference.strip()
    if not reference:
        return Lookup(None, LookupProblem.USAGE)
    matches = find_influencers(session=session, reference=reference)
    if len(matches) == 1:
        return Lookup(matches[0])
    problem = LookupProblem.NOT_FOUND if not matches else LookupProblem.AMBIGUOUS
    return Lookup(None, problem, tuple(matches))


def get_influencer(*, session: Session, influencer_id: int) -> Influencer | None:
    return session.get(Influencer, influencer_id)


def version_of(influencer: Influencer) -> str:
    """A short token that changes with every change to the influencer (it is made from the
    time of the last one): a button made for one state of the record works in that state
    only, so a confirming button works once."""
    stamp = influencer.updated_at.isoformat().encode()
    return hashlib.blake2s(stamp, digest_size=4).hexdigest()


@dataclass(frozen=True)
class Changed:
    """What became of a change, with the influencer's name and id for the reply."""

    kind: RosterChange
    name: str = ""
    influencer_id: int | None = None


def influencer_record(influencer: Influencer) -> InfluencerCreate:
    return InfluencerCreate.model_validate(
        influencer, update={"niches": sorted(n.niche for n in influencer.niches)}
    )


def _audit(
    session: Session,
    actor_id: int,
    action: str,
    influencer: Influencer,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    _record(
        session=session,
        actor_id=actor_id,
        action=action,
        influencer_id=influencer.id,
        platform=influencer.platform,
        handle=influencer.handle,
        summary=f"{influencer.name} (#{influencer.id})",
        before=before,
        after=after,
    )


def _holder(session: Session, item: InfluencerCreate, own_id: int | None) -> Influencer | None:
    """Another influencer already holding this handle on this platform."""
    for other in find_influencers(session=session, reference=item.handle):
        if other.platform == item.platform and other.id != own_id:
            return other
    return None


def add_influencer(
    *, session: Session, item: InfluencerCreate, actor_id: int, kb: KnowledgeBase
) -> Changed:
    """Add one influencer with its audit entry; DUPLICATE (naming the holder) when the
    handle is taken on that platform."""
    other = _holder(session, item, None)
    if other is not None:
        return Changed(RosterChange.DUPLICATE, other.name, other.id)
    influencer = Influencer.model_validate(
        item, update={"handle_key": handle_key(item.handle), "niches": []}
    )
    session.add(influencer)
    session.flush()
    assert influencer.id is not None
    influencer.niches = [InfluencerNiche(influencer_id=influencer.id, niche=n) for n in item.niches]
    session.flush()
    _rescore(session, [influencer.id], kb)
    _audit(session, actor_id, "add", influencer, after=row_values(item))
    session.commit()
    return Changed(RosterChange.ADDED, item.name, influencer.id)


def set_influencer_active(
    *,
    session: Session,
    influencer_id: int,
    active: bool,
    actor_id: int,
    version: str | None = None,
) -> Changed | None:
    """Remove (no longer recommended) or restore an influencer, with its audit entry; None
    when there is no such influencer, or when `version` (see version_of) is given and the
    record changed since."""
    influencer = session.get(Influencer, influencer_id)
    if influencer is None or (version is not None and version != version_of(influencer)):
        return None
    if influencer.active == active:
        kind = RosterChange.ALREADY_ACTIVE if active else RosterChange.ALREADY_REMOVED
        return Changed(kind, influencer.name, influencer.id)
    influencer.active = active
    influencer.updated_at = utcnow()
    session.add(influencer)
    _set_search_active(session, [influencer_id], active)
    action = "restore" if active else "remove"
    _audit(session, actor_id, action, influencer, {"active": not active}, {"active": active})
    session.commit()
    return Changed(
        RosterChange.RESTORED if active else RosterChange.REMOVED, influencer.name, influencer_id
    )


@dataclass(frozen=True)
class EditCheck:
    """An edit checked against the influencer as stored: the record it would save, or the
    problems; and the fields it would change."""

    item: InfluencerCreate | None
    problems: list[str] = field(default_factory=list)
    before: dict[str, str] = field(default_factory=dict)
    changes: list[tuple[str, object, object]] = field(default_factory=list)


def check_edit(
    *,
    session: Session,
    influencer: Influencer,
    pairs: Mapping[str, str],
    kb: KnowledgeBase,
    currency: str,
    roster_niches: Iterable[str],
) -> EditCheck:
    """`pairs` (`field=value` as typed in the chat) applied to the stored record: niches as
    typed in the chat (a new one only as `new:name`), and a handle another influencer already
    holds on that platform refused."""
    before = row_values(influencer_record(influencer))
    raw = dict(before)
    problems = [unknown_field(k) for k in pairs if k not in COLUMNS]
    for key, value in pairs.items():
        if key == "niche":
            niches = read_chat_niches(value, kb, roster_niches)
            if niches.unknown:
                problems.append(unknown_niche(niches.unknown, slugify(niches.unknown)))
            value = niches.text
        if key in COLUMNS:
            raw[key] = value
    if problems:
        return EditCheck(None, problems, before)
    try:
        item = validate_row(raw, kb, currency)
    except RowInvalid as exc:
        return EditCheck(None, [str(p) for p in exc.problems], before)
    other = _holder(session, item, influencer.id)
    if other is not None:
        taken = _("handle “%(handle)s” is already #%(id)s (%(name)s) there") % {
            "handle": item.handle,
            "id": other.id,
            "name": other.name,
        }
        return EditCheck(None, [taken], before)
    return EditCheck(item, [], before, field_changes(before, row_values(item)))


@dataclass(frozen=True)
class EditApplied:
    kind: RosterChange  # EDITED, STALE (changed meanwhile or gone), KEPT (problems), UNCHANGED
    name: str = ""
    influencer_id: int | None = None
    problems: list[str] = field(default_factory=list)


def apply_edit(
    *,
    session: Session,
    influencer_id: int,
    pairs: Mapping[str, str],
    before: Mapping[str, str],
    actor_id: int,
    kb: KnowledgeBase,
    currency: str,
    roster_niches: Iterable[str],
) -> EditApplied:
    """Save a previewed edit with its audit entry, unless the influencer changed since the
    preview showed `before`."""
    influencer = session.get(Influencer, influencer_id)
    if influencer is None or row_values(influencer_record(influencer)) != dict(before):
        return EditApplied(RosterChange.STALE)
    check = check_edit(
        session=session,
        influencer=influencer,
        pairs=pairs,
        kb=kb,
        currency=currency,
        roster_niches=roster_niches,
    )
    if check.item is None:
        return EditApplied(RosterChange.KEPT, problems=check.problems)
    return _saved_edit(session, influencer, check.item, before, actor_id, kb)


def _saved_edit(
    session: Session,
    influencer: Influencer,
    item: InfluencerCreate,
    before: Mapping[str, str],
    actor_id: int,
    kb: KnowledgeBase,
) -> EditApplied:
    """A checked edit saved, with the scores and the audit entry."""
    influencer_id = influencer.id
    assert influencer_id is not None
    for name, value in item.model_dump(exclude={"niches"}).items():
        setattr(influencer, name, value)
    influencer.handle_key = handle_key(item.handle)
    kept = [n for n in influencer.niches if n.niche in item.niches]
    have = {n.niche for n in kept}
    influencer.niches = kept + [
        InfluencerNiche(influencer_id=influencer_id, niche=n) for n in item.niches if n not in have
    ]
    influencer.updated_at = utcnow()
    session.add(influencer)
    session.flush()
    _rescore(session, [influencer_id], kb)
    _audit(session, actor_id, "edit", influencer, dict(before), row_values(item))
    session.commit()
    return EditApplied(RosterChange.EDITED, influencer.name, influencer_id)


def edit_in_place(
    *,
    session: Session,
    influencer_id: int,
    version: str,
    pairs: Mapping[str, str],
    actor_id: int,
    kb: KnowledgeBase,
    currency: str,
    roster_niches: Iterable[str],
) -> EditApplied:
    """An edit made in a cell of the roster page: checked as /edit checks it and saved at once
    with its audit entry (the cell shows what is typed: no preview), unless the influencer
    changed since the page showed it (`version`, see version_of)."""
    influencer = session.get(Influencer, influencer_id)
    if influencer is None or version != version_of(influencer):
        return EditApplied(RosterChange.STALE)
    check = check_edit(
        session=session,
        influencer=influencer,
        pairs=pairs,
        kb=kb,
        currency=currency,
        roster_niches=roster_niches,
    )
    if check.item is None:
        return EditApplied(RosterChange.KEPT, problems=check.problems)
    if not check.changes:
        return EditApplied(RosterChange.UNCHANGED, influencer.name, influencer_id)
    return _saved_edit(session, influencer, check.item, check.before, actor_id, kb)


REMOVED = "(removed)"


def purge_influencer(
    *, session: Session, influencer_id: int, actor_id: int, version: str
) -> Changed | None:
    """Delete an influencer for good, in one transaction: the record, and their personal data
    wherever the bot kept it: the audit log's entries about them keep who did what and when,
    without the record's fields; the recommendations users saved keep the line, without the
    name, handle or contact. An audit entry records the purge (with the id only). None when
    there is no such influencer or it changed since `version` (see version_of)."""
    influencer = session.get(Influencer, influencer_id)
    if influencer is None or version != version_of(influencer):
        return None
    name, handle = influencer.name, influencer.handle
    entries = session.exec(
        select(AuditEntry).where(
            or_(
                col(AuditEntry.influencer_id) == influencer_id,
                col(AuditEntry.handle_key) == influencer.handle_key,
            )
        )
    )
    for entry in entries:
        entry.before = entry.after = None
        entry.handle_key = None
        entry.summary = f"#{influencer_id} (deleted for good)"
        session.add(entry)
    saved = session.exec(
        select(SavedBrief).where(
            cast(SavedBrief.recommendation, String).contains(handle, autoescape=True)
        )
    )
    for brief in saved:
        brief.recommendation = _without_person(brief.recommendation, influencer_id, name, handle)
        session.add(brief)
    session.delete(influencer)
    _record(
        session=session,
        actor_id=actor_id,
        action="purge",
        influencer_id=influencer_id,
        summary=f"#{influencer_id} deleted for good",
    )
    session.commit()
    return Changed(RosterChange.PURGED, "", influencer_id)


def _without_person(value: Any, influencer_id: int, name: str, handle: str) -> Any:
    """`value` (stored JSON) with the person's name, handle and contact replaced where they
    appear: in their own entries (a dict with their id and a handle), and as names listed
    (the notices that name people)."""
    if isinstance(value, dict):
        if value.get("id") == influencer_id and "handle" in value:
            value = {**value, "name": REMOVED, "handle": REMOVED, "contact": None}
        return {k: _without_person(v, influencer_id, name, handle) for k, v in value.items()}
    if isinstance(value, list):
        return [
            REMOVED if v in (name, handle) else _without_person(v, influencer_id, name, handle)
            for v in value
        ]
    return value

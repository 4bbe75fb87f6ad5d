"""Conversation state and per-user answers, so a restart resumes where each user was.

Instances sharing the database may handle the same user's updates at the same moment (and
the reminder delivery writes a user's state too), so a user's answers carry a version, and
each write runs alone for that user (storage.locks.lock_user_state): a write that finds
another version than it read applies its own changes (the keys it changed) to the state as
now stored instead of overwriting it. Erasure wins: once /forget_me committed, no write
begun before it stores anything for that user (the erasure mark, storage.privacy).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.locks import lock_user_state
from storage.models import ConversationState, ErasedUser, Reminder, UserData


def load_conversations(*, session: Session, name: str) -> dict[tuple[int, ...], Any]:
    rows = session.exec(select(ConversationState).where(ConversationState.name == name))
    return {tuple(json.loads(row.key)): json.loads(row.state) for row in rows}


def save_conversation(
    *, session: Session, name: str, key: tuple[int, ...], state: Any | None, version: int = 0
) -> None:
    """Record `state` for `key` (chat, user), the user's answers having been read at
    `version`; None (the conversation ended) removes it. Nothing is recorded for a user
    erased since that read."""
    if state is not None:
        user_id = key[-1]
        lock_user_state(session, user_id)
        mark = session.get(ErasedUser, user_id, populate_existing=True)
        if mark is not None and mark.version > version:
            session.rollback()
            return
    key_text = json.dumps(list(key))
    row = session.get(ConversationState, (name, key_text))
    if state is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(ConversationState(name=name, key=key_text, state=json.dumps(state)))
    else:
        row.state = json.dumps(state)
        session.add(row)
    session.commit()


Answers = dict[str, Any]


def load_user_data(*, session: Session) -> dict[int, tuple[Answers, int]]:
    """Every user's answers, with their version."""
    return {
        row.user_id: (dict(row.data or {}), row.version) for row in session.exec(select(UserData))
    }


def _now_stored(session: Session, user_id: int) -> tuple[UserData | None, ErasedUser | None]:
    return (
        session.get(UserData, user_id, populate_existing=True),
        session.get(ErasedUser, user_id, populate_existing=True),
    )


def _version(row: UserData | None, mark: ErasedUser | None) -> int:
    """The version of a user's state: its row's, else the erasure's (no row: erased or never
    written)."""
    if row is not None:
        return row.version
    return mark.version if mark is not None else 0


def _write(
    session: Session, row: UserData | None, user_id: int, data: Answers, version: int
) -> int:
    """Store `data` as the version after `version` and commit; that version."""
    row = row or UserData(user_id=user_id)
    row.data = data
    row.version = version + 1
    session.add(row)
    session.commit()
    return row.version


def changes_applied(stored: Answers, before: Answers, after: Answers) -> Answers:
    """`stored` with the changes that made `after` of `before`: the keys added or changed,
    less the keys removed (another write's other keys are kept)."""
    merged = dict(stored)
    for key, value in after.items():
        if before.get(key, object()) != value:
            merged[key] = value
    for key in before.keys() - after.keys():
        merged.pop(key, None)
    return merged


def save_user_data(
    *, session: Session, user_id: int, before: Answers, after: Answers, version: int
) -> tuple[Answers, int] | None:
    """Store `after`, the user's state read as `before` at `version`; committed. Written
    since by another: this write's changes applied to the state as stored. Returns the
    state stored and its version; None when the user was erased since it was read (nothing
    is written)."""
    lock_user_state(session, user_id)
    row, mark = _now_stored(session, user_id)
    if mark is not None and mark.version > version:
        session.rollback()
        return None
    stored = _version(row, mark)
    if stored != version:
        after = changes_applied(dict(row.data or {}) if row else {}, before, after)
    return after, _write(session, row, user_id, after, stored)


def drop_user_data(*, session: Session, user_id: int) -> None:
    session.exec(delete(UserData).where(col(UserData.user_id) == user_id))
    session.commit()


def user_data_of(*, session: Session, user_id: int) -> tuple[Answers, int]:
    """One user's stored answers ({} when none) and their version, as another instance may
    have left them."""
    row, mark = _now_stored(session, user_id)
    return (dict(row.data or {}) if row is not None else {}), _version(row, mark)


def conversations_of(
    *, session: Session, names: list[str], key: tuple[int, ...]
) -> dict[str, Any | None]:
    """Where one conversation key (chat, user) stands in each named conversation (None: not
    in it), read through the primary key."""
    key_text = json.dumps(list(key))
    rows = session.exec(
        select(ConversationState).where(
            col(ConversationState.name).in_(names), ConversationState.key == key_text
        )
    )
    found: dict[str, Any | None] = dict.fromkeys(names)
    for row in rows:
        found[row.name] = json.loads(row.state)
    return found


def change_user_data(
    *, session: Session, user_id: int, reminder_id: int, change: Callable[[Answers], None]
) -> tuple[Answers, int] | None:
    """Apply `change` to the user's stored answers as they are now (not as one instance
    remembers them) and store the result, for reminder `reminder_id`'s sake: only while it
    is stored (/forget_me deletes it with everything else). The state and its version, or
    None when nothing was written; committed."""
    lock_user_state(session, user_id)
    if session.get(Reminder, reminder_id, populate_existing=True) is None:
        session.rollback()
        return None
    row, mark = _now_stored(session, user_id)
    data = dict(row.data or {}) if row is not None else {}
    change(data)
    return data, _write(session, row, user_id, data, _version(row, mark))

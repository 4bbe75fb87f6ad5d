"""Conversation state and per-user answers, so a restart resumes where each user was."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import ConversationState, UserData


def load_conversations(*, session: Session, name: str) -> dict[tuple[int, ...], Any]:
    rows = session.exec(select(ConversationState).where(ConversationState.name == name))
    return {tuple(json.loads(row.key)): json.loads(row.state) for row in rows}


def save_conversation(
    *, session: Session, name: str, key: tuple[int, ...], state: Any | None
) -> None:
    """Record `state` for `key`; None (the conversation ended) removes it."""
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


def load_user_data(*, session: Session) -> dict[int, dict[str, Any]]:
    return {row.user_id: dict(row.data or {}) for row in session.exec(select(UserData))}


def _store(session: Session, row: UserData | None, user_id: int, data: dict[str, Any]) -> None:
    """Write `data` as the user's state (in `row` when there is one) and commit."""
    if row is None:
        session.add(UserData(user_id=user_id, data=data))
    else:
        row.data = data
        session.add(row)
    session.commit()


def save_user_data(*, session: Session, user_id: int, data: dict[str, Any]) -> None:
    _store(session, session.get(UserData, user_id), user_id, data)


def drop_user_data(*, session: Session, user_id: int) -> None:
    session.exec(delete(UserData).where(col(UserData.user_id) == user_id))
    session.commit()


def user_data_of(*, session: Session, user_id: int) -> dict[str, Any]:
    """One user's stored answers ({} when none), as another instance may have left them."""
    row = session.get(UserData, user_id)
    return dict(row.data or {}) if row is not None else {}


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
    *, session: Session, user_id: int, change: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    """Apply `change` to the user's stored answers as they are now (not as one instance
    remembers them) and store the result; returns it."""
    row = session.get(UserData, user_id)
    data = dict(row.data or {}) if row is not None else {}
    change(data)
    _store(session, row, user_id, data)
    return data

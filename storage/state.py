"""Conversation state and per-user answers, so a restart resumes where each user was."""

from __future__ import annotations

import json
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


def save_user_data(*, session: Session, user_id: int, data: dict[str, Any]) -> None:
    row = session.get(UserData, user_id)
    if row is None:
        session.add(UserData(user_id=user_id, data=data))
    else:
        row.data = data
        session.add(row)
    session.commit()


def drop_user_data(*, session: Session, user_id: int) -> None:
    session.exec(delete(UserData).where(col(UserData.user_id) == user_id))
    session.commit()

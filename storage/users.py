"""Users and the briefs they saved with their recommendation."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from storage.models import SavedBrief, SavedBriefBase, User


def ensure_user(*, session: Session, telegram_id: int, language: str | None) -> User:
    """The user row for `telegram_id`, created on first sight."""
    user = session.get(User, telegram_id)
    if user is None:
        user = User(telegram_id=telegram_id, language=language)
        session.add(user)
        session.commit()
        session.refresh(user)
    return user


def save_brief(
    *, session: Session, user_id: int, brief: SavedBriefBase, recommendation: dict[str, Any]
) -> SavedBrief:
    saved = SavedBrief.model_validate(
        brief, update={"user_id": user_id, "recommendation": recommendation}
    )
    session.add(saved)
    session.commit()
    session.refresh(saved)
    return saved

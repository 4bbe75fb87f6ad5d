"""Users and the briefs they saved with their recommendation."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from storage.models import SavedBrief, SavedBriefBase, User, max_length


def _add_if_missing(session: Session, telegram_id: int, language: str | None) -> bool:
    if session.get(User, telegram_id) is not None:
        return False
    session.add(User(telegram_id=telegram_id, language=language))
    session.flush()
    return True


def ensure_user(*, session: Session, telegram_id: int, language: str | None) -> None:
    """Create the user row for `telegram_id` on first sight."""
    if _add_if_missing(session, telegram_id, language):
        session.commit()


def telegram_language_of(*, session: Session, user_id: int) -> str | None:
    """The language of the user's Telegram on their latest update seen (None: unknown user,
    or a Telegram that does not say)."""
    user = session.get(User, user_id)
    return user.language if user is not None else None


def set_telegram_language(*, session: Session, user_id: int, language: str | None) -> None:
    """Keep `language` as the user's Telegram language (a user with no row yet is left out:
    the row is made with it when needed). Read first: most updates bring the language kept
    already, and then nothing waits for a write (another may be holding SQLite's lock)."""
    language = language[: max_length(User, "language")] if language else None
    user = session.get(User, user_id)
    if user is None or user.language == language:
        return
    user.language = language
    session.add(user)
    session.commit()


def save_brief(
    *,
    session: Session,
    user_id: int,
    language: str | None,
    brief: SavedBriefBase,
    recommendation: dict[str, Any],
    user_known: bool = False,
) -> int:
    """Store the brief with its recommendation (and its user's row on first sight, in the
    same transaction); returns the brief's id. `user_known` skips looking the user up."""
    if not user_known:
        _add_if_missing(session, user_id, language)
    # A table model is built without validating: the recommendation (large JSON made by the
    # engine) is not walked through field by field.
    saved = SavedBrief(**brief.model_dump(), user_id=user_id, recommendation=recommendation)
    session.add(saved)
    session.flush()
    assert saved.id is not None
    saved_id = saved.id
    session.commit()
    return saved_id

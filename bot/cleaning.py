"""What Telegram sends, cleaned once at the edge before any handler sees it, so that every
database stores what SQLite stores: no NUL or other C0 control character in any text (the
line breaks and tabs people type are kept), and a `language_code` no longer than the column
that keeps it. The same rules run whatever the database, so one SQLite accepted copies."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application

from storage.models import UNSTORABLE, User, max_length

LANGUAGE_CODE = max_length(User, "language")


def clean_text(text: str) -> str:
    """`text` without control characters other than line breaks and tabs."""
    return UNSTORABLE.sub("", text)


def clean_language_code(code: str) -> str | None:
    """A language tag that fits the column: as sent, else its primary language (`fr` of an
    over-long `fr-…`), else None."""
    if len(code) <= LANGUAGE_CODE:
        return code
    primary = code.split("-", 1)[0]
    return primary if 0 < len(primary) <= 8 else None


def cleaned(value: Any, key: str = "") -> Any:
    """A copy of an update's JSON with every string cleaned."""
    if isinstance(value, str):
        text = clean_text(value)
        return clean_language_code(text) if key == "language_code" else text
    if isinstance(value, dict):
        return {k: cleaned(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [cleaned(v, key) for v in value]
    return value


def clean_update(update: Update) -> Update:
    """`update`, or a clean copy of it when a text of it needed cleaning."""
    data = update.to_dict()
    clean = cleaned(data)
    return update if clean == data else Update.de_json(clean, update.get_bot())


class CleaningApplication(Application):  # type: ignore[type-arg]
    """The Application whose handlers see only clean updates, from polling and webhooks
    alike (both hand each update to `process_update`)."""

    async def process_update(self, update: object) -> None:
        if isinstance(update, Update):
            update = clean_update(update)
        await super().process_update(update)

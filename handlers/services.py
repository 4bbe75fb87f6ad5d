"""What the handlers need from the running bot, handed over through `bot_data`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from knowledge.base import KnowledgeBase
from knowledge.render import Labels, render, split_message
from knowledge.when import Clock
from storage.campaigns import timezone_of

SERVICES_KEY = "services"


@dataclass(frozen=True)
class Services:
    engine: Engine
    kb: KnowledgeBase
    currency: str
    admin_ids: frozenset[int] = frozenset()
    timezone: str = "UTC"
    clock: Clock = field(default_factory=Clock)

    def session(self) -> Session:
        return Session(self.engine)

    @property
    def labels(self) -> Labels:
        return Labels(self.kb)

    def zone_of(self, user_id: int) -> ZoneInfo:
        """The user's time zone, or the deployment's default."""
        with self.session() as session:
            name = timezone_of(session=session, user_id=user_id)
        return ZoneInfo(name or self.timezone)


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.bot_data[SERVICES_KEY]  # type: ignore[no-any-return]


async def reply(
    update: Update,
    template: str,
    keyboard: InlineKeyboardMarkup | None = None,
    **values: Any,
) -> None:
    """Render `template` and send it to the update's chat, split if over Telegram's limit.

    The keyboard goes under the last part.
    """
    chat = update.effective_chat
    if chat is None:
        return
    parts = split_message(render(template, **values))
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await chat.send_message(part, reply_markup=keyboard if last else None)

"""python-telegram-bot persistence backed by the project's database (not a pickle file).

Several instances may share the database, and a user's next update may reach another
instance than the last one did. So what python-telegram-bot keeps in memory is re-read from
the database before each update: the user's user_data through the persistence's own hook
(`refresh_user_data`, called before the update's first handler), and the user's step in each
conversation by `SharedConversations`, a handler in the first group. python-telegram-bot has
no hook for conversation states (it loads them once, at start), so that handler sets the
ConversationHandlers' state for this one key itself, without marking it as changed.

A user's answers are written with the version they were read at (storage.state): a write that
finds another instance wrote since applies only its own changes to what is stored, and one
that finds the user erased since writes nothing, and the instance forgets them too.

python-telegram-bot writes every user's pending state in the turn of whichever update asks
first (its writes are batched under one lock), so a write refused by the database is kept as
its user's (`refusal`), not counted for the update whose turn it ran in: the user's own
update acts on it before its replies go (handlers.common.persist_now: the database gone, the
update is given up where it may be, webhook: handlers.held's database_lost; else the user is
told). What its handlers changed in the user's answers, still in memory, is then never
written (`forget_attempt`): python-telegram-bot would write it with the next update's, and
the attempt handling the update again would build on it. Their next update reads the answers
as stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from copy import deepcopy
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from telegram import Update
from telegram.ext import BasePersistence, ConversationHandler, PersistenceInput

from handlers.context import BotContext, UserState
from storage.state import (
    conversations_of,
    drop_user_data,
    load_conversations,
    load_user_data,
    save_conversation,
    save_user_data,
    user_data_of,
)

ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]


class DatabasePersistence(BasePersistence[UserState, dict[str, Any], dict[str, Any]]):
    """Keeps user_data (the answers of a brief) and conversation states in the database.

    It remembers what it last stored and writes only what changed: most updates (a one-line
    brief, a command) leave both as they were, and an empty user_data needs no row.
    """

    def __init__(self, engine: Engine, update_interval: float = 60) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._engine = engine
        self._stored_user_data: dict[int, UserState] = {}
        self._versions: dict[int, int] = {}  # the version of each user's answers read
        self._stored_states: dict[tuple[str, ConversationKey], object] = {}
        # Users whose update was given up: their answers in memory are not to be written.
        self._attempted: set[int] = set()
        # Each user's last refused write since their update began (`refusal`).
        self._refused: dict[int, SQLAlchemyError] = {}

    async def _run(self, function: Any, **kwargs: Any) -> Any:
        def call() -> Any:
            with Session(self._engine) as session:
                return function(session=session, **kwargs)

        return await asyncio.to_thread(call)

    async def get_user_data(self) -> dict[int, UserState]:
        stored: dict[int, tuple[dict[str, Any], int]] = await self._run(load_user_data)
        states = {user_id: UserState(data) for user_id, (data, _version) in stored.items()}
        self._versions = {user_id: version for user_id, (_data, version) in stored.items()}
        self._stored_user_data = deepcopy(states)
        return states

    async def get_chat_data(self) -> dict[int, dict[str, Any]]:
        return {}

    async def get_bot_data(self) -> dict[str, Any]:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        stored: ConversationDict = await self._run(load_conversations, name=name)
        self._stored_states.update(((name, key), state) for key, state in stored.items())
        return stored

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        slot = (name, tuple(key))
        user_id = int(key[-1])
        if self._stored_states.get(slot) == new_state or user_id in self._attempted:
            return
        version = self._versions.get(user_id, 0)
        await self._save(
            user_id, save_conversation, name=name, key=slot[1], state=new_state, version=version
        )
        self._stored_states[slot] = new_state

    async def _save(self, owner: int, function: Any, /, **kwargs: Any) -> Any:
        """A write of `owner`'s state; one the database refuses is kept as that user's
        (`refusal`), whichever update's turn it ran in, and raised (python-telegram-bot
        logs it, with no update)."""
        try:
            return await self._run(function, **kwargs)
        except SQLAlchemyError as exc:
            self._refused[owner] = exc
            raise

    def refusal(self, user_id: int) -> SQLAlchemyError | None:
        """The last write of the user's state (answers or step) the database refused since
        their update began, in any update's turn; None when none was."""
        return self._refused.get(user_id)

    async def update_user_data(self, user_id: int, data: UserState) -> None:
        before: dict[str, Any] = self._stored_user_data.get(user_id, {})
        if before == data or user_id in self._attempted:
            return
        saved: tuple[dict[str, Any], int] | None = await self._save(
            user_id,
            save_user_data,
            user_id=user_id,
            before=dict(before),
            after=dict(data),
            version=self._versions.get(user_id, 0),
        )
        if saved is None:  # erased meanwhile (/forget_me on another instance)
            data.clear()
            self._stored_user_data.pop(user_id, None)
            self._versions.pop(user_id, None)
            return
        stored, self._versions[user_id] = saved
        if stored != data:  # another instance's changes, kept beside this update's
            data.clear()
            data.update(stored)
        self._stored_user_data[user_id] = deepcopy(data)

    async def drop_user_data(self, user_id: int) -> None:
        await self._run(drop_user_data, user_id=user_id)
        self._stored_user_data.pop(user_id, None)
        self._versions.pop(user_id, None)

    async def update_chat_data(self, chat_id: int, data: dict[str, Any]) -> None:
        return None

    async def update_bot_data(self, data: dict[str, Any]) -> None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def refresh_user_data(self, user_id: int, user_data: UserState) -> None:
        """Before each update: the user's answers as stored (another instance may have
        handled their last update)."""
        stored: dict[str, Any]
        stored, self._versions[user_id] = await self._run(user_data_of, user_id=user_id)
        if stored != user_data:
            user_data.clear()
            user_data.update(stored)
        self._stored_user_data[user_id] = UserState(deepcopy(stored))
        self._attempted.discard(user_id)
        self._refused.pop(user_id, None)

    def forget_attempt(self, user_id: int) -> None:
        """The user's update was given up (the database went away while it was handled):
        what its handlers changed in the user's answers, in memory, is not written, until
        their next update reads the answers as stored."""
        self._attempted.add(user_id)

    def saved(self, user_id: int, data: Mapping[str, Any]) -> bool:
        """Whether `data` is what is stored for the user, as last written or read here (a
        write that failed, here or in another update's turn, leaves the two apart)."""
        return self._stored_user_data.get(user_id, {}) == data

    def remember_user_data(self, user_id: int, data: UserState, version: int) -> None:
        """`data` was just stored for the user, as `version`, by other means (bot.delivery)."""
        self._stored_user_data[user_id] = deepcopy(data)
        self._versions[user_id] = version

    async def refresh_conversations(
        self, names: list[str], key: ConversationKey
    ) -> dict[str, object | None]:
        """Where `key` stands in each named conversation, as stored."""
        states: dict[str, object | None] = await self._run(
            conversations_of, names=names, key=tuple(key)
        )
        for name, state in states.items():
            self._stored_states[(name, tuple(key))] = state
        return states

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[str, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[str, Any]) -> None:
        return None

    async def flush(self) -> None:
        return None


class SharedConversations:
    """The handler that, before every update, sets the user's step in each persistent
    conversation to the one stored (see the module's docstring)."""

    def __init__(
        self, persistence: DatabasePersistence, handlers: Sequence[ConversationHandler[Any]]
    ):
        self.persistence = persistence
        self.handlers = [h for h in handlers if h.persistent and h.name]
        self.names = [h.name for h in self.handlers if h.name]

    async def __call__(self, update: object, _context: BotContext) -> None:
        if not isinstance(update, Update) or not self.handlers:
            return
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        key = (chat.id, user.id)  # the key of a per-chat, per-user ConversationHandler
        states = await self.persistence.refresh_conversations(self.names, key)
        for handler in self.handlers:
            _set_state(handler, key, states.get(handler.name or ""))


def _set_state(handler: ConversationHandler[Any], key: ConversationKey, state: object) -> None:
    """Set `key`'s state in `handler` without marking it as written (python-telegram-bot
    22's ConversationHandler keeps its states in a TrackingDict, `_conversations`)."""
    conversations = handler._conversations
    current = conversations.get(key)
    if current == state or not isinstance(current, str | int | None):
        return  # unchanged, or a non-blocking step still running here
    if state is None:
        conversations.data.pop(key, None)  # type: ignore[attr-defined]
    else:
        conversations.update_no_track({key: state})  # type: ignore[attr-defined]

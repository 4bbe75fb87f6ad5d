"""An update's replies, held until the user's state is saved, then sent (or dropped when it
could not be saved, or the handling was given up: the database went away)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Any, Protocol, runtime_checkable

from telegram import Chat, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, RetryAfter

HeldReply = tuple[Chat, str, InlineKeyboardMarkup | None]
ReplyData = tuple[int, str, dict[str, Any] | None]  # chat id, text, keyboard as JSON
BeforeSending = Callable[[list[ReplyData]], Awaitable[None]]


class _Held(list[HeldReply]):
    """The replies held for an update, what is called around their sending (held_replies),
    `unsaved`: they were dropped, the user's state not saved; `may_give_up`: the handling
    may be given up if the database goes away (Telegram sends the update again), and
    `given_up`: it was (`database_lost`)."""

    def __init__(
        self, before: BeforeSending | None, after: Callable[[], None] | None, may_give_up: bool
    ) -> None:
        super().__init__()
        self.before, self.after, self.unsaved = before, after, False
        self.may_give_up, self.given_up = may_give_up, False


_held: ContextVar[_Held | None] = ContextVar("held_replies", default=None)  # see held_replies


class RepliesHeldBack(Exception):
    """Flood control refused a reply after all its retries: it surely was not sent. The
    replies still to send (rendered), for later, and how long Telegram asked to wait."""

    def __init__(self, user_id: int, replies: list[str], retry_after: float) -> None:
        super().__init__(f"{len(replies)} reply(ies) held back by flood control")
        self.user_id = user_id
        self.replies = replies
        self.retry_after = retry_after


class ReplyNotDelivered(Exception):
    """A reply could not be sent (or may not have arrived) after its update was handled and
    the user's state saved: what the user asked for was done."""


@contextmanager
def held_replies(
    before_sending: BeforeSending | None = None,
    after_sending: Callable[[], None] | None = None,
    *,
    may_give_up: bool = False,
) -> Iterator[None]:
    """While an update is handled (in its own task), `reply` holds its messages instead of
    sending them; `send_held_replies` sends them once the user's state is saved, so a crash
    can never leave a user with a question whose step the bot has forgotten. They are given
    to `before_sending` as data just before they go, `after_sending` is called once they all
    went (bot.processing records both on the update's claim). With `may_give_up` (webhook:
    an update answered 503 is sent again by Telegram), a handling cut off by the database
    going away is given up (`database_lost`): its replies are never sent."""
    token = _held.set(_Held(before_sending, after_sending, may_give_up))
    try:
        yield
    finally:
        _held.reset(token)


@runtime_checkable
class SavedState(Protocol):
    """A persistence that says whether a user's answers are stored as they are now, and
    which write of the user's state the database refused while their update was handled
    (in any update's turn: bot.persistence)."""

    def saved(self, user_id: int, data: Mapping[str, Any]) -> bool: ...

    def refusal(self, user_id: int) -> BaseException | None: ...


def state_not_saved() -> None:
    """The user's state could not be saved (the database unreachable): the replies held for
    the update, which tell the user their answer was taken, are dropped."""
    held = _held.get()
    if held is not None:
        held.clear()
        held.unsaved = True


def state_unsaved() -> bool:
    """Whether the state of the update being handled could not be saved."""
    held = _held.get()
    return held is not None and held.unsaved


def database_lost() -> bool:
    """The database could not be reached while the update was handled (storage.db's
    is_unreachable). True when its handling may be given up, and now is: its replies are
    dropped, nothing more is sent for it, and it is handled again in full when Telegram
    sends it again (bot.processing); say nothing to the user. False otherwise (polling, or
    its replies went already): tell them, as for any error."""
    held = _held.get()
    if held is None or not held.may_give_up:
        return False
    held.clear()
    held.given_up = True
    return True


def handling_given_up() -> bool:
    """Whether the handling of the update was given up (`database_lost`)."""
    held = _held.get()
    return held is not None and held.given_up


async def send_held_replies() -> None:
    """Send the replies held so far, in order (those `reply` makes from now on go at once).
    A network failure raises ReplyNotDelivered: the update's work was done and saved.
    Flood control refusing one after its retries raises RepliesHeldBack with it and those
    after it (in a private chat the chat is the user). None once the handling was given up
    (`database_lost`)."""
    held = _held.get()
    if not held or held.given_up:
        return
    _held.set(None)
    if held.before is not None:
        await held.before(
            [(chat.id, text, keys.to_dict() if keys else None) for chat, text, keys in held]
        )
    for index, (chat, text, keyboard) in enumerate(held):
        try:
            await chat.send_message(text, reply_markup=keyboard)
        except RetryAfter as exc:
            later = [text for _chat, text, _keys in held[index:]]
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise RepliesHeldBack(chat.id, later, seconds) from exc
        except BadRequest:
            raise
        except NetworkError as exc:
            raise ReplyNotDelivered(str(exc)) from exc
    if held.after is not None:
        held.after()


def hold_reply(chat: Chat, text: str, keyboard: InlineKeyboardMarkup | None) -> bool:
    """Hold a reply of the update being handled (dropped if its handling was given up);
    False when no update is being handled here: send it now."""
    held = _held.get()
    if held is None:
        return False
    if not held.given_up:
        held.append((chat, text, keyboard))
    return True

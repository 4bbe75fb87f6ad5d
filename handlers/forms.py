"""Multi-step forms (a brief, /add, /import, Save as campaign, results), and the rule between
them: a new command always wins. It closes any other open form (the brief's answers are set
aside, and /advise picks them up again), and the bot says so, so that nothing typed next is
taken as an answer to a question asked before. /help, /language and /timezone are the
exceptions: they answer, then the open form asks its question again and goes on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Iterable
from enum import StrEnum
from typing import Any

from telegram import MessageEntity, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers.callbacks import Prefix, pattern
from handlers.context import BotContext, StateKey
from handlers.menu import names
from handlers.services import reply
from knowledge.writing.replies import Template


class FormName(StrEnum):
    BRIEF = "advise"
    ADD = "add"
    IMPORT = "import"
    CAMPAIGN = "campaign"
    CAMPAIGN_CHANGE = "campaign_change"
    RESULTS = "results"
    SHOP_NAME = "shop_name"


# Asks the question of a form's step (the step is the form's state) again.
AskAgain = Callable[[Update, "BotContext", Any], Awaitable[object]]


class Form(ConversationHandler[BotContext]):
    """A persistent ConversationHandler that another command can close, and that asks its
    current question again (`ask_again`) after a command that keeps it open.

    python-telegram-bot has no public way to read or end a conversation from outside it; the
    private calls it needs are kept here, in one place.
    """

    def __init__(
        self, *, form: FormName, commands: Iterable[str], ask_again: AskAgain, **kwargs: Any
    ) -> None:
        super().__init__(name=form.value, persistent=True, allow_reentry=True, **kwargs)
        self.form = form
        self.commands = frozenset(commands)
        self.ask_again = ask_again

    def is_open_for(self, update: Update) -> bool:
        return self._get_key(update) in self._conversations

    def step_of(self, update: Update) -> object | None:
        """The step the update's user is at (None: the form is not open)."""
        return self._conversations.get(self._get_key(update))

    def close_for(self, update: Update) -> None:
        self._update_state(self.END, self._get_key(update))


class NotOpen(filters.UpdateFilter):
    """Updates from users who do not have `form` open (set once the form is built: an entry
    point that must not take the answers of the form it opens)."""

    def __init__(self) -> None:
        super().__init__(name="NotOpen")
        self.form: Form | None = None

    def filter(self, update: Update) -> bool:
        return self.form is not None and not self.form.is_open_for(update)


Step = Callable[[Update, BotContext], Coroutine[Any, Any, Any]]
TYPED = filters.TEXT & ~filters.COMMAND


def typed_or_pressed(step: Step, prefix: Prefix) -> list[BaseHandler[Any, BotContext, Any]]:
    """A step answered by typing, or by one of its buttons (`prefix`)."""
    return [MessageHandler(TYPED, step), CallbackQueryHandler(step, pattern=pattern(prefix))]


def cancel_command(key: StateKey) -> CommandHandler[BotContext, int]:
    """/cancel inside a form: its answers (kept under `key`) are dropped, and the bot says so."""

    async def cancel(update: Update, context: BotContext) -> int:
        context.state.close(key)
        await reply(update, Template.CANCELLED)
        return ConversationHandler.END

    return CommandHandler(names("cancel"), cancel)


# Commands that leave the open forms as they are: /cancel (left to the open form), and those
# that answer beside a form (the form then asks its question again).
BESIDE_FORMS = frozenset({*names("help"), *names("language"), *names("timezone")})
KEEPS_FORMS_OPEN = frozenset({*names("cancel"), *BESIDE_FORMS})


def command_of(update: Update) -> str | None:
    """The command a message starts with (`/advise@SomeBot goal=…` → `advise`), if any."""
    message = update.message
    if message is None or not message.text or not message.entities:
        return None
    first = message.entities[0]
    if first.type != MessageEntity.BOT_COMMAND or first.offset != 0:
        return None
    return message.text[1 : first.length].split("@")[0].lower()


def _forms(context: BotContext) -> list[Form]:
    return [h for h in context.application.handlers.get(0, []) if isinstance(h, Form)]


def open_forms(update: Update, context: BotContext) -> list[FormName]:
    """The forms the update's user has open."""
    return [form.form for form in _forms(context) if form.is_open_for(update)]


def close_form(update: Update, context: BotContext, name: FormName) -> None:
    """Close the form `name` if the update's user has it open (another form's button
    opened a form that takes typed answers after it)."""
    for form in _forms(context):
        if form.form is name and form.is_open_for(update):
            form.close_for(update)


async def ask_open_forms_again(update: Update, context: BotContext) -> None:
    """After /help, /language or /timezone: each open form asks its current question again,
    so that the user sees where they are (their next answer goes on from there)."""
    for form in _forms(context):
        step = form.step_of(update)
        if step is not None:
            await form.ask_again(update, context, step)


async def command_wins(update: object, context: BotContext) -> None:
    """Before any command is handled: close the forms it does not belong to, and say so.
    /cancel is left to the open form itself; /help, /language and /timezone keep every form
    open (they change the words or the times, not the answers)."""
    if not isinstance(update, Update) or update.effective_user is None:
        return
    command = command_of(update)
    if command is None or command in KEEPS_FORMS_OPEN:
        return
    closed = []
    for handler in _forms(context):
        if command not in handler.commands and handler.is_open_for(update):
            handler.close_for(update)
            closed.append(handler.form)
    if not closed:
        return
    if FormName.BRIEF in closed and context.state.has_form(StateKey.BRIEF):
        context.state.form(StateKey.BRIEF)["set_aside"] = True
    draft = context.state.get(StateKey.CAMPAIGN_DRAFT)
    waiting = (
        FormName.CAMPAIGN in closed and isinstance(draft, dict) and "length" in draft
    )  # its schedule was shown: /campaigns offers it for review
    if FormName.CAMPAIGN in closed and not waiting:
        context.state.close(StateKey.CAMPAIGN_DRAFT)
    context.state.close(StateKey.CAMPAIGN_CHANGE, StateKey.SHOP_NAME)
    await reply(update, Template.FORM_LEFT, forms=closed, campaign_waiting=waiting)

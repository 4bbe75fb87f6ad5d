"""What every handler gets: a typed context with the running bot's services, and the state
the bot keeps for a user between updates (python-telegram-bot's user_data, stored as JSON by
bot.persistence)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from handlers.services import DELIVERY_KEY, SERVICES_KEY, ReminderDelivery, Services


class StateKey(StrEnum):
    """The keys of a user's state: one per open form, the check-in hand-off, and the language
    the user chose."""

    BRIEF = "brief"  # the brief being answered (handlers.advise)
    CAMPAIGN_DRAFT = "campaign_draft"  # Save as campaign (handlers.campaign_form)
    CAMPAIGN_CHANGE = "campaign_change"  # renaming or moving a campaign (handlers.campaign_edit)
    RESULTS_DRAFT = "results_draft"  # results typed step by step (handlers.checkin_results)
    CHECKIN = "checkin"  # the check-in whose results a typed line answers (see below)
    ROSTER_QUERY = "roster_query"  # the /roster search being paged (handlers.roster_browse)
    ADD_DRAFT = "add_draft"  # /add (handlers.roster_edit)
    PENDING_EDIT = "pending_edit"  # /edit waiting for Confirm (handlers.roster_edit)
    PENDING_SAMPLE = "pending_sample"  # /sample remove waiting for Yes (handlers.roster_sample)
    FORGET = "forget"  # /forget_me waiting for its confirmation (handlers.privacy)
    LANGUAGE = "language"  # the language chosen with /language (handlers.language)
    WRITTEN = "written_language"  # the language of their latest clear message (the same)
    ZONE = "zone"  # the time zone question: what waits for its answer (handlers.reminders)
    SHOP_NAME = "shop_name"  # the shop's name, asked before the first messages (handlers.outreach)


class UserState(dict[str, Any]):
    """A user's state between updates. Forms keep their answers under their `StateKey`.

    The check-in hand-off is the one contract between the reminder delivery (bot.delivery)
    and the handlers: when a check-in reaches a user, delivery calls `await_checkin_results`;
    a line of results typed next answers that check-in (`awaited_checkin`), and saving the
    results ends the wait (`checkin_answered`).
    """

    def form(self, key: StateKey) -> dict[str, Any]:
        """The answers of the form kept under `key` (created empty if none is open)."""
        value = self.get(key)
        if not isinstance(value, dict):
            value = self[key] = {}
        return value

    def open_form(self, key: StateKey, values: dict[str, Any] | None = None) -> dict[str, Any]:
        """Start the form kept under `key` afresh."""
        form = dict(values or {})
        self[key] = form
        return form

    def has_form(self, key: StateKey) -> bool:
        return isinstance(self.get(key), dict)

    def close(self, *keys: StateKey) -> None:
        for key in keys:
            self.pop(key, None)

    def await_checkin_results(self, reminder_id: int) -> None:
        self[StateKey.CHECKIN] = reminder_id

    @property
    def awaited_checkin(self) -> int | None:
        value = self.get(StateKey.CHECKIN)
        return value if isinstance(value, int) else None

    def checkin_answered(self) -> None:
        self.close(StateKey.CHECKIN, StateKey.RESULTS_DRAFT)

    @property
    def chosen_language(self) -> str | None:
        """The language chosen with /language, else the one their latest clear message was
        written in (None: the user's Telegram language)."""
        written = self.get(StateKey.WRITTEN)
        value = self.get(StateKey.LANGUAGE) or (written or {}).get("language")
        return value if isinstance(value, str) else None

    def choose_language(self, language: str) -> None:
        self[StateKey.LANGUAGE] = language

    def wrote_in(self, language: str, telegram: str | None) -> None:
        """A message clearly written in `language`: spoken from now on, unless /language
        chose one (a French owner on an English Telegram gets French replies), or until
        their Telegram's language (`telegram`, now) changes: the newer sign wins."""
        value = {"language": language, "telegram": telegram or ""}
        if self.get(StateKey.WRITTEN) != value:
            self[StateKey.WRITTEN] = value

    def telegram_language_is(self, telegram: str | None) -> None:
        """Their Telegram's language on this update: a change forgets the written one."""
        written = self.get(StateKey.WRITTEN)
        if isinstance(written, dict) and written.get("telegram") != (telegram or ""):
            del self[StateKey.WRITTEN]

    def ask_zone(self, then: dict[str, Any]) -> None:
        """The time zone question was asked; `then` waits for its answer."""
        self[StateKey.ZONE] = {"waiting": True, **then}

    @property
    def zone_answered(self) -> bool:
        value = self.get(StateKey.ZONE)
        return isinstance(value, dict) and not value.get("waiting")

    def answer_zone(self) -> dict[str, Any]:
        """A zone was chosen: the question is never asked again; what waited for it."""
        value = self.get(StateKey.ZONE)
        self[StateKey.ZONE] = {}
        return value if isinstance(value, dict) else {}


class BotContext(CallbackContext[ExtBot[Any], UserState, dict[Any, Any], dict[str, Any]]):
    """python-telegram-bot's context with typed shortcuts."""

    @property
    def services(self) -> Services:
        services: Services = self.bot_data[SERVICES_KEY]
        return services

    @property
    def delivery(self) -> ReminderDelivery:
        delivery: ReminderDelivery = self.bot_data[DELIVERY_KEY]
        return delivery

    @property
    def state(self) -> UserState:
        """The user's state (every update the bot handles comes from a user)."""
        if self.user_data is None:
            raise RuntimeError("an update without a user has no user state")
        return self.user_data


CONTEXT_TYPES = ContextTypes(context=BotContext, user_data=UserState)

# The bot's Application, as built by bot.app.build_application.
Bot = Application[
    ExtBot[Any],
    BotContext,
    UserState,
    dict[Any, Any],
    dict[str, Any],
    JobQueue[BotContext],
]

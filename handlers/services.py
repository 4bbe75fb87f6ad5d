"""What the handlers need from the running bot, handed over through `bot_data`, and the one
way they reply."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from telegram import InlineKeyboardMarkup, Update

from handlers.held import hold_reply
from knowledge.advice.brief import ALL_NICHES, ANY_NICHE, Brief, Candidate, PriceGuide, PriceRange
from knowledge.advice.scope import niches_to_fetch
from knowledge.base import KnowledgeBase
from knowledge.pictures.charts import Chart
from knowledge.reading.when import Clock
from knowledge.writing import i18n
from knowledge.writing.render import Labels, render, split_message
from knowledge.writing.replies import Template
from storage.admin import last_change_id
from storage.campaigns import timezone_of
from storage.roster import asks_everywhere, niches_in_roster, platforms_in_roster, price_guide
from storage.roster_table import filter_values
from storage.users import ensure_user, set_telegram_language, telegram_language_of

SERVICES_KEY = "services"
DELIVERY_KEY = "delivery"
ROSTER_CACHE_SECONDS = 30.0
ROSTER_CHECK_SECONDS = 1.0

log = logging.getLogger(__name__)


class ReminderDelivery(Protocol):
    """The background service that sends reminders and check-ins (bot.delivery). Each call
    that stores reminders also arms their delivery."""

    def add_reminder(self, *, user_id: int, due_at: datetime, text: str) -> None: ...

    def add_campaign(
        self,
        *,
        user_id: int,
        brief_id: int,
        name: str,
        start_day: date,
        length_days: int,
        checkins: Sequence[tuple[str, datetime]],
    ) -> None: ...

    async def resume(self, user_id: int) -> None: ...

    def add_late_replies(self, *, user_id: int, replies: list[str], due_at: datetime) -> None:
        """Store replies flood control kept from the user and arm their delivery."""

    def arm(self) -> None:
        """Reconsider the next reminder due (after reminders were moved or deleted)."""


class ChartDrawer(Protocol):
    """Draws charts away from the event loop (bot.charts)."""

    async def draw(self, chart: Chart) -> bytes: ...


class RosterCache:
    """The roster's niches and platforms, so a brief does not scan the roster each time.

    Reread when the roster changed (the latest audit entry, one primary-key read, looked at
    most once a second, differs from the one seen: a change made on this instance, another
    instance or the command line), and at least every 30 seconds (for a change written by
    other means)."""

    def __init__(self) -> None:
        self._loaded_at = -ROSTER_CACHE_SECONDS
        self._checked_at = -ROSTER_CHECK_SECONDS
        self._change_id = -1
        self._niches: list[str] = []
        self._by_label: dict[str, list[str]] = {}  # the niches by label, per language
        self._platforms: list[str] = []
        self._places: tuple[list[str], list[str]] | None = None  # countries, languages
        # per set of niches looked at, for the roster as of _change_id
        self._prices: dict[tuple[str, ...], PriceGuide] = {}
        self._everywhere: dict[tuple[str, str], PriceRange | None] = {}  # (platform, tier)
        self._prices_of = -1

    def invalidate(self) -> None:
        self._loaded_at = -ROSTER_CACHE_SECONDS

    def _refresh(self, s: Services) -> None:
        now = time.monotonic()
        fresh = now - self._loaded_at < ROSTER_CACHE_SECONDS
        if fresh and now - self._checked_at < ROSTER_CHECK_SECONDS:
            return
        self._checked_at = now
        with s.session() as session:
            change_id = last_change_id(session=session)
            if fresh and change_id == self._change_id:
                return
            niches = niches_in_roster(session=session)
            self._platforms = platforms_in_roster(session=session)
        self._niches = niches
        self._by_label = {}
        self._places = None
        self._loaded_at = time.monotonic()
        self._change_id = change_id

    def niches(self, s: Services) -> list[str]:
        """Niche ids present in the active roster, by their label in the current language."""
        self._refresh(s)
        language = i18n.current_language()
        if language not in self._by_label:
            by_label = sorted(self._niches, key=lambda slug: s.labels.niche(slug).lower())
            self._by_label[language] = by_label
        return self._by_label[language]

    def platforms(self, s: Services) -> list[str]:
        self._refresh(s)
        return self._platforms

    def countries_and_languages(self, s: Services) -> tuple[list[str], list[str]]:
        """The countries and languages of the active roster, as stored (the roster page's
        filters): a loose index scan, read once until the roster changes."""
        self._refresh(s)
        if self._places is None:
            with s.session() as session:
                self._places = filter_values(session=session)
        return self._places

    def price_guide(self, s: Services, niches: Sequence[str]) -> PriceGuide:
        """The roster's asks per (niche, platform, tier) in `niches`, and per (platform, tier)
        across them, read once per set of niches until the roster changes."""
        self._prices_fresh(s)
        key = tuple(sorted(set(niches)))
        if key not in self._prices:
            with s.session() as session:
                self._prices[key] = price_guide(session=session, niches=key, kb=s.kb)
        return self._prices[key]

    def with_peers_everywhere(
        self, s: Services, guide: PriceGuide, candidates: Iterable[Candidate]
    ) -> PriceGuide:
        """`guide`, and the whole roster's asks per (platform, tier) of `candidates` where the
        niches looked at hold too few peers to judge an ask by (big accounts, mostly)."""
        a = s.kb.assumptions
        wanted = set()
        for c in candidates:
            key = (c.platform, a.tier_for(c.followers).name)
            group = guide.get((ANY_NICHE, *key))
            if c.price_cents > 0 and (group is None or group.count < a.vetting.min_peers):
                wanted.add(key)
        if not wanted:
            return guide
        self._prices_fresh(s)
        added = dict(guide)
        for platform, tier in sorted(wanted):
            group = self.asks_everywhere(s, platform, tier)
            if group is not None:
                added[(ALL_NICHES, platform, tier)] = group
        return added

    def _prices_fresh(self, s: Services) -> None:
        """Forget the asks read before the roster last changed."""
        self._refresh(s)
        if self._prices_of != self._change_id:
            self._prices, self._everywhere, self._prices_of = {}, {}, self._change_id

    def asks_everywhere(self, s: Services, platform: str, tier_name: str) -> PriceRange | None:
        """The whole roster's asks on `platform` in a tier, read once until it changes."""
        if (platform, tier_name) not in self._everywhere:
            a = s.kb.assumptions
            tier = next(t for t in a.tiers if t.name == tier_name)
            low, high = a.tier_bounds(tier)
            with s.session() as session:
                self._everywhere[(platform, tier_name)] = asks_everywhere(
                    session=session, platform=platform, followers_from=low, followers_to=high
                )
        return self._everywhere[(platform, tier_name)]


@dataclass(frozen=True)
class Services:
    engine: Engine
    kb: KnowledgeBase
    currency: str
    admin_ids: frozenset[int] = frozenset()
    timezone: str = "UTC"
    clock: Clock = field(default_factory=Clock)
    roster: RosterCache = field(default_factory=RosterCache)
    known_users: set[int] = field(default_factory=set)
    # Each user's Telegram language as this process last stored it (note_telegram_language).
    telegram_languages: dict[int, str | None] = field(default_factory=dict)
    charts: ChartDrawer | None = None  # None: charts are off
    sandbox_user: int | None = None  # in the local sandbox: its one user
    webapp_url: str | None = None  # where Telegram opens the Mini App's pages (WEBAPP_URL)

    def session(self) -> Session:
        return Session(self.engine)

    @property
    def labels(self) -> Labels:
        return Labels(self.kb)

    def roster_niches(self) -> list[str]:
        return self.roster.niches(self)

    def price_guide(self, brief: Brief) -> PriceGuide:
        """What the roster asks per group where `brief` looks (cached until it changes)."""
        return self.roster.price_guide(self, niches_to_fetch(brief, self.kb))

    def remember_user(self, user_id: int, language: str | None) -> None:
        """Make sure the user has a row (looked up once per process per user)."""
        if user_id in self.known_users:
            return
        with self.session() as session:
            ensure_user(session=session, telegram_id=user_id, language=language)
        self.known_users.add(user_id)

    def note_telegram_language(self, user_id: int, language: str | None) -> None:
        """Keep the Telegram language of the user's latest update, for what is sent to them
        outside their updates (reminders, check-ins): stored when it differs from the one this
        process last noted for them (so once per user and process, then on each change)."""
        if self.telegram_languages.get(user_id, "") == language:
            return
        try:
            with self.session() as session:
                set_telegram_language(session=session, user_id=user_id, language=language)
        except SQLAlchemyError as exc:  # e.g. locked for too long: tried again next update
            log.info("Could not keep the Telegram language of %s: %s", user_id, exc)
            return
        self.telegram_languages[user_id] = language

    def forget(self, user_id: int) -> None:
        """The user was erased (/forget_me): their row is made again when next needed."""
        self.known_users.discard(user_id)
        self.telegram_languages.pop(user_id, None)

    def zone_of(self, user_id: int) -> ZoneInfo:
        """The user's time zone, or the deployment's default."""
        return ZoneInfo(self.chosen_zone(user_id) or self.timezone)

    def chosen_zone(self, user_id: int) -> str | None:
        """The time zone the user set with /timezone (None: not set)."""
        with self.session() as session:
            return timezone_of(session=session, user_id=user_id)

    def language_of(self, user_id: int, chosen: str | None) -> str:
        """The language to speak to a user outside their updates (a reminder): the one they
        chose, else their Telegram's on their latest update."""
        if chosen is not None:
            return i18n.language_for(chosen, None)
        with self.session() as session:
            return i18n.language_for(None, telegram_language_of(session=session, user_id=user_id))

    def today_for(self, user_id: int) -> date:
        return self.clock.now().astimezone(self.zone_of(user_id)).date()


def command_args(update: Update) -> str:
    """What follows the command in the message (`/remind in 2 hours x` → `in 2 hours x`);
    '' for a button."""
    text = update.message.text if update.message else None
    parts = (text or "").split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def user_id_of(update: Update) -> int:
    """The id of the user an update comes from (every handler here serves a user)."""
    assert update.effective_user is not None
    return update.effective_user.id


def typed_text(update: Update) -> str:
    """The text of the update's message ('' for a button, a sticker or a file)."""
    return update.message.text or "" if update.message is not None else ""


async def reply(
    update: Update,
    template: Template,
    keyboard: InlineKeyboardMarkup | None = None,
    **values: Any,
) -> None:
    """Render `template` and send it to the update's chat (`send_text`)."""
    await send_text(update, render(template, **values), keyboard)


async def send_text(
    update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Send a reply, split if over Telegram's limit, the keyboard under the last part (held
    until the user's state is saved, while an update is being handled)."""
    chat = update.effective_chat
    if chat is None:
        return
    parts = split_message(text)
    for index, part in enumerate(parts):
        keys = keyboard if index == len(parts) - 1 else None
        if not hold_reply(chat, part, keys):
            await chat.send_message(part, reply_markup=keys)

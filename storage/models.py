"""SQLModel tables. `XBase` holds the shared fields, `XCreate` what callers provide."""

import re
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    text,
)
from sqlmodel import Field, Relationship, SQLModel

UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters (NUL and the like, not line breaks or tabs) a text column must not keep:
PostgreSQL refuses NUL, and none of them is anything a person meant to type."""


def max_length(model: type[SQLModel], field: str) -> int:
    """The `max_length` a model sets on a text field, so that checks elsewhere follow it."""
    for rule in model.model_fields[field].metadata:
        limit = getattr(rule, "max_length", None)
        if isinstance(limit, int):
            return limit
    raise LookupError(f"{model.__name__}.{field} has no max_length")


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model, for bulk statements (SQLModel sets `__table__` on the
    class without declaring it to type checkers)."""
    table = inspect(model).local_table
    assert isinstance(table, Table)
    return table


# The notes of every person of the fictional sample roster (storage.sample), by which they
# are told apart from real ones.
SAMPLE_NOTE = "SAMPLE DATA: fictional person, not a real influencer."


def utcnow() -> datetime:
    return datetime.now(UTC)


def handle_key(handle: str) -> str:
    """The form a handle is compared in: `@LeaCuisine` and `leacuisine` are the same."""
    return handle.strip().lstrip("@").lower()


class InfluencerBase(SQLModel):
    name: str = Field(max_length=200)
    handle: str = Field(max_length=200)
    platform: str = Field(max_length=40)
    followers: int
    engagement_rate: float
    price_cents: int
    currency: str = Field(max_length=3)
    country: str | None = Field(default=None, max_length=60)
    language: str | None = Field(default=None, max_length=40)
    posts_per_week: float | None = None
    audience_quality: int | None = None
    open_to_exclusivity: bool = False
    contact: str | None = Field(default=None, max_length=300)
    notes: str | None = Field(default=None, max_length=2000)
    active: bool = True


class InfluencerCreate(InfluencerBase):
    niches: list[str]


# The roster page's orders (storage.roster_table): an index per column it sorts on, active
# first, the id last, so a page of a million-influencer roster is read in order, not sorted.
# The optional columns sort their empty values last either way: ascending through
# `(c IS NULL), c, id`, descending through `(c IS NOT NULL), c, id` read backwards.
ROSTER_ORDERS = {
    "name": ("lower(name)",),
    "handle": ("handle_key",),
    "platform": ("platform",),
    "followers": ("followers",),
    "engagement_rate": ("engagement_rate",),
    "price": ("price_cents",),
    "country": ("(country IS NULL)", "country"),
    "country_desc": ("(country IS NOT NULL)", "country"),
    "language": ("(language IS NULL)", "language"),
    "language_desc": ("(language IS NOT NULL)", "language"),
}


def _order_index(name: str, columns: tuple[str, ...]) -> Index:
    parts = [text(c) if "(" in c else c for c in columns]
    return Index(f"ix_roster_{name}", "active", *parts, "id")


class Influencer(InfluencerBase, table=True):
    __table_args__ = (
        UniqueConstraint("platform", "handle_key", name="uq_influencer_platform_handle"),
        Index("ix_influencer_active_platform_price", "active", "platform", "price_cents"),
        Index("ix_influencer_handle_key", "handle_key"),
        *(_order_index(name, columns) for name, columns in ROSTER_ORDERS.items()),
    )

    id: int | None = Field(default=None, primary_key=True)
    handle_key: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    niches: list["InfluencerNiche"] = Relationship(
        back_populates="influencer",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"},
    )


SEARCH_COVER = ("price_cents", "platform", "active", "influencer_id")


class InfluencerNiche(SQLModel, table=True):
    """One niche of an influencer (an influencer may have several), with what the engine
    searches on copied beside it, so a brief's best candidates come straight from an index.

    The scores are goal value per currency unit (knowledge.advice.forecast.value_per_cost)
    under the assumptions recorded in the `setting` table; storage.search keeps them current.
    """

    __tablename__ = "influencer_niche"
    __table_args__ = (
        Index("ix_influencer_niche_niche", "niche", "influencer_id"),
        # Covering indexes: a brief's search reads them alone, never the table.
        Index("ix_search_reach", "niche", "side", "score_reach", *SEARCH_COVER),
        Index("ix_search_engagements", "niche", "side", "score_engagements", *SEARCH_COVER),
        Index("ix_search_conversions", "niche", "side", "score_conversions", *SEARCH_COVER),
        Index(
            "ix_search_price", "niche", "side", "price_cents", "platform", "active", "influencer_id"
        ),
    )

    influencer_id: int = Field(foreign_key="influencer.id", primary_key=True, ondelete="CASCADE")
    niche: str = Field(primary_key=True, max_length=60)
    side: str = Field(default="", max_length=10)
    platform: str = Field(default="", max_length=40)
    active: bool = True
    price_cents: int = 0
    score_reach: float = 0.0
    score_engagements: float = 0.0
    score_conversions: float = 0.0
    influencer: Influencer | None = Relationship(back_populates="niches")


class User(SQLModel, table=True):
    telegram_id: int = Field(primary_key=True, sa_type=BigInteger)
    language: str | None = Field(default=None, max_length=20)
    timezone: str | None = Field(default=None, max_length=60)
    first_seen: datetime = Field(default_factory=utcnow)


class SavedBriefBase(SQLModel):
    goal: str = Field(max_length=20)
    budget_cents: int
    currency: str = Field(max_length=3)
    niche: str = Field(max_length=60)
    platform: str | None = Field(default=None, max_length=40)
    verdict: str = Field(max_length=60)


class SavedBrief(SavedBriefBase, table=True):
    __tablename__ = "saved_brief"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        foreign_key="user.telegram_id", index=True, ondelete="CASCADE", sa_type=BigInteger
    )
    recommendation: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)


class ConversationState(SQLModel, table=True):
    """Where a user is in a multi-step conversation, so a restart resumes it."""

    __tablename__ = "conversation_state"

    name: str = Field(primary_key=True, max_length=60)
    key: str = Field(primary_key=True, max_length=100)
    state: str = Field(max_length=60)


class UserData(SQLModel, table=True):
    """What a user has answered so far (python-telegram-bot's user_data), as JSON. `version`
    goes up with each write, so a write can tell another one came first (storage.state)."""

    __tablename__ = "user_data"

    user_id: int = Field(primary_key=True, sa_type=BigInteger)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    version: int = 0


class ErasedUser(SQLModel, table=True):
    """A user erased by /forget_me, remembered for a while so that no write begun before the
    erasure (an update handled elsewhere, a check-in being sent) brings their state back:
    `version` is above any version of their state read before it (storage.state)."""

    __tablename__ = "erased_user"

    user_id: int = Field(primary_key=True, sa_type=BigInteger)
    version: int
    erased_at: datetime = Field(default_factory=utcnow, index=True)


class Admin(SQLModel, table=True):
    """An admin added by chat command (those in ADMIN_IDS are admins by configuration)."""

    telegram_id: int = Field(primary_key=True, sa_type=BigInteger)
    added_by: int = Field(sa_type=BigInteger)
    added_at: datetime = Field(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    """Who changed the roster, when, and the record before and after."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_handle_key", "handle_key", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    actor_id: int = Field(sa_type=BigInteger)
    action: str = Field(max_length=20)
    influencer_id: int | None = None
    platform: str | None = Field(default=None, max_length=40)
    handle_key: str | None = Field(default=None, max_length=200)
    summary: str = Field(default="", max_length=500)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class PendingImport(SQLModel, table=True):
    """A checked CSV waiting for the admin's Confirm."""

    __tablename__ = "pending_import"

    id: int | None = Field(default=None, primary_key=True)
    admin_id: int = Field(sa_type=BigInteger)
    file_name: str = Field(max_length=200)
    content: str
    created_at: datetime = Field(default_factory=utcnow)


class Campaign(SQLModel, table=True):
    """A recommendation turned into a campaign, followed by check-ins."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.telegram_id", index=True, sa_type=BigInteger)
    brief_id: int = Field(foreign_key="saved_brief.id")
    name: str = Field(max_length=120)
    start_day: date
    length_days: int
    created_at: datetime = Field(default_factory=utcnow)


class Reminder(SQLModel, table=True):
    """A message due at a time: a campaign check-in, a free reminder, or a reply that flood
    control kept from its user (its text in `reply`; stage storage.campaigns.LATE_REPLY).

    status: pending → claimed → sent (at most once), or cancelled, or paused (user blocked
    the bot). A claimed reminder whose send surely never left goes back to pending, due again
    later (`due_at` moves; `first_due_at` keeps the time asked for; `attempts` counts them).
    """

    __table_args__ = (Index("ix_reminder_status_due", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(index=True, sa_type=BigInteger)
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id", index=True)
    stage: str | None = Field(default=None, max_length=20)
    text: str = Field(default="", max_length=1000)
    due_at: datetime
    status: str = Field(default="pending", max_length=12)
    late: bool = False
    claimed_at: datetime | None = None
    sent_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    first_due_at: datetime | None = None
    attempts: int = 0
    # A reply flood control kept from its user (stage "reply"), as rendered, sent later.
    reply: str | None = Field(default=None, sa_type=Text)

    @property
    def asked_for(self) -> datetime:
        """When the user (or the campaign's schedule) wanted it, whatever the retries."""
        return self.first_due_at or self.due_at


CHECKIN_RESULT_ONCE = "uq_checkin_result_reminder_id"
CREATOR_RESULT_ONCE = "uq_creator_result_reminder_id_creator_id"


class CheckinResult(SQLModel, table=True):
    """What the owner reported at a check-in; every figure is optional."""

    __tablename__ = "checkin_result"
    # One row per check-in (storage.campaigns.record_results); results for no check-in (a
    # NULL reminder_id) are a row each.
    __table_args__ = (Index(CHECKIN_RESULT_ONCE, "reminder_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    reminder_id: int | None = Field(default=None, foreign_key="reminder.id")
    stage: str = Field(max_length=20)
    reach: int | None = None
    engagements: int | None = None
    clicks: int | None = None
    conversions: int | None = None
    revenue_cents: int | None = None
    spent_cents: int | None = None
    recorded_at: datetime = Field(default_factory=utcnow)


class CampaignCreator(SQLModel, table=True):
    """A creator a campaign follows (knowledge.campaigns.pipeline): one of its plan's lines,
    or one who replaced a creator who declined (`replaces`), with what the campaign pays
    and expects of them. `influencer_id` is the roster's id (the roster may lose them: no
    foreign key); `forecast` holds the line's low–mid–high per measure."""

    __tablename__ = "campaign_creator"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    influencer_id: int
    name: str = Field(max_length=200)
    handle: str = Field(max_length=200)
    platform: str = Field(max_length=40)
    niche: str = Field(max_length=60)
    side: str = Field(max_length=10)
    wave: int = 1
    posts: int
    price_cents: int
    cost_cents: int
    promo_code: str | None = Field(default=None, max_length=60)
    link: str | None = Field(default=None, sa_type=Text)
    contact: str | None = Field(default=None, max_length=300)
    forecast: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    status: str = Field(default="to_contact", max_length=20)
    replaces: int | None = None  # the campaign_creator who declined, this one's place
    replaced_by: int | None = None
    changed_at: datetime = Field(default_factory=utcnow)


class CreatorResult(SQLModel, table=True):
    """What the owner reported for one creator of a campaign at a check-in (their totals so
    far, typed or from a shop's discount codes file); every figure is optional."""

    __tablename__ = "creator_result"
    # One row per creator and check-in (storage.pipeline.record_creator_results).
    __table_args__ = (Index(CREATOR_RESULT_ONCE, "reminder_id", "creator_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    creator_id: int = Field(foreign_key="campaign_creator.id")
    reminder_id: int | None = Field(default=None, foreign_key="reminder.id")
    stage: str = Field(max_length=20)
    reach: int | None = None
    engagements: int | None = None
    clicks: int | None = None
    conversions: int | None = None
    revenue_cents: int | None = None
    spent_cents: int | None = None
    recorded_at: datetime = Field(default_factory=utcnow)


class Setting(SQLModel, table=True):
    """Small key/value facts about the database itself (e.g. which assumptions scored it)."""

    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(max_length=200)


class HandledUpdate(SQLModel, table=True):
    """A Telegram update claimed by one instance of this bot (kept for as long as Telegram
    may deliver it again), so that each update is handled once by all of them (see
    storage.updates). `claimed_by` names the instance; `done`: it was handled; `unsent`: the
    replies it made, while they are being sent (JSON), so that another instance sends them
    if this one dies first."""

    __tablename__ = "handled_update"
    __table_args__ = (Index("ix_handled_update_bot_at", "bot_id", "handled_at"),)

    bot_id: int = Field(primary_key=True, sa_type=BigInteger)
    update_id: int = Field(primary_key=True, sa_type=BigInteger)
    handled_at: datetime = Field(default_factory=utcnow)
    claimed_by: str | None = Field(default=None, max_length=32)
    done: bool = True
    unsent: str | None = Field(default=None, sa_type=Text)

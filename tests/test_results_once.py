"""Issue 24, left open by the chaos test: the database itself holds one results row per
check-in, and one per creator and check-in. An update whose results were saved, and whose
user's state the database then went away from, is answered 503 and handled again in full
when Telegram sends it again (bot.processing): its results are given a second time. They,
and a correction, update the check-in's row (INSERT … ON CONFLICT … DO UPDATE, the same on
SQLite and PostgreSQL); a second row is refused by a unique index; a database holding rows
twice from before is made one row each by migration 0013. Each test runs on SQLite and on
PostgreSQL (skipped without TEST_DATABASE_URL).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.campaigns import record_results, results_of
from storage.db import MIGRATIONS, make_engine, migrate
from storage.models import (
    Campaign,
    CampaignCreator,
    CheckinResult,
    CreatorResult,
    Reminder,
    SavedBrief,
    User,
)
from storage.pipeline import creator_results_of, record_creator_results

OWNER = 4242


@dataclass
class Checkin:
    campaign_id: int
    reminder_id: int
    creators: list[int]


def at_revision(engine: Engine, revision: str) -> None:
    """The schema brought to `revision` (storage.db.migrate brings it to the newest)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def a_checkin(engine: Engine, creators: int = 2) -> Checkin:
    """A campaign with `creators` creators and one check-in due."""
    with Session(engine) as session:
        session.add(User(telegram_id=OWNER))
        session.flush()
        brief = SavedBrief(
            user_id=OWNER,
            goal="sales",
            budget_cents=100_000,
            currency="EUR",
            niche="cooking",
            verdict="micro",
        )
        session.add(brief)
        session.flush()
        assert brief.id is not None
        campaign = Campaign(
            user_id=OWNER,
            brief_id=brief.id,
            name="Spring",
            start_day=date(2027, 3, 1),
            length_days=14,
        )
        session.add(campaign)
        session.flush()
        assert campaign.id is not None
        reminder = Reminder(
            user_id=OWNER, campaign_id=campaign.id, stage="launch", due_at=datetime.now(UTC)
        )
        people = [
            CampaignCreator(
                campaign_id=campaign.id,
                influencer_id=n,
                name=f"P{n}",
                handle=f"p{n}",
                platform="instagram",
                niche="cooking",
                side="micro",
                posts=1,
                price_cents=10_000,
                cost_cents=10_000,
            )
            for n in range(creators)
        ]
        session.add_all([reminder, *people])
        session.commit()
        assert reminder.id is not None
        return Checkin(campaign.id, reminder.id, [p.id for p in people if p.id is not None])


@pytest.fixture
def fresh(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


def count(engine: Engine, model: type[CheckinResult] | type[CreatorResult]) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_results_given_again_at_a_checkin_update_its_one_row(fresh: Engine) -> None:
    """The same results handled a second time (the outage's retry) and then a correction:
    one row, the figures given last replace theirs, the others stay."""
    c = a_checkin(fresh)
    with Session(fresh) as session:
        for values in ({"reach": 900, "conversions": 4}, {"reach": 900, "conversions": 4}):
            record_results(
                session=session,
                campaign_id=c.campaign_id,
                stage="launch",
                reminder_id=c.reminder_id,
                values=values,
            )
        corrected = record_results(
            session=session,
            campaign_id=c.campaign_id,
            stage="launch",
            reminder_id=c.reminder_id,
            values={"conversions": 6, "clicks": 30},
        )
        [row] = results_of(session=session, campaign_id=c.campaign_id)
    assert (row.reach, row.conversions, row.clicks) == (900, 6, 30)
    assert corrected.id == row.id
    with Session(fresh) as session:  # results for no check-in: a row each, as before
        for _ in range(2):
            record_results(
                session=session,
                campaign_id=c.campaign_id,
                stage="launch",
                reminder_id=None,
                values={"reach": 1},
            )
    assert count(fresh, CheckinResult) == 3


def test_creator_results_given_again_at_a_checkin_update_one_row_per_creator(
    fresh: Engine,
) -> None:
    """Per-creator lines saved, then handled a second time (the database gone before the
    user's state was saved, the update sent again), then one corrected: one row per creator
    and check-in, each with its figures as given last."""
    c = a_checkin(fresh, creators=2)
    first, second = c.creators
    lines = {first: {"conversions": 3, "revenue_cents": 9_000}, second: {"conversions": 1}}
    with Session(fresh) as session:
        for _ in range(2):
            saved = record_creator_results(
                session=session,
                campaign_id=c.campaign_id,
                stage="launch",
                reminder_id=c.reminder_id,
                values=lines,
            )
            assert saved == 2
        record_creator_results(
            session=session,
            campaign_id=c.campaign_id,
            stage="launch",
            reminder_id=c.reminder_id,
            values={second: {"conversions": 2, "clicks": 40}},
        )
        rows = creator_results_of(session=session, campaign_id=c.campaign_id)
    figures = {r.creator_id: (r.conversions, r.revenue_cents, r.clicks) for r in rows}
    assert len(rows) == 2
    assert figures == {first: (3, 9_000, None), second: (2, None, 40)}


def test_the_database_refuses_a_second_row_for_a_checkin(fresh: Engine) -> None:
    """The rule is the database's own: a plain INSERT of a second row fails, for the check-in
    and for a creator at it."""
    c = a_checkin(fresh, creators=1)
    [creator] = c.creators
    row = {"campaign_id": c.campaign_id, "reminder_id": c.reminder_id, "stage": "launch"}
    with Session(fresh) as session:
        session.add(CheckinResult(**row, reach=1))
        session.add(CreatorResult(**row, creator_id=creator, reach=1))
        session.commit()
        session.add(CheckinResult(**row, reach=2))
        with pytest.raises(IntegrityError):
            session.commit()
        session.rollback()
        session.add(CreatorResult(**row, creator_id=creator, reach=2))
        with pytest.raises(IntegrityError):
            session.commit()


def test_results_given_at_the_same_moment_make_one_row(fresh: Engine) -> None:
    """Two instances saving the same check-in's results at once (threads here, each its
    own connection): one row each, no error."""
    c = a_checkin(fresh, creators=1)
    [creator] = c.creators
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def save(per_creator: bool) -> None:
        try:
            start.wait(timeout=10)
            with Session(fresh) as session:
                if per_creator:
                    record_creator_results(
                        session=session,
                        campaign_id=c.campaign_id,
                        stage="launch",
                        reminder_id=c.reminder_id,
                        values={creator: {"reach": 5}},
                    )
                else:
                    record_results(
                        session=session,
                        campaign_id=c.campaign_id,
                        stage="launch",
                        reminder_id=c.reminder_id,
                        values={"reach": 5},
                    )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(n % 2 == 0,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert count(fresh, CheckinResult) == 1 and count(fresh, CreatorResult) == 1


def test_rows_held_twice_before_the_rule_are_made_one(database_url: str) -> None:
    """A database at revision 0012 holding a check-in's results twice, and a creator's: after
    migration 0013, one row each, with each figure as last given (as the readers took them
    across rows); results for no check-in stay as they were."""
    engine = make_engine(database_url)
    try:
        at_revision(engine, "0012")
        c = a_checkin(engine, creators=1)
        [creator] = c.creators
        early = datetime(2027, 3, 2, tzinfo=UTC)
        row = {"campaign_id": c.campaign_id, "reminder_id": c.reminder_id, "stage": "launch"}
        loose = {**row, "reminder_id": None}
        with Session(engine) as session:
            session.add_all(
                [
                    CheckinResult(**row, reach=900, clicks=10, recorded_at=early),
                    CheckinResult(
                        **row, clicks=30, conversions=2, recorded_at=early + timedelta(1)
                    ),
                    CheckinResult(**loose, reach=1),
                    CheckinResult(**loose, reach=2),
                    CreatorResult(**row, creator_id=creator, conversions=1, recorded_at=early),
                    CreatorResult(**row, creator_id=creator, revenue_cents=500, recorded_at=early),
                ]
            )
            session.commit()
        migrate(engine)
        with Session(engine) as session:
            kept = session.exec(  # type: ignore[call-overload]
                select(CheckinResult).where(CheckinResult.reminder_id == c.reminder_id)
            ).all()
            assert [(r.reach, r.clicks, r.conversions) for (r,) in kept] == [(900, 30, 2)]
            assert session.scalar(text("SELECT count(*) FROM checkin_result")) == 3
            [(per_creator,)] = session.exec(select(CreatorResult)).all()  # type: ignore[call-overload]
            assert (per_creator.conversions, per_creator.revenue_cents) == (1, 500)
    finally:
        engine.dispose()

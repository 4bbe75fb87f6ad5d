"""What must hold on SQLite and on PostgreSQL alike, each test run on both (PostgreSQL's
runs are skipped, with the reason, where TEST_DATABASE_URL is not set): the migrations, the
loose index scans behind the brief's buttons, the reminder claims between two instances, the
import's all-or-nothing transaction, and the locks that instances share."""

from __future__ import annotations

import fcntl
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, select, text
from sqlmodel import Session, SQLModel

from bot.settings import Settings
from knowledge.base import KnowledgeBase
from storage import csv_io, search
from storage.campaigns import add_reminder, claim, due_reminders
from storage.csv_io import import_roster
from storage.db import make_engine, migrate
from storage.locks import DatabaseLock, held_elsewhere, lock_key
from storage.models import Influencer, InfluencerNiche, Reminder, table_of
from storage.roster import count_influencers, niches_in_roster, platforms_in_roster
from storage.text_search import include_object
from storage.users import ensure_user, set_telegram_language, telegram_language_of

# The schema is compared with the models, leaving out the text search's own tables and
# indexes (storage.text_search), which no model declares.
MODELS_ONLY = {"include_object": include_object}
HEADER = "name,handle,platform,niche,followers,engagement_rate,price_per_post\n"


@pytest.fixture
def fresh(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


def test_migrations_build_the_models_schema_and_run_twice(fresh: Engine) -> None:
    migrate(fresh)  # a second start changes nothing
    with fresh.connect() as connection:
        context = MigrationContext.configure(connection, opts=MODELS_ONLY)
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_present_niches_and_platforms_come_from_the_loose_index_scan(
    fresh: Engine, kb: KnowledgeBase
) -> None:
    rows = [
        "A,@a1,instagram,cooking,20k,3,100",
        "B,@b1,tiktok,travel;cooking,30k,3,100",
        "C,@cccc1,youtube,diy,40k,3,100",
        "D,@d1,blog,fashion,50k,3,100",
    ]
    with Session(fresh) as session:
        import_roster(
            session=session,
            text=HEADER + "\n".join(rows) + "\n",
            kb=kb,
            currency="EUR",
            actor_id=1,
            source="t.csv",
        )
        session.execute(text("UPDATE influencer SET active = false WHERE handle_key = 'd1'"))
        session.execute(text("UPDATE influencer_niche SET active = false WHERE niche = 'fashion'"))
        session.commit()
        niches = niches_in_roster(session=session)
        platforms = platforms_in_roster(session=session)
        t = table_of(InfluencerNiche).c
        distinct = session.scalars(select(t.niche).where(t.active).distinct().order_by(t.niche))
        assert niches == list(distinct) == ["cooking", "diy", "travel"]
        assert platforms == ["instagram", "tiktok", "youtube"]
        assert session.scalar(select(func.count()).select_from(Influencer)) == 4


def test_two_claimers_take_each_due_reminder_exactly_once(fresh: Engine) -> None:
    now = datetime.now(UTC)
    with Session(fresh) as session:
        for i in range(60):
            add_reminder(session=session, user_id=100 + i % 7, due_at=now, text=f"r{i}")
    claimed: list[int] = []
    guard = threading.Lock()
    start = threading.Barrier(2)

    def claimer() -> None:
        start.wait(timeout=10)
        with Session(fresh) as session:
            due = due_reminders(session=session, now=now + timedelta(seconds=1), limit=500)
        for reminder in due:
            assert reminder.id is not None
            with Session(fresh) as session:
                if claim(session=session, reminder_id=reminder.id, now=now, late=False):
                    with guard:
                        claimed.append(reminder.id)

    threads = [threading.Thread(target=claimer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert len(claimed) == 60 and max(Counter(claimed).values()) == 1
    with Session(fresh) as session:
        statuses = session.scalars(select(Reminder.status)).all()
    assert Counter(statuses) == {"claimed": 60}


@pytest.mark.parametrize("rows", [3, 30], ids=["in-place", "indexes-rebuilt"])
def test_an_import_failing_at_its_last_write_changes_nothing(
    fresh: Engine, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    """The rows, their niches and (past REBUILD_FROM rows) the dropped and rebuilt search
    indexes are one transaction with the audit entry: when that entry fails, all is undone."""
    monkeypatch.setattr(search, "REBUILD_FROM", 10)
    lines = [f"P{i},@p{i},tiktok,diy,{1000 + i},3.5,100" for i in range(rows)]

    def failing_audit(**_kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(csv_io, "_record", failing_audit)
    with Session(fresh) as session, pytest.raises(RuntimeError):
        import_roster(
            session=session,
            text=HEADER + "\n".join(lines) + "\n",
            kb=kb,
            currency="EUR",
            actor_id=1,
            source="t.csv",
        )
    with Session(fresh) as session:
        assert count_influencers(session=session) == 0
        assert session.scalar(select(func.count()).select_from(InfluencerNiche)) == 0
    with fresh.connect() as connection:
        context = MigrationContext.configure(connection, opts=MODELS_ONLY)
        assert compare_metadata(context, SQLModel.metadata) == []  # the indexes are back


def test_a_users_telegram_language_is_the_latest_one_seen(fresh: Engine) -> None:
    with Session(fresh) as session:
        set_telegram_language(session=session, user_id=7, language="fr")  # no row: left out
        assert telegram_language_of(session=session, user_id=7) is None
        ensure_user(session=session, telegram_id=7, language="en")
        for language in ("fr-FR", None, "fr", "fr", "x" * 40):
            set_telegram_language(session=session, user_id=7, language=language)
            expected = language[:20] if language else None
            assert telegram_language_of(session=session, user_id=7) == expected


def test_a_lock_is_held_by_one_holder_at_a_time_and_freed_by_release(fresh: Engine) -> None:
    first, second = DatabaseLock(fresh, "poll"), DatabaseLock(fresh, "poll")
    other = DatabaseLock(fresh, "delivery")
    assert first.try_acquire() and first.try_acquire()  # taking it again keeps it
    assert not second.try_acquire()
    assert other.try_acquire()  # another name is another lock
    first.release()
    assert second.try_acquire() and second.still_held()
    second.release()
    other.release()


@contextmanager
def another_look(engine: Engine, name: str) -> Iterator[None]:
    """Another instance looking at lock `name` (storage.locks.held_elsewhere), mid-look."""
    if engine.dialect.name == "postgresql":
        key = {"key": lock_key(name)}
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock_shared(:key)"), key)
            connection.commit()
            yield
            connection.execute(text("SELECT pg_advisory_unlock_shared(:key)"), key)
            connection.commit()
        return
    path = DatabaseLock(engine, name).sqlite_path()
    assert path is not None
    with path.with_name(f"{path.name}.{name}.lock").open("ab") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        yield


def test_looking_at_a_lock_is_not_holding_it(fresh: Engine) -> None:
    """Instances looking at once whether a claim's owner runs (bot.dedup) see its lock held
    only while its holder has it, never because of each other's look (found by the chaos
    test: looks that took the lock for a moment made a dead owner look alive to the other
    instance, so its updates waited, answered 503, for ever)."""
    name = "instance-0123"
    assert not held_elsewhere(fresh, name)
    with another_look(fresh, name):
        assert not held_elsewhere(fresh, name)
    owner = DatabaseLock(fresh, name)
    assert owner.try_acquire()
    assert held_elsewhere(fresh, name)
    owner.remove()
    assert not held_elsewhere(fresh, name)


def test_a_lock_held_by_a_lost_connection_is_free_again(postgres_url: str) -> None:
    """On PostgreSQL the server frees an advisory lock when its session ends (as when its
    process is killed): here the holder's connection is closed from the server's side."""
    engine = make_engine(postgres_url)
    holder, waiter = DatabaseLock(engine, "poll"), DatabaseLock(engine, "poll")
    assert holder.try_acquire() and not waiter.try_acquire()
    with engine.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks "
                "WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"
            )
        )
        connection.commit()
    assert not holder.still_held()
    assert waiter.try_acquire()
    waiter.release()
    engine.dispose()


def test_the_settings_accept_both_kinds_of_url(database_url: str) -> None:
    assert Settings(_env_file=None, database_url=database_url).database_url == database_url

"""The database engine: SQLite in WAL mode with foreign keys on, migrated at start."""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import create_engine

MIGRATIONS = Path(__file__).parent / "migrations"
# How long a SQLite statement waits for another connection's write to end (a long import).
BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, busy_timeout_ms: int) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    cursor.close()


def make_engine(url: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine for `url`; a SQLite file's folder is created if missing. `busy_timeout_ms`:
    how long a SQLite statement waits for another connection's write (then fails as busy,
    `is_busy`)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
    if not in_memory:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False},
        poolclass=StaticPool if in_memory else None,
    )
    event.listen(engine, "connect", partial(_sqlite_pragmas, busy_timeout_ms=busy_timeout_ms))
    return engine


def impatient(engine: Engine, busy_timeout_ms: int) -> Engine:
    """An engine on `engine`'s database whose statements wait at most `busy_timeout_ms` for
    another connection's write: a SQLite file's own; otherwise `engine` itself (PostgreSQL
    locks rows, not the database; an in-memory SQLite database has one connection)."""
    database = engine.url.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
    if engine.dialect.name != "sqlite" or in_memory:
        return engine
    return make_engine(engine.url.render_as_string(hide_password=False), busy_timeout_ms)


def is_busy(exc: OperationalError) -> bool:
    """Whether a SQLite statement failed because another connection held the database (its
    write lock) for longer than the statement would wait: busy, not down."""
    return "database is locked" in str(exc.orig)


# SQLite's result codes for a database file that can't be opened or read (its primary codes: the
# extended ones carry them in their low byte).
SQLITE_UNREACHABLE = frozenset({sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR})


def is_unreachable(exc: BaseException | None) -> bool:
    """Whether a statement failed because the database could not be reached: its connection
    was lost or could not be opened (PostgreSQL stopped, restarting or cut off; a SQLite file
    that can't be opened or read), not refused by a database that answered.

    The test: SQLAlchemy found the connection dropped (`connection_invalidated`), or the
    driver raised an OperationalError that no server sent: on PostgreSQL one without a
    SQLSTATE (psycopg's own: connection failed, server closed the connection) or in class 08
    (connection exception) or 57P (the server shutting down, starting up); on SQLite a
    can't-open or I/O error. Not the rest, though some are OperationalErrors too: a lock or
    statement timeout, a deadlock, a busy SQLite file (a database that answered: telling the
    user is right), a constraint or a value too long, the driver misused (InterfaceError in
    psycopg 3: a bug). Those would fail the same way when tried again."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    if not isinstance(exc, OperationalError):
        return False
    code = getattr(exc.orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in SQLITE_UNREACHABLE
    state = getattr(exc.orig, "sqlstate", None)
    return state is None or state.startswith(("08", "57P"))


def _transaction_opened(connection: Connection) -> None:
    """Make sure the database transaction is really open before DDL. SQLite's driver opens
    one only at the first INSERT, UPDATE or DELETE: a DROP INDEX before that would be
    committed at once, and survive a rollback of the change it belongs to."""
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.dbapi_connection
    if driver is not None and not getattr(driver, "in_transaction", True):
        connection.exec_driver_sql("BEGIN")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

"""Locks that one running bot process holds against the others sharing its database: the
right to poll Telegram, and the right to send due reminders.

On PostgreSQL a lock is a session advisory lock, held on a connection of its own; on SQLite,
an exclusive `flock` on a file beside the database (`bot.db.poll.lock`). Either way the
server or the operating system releases it the moment its process dies, however it dies
(kill -9 included), so another instance can take over at once, with no expiry to wait for.
An in-memory SQLite database belongs to one process: its locks are kept in the process.
"""

from __future__ import annotations

import fcntl
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

_IN_PROCESS: set[tuple[str, str]] = set()
_IN_PROCESS_GUARD = threading.Lock()


def lock_key(name: str) -> int:
    """The advisory-lock key for `name` (a stable 32-bit number)."""
    return zlib.crc32(f"influence-advisor-bot:{name}".encode())


class DatabaseLock:
    """A named lock shared by every process using the same database."""

    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        self.name = name
        self._connection: Connection | None = None
        self._file: IO[bytes] | None = None
        self._in_process = False

    @property
    def held(self) -> bool:
        return self._connection is not None or self._file is not None or self._in_process

    def sqlite_path(self) -> Path | None:
        database = make_url(str(self.engine.url)).database or ""
        if database in ("", ":memory:") or database.startswith("file::memory:"):
            return None
        return Path(database).expanduser()

    def _file_path(self, database: Path) -> Path:
        return database.with_name(f"{database.name}.{self.name}.lock")

    def try_acquire(self) -> bool:
        """Take the lock if no other process holds it; True if this one holds it now."""
        if self.held:
            return self.still_held()
        if self.engine.dialect.name == "postgresql":
            return self._try_advisory()
        path = self.sqlite_path()
        if path is None:
            slot = (str(self.engine.url), self.name)
            with _IN_PROCESS_GUARD:
                if slot in _IN_PROCESS:
                    return False
                _IN_PROCESS.add(slot)
            self._in_process = True
            return True
        handle = self._file_path(path).open("ab")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    def _try_advisory(self) -> bool:
        connection = self.engine.connect()
        try:
            taken = connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": lock_key(self.name)}
            )
            connection.commit()
        except DBAPIError:
            connection.close()
            raise
        if not taken:
            connection.close()
            return False
        self._connection = connection
        return True

    def still_held(self) -> bool:
        """Whether the lock is still this process's (False, and forgotten, if the connection
        that held it was lost: the server released it then)."""
        if self._connection is None:
            return self.held
        try:
            self._connection.scalar(text("SELECT 1"))
            self._connection.commit()
        except DBAPIError:
            self._connection.invalidate()
            self._connection = None
            return False
        return True

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": lock_key(self.name)}
                )
                self._connection.commit()
            except DBAPIError:
                pass  # the connection is gone, and the lock with it
            finally:
                self._connection.close()
                self._connection = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        if self._in_process:
            with _IN_PROCESS_GUARD:
                _IN_PROCESS.discard((str(self.engine.url), self.name))
            self._in_process = False

    def remove(self) -> None:
        """Release the lock and remove its file (SQLite), for a lock whose name is not used
        again (one per process would pile up beside the database)."""
        self.release()
        path = self.sqlite_path()
        if path is not None:
            self._file_path(path).unlink(missing_ok=True)


def held_elsewhere(engine: Engine, name: str) -> bool:
    """Whether a process holds lock `name` (a DatabaseLock), looked at without taking it: a
    shared advisory lock (PostgreSQL) or a shared flock (SQLite) taken and let go at once, so
    that processes looking at the same moment never see each other as its holder."""
    if engine.dialect.name == "postgresql":
        key = {"key": lock_key(name)}
        with engine.connect() as connection:
            free = connection.scalar(text("SELECT pg_try_advisory_lock_shared(:key)"), key)
            if free:
                connection.execute(text("SELECT pg_advisory_unlock_shared(:key)"), key)
            connection.commit()
        return not free
    lock = DatabaseLock(engine, name)
    path = lock.sqlite_path()
    if path is None:
        with _IN_PROCESS_GUARD:
            return (str(engine.url), name) in _IN_PROCESS
    file = lock._file_path(path)
    if not file.exists():
        return False
    with file.open("ab") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


@contextmanager
def exclusively(engine: Engine, name: str) -> Iterator[None]:
    """Run the block while holding lock `name`, waiting for it if another process holds it
    (instances starting together migrate the database one after the other)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": lock_key(name)})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": lock_key(name)})
                connection.commit()
        return
    path = DatabaseLock(engine, name).sqlite_path()
    if path is None:
        yield
        return
    with path.with_name(f"{path.name}.{name}.lock").open("ab") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


USER_STATE_LOCKS = lock_key("user-state") - 2**31  # a signed int4: the keys' first half


def lock_user_state(session: Session, user_id: int) -> None:
    """Make the session's transaction the only writer of one user's state until it ends
    (call it first in the transaction). PostgreSQL: a transaction-level advisory lock keyed
    by the user (two-number keys, apart from the named locks above; users whose ids share
    the low 32 bits wait for each other, which is harmless); SQLite: the database's write
    lock, taken before the first read (BEGIN IMMEDIATE), so the read and the write see the
    same state."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        user_key = (user_id & 0xFFFFFFFF) - 2**31
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:space, :user)"),
            {"space": USER_STATE_LOCKS, "user": user_key},
        )
        return
    driver = connection.connection.dbapi_connection
    if driver is not None and not getattr(driver, "in_transaction", True):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

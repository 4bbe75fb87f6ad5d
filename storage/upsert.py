"""INSERT … ON CONFLICT on SQLite and PostgreSQL alike: both dialects have it, with the same
meaning, through their own `insert`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel

from storage.models import table_of


def dialect_insert(session: Session) -> Any:
    """The dialect's INSERT, which has `on_conflict_do_nothing` and `on_conflict_do_update`."""
    dialects = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
    return dialects[session.get_bind().dialect.name]


def insert_or_update(
    session: Session,
    model: type[SQLModel],
    values: Mapping[str, Any],
    keys: Sequence[str],
    changed: Iterable[str],
) -> int:
    """Insert a row of `values`; where one with the same `keys` is there (a unique index on
    them: a NULL among them never matches), set its `changed` columns to these values
    instead. The row's id, in one statement (two writers at once: one inserts, the other
    updates); not committed."""
    table = table_of(model)
    statement = dialect_insert(session)(table).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c[key] for key in keys],
        set_={column: statement.excluded[column] for column in changed},
    ).returning(table.c.id)
    return int(session.execute(statement).scalar_one())

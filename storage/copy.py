"""Copying a whole database to another (SQLite to PostgreSQL, say): `python -m bot db copy`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, RowMapping, String, Table, func, insert, select, text
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage.db import migrate
from storage.models import UNSTORABLE

CHUNK = 5_000


class TargetNotEmpty(Exception):
    """The database to copy into already holds rows."""


class BadRow(Exception):
    """A row the target database would refuse: its table, key and why, in one line."""


def _texts(value: Any) -> Iterator[str]:
    """Every string in a column's value (a JSON column's nested ones too)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _problem(table: Table, row: RowMapping) -> str | None:
    """Why a database stricter than SQLite (PostgreSQL) would refuse `row`, else None."""
    for column in table.columns:
        value = row[column.name]
        if any(UNSTORABLE.search(t) for t in _texts(value)):
            return f"{column.name} holds a control character (NUL or the like)"
        length = column.type.length if isinstance(column.type, String) else None
        if length and isinstance(value, str) and len(value) > length:
            return f"{column.name} is {len(value)} characters long, over {length}"
    return None


def _key(table: Table, row: RowMapping) -> str:
    return ", ".join(f"{c.name}={row[c.name]!r}" for c in table.primary_key.columns)


def copy_database(source: Engine, target: Engine) -> dict[str, int]:
    """Migrate `target`, then copy every table of `source` into it in one transaction (so a
    failed copy leaves it empty), parents before children; PostgreSQL's id sequences are
    moved past the copied ids. Returns the rows copied per table. TargetNotEmpty if `target`
    holds any row; BadRow, with nothing copied, for a row the target would refuse (a control
    character, a text over its column's length: what SQLite took from an older version)."""
    migrate(source)
    migrate(target)
    tables = SQLModel.metadata.sorted_tables
    with target.connect() as connection:
        filled = [t.name for t in tables if connection.scalar(select(func.count()).select_from(t))]
    if filled:
        raise TargetNotEmpty(", ".join(filled))
    copied: dict[str, int] = {}
    with source.connect() as reading, target.begin() as writing:
        for table in tables:
            result = reading.execution_options(yield_per=CHUNK).execute(select(table))
            count = 0
            for rows in result.mappings().partitions(CHUNK):
                for row in rows:
                    if (why := _problem(table, row)) is not None:
                        raise BadRow(f"{table.name} ({_key(table, row)}): {why}")
                writing.execute(insert(table), [dict(row) for row in rows])
                count += len(rows)
            copied[table.name] = count
            if target.dialect.name == "postgresql" and "id" in table.c:
                id_column = table.c["id"]
                if id_column.primary_key and id_column.autoincrement in (True, "auto"):
                    quoted = target.dialect.identifier_preparer.quote(table.name)
                    writing.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{quoted}', 'id'), "
                            f"COALESCE(MAX(id), 0) + 1, false) FROM {quoted}"
                        )
                    )
    return copied

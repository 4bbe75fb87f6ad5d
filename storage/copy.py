"""Copying a whole database to another (SQLite to PostgreSQL, say): `python -m bot db copy`."""

from __future__ import annotations

from sqlalchemy import Engine, func, insert, select, text
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage.db import migrate

CHUNK = 5_000


class TargetNotEmpty(Exception):
    """The database to copy into already holds rows."""


def copy_database(source: Engine, target: Engine) -> dict[str, int]:
    """Migrate `target`, then copy every table of `source` into it in one transaction (so a
    failed copy leaves it empty), parents before children; PostgreSQL's id sequences are
    moved past the copied ids. Returns the rows copied per table. TargetNotEmpty if `target`
    holds any row."""
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

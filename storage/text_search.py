"""The roster's text search index (migration 0012): on SQLite an FTS5 table of the names and
handle keys with the trigram tokenizer, kept by triggers on `influencer`; on PostgreSQL
trigram (pg_trgm) indexes, which serve the search's `LIKE` as it is.

A trigram index finds the rows holding a text of three characters or more; the search's own
`LIKE` is still applied to them, so what matches is exactly what matched without the index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, column, literal_column, select, table

from storage.models import handle_key

TABLE = "influencer_text"
# The shortest text a trigram index can look up.
SHORTEST = 3


def _phrase(text: str) -> str:
    """`text` as one FTS5 phrase (a substring for the trigram tokenizer)."""
    return '"' + text.replace('"', '""') + '"'


def indexed_ids(dialect: str, text: str) -> Select[Any] | None:
    """On SQLite, the statement of the ids whose name holds `text` (lowercased) or whose handle
    key holds its handle key, read from the trigram index: a superset of the search's own
    matches; None where there is no such index to ask (PostgreSQL's serve the `LIKE` itself),
    or the text is too short for it."""
    name, handle = text.lower(), handle_key(text)
    if dialect != "sqlite" or len(name) < SHORTEST or len(handle) < SHORTEST:
        return None
    fts = table(TABLE, column("rowid"))
    query = f"name : {_phrase(name)} OR handle_key : {_phrase(handle)}"
    match = literal_column(TABLE).op("MATCH")(query)
    return select(fts.c.rowid).where(match)


def include_object(
    _object: Any, name: str | None, type_: str, _reflected: bool, _compare_to: Any
) -> bool:
    """Alembic's `include_object` hook: False for the text search's own tables (the FTS5 table
    and its shadow tables) and PostgreSQL indexes, which the models do not declare, so that
    comparing the schema with the models leaves them out."""
    if type_ == "table":
        return not (name or "").startswith(TABLE)
    return not (type_ == "index" and (name or "").endswith("_trigram"))

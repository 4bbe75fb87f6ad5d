"""the roster's text search: on SQLite a trigram full-text index of the names and handles
(FTS5, kept by triggers), on PostgreSQL trigram indexes (pg_trgm) where the extension can be
made; both find the substrings `/roster` and the roster page search for without reading
every row

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "influencer_text"  # storage.text_search.TABLE
FIELDS = "name, handle_key"
INSERT = f"INSERT INTO {TABLE}(rowid, {FIELDS}) VALUES (new.id, new.name, new.handle_key);"
DELETE = (
    f"INSERT INTO {TABLE}({TABLE}, rowid, {FIELDS}) "
    "VALUES ('delete', old.id, old.name, old.handle_key);"
)
SQLITE = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5({FIELDS}, content='influencer', "
    "content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON influencer BEGIN {INSERT} END",
    f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON influencer BEGIN {DELETE} END",
    f"CREATE TRIGGER {TABLE}_update AFTER UPDATE OF name, handle_key ON influencer "
    f"BEGIN {DELETE} {INSERT} END",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
]
POSTGRESQL_INDEXES = {
    "ix_influencer_name_trigram": "lower(name) gin_trgm_ops",
    "ix_influencer_handle_trigram": "handle_key gin_trgm_ops",
}


def _postgresql_trigrams() -> None:
    """The trigram indexes, if pg_trgm is there or may be made (a savepoint keeps a refusal,
    for want of rights, from undoing the migration: the search then reads every row)."""
    bind = op.get_bind()
    with bind.begin_nested() as savepoint:
        try:
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # any refusal: the search still works, reading every row
            savepoint.rollback()
            return
    for name, expression in POSTGRESQL_INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON influencer USING gin ({expression})")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE:
            op.execute(statement)
    elif dialect == "postgresql":
        _postgresql_trigrams()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {TABLE}")
    elif dialect == "postgresql":
        for name in POSTGRESQL_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")

"""one results row per check-in, and per creator and check-in: unique indexes, so that
results given again (a correction, or an update handled a second time after the database
went away) update their row, never add one; rows a database holds twice already are made one
first, each figure as last given (as the readers took them across rows)

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As storage.models and knowledge.reading.results.RESULT_ORDER were at this revision.
FIGURES = ("reach", "engagements", "clicks", "conversions", "revenue_cents", "spent_cents")
INDEXES = {
    "checkin_result": ("uq_checkin_result_reminder_id", ("reminder_id",)),
    "creator_result": ("uq_creator_result_reminder_id_creator_id", ("reminder_id", "creator_id")),
}


def _made_one(table: str, keys: tuple[str, ...]) -> None:
    """The rows of `table` sharing `keys` (none of them NULL) made one: the last given (by
    recorded_at, then id) kept, with each figure as last given, the others deleted."""
    bind = op.get_bind()
    columns = ", ".join(("id", *keys, *FIGURES))
    rows = bind.execute(
        sa.text(
            f"SELECT {columns} FROM {table} WHERE "
            + " AND ".join(f"{key} IS NOT NULL" for key in keys)
            + " ORDER BY recorded_at, id"
        )
    ).mappings()
    groups: dict[tuple[object, ...], list[sa.RowMapping]] = {}
    for row in rows:
        groups.setdefault(tuple(row[key] for key in keys), []).append(row)
    for group in groups.values():
        if len(group) < 2:
            continue
        merged = {figure: None for figure in FIGURES}
        for row in group:
            merged.update({f: row[f] for f in FIGURES if row[f] is not None})
        kept = group[-1]["id"]
        sets = ", ".join(f"{figure} = :{figure}" for figure in FIGURES)
        bind.execute(sa.text(f"UPDATE {table} SET {sets} WHERE id = :id"), {**merged, "id": kept})
        for row in group[:-1]:
            bind.execute(sa.text(f"DELETE FROM {table} WHERE id = :id"), {"id": row["id"]})


def upgrade() -> None:
    for table, (name, keys) in INDEXES.items():
        _made_one(table, keys)
        op.create_index(name, table, list(keys), unique=True)


def downgrade() -> None:
    for table, (name, _keys) in INDEXES.items():
        op.drop_index(name, table_name=table)

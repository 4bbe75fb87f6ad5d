"""state versions and erasure marks

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user_data", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "erased_user",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("erased_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    with op.batch_alter_table("erased_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erased_user_erased_at"), ["erased_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("erased_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erased_user_erased_at"))
    op.drop_table("erased_user")
    with op.batch_alter_table("user_data", schema=None) as batch_op:
        batch_op.drop_column("version")

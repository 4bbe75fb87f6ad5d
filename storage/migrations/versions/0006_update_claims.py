"""update claims: the instance that claimed an update, and whether it was handled

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("handled_update", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        # The updates recorded so far were all handled.
        batch_op.add_column(
            sa.Column("done", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("handled_update", schema=None) as batch_op:
        batch_op.drop_column("done")
        batch_op.drop_column("claimed_by")

"""unsent replies: the replies of a handled update while they are being sent

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("handled_update", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unsent", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handled_update", schema=None) as batch_op:
        batch_op.drop_column("unsent")

"""the roster page's orders: an index per column it sorts on (active first, the id last), so
a page of a million-influencer roster is read in order from an index instead of sorted

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As storage.models.ROSTER_ORDERS was at this revision.
ORDERS = {
    "name": ("lower(name)",),
    "handle": ("handle_key",),
    "platform": ("platform",),
    "followers": ("followers",),
    "engagement_rate": ("engagement_rate",),
    "price": ("price_cents",),
    "country": ("(country IS NULL)", "country"),
    "country_desc": ("(country IS NOT NULL)", "country"),
    "language": ("(language IS NULL)", "language"),
    "language_desc": ("(language IS NOT NULL)", "language"),
}


def upgrade() -> None:
    for name, columns in ORDERS.items():
        parts = [sa.text(c) if "(" in c else c for c in columns]
        op.create_index(f"ix_roster_{name}", "influencer", ["active", *parts, "id"])


def downgrade() -> None:
    for name in ORDERS:
        op.drop_index(f"ix_roster_{name}", table_name="influencer")

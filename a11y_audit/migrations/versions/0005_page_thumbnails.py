"""page thumbnails: a small JPEG of the viewport per audited page (nullable)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, no batch mode: a batch rebuild of audit_pages on SQLite drops the old table, and
# with foreign keys on that would cascade to every finding. SQLite 3.35+ drops a column in place.


def upgrade() -> None:
    op.add_column("audit_pages", sa.Column("thumbnail", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_pages", "thumbnail")

"""element crops: small JPEGs of the elements of violations and needs-review findings, per page

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_crops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=8), nullable=False),
        sa.Column("rule_id", sa.String(length=128), nullable=False),
        sa.Column("selector", sa.Text(), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["audit_pages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["run_id"], ["audit_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("page_id", "item", name="uq_audit_crops_page_item"),
    )
    op.create_index("ix_audit_crops_run", "audit_crops", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_crops_run", table_name="audit_crops")
    op.drop_table("audit_crops")

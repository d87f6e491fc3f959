"""user review (사용자 심사): one row per tester × task attempt

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_user_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=False),
        sa.Column("template", sa.String(length=32), nullable=False),
        sa.Column("page_url", sa.Text(), nullable=False),
        sa.Column("task_items", sa.JSON(), nullable=False),
        sa.Column("profile", sa.String(length=32), nullable=False),
        sa.Column("tester", sa.String(length=255), nullable=False),
        sa.Column("success", sa.String(length=8), nullable=False),
        sa.Column("minutes", sa.Float(), nullable=True),
        sa.Column("assistive_tech", sa.String(length=255), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("barrier_items", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("config_id", sa.String(length=64), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("source_sha256", sa.String(length=64), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["audit_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "task_id", "profile", "tester", name="uq_audit_user_results_attempt"),
    )


def downgrade() -> None:
    op.drop_table("audit_user_results")

"""campaigns: many sites audited on a Dask cluster, one row per site with its task state

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("source_sha256", sa.String(length=64), nullable=True),
        sa.Column("sites_total", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("ddkit_version", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scheduler", sa.String(length=255), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "audit_campaign_sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("institution", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("attempt_run_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("worker", sa.String(length=255), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("page_errors", sa.Integer(), nullable=True),
        sa.Column("violations", sa.Integer(), nullable=True),
        sa.Column("axe_version", sa.String(length=32), nullable=True),
        sa.Column("score_lower", sa.Float(), nullable=True),
        sa.Column("score_upper", sa.Float(), nullable=True),
        sa.Column("min_item_lower", sa.Float(), nullable=True),
        sa.Column("verdict_mean", sa.String(length=12), nullable=True),
        sa.Column("verdict_every_item", sa.String(length=12), nullable=True),
        sa.Column("items_below", sa.Integer(), nullable=True),
        sa.Column("score_note", sa.Text(), nullable=True),
        sa.Column("audit_s", sa.Float(), nullable=True),
        sa.Column("task_s", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["audit_campaigns.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["attempt_run_id"], ["audit_runs.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["run_id"], ["audit_runs.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "url_hash", name="uq_audit_campaign_sites_url"),
    )
    op.create_index(
        "ix_audit_campaign_sites_state", "audit_campaign_sites", ["campaign_id", "state"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_audit_campaign_sites_state", table_name="audit_campaign_sites")
    op.drop_table("audit_campaign_sites")
    op.drop_table("audit_campaigns")

"""site audit tables: runs, queue, pages, findings, run errors

Revision ID: 0001
Revises:
Create Date: 2026-11-27

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "audit_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ddkit_version", sa.String(length=32), nullable=False),
        sa.Column("axe_version", sa.String(length=32), nullable=True),
        sa.Column("seeds", sa.JSON(), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "audit_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("url_hash", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=True),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=255), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("lang", sa.String(length=64), nullable=True),
        sa.Column("device", sa.String(length=32), nullable=True),
        sa.Column("axe_version", sa.String(length=32), nullable=True),
        sa.Column("template_signature", sa.String(length=16), nullable=True),
        sa.Column("timings", sa.JSON(), nullable=False),
        sa.Column("item_status", sa.JSON(), nullable=False),
        sa.Column("n_links", sa.Integer(), nullable=False),
        sa.Column("n_violations", sa.Integer(), nullable=False),
        sa.Column("n_incomplete", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_kind", sa.String(length=32), nullable=True),
        sa.Column("duplicate_of", sa.Text(), nullable=True),
        sa.Column("audited_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["audit_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "url_hash", name="uq_audit_pages_run_url"),
    )
    op.create_index(
        "ix_audit_pages_run_signature", "audit_pages", ["run_id", "template_signature"], unique=False
    )

    op.create_table(
        "audit_queue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("url_hash", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("found_on", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=24), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["audit_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "url_hash", name="uq_audit_queue_run_url"),
    )
    op.create_index(
        "ix_audit_queue_run_state", "audit_queue", ["run_id", "state", "depth", "id"], unique=False
    )

    op.create_table(
        "audit_run_errors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["audit_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "audit_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=128), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("impact", sa.String(length=16), nullable=True),
        sa.Column("kwcag", sa.JSON(), nullable=False),
        sa.Column("wcag", sa.JSON(), nullable=False),
        sa.Column("selector", sa.Text(), nullable=True),
        sa.Column("snippet", sa.Text(), nullable=True),
        sa.Column("message_en", sa.Text(), nullable=False),
        sa.Column("message_ko", sa.Text(), nullable=False),
        sa.Column("help_url", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["audit_pages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["run_id"], ["audit_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_findings_page", "audit_findings", ["page_id"], unique=False)
    op.create_index(
        "ix_audit_findings_run_rule", "audit_findings", ["run_id", "rule_id", "outcome"], unique=False
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_audit_findings_run_rule", table_name="audit_findings")
    op.drop_index("ix_audit_findings_page", table_name="audit_findings")

    op.drop_table("audit_findings")
    op.drop_table("audit_run_errors")
    op.drop_index("ix_audit_queue_run_state", table_name="audit_queue")

    op.drop_table("audit_queue")
    op.drop_index("ix_audit_pages_run_signature", table_name="audit_pages")

    op.drop_table("audit_pages")
    op.drop_table("audit_runs")

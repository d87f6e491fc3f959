"""one page result per URL and device: --device both stores a desktop and a mobile result per URL

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("uq_audit_pages_run_url", ["run_id", "url_hash"])
NEW = ("uq_audit_pages_run_url_device", ["run_id", "url_hash", "device"])


def upgrade() -> None:
    # Pages stored before devices were recorded were all audited on the desktop.
    op.execute("UPDATE audit_pages SET device = 'desktop' WHERE device IS NULL")
    _swap(OLD, NEW)


def downgrade() -> None:
    op.execute("DELETE FROM audit_pages WHERE device <> 'desktop'")
    _swap(NEW, OLD)


def _swap(old: tuple[str, list[str]], new: tuple[str, list[str]]) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint(old[0], "audit_pages", type_="unique")
        op.create_unique_constraint(new[0], "audit_pages", new[1])
        return
    # SQLite cannot drop a table constraint: the table is rebuilt. Dropping the old table would
    # cascade (foreign keys are on) to the rows that point at its pages: findings, crops. They are
    # kept aside and put back, all in the migration's one transaction.
    children = [
        name
        for name in sa.inspect(bind).get_table_names()
        if any(fk["referred_table"] == "audit_pages" for fk in sa.inspect(bind).get_foreign_keys(name))
    ]
    for name in children:
        op.execute(f"CREATE TEMPORARY TABLE _keep_{name} AS SELECT * FROM {name}")
    with op.batch_alter_table("audit_pages", recreate="always") as batch:
        batch.drop_constraint(old[0], type_="unique")
        batch.create_unique_constraint(new[0], new[1])
    for name in children:
        op.execute(f"DELETE FROM {name}")
        op.execute(f"INSERT INTO {name} SELECT * FROM _keep_{name}")
        op.execute(f"DROP TABLE _keep_{name}")

"""Alembic environment for the training tracker (run programmatically from training_tracker.db)."""

from alembic import context

from training_tracker.db import VERSION_TABLE
from training_tracker.models import Base


def _ours(name, type_, _parent_names) -> bool:
    # The audit side keeps its own tables in the same database: never touch them.
    return type_ != "table" or bool(name) and name.startswith("training_")


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "training migrations run from training_tracker.db.init_database(), not the alembic CLI"
    )
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=VERSION_TABLE,
    include_name=_ours,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()

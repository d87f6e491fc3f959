"""Alembic environment for the audit tables; run programmatically by ``a11y_audit.store.migrate``.

Only the ``audit_*`` tables belong here; other parts of ddkit keep their own tables and their own
Alembic version table in the same database.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from a11y_audit.store import VERSION_TABLE, Base

config = context.config


def _include_name(name, type_, parent_names) -> bool:
    return type_ != "table" or (name or "").startswith("audit_")


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        include_name=_include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        transaction_per_migration=False,
    )


connection = config.attributes.get("connection")
if connection is not None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
else:  # the alembic command line, for writing new revisions: `alembic -x url=sqlite:///x.db revision ...`
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///ddkit.db")
    engine = engine_from_config({"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.begin() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()

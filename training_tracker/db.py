"""Engine, session and schema upgrades for the training tracker.

The tracker's tables live in the same database as the audit tables but keep their own Alembic
history in the version table ``alembic_version_training``. Migrations ship inside the package
(``training_tracker/migrations``) and are applied from here, so no ``alembic.ini`` is needed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from training_tracker.errors import TrainingError

VERSION_TABLE = "alembic_version_training"
#: The newest migration; a test checks it equals Alembic's head so the two cannot drift apart.
SCHEMA_HEAD = "0001"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # 16 KiB pages for a new database file (an existing one keeps its size: WAL fixes it): a
    # million-row import writes, and checkpoints, a quarter as many pages (about 0.3 s of 3 s).
    cursor.execute("PRAGMA page_size=16384")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint; safe with WAL
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL mode and enforced foreign keys."""
    try:
        parsed = make_url(url)
        engine = sa.create_engine(parsed)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise TrainingError(
            f"cannot use database URL {url!r}: {exc}",
            hint="Give --db a file path or a SQLAlchemy URL such as sqlite:///ddkit.db.",
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def schema_version(engine: Engine) -> str | None:
    """The applied training migration, or None when the tracker's tables were never created."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table(VERSION_TABLE):
            return None
        return conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


@dataclass
class InitResult:
    url: str
    previous_version: str | None
    version: str
    created: bool


def init_database(url: str, progress: Callable[[str], None] | None = None) -> InitResult:
    """Create the tracker's tables, or upgrade them to the newest migration."""
    from alembic import command
    from alembic.config import Config

    path = _sqlite_path(url)
    if path is not None and not path.parent.exists():
        raise TrainingError(
            f"folder {path.parent} for database {path} does not exist",
            hint="Create the folder first or give --db another path.",
        )
    engine = make_engine(url)
    try:
        previous = schema_version(engine)
        if progress:
            progress(f"upgrading training schema from {previous or 'nothing'} to {SCHEMA_HEAD}")
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        version = schema_version(engine)
    except OperationalError as exc:
        raise TrainingError(
            f"cannot create the training tables in {url}: {exc.orig}",
            hint="Check that the database is writable and not locked by another program.",
        ) from exc
    finally:
        engine.dispose()
    return InitResult(url=url, previous_version=previous, version=version or "", created=previous is None)


def open_database(url: str) -> Engine:
    """An engine on an initialised, current database; a clear error otherwise."""
    path = _sqlite_path(url)
    if path is not None and not path.exists():
        raise TrainingError(
            f"no database at {path}",
            hint=f"Run 'ddkit training init --db {path}' first (or set --db / DDKIT_DB).",
        )
    engine = make_engine(url)
    try:
        version = schema_version(engine)
    except OperationalError as exc:
        engine.dispose()
        raise TrainingError(f"cannot open database {url}: {exc.orig}") from exc
    if version is None:
        engine.dispose()
        raise TrainingError(
            f"database {url} has no training tables",
            hint="Run 'ddkit training init' with the same --db to create them.",
        )
    if version != SCHEMA_HEAD:
        engine.dispose()
        raise TrainingError(
            f"database {url} has training schema {version}, this ddkit needs {SCHEMA_HEAD}",
            hint="Run 'ddkit training init' to upgrade it (back the file up first).",
        )
    return engine


def default_database_hint() -> str:
    return os.environ.get("DDKIT_DB", "ddkit.db")

"""The tracker's schema: created and upgraded from the packaged migrations, its own version table,
WAL mode, the models and the migrations agree, other tables in the same file are left alone."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from training_tracker.db import MIGRATIONS_DIR, SCHEMA_HEAD, VERSION_TABLE, init_database, open_database
from training_tracker.errors import TrainingError
from training_tracker.models import Base


def test_head_constant_matches_the_migrations():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_init_creates_then_leaves_alone_and_keeps_other_tables(tmp_path):
    path = tmp_path / "shared.db"
    with sqlite3.connect(path) as raw:  # the audit side's tables and version table, already there
        raw.execute("create table audit_page (id integer primary key, url text)")
        raw.execute("create table alembic_version (version_num varchar(32) primary key)")
        raw.execute("insert into alembic_version values ('audit42')")
    url = f"sqlite:///{path}"
    first = init_database(url)
    assert (first.created, first.previous_version, first.version) == (True, None, SCHEMA_HEAD)
    second = init_database(url)
    assert (second.created, second.previous_version) == (False, SCHEMA_HEAD)
    with sqlite3.connect(path) as raw:
        assert raw.execute("select version_num from alembic_version").fetchall() == [("audit42",)]
        assert raw.execute(f"select version_num from {VERSION_TABLE}").fetchall() == [(SCHEMA_HEAD,)]
        assert raw.execute("pragma journal_mode").fetchone() == ("wal",)
        tables = {r[0] for r in raw.execute("select name from sqlite_master where type='table'")}
    assert "audit_page" in tables and {"training_learner", "training_enrolment", "training_target"} <= tables
    assert not any(t.startswith("training_") and "name" in t for t in tables)


def test_models_and_migrations_agree(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"include_name": lambda name, kind, _p: kind != "table" or name.startswith("training_")},
        )
        assert compare_metadata(context, Base.metadata) == []
        columns = {c["name"] for c in sa.inspect(conn).get_columns("training_learner")}
    # No column for names, phone numbers or identity numbers, ever.
    assert not columns & {"name", "phone", "rrn", "resident_number", "passport", "foreign_number"}
    assert {"pseudonym", "consent_sensitive", "disability_type", "retain_until", "groups"} <= columns


def test_opening_a_missing_or_empty_database_says_what_to_do(tmp_path):
    with pytest.raises(TrainingError, match="no database at") as caught:
        open_database(f"sqlite:///{tmp_path / 'none.db'}")
    assert "ddkit training init" in caught.value.hint
    sqlite3.connect(tmp_path / "empty.db").close()
    with pytest.raises(TrainingError, match="has no training tables"):
        open_database(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(TrainingError, match="does not exist"):
        init_database(f"sqlite:///{tmp_path / 'no' / 'such' / 'x.db'}")

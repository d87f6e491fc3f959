"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
import time
import uuid

import pytest
import sqlalchemy as sa

PG_URL_ENV = "DDKIT_TEST_PG_URL"


def _postgres_database():
    """A fresh, empty PostgreSQL database on the test server; dropped afterwards."""
    base = os.environ.get(PG_URL_ENV)
    if not base:
        pytest.skip(f"{PG_URL_ENV} is not set (make test starts a PostgreSQL server and sets it)")
    name = f"ddkit_t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'create database "{name}"'))
    url = sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        _drop(admin, name)
        admin.dispose()


def _drop(admin: sa.Engine, name: str) -> None:
    """Drop a test database. A server process of another role still attached to it for a moment
    (seen once: "must be a member of the role whose process is being terminated") makes the forced
    drop fail: try again shortly, and leave the database to the throwaway test server if it stays."""
    for attempt in range(10):
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))
            return
        except sa.exc.DBAPIError:
            if attempt == 9:
                return
            time.sleep(0.5)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The storage tests run against a real SQLite file and a real PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ddkit.db'}"
    else:
        yield from _postgres_database()

"""Option declarations shared by several commands, declared once."""

from __future__ import annotations

import os
from typing import Annotated

import typer

DEFAULT_DB_URL = "sqlite:///ddkit.db"

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="DDKIT_DB",
        help="Database: a file path or any SQLAlchemy URL (default sqlite:///ddkit.db in this folder).",
        show_default=False,
    ),
]


def database_url(value: str | None) -> str:
    """``--db``/``DDKIT_DB`` as a SQLAlchemy URL; a bare path means an SQLite file."""
    value = value or os.environ.get("DDKIT_DB") or DEFAULT_DB_URL
    if "://" in value:
        return value
    return f"sqlite:///{value}"

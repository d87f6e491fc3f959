"""Fixtures for the training tracker's tests: a real SQLite file per test, the CLI in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import main
from training_tracker.db import init_database, open_database


@pytest.fixture
def db_path(tmp_path) -> Path:
    path = tmp_path / "ddkit.db"
    init_database(f"sqlite:///{path}")
    return path


@pytest.fixture
def engine(db_path):
    engine = open_database(f"sqlite:///{db_path}")
    yield engine
    engine.dispose()


@pytest.fixture
def key_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "keys" / "pseudonym.key"
    monkeypatch.setenv("DDKIT_PSEUDONYM_KEY_FILE", str(path))
    return path


class Cli:
    """Runs ``ddkit`` in this process; returns (exit code, stdout, stderr)."""

    def __init__(self, capsys, db_path: Path) -> None:
        self.capsys = capsys
        self.db = str(db_path)

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        database = [] if args[0] == "sample" else ["--db", self.db]  # sample writes files only
        code = main(["training", *args, *database])
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err

    def json(self, *args: str) -> dict:
        code, stdout, stderr = self(*args, "--json")
        assert code == 0, stderr
        return json.loads(stdout)


@pytest.fixture
def cli(capsys, db_path, key_file) -> Cli:
    return Cli(capsys, db_path)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path

"""The command line's contract: version, exit codes, the JSON envelope, the error boundary, doctor."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cli import main
from cli.exit_codes import ExitCode
from cli.output import SCHEMA_VERSION, envelope
from cli.version import ddkit_version


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_exit_codes_are_the_documented_numbers():
    assert [int(c) for c in ExitCode] == [0, 1, 2, 3, 130]


def test_version_prints_the_installed_version():
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"ddkit {ddkit_version()}"


def test_unknown_command_is_a_usage_error():
    done = run("no-such-command")
    assert done.returncode == ExitCode.USAGE
    assert "No such command" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("group", ["audit", "survey", "training", "report"])
def test_every_group_has_help(group):
    done = run(group, "--help")
    assert done.returncode == 0
    assert "Usage" in done.stdout


def test_envelope_carries_schema_version_and_turns_nan_into_null():
    doc = envelope("test.kind", {"x": float("nan"), "y": [1.5, float("inf")]})
    assert doc["schema_version"] == SCHEMA_VERSION
    assert doc["kind"] == "test.kind"
    assert doc["ddkit_version"] == ddkit_version()
    assert doc["data"] == {"x": None, "y": [1.5, None]}


def test_domain_error_prints_error_and_hint_without_traceback(monkeypatch, capsys):
    monkeypatch.setenv("DDKIT_CHROMIUM", "/nonexistent/chromium")
    from a11y_audit.browser import chromium_info

    chromium_info.cache_clear()
    code = main(["doctor"])
    captured = capsys.readouterr()
    chromium_info.cache_clear()
    assert code == ExitCode.RUNTIME
    assert "MISSING" in captured.out
    assert "DDKIT_CHROMIUM points at '/nonexistent/chromium'" in captured.out
    assert "fix:" in captured.out


def test_doctor_json_reports_chromium_axe_and_database(tmp_path):
    db = tmp_path / "d.db"
    done = run("doctor", "--json", "--db", str(db))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["kind"] == "doctor"
    checks = {c["name"]: c for c in doc["data"]["checks"]}
    assert set(checks) == {"chromium", "axe-core", "database"}
    assert all(c["ok"] for c in checks.values())
    assert checks["axe-core"]["value"].startswith("4.")
    assert checks["database"]["value"] == f"sqlite:///{db} (will be created on first use)"
    assert not db.exists()


def test_debug_shows_the_traceback_for_unexpected_errors(capsys):
    from cli.errors import report_unexpected
    from cli.state import state

    state.debug = False
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        code = report_unexpected(exc)
    out = capsys.readouterr().err
    assert code == ExitCode.RUNTIME
    assert "Error: RuntimeError: boom" in out
    assert "--debug" in out

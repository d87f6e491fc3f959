"""Start-up stays cheap: loading the command line does not load the heavy domain libraries.

Every command module imports its domain packages inside the command functions, so `ddkit --version`,
`--help` and a command of one group do not pay for the browser, the data frames or the database
layer of the others.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = (
    "playwright",
    "pandas",
    "pyarrow",
    "sqlalchemy",
    "openpyxl",
    "dask",
    "statsmodels",
    "numpy",
    "tldextract",
    "httpx",
    "jinja2",
)


def modules_after(code: str) -> set[str]:
    """Every module in sys.modules after running ``code`` in a fresh interpreter."""
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def loaded_after(code: str) -> set[str]:
    """Top-level packages in sys.modules after running ``code`` in a fresh interpreter."""
    return {m.split(".")[0] for m in modules_after(code)}


def test_import_cli_loads_no_heavy_library():
    assert loaded_after("import cli") & set(HEAVY) == set()


@pytest.mark.parametrize(
    "argv", [["--version"], ["--help"], ["audit", "site", "--help"], ["training", "--help"]]
)
def test_version_and_help_load_no_heavy_library(argv):
    code = f"from cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"
    assert loaded_after(code) & set(HEAVY) == set()


def test_a_command_loads_its_own_domain_only(tmp_path):
    # `training init` needs SQLAlchemy, but never the browser or the survey's statistics.
    db = tmp_path / "t.db"
    code = f"from cli import main\nmain(['training', 'init', '--db', {str(db)!r}])"
    loaded = loaded_after(code)
    assert db.exists()
    assert "sqlalchemy" in loaded
    assert loaded & {"playwright", "dask", "statsmodels", "tldextract", "httpx"} == set()


def test_a_command_line_builds_only_the_group_it_names():
    # `ddkit training …` never imports the audit group's modules (the crawler, asyncio) nor the
    # survey's; `ddkit --help` still lists every group.
    code = "from cli import main\ntry:\n    main(['training', '--help'])\nexcept SystemExit:\n    pass"
    modules = modules_after(code)
    assert "a11y_audit" not in modules
    assert "asyncio" not in modules
    assert "cli.training" in modules
    assert "cli.audit" not in modules and "cli.survey" not in modules


def test_root_help_lists_every_group():
    done = subprocess.run(
        [sys.executable, "-m", "cli", "--help"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0
    for name in ("audit", "survey", "training", "report", "demo", "doctor"):
        assert name in done.stdout

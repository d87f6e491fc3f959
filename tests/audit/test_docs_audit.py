"""The generated tables in the audit docs match the registry."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("doc", ["docs/reference/checks.md", "docs/explanation/kwcag-mapping.md"])
def test_generated_tables_are_current(doc):
    done = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", doc], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, f"{doc} is stale: run `cog -r {doc}`\n{done.stderr}"


def test_every_check_is_described():
    from a11y_audit.rules import load_registry

    text = (ROOT / "docs/reference/checks.md").read_text(encoding="utf-8")
    registry = load_registry()
    for check in (*registry.checks, *registry.wcag_only_checks):
        assert f"### `{check.id}`" in text, check.id

"""Documentation stays true: every command is documented with an example, the reference is current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from cli.reference import iter_commands

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = [name for name, _ in iter_commands()]


def test_cli_reference_is_up_to_date():
    done = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "docs/reference/cli.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, (
        "docs/reference/cli.md is stale: run `cog -r docs/reference/cli.md`\n" + done.stderr
    )


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_an_example_in_its_help(name):
    cmd = dict(iter_commands())[name]
    assert re.search(r"Examples?:", cmd.help or ""), f"{name} --help has no example"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_shown_in_a_how_to_or_the_readme(name):
    texts = [ROOT.joinpath("README.md").read_text(encoding="utf-8")]
    for folder in ("docs/how-to", "docs/tutorial"):
        texts += [p.read_text(encoding="utf-8") for p in ROOT.joinpath(folder).glob("*.md")]
    assert any(name in t for t in texts), f"no how-to page or README example shows `{name}`"


def test_changelog_has_an_unreleased_section():
    assert "## [Unreleased]" in ROOT.joinpath("CHANGELOG.md").read_text(encoding="utf-8")

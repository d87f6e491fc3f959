"""`ddkit demo` end to end: the audit finds every planted machine-detectable barrier, on its KWCAG item,
reports nothing unplanned, finds no violation on the fixed twins, and writes every report."""

from __future__ import annotations

import json

import pytest

from a11y_audit.samples import load_barriers
from cli import main

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_result(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "ddkit-demo"
    from cli.demo import run_demo

    return run_demo(folder, quiet=True)


def test_demo_audit_finds_every_planted_barrier_and_nothing_else(demo_result):
    audit = demo_result["audit"]
    detectable = [b for b in load_barriers() if b.machine_detectable]
    assert audit["barriers_machine_detectable"] == len(detectable) >= 25
    assert audit["barriers_missed"] == []
    assert audit["barriers_found"] == len(detectable)
    assert audit["unplanned_violations"] == 0
    assert audit["errors"] == 0
    assert len(audit["sample"]) == 10
    assert audit["sample_run"] != audit["run"]
    assert audit["estimate_lower"] <= audit["estimate_upper"]


def test_demo_fixed_twins_have_no_violation(demo_result):
    twins = demo_result["twins"]
    assert twins["pages"] >= 6
    assert twins["violations"] == 0


def test_demo_writes_every_report_and_an_index(demo_result, tmp_path):
    from pathlib import Path

    reports = [Path(p) for p in demo_result["reports"]]
    assert sorted(p.name for p in reports) == sorted(
        f"{kind}-report-{lang}.html" for kind in ("audit", "gap", "training") for lang in ("ko", "en")
    )
    for path in reports:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>") or text.lower().startswith("<!doctype html>")
        assert 'lang="ko"' in text or 'lang="en"' in text
    index = Path(demo_result["index"]).read_text(encoding="utf-8")
    for path in reports:
        assert path.name in index


def test_demo_serve_json_describes_the_site(capsys):
    # --serve without a terminal would block; the JSON summary of the site comes from the same facts
    from cli.demo import sample_site_facts

    facts = sample_site_facts()
    assert facts["pages"] >= 30 and facts["fixed_twins"] >= 5
    assert main(["demo", "--lang", "fr"]) == 2
    assert "--lang must be ko or en" in capsys.readouterr().err
    json.dumps(facts)

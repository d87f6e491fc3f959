"""The score / review / diff / export commands, their JSON and their exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from scoring_builders import finding, page

from cli import main

BASE = "http://127.0.0.1:8000"


@pytest.fixture
def db(tmp_path, add_run, store):
    add_run(
        [
            page(
                f"{BASE}/",
                [
                    finding("image-alt", "violation", "1.1.1", "#a", impact="critical"),
                    finding("html-has-lang", "pass", "3.1.1", "html"),
                ],
                **{"1_1_1": "fail", "3_1_1": "pass"},
            ),
            page(f"{BASE}/b", [finding("html-has-lang", "pass", "3.1.1", "html")], **{"3_1_1": "pass"}),
        ]
    )
    add_run(
        [
            page(f"{BASE}/", [finding("html-has-lang", "pass", "3.1.1", "html")], **{"3_1_1": "pass"}),
            page(f"{BASE}/b", [finding("html-has-lang", "pass", "3.1.1", "html")], **{"3_1_1": "pass"}),
        ]
    )
    return store.url


def test_score_json_and_min_score_exit_code(db, capsys):
    assert main(["audit", "score", "1", "--db", db, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["kind"] == "audit.score"
    est = doc["data"]["estimate"]
    # 1.1.1: 1 content on 2 pages -> max(2, 1) = 2 units, 1 compliant surplus -> 50; 3.1.1: 100
    assert est["mean_lower"] == pytest.approx(75.0)
    assert est["verdict_mean"] == "fail"
    assert [x["kwcag21_id"] for x in doc["data"]["legacy_kwcag21"]][:3] == ["1.1.1", "1.2.1", "1.3.1"]
    assert main(["audit", "score", "1", "--db", db, "--min-score", "80"]) == 1
    assert main(["audit", "score", "1", "--db", db, "--min-score", "70"]) == 0
    assert main(["audit", "score", "2", "--db", db, "--min-score", "95"]) == 0
    assert main(["audit", "score", "1", "--db", db, "--fail-on", "critical"]) == 1
    assert main(["audit", "score", "2", "--db", db, "--fail-on", "minor"]) == 0


def test_unknown_run_is_a_usage_error_with_a_hint(db, capsys):
    assert main(["audit", "score", "99", "--db", db]) == 2
    err = capsys.readouterr().err
    assert "There is no audit run 99" in err and "Hint:" in err


def test_review_needs_exactly_one_direction(db, capsys):
    assert main(["audit", "review", "1", "--db", db]) == 2
    assert "exactly one of --export FILE or --import FILE" in capsys.readouterr().err


def test_diff_json_counts_the_fixed_finding(db, capsys):
    assert main(["audit", "diff", "1", "2", "--db", db, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["data"]
    assert (data["findings"]["new"], data["findings"]["fixed"]) == (0, 1)
    assert data["score"]["change"]["lower"] == pytest.approx(25.0)


def test_export_csv_earl_and_json(db, tmp_path, capsys):
    assert main(["audit", "export", "1", "--db", db, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 3 and rows[0]["rule_id"] == "image-alt"
    out = tmp_path / "run.jsonld"
    assert main(["audit", "export", "1", "--db", db, "--format", "earl", "--out", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert len([n for n in doc["@graph"] if n.get("@type") == "earl:Assertion"]) > 66
    assert main(["audit", "export", "1", "--db", db, "--format", "json", "--fail-on", "serious"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["kind"] == "audit.run" and len(doc["data"]["pages"]) == 2

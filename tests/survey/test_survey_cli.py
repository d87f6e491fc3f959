"""`ddkit survey …` end to end: outputs, the JSON envelope, files, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from cli.output import SCHEMA_VERSION
from cli.reference import iter_commands

SURVEY_COMMANDS = [name for name, _ in iter_commands() if name.startswith("ddkit survey ")]


def test_the_survey_commands_exist_and_show_examples():
    assert sorted(SURVEY_COMMANDS) == [
        "ddkit survey codebook",
        "ddkit survey index",
        "ddkit survey published",
        "ddkit survey synth",
        "ddkit survey trend",
        "ddkit survey validate",
    ]
    helps = dict(iter_commands())
    for name in SURVEY_COMMANDS:
        assert "Example:" in helps[name].help


def test_index_json_envelope_and_tables(survey_file, ddkit):
    ran = ddkit("survey", "index", str(survey_file), "--year", "2024", "--domain", "sex", "--json")
    assert ran.code == 0, ran.err
    doc = ran.json()
    assert doc["schema_version"] == SCHEMA_VERSION and doc["kind"] == "survey.index"
    data = doc["data"]
    assert data["year"] == 2024
    assert len(data["levels"]) == 8 * 4  # average + 7 groups, 3 components + total
    row = next(r for r in data["levels"] if r["group"] == "elderly" and r["component"] == "total")
    assert set(row) >= {"estimate", "se", "ci_low", "ci_high", "cv", "n", "published", "difference"}
    assert row["published"] == 71.4 and row["n"] > 0 and row["se"] > 0
    assert {r["domain"] for r in data["domains"]} == {"sex"}
    assert data["meta"]["rule"]["id"] == "digital-2017"
    assert len(data["meta"]["input"]["sha256"]) == 64
    assert data["meta"]["design"]["variance_method"] == "jackknife"


def test_index_writes_csv_and_xlsx_tables(tmp_path, survey_file, ddkit):
    ran = ddkit(
        "survey",
        "index",
        str(survey_file),
        "--year",
        "2024",
        "--no-domains",
        "--variance",
        "taylor",
        "--out",
        str(tmp_path / "index.csv"),
    )
    assert ran.code == 0, ran.err
    assert "Digital Information Gap Index 2024" in ran.out
    levels = pd.read_csv(tmp_path / "index.csv")
    assert len(levels) == 32 and {"estimate", "se", "cv", "n", "published"} <= set(levels.columns)
    assert len(pd.read_csv(tmp_path / "index.scores.csv")) == 21
    assert (tmp_path / "index.meta.csv").exists() and (tmp_path / "index.domains.csv").exists()

    ran = ddkit(
        "survey",
        "index",
        str(survey_file),
        "--year",
        "2024",
        "--domain",
        "area",
        "--out",
        str(tmp_path / "index.xlsx"),
    )
    assert ran.code == 0, ran.err
    sheets = pd.read_excel(tmp_path / "index.xlsx", sheet_name=None)
    assert list(sheets) == ["levels", "scores", "domains", "meta"]
    assert set(sheets["domains"]["domain"]) == {"area"}


def test_synth_with_replicates_then_index_then_trend(tmp_path, ddkit):
    data24 = tmp_path / "s24.parquet"
    ran = ddkit(
        "survey",
        "synth",
        "--year",
        "2024",
        "--n",
        "1500",
        "--seed",
        "2",
        "--replicates",
        "20",
        "--out",
        str(data24),
    )
    assert ran.code == 0, ran.err
    codebook = tmp_path / "s24.codebook.yaml"
    assert codebook.exists()
    ran = ddkit(
        "survey",
        "index",
        str(data24),
        "--codebook",
        str(codebook),
        "--year",
        "2024",
        "--no-domains",
        "--out",
        str(tmp_path / "r24.json"),
    )
    assert ran.code == 0, ran.err
    r24 = json.loads((tmp_path / "r24.json").read_text())
    assert r24["data"]["meta"]["design"]["variance_method"] == "replicate"
    assert r24["data"]["meta"]["design"]["replicates"] == 20

    data23 = tmp_path / "s23.csv"
    assert (
        ddkit("survey", "synth", "--year", "2023", "--n", "1500", "--seed", "3", "--out", str(data23)).code
        == 0
    )
    assert (
        ddkit(
            "survey",
            "index",
            str(data23),
            "--year",
            "2023",
            "--no-domains",
            "--out",
            str(tmp_path / "r23.json"),
        ).code
        == 0
    )

    ran = ddkit("survey", "trend", str(tmp_path / "r23.json"), str(tmp_path / "r24.json"), "--json")
    assert ran.code == 0, ran.err
    changes = ran.json()["data"]["changes"]
    row = next(c for c in changes if c["group"] == "elderly" and c["component"] == "total")
    lv = {
        y: next(
            r
            for r in json.loads((tmp_path / f"r{y % 100}.json").read_text())["data"]["levels"]
            if r["group"] == "elderly" and r["component"] == "total"
        )
        for y in (2023, 2024)
    }
    assert row["change"] == pytest.approx(lv[2024]["estimate"] - lv[2023]["estimate"], abs=1e-12)
    assert row["se"] == pytest.approx((lv[2024]["se"] ** 2 + lv[2023]["se"] ** 2) ** 0.5, rel=1e-12)
    assert row["published_change"] == pytest.approx(0.7)

    ran = ddkit(
        "survey", "trend", str(tmp_path / "r23.json"), str(tmp_path / "r24.json"), "--group", "elderly"
    )
    assert ran.code == 0 and "2023→2024" in ran.out


def test_published_and_codebook_commands(tmp_path, ddkit):
    ran = ddkit("survey", "published", "--json")
    assert ran.code == 0
    check = ran.json()["data"]["recomputed_totals"]
    modern = [r for r in check if r["year"] >= 2017]
    assert len(modern) == 45 and all(r["within_rounding"] for r in modern)
    assert "45 of 45 totals" in ddkit("survey", "published").out

    assert ddkit("survey", "trend", "--published", "--group", "elderly").code == 0

    target = tmp_path / "cb.yaml"
    ran = ddkit("survey", "codebook", "--out", str(target))
    assert ran.code == 0 and target.exists()
    ran = ddkit("survey", "codebook", "--check", str(target), "--json")
    assert ran.json()["data"]["components"]["competency"]["items"][0] == "c01"
    assert ddkit("survey", "codebook", "--out", str(target)).code == 2  # never overwrites


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["survey", "index", "{file}", "--year", "2024", "--domain", "income"], 2, "Unknown domain 'income'"),
        (["survey", "index", "{file}", "--year", "1999"], 2, "No aggregation rule covers survey year 1999"),
        (["survey", "index", "{missing}", "--year", "2024"], 3, "does not exist"),
        (["survey", "index", "{file}", "--year", "2024", "--codebook", "{missing}"], 3, "Codebook"),
        (
            ["survey", "synth", "--year", "2010", "--out", "{tmp}/x.parquet"],
            2,
            "No published component levels",
        ),
        (["survey", "synth", "--out", "{tmp}/x.json"], 3, "unknown file type"),
        (["survey", "trend"], 2, "Give index result files"),
    ],
)
def test_user_errors_are_messages_with_exit_codes(tmp_path, survey_file, ddkit, args, code, message):
    args = [a.format(file=survey_file, missing=tmp_path / "missing.csv", tmp=tmp_path) for a in args]
    ran = ddkit(*args)
    assert ran.code == code, ran.err
    assert message in ran.err
    assert "Traceback" not in ran.err


def test_the_domain_package_never_imports_the_cli_libraries():
    code = (
        "import sys, gap_survey.index, gap_survey.synth, gap_survey.trend, gap_survey.export; "
        "bad = [m for m in ('typer', 'rich', 'jinja2', 'click') if m in sys.modules]; print(bad)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[]", done.stderr

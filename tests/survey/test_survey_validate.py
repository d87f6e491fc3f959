"""Validation reports every problem in one pass, with row and column; the CLI exits 3."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gap_survey.index import compute_index
from gap_survey.validate import ValidationFailed, validate_frame


@pytest.fixture(scope="module")
def clean(survey_2024):
    return survey_2024.frame.copy()


def broken(frame: pd.DataFrame) -> pd.DataFrame:
    """The clean frame with one planted problem of each kind (0-based positions)."""
    bad = frame.copy()
    bad["c03"] = bad["c03"].astype("float64")
    bad.loc[4, "c03"] = 7  # unknown code -> row 5
    bad["a01"] = bad["a01"].astype("float64")
    bad.loc[8, "a01"] = np.nan  # blank answer -> row 9
    bad.loc[11, "wt"] = 0.0  # weight not positive -> row 12
    bad.loc[19, "resp_id"] = bad.loc[2, "resp_id"]  # duplicate of row 3 -> row 20
    bad.loc[29, "sample_type"] = 9  # group code out of range -> row 30
    bad.loc[30, "age"] = 150  # outside 7-110 -> row 31
    bad.loc[40, "region"] = 99  # undeclared province code -> row 41
    return bad.drop(columns=["u20"])  # missing column


def test_every_planted_problem_is_found_with_row_and_column(clean, codebook):
    assert validate_frame(clean, codebook).ok
    report = validate_frame(broken(clean), codebook, file="bad.csv")
    found = {(p.kind, p.column, p.row) for p in report.problems}
    assert found == {
        ("missing_column", "u20", None),
        ("unknown_code", "c03", 5),
        ("blank_value", "a01", 9),
        ("weight_not_positive", "wt", 12),
        ("duplicate_id", "resp_id", 20),
        ("code_out_of_range", "sample_type", 30),
        ("value_out_of_range", "age", 31),
        ("code_out_of_range", "region", 41),
    }
    assert report.total == 8
    messages = {p.kind: p.message for p in report.problems}
    assert messages["unknown_code"] == "row 5, column c03: unknown code 7 (scored: 1, 2, 3, 4; missing: 9)"
    assert messages["duplicate_id"].endswith(f"id {clean.loc[2, 'resp_id']} already used in row 3")
    assert messages["weight_not_positive"] == "row 12, column wt: weight 0 is not above 0"


def test_counts_stay_exact_when_the_list_is_capped(clean, codebook):
    bad = clean.copy()
    bad["wt"] = -1.0
    report = validate_frame(bad, codebook, max_listed=10)
    assert report.counts == {"weight_not_positive": 3000}
    assert len(report.problems) == 10
    assert report.not_listed == 2990


def test_text_in_a_numeric_column_is_reported(clean, codebook):
    bad = clean.copy()
    bad["wt"] = bad["wt"].astype(object)
    bad.loc[6, "wt"] = "n/a"
    report = validate_frame(bad, codebook)
    assert [(p.kind, p.row, p.value) for p in report.problems] == [("not_numeric", 7, "n/a")]


def test_a_stratum_with_one_psu_is_a_problem_unless_declared_certainty(clean, codebook):
    bad = clean.copy()
    first = bad.index[bad["stratum"] == bad["stratum"].iloc[0]]
    bad.loc[first, "psu"] = bad.loc[first[0], "psu"]  # the whole stratum becomes one PSU
    report = validate_frame(bad, codebook)
    assert [(p.kind, p.row) for p in report.problems] == [("lonely_psu", 1)]


def test_index_refuses_a_frame_with_problems(clean, codebook):
    with pytest.raises(ValidationFailed, match="8 problem") as info:
        compute_index(broken(clean), codebook, 2024, domains=[])
    assert info.value.report.counts["unknown_code"] == 1
    assert info.value.exit_code == 3


def test_cli_validate_exit_codes_and_json(tmp_path, clean, ddkit):
    good = tmp_path / "good.csv"
    clean.to_csv(good, index=False)
    ran = ddkit("survey", "validate", str(good))
    assert ran.code == 0
    assert "no problems" in ran.out

    bad = tmp_path / "bad.csv"
    broken(clean).to_csv(bad, index=False)
    ran = ddkit("survey", "validate", str(bad), "--json", "--out", str(tmp_path / "problems.csv"))
    assert ran.code == 3
    doc = ran.json()
    assert doc["kind"] == "survey.validate"
    assert doc["data"]["problem_count"] == 8
    assert {"kind": "unknown_code", "column": "c03", "row": 5} in [
        {k: p[k] for k in ("kind", "column", "row")} for p in doc["data"]["problems"]
    ]
    listed = pd.read_csv(tmp_path / "problems.csv")
    assert len(listed) == 8
    assert (tmp_path / "problems.counts.csv").exists()


def test_cli_index_stops_on_invalid_data_with_exit_3(tmp_path, clean, ddkit):
    bad = tmp_path / "bad.csv"
    broken(clean).to_csv(bad, index=False)
    ran = ddkit("survey", "index", str(bad), "--year", "2024", "--no-domains")
    assert ran.code == 3
    assert "Error:" in ran.err and "8 problem(s)" in ran.err
    assert "Traceback" not in ran.err


def test_negative_or_missing_replicate_weights_are_reported(codebook):
    from gap_survey.codebook import codebook_with_replicates, parse_codebook
    from gap_survey.synth import synthesize

    frame = synthesize(2024, 600, seed=2, replicates=4).frame
    cb = parse_codebook(codebook_with_replicates(codebook, prefix="rw_", rtype="bootstrap"))
    assert validate_frame(frame, cb).ok
    frame.loc[3, "rw_2"] = -0.5
    frame.loc[7, "rw_4"] = np.nan
    report = validate_frame(frame, cb)
    assert {(p.kind, p.column, p.row) for p in report.problems} == {
        ("replicate_weight_negative", "rw_2", 4),
        ("blank_value", "rw_4", 8),
    }
    missing = validate_frame(frame.drop(columns=["rw_1", "rw_2", "rw_3", "rw_4"]), cb)
    assert [(p.kind, p.column) for p in missing.problems] == [("missing_column", "rw_*")]

"""Every supported file format reads back to the same data and the same index."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gap_survey.errors import SurveyError
from gap_survey.index import compute_index_from_file
from gap_survey.readers import file_columns, read_survey, write_survey
from gap_survey.synth import synthesize, value_labels


@pytest.fixture(scope="module")
def frame():
    return synthesize(2024, 500, seed=11).frame


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".sav", ".dta", ".parquet"])
def test_each_format_round_trips_and_gives_the_same_index(tmp_path, frame, codebook, suffix):
    values, labels = value_labels(codebook)
    path = write_survey(frame, tmp_path / f"survey{suffix}", value_labels=values, column_labels=labels)
    assert file_columns(path) == list(frame.columns)
    back = read_survey(path, ["resp_id", "wt", "c03", "sample_type"])
    assert list(back.columns) == ["resp_id", "wt", "c03", "sample_type"]
    np.testing.assert_allclose(back["wt"].to_numpy(dtype=float), frame["wt"].to_numpy(), rtol=0, atol=1e-9)
    assert (back["c03"].to_numpy() == frame["c03"].to_numpy()).all()
    result = compute_index_from_file(path, codebook, 2024, domains=[], variance="taylor")
    assert len(result.meta["input"]["sha256"]) == 64
    assert result.meta["input"]["format"] == suffix[1:]
    _same_index(result.levels, frame, codebook)


def _same_index(levels: pd.DataFrame, frame: pd.DataFrame, codebook) -> None:
    from gap_survey.index import compute_index

    expected = compute_index(frame, codebook, 2024, domains=[], variance="taylor").levels
    np.testing.assert_allclose(levels["estimate"], expected["estimate"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(levels["se"], expected["se"], rtol=1e-9, atol=1e-12)


def test_unknown_extension_and_missing_file_are_clear_errors(tmp_path):
    with pytest.raises(SurveyError, match=r"unknown file type '\.json'") as info:
        read_survey(tmp_path / "survey.json")
    assert ".parquet" in info.value.hint
    with pytest.raises(SurveyError, match="does not exist"):
        read_survey(tmp_path / "missing.csv")


def test_a_damaged_file_names_the_file_and_format(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"not parquet at all")
    with pytest.raises(SurveyError, match=r"Cannot read .*broken\.parquet as PARQUET"):
        read_survey(path)


def test_spss_file_keeps_value_labels(tmp_path, frame, codebook):
    import pyreadstat

    values, labels = value_labels(codebook)
    path = write_survey(frame.head(50), tmp_path / "s.sav", value_labels=values, column_labels=labels)
    _, meta = pyreadstat.read_sav(str(path), metadataonly=True)
    assert meta.variable_value_labels["sample_type"][2] == "Persons with disabilities"
    assert meta.column_names_to_labels["c01"] == "PC: install and remove software"

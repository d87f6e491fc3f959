"""Fixtures of the survey tests: small synthetic surveys (known truth) and a CLI runner."""

from __future__ import annotations

import json
import warnings

import pytest

from cli import main

warnings.filterwarnings("ignore", message="samplics is archived")


@pytest.fixture(scope="session")
def survey_2024():
    """3,000 synthetic respondents of 2024 (default codebook, strata, PSUs, weights)."""
    from gap_survey.synth import synthesize

    return synthesize(2024, 3000, seed=7)


@pytest.fixture(scope="session")
def codebook():
    from gap_survey.codebook import load_codebook

    return load_codebook()


@pytest.fixture(scope="session")
def survey_file(tmp_path_factory, survey_2024):
    path = tmp_path_factory.mktemp("survey") / "survey-2024.parquet"
    survey_2024.frame.to_parquet(path, index=False)
    return path


class Ran:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> dict:
        return json.loads(self.out)


@pytest.fixture
def ddkit(capsys):
    """Run ``ddkit …`` in-process through the real entry point (error boundary included)."""

    def run(*args: str) -> Ran:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run

"""Synthetic data land near the published figures; trends test year-over-year changes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from gap_survey.errors import SurveyUsageError
from gap_survey.index import compute_index
from gap_survey.synth import synthesize
from gap_survey.trend import compute_trend


@pytest.fixture(scope="module")
def synth_15000():
    return synthesize(2024, 15000, seed=1)


def test_synthetic_2024_levels_land_near_the_published_figures(synth_15000, codebook):
    result = compute_index(synth_15000.frame, codebook, 2024, domains=[], variance="taylor")
    levels = result.levels.dropna(subset=["published"])
    assert len(levels) == 20  # 4 groups + the average, 4 components each
    z = (levels["estimate"] - levels["published"]) / levels["se"]
    assert (z.abs() < 3.5).all(), levels.assign(z=z)
    assert (levels["difference"].abs() < 1.5).all()
    n = result.meta["respondents_per_group"]
    assert n == {
        "general": 7000,
        "disabled": 2200,
        "low_income": 2200,
        "farmers_fishers": 2200,
        "elderly": 2300,
        "marriage_migrants": 700,
        "nk_defectors": 700,
    }


def test_synthetic_truth_is_the_published_levels(synth_15000):
    truth = synth_15000.truth.set_index(["group", "component"])
    assert truth.loc[("elderly", "competency"), "level"] == 55.9
    assert truth.loc[("elderly", "total"), "level"] == pytest.approx(0.2 * 95.3 + 0.4 * 55.9 + 0.4 * 75.0)
    assert truth.loc[("vulnerable_avg", "total"), "level"] == pytest.approx(77.5, abs=0.1)


def test_synthetic_data_are_reproducible_and_follow_the_design(codebook):
    a = synthesize(2023, 2000, seed=4).frame
    b = synthesize(2023, 2000, seed=4).frame
    c = synthesize(2023, 2000, seed=5).frame
    pd.testing.assert_frame_equal(a, b)
    assert not a["c01"].equals(c["c01"])
    assert (a["wt"] > 0).all()
    assert a["resp_id"].is_unique
    assert a.groupby("stratum")["psu"].nunique().min() >= 2
    assert a.groupby("psu")["region"].nunique().max() == 1  # a PSU lies in one province


def test_synth_refuses_years_without_published_components():
    with pytest.raises(SurveyUsageError, match="No published component levels for 2010"):
        synthesize(2010, 1000)
    with pytest.raises(SurveyUsageError, match="too small"):
        synthesize(2024, 100)


def _levels(year, rows):
    return pd.DataFrame(
        [{"year": year, "group": g, "component": c, "estimate": e, "se": s} for g, c, e, s in rows]
    )


def test_year_over_year_change_se_and_test():
    result = compute_trend(
        [
            _levels(2023, [("elderly", "total", 70.0, 0.3)]),
            _levels(2024, [("elderly", "total", 71.0, 0.4)]),
        ]
    )
    row = result.changes.iloc[0]
    assert row["change"] == pytest.approx(1.0)
    assert row["se"] == pytest.approx(0.5)  # sqrt(0.3^2 + 0.4^2)
    assert row["z"] == pytest.approx(2.0)
    assert row["p_value"] == pytest.approx(math.erfc(2.0 / math.sqrt(2)))  # 0.0455
    assert bool(row["significant"]) is True
    assert row["published_change"] == pytest.approx(71.4 - 70.7)
    assert row["ci_low"] == pytest.approx(1.0 - 1.959963984540054 * 0.5)


def test_linear_trend_is_a_weighted_least_squares_slope():
    result = compute_trend(
        [
            _levels(2022, [("disabled", "total", 82.0, 0.5)]),
            _levels(2023, [("disabled", "total", 83.0, 1.0)]),
            _levels(2024, [("disabled", "total", 83.5, 0.5)]),
        ]
    )
    slope = result.slopes.iloc[0]
    w = np.array([4.0, 1.0, 4.0])
    x = np.array([2022.0, 2023.0, 2024.0])
    y = np.array([82.0, 83.0, 83.5])
    xm, ym = (w * x).sum() / w.sum(), (w * y).sum() / w.sum()
    sxx = (w * (x - xm) ** 2).sum()
    assert slope["slope_per_year"] == pytest.approx((w * (x - xm) * (y - ym)).sum() / sxx)  # 0.75
    assert slope["se"] == pytest.approx(1 / math.sqrt(sxx))
    assert slope["years"] == 3


def test_the_same_year_twice_is_refused():
    with pytest.raises(SurveyUsageError, match="2024 appear in more than one result"):
        compute_trend([_levels(2024, [("elderly", "total", 70.0, 0.3)])] * 2)

"""Forecasts: baselines with their textbook intervals, ETS with a damped trend, breaks respected,
series from the database (empty months filled) and from CSV."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.training.conftest import write
from training_tracker.errors import TrainingError
from training_tracker.forecast import forecast_series, parse_break, read_series_csv

Z80, Z95 = 1.2815515655446004, 1.959963984540054


def _months(n: int, start: int = 2022) -> list[str]:
    return [f"{start + i // 12}-{i % 12 + 1:02d}" for i in range(n)]


def test_a_straight_line_is_continued_exactly_by_drift():
    series = list(zip(_months(8), [100.0 + 5 * t for t in range(8)], strict=True))
    result = forecast_series(series, horizon=3, seasonal="none")
    assert result.method == "drift"
    assert [r["period"] for r in result.forecast] == ["2022-09", "2022-10", "2022-11"]
    assert [r["mean"] for r in result.forecast] == [140.0, 145.0, 150.0]
    assert [row["mae"] for row in result.backtest if row["method"] == "drift"] == [0.0]
    assert "ETS not fitted: 8 point(s)" in result.notes[0]


def test_naive_and_drift_intervals_by_hand():
    # y = 10, 12, 11, 13: naive sigma = sqrt((4 + 1 + 4) / 3) = sqrt(3); drift slope 1, residuals
    # 1, -2, 1 -> sigma = sqrt(6 / 2) = sqrt(3); drift h-step se = sigma * sqrt(h (1 + h / 3)).
    series = [("2020", 10.0), ("2021", 12.0), ("2022", 11.0), ("2023", 13.0)]
    result = forecast_series(series, frequency="year", horizon=2)
    naive, drift = result.forecasts_by_method["naive"], result.forecasts_by_method["drift"]
    s = math.sqrt(3)
    assert naive[1]["mean"] == 13.0 and naive[1]["lower_80"] == round(13 - Z80 * s * math.sqrt(2), 2)
    assert naive[0]["upper_95"] == round(13 + Z95 * s, 2)
    assert [d["mean"] for d in drift] == [14.0, 15.0]
    assert drift[1]["upper_80"] == round(15 + Z80 * s * math.sqrt(2 * (1 + 2 / 3)), 2)
    assert [d["period"] for d in drift] == ["2024", "2025"]


def test_ets_damped_trend_with_intervals():
    rng = np.random.default_rng(7)
    values = 200 + np.cumsum(rng.normal(3, 4, 20))
    result = forecast_series(list(zip(_months(20), values.tolist(), strict=True)), horizon=4, seasonal="none")
    assert [row["method"] for row in result.backtest] == ["ets_damped", "naive", "drift"]
    ets = result.forecasts_by_method["ets_damped"]
    assert 0 < result.model["phi"] <= 1 and result.model["seasonal"] is False
    for row in ets:
        assert row["lower_95"] <= row["lower_80"] <= row["mean"] <= row["upper_80"] <= row["upper_95"]
    assert ets[3]["upper_95"] - ets[3]["lower_95"] > ets[0]["upper_95"] - ets[0]["lower_95"]
    best = min((r for r in result.backtest if r["mae"] is not None), key=lambda r: r["mae"])
    assert result.method == best["method"] and result.backtest_horizon == 3


def test_a_marked_break_drops_the_old_regime():
    # 12 months around 100, then a budget cut: 8 months around 40.
    values = [100.0, 104, 98, 101, 99, 103, 97, 100, 102, 98, 101, 99, 40, 41, 39, 40, 42, 38, 40, 41]
    series = list(zip(_months(20), values, strict=True))
    with_break = forecast_series(series, horizon=2, breaks=[parse_break("2023-01:budget_cut")])
    assert with_break.fitted_from == "2023-01"
    assert "12 earlier point(s) describe another regime" in with_break.notes[0]
    assert all(35 < r["mean"] < 46 for r in with_break.forecast)
    naive = with_break.forecasts_by_method["naive"][0]
    # The old level's swings no longer widen the interval: sigma from the last 8 months only.
    assert naive["upper_95"] - naive["lower_95"] < 20
    with pytest.raises(TrainingError, match="only 2 point"):
        forecast_series(series, horizon=2, breaks=[parse_break("2023-07:launch")])


def test_series_from_csv_and_its_errors(tmp_path):
    path = write(tmp_path / "y.csv", "year,trainees\n2020,428000\n2021,656000\n2022,793000\n2023,996493\n")
    points, frequency = read_series_csv(path)
    assert frequency == "year" and points[0] == ("2020", 428000.0)
    write(path, "period,value\n2024-01,5\n2024-03,6\n")
    with pytest.raises(TrainingError, match="gap between 2024-01 and 2024-03"):
        read_series_csv(path)
    write(path, "period,value\n2024-01,five\n")
    with pytest.raises(TrainingError, match="line 2: value 'five' is not a number"):
        read_series_csv(path)


def test_monthly_series_from_the_database_fills_empty_months(cli, tmp_path):
    write(
        tmp_path / "c.csv",
        "run_code,programme,course_name,mode,start_date,end_date,planned_hours,planned_sessions,sido_code\n"
        "R1,p,c,classroom,2025-01-01,2025-06-30,10,5,11\n",
    )
    rows = ["learner_id,birth_year,sex,sido_code,groups,run_code,enrolled_on"]
    rows += [f"J{i},1950,F,11,elderly,R1,2025-01-1{i}" for i in range(3)]
    rows += [f"M{i},1950,F,11,elderly,R1,2025-03-0{i + 1}" for i in range(2)]
    write(tmp_path / "e.csv", "\n".join(rows) + "\n")
    assert cli("import", str(tmp_path / "c.csv"), "--kind", "courses")[0] == 0
    assert cli("import", str(tmp_path / "e.csv"), "--kind", "enrolments")[0] == 0
    document = cli.json("forecast", "--horizon", "1")
    assert document["data"]["series"] == [
        {"period": "2025-01", "value": 3.0},
        {"period": "2025-02", "value": 0.0},
        {"period": "2025-03", "value": 2.0},
    ]
    assert document["data"]["forecast"][0]["period"] == "2025-04"

"""Demand forecasts: exponential smoothing with a damped trend (statsmodels ``ETSModel``) against
the naive and drift baselines, chosen on a rolling-origin backtest, with prediction intervals.

Structural breaks (a programme launch, a budget cut, a change of definition) are respected by
fitting only the data from the most recent break on: what came before describes another regime.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from training_tracker import models as m
from training_tracker.errors import TrainingError, TrainingUsageError

MEASURES = ("enrolments", "learners", "completions")
METHODS = ("ets_damped", "naive", "drift")
_Z = {80: 1.2815515655446004, 95: 1.959963984540054}
#: Below this many points (after the last break) the ETS model is not fitted.
MIN_ETS_POINTS = 10
MIN_SEASONAL_POINTS = 36


@dataclass
class ForecastResult:
    measure: str
    frequency: str  # "month" or "year"
    source: str
    series: list[dict]
    breaks: list[dict]
    fitted_from: str
    method: str
    backtest: list[dict]
    backtest_horizon: int
    forecast: list[dict]
    forecasts_by_method: dict[str, list[dict]] = field(default_factory=dict)
    model: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# -- series ---------------------------------------------------------------------------------------
def _month_index(period: str) -> int:
    year, month = int(period[:4]), int(period[5:7])
    return year * 12 + month - 1


def _month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def monthly_series(
    engine: Engine,
    measure: str = "enrolments",
    *,
    programme: str | None = None,
    group: str | None = None,
    region: str | None = None,
    until: str | None = None,
) -> list[tuple[str, float]]:
    """Monthly totals from the tracker, months without any record filled with 0."""
    if measure not in MEASURES:
        raise TrainingUsageError(f"--measure must be one of {', '.join(MEASURES)}")
    e, r, lrn = m.Enrolment, m.CourseRun, m.Learner
    date_column = e.completed_on if measure == "completions" else e.enrolled_on
    month = m.year_month(date_column)
    value = sa.func.count(sa.distinct(e.learner_id)) if measure == "learners" else sa.func.count()
    query = (
        sa.select(month.label("month"), value)
        .join(r, r.id == e.run_id)
        .join(lrn, lrn.id == e.learner_id)
        .where(date_column.is_not(None))
        .group_by(month)
        .order_by(month)
    )
    if measure == "completions":
        query = query.where(e.status == "completed")
    if programme is not None:
        query = query.where(r.programme == programme)
    if group is not None:
        if group not in m.GROUPS:
            raise TrainingUsageError(f"--group {group!r} is not one of {', '.join(m.GROUPS)}")
        query = query.where(lrn.groups.op("&")(m.group_bit(group)) != 0)
    if region is not None:
        query = query.where((lrn.sido_code if len(region) == 2 else lrn.sigungu_code) == region)
    with engine.connect() as conn:
        rows = [(str(mo), int(n)) for mo, n in conn.execute(query)]
    if not rows:
        return []
    values = {_month_index(mo): n for mo, n in rows}
    last = max(values)
    if until is not None:
        last = min(last, _month_index(until))
    return [(_month_label(i), float(values.get(i, 0))) for i in range(min(values), last + 1)]


def read_series_csv(path: Path) -> tuple[list[tuple[str, float]], str]:
    """A series from a CSV with a period column (``YYYY`` or ``YYYY-MM``; named period, month,
    year or date) and a value column (value, count, trainees or enrolments)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise TrainingError(f"cannot read series {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise TrainingError(f"series {path} is not UTF-8", hint="Save it as CSV UTF-8.") from exc
    if not rows:
        raise TrainingError(f"series {path} has no rows")
    columns = list(rows[0])
    period_col = next((c for c in ("period", "month", "year", "date") if c in columns), None)
    value_col = next((c for c in ("value", "count", "trainees", "enrolments") if c in columns), None)
    if period_col is None or value_col is None:
        raise TrainingError(
            f"series {path} needs a period column and a value column",
            hint=f"Name them period and value; its columns are {', '.join(columns)}.",
        )
    points: list[tuple[str, float]] = []
    frequency = None
    for line, row in enumerate(rows, start=2):
        period = row[period_col].strip()
        if re.fullmatch(r"\d{4}", period):
            kind = "year"
        elif re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?", period):
            kind = "month"
            year, month = period.split("-")[:2]
            if not 1 <= int(month) <= 12:
                raise TrainingError(f"{path}, line {line}: {period!r} has no month 1-12")
            period = f"{int(year):04d}-{int(month):02d}"
        else:
            raise TrainingError(f"{path}, line {line}: period {period!r} is not YYYY or YYYY-MM")
        if frequency is None:
            frequency = kind
        elif kind != frequency:
            raise TrainingError(f"{path}, line {line}: mixes yearly and monthly periods")
        try:
            value = float(row[value_col].replace(",", ""))
        except ValueError:
            raise TrainingError(
                f"{path}, line {line}: {value_col} {row[value_col]!r} is not a number"
            ) from None
        if not math.isfinite(value):
            raise TrainingError(f"{path}, line {line}: {value_col} is not a finite number")
        points.append((period, value))
    points.sort()
    keys = [p for p, _ in points]
    if len(set(keys)) != len(keys):
        raise TrainingError(f"series {path} repeats a period")
    step = (lambda p: int(p)) if frequency == "year" else _month_index
    for (a, _), (b, _) in zip(points, points[1:], strict=False):
        if step(b) - step(a) != 1:
            raise TrainingError(
                f"series {path} has a gap between {a} and {b}",
                hint="Give every period, with 0 where nothing happened.",
            )
    return points, frequency or "month"


# -- models ----------------------------------------------------------------------------------------
def _naive(y: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Point forecasts and the standard error of each step."""
    steps = np.arange(1, horizon + 1)
    residuals = np.diff(y)
    sigma = float(np.sqrt(np.mean(residuals**2))) if len(residuals) else 0.0
    return np.full(horizon, y[-1], dtype=float), sigma * np.sqrt(steps)


def _drift(y: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    steps = np.arange(1, horizon + 1)
    n = len(y)
    slope = (y[-1] - y[0]) / (n - 1) if n > 1 else 0.0
    residuals = np.diff(y) - slope
    sigma = float(np.sqrt(np.sum(residuals**2) / max(len(residuals) - 1, 1))) if len(residuals) else 0.0
    return y[-1] + slope * steps, sigma * np.sqrt(steps * (1 + steps / max(n - 1, 1)))


def _ets(y: np.ndarray, horizon: int, seasonal: bool, levels=(80, 95)):
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter; a failed fit raises below
        model = ETSModel(
            pd.Series(y),  # statsmodels 0.15's get_prediction needs an indexed series
            error="add",
            trend="add",
            damped_trend=True,
            seasonal="add" if seasonal else None,
            seasonal_periods=12 if seasonal else None,
        )
        fit = model.fit(disp=False)
        prediction = fit.get_prediction(start=len(y), end=len(y) + horizon - 1)
        frames = {level: prediction.summary_frame(alpha=1 - level / 100) for level in levels}
    mean = np.asarray(frames[levels[0]]["mean"], dtype=float)
    if not np.all(np.isfinite(mean)):
        raise ValueError("non-finite forecast")
    bounds = {
        level: (np.asarray(f["pi_lower"], dtype=float), np.asarray(f["pi_upper"], dtype=float))
        for level, f in frames.items()
    }
    params = {
        "alpha": float(fit.smoothing_level),
        "beta": float(fit.smoothing_trend),
        "phi": float(fit.damping_trend),
        "aicc": float(fit.aicc) if np.isfinite(fit.aicc) else None,
        "seasonal": seasonal,
    }
    return mean, bounds, params


def _forecast(method: str, y: np.ndarray, horizon: int, seasonal: bool):
    if method == "ets_damped":
        mean, bounds, params = _ets(y, horizon, seasonal)
        return mean, bounds, params
    mean, se = (_naive if method == "naive" else _drift)(y, horizon)
    bounds = {level: (mean - z * se, mean + z * se) for level, z in _Z.items()}
    return mean, bounds, {}


def _backtest(
    y: np.ndarray, methods: list[str], horizon: int, min_train: int, seasonal: bool, max_origins: int = 8
):
    """Rolling origin: fit on y[:k] and forecast ``horizon`` steps, for origins ``horizon`` apart
    going back from the end (at most ``max_origins``, so the ETS refits stay affordable)."""
    first = max(min_train, 2)
    origins = sorted(range(len(y) - horizon, first - 1, -horizon))[-max_origins:]
    if not origins:  # a series barely longer than the training minimum: one-step origins
        origins = list(range(first, len(y)))[-max_origins:]
    errors: dict[str, list[float]] = {method: [] for method in methods}
    failed: dict[str, int] = {method: 0 for method in methods}
    for k in origins:
        steps = min(horizon, len(y) - k)
        actual = y[k : k + steps]
        for method in methods:
            try:
                mean, _bounds, _params = _forecast(method, y[:k], steps, seasonal)
            except Exception:  # noqa: BLE001 - a fit that fails on a short window is counted, not fatal
                failed[method] += 1
                continue
            errors[method].extend((mean - actual).tolist())
    table = []
    for method in methods:
        e = np.asarray(errors[method])
        table.append(
            {
                "method": method,
                "mae": round(float(np.mean(np.abs(e))), 3) if len(e) else None,
                "rmse": round(float(np.sqrt(np.mean(e**2))), 3) if len(e) else None,
                "errors": len(e),
                "origins": len(origins),
                "failed_fits": failed[method],
            }
        )
    return table


def _period_labels(last: str, frequency: str, horizon: int) -> list[str]:
    if frequency == "year":
        return [str(int(last) + h) for h in range(1, horizon + 1)]
    start = _month_index(last)
    return [_month_label(start + h) for h in range(1, horizon + 1)]


def forecast_series(
    series: list[tuple[str, float]],
    *,
    frequency: str = "month",
    horizon: int = 12,
    breaks: list[dict] | None = None,
    seasonal: str = "auto",
    measure: str = "enrolments",
    source: str = "database",
    progress: Callable[[str], None] | None = None,
) -> ForecastResult:
    """Fit ETS (damped trend), naive and drift on the data after the last break, backtest them,
    and forecast ``horizon`` periods with 80% and 95% intervals from the best one."""
    if horizon < 1 or horizon > 120:
        raise TrainingUsageError("--horizon must be between 1 and 120")
    if seasonal not in ("auto", "add", "none"):
        raise TrainingUsageError("--seasonal must be auto, add or none")
    if not series:
        raise TrainingError(
            "no data to forecast",
            hint="Import enrolments first, or give --series FILE with a period,value CSV.",
        )
    say = progress or (lambda _msg: None)
    breaks = sorted(breaks or [], key=lambda b: b["period"])
    periods = [p for p, _ in series]
    notes: list[str] = []
    start = 0
    applied = []
    for brk in breaks:
        if frequency == "month":
            period = brk["period"] if len(brk["period"]) == 7 else f"{brk['period']}-01"
        else:
            period = brk["period"][:4]
        if period in periods and periods.index(period) > 0:
            start = periods.index(period)
            applied.append(brk)
        elif periods and period > periods[-1]:
            notes.append(
                f"break {brk['period']} ({brk['kind']}) is after the last data point and has no effect"
            )
    if applied:
        last_break = applied[-1]
        notes.append(
            f"only data from {periods[start]} on are used: a {last_break['kind']} break is marked at "
            f"{last_break['period']}; {start} earlier point(s) describe another regime"
        )
    y = np.array([v for _, v in series[start:]], dtype=float)
    if len(y) < 3:
        raise TrainingError(
            f"only {len(y)} point(s) after the last break ({periods[start]}): too few to forecast",
            hint="Wait for more data after the break, or remove the break if the regime did not change.",
        )
    use_seasonal = frequency == "month" and (
        seasonal == "add" or (seasonal == "auto" and len(y) >= MIN_SEASONAL_POINTS)
    )
    if seasonal == "add" and frequency != "month":
        raise TrainingUsageError("--seasonal add needs a monthly series")
    min_ets = MIN_SEASONAL_POINTS if use_seasonal else MIN_ETS_POINTS
    methods = ["naive", "drift"]
    if len(y) >= min_ets:
        methods.insert(0, "ets_damped")
    else:
        notes.append(
            f"ETS not fitted: {len(y)} point(s){' after the last break' if applied else ''}, it needs {min_ets}; "
            "the choice is between the naive and drift baselines"
        )
    backtest_horizon = min(horizon, 3 if frequency == "month" else 1)
    min_train = min_ets if "ets_damped" in methods else 2
    min_train = min(min_train, len(y) - 1)
    say("backtest")
    table = _backtest(y, methods, backtest_horizon, min_train, use_seasonal)
    scored = [row for row in table if row["mae"] is not None]
    if not scored:
        raise TrainingError(
            "the backtest produced no forecasts", hint="The series is too short after the last break."
        )
    best = min(scored, key=lambda row: (row["mae"], METHODS.index(row["method"])))["method"]
    labels = _period_labels(periods[-1], frequency, horizon)
    say("forecast")
    by_method: dict[str, list[dict]] = {}
    model_info: dict = {}
    clipped = False
    for method in methods:
        try:
            mean, bounds, params = _forecast(method, y, horizon, use_seasonal)
        except Exception as exc:  # noqa: BLE001 - report and fall back to the baselines
            notes.append(f"{method} could not be fitted on the full series ({type(exc).__name__}); left out")
            if best == method:
                best = min((r for r in scored if r["method"] != method), key=lambda r: r["mae"])["method"]
            continue
        if method == "ets_damped":
            model_info = params
        rows = []
        for i, label in enumerate(labels):
            row = {"period": label, "mean": round(float(mean[i]), 2)}
            for level, (low, high) in bounds.items():
                lower = float(low[i])
                if lower < 0:
                    lower, clipped = 0.0, True
                row[f"lower_{level}"] = round(lower, 2)
                row[f"upper_{level}"] = round(float(high[i]), 2)
            rows.append(row)
        by_method[method] = rows
    if clipped:
        notes.append("lower interval bounds below 0 were set to 0 (counts cannot be negative)")
    return ForecastResult(
        measure=measure,
        frequency=frequency,
        source=source,
        series=[{"period": p, "value": v} for p, v in series],
        breaks=breaks,
        fitted_from=periods[start],
        method=best,
        backtest=table,
        backtest_horizon=backtest_horizon,
        forecast=by_method[best],
        forecasts_by_method=by_method,
        model=model_info,
        notes=notes,
    )


def breaks_from_db(engine: Engine, programme: str | None = None) -> list[dict]:
    """Breaks marked with ``ddkit training break add`` (for the programme, and for all)."""
    b = m.StructuralBreak
    query = sa.select(b.month, b.kind, b.programme, b.note).order_by(b.month)
    if programme is not None:
        query = query.where(b.programme.in_((programme, m.ALL)))
    with engine.connect() as conn:
        return [
            {
                "period": row.month,
                "kind": row.kind,
                "programme": row.programme,
                "note": row.note,
                "source": "database",
            }
            for row in conn.execute(query)
        ]


def parse_break(text: str) -> dict:
    """``2024-01`` or ``2024-01:budget_cut`` (or a year, ``2024:budget_cut``, for yearly series)."""
    period, _, kind = text.partition(":")
    period = period.strip()
    kind = (kind or "other").strip()
    if kind not in m.BREAK_KINDS:
        raise TrainingUsageError(f"break kind {kind!r} is not one of {', '.join(m.BREAK_KINDS)}")
    if re.fullmatch(r"\d{4}", period):
        return {"period": period, "kind": kind, "source": "option"}
    try:
        period = dt.datetime.strptime(period[:7], "%Y-%m").strftime("%Y-%m")
    except ValueError:
        raise TrainingUsageError(f"--break {text!r}: give YYYY-MM[:kind] or YYYY[:kind]") from None
    return {"period": period, "kind": kind, "source": "option"}

"""Check survey microdata against a codebook and report every problem in one pass.

Rows are counted from 1 (respondent 1 is the first data row: line/row 2 of a CSV or XLSX file,
after the header). Every check runs on whole columns at once, so a million respondents take
well under a second; the number of problems of each kind is always exact, and the list of
individual problems is capped (``max_listed``) so a badly broken file cannot exhaust memory.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gap_survey.codebook import Codebook
from gap_survey.errors import SurveyError

KINDS = {
    "missing_column": "a column the codebook names is not in the file",
    "blank_value": "a required value is empty",
    "not_numeric": "a value that must be a number is not",
    "unknown_code": "an item answer is neither a scored code nor a declared missing code",
    "code_out_of_range": "a coded variable (group, sex, region, ...) holds a code the codebook does not declare",
    "value_out_of_range": "a numeric variable lies outside the codebook's min/max",
    "duplicate_id": "a respondent id occurs more than once",
    "weight_not_positive": "a weight is zero or negative",
    "replicate_weight_negative": "a replicate weight is negative",
    "lonely_psu": "a stratum has a single PSU, so its variance cannot be estimated",
    "empty_group": "no respondent belongs to a group of the codebook",
}


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str
    column: str | None = None
    row: int | None = None  # respondent number, from 1
    value: Any = None


@dataclass
class ValidationReport:
    file: str
    n_rows: int
    n_columns: int
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    column_counts: Counter = field(default_factory=Counter)
    max_listed: int = 10_000

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def ok(self) -> bool:
        return self.total == 0

    @property
    def not_listed(self) -> int:
        return self.total - len(self.problems)

    def add(
        self, kind: str, message: str, *, column: str | None = None, row: int | None = None, value: Any = None
    ) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.column_counts[(kind, column)] += 1
        if len(self.problems) < self.max_listed:
            self.problems.append(Problem(kind, message, column, row, _plain(value)))

    def add_rows(
        self, kind: str, column: str, rows: np.ndarray, values: np.ndarray | pd.Series, describe
    ) -> None:
        """Record one problem per row in ``rows`` (0-based positions); ``describe(value)`` words it."""
        if rows.size == 0:
            return
        self.counts[kind] = self.counts.get(kind, 0) + int(rows.size)
        self.column_counts[(kind, column)] += int(rows.size)
        room = max(0, self.max_listed - len(self.problems))
        vals = np.asarray(values)
        for pos in rows[:room]:
            value = _plain(vals[pos])
            self.problems.append(
                Problem(
                    kind, f"row {pos + 1}, column {column}: {describe(value)}", column, int(pos) + 1, value
                )
            )

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": self.n_rows,
            "columns": self.n_columns,
            "ok": self.ok,
            "problem_count": self.total,
            "counts": dict(sorted(self.counts.items())),
            "by_column": problem_summary(self),
            "not_listed": self.not_listed,
            "problems": [p.__dict__ for p in self.problems],
        }


class ValidationFailed(SurveyError):
    """The file does not satisfy its codebook; carries the full report."""

    def __init__(self, report: ValidationReport) -> None:
        lines = [p.message for p in report.problems[:5]]
        more = report.total - len(lines)
        summary = "; ".join(lines) + (f"; and {more:,} more" if more > 0 else "")
        super().__init__(
            f"{report.file}: {report.total:,} problem(s) against the codebook: {summary}",
            hint=f"Run 'ddkit survey validate {report.file} --codebook …' for the full list, fix the file or the codebook, and run again.",
        )
        self.report = report


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def _fmt(value: Any) -> str:
    return "(empty)" if value is None else repr(value) if isinstance(value, str) else str(value)


def _empty(value: Any) -> str:
    return "empty value"


def _blank(series: pd.Series) -> np.ndarray:
    """Missing or empty-text values (text is only inspected in text columns)."""
    blank = series.isna().to_numpy()
    if not (pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype)):
        blank |= (series.astype("string").str.strip() == "").fillna(True).to_numpy(dtype=bool)
    return blank


def _numeric(series: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values as float64 or int, blank mask, non-numeric mask) of a column."""
    if pd.api.types.is_bool_dtype(series.dtype):
        series = series.astype("float64")
    if pd.api.types.is_integer_dtype(series.dtype) and not series.hasnans:
        values = series.to_numpy()
        none = np.zeros(values.shape[0], dtype=bool)
        return values, none, none
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        blank = np.isnan(values)
        return values, blank, np.zeros_like(blank)
    text = series.astype("string").str.strip()
    blank = (text.isna() | (text == "")).to_numpy(dtype=bool)
    values = pd.to_numeric(text.where(~pd.Series(blank, index=series.index)), errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )
    nonnumeric = np.isnan(values) & ~blank
    return values, blank, nonnumeric


def _not_in(values: np.ndarray, allowed: list[int]) -> np.ndarray:
    """Mask of values that are not one of the integer codes ``allowed`` (NaN counts as not in)."""
    allowed_arr = np.asarray(sorted(allowed), dtype=np.int64)
    if values.dtype.kind in "iu":
        return ~np.isin(values, allowed_arr, kind="table")
    return ~np.isin(values, allowed_arr.astype(np.float64))


def validate_frame(
    frame: pd.DataFrame, codebook: Codebook, *, file: str = "<data>", max_listed: int = 10_000
) -> ValidationReport:
    """Every problem of ``frame`` against ``codebook``, with row and column."""
    report = ValidationReport(file=file, n_rows=len(frame), n_columns=frame.shape[1], max_listed=max_listed)
    present = set(frame.columns)
    design = codebook.design

    def missing_column(column: str, role: str) -> bool:
        if column in present:
            return False
        report.add("missing_column", f"column {column} ({role}) is not in the file", column=column)
        return True

    missing_column(codebook.respondent_id, "respondent id")
    for column, role in ((design.weight, "weight"), (design.strata, "stratum"), (design.psu, "PSU")):
        if column:
            missing_column(column, role)
    for var in codebook.variables.values():
        missing_column(var.column, f"variable {var.name}")
    for comp in codebook.components.values():
        for item in comp.items:
            missing_column(item.column, f"item of {comp.name}")
    rep_columns = codebook.replicate_columns(list(frame.columns))
    if design.replicate is not None:
        if design.replicate.prefix and not rep_columns:
            report.add(
                "missing_column",
                f"no replicate-weight columns named {design.replicate.prefix}1, {design.replicate.prefix}2, … in the file",
                column=f"{design.replicate.prefix}*",
            )
        for column in design.replicate.columns:
            missing_column(column, "replicate weight")
        if (
            design.replicate.rscales is not None
            and rep_columns
            and len(design.replicate.rscales) != len(rep_columns)
        ):
            report.add(
                "missing_column",
                f"the codebook gives {len(design.replicate.rscales)} rscales but the file has {len(rep_columns)} replicate-weight columns",
                column=design.replicate.prefix or None,
            )

    # Respondent id: present, unique.
    rid = codebook.respondent_id
    if rid in present:
        ids = frame[rid]
        blank = _blank(ids)
        report.add_rows("blank_value", rid, np.flatnonzero(blank), ids.to_numpy(), _empty)
        dup = ids.duplicated(keep="first").to_numpy() & ~blank
        if dup.any():
            first_pos = (
                pd.Series(np.arange(len(ids)), index=pd.Index(ids))
                .groupby(level=0, sort=False)
                .transform("min")
            )
            first = first_pos.to_numpy()
            rows = np.flatnonzero(dup)
            report.counts["duplicate_id"] = report.counts.get("duplicate_id", 0) + int(rows.size)
            report.column_counts[("duplicate_id", rid)] += int(rows.size)
            for pos in rows[: max(0, report.max_listed - len(report.problems))]:
                value = _plain(ids.iat[pos])
                report.problems.append(
                    Problem(
                        "duplicate_id",
                        f"row {pos + 1}, column {rid}: id {_fmt(value)} already used in row {first[pos] + 1}",
                        rid,
                        int(pos) + 1,
                        value,
                    )
                )

    # Weight.
    if design.weight in present:
        values, blank, nonnum = _numeric(frame[design.weight])
        report.add_rows("blank_value", design.weight, np.flatnonzero(blank), values, _empty)
        report.add_rows(
            "not_numeric",
            design.weight,
            np.flatnonzero(nonnum),
            frame[design.weight].to_numpy(),
            lambda v: f"{_fmt(v)} is not a number",
        )
        bad = ~blank & ~nonnum & ~(values > 0)
        report.add_rows(
            "weight_not_positive",
            design.weight,
            np.flatnonzero(bad),
            values,
            lambda v: f"weight {v} is not above 0",
        )

    # Strata and PSUs: no blanks; a stratum needs two PSUs unless the codebook accepts certainty units.
    for column in (design.strata, design.psu):
        if column and column in present:
            blank = _blank(frame[column])
            report.add_rows("blank_value", column, np.flatnonzero(blank), frame[column].to_numpy(), _empty)
    if (
        design.lonely_psu == "fail"
        and design.strata in present
        and (design.psu is None or design.psu in present)
    ):
        strata = frame[design.strata]
        psu = frame[design.psu] if design.psu else pd.Series(np.arange(len(frame)), index=frame.index)
        valid = strata.notna() & psu.notna()
        counts = pd.DataFrame({"s": strata[valid], "p": psu[valid]}).groupby("s", sort=True)["p"].nunique()
        for stratum in counts.index[counts.to_numpy() < 2]:
            pos = int(np.flatnonzero((strata == stratum).to_numpy())[0])
            report.add(
                "lonely_psu",
                f"row {pos + 1}, column {design.psu or design.strata}: stratum {_fmt(_plain(stratum))} has a single PSU; "
                "merge it with a neighbouring stratum or set design.lonely_psu: certainty",
                column=design.psu or design.strata,
                row=pos + 1,
                value=_plain(stratum),
            )

    # Replicate weights: numbers, not negative.
    for column in rep_columns:
        if column not in present:
            continue
        raw = frame[column].to_numpy()
        if raw.dtype.kind == "f" and not (~(raw >= 0)).any():
            continue  # the usual case, checked in one pass: numbers, none negative, none missing
        values, blank, nonnum = _numeric(frame[column])
        report.add_rows("blank_value", column, np.flatnonzero(blank), values, _empty)
        report.add_rows(
            "not_numeric",
            column,
            np.flatnonzero(nonnum),
            frame[column].to_numpy(),
            lambda v: f"{_fmt(v)} is not a number",
        )
        report.add_rows(
            "replicate_weight_negative",
            column,
            np.flatnonzero(~blank & ~nonnum & (values < 0)),
            values,
            lambda v: f"replicate weight {v} is negative",
        )

    # Coded and ranged variables.
    for var in codebook.variables.values():
        if var.column not in present:
            continue
        values, blank, nonnum = _numeric(frame[var.column])
        report.add_rows("blank_value", var.column, np.flatnonzero(blank), values, _empty)
        raw = frame[var.column].to_numpy()
        if var.codes is not None:
            bad = ~blank & _not_in(values, list(var.codes))
            declared = ", ".join(str(c) for c in sorted(var.codes))
            report.add_rows(
                "code_out_of_range",
                var.column,
                np.flatnonzero(bad),
                raw,
                lambda v, declared=declared, name=var.name: (
                    f"{name} code {_fmt(v)} is not declared (declared: {declared})"
                ),
            )
        else:
            report.add_rows(
                "not_numeric", var.column, np.flatnonzero(nonnum), raw, lambda v: f"{_fmt(v)} is not a number"
            )
            ok = ~blank & ~nonnum
            with np.errstate(invalid="ignore"):
                out = np.zeros(len(values), dtype=bool)
                if var.min is not None:
                    out |= ok & (values < var.min)
                if var.max is not None:
                    out |= ok & (values > var.max)
            lo = "-inf" if var.min is None else f"{var.min:g}"
            hi = "inf" if var.max is None else f"{var.max:g}"
            report.add_rows(
                "value_out_of_range",
                var.column,
                np.flatnonzero(out),
                raw,
                lambda v, lo=lo, hi=hi, name=var.name: f"{name} {_fmt(v)} is outside {lo}-{hi}",
            )

    # Items: every answer is a scored code or a declared missing code.
    for comp in codebook.components.values():
        missing_codes = sorted(comp.missing_codes)
        for item in comp.items:
            if item.column not in present:
                continue
            values, blank, _ = _numeric(frame[item.column])
            allowed = sorted(set(item.points) | comp.missing_codes)
            bad = ~blank & _not_in(values, allowed)
            report.add_rows(
                "blank_value",
                item.column,
                np.flatnonzero(blank),
                values,
                lambda v: "empty answer; record a declared missing code instead",
            )
            scored = ", ".join(str(c) for c in sorted(item.points))
            miss = ", ".join(str(c) for c in missing_codes) or "none"
            report.add_rows(
                "unknown_code",
                item.column,
                np.flatnonzero(bad),
                frame[item.column].to_numpy(),
                lambda v, scored=scored, miss=miss: (
                    f"unknown code {_fmt(v)} (scored: {scored}; missing: {miss})"
                ),
            )

    # Groups: each one must have respondents (only checked when its variables are readable).
    for group in codebook.groups.values():
        columns = [codebook.variables[c.variable].column for c in group.where]
        if not all(c in present for c in columns):
            continue
        if not group_mask(frame, codebook, group.name).any():
            report.add("empty_group", f"group {group.name} ({group.label}) has no respondents in the file")
    return report


def group_mask(frame: pd.DataFrame, codebook: Codebook, group: str) -> np.ndarray:
    """Boolean mask of the respondents of ``group`` (all its conditions hold)."""
    mask = np.ones(len(frame), dtype=bool)
    for cond in codebook.groups[group].where:
        values, _, _ = _numeric(frame[codebook.variables[cond.variable].column])
        with np.errstate(invalid="ignore"):
            if cond.codes is not None:
                mask &= ~_not_in(values, list(cond.codes))
            if cond.min is not None:
                mask &= values >= cond.min
            if cond.max is not None:
                mask &= values <= cond.max
    return mask


def problem_summary(report: ValidationReport) -> list[dict[str, Any]]:
    """Exact problem counts by kind and column, largest first (for a short human summary)."""
    return [
        {"kind": kind, "column": column, "count": count}
        for (kind, column), count in report.column_counts.most_common()
    ]

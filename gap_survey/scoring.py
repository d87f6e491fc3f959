"""Item answers to component scores (0-100), following the codebook's scoring.

A component score is the weighted mean of the points of its items. With ``missing: skip`` a
declared missing code leaves the item out of that respondent's mean; with ``missing: zero`` it
scores 0. A respondent who answered none of a component's items (all missing codes, ``skip``)
has no score for that component and is left out of that component's means; how many were left
out is counted per component and reported with the results.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gap_survey.codebook import Codebook, Component


@dataclass(frozen=True)
class ComponentScores:
    names: tuple[str, ...]
    values: np.ndarray  # (n, K) float64; NaN where the respondent has no score
    unscored: dict[str, int]  # respondents without a score, per component

    def column(self, name: str) -> np.ndarray:
        return self.values[:, self.names.index(name)]


def _tables(component: Component, item) -> tuple[int, np.ndarray, np.ndarray]:
    """Lookup tables indexed by (code - offset): weighted points (0 for a missing code) and the
    weight the answer adds to the denominator (0 for a missing code under ``skip``)."""
    codes = set(item.points) | set(component.missing_codes)
    lo, hi = min(codes), max(codes)
    points = np.zeros(hi - lo + 1)
    counted = np.zeros(hi - lo + 1)
    for code, value in item.points.items():
        points[code - lo] = item.weight * value
        counted[code - lo] = item.weight
    if component.missing == "zero":
        for code in component.missing_codes:
            counted[code - lo] = item.weight
    return lo, points, counted


def _positions(series: pd.Series, lo: int) -> np.ndarray:
    """Index of each answer into a table that starts at code ``lo`` (codes are valid: validated)."""
    values = series.to_numpy()
    if values.dtype.kind in "iu" and values.dtype.itemsize <= 2:
        info = np.iinfo(values.dtype)
        if info.min <= lo <= info.max:  # small integer codes: no 64-bit copy of the column
            return values if lo == 0 else values - values.dtype.type(lo)
    if values.dtype.kind not in "iu":
        values = pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    return values.astype(np.int64) - lo


def score_component(frame: pd.DataFrame, component: Component) -> np.ndarray:
    """Scores (0-100, NaN when nothing was answered) of one component for every respondent.

    Assumes the frame passed validation (every answer is a scored or a missing code).
    """
    n = len(frame)
    num = np.zeros(n)
    den = np.zeros(n)
    for item in component.items:
        lo, points, counted = _tables(component, item)
        pos = _positions(frame[item.column], lo)
        num += points[pos]
        den += counted[pos]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def score_components(frame: pd.DataFrame, codebook: Codebook) -> ComponentScores:
    names = tuple(codebook.components)
    values = np.column_stack([score_component(frame, codebook.components[k]) for k in names])
    unscored = {k: int(np.isnan(values[:, i]).sum()) for i, k in enumerate(names)}
    return ComponentScores(names=names, values=values, unscored=unscored)

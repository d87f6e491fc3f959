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


def _lookup(component: Component, points: dict[int, float]) -> tuple[int, np.ndarray]:
    """A table indexed by (code - offset): points for scored codes, NaN for missing codes."""
    codes = set(points) | set(component.missing_codes)
    lo, hi = min(codes), max(codes)
    table = np.full(hi - lo + 1, np.nan)
    for code, value in points.items():
        table[code - lo] = value
    return lo, table


def _codes(series: pd.Series) -> np.ndarray:
    if pd.api.types.is_integer_dtype(series.dtype) and not series.hasnans:
        return series.to_numpy().astype(np.int64, copy=False)
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    return values.astype(np.int64)


def score_component(frame: pd.DataFrame, component: Component) -> np.ndarray:
    """Scores (0-100, NaN when nothing was answered) of one component for every respondent.

    Assumes the frame passed validation (every answer is a scored or a missing code).
    """
    n = len(frame)
    num = np.zeros(n)
    den = np.zeros(n)
    for item in component.items:
        lo, table = _lookup(component, item.points)
        pts = table[_codes(frame[item.column]) - lo]
        answered = ~np.isnan(pts)
        if component.missing == "zero":
            num += item.weight * np.where(answered, pts, 0.0)
            den += item.weight
        else:
            num += item.weight * np.where(answered, pts, 0.0)
            den += item.weight * answered
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def score_components(frame: pd.DataFrame, codebook: Codebook) -> ComponentScores:
    names = tuple(codebook.components)
    values = np.column_stack([score_component(frame, codebook.components[k]) for k in names])
    unscored = {k: int(np.isnan(values[:, i]).sum()) for i, k in enumerate(names)}
    return ComponentScores(names=names, values=values, unscored=unscored)

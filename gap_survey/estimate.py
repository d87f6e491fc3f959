"""Design-based means, ratios and totals, overall or by domain, each with SE, CI, CV and n.

These are the building blocks the index is made of, exposed as small pure functions (in the
spirit of R's ``svymean``/``svyratio``/``svyby``). A domain estimate zeroes the values outside
the domain and keeps every stratum and PSU of the design, never a filtered frame.

Confidence intervals are ``estimate +/- t(df) x SE`` with the design's degrees of freedom
(PSUs minus strata for Taylor, the jackknife and the bootstrap; replicates minus one, or the
codebook's ``df``, for replicate weights from the file).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from gap_survey.design import SurveyDesign, estimate_function


def t_quantile(df: int, level: float = 0.95) -> float:
    """The two-sided critical value for ``level``: Student's t with ``df`` (normal when df <= 0)."""
    alpha = 1.0 - level
    if df is None or df <= 0:
        return float(stats.norm.ppf(1 - alpha / 2))
    return float(stats.t.ppf(1 - alpha / 2, df))


def add_intervals(table: pd.DataFrame, df: int, level: float = 0.95) -> pd.DataFrame:
    """Add ci_low, ci_high and cv (SE / estimate) to a table with estimate and se columns."""
    q = t_quantile(df, level)
    table = table.copy()
    table["ci_low"] = table["estimate"] - q * table["se"]
    table["ci_high"] = table["estimate"] + q * table["se"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["cv"] = table["se"] / table["estimate"].abs()
    return table


def _domains(domain, n: int) -> tuple[np.ndarray, list]:
    if domain is None:
        return np.zeros(n, dtype=np.int64), [None]
    codes, uniques = pd.factorize(pd.Series(np.asarray(domain)), sort=True)
    if (codes < 0).any():
        raise ValueError("domain contains missing values; give every respondent a domain code")
    return codes.astype(np.int64), list(uniques)


def _ratio_by_domain(design: SurveyDesign, y, x, domain, level: float, kind: str) -> pd.DataFrame:
    y = np.asarray(y, dtype=np.float64)
    x = np.ones_like(y) if x is None else np.asarray(x, dtype=np.float64)
    observed = ~(np.isnan(y) | np.isnan(x))
    codes, labels = _domains(domain, y.shape[0])
    d = len(labels)
    values = np.column_stack([np.where(observed, y, 0.0), np.where(observed, x, 0.0)])
    pattern = np.where(observed, codes, -1)

    if kind == "total":

        def f(theta):
            return theta[..., 0::2]
    else:

        def f(theta):
            return theta[..., 0::2] / theta[..., 1::2]

    fe = estimate_function(design, pattern, d, values, f)
    n = np.bincount(codes[observed], minlength=d)
    table = pd.DataFrame({"domain": labels, "estimate": fe.estimate, "se": fe.se, "n": n, "df": fe.df})
    table = add_intervals(table, fe.df, level)
    return table[["domain", "estimate", "se", "ci_low", "ci_high", "cv", "n", "df"]]


def estimate_mean(design: SurveyDesign, y, *, domain=None, level: float = 0.95) -> pd.DataFrame:
    """Weighted mean of ``y`` (NaN values left out), overall or per domain code."""
    return _ratio_by_domain(design, y, None, domain, level, "mean")


def estimate_ratio(design: SurveyDesign, y, x, *, domain=None, level: float = 0.95) -> pd.DataFrame:
    """Ratio of weighted totals sum(w y) / sum(w x), overall or per domain code."""
    return _ratio_by_domain(design, y, x, domain, level, "ratio")


def estimate_total(design: SurveyDesign, y, *, domain=None, level: float = 0.95) -> pd.DataFrame:
    """Weighted total of ``y``, overall or per domain code."""
    return _ratio_by_domain(design, y, None, domain, level, "total")

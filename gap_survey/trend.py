"""Several years' index results side by side: the series, year-over-year changes with their SE
and a test, and a linear trend per group and component.

Each year's survey is a separate sample, so the estimates of two years are treated as
independent: SE(change) = sqrt(SE_1^2 + SE_2^2), and the change is tested with
z = change / SE(change) against the standard normal (two-sided). If the two years shared
respondents or PSUs the covariance would have to be subtracted; that is not done here.
The linear trend is a weighted least-squares slope per year with weights 1 / SE^2, whose SE is
1 / sqrt(sum w (x - x_w)^2).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from gap_survey.errors import SurveyError, SurveyUsageError
from gap_survey.estimate import t_quantile
from gap_survey.published import load_published

REQUIRED = ("year", "group", "component", "estimate", "se")


@dataclass
class TrendResult:
    series: pd.DataFrame
    changes: pd.DataFrame
    slopes: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"series": self.series, "changes": self.changes, "slopes": self.slopes}

    def to_dict(self) -> dict[str, Any]:
        def records(t: pd.DataFrame) -> list[dict[str, Any]]:
            return [
                {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in r.items()}
                for r in t.to_dict(orient="records")
            ]

        return {
            "meta": self.meta,
            "series": records(self.series),
            "changes": records(self.changes),
            "slopes": records(self.slopes),
        }


def load_levels(path: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The levels table of a saved index result: the JSON of ``ddkit survey index --json`` (or
    ``--out result.json``), or a CSV/XLSX levels table with year, group, component, estimate, se."""
    path = Path(path)
    if not path.is_file():
        raise SurveyError(
            f"Result file {path} does not exist.", hint="Give files written by 'ddkit survey index --out'."
        )
    meta: dict[str, Any] = {}
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            doc = json.loads(path.read_text(encoding="utf-8"))
            data = doc.get("data", doc) if isinstance(doc, dict) else None
            if not isinstance(data, dict) or "levels" not in data:
                raise SurveyError(
                    f"{path}: not an index result (no 'levels' table).",
                    hint="Use the JSON written by 'ddkit survey index --json' or '--out result.json'.",
                )
            table = pd.DataFrame(data["levels"])
            meta = data.get("meta", {})
        elif suffix == ".csv":
            table = pd.read_csv(path)
        elif suffix in (".xlsx", ".xlsm"):
            table = pd.read_excel(path, sheet_name="levels", engine="openpyxl")
        else:
            raise SurveyError(
                f"{path}: unknown result type {suffix!r}.", hint="Give .json, .csv or .xlsx results."
            )
    except SurveyError:
        raise
    except (ValueError, OSError, KeyError) as exc:
        raise SurveyError(f"Cannot read result file {path}: {exc}.") from None
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise SurveyError(f"{path}: column(s) {', '.join(missing)} missing from the levels table.")
    table = table.copy()
    table["source"] = str(path)
    return table, meta


def compute_trend(
    tables: list[pd.DataFrame],
    *,
    level: float = 0.95,
    metas: list[dict[str, Any]] | None = None,
) -> TrendResult:
    """Series, year-over-year changes and linear trends from several years' levels tables."""
    if not tables:
        raise SurveyUsageError(
            "No results given.", hint="Pass two or more files written by 'ddkit survey index --out'."
        )
    frame = pd.concat(tables, ignore_index=True)
    frame["year"] = frame["year"].astype(int)
    dup = frame.duplicated(["year", "group", "component"], keep=False)
    if dup.any():
        years = sorted(set(frame.loc[dup, "year"]))
        raise SurveyUsageError(
            f"Year(s) {', '.join(map(str, years))} appear in more than one result.",
            hint="Give one result per survey year.",
        )
    z = t_quantile(0, level)
    series = frame[
        ["year", "group", "component", "estimate", "se"] + [c for c in ("n", "published") if c in frame]
    ].copy()
    series["ci_low"] = series["estimate"] - z * series["se"]
    series["ci_high"] = series["estimate"] + z * series["se"]
    if "published" not in series:
        series = _attach_published(series)
    series = series.sort_values(["group", "component", "year"]).reset_index(drop=True)

    changes = []
    slopes = []
    for (group, component), part in series.groupby(["group", "component"], sort=False):
        part = part.sort_values("year")
        rows = part.to_dict(orient="records")
        for before, after in zip(rows, rows[1:], strict=False):
            change = after["estimate"] - before["estimate"]
            se = float(np.hypot(before["se"], after["se"]))
            zstat = change / se if se > 0 else np.nan
            p = float(2 * stats.norm.sf(abs(zstat))) if np.isfinite(zstat) else np.nan
            pub = (after.get("published"), before.get("published"))
            changes.append(
                {
                    "group": group,
                    "component": component,
                    "from_year": before["year"],
                    "to_year": after["year"],
                    "estimate_from": before["estimate"],
                    "estimate_to": after["estimate"],
                    "change": change,
                    "se": se,
                    "ci_low": change - z * se,
                    "ci_high": change + z * se,
                    "z": zstat,
                    "p_value": p,
                    "significant": bool(np.isfinite(p) and p < 1 - level),
                    "published_change": (pub[0] - pub[1])
                    if all(v is not None and np.isfinite(v) for v in pub)
                    else np.nan,
                }
            )
        if len(rows) >= 3:
            x = part["year"].to_numpy(dtype=float)
            y = part["estimate"].to_numpy(dtype=float)
            se = part["se"].to_numpy(dtype=float)
            if np.all(se > 0):
                w = 1.0 / se**2
                xm = (w * x).sum() / w.sum()
                ym = (w * y).sum() / w.sum()
                sxx = (w * (x - xm) ** 2).sum()
                slope = (w * (x - xm) * (y - ym)).sum() / sxx
                slope_se = 1.0 / np.sqrt(sxx)
                zs = slope / slope_se
                ps = float(2 * stats.norm.sf(abs(zs)))
                slopes.append(
                    {
                        "group": group,
                        "component": component,
                        "first_year": int(x.min()),
                        "last_year": int(x.max()),
                        "years": len(rows),
                        "slope_per_year": slope,
                        "se": slope_se,
                        "z": zs,
                        "p_value": ps,
                        "significant": bool(ps < 1 - level),
                    }
                )
    meta: dict[str, Any] = {
        "years": sorted(set(series["year"].tolist())),
        "confidence_level": level,
        "test": "two-sided z test of the change; years treated as independent samples",
        "warnings": [],
    }
    if metas:
        rules = {m.get("rule", {}).get("id") for m in metas if m}
        codebooks = {m.get("codebook", {}).get("version") for m in metas if m}
        if len(rules - {None}) > 1:
            meta["warnings"].append(
                f"The results use different aggregation rules ({', '.join(sorted(rules - {None}))})."
            )
        if len(codebooks - {None}) > 1:
            meta["warnings"].append(
                f"The results use different codebooks ({', '.join(sorted(codebooks - {None}))})."
            )
        for m in metas:
            if m and m.get("rule", {}).get("reproducible") is False:
                meta["warnings"].append(
                    f"{m.get('year')}: computed with a rule that does not reproduce that year's published figures."
                )
    return TrendResult(
        series=series.reset_index(drop=True),
        changes=pd.DataFrame(changes),
        slopes=pd.DataFrame(slopes),
        meta=meta,
    )


def _attach_published(series: pd.DataFrame) -> pd.DataFrame:
    pub = load_published("digital")[["year", "group", "component", "value"]].rename(
        columns={"value": "published"}
    )
    return series.merge(pub, on=["year", "group", "component"], how="left")


def published_trend(first_year: int = 2017, last_year: int | None = None) -> pd.DataFrame:
    """The published series with year-over-year changes (no SEs: none are published)."""
    pub = load_published("digital")
    pub = pub[pub["year"] >= first_year]
    if last_year is not None:
        pub = pub[pub["year"] <= last_year]
    pub = pub.sort_values(["group", "component", "year"])
    pub["published_change"] = pub.groupby(["group", "component"])["value"].diff()
    return pub.rename(columns={"value": "published"}).reset_index(drop=True)

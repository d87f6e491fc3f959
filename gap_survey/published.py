"""The published figures of the index (KOSIS tables DT_12017N008-N0011 and MSIT/NIA releases),
shipped as package data with the source of every cell, and their recomputation.

``gap_survey/data/published.csv`` has one row per (year, group, component) with the URL the value
was read from. Groups written ``name@series`` belong to earlier series (``pc``: the PC-based
index 2004-2015, ``smart``: the smart index 2013-2015, ``mobile``: the mobile index 2012-2013);
plain names are the current digital index (KOSIS back-cast 2014-2015, published 2016-2025).
The 2025 cells come from a third-party copy of the KOSIS tables only.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from gap_survey.rules import IndexRule, load_rules, rule_for_year

COMPONENTS = ("access", "competency", "utilization")
GROUPS = ("vulnerable_avg", "disabled", "low_income", "farmers_fishers", "elderly")
#: the one-decimal rounding of every published input lets a recomputed total differ by up to 0.1
ROUNDING_TOLERANCE = 0.1


def published_path() -> Path:
    return Path(str(resources.files("gap_survey") / "data" / "published.csv"))


@cache
def _load() -> pd.DataFrame:
    table = pd.read_csv(published_path())
    split = table["group"].str.split("@", n=1, expand=True)
    table["series"] = split[1].fillna("digital") if split.shape[1] > 1 else "digital"
    table["group"] = split[0]
    return table[["year", "series", "group", "component", "value", "source_url"]]


def load_published(series: str | None = "digital") -> pd.DataFrame:
    """Published figures (year, series, group, component, value, source_url); all series with None."""
    table = _load().copy()
    if series is not None:
        table = table[table["series"] == series]
    return table.reset_index(drop=True)


def published_value(year: int, group: str, component: str) -> float | None:
    table = _load()
    hit = table[
        (table["series"] == "digital")
        & (table["year"] == year)
        & (table["group"] == group)
        & (table["component"] == component)
    ]
    return float(hit["value"].iloc[0]) if len(hit) else None


def recompute_totals(rules: list[IndexRule] | None = None, years: range | None = None) -> pd.DataFrame:
    """Each published total next to the total recomputed from its published components.

    Columns: year, group, access, competency, utilization, published_total, recomputed_total,
    difference, rule, reproducible, within_rounding (|difference| <= 0.1).
    """
    rules = rules if rules is not None else load_rules()
    table = load_published("digital")
    wide = table.pivot_table(index=["year", "group"], columns="component", values="value").reset_index()
    wide = wide.dropna(subset=[*COMPONENTS, "total"])
    if years is not None:
        wide = wide[wide["year"].isin(list(years))]
    rows = []
    for rec in wide.itertuples(index=False):
        rule = rule_for_year(int(rec.year), rules)
        recomputed = sum(rule.weights[k] * getattr(rec, k) for k in COMPONENTS)
        diff = recomputed - rec.total
        rows.append(
            {
                "year": int(rec.year),
                "group": rec.group,
                "access": rec.access,
                "competency": rec.competency,
                "utilization": rec.utilization,
                "published_total": rec.total,
                "recomputed_total": round(recomputed, 6),
                "difference": round(diff, 6),
                "rule": rule.id,
                "reproducible": rule.reproducible,
                "within_rounding": abs(diff) <= ROUNDING_TOLERANCE + 1e-9,
            }
        )
    out = pd.DataFrame(rows)
    order = {g: i for i, g in enumerate(GROUPS)}
    out["_o"] = out["group"].map(order)
    return out.sort_values(["year", "_o"]).drop(columns="_o").reset_index(drop=True)

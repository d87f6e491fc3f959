"""Aggregation rules by survey year (component weights of the total) and population weights of
the four-group average. Both are data files; ddkit ships defaults and accepts your own."""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from gap_survey.errors import SurveyError, SurveyUsageError


@dataclass(frozen=True)
class IndexRule:
    id: str
    first_year: int
    last_year: int | None
    weights: dict[str, float]
    reproducible: bool
    note: str
    rules_version: str = ""
    source: str = ""

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


def default_rules_path() -> Path:
    return Path(str(resources.files("gap_survey") / "data" / "index_rules.yaml"))


def default_population_path() -> Path:
    return Path(str(resources.files("gap_survey") / "data" / "population_default.csv"))


def load_rules(path: str | Path | None = None) -> list[IndexRule]:
    path = Path(path) if path is not None else default_rules_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SurveyError(f"Rules file {path} does not exist.", hint="Check the --rules path.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SurveyError(
            f"Rules file {path} is not valid YAML{where}.", hint="Fix the YAML syntax there."
        ) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("rules"), list) or not raw["rules"]:
        raise SurveyError(f"Rules file {path}: expected a mapping with a non-empty 'rules' list.")
    rules = []
    for i, item in enumerate(raw["rules"]):
        where = f"Rules file {path}: rules[{i}]"
        try:
            weights = {str(k): float(v) for k, v in dict(item["weights"]).items()}
            rule = IndexRule(
                id=str(item["id"]),
                first_year=int(item["first_year"]),
                last_year=None if item.get("last_year") is None else int(item["last_year"]),
                weights=weights,
                reproducible=bool(item.get("reproducible", False)),
                note=str(item.get("note", "")),
                rules_version=str(raw.get("rules_version", "")),
                source=str(path),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise SurveyError(
                f"{where}: missing or invalid key ({exc}).",
                hint="Each rule needs id, first_year, last_year, weights.",
            ) from None
        total = sum(weights.values())
        if not math.isclose(total, 1.0, abs_tol=1e-9) or any(w < 0 for w in weights.values()):
            raise SurveyError(
                f"{where}: component weights must be non-negative and sum to 1 (they sum to {total:g})."
            )
        rules.append(rule)
    return rules


def rule_for_year(year: int, rules: list[IndexRule]) -> IndexRule:
    matches = [r for r in rules if r.covers(year)]
    if not matches:
        spans = ", ".join(f"{r.first_year}-{r.last_year or 'now'}" for r in rules)
        raise SurveyUsageError(
            f"No aggregation rule covers survey year {year} (rules cover {spans}).",
            hint="Give the survey year with --year, or add a rule for it to a rules file passed with --rules.",
        )
    return matches[0]


@dataclass(frozen=True)
class PopulationWeights:
    year: int
    shares: dict[str, float]  # group -> share, summing to 1
    source: str
    basis: str


def load_population(year: int, groups: tuple[str, ...], path: str | Path | None = None) -> PopulationWeights:
    """Population sizes of the index groups for ``year``, normalised to shares.

    The table has columns ``group`` and ``population`` and optionally ``year`` (rows without a
    year apply to every year) and ``basis`` (where the figure comes from).
    """
    path = Path(path) if path is not None else default_population_path()
    try:
        table = pd.read_csv(path, encoding="utf-8-sig")
    except FileNotFoundError:
        raise SurveyError(
            f"Population table {path} does not exist.", hint="Check the --population path."
        ) from None
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise SurveyError(f"Population table {path} is not a readable CSV: {exc}.") from None
    for column in ("group", "population"):
        if column not in table.columns:
            raise SurveyError(
                f"Population table {path}: column {column!r} is missing.",
                hint="The table needs the columns group,population and optionally year,basis.",
            )
    if "year" in table.columns:
        rows = table[table["year"].isna() | (pd.to_numeric(table["year"], errors="coerce") == year)]
    else:
        rows = table
    sizes: dict[str, float] = {}
    for pos, row in rows.iterrows():
        value = pd.to_numeric(pd.Series([row["population"]]), errors="coerce").iloc[0]
        if pd.isna(value) or value <= 0:
            raise SurveyError(
                f"Population table {path}, line {pos + 2}, column population: {row['population']!r} is not a positive number."
            )
        sizes[str(row["group"])] = float(value)
    missing = [g for g in groups if g not in sizes]
    if missing:
        raise SurveyError(
            f"Population table {path} has no population for {', '.join(missing)} in {year}.",
            hint="Add a row per index group (and year), or pass another table with --population.",
        )
    total = sum(sizes[g] for g in groups)
    basis = ""
    if "basis" in rows.columns and len(rows):
        basis = "; ".join(sorted({str(b) for b in rows["basis"].dropna()}))
    return PopulationWeights(
        year=year, shares={g: sizes[g] / total for g in groups}, source=str(path), basis=basis
    )

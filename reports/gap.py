"""The Digital Information Gap Index report: levels per group with CIs, the four-group average, trends,
published vs computed, method and caveats.

The input is one or more result files of ``ddkit survey index`` (the JSON of
``gap_survey.index.IndexResult.to_dict()``, bare or inside the ``--json`` envelope), read into
:class:`GapReportData`. Published figures come from ``gap_survey.published``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reports.charts import Series, bar_chart, line_chart
from reports.errors import ReportError
from reports.i18n import Translator, translator
from reports.render import InputFile, Provenance, format_number, input_file, render_template
from reports.tables import Column, Table

COMPONENTS = ("access", "competency", "utilization")
TOTAL = "total"
AVERAGE = "vulnerable_avg"
#: Display order of the groups the index is about; others follow in the file's order.
INDEX_GROUPS = ("disabled", "low_income", "farmers_fishers", "elderly")
#: Before this year the published series was aggregated differently (see docs/explanation).
SERIES_BREAK_YEAR = 2017


@dataclass
class LevelCell:
    year: int
    group: str
    label: str
    role: str
    component: str
    estimate: float | None
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    cv: float | None = None
    n: int | None = None
    published: float | None = None
    difference: float | None = None


@dataclass
class GapResult:
    year: int
    levels: list[LevelCell]
    meta: dict[str, Any] = field(default_factory=dict)
    domains: list[dict[str, Any]] = field(default_factory=list)
    source: str | None = None

    def cell(self, group: str, component: str) -> LevelCell | None:
        return next((c for c in self.levels if c.group == group and c.component == component), None)

    @property
    def groups(self) -> list[tuple[str, str, str]]:
        """(group, label, role) in display order: the average, the index groups, then the others."""
        seen: dict[str, tuple[str, str, str]] = {}
        for c in self.levels:
            seen.setdefault(c.group, (c.group, c.label, c.role))
        order = [AVERAGE, *INDEX_GROUPS]
        ranked = [seen[g] for g in order if g in seen]
        ranked += [v for g, v in seen.items() if g not in order and v[2] != "reference"]
        return ranked


@dataclass
class PublishedCell:
    year: int
    group: str
    component: str
    value: float
    source_url: str | None = None


@dataclass
class GapReportData:
    results: list[GapResult]
    published: list[PublishedCell] = field(default_factory=list)

    @property
    def latest(self) -> GapResult:
        return max(self.results, key=lambda r: r.year)


# ---------------------------------------------------------------------------------------------- loading


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def parse_result(raw: Any, source: str) -> GapResult:
    """A gap-index result from its JSON form; a wrong shape is an error naming the file and field."""
    if isinstance(raw, dict) and "data" in raw and "schema_version" in raw:
        raw = raw["data"]  # the --json envelope
    if not isinstance(raw, dict):
        raise ReportError(f"{source}: not a gap-index result (expected a JSON object).", hint=_RESULT_HINT)
    for key in ("year", "levels"):
        if key not in raw:
            raise ReportError(f"{source}: field {key!r} is missing.", hint=_RESULT_HINT)
    if not isinstance(raw["levels"], list) or not raw["levels"]:
        raise ReportError(f"{source}: 'levels' must be a non-empty list.", hint=_RESULT_HINT)
    cells = []
    for n, row in enumerate(raw["levels"], start=1):
        if not isinstance(row, dict):
            raise ReportError(f"{source}: levels[{n}] is not an object.", hint=_RESULT_HINT)
        for key in ("group", "component", "estimate"):
            if key not in row:
                raise ReportError(f"{source}: levels[{n}] has no field {key!r}.", hint=_RESULT_HINT)
        cells.append(
            LevelCell(
                year=int(row.get("year") or raw["year"]),
                group=str(row["group"]),
                label=str(row.get("label") or row["group"]),
                role=str(row.get("role") or "index"),
                component=str(row["component"]),
                estimate=_number(row["estimate"]),
                se=_number(row.get("se")),
                ci_low=_number(row.get("ci_low")),
                ci_high=_number(row.get("ci_high")),
                cv=_number(row.get("cv")),
                n=int(row["n"]) if _number(row.get("n")) is not None else None,
                published=_number(row.get("published")),
                difference=_number(row.get("difference")),
            )
        )
    return GapResult(
        year=int(raw["year"]),
        levels=cells,
        meta=dict(raw.get("meta") or {}),
        domains=list(raw.get("domains") or []),
        source=source,
    )


_RESULT_HINT = "Give the JSON written by 'ddkit survey index … --out result.json' (or its --json output)."


def load_results(paths: list[str | Path]) -> tuple[GapReportData, list[InputFile]]:
    if not paths:
        raise ReportError("No gap-index result file given.", hint=_RESULT_HINT)
    results, inputs = [], []
    for path in paths:
        inputs.append(input_file(path))
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ReportError(
                f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
                hint=_RESULT_HINT,
            ) from exc
        except UnicodeDecodeError as exc:
            raise ReportError(f"{path}: not a UTF-8 text file.", hint=_RESULT_HINT) from exc
        results.append(parse_result(raw, str(path)))
    years = [r.year for r in results]
    duplicates = sorted({y for y in years if years.count(y) > 1})
    if duplicates:
        raise ReportError(
            f"More than one result for year {', '.join(map(str, duplicates))}.",
            hint="Give one result file per year.",
        )
    # The survey microdata behind each result, with the hash the computation recorded.
    for r in results:
        source = (r.meta.get("input") or {}) if isinstance(r.meta.get("input"), dict) else {}
        if source.get("file") and source.get("sha256"):
            inputs.append(InputFile(path=str(source["file"]), sha256=str(source["sha256"]), size=None))
    return GapReportData(results=sorted(results, key=lambda r: r.year), published=published_figures()), inputs


def published_figures() -> list[PublishedCell]:
    """The published series shipped with gap_survey (empty when that module is not available)."""
    try:
        from gap_survey.published import load_published
    except ImportError:
        return []
    table = load_published("digital")
    return [
        PublishedCell(
            int(r.year), str(r.group), str(r.component), float(r.value), getattr(r, "source_url", None)
        )
        for r in table.itertuples()
    ]


# ---------------------------------------------------------------------------------------------- context


def group_name(group: str, label: str, t: Translator) -> str:
    return t(f"group.{group}") if t.has(f"group.{group}") else label


def _ci(cell: LevelCell | None, t: Translator) -> str:
    if cell is None or cell.ci_low is None or cell.ci_high is None:
        return format_number(None, 1, t)
    return f"{format_number(cell.ci_low, 1, t)} – {format_number(cell.ci_high, 1, t)}"


def gap_context(data: GapReportData, t: Translator) -> dict[str, Any]:
    latest = data.latest
    year = latest.year
    groups = latest.groups
    names = [group_name(g, label, t) for g, label, _ in groups]
    components = [c for c in (*COMPONENTS, TOTAL) if any(x.component == c for x in latest.levels)]
    comp_names = {c: t(f"component.{c}") if t.has(f"component.{c}") else c for c in components}

    totals = [latest.cell(g, TOTAL) for g, _, _ in groups]
    total_chart = bar_chart(
        "chart-total",
        t("gap.total_chart_title", year=year),
        names,
        [
            Series(
                t("gap.level"),
                [c.estimate if c else None for c in totals],
                lower=[c.ci_low if c else None for c in totals],
                upper=[c.ci_high if c else None for c in totals],
            )
        ],
        t,
        category_label=t("gap.col_group"),
        reference=(100.0, t("gap.reference_line")),
        axis_max=100.0,
    )
    component_chart = bar_chart(
        "chart-components",
        t("gap.component_chart_title", year=year),
        names,
        [
            Series(
                comp_names[c],
                [(latest.cell(g, c).estimate if latest.cell(g, c) else None) for g, _, _ in groups],
            )
            for c in components
            if c != TOTAL
        ],
        t,
        category_label=t("gap.col_group"),
        reference=(100.0, t("gap.reference_line")),
        axis_max=100.0,
    )

    levels_table = Table(
        id="levels-table",
        caption=t("gap.levels_caption", year=year, level=_level_text(latest)),
        columns=[
            Column(t("gap.col_group")),
            Column(t("gap.col_component")),
            Column(t("gap.level"), numeric=True),
            Column(t("gap.col_ci"), numeric=True),
            Column(t("gap.col_se"), numeric=True),
            Column(t("gap.col_cv"), numeric=True),
            Column(t("gap.col_n"), numeric=True),
        ],
    )
    for (g, _, _), name in zip(groups, names, strict=True):
        for c in components:
            cell = latest.cell(g, c)
            if cell is None:
                continue
            levels_table.add(
                name,
                comp_names[c],
                format_number(cell.estimate, 1, t),
                _ci(cell, t),
                format_number(cell.se, 2, t),
                format_number(None if cell.cv is None else cell.cv * 100, 1, t),  # cv = SE / estimate
                format_number(cell.n, 0, t),
            )

    # Published vs computed, for every cell that has a published figure.
    compare = Table(
        id="published-table",
        caption=t("gap.published_caption", year=year),
        columns=[
            Column(t("gap.col_group")),
            Column(t("gap.col_component")),
            Column(t("gap.computed"), numeric=True),
            Column(t("gap.col_ci"), numeric=True),
            Column(t("gap.published"), numeric=True),
            Column(t("gap.col_difference"), numeric=True),
            Column(t("gap.col_within")),
        ],
    )
    published_latest = {(p.group, p.component): p.value for p in data.published if p.year == year}
    for (g, _, _), name in zip(groups, names, strict=True):
        for c in components:
            cell = latest.cell(g, c)
            pub = cell.published if cell and cell.published is not None else published_latest.get((g, c))
            if cell is None or pub is None or cell.estimate is None:
                continue
            inside = (
                cell.ci_low is not None and cell.ci_high is not None and cell.ci_low <= pub <= cell.ci_high
            )
            compare.add(
                name,
                comp_names[c],
                format_number(cell.estimate, 1, t),
                _ci(cell, t),
                format_number(pub, 1, t),
                f"{cell.estimate - pub:+.1f}",
                t("gap.within_yes") if inside else t("gap.within_no"),
            )

    # Trends: published totals per group, plus the computed totals as their own series.
    trend_groups = [g for g, _, _ in groups if g in (AVERAGE, *INDEX_GROUPS)]
    # Published figures up to the report's year: a later release is not part of this report's story.
    pub_years = sorted(
        {
            p.year
            for p in data.published
            if p.component == TOTAL and p.group in trend_groups and p.year <= year
        }
    )
    years = sorted(set(pub_years) | {r.year for r in data.results})
    trend_chart = None
    if len(years) >= 2:
        series = []
        for i, g in enumerate(trend_groups):
            values = {
                p.year: p.value
                for p in data.published
                if p.group == g and p.component == TOTAL and p.year <= year
            }
            label = group_name(g, g, t)
            series.append(
                Series(t("gap.published_series", group=label), [values.get(y) for y in years], style=i)
            )
        computed = []
        for i, g in enumerate(trend_groups):
            points = {r.year: r.cell(g, TOTAL) for r in data.results}
            if not any(points.values()):
                continue
            computed.append(
                Series(
                    t("gap.computed_series", group=group_name(g, g, t)),
                    [points[y].estimate if points.get(y) else None for y in years],
                    lower=[points[y].ci_low if points.get(y) else None for y in years],
                    upper=[points[y].ci_high if points.get(y) else None for y in years],
                    style=i,
                    forecast=True,
                )
            )
        breaks = []
        if years[0] < SERIES_BREAK_YEAR <= years[-1]:
            breaks.append((years.index(SERIES_BREAK_YEAR), t("gap.break_2017")))
        trend_chart = line_chart(
            "chart-trend",
            t("gap.trend_chart_title", first=years[0], last=years[-1]),
            [str(y) for y in years],
            series + computed,
            t,
            x_label=t("gap.col_year"),
            breaks=breaks,
            interval_label=t("chart.ci_95_band"),
        )
        # Two narrow tables instead of one too wide for a phone: published by year, computed with CIs.
        published_table = Table(
            id="chart-trend-data",
            caption=t("gap.trend_published_caption"),
            columns=[Column(t("gap.col_year"))]
            + [Column(group_name(g, g, t), numeric=True) for g in trend_groups],
        )
        for i, y in enumerate(years):
            published_table.add(str(y), *[format_number(s_.values[i], 1, t) for s_ in series])
        computed_table = Table(
            id="chart-trend-computed",
            caption=t("gap.trend_computed_caption"),
            columns=[
                Column(t("gap.col_year")),
                Column(t("gap.col_group")),
                Column(t("gap.computed"), numeric=True),
                Column(t("gap.col_ci"), numeric=True),
            ],
        )
        for r in data.results:
            for g in trend_groups:
                cell = r.cell(g, TOTAL)
                if cell:
                    computed_table.add(
                        str(r.year), group_name(g, g, t), format_number(cell.estimate, 1, t), _ci(cell, t)
                    )
        trend_chart.table = published_table
        trend_chart.extra_tables = [computed_table]

    meta = latest.meta
    rule = meta.get("rule") or {}
    design = meta.get("design") or {}
    population = meta.get("population") or {}
    warnings = [str(w) for r in data.results for w in (r.meta.get("warnings") or [])]
    average_total = latest.cell(AVERAGE, TOTAL)
    domain_tables = _domain_tables(latest, t)

    toc = [
        ("summary", t("gap.sec_summary")),
        ("levels", t("gap.sec_levels")),
        ("average", t("gap.sec_average")),
        ("trends", t("gap.sec_trends")),
        ("published", t("gap.sec_published")),
    ]
    if domain_tables:
        toc.append(("domains", t("gap.sec_domains")))
    toc.append(("method", t("gap.sec_method")))
    return {
        "data": data,
        "latest": latest,
        "year": year,
        "toc": toc,
        "average_total": average_total,
        "average_rows": [
            (comp_names[c], latest.cell(AVERAGE, c)) for c in components if latest.cell(AVERAGE, c)
        ],
        "group_totals": [(name, cell) for name, cell in zip(names, totals, strict=True) if cell],
        "total_chart": total_chart,
        "component_chart": component_chart,
        "levels_table": levels_table,
        "published_table": compare,
        "trend_chart": trend_chart,
        "rule": rule,
        "method_facts": _method_facts(rule, design, latest, t),
        "population": population,
        "shares": [
            (group_name(g, g, t), share * 100) for g, share in (population.get("shares") or {}).items()
        ],
        "warnings": warnings,
        "domain_tables": domain_tables,
        "level_text": _level_text(latest),
        "ci": lambda cell: _ci(cell, t),
    }


def _method_facts(rule: dict, design: dict, result: GapResult, t: Translator) -> list[tuple[str, str]]:
    """Rule and design facts as (label, value), whatever keys the result carries."""
    facts: list[tuple[str, str]] = []
    if rule.get("id"):
        facts.append((t("gap.fact_rule"), str(rule["id"])))
    weights = rule.get("weights") or {}
    if weights:
        text = ", ".join(
            f"{t(f'component.{k}') if t.has(f'component.{k}') else k} {v}" for k, v in weights.items()
        )
        facts.append((t("gap.fact_weights"), text))
    if "reproducible" in rule:
        facts.append(
            (t("gap.fact_reproducible"), t("gap.within_yes") if rule["reproducible"] else t("gap.within_no"))
        )
    for key, value in design.items():
        label = t(f"design.{key}") if t.has(f"design.{key}") else key
        facts.append((label, str(value)))
    codebook = result.meta.get("codebook") or {}
    if codebook.get("version") or codebook.get("source"):
        facts.append(
            (t("gap.fact_codebook"), f"{codebook.get('source', '')} {codebook.get('version', '')}".strip())
        )
    return facts


def _level_text(result: GapResult) -> str:
    level = result.meta.get("confidence_level")
    return f"{round(float(level) * 100):d}%" if isinstance(level, int | float) else "95%"


def _domain_tables(result: GapResult, t: Translator) -> list[Table]:
    """One table per domain: each index group's total level by the domain's levels."""
    by_domain: dict[str, list[dict[str, Any]]] = {}
    for row in result.domains:
        if row.get("component") == TOTAL:
            by_domain.setdefault(str(row.get("domain")), []).append(row)
    tables = []
    for domain, rows in by_domain.items():
        table = Table(
            id=f"domain-{len(tables) + 1}",
            caption=t(
                "gap.domain_caption", domain=t(f"domain.{domain}") if t.has(f"domain.{domain}") else domain
            ),
            columns=[
                Column(t("gap.col_group")),
                Column(t("gap.col_domain_level")),
                Column(t("gap.level"), numeric=True),
                Column(t("gap.col_ci"), numeric=True),
                Column(t("gap.col_n"), numeric=True),
            ],
        )
        for row in rows:
            g = str(row.get("group"))
            cell = LevelCell(
                result.year,
                g,
                g,
                "",
                TOTAL,
                _number(row.get("estimate")),
                ci_low=_number(row.get("ci_low")),
                ci_high=_number(row.get("ci_high")),
            )
            table.add(
                group_name(g, g, t),
                str(row.get("level_label") or row.get("level")),
                format_number(cell.estimate, 1, t),
                _ci(cell, t),
                format_number(_number(row.get("n")), 0, t),
            )
        tables.append(table)
    return tables


def render_gap_report(data: GapReportData, lang: str = "ko", provenance: Provenance | None = None) -> str:
    t = translator(lang)
    context = gap_context(data, t)
    return render_template(
        "gap.html.j2",
        lang,
        report_kind="gap",
        page_title=t("gap.title", year=data.latest.year),
        provenance=provenance or Provenance(),
        **context,
    )


def gap_summary(data: GapReportData) -> dict[str, Any]:
    latest = data.latest
    avg = latest.cell(AVERAGE, TOTAL)
    return {
        "years": [r.year for r in data.results],
        "four_group_average": None
        if avg is None
        else {"estimate": avg.estimate, "ci_low": avg.ci_low, "ci_high": avg.ci_high},
        "groups": {
            g: (latest.cell(g, TOTAL).estimate if latest.cell(g, TOTAL) else None)
            for g, _, _ in latest.groups
        },
    }

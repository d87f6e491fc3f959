"""The training report: KPIs against targets by group and region, the funnel, trends and forecast with
intervals, equity ratios beside gap-index levels, small cells suppressed.

:class:`TrainingReportData` is the report's input, filled from the training tracker by
``reports.sources.load_training``. Counts below ``min_cell`` are never shown (``<5``), nor is any rate
computed from one; every suppressed cell is counted and the count is printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reports.charts import Series, bar_chart, line_chart
from reports.i18n import Translator, translator
from reports.render import Provenance, format_number, format_percent, render_template
from reports.tables import DEFAULT_MIN_CELL, Column, Suppressor, Table

FUNNEL_STEPS = ("enrolled", "attended", "completed", "certified", "employed")


@dataclass
class KpiRow:
    """Counts for one group or region; None = not available or suppressed upstream."""

    key: str
    label: str | None = None
    enrolled: int | None = None
    completed: int | None = None
    target_enrolled: int | None = None
    target_completed: int | None = None
    #: Fields the source already suppressed (their value is None).
    suppressed: list[str] = field(default_factory=list)


@dataclass
class FunnelStep:
    key: str
    count: int | None
    suppressed: bool = False


@dataclass
class ForecastPoint:
    year: int
    mean: float
    lower: float
    upper: float


@dataclass
class Forecast:
    model: str
    level: float = 0.95
    points: list[ForecastPoint] = field(default_factory=list)
    note: str | None = None


@dataclass
class EquityRow:
    group: str
    trainees: int | None
    trainee_share: float | None  # percent of all trainees
    population_share: float | None  # percent of the relevant population
    ratio: float | None  # trainee_share / population_share
    gap_level: float | None = None  # the group's Digital Information Gap Index total
    gap_year: int | None = None
    suppressed: bool = False


@dataclass
class TrainingReportData:
    year: int
    total: KpiRow
    programme: str | None = None
    region: str | None = None
    min_cell: int = DEFAULT_MIN_CELL
    by_group: list[KpiRow] = field(default_factory=list)
    by_region: list[KpiRow] = field(default_factory=list)
    funnel: list[FunnelStep] = field(default_factory=list)
    trend_years: list[int] = field(default_factory=list)
    trend_enrolled: list[int | None] = field(default_factory=list)
    trend_completed: list[int | None] = field(default_factory=list)
    forecast: Forecast | None = None
    equity: list[EquityRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- helpers


def _rate(num: int | None, den: int | None) -> float | None:
    if num is None or den is None or den == 0:
        return None
    return 100.0 * num / den


class _Cells:
    """Formats counts and rates with suppression, and remembers what it suppressed."""

    def __init__(self, t: Translator, min_cell: int) -> None:
        self.t = t
        self.sup = Suppressor(min_cell=min_cell)

    def count(self, value: int | None, suppressed: bool = False) -> str:
        if suppressed:
            self.sup.suppressed += 1
            return self.sup.label
        return self.sup.count(value, format_number(value, 0, self.t))

    def label(self, value: int | None, suppressed: bool = False) -> str:
        """Like :meth:`count` but not counted: for a chart label repeating a table cell."""
        if suppressed or self.sup.is_small(value):
            return self.sup.label
        return format_number(value, 0, self.t)

    def rate(self, num: int | None, den: int | None, suppressed: bool = False) -> str:
        if suppressed:
            self.sup.suppressed += 1
            return self.sup.label
        return self.sup.rate(num, den, format_percent(_rate(num, den), 1, self.t))

    def shown(self, value: int | None, suppressed: bool = False) -> float | None:
        """The value to draw, or None when it is suppressed (never drawn)."""
        if suppressed or value is None or self.sup.is_small(value):
            return None
        return float(value)

    def shown_rate(self, num: int | None, den: int | None, suppressed: bool = False) -> float | None:
        if suppressed or self.sup.is_small(num) or self.sup.is_small(den):
            return None
        return _rate(num, den)


def _name(row: KpiRow, kind: str, t: Translator) -> str:
    if row.label:
        return row.label
    key = f"{kind}.{row.key}"
    if t.has(key):
        return t(key)
    if kind == "region":
        from training_tracker.regions import SIDO

        if row.key in SIDO:
            return SIDO[row.key][0 if t.lang == "ko" else 1]
    return row.key


def _kpi_section(rows: list[KpiRow], kind: str, cells: _Cells, t: Translator, prefix: str):
    names = [_name(r, kind, t) for r in rows]
    enrolled = Series(
        t("training.enrolled"),
        [cells.shown(r.enrolled, "enrolled" in r.suppressed) for r in rows],
        labels=[cells.label(r.enrolled, "enrolled" in r.suppressed) for r in rows],
    )
    chart = bar_chart(
        f"chart-{prefix}",
        t(f"training.{prefix}_chart_title"),
        names,
        [enrolled],
        t,
        category_label=t(f"training.col_{kind}"),
        digits=0,
        targets=[float(r.target_enrolled) if r.target_enrolled is not None else None for r in rows],
        target_label=t("training.target_enrolled"),
    )
    table = Table(
        id=f"{prefix}-table",
        caption=t(f"training.{prefix}_caption"),
        columns=[
            Column(t(f"training.col_{kind}")),
            Column(t("training.enrolled"), numeric=True),
            Column(t("training.target_enrolled"), numeric=True),
            Column(t("training.attainment"), numeric=True),
            Column(t("training.completed"), numeric=True),
            Column(t("training.completion_rate"), numeric=True),
        ],
    )
    for r, name in zip(rows, names, strict=True):
        s_enr, s_comp = "enrolled" in r.suppressed, "completed" in r.suppressed
        table.add(
            name,
            cells.count(r.enrolled, s_enr),
            format_number(r.target_enrolled, 0, t),
            cells.rate(r.enrolled, r.target_enrolled, s_enr)
            if r.target_enrolled
            else format_percent(None, 1, t),
            cells.count(r.completed, s_comp),
            cells.rate(r.completed, r.enrolled, s_enr or s_comp),
        )
    return chart, table


# ---------------------------------------------------------------------------------------------- context


def training_context(data: TrainingReportData, t: Translator) -> dict[str, Any]:
    cells = _Cells(t, data.min_cell)
    total = data.total
    s_enr, s_comp = "enrolled" in total.suppressed, "completed" in total.suppressed
    kpis = [
        (
            t("training.enrolled"),
            cells.count(total.enrolled, s_enr),
            t(
                "training.of_target",
                target=format_number(total.target_enrolled, 0, t),
                rate=cells.rate(total.enrolled, total.target_enrolled, s_enr),
            )
            if total.target_enrolled
            else t("training.no_target"),
        ),
        (
            t("training.completed"),
            cells.count(total.completed, s_comp),
            t(
                "training.of_target",
                target=format_number(total.target_completed, 0, t),
                rate=cells.rate(total.completed, total.target_completed, s_comp),
            )
            if total.target_completed
            else t("training.no_target"),
        ),
        (
            t("training.completion_rate"),
            cells.rate(total.completed, total.enrolled, s_enr or s_comp),
            t("training.completion_rate_def"),
        ),
    ]

    group_chart, group_table = _kpi_section(data.by_group, "group", cells, t, "groups")
    region_chart, region_table = _kpi_section(data.by_region, "region", cells, t, "regions")

    funnel_chart = funnel_table = None
    if data.funnel:
        steps = data.funnel
        first = steps[0].count if not steps[0].suppressed else None
        labels, values = [], []
        funnel_table = Table(
            id="funnel-table",
            caption=t("training.funnel_caption"),
            columns=[
                Column(t("training.col_step")),
                Column(t("training.col_count"), numeric=True),
                Column(t("training.col_from_previous"), numeric=True),
                Column(t("training.col_from_first"), numeric=True),
            ],
        )
        previous: FunnelStep | None = None
        for step in steps:
            count = cells.count(step.count, step.suppressed)
            labels.append(count)
            values.append(cells.shown(step.count, step.suppressed))
            prev_count = previous.count if previous else None
            funnel_table.add(
                t(f"funnel.{step.key}") if t.has(f"funnel.{step.key}") else step.key,
                count,
                cells.rate(step.count, prev_count, step.suppressed or bool(previous and previous.suppressed))
                if previous
                else format_percent(100.0 if step.count else None, 1, t),
                cells.rate(step.count, first, step.suppressed or steps[0].suppressed),
            )
            previous = step
        funnel_chart = bar_chart(
            "chart-funnel",
            t("training.funnel_chart_title"),
            [t(f"funnel.{s.key}") if t.has(f"funnel.{s.key}") else s.key for s in steps],
            [Series(t("training.col_count"), values, labels=labels)],
            t,
            category_label=t("training.col_step"),
            digits=0,
            table_caption=t("training.funnel_chart_data"),
        )

    trend_chart = None
    if len(data.trend_years) >= 2 or data.forecast:
        f_years = [p.year for p in data.forecast.points] if data.forecast else []
        years = sorted(set(data.trend_years) | set(f_years))
        enrolled_by = dict(zip(data.trend_years, data.trend_enrolled, strict=True))
        completed_by = dict(
            zip(data.trend_years, data.trend_completed or [None] * len(data.trend_years), strict=True)
        )
        series = [
            Series(
                t("training.enrolled"),
                [cells.shown(enrolled_by.get(y)) for y in years],
                labels=[
                    cells.count(enrolled_by.get(y)) if y in enrolled_by else t("common.missing")
                    for y in years
                ],
            ),
            Series(
                t("training.completed"),
                [cells.shown(completed_by.get(y)) for y in years],
                labels=[
                    cells.count(completed_by.get(y)) if y in completed_by else t("common.missing")
                    for y in years
                ],
            ),
        ]
        if data.forecast and data.forecast.points:
            by_year = {p.year: p for p in data.forecast.points}
            last = max(data.trend_years) if data.trend_years else None
            values, lows, highs, labels = [], [], [], []
            for y in years:
                if y in by_year:
                    values.append(by_year[y].mean)
                    lows.append(by_year[y].lower)
                    highs.append(by_year[y].upper)
                    labels.append(format_number(by_year[y].mean, 0, t))
                elif y == last and cells.shown(enrolled_by.get(y)) is not None:
                    # The forecast line starts at the last observed value (no interval there).
                    values.append(float(enrolled_by[y]))
                    lows.append(None)
                    highs.append(None)
                    labels.append(t("training.observed", value=format_number(enrolled_by[y], 0, t)))
                else:
                    values.append(None)
                    lows.append(None)
                    highs.append(None)
                    labels.append(t("common.missing"))
            series.append(
                Series(
                    t("training.forecast"),
                    values,
                    lower=lows,
                    upper=highs,
                    labels=labels,
                    forecast=True,
                    style=0,
                )
            )
        trend_chart = line_chart(
            "chart-trend",
            t("training.trend_chart_title"),
            [str(y) for y in years],
            series,
            t,
            x_label=t("training.col_year"),
            digits=0,
            y_min=0.0,
        )

    equity_table = equity_chart = None
    if data.equity:
        names = [t(f"group.{e.group}") if t.has(f"group.{e.group}") else e.group for e in data.equity]
        equity_table = Table(
            id="equity-table",
            caption=t("training.equity_caption"),
            columns=[
                Column(t("training.col_group")),
                Column(t("training.trainee_share"), numeric=True),
                Column(t("training.population_share"), numeric=True),
                Column(t("training.equity_ratio"), numeric=True),
                Column(t("training.gap_level"), numeric=True),
            ],
        )
        ratios, labels = [], []
        for e, name in zip(data.equity, names, strict=True):
            hidden = e.suppressed or cells.sup.is_small(e.trainees)
            if hidden:
                cells.sup.suppressed += 1
            ratio_text = cells.sup.label if hidden else format_number(e.ratio, 2, t)
            ratios.append(None if hidden else e.ratio)
            labels.append(ratio_text)
            gap = format_number(e.gap_level, 1, t)
            if e.gap_level is not None and e.gap_year:
                gap = t("training.gap_level_year", level=gap, year=e.gap_year)
            equity_table.add(
                name,
                cells.sup.label if hidden else format_percent(e.trainee_share, 1, t),
                format_percent(e.population_share, 1, t),
                ratio_text,
                gap,
            )
        equity_chart = bar_chart(
            "chart-equity",
            t("training.equity_chart_title"),
            names,
            [Series(t("training.equity_ratio"), ratios, labels=labels)],
            t,
            category_label=t("training.col_group"),
            digits=2,
            reference=(1.0, t("training.parity")),
            table_caption=t("training.equity_chart_data"),
        )

    toc = [
        ("summary", t("training.sec_summary")),
        ("groups", t("training.sec_groups")),
        ("regions", t("training.sec_regions")),
        ("funnel", t("training.sec_funnel")),
        ("trends", t("training.sec_trends")),
        ("equity", t("training.sec_equity")),
        ("method", t("training.sec_method")),
    ]
    return {
        "data": data,
        "toc": toc,
        "kpis": kpis,
        "group_chart": group_chart,
        "group_table": group_table,
        "region_chart": region_chart,
        "region_table": region_table,
        "funnel_chart": funnel_chart,
        "funnel_table": funnel_table,
        "trend_chart": trend_chart,
        "equity_chart": equity_chart,
        "equity_table": equity_table,
        # Read after every table above is built, so the count is complete.
        "suppression": cells.sup,
    }


def render_training_report(
    data: TrainingReportData, lang: str = "ko", provenance: Provenance | None = None
) -> tuple[str, int]:
    """The HTML and the number of cells suppressed."""
    t = translator(lang)
    context = training_context(data, t)
    html = render_template(
        "training.html.j2",
        lang,
        report_kind="training",
        page_title=t("training.title", year=data.year),
        provenance=provenance or Provenance(),
        **context,
    )
    return html, context["suppression"].suppressed


def training_summary(data: TrainingReportData, suppressed: int) -> dict[str, Any]:
    small = Suppressor(min_cell=data.min_cell)

    def safe(v: int | None) -> int | None:
        return None if v is None or small.is_small(v) else v

    total = data.total
    return {
        "year": data.year,
        "programme": data.programme,
        "region": data.region,
        "enrolled": safe(total.enrolled),
        "completed": safe(total.completed),
        "target_enrolled": total.target_enrolled,
        "suppressed_cells": suppressed,
        "min_cell": data.min_cell,
    }

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
        "forecast_model": (
            t(f"forecast_model.{data.forecast.model}")
            if data.forecast and t.has(f"forecast_model.{data.forecast.model}")
            else (data.forecast.model if data.forecast else "")
        ),
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


# ---------------------------------------------------------------------------------------------- JSON input


def _build(cls, raw: Any, where: str):
    """A dataclass from a JSON object, naming the field that is wrong."""
    import dataclasses

    from reports.errors import ReportError

    if not isinstance(raw, dict):
        raise ReportError(f"{where}: expected an object.", hint=_JSON_HINT)
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ReportError(f"{where}: unknown field(s) {', '.join(unknown)}.", hint=_JSON_HINT)
    missing = [
        name
        for name, f in known.items()
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING and name not in raw
    ]
    if missing:
        raise ReportError(f"{where}: field {missing[0]!r} is missing.", hint=_JSON_HINT)
    return raw


_JSON_HINT = "See docs/how-to/reports.md for the training report's JSON input."


def _ints(raw: Any, where: str, *, allow_none: bool = True) -> Any:
    from reports.errors import ReportError

    if raw is None and allow_none:
        return None
    if (
        isinstance(raw, bool)
        or not isinstance(raw, int | float)
        or (isinstance(raw, float) and not raw.is_integer())
    ):
        raise ReportError(f"{where}: expected a whole number, got {raw!r}.", hint=_JSON_HINT)
    return int(raw)


def _floats(raw: Any, where: str) -> float | None:
    from reports.errors import ReportError

    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ReportError(f"{where}: expected a number, got {raw!r}.", hint=_JSON_HINT)
    return float(raw)


def _kpi(raw: Any, where: str) -> KpiRow:
    raw = _build(KpiRow, raw, where)
    return KpiRow(
        key=str(raw["key"]),
        label=raw.get("label"),
        enrolled=_ints(raw.get("enrolled"), f"{where}.enrolled"),
        completed=_ints(raw.get("completed"), f"{where}.completed"),
        target_enrolled=_ints(raw.get("target_enrolled"), f"{where}.target_enrolled"),
        target_completed=_ints(raw.get("target_completed"), f"{where}.target_completed"),
        suppressed=[str(x) for x in raw.get("suppressed") or []],
    )


def parse_training_json(raw: Any, source: str) -> TrainingReportData:
    """The training report's input from JSON (the shape of :class:`TrainingReportData`, as
    ``dataclasses.asdict`` writes it; the ``--json`` envelope is accepted)."""
    if isinstance(raw, dict) and "data" in raw and "schema_version" in raw:
        raw = raw["data"]
    raw = _build(TrainingReportData, raw, source)
    forecast = None
    if raw.get("forecast"):
        f = _build(Forecast, raw["forecast"], f"{source}: forecast")
        points = []
        for i, point in enumerate(f.get("points") or []):
            where = f"{source}: forecast.points[{i}]"
            p = _build(ForecastPoint, point, where)
            points.append(
                ForecastPoint(
                    year=_ints(p["year"], f"{where}.year", allow_none=False),
                    mean=_floats(p["mean"], f"{where}.mean"),
                    lower=_floats(p["lower"], f"{where}.lower"),
                    upper=_floats(p["upper"], f"{where}.upper"),
                )
            )
        forecast = Forecast(
            model=str(f["model"]),
            level=_floats(f.get("level", 0.95), f"{source}: forecast.level") or 0.95,
            points=points,
            note=f.get("note"),
        )
    years = [
        _ints(y, f"{source}: trend_years[{i}]", allow_none=False)
        for i, y in enumerate(raw.get("trend_years") or [])
    ]
    enrolled = [
        _ints(v, f"{source}: trend_enrolled[{i}]") for i, v in enumerate(raw.get("trend_enrolled") or [])
    ]
    completed = [
        _ints(v, f"{source}: trend_completed[{i}]") for i, v in enumerate(raw.get("trend_completed") or [])
    ]
    from reports.errors import ReportError

    for name, values in (("trend_enrolled", enrolled), ("trend_completed", completed)):
        if values and len(values) != len(years):
            raise ReportError(
                f"{source}: {name} has {len(values)} values for {len(years)} trend_years.", hint=_JSON_HINT
            )
    return TrainingReportData(
        year=_ints(raw["year"], f"{source}: year", allow_none=False),
        total=_kpi(raw["total"], f"{source}: total"),
        programme=raw.get("programme"),
        region=raw.get("region"),
        min_cell=max(
            DEFAULT_MIN_CELL, _ints(raw.get("min_cell", DEFAULT_MIN_CELL), f"{source}: min_cell") or 0
        ),
        by_group=[_kpi(r, f"{source}: by_group[{i}]") for i, r in enumerate(raw.get("by_group") or [])],
        by_region=[_kpi(r, f"{source}: by_region[{i}]") for i, r in enumerate(raw.get("by_region") or [])],
        funnel=[
            FunnelStep(
                key=str(_build(FunnelStep, s, f"{source}: funnel[{i}]")["key"]),
                count=_ints(s.get("count"), f"{source}: funnel[{i}].count"),
                suppressed=bool(s.get("suppressed", False)),
            )
            for i, s in enumerate(raw.get("funnel") or [])
        ],
        trend_years=years,
        trend_enrolled=enrolled,
        trend_completed=completed,
        forecast=forecast,
        equity=[
            EquityRow(
                group=str(_build(EquityRow, e, f"{source}: equity[{i}]")["group"]),
                trainees=_ints(e.get("trainees"), f"{source}: equity[{i}].trainees"),
                trainee_share=_floats(e.get("trainee_share"), f"{source}: equity[{i}].trainee_share"),
                population_share=_floats(
                    e.get("population_share"), f"{source}: equity[{i}].population_share"
                ),
                ratio=_floats(e.get("ratio"), f"{source}: equity[{i}].ratio"),
                gap_level=_floats(e.get("gap_level"), f"{source}: equity[{i}].gap_level"),
                gap_year=_ints(e.get("gap_year"), f"{source}: equity[{i}].gap_year"),
                suppressed=bool(e.get("suppressed", False)),
            )
            for i, e in enumerate(raw.get("equity") or [])
        ],
        notes=[str(n) for n in raw.get("notes") or []],
    )


def fill_gap_levels(data: TrainingReportData) -> None:
    """Put the latest published gap-index total (at or before the report year) beside each group that
    has none, from gap_survey's published figures."""
    try:
        from gap_survey.published import load_published
    except ImportError:
        return
    table = load_published("digital")
    table = table[(table["component"] == "total") & (table["year"] <= data.year)]
    for row in data.equity:
        if row.gap_level is not None:
            continue
        hits = table[table["group"] == row.group]
        if len(hits):
            latest = hits.sort_values("year").iloc[-1]
            row.gap_level, row.gap_year = float(latest["value"]), int(latest["year"])

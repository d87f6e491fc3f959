"""`ddkit survey …`: validate survey microdata, compute the Digital Information Gap Index with
design-based SEs, compare years, show the published figures, and write synthetic data."""

from __future__ import annotations

import enum
import json
import math
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cli.exit_codes import ExitCode
from cli.options import JsonOption
from cli.output import envelope, err, out, print_json, progress_enabled
from gap_survey.errors import SurveyUsageError

app = typer.Typer(
    help=(
        "Digital Information Gap Index from survey microdata: validate, index, trend, synth, published.\n\n"
        "Example:\n\n"
        "  ddkit survey synth --year 2024 --n 15000 --seed 1 --out survey.parquet\n\n"
        "  ddkit survey index survey.parquet --year 2024"
    ),
    no_args_is_help=True,
)


class Variance(enum.StrEnum):
    jackknife = "jackknife"
    bootstrap = "bootstrap"
    taylor = "taylor"
    replicate = "replicate"


CodebookOption = Annotated[
    Path | None,
    typer.Option(
        "--codebook",
        "-c",
        help="YAML codebook (default: the shipped default codebook; see 'ddkit survey codebook').",
        show_default=False,
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="Also write the result: .json (the --json document), .csv (one file per table) or .xlsx (one sheet per table).",
        show_default=False,
    ),
]
LevelOption = Annotated[
    float, typer.Option("--level", help="Confidence level of the intervals.", min=0.5, max=0.999)
]

COMPONENT_ORDER = {"access": 0, "competency": 1, "utilization": 2, "total": 3}


@contextmanager
def _progress(label: str):
    """A spinner on stderr while long work runs (only on a terminal); yields the callback."""
    if not progress_enabled():
        yield lambda message: None
        return
    with err.status(f"{label}…") as status:
        yield lambda message: status.update(f"{label}: {escape(message)}…")


def _load_codebook(path: Path | None):
    from gap_survey.codebook import load_codebook

    return load_codebook(path)


def _table(title: str | None = None) -> Table:
    """A compact table that fits an 80-column terminal: no borders, one space between columns."""
    return Table(
        title=title,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
        title_justify="left",
    )


def _show(table: Table) -> None:
    """Print a table; when stdout is not a terminal (a file, a pipe) it may be wider than 80 columns."""
    if out.is_terminal:
        out.print(table)
    else:
        Console(highlight=False, width=160).print(table)


def _fmt(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return f"{value:.{digits}f}"


def _write_out(out_path: Path | None, kind: str, document: dict, tables: dict) -> list[Path]:
    """--out: the JSON envelope, or the tables as CSV/XLSX."""
    if out_path is None:
        return []
    from gap_survey.export import write_tables

    if out_path.suffix.lower() == ".json":
        if not out_path.parent.exists():
            raise SurveyUsageError(
                f"Folder {out_path.parent} does not exist.", hint="Create it first or choose another --out."
            )
        tmp = out_path.with_name(out_path.name + ".part")
        tmp.write_text(
            json.dumps(envelope(kind, document), ensure_ascii=False, indent=2, allow_nan=False) + "\n",
            encoding="utf-8",
        )
        tmp.replace(out_path)
        return [out_path]
    return write_tables(tables, out_path)


def _say_written(paths: list[Path]) -> None:
    for path in paths:
        err.print(f"Wrote {escape(str(path))}")


def _warnings(messages: list[str]) -> None:
    for message in messages:
        err.print(f"[yellow]Note:[/] {escape(message)}", soft_wrap=True)


# -- validate ---------------------------------------------------------------------------------


@app.command()
def validate(
    file: Annotated[
        Path, typer.Argument(help="Survey file: .csv, .xlsx, .sav, .dta or .parquet.", show_default=False)
    ],
    codebook: CodebookOption = None,
    max_listed: Annotated[
        int, typer.Option("--max-listed", help="List at most this many problems (counts stay exact).", min=1)
    ] = 10_000,
    out_path: OutOption = None,
    json_output: JsonOption = False,
) -> None:
    """Check a survey file against its codebook and report every problem with row and column.

    Finds, in one pass: missing columns, blank values, unknown answer codes, group and other codes
    out of range, values outside min/max, duplicate ids, weights of zero or below, negative
    replicate weights, single-PSU strata and empty groups. Rows count respondents from 1 (row 1
    is line 2 of a CSV file). Exits 0 when the file is clean and 3 when it has problems.

    Example:

        ddkit survey validate survey.csv --codebook codebook.yaml

        ddkit survey validate survey.sav --json --out problems.csv
    """
    import pandas as pd

    from gap_survey.index import validate_file
    from gap_survey.validate import problem_summary

    cb = _load_codebook(codebook)
    with _progress(f"Validating {file.name}") as say:
        say("reading")
        report = validate_file(file, cb, max_listed=max_listed)
    document = {
        **report.to_dict(),
        "codebook": {"source": cb.source, "version": cb.version, "sha256": cb.sha256},
    }
    problems = pd.DataFrame(
        [p.__dict__ for p in report.problems], columns=["kind", "message", "column", "row", "value"]
    )
    _say_written(
        _write_out(
            out_path,
            "survey.validate",
            document,
            {"problems": problems, "counts": pd.DataFrame(problem_summary(report))},
        )
    )
    if json_output:
        print_json("survey.validate", document)
    elif report.ok:
        out.print(
            f"[green]OK[/] {escape(str(file))}: {report.n_rows:,} respondents, no problems against codebook {escape(cb.version)}."
        )
    else:
        out.print(
            f"[red]{report.total:,} problem(s)[/] in {escape(str(file))} ({report.n_rows:,} respondents):"
        )
        summary = _table()
        for col in ("kind", "column", "count"):
            summary.add_column(col, justify="right" if col == "count" else "left")
        for row in problem_summary(report)[:30]:
            summary.add_row(row["kind"], escape(str(row["column"] or "")), f"{row['count']:,}")
        _show(summary)
        for problem in report.problems[:20]:
            out.print(f"  {escape(problem.message)}")
        if report.total > 20:
            out.print(f"  … {report.total - 20:,} more (use --json or --out problems.csv for the full list)")
        if report.not_listed:
            out.print(
                f"  ({report.not_listed:,} problems are counted but not listed; raise --max-listed to list them)"
            )
    if not report.ok:
        raise typer.Exit(code=int(ExitCode.RUNTIME))


# -- index ------------------------------------------------------------------------------------


def _levels_table(levels, year: int) -> Table:
    table = _table(f"Digital Information Gap Index {year} (general public = 100)")
    for col, just in (
        ("group", "left"),
        ("comp.", "left"),
        ("est.", "right"),
        ("SE", "right"),
        ("95% CI", "right"),
        ("CV%", "right"),
        ("n", "right"),
        ("publ.", "right"),
        ("diff", "right"),
    ):
        table.add_column(col, justify=just, no_wrap=True)
    previous = None
    for row in levels.to_dict(orient="records"):
        group = row["group"] if row["group"] != previous else ""
        previous = row["group"]
        cv = row["cv"] * 100 if row["cv"] is not None and math.isfinite(row["cv"]) else None
        table.add_row(
            escape(group),
            row["component"],
            _fmt(row["estimate"]),
            _fmt(row["se"], 2),
            f"{_fmt(row['ci_low'])}–{_fmt(row['ci_high'])}",
            _fmt(cv, 2),
            f"{row['n']:,}",
            _fmt(row["published"]),
            _fmt(row["difference"], 2),
        )
    return table


@app.command()
def index(
    file: Annotated[
        Path, typer.Argument(help="Survey file: .csv, .xlsx, .sav, .dta or .parquet.", show_default=False)
    ],
    year: Annotated[
        int,
        typer.Option(
            "--year", "-y", help="Survey year (chooses the aggregation rule and the published figures)."
        ),
    ],
    codebook: CodebookOption = None,
    variance: Annotated[
        Variance | None,
        typer.Option(
            "--variance",
            help="SE method: jackknife (by PSU within strata), bootstrap (Rao-Wu), taylor (linearisation) or "
            "replicate (the file's replicate weights). Default: replicate when the codebook declares replicate weights, else jackknife.",
            show_default=False,
        ),
    ] = None,
    replicates: Annotated[int, typer.Option("--replicates", help="Bootstrap replicates.", min=2)] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the bootstrap.")] = 1,
    domain: Annotated[
        list[str] | None,
        typer.Option(
            "--domain",
            "-d",
            help="Domain to break down (repeat; default: every domain of the codebook).",
            show_default=False,
        ),
    ] = None,
    no_domains: Annotated[bool, typer.Option("--no-domains", help="Skip the domain tables.")] = False,
    population: Annotated[
        Path | None,
        typer.Option(
            "--population",
            help="CSV of group,population[,year] for the four-group average (default: shipped assumed shares).",
            show_default=False,
        ),
    ] = None,
    rules: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            help="YAML of component weights by year (default: the shipped rules).",
            show_default=False,
        ),
    ] = None,
    level: LevelOption = 0.95,
    out_path: OutOption = None,
    json_output: JsonOption = False,
) -> None:
    """Compute the index for one survey year, with SE, CI, CV and n for every cell.

    Validates the file first (exit 3 on any problem). For every group and component:
    level = 100 x weighted mean / general-public mean; total = 0.2 A + 0.4 C + 0.4 U (2017 rule);
    the four-group average weights groups by population. SEs recompute the whole pipeline per
    replicate, or linearise it (--variance taylor). Published figures of the year are shown
    beside the computed ones. Domain tables (sex, age band, region, …) use the full design.

    Example:

        ddkit survey index survey.parquet --year 2024

        ddkit survey index survey.sav --codebook codebook.yaml --year 2024 --variance taylor --out index-2024.xlsx

        ddkit survey index survey.csv --year 2024 --domain region --json --out index-2024.json
    """
    from gap_survey.index import compute_index_from_file

    cb = _load_codebook(codebook)
    domains = [] if no_domains else domain
    with _progress(f"Index {year}") as say:
        result = compute_index_from_file(
            file,
            cb,
            year,
            progress=say,
            variance=variance.value if variance else None,
            replicates=replicates,
            seed=seed,
            domains=domains,
            population=population,
            rules=rules,
            level=level,
        )
    document = result.to_dict()
    _say_written(_write_out(out_path, "survey.index", document, result.tables()))
    if json_output:
        print_json("survey.index", document)
        return
    _show(_levels_table(result.levels, year))
    d = result.meta["design"]
    out.print(
        f"SEs: {d['variance_method']}, {d['replicates'] or 'no'} replicates, {d['strata']} strata, {d['psus']} PSUs, "
        f"df {d['df']}; rule {result.meta['rule']['id']} "
        f"(weights {', '.join(f'{k} {v:g}' for k, v in result.meta['rule']['weights'].items())})."
    )
    if len(result.domains):
        out.print(
            f"Domain tables: {', '.join(result.meta['domains'])} ({len(result.domains):,} rows; see --out or --json)."
        )
    _warnings(result.meta["warnings"])


# -- trend ------------------------------------------------------------------------------------


@app.command()
def trend(
    results: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Index results of several years (.json from 'survey index --out', or .csv/.xlsx levels tables).",
            show_default=False,
        ),
    ] = None,
    published: Annotated[
        bool,
        typer.Option(
            "--published", help="Without result files: the published series and its year-over-year changes."
        ),
    ] = False,
    group: Annotated[
        list[str] | None,
        typer.Option("--group", "-g", help="Show only these groups (repeat).", show_default=False),
    ] = None,
    level: LevelOption = 0.95,
    out_path: OutOption = None,
    json_output: JsonOption = False,
) -> None:
    """Compare years: the series, year-over-year changes with SE and a z test, and linear trends.

    Years are separate samples, so SE(change) = sqrt(SE1^2 + SE2^2); a change is significant when
    its two-sided p-value is below 1 - level. With three or more years a weighted least-squares
    slope per year is given too. Published changes are shown beside the computed ones.

    Example:

        ddkit survey trend index-2023.json index-2024.json

        ddkit survey trend index-*.json --group elderly --out trend.xlsx

        ddkit survey trend --published --group vulnerable_avg
    """
    from gap_survey.trend import compute_trend, load_levels, published_trend

    if not results:
        if not published:
            raise SurveyUsageError(
                "Give index result files, or --published for the published series.",
                hint="ddkit survey trend index-2023.json index-2024.json",
            )
        table = published_trend()
        if group:
            table = table[table["group"].isin(group)]
        document = {
            "published": [
                {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in r.items()}
                for r in table.to_dict(orient="records")
            ]
        }
        _say_written(_write_out(out_path, "survey.trend", document, {"published": table}))
        if json_output:
            print_json("survey.trend", document)
            return
        view = _table("Published series (no SEs are published)")
        for col in ("group", "component", "year", "published", "change"):
            view.add_column(col, justify="left" if col in ("group", "component") else "right")
        for r in table[table["component"].isin(["total", "access", "competency", "utilization"])].to_dict(
            orient="records"
        ):
            view.add_row(
                r["group"], r["component"], str(r["year"]), _fmt(r["published"]), _fmt(r["published_change"])
            )
        _show(view)
        return

    loaded = [load_levels(path) for path in results]
    tables = [t for t, _ in loaded]
    if group:
        tables = [t[t["group"].isin(group)] for t in tables]
    result = compute_trend(tables, level=level, metas=[m for _, m in loaded])
    document = result.to_dict()
    _say_written(_write_out(out_path, "survey.trend", document, result.tables()))
    if json_output:
        print_json("survey.trend", document)
        return
    view = _table("Year-over-year changes (general public = 100)")
    for col in (
        "group",
        "component",
        "years",
        "change",
        "SE",
        f"{int(level * 100)}% CI",
        "p",
        "published change",
    ):
        view.add_column(col, justify="left" if col in ("group", "component") else "right")
    changes = result.changes
    if len(changes):
        changes = changes.assign(_o=changes["component"].map(COMPONENT_ORDER)).sort_values(
            ["group", "_o", "from_year"]
        )
    for r in changes.to_dict(orient="records"):
        mark = " *" if r["significant"] else ""
        view.add_row(
            r["group"],
            r["component"],
            f"{r['from_year']}→{r['to_year']}",
            _fmt(r["change"], 2) + mark,
            _fmt(r["se"], 2),
            f"{_fmt(r['ci_low'], 2)}–{_fmt(r['ci_high'], 2)}",
            _fmt(r["p_value"], 3),
            _fmt(r["published_change"]),
        )
    _show(view)
    out.print(
        f"* significant at the {int(level * 100)}% level (two-sided z test; years treated as independent samples)."
    )
    if len(result.slopes):
        out.print(f"Linear trends for {len(result.slopes)} series: see --json or --out.")
    _warnings(result.meta["warnings"])


# -- published --------------------------------------------------------------------------------


@app.command(name="published")
def published_cmd(
    year: Annotated[
        int | None, typer.Option("--year", "-y", help="Only this year.", show_default=False)
    ] = None,
    all_series: Annotated[
        bool, typer.Option("--all-series", help="Include the PC, smart and mobile indexes (2004-2015).")
    ] = False,
    out_path: OutOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show the published figures with their sources, and each total recomputed from its components.

    The 2017 rule (0.2 access + 0.4 competency + 0.4 utilization) reproduces every published
    2017-2025 total within the 0.1 rounding of its inputs; 2014-2016 are marked as not
    reproducible by it.

    Example:

        ddkit survey published

        ddkit survey published --year 2024 --json
    """
    from gap_survey.published import load_published, recompute_totals

    figures = load_published(None if all_series else "digital")
    check = recompute_totals()
    if year is not None:
        figures = figures[figures["year"] == year]
        check = check[check["year"] == year]
    document = {
        "figures": figures.to_dict(orient="records"),
        "recomputed_totals": check.to_dict(orient="records"),
    }
    _say_written(
        _write_out(out_path, "survey.published", document, {"recomputed_totals": check, "figures": figures})
    )
    if json_output:
        print_json("survey.published", document)
        return
    view = _table("Published totals and 0.2A + 0.4C + 0.4U")
    for col in (
        "year",
        "group",
        "access",
        "competency",
        "utilization",
        "published",
        "recomputed",
        "diff",
        "rule holds",
    ):
        view.add_column(col, justify="left" if col in ("group", "rule holds") else "right")
    for r in check.to_dict(orient="records"):
        ok = "" if r["within_rounding"] else " [red]![/]"
        view.add_row(
            str(r["year"]),
            r["group"],
            _fmt(r["access"]),
            _fmt(r["competency"]),
            _fmt(r["utilization"]),
            _fmt(r["published_total"]),
            _fmt(r["recomputed_total"], 2),
            _fmt(r["difference"], 2) + ok,
            "yes" if r["reproducible"] else "no",
        )
    _show(view)
    reproducible = check[check["reproducible"]]
    if len(reproducible):
        out.print(
            f"{int(reproducible['within_rounding'].sum())} of {len(reproducible)} totals under reproducible rules agree "
            f"within 0.1 (largest difference {reproducible['difference'].abs().max():.2f}). Sources: --json or --out."
        )


# -- synth ------------------------------------------------------------------------------------


@app.command()
def synth(
    out_file: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Where to write: .parquet, .csv, .xlsx, .sav or .dta.", show_default=False
        ),
    ],
    year: Annotated[
        int, typer.Option("--year", "-y", help="Published year whose levels the data reproduce (2014-2025).")
    ] = 2024,
    n: Annotated[int, typer.Option("--n", help="Respondents.", min=500)] = 15_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 1,
    replicates: Annotated[
        int,
        typer.Option(
            "--replicates",
            help="Also write this many bootstrap replicate weights (rw_1…) and a matching codebook.",
            min=0,
        ),
    ] = 0,
    codebook: CodebookOption = None,
    json_output: JsonOption = False,
) -> None:
    """Write synthetic microdata with known truth (strata, PSUs, weights) for the codebook.

    The expected group levels equal the published levels of --year; the general public's absolute
    scores, the distributions and the sample layout are assumptions (see the method notes). With
    --replicates R the file also holds Rao-Wu bootstrap replicate weights rw_1…rw_R and a codebook
    that declares them is written beside it (FILE.codebook.yaml).

    Example:

        ddkit survey synth --year 2024 --n 15000 --seed 1 --out survey.parquet

        ddkit survey synth --year 2023 --n 15000 --seed 2 --out survey-2023.sav --replicates 80
    """
    import yaml

    from gap_survey.codebook import codebook_with_replicates
    from gap_survey.readers import survey_format, write_survey
    from gap_survey.synth import synthesize, value_labels

    survey_format(out_file)  # fail on an unknown extension before the work
    if not out_file.parent.exists():
        raise SurveyUsageError(
            f"Folder {out_file.parent} does not exist.", hint="Create it first or choose another --out."
        )
    cb = _load_codebook(codebook)
    with _progress(f"Synthesising {n:,} respondents") as say:
        say("drawing")
        result = synthesize(year, n, seed, replicates=replicates, codebook=cb)
        say("writing")
        values, labels = value_labels(cb)
        write_survey(result.frame, out_file, value_labels=values, column_labels=labels)
    written = [out_file]
    codebook_path = None
    if replicates:
        codebook_path = out_file.with_name(out_file.stem + ".codebook.yaml")
        raw = codebook_with_replicates(cb, prefix="rw_", rtype="bootstrap")
        header = (
            "# The default codebook with the bootstrap replicate weights written by 'ddkit survey synth'.\n"
        )
        codebook_path.write_text(
            header + yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        written.append(codebook_path)
    truth = result.truth
    document = {
        "file": str(out_file),
        "codebook": str(codebook_path) if codebook_path else cb.source,
        "year": year,
        "respondents": len(result.frame),
        "seed": seed,
        "replicates": replicates,
        "truth": truth.to_dict(orient="records"),
    }
    if json_output:
        print_json("survey.synth", document)
        return
    _say_written(written)
    view = _table(f"Expected levels of the synthetic {year} data (= published)")
    for col in ("group", "access", "competency", "utilization", "total"):
        view.add_column(col, justify="left" if col == "group" else "right")
    wide = truth.pivot_table(index="group", columns="component", values="level", sort=False)
    for group_name, row in wide.iterrows():
        view.add_row(
            group_name, *(_fmt(row.get(c)) for c in ("access", "competency", "utilization", "total"))
        )
    _show(view)
    out.print(
        f"Next: ddkit survey index {escape(str(out_file))} --year {year}"
        + (f" --codebook {escape(str(codebook_path))}" if codebook_path else "")
    )


# -- codebook ---------------------------------------------------------------------------------


@app.command(name="codebook")
def codebook_cmd(
    out_file: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write a copy of the default codebook here to edit.", show_default=False
        ),
    ] = None,
    check: Annotated[
        Path | None, typer.Option("--check", help="Check this codebook and summarise it.", show_default=False)
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Show, copy or check a codebook.

    Without options, summarises the shipped default codebook (40 items; the item scoring is our
    assumption, the file says which parts are published).

    Example:

        ddkit survey codebook --out codebook.yaml

        ddkit survey codebook --check codebook.yaml
    """
    from gap_survey.codebook import default_codebook_path, load_codebook

    if out_file is not None:
        if out_file.exists():
            raise SurveyUsageError(
                f"{out_file} already exists; not overwriting it.",
                hint="Choose another --out or delete the file.",
            )
        out_file.write_text(default_codebook_path().read_text(encoding="utf-8"), encoding="utf-8")
        err.print(f"Wrote {escape(str(out_file))}")
    cb = load_codebook(check)
    summary = {
        "source": cb.source,
        "version": cb.version,
        "sha256": cb.sha256,
        "respondent_id": cb.respondent_id,
        "design": {
            "weight": cb.design.weight,
            "strata": cb.design.strata,
            "psu": cb.design.psu,
            "replicate_weights": cb.design.replicate.__dict__ if cb.design.replicate else None,
        },
        "groups": {name: {"label": g.label, "role": g.role} for name, g in cb.groups.items()},
        "components": {
            name: {"label": c.label, "items": [i.column for i in c.items], "missing": c.missing}
            for name, c in cb.components.items()
        },
        "domains": list(cb.domains),
    }
    if json_output:
        print_json("survey.codebook", summary)
        return
    out.print(f"Codebook {escape(cb.version)} ({escape(cb.source)})")
    out.print(
        f"  id {cb.respondent_id}; weight {cb.design.weight}; strata {cb.design.strata}; PSU {cb.design.psu}"
    )
    for name, g in cb.groups.items():
        out.print(f"  group {name:<18} {g.role:<9} {escape(g.label)}")
    for name, c in cb.components.items():
        out.print(
            f"  component {name:<13} {len(c.items)} items ({c.items[0].column}…{c.items[-1].column}), missing: {c.missing}"
        )
    out.print(f"  domains: {', '.join(cb.domains) or 'none'}")

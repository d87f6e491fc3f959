"""`ddkit report …`: write self-contained, accessible HTML reports (Korean by default, or English)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli.options import DbOption, JsonOption, database_url
from cli.output import out, print_json

app = typer.Typer(
    help=(
        "Write self-contained, accessible HTML reports: one file each, inline CSS and SVG, no network "
        "request when opened, in Korean (default) or English.\n\n"
        "Examples:\n\n"
        "  ddkit report audit 3\n\n"
        "  ddkit report gap result.json --lang en\n\n"
        "  ddkit report training --year 2025\n\n"
        "  ddkit report index ddkit-reports"
    ),
    no_args_is_help=True,
)


class Lang(StrEnum):
    ko = "ko"
    en = "en"


LangOption = Annotated[Lang, typer.Option("--lang", help="Report language: ko (Korean) or en (English).")]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="Where to write the report (default: a file in ./ddkit-reports/).",
        show_default=False,
    ),
]


def _done(report, json_output: bool) -> None:
    if json_output:
        print_json(f"report.{report.kind}", report.to_dict())
    else:
        out.print(str(report.path), markup=False, highlight=False)


@app.command("audit")
def audit(
    run: Annotated[int, typer.Argument(help="Audit run id (see 'ddkit audit runs').", show_default=False)],
    lang: LangOption = Lang.ko,
    output: OutOption = None,
    previous: Annotated[
        int | None,
        typer.Option(
            "--previous",
            help="Run to compare with (default: the latest earlier run of the same site).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Report on one audit run: estimate with both 95-point verdicts, the 33 KWCAG items, pages, findings.

    Example:

        ddkit report audit 3 --lang en --out site-audit.html
    """
    from reports.build import build_audit_report

    report = build_audit_report(database_url(db), run, lang=lang.value, out=output, previous=previous)
    _done(report, json_output)


@app.command("gap")
def gap(
    results: Annotated[
        list[Path],
        typer.Argument(
            help="Result file(s) of 'ddkit survey index --out', one per year; the latest year is reported.",
            show_default=False,
        ),
    ],
    lang: LangOption = Lang.ko,
    output: OutOption = None,
    json_output: JsonOption = False,
) -> None:
    """Report on the Digital Information Gap Index: levels with CIs, the four-group average, trends,
    published vs computed, method and caveats.

    Example:

        ddkit report gap index-2024.json index-2025.json --lang en
    """
    from reports.build import build_gap_report

    _done(build_gap_report(results, lang=lang.value, out=output), json_output)


@app.command("training")
def training(
    year: Annotated[int, typer.Option("--year", help="The year to report on.", show_default=False)],
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="KPIs as JSON (the report's input shape) instead of reading the database.",
            show_default=False,
        ),
    ] = None,
    programme: Annotated[
        str | None, typer.Option("--programme", help="Only this programme.", show_default=False)
    ] = None,
    region: Annotated[
        str | None,
        typer.Option("--region", help="Only this region (시도 or 시군구 code).", show_default=False),
    ] = None,
    min_cell: Annotated[
        int | None,
        typer.Option("--min-cell", help="Hide counts below this (never below 5).", show_default=False),
    ] = None,
    lang: LangOption = Lang.ko,
    output: OutOption = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Report on digital-skills training: KPIs against targets by group and region, the funnel, trends
    and forecast with intervals, equity beside the gap index; counts under 5 are never shown.

    Example:

        ddkit report training --year 2025 --data kpis-2025.json --lang en
    """
    from reports.build import build_training_report

    if min_cell is not None and min_cell < 5:
        raise typer.BadParameter("cells under 5 people are always suppressed; --min-cell may only raise it.")
    report = build_training_report(
        year,
        db_url=None if data else database_url(db),
        data_file=data,
        programme=programme,
        region=region,
        min_cell=min_cell,
        lang=lang.value,
        out=output,
    )
    _done(report, json_output)


@app.command("index")
def index(
    folder: Annotated[Path, typer.Argument(help="Folder holding the reports.", show_default=False)] = Path(
        "ddkit-reports"
    ),
    lang: LangOption = Lang.ko,
    output: OutOption = None,
    json_output: JsonOption = False,
) -> None:
    """Write index.html in FOLDER, linking every ddkit report found there.

    Example:

        ddkit report index ddkit-reports
    """
    from reports.build import build_index

    _done(build_index(folder, lang=lang.value, out=output), json_output)

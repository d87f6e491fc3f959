"""`ddkit audit tasks`: the user review (사용자 심사) by testers with disabilities, and the combined view."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from a11y_audit.errors import AuditUsageError
from cli.options import DbOption, JsonOption, database_url
from cli.output import out, print_json

if TYPE_CHECKING:
    from a11y_audit.store import AuditStore
    from a11y_audit.user_review import CombinedView, UserReviewResult

# The store (SQLAlchemy) and the workbook code (openpyxl) are imported inside the command: `ddkit
# --help` and the other commands stay fast.

RunArg = Annotated[int, typer.Argument(help="Run id (see 'ddkit audit runs').", show_default=False)]


@contextlib.contextmanager
def _open_store(db: str | None) -> Iterator[AuditStore]:
    from a11y_audit.store import AuditStore

    store = AuditStore(database_url(db))
    try:
        yield store
    finally:
        store.close()


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


def _num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _print_results(result: UserReviewResult, combined: CombinedView) -> None:
    o = result.overall
    out.print(
        f"Run {result.run_id}: {result.tasks} tasks, {o.attempts} attempts by {o.testers} tester(s) "
        f"(configuration {result.config}; partial counts {result.partial_credit:g})"
    )
    table = Table(title="Task success and satisfaction per profile")
    for col in (
        "profile",
        "testers",
        "attempts",
        "yes",
        "partial",
        "no",
        "success",
        "satisfaction",
        "SD",
        "n",
    ):
        table.add_column(col, justify="left" if col == "profile" else "right")
    for g in [*result.profiles, o]:
        label = g.profile + (" *" if g.required and g.attempts == 0 else "")
        style = "red" if g.meets_bar is False else None
        table.add_row(
            label,
            str(g.testers),
            str(g.attempts),
            str(g.yes),
            str(g.partial),
            str(g.no),
            _pct(g.success_rate),
            _num(g.satisfaction_mean),
            _num(g.satisfaction_sd),
            str(g.satisfaction_n),
            style=style,
            end_section=g is result.profiles[-1],
        )
    out.print(table)
    out.print(
        "Profiles: " + "; ".join(f"{g.profile} = {g.name_ko}" for g in result.profiles),
        style="dim",
    )
    if result.missing_required_profiles:
        out.print(f"* required profile without results: {', '.join(result.missing_required_profiles)}")
    if result.barriers:
        bt = Table(title="Barriers reported by users, beside the machine and the expert")
        for col in (
            "item",
            "항목",
            "reports",
            "failed",
            "profiles",
            "machine (violations)",
            "expert",
            "missed",
        ):
            bt.add_column(col)
        for b in result.barriers:
            machine = "/".join(sorted(set(b.machine.values())))
            expert = ", ".join(sorted(set(b.expert.values()))) or "—"
            bt.add_row(
                b.item,
                b.name_ko,
                str(b.reports),
                str(b.reports_in_failed_tasks),
                ", ".join(b.profiles),
                f"{machine} ({b.machine_violations})",
                expert,
                "yes" if b.missed_by_machine else "",
                style="bold" if b.missed_by_machine else None,
            )
        out.print(bt)
    for m in result.missed_by_machine:
        expert = f", expert: {m.expert_verdict}" if m.expert_verdict else ""
        out.print(
            f"Users failed where the machine passed: {m.task_id} {m.item} {m.name_ko} — {m.profile} "
            f"tester {m.tester} ({m.success}); machine: {m.machine_status}{expert}"
            + (f" — {m.note}" if m.note else "")
        )
    if result.failed_without_items:
        out.print(
            f"{len(result.failed_without_items)} failed or partial attempt(s) name no KWCAG item: "
            + ", ".join(f"{r.task_id} ({r.profile} {r.tester})" for r in result.failed_without_items[:10])
        )
    if result.unknown_profiles:
        out.print(f"Profiles not in the configuration (counted): {', '.join(result.unknown_profiles)}")
    out.print("")
    ct = Table(title="Certification stages, judged separately")
    for col in ("stage", "verdict", "figure", "bar", "readings", "n"):
        ct.add_column(col)
    for s in combined.stages:
        if s.value_lower is None:
            figure = "—"
        elif s.value_upper is not None and abs(s.value_upper - s.value_lower) > 1e-9:
            figure = f"{s.value_lower:.1f}–{s.value_upper:.1f}"
        else:
            figure = f"{s.value_lower:.1f}"
        ct.add_row(
            s.name_en,
            s.verdict,
            figure,
            f"{s.bar:g}",
            "; ".join(f"{k}: {v}" for k, v in s.readings.items()),
            str(s.n),
            style="red" if s.verdict == "fail" else None,
        )
    out.print(ct)
    out.print(combined.statement_en)
    out.print(combined.statement_ko)


def tasks(
    run: RunArg,
    export: Annotated[
        Path | None, typer.Option("--export", help="Write the task workbook (.xlsx) for the testers.")
    ] = None,
    import_: Annotated[
        Path | None, typer.Option("--import", help="Read a filled-in task workbook and store its results.")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Another user-review configuration YAML (default: the bundled one)."),
    ] = None,
    bar: Annotated[
        float | None,
        typer.Option(
            "--bar",
            help="Task success (%) the user stage must reach (default from the configuration: 100).",
            min=0.1,
            max=100,
        ),
    ] = None,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """User review by testers with disabilities: export the tasks, import the results, show them.

    Without --export or --import: task success overall and per profile, satisfaction (mean, SD, n),
    the barriers users linked to KWCAG items beside the machine outcome and the expert verdict, the
    cases the machine passed but users failed, and the expert and user stages side by side.

    Examples:

        ddkit audit tasks 3 --export tasks.xlsx

        ddkit audit tasks 3 --import tasks.xlsx

        ddkit audit tasks 3

        ddkit audit tasks 3 --bar 95 --json
    """
    from a11y_audit.user_review import (
        combined_view,
        export_tasks,
        import_results,
        load_user_review_config,
        user_review_results,
    )

    if export is not None and import_ is not None:
        raise AuditUsageError("Give at most one of --export FILE or --import FILE.")
    cfg = load_user_review_config(str(config) if config else None)
    with _open_store(db) as store:
        if export is not None:
            summary = export_tasks(store, run, export, cfg)
            if json_output:
                print_json("audit.tasks.export", summary)
            else:
                out.print(
                    f"Wrote {summary.file}: {summary.tasks} tasks on {summary.pages} pages, sheets "
                    f"{', '.join(summary.profile_sheets)}"
                    + (f"; {summary.prefilled} stored results filled in" if summary.prefilled else "")
                )
                if summary.pages_without_tasks:
                    out.print(f"{summary.pages_without_tasks} page(s) failed to load and have no task.")
            return
        if import_ is not None:
            result = import_results(store, run, import_, cfg)
            if json_output:
                print_json("audit.tasks.import", result)
            else:
                out.print(
                    f"Imported {result.attempts} results from {result.file} ({result.sheets} sheets): "
                    f"{result.added} added, {result.changed} changed, {result.unchanged} unchanged; "
                    f"{result.not_attempted} task rows left empty (not carried out)."
                )
            return
        results = user_review_results(store, run, cfg, bar=bar)
        combined = combined_view(store, run, results, cfg, bar=bar)
    if json_output:
        print_json("audit.tasks", {"user_review": results, "combined": combined})
        return
    if results.overall.attempts == 0:
        out.print(
            f"No user-review results for run {run} yet. Export the tasks with "
            f"'ddkit audit tasks {run} --export tasks.xlsx', then import the filled-in file."
        )
    else:
        _print_results(results, combined)
        return
    out.print(combined.statement_en)


def register(app: typer.Typer) -> None:
    app.command("tasks")(tasks)

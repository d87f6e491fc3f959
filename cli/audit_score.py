"""`ddkit audit score | review | diff | export`: the certification estimate and the work around it."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cli.exit_codes import ExitCode
from cli.options import DbOption, JsonOption, database_url
from cli.output import err, out, print_json

# Domain modules (SQLAlchemy, openpyxl, …) are imported inside the commands: `ddkit --help` and the
# other commands stay fast.


class Impact(StrEnum):
    minor = "minor"
    moderate = "moderate"
    serious = "serious"
    critical = "critical"


class Format(StrEnum):
    json = "json"
    csv = "csv"
    earl = "earl"


RunArg = Annotated[int, typer.Argument(help="Run id (see 'ddkit audit runs').", show_default=False)]
FailOnOption = Annotated[
    Impact | None, typer.Option("--fail-on", help="Exit 1 if any violation has this impact or worse.")
]


@contextlib.contextmanager
def open_store(db: str | None) -> Iterator:
    from a11y_audit.store import AuditStore

    store = AuditStore(database_url(db))
    try:
        yield store
    finally:
        store.close()


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _worst_impact_reached(store, run_id: int, fail_on: Impact | None) -> bool:
    from a11y_audit.models import IMPACT_ORDER

    if fail_on is None:
        return False
    floor = IMPACT_ORDER[fail_on.value]
    return any(
        f.outcome == "violation" and IMPACT_ORDER.get(f.impact or "", 0) >= floor
        for page in store.page_results(run_id)
        for f in page.findings
    )


def score(
    run: RunArg,
    ruleset: Annotated[
        Path | None,
        typer.Option("--ruleset", help="Another scoring rule-set YAML file (default: the bundled one)."),
    ] = None,
    legacy: Annotated[bool, typer.Option("--legacy", help="Show KWCAG 2.1 (24-item) numbering.")] = False,
    min_score: Annotated[
        float | None,
        typer.Option(
            "--min-score", help="Exit 1 if the estimate's lower bound is below this.", min=0, max=100
        ),
    ] = None,
    fail_on: FailOnOption = None,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Estimate the certification score of a run: per-item compliance rates with lower/upper bounds.

    Needs-review outcomes count as failures in the lower bound and as passes in the upper bound;
    expert verdicts imported with 'ddkit audit review' replace machine outcomes.

    Examples:

        ddkit audit score 3

        ddkit audit score 3 --legacy --json

        ddkit audit score 3 --min-score 95   # exit 1 below 95 (lower bound), for CI

    A run audited on several devices (audit site --device both) gets one estimate per device; with
    --json, the first device's fields plus "by_device"; --min-score applies to every device.
    """
    from dataclasses import asdict

    from a11y_audit.scoring import load_ruleset
    from a11y_audit.scoring.runs import score_run_devices

    rules = load_ruleset(str(ruleset) if ruleset else None)
    with open_store(db) as store:
        scores = score_run_devices(store, run, rules)
        failing = _worst_impact_reached(store, run, fail_on)
    if json_output:
        payload = scores[0] if len(scores) == 1 else {**asdict(scores[0]), "by_device": scores}
        print_json("audit.score", payload)
    else:
        for result in scores:
            _print_score(run, result, legacy, several=len(scores) > 1)
    below = min_score is not None and any(
        s.estimate.mean_lower is None or s.estimate.mean_lower < min_score for s in scores
    )
    if below or failing:
        raise typer.Exit(ExitCode.FINDINGS)


def _print_score(run: int, result, legacy: bool, *, several: bool) -> None:
    est = result.estimate
    on = f" — {result.device}: {result.pages_scored} pages" if several else f": {result.pages_scored} pages"
    title = f"Run {run}{on}, rule set {est.ruleset}"
    table = Table(title=title, show_lines=False)
    for col in (("2.1" if legacy else "item"), "항목", "unit", "lower", "upper", "state"):
        table.add_column(col)
    rows = (
        [(x.kwcag21_id, est.item(x.item)) for x in result.legacy_kwcag21]
        if legacy
        else [(s.item, s) for s in est.items]
    )
    for label, s in rows:
        style = "red" if s.lower is not None and s.lower < est.threshold else None
        table.add_row(label, s.name_ko, s.unit, _fmt(s.lower), _fmt(s.upper), s.state, style=style)
    out.print(table)
    out.print(
        f"Estimate (mean of {len([s for s in est.items if s.state == 'scored'])} items): "
        f"{_fmt(est.mean_lower)} – {_fmt(est.mean_upper)}; lowest item {_fmt(est.min_lower)}"
    )
    if legacy:
        out.print(
            f"KWCAG 2.1 items only: {_fmt(result.legacy_mean_lower)} – {_fmt(result.legacy_mean_upper)}"
        )
    out.print(
        f"95-point rule, mean ≥ {est.threshold:g}: {est.verdict_mean}; "
        f"every item ≥ {est.threshold:g}: {est.verdict_every_item}"
    )
    if est.below_threshold:
        out.print(f"Items below {est.threshold:g}: {', '.join(est.below_threshold)}")
    if est.not_assessed:
        out.print(f"Not assessed (manual review needed): {', '.join(est.not_assessed)}")
    if est.not_applicable:
        out.print(f"Not applicable on any page: {', '.join(est.not_applicable)}")
    out.print(f"Expert verdicts used: {result.verdicts}")
    out.print(est.disclaimer_en, style="italic")


def review(
    run: RunArg,
    export: Annotated[
        Path | None, typer.Option("--export", help="Write the checklist workbook (.xlsx).")
    ] = None,
    import_: Annotated[
        Path | None, typer.Option("--import", help="Read a filled-in checklist and store its verdicts.")
    ] = None,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Export the 33-item checklist for an expert reviewer, or import the reviewer's verdicts.

    Examples:

        ddkit audit review 3 --export checklist.xlsx

        ddkit audit review 3 --import checklist.xlsx
    """
    from a11y_audit.errors import AuditUsageError
    from a11y_audit.review import export_checklist, import_verdicts, verdicts_for_run

    if (export is None) == (import_ is None):
        raise AuditUsageError("Give exactly one of --export FILE or --import FILE.")
    with open_store(db) as store:
        if export is not None:
            path = export_checklist(store, run, export)
            summary = {"run": run, "written": str(path), "verdicts": len(verdicts_for_run(store, run))}
            if json_output:
                print_json("audit.review.export", summary)
            else:
                out.print(f"Wrote {path}")
            return
        result = import_verdicts(store, run, import_)
    if json_output:
        print_json("audit.review.import", result)
    else:
        out.print(
            f"Imported {result.verdicts} verdicts from {result.file}: {result.added} added, "
            f"{result.changed} changed, {result.unchanged} unchanged."
        )


def diff(
    run_a: Annotated[int, typer.Argument(help="The earlier run.", show_default=False)],
    run_b: Annotated[int, typer.Argument(help="The later run.", show_default=False)],
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Compare two runs: new, fixed and unchanged findings per KWCAG item and page, and the score change.

    Example:

        ddkit audit diff 3 5
    """
    from a11y_audit.diff import diff_results
    from a11y_audit.scoring.runs import score_run

    with open_store(db) as store:
        changes = diff_results(store.page_results(run_a), store.page_results(run_b))
        score_a, score_b = score_run(store, run_a), score_run(store, run_b)
    ea, eb = score_a.estimate, score_b.estimate

    def delta(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None else b - a

    score_change = {
        "before": {"lower": ea.mean_lower, "upper": ea.mean_upper},
        "after": {"lower": eb.mean_lower, "upper": eb.mean_upper},
        "change": {
            "lower": delta(ea.mean_lower, eb.mean_lower),
            "upper": delta(ea.mean_upper, eb.mean_upper),
        },
        "items": {
            s.item: {"before": [s.lower, s.upper], "after": [eb.item(s.item).lower, eb.item(s.item).upper]}
            for s in ea.items
            if (s.lower, s.upper) != (eb.item(s.item).lower, eb.item(s.item).upper)
        },
    }
    if json_output:
        print_json(
            "audit.diff", {"run_a": run_a, "run_b": run_b, "findings": asdict(changes), "score": score_change}
        )
        return
    table = Table(title=f"Run {run_a} → run {run_b}: {changes.pages_compared} pages compared")
    for col in ("item", "new", "fixed", "unchanged"):
        table.add_column(col, justify="right" if col != "item" else "left")
    for item, counts in changes.by_item.items():
        table.add_row(item, str(counts["new"]), str(counts["fixed"]), str(counts["unchanged"]))
    out.print(table)
    out.print(f"Total: {changes.new} new, {changes.fixed} fixed, {changes.unchanged} unchanged.")
    if changes.pages_only_before or changes.pages_only_after:
        out.print(
            f"Pages only in run {run_a}: {len(changes.pages_only_before)}; "
            f"only in run {run_b}: {len(changes.pages_only_after)}"
        )
    change = score_change["change"]["lower"]
    shift = "" if change is None else f" (lower bound {change:+.1f})"
    out.print(
        f"Estimate: {_fmt(ea.mean_lower)}–{_fmt(ea.mean_upper)} → {_fmt(eb.mean_lower)}–{_fmt(eb.mean_upper)}{shift}"
    )


def export(
    run: RunArg,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="json, csv (findings) or earl (EARL 1.0 JSON-LD).")
    ] = Format.json,
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: stdout).")
    ] = None,
    fail_on: FailOnOption = None,
    db: DbOption = None,
) -> None:
    """Write a run's results in a machine format: JSON (schema in docs/reference/json-schema.md), CSV, EARL.

    Examples:

        ddkit audit export 3 --format earl --out run3.jsonld

        ddkit audit export 3 --format csv > findings.csv
    """
    from a11y_audit.review import verdicts_for_run
    from a11y_audit.user_review import attempts_for_run, user_review_payload
    from reports.machine import earl_jsonld, findings_csv

    with open_store(db) as store:
        results = store.page_results(run)
        run_row = store.run(run)
        attempts = attempts_for_run(store, run)
        verdicts = {(u, i): v.verdict for (u, i), v in verdicts_for_run(store, run).items()}
        failing = _worst_impact_reached(store, run, fail_on)
        if fmt is Format.csv:
            text = findings_csv(results, user_attempts=attempts)
        elif fmt is Format.earl:
            text = json.dumps(
                earl_jsonld(
                    results,
                    axe_version=run_row.axe_version,
                    audited_at=run_row.started_at,
                    verdicts=verdicts,
                    user_attempts=attempts,
                ),
                ensure_ascii=False,
                indent=2,
            )
        else:
            from cli.output import envelope

            doc = envelope(
                "audit.run",
                {
                    "run": run,
                    "seeds": run_row.seeds,
                    "axe_version": run_row.axe_version,
                    "pages": results,
                    "verdicts": [{"page": u, "item": i, "verdict": v} for (u, i), v in verdicts.items()],
                    "user_review": user_review_payload(store, run),
                },
            )
            text = json.dumps(doc, ensure_ascii=False, indent=2)
    if out_path is None:
        typer.echo(text)
    else:
        tmp = out_path.with_name(out_path.name + ".part")
        tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        tmp.replace(out_path)
        err.print(f"Wrote {out_path}")
    if failing:
        raise typer.Exit(ExitCode.FINDINGS)


def register(app: typer.Typer) -> None:
    app.command("score")(score)
    app.command("review")(review)
    app.command("diff")(diff)
    app.command("export")(export)

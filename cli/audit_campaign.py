"""`ddkit audit campaign | campaign-summary | campaigns`: audit many sites on a Dask cluster, rank them.

``a11y_audit.campaign`` (and with it dask.distributed) is imported inside the commands only, so the
other commands do not pay for it at start-up.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from a11y_audit.crawl.frontier import CrawlLimits
from a11y_audit.crawl.politeness import Politeness
from a11y_audit.errors import AuditUsageError
from cli.exit_codes import ExitCode
from cli.options import DbOption, JsonOption, database_url
from cli.output import err, out, print_json, progress_enabled
from cli.state import state

if TYPE_CHECKING:
    from a11y_audit.campaign import CampaignInfo, CampaignProgress, CampaignSummary

_LIMITS = CrawlLimits()
_POLITE = Politeness()

CampaignArg = Annotated[
    int, typer.Argument(help="Campaign id (see 'ddkit audit campaigns').", show_default=False)
]


def _fmt(x: Any) -> str:
    from a11y_audit.campaign import finite

    value = finite(x)
    return "—" if value is None else f"{value:.1f}"


def _int(x: Any) -> str:
    from a11y_audit.campaign import finite

    value = finite(x)
    return "—" if value is None else str(int(value))


class _ProgressBar:
    def __init__(self) -> None:
        self.bar = Progress(
            TextColumn("campaign {task.fields[campaign]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("failed {task.fields[failed]} · {task.fields[spm]:.1f} sites/min"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[last]}"),
            console=err,
            transient=True,
        )
        self.task = self.bar.add_task("sites", total=None, campaign="", failed=0, spm=0.0, last="")

    def __enter__(self) -> _ProgressBar:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.bar.__exit__(*exc)

    def update(self, p: CampaignProgress) -> None:
        last = f"{p.last.institution} ({p.last.state})" if p.last else ""
        self.bar.update(
            self.task,
            completed=p.done + p.failed,
            total=p.total,
            campaign=p.campaign_id,
            failed=p.failed,
            spm=p.sites_per_minute,
            last=last[:50],
        )


def campaign(
    sites: Annotated[
        Path | None,
        typer.Argument(help="CSV file with the columns institution, url, category.", show_default=False),
    ] = None,
    resume: Annotated[
        int | None,
        typer.Option("--resume", help="Continue campaign ID: only its unfinished sites are submitted."),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="A name for the campaign (e.g. 'NIA 2026').")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            envvar="DDKIT_SCHEDULER",
            help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 [a local cluster on this machine].",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", help="Worker processes of the local cluster (each has one browser).", min=1
        ),
    ] = 2,
    threads: Annotated[
        int, typer.Option("--threads", help="Sites audited at once by each local worker.", min=1)
    ] = 1,
    max_pages: Annotated[int, typer.Option("--max-pages", help="Pages audited per site.", min=1)] = 10,
    max_depth: Annotated[
        int | None, typer.Option("--max-depth", help=f"Links away from the home page [{_LIMITS.max_depth}].")
    ] = None,
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", help="Browser pages per site at the same time.", min=1)
    ] = 1,
    delay: Annotated[
        float | None,
        typer.Option("--delay", help=f"Seconds between requests to one host [{_POLITE.delay_s}]."),
    ] = None,
    retries: Annotated[
        int | None,
        typer.Option("--retries", help=f"Retries on 408/429/5xx and network errors [{_POLITE.retries}]."),
    ] = None,
    ignore_robots: Annotated[
        bool, typer.Option("--ignore-robots", help="Do not read or obey robots.txt (prints a warning).")
    ] = False,
    timeout: Annotated[float | None, typer.Option("--timeout", help="Seconds per page load [30].")] = None,
    device: Annotated[
        str | None,
        typer.Option("--device", help="desktop or mobile (a phone, with the mobile criteria) [desktop]."),
    ] = None,
    user_agent: Annotated[
        str | None, typer.Option("--user-agent", help="User-Agent for every request [ddkit/VERSION …].")
    ] = None,
    axe_js: Annotated[
        Path | None, typer.Option("--axe-js", help="Use this axe.min.js (same path on every worker).")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Only validate the sites file and show what would be audited.")
    ] = False,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Audit every site of a list on a Dask cluster, one site per task; results go to the database.

    A local cluster of --workers processes by default, or a running Dask cluster with --scheduler.
    Each worker keeps one browser. A worker that dies has its sites retried on the others; if this
    command dies, --resume ID submits only the sites not stored yet. Every site is stored exactly once.
    Exit 3 if some sites failed (they are listed; --resume retries them).

    Examples:

        ddkit audit campaign sites.csv --check

        ddkit audit campaign sites.csv --name "NIA 2026" --max-pages 10

        ddkit audit campaign sites.csv --scheduler tcp://10.0.0.5:8786 --db postgresql+psycopg://ddkit@10.0.0.5/ddkit

        ddkit audit campaign --resume 2
    """
    from a11y_audit.campaign import CampaignSettings, read_sites, run_campaign

    if check:
        if sites is None:
            raise AuditUsageError(
                "--check validates a sites file: give one.", hint="ddkit audit campaign sites.csv --check"
            )
        parsed = read_sites(sites)
        by_category: dict[str, int] = {}
        for s in parsed.sites:
            by_category[s.category] = by_category.get(s.category, 0) + 1
        if json_output:
            print_json(
                "audit.campaign.check",
                {
                    "file": parsed.path,
                    "sha256": parsed.sha256,
                    "encoding": parsed.encoding,
                    "sites": len(parsed.sites),
                    "by_category": by_category,
                    "ignored_columns": list(parsed.ignored_columns),
                    "site_list": parsed.sites,
                },
            )
            return
        out.print(f"{sites}: {len(parsed.sites)} sites, read as {parsed.encoding}; nothing was audited.")
        for category, n in sorted(by_category.items()):
            out.print(f"  {n:>5}  {category}")
        if parsed.ignored_columns:
            out.print(f"Columns not used: {', '.join(parsed.ignored_columns)}")
        return

    settings = None
    if resume is not None:
        if sites is not None:
            raise AuditUsageError(
                "--resume continues a stored campaign: give no sites file with it.",
                hint=f"ddkit audit campaign --resume {resume}",
            )
    else:
        if sites is None:
            raise AuditUsageError(
                "Give a sites file (institution, url, category) or --resume ID.",
                hint="Example: ddkit audit campaign sites.csv --check",
            )
        settings = CampaignSettings(
            limits=CrawlLimits(
                max_pages=max_pages, max_depth=max_depth if max_depth is not None else _LIMITS.max_depth
            ),
            politeness=Politeness(
                delay_s=delay if delay is not None else _POLITE.delay_s,
                retries=retries if retries is not None else _POLITE.retries,
            ),
            concurrency=concurrency,
            ignore_robots=ignore_robots,
            axe_js=str(axe_js.resolve()) if axe_js else None,
            timeout_ms=int((timeout or 30) * 1000),
            device=device or "desktop",
            user_agent=user_agent,
        )
        if ignore_robots:
            err.print(
                "[yellow]Warning:[/] robots.txt is ignored (--ignore-robots). Audit only sites you are "
                "allowed to, and keep the delay polite."
            )
    if not state.debug:
        logging.getLogger("distributed").setLevel(logging.ERROR)
    bar = _ProgressBar() if progress_enabled() and not json_output else None
    seen: list[int] = []

    def on_progress(p: CampaignProgress) -> None:
        if not seen:
            seen.append(p.campaign_id)
            if not json_output:
                err.print(f"Campaign {p.campaign_id}: {p.total} sites, {p.done} already stored.")
        if bar is not None:
            bar.update(p)

    try:
        with bar or contextlib.nullcontext():
            result = run_campaign(
                database_url(db),
                sites=sites,
                settings=settings,
                name=name,
                resume=resume,
                scheduler=scheduler,
                workers=workers,
                threads_per_worker=threads,
                progress=on_progress,
            )
    except KeyboardInterrupt:
        if seen:
            err.print(
                f"Interrupted: every site finished so far is stored in campaign {seen[0]}. "
                f"Continue with: ddkit audit campaign --resume {seen[0]}"
            )
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        raise
    for note in result.notes:
        err.print(f"[yellow]Note:[/] {note}")
    failed = result.states["failed"] + result.states["pending"] + result.states["running"]
    if json_output:
        print_json("audit.campaign", result)
    else:
        states = result.states
        out.print(
            f"[bold]Campaign {result.campaign_id}[/] ({result.status}): {states['done']} sites stored, "
            f"{failed} not stored; this session {result.sites_this_session} sites in {result.elapsed_s:.1f} s "
            f"on {result.workers} workers ({result.scheduler}; cluster ready in {result.cluster_start_s:.1f} s)."
        )
        out.print(
            f"Ranking: ddkit audit campaign-summary {result.campaign_id}   "
            f"Export: ddkit audit campaign-summary {result.campaign_id} --out ranking.xlsx"
        )
    if failed:
        err.print(
            f"[bold red]Error:[/] {failed} sites of campaign {result.campaign_id} are not stored "
            f"(see: ddkit audit campaign-summary {result.campaign_id})."
        )
        err.print(f"[bold]Hint:[/] retry them with: ddkit audit campaign --resume {result.campaign_id}")
        raise typer.Exit(ExitCode.RUNTIME)


def _print_ranking(summary: CampaignSummary, top: int) -> None:
    ranking = summary.ranking
    table = Table(
        title=f"Ranking by score (lower bound, then upper bound) — {min(top, len(ranking))} of {len(ranking)}"
    )
    for col in ("rank", "institution", "category", "score", "lowest item", "pages", "violations", "state"):
        table.add_column(col)
    for _, r in ranking.head(top).iterrows():
        score = (
            "—" if _fmt(r["score_lower"]) == "—" else f"{_fmt(r['score_lower'])} – {_fmt(r['score_upper'])}"
        )
        table.add_row(
            _int(r["rank"]),
            str(r["institution"]),
            str(r["category"]),
            score,
            _fmt(r["min_item_lower"]),
            _int(r["pages"]),
            _int(r["violations"]),
            str(r["state"]) + (f": {r['note']}" if r["note"] else ""),
        )
    out.print(table)
    cats = Table(title="By category (mean of the sites' scores)")
    for col in ("rank", "category", "sites", "scored", "mean", "median", "min – max", "pass (mean ≥ 95)"):
        cats.add_column(col)
    for _, r in summary.by_category.iterrows():
        cats.add_row(
            _int(r["rank"]),
            str(r["category"]),
            str(r["sites"]),
            str(r["scored"]),
            f"{_fmt(r['mean_lower'])} – {_fmt(r['mean_upper'])}",
            _fmt(r["median_lower"]),
            f"{_fmt(r['min_lower'])} – {_fmt(r['max_lower'])}",
            str(r["pass_mean"]),
        )
    out.print(cats)


def campaign_summary(
    campaign_id: CampaignArg,
    category: Annotated[
        str | None, typer.Option("--category", help="Only the sites of this category.", show_default=False)
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Rows of the ranking shown on screen.", min=1)] = 20,
    output: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write the ranking: .xlsx (ranking, by category, about) or .csv (+ NAME-by-category.csv).",
        ),
    ] = None,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Rank the sites of a campaign by score, overall and by category; export CSV or XLSX.

    Sites are ranked by the lower bound of the certification estimate, then the upper bound; equal
    scores share a rank. Sites without a score (failed, or nothing scorable) are listed last.

    Examples:

        ddkit audit campaign-summary 2

        ddkit audit campaign-summary 2 --category 지자체 --top 50

        ddkit audit campaign-summary 2 --out ranking.xlsx

        ddkit audit campaign-summary 2 --out ranking.csv --json
    """
    from a11y_audit.campaign import campaign_summary as summarise
    from a11y_audit.campaign import export_summary

    summary = summarise(database_url(db), campaign_id, category=category)
    written = export_summary(summary, output) if output is not None else []
    if json_output:
        payload = {
            "campaign": summary.campaign,
            "method": summary.method,
            "pages": summary.pages,
            "ranking": summary.ranking.astype(object).where(summary.ranking.notna(), None),
            "by_category": summary.by_category.astype(object).where(summary.by_category.notna(), None),
            "failures": summary.failures,
            "written": [str(p) for p in written],
        }
        print_json("audit.campaign_summary", payload)
        return
    _print_campaign_header(summary.campaign)
    _print_ranking(summary, top)
    if summary.failures:
        out.print(f"[bold]Not stored ({len(summary.failures)}):[/]")
        for f in summary.failures:
            out.print(
                f"  line {f['row']}: {f['institution']} {f['url']} — {f['state']}: {f['error'] or ''}",
                markup=False,
            )
        out.print(f"Retry them with: ddkit audit campaign --resume {summary.campaign.id}")
    out.print(summary.method)
    for path in written:
        out.print(f"Wrote {path}")


def _print_campaign_header(c: CampaignInfo) -> None:
    states = ", ".join(f"{n} {s}" for s, n in c.states.items() if n)
    out.print(
        f"[bold]Campaign {c.id}[/]{f' {c.name!r}' if c.name else ''} ({c.status}): {c.sites_total} sites ({states}); "
        f"created {c.created_at:%Y-%m-%d %H:%M} UTC, ddkit {c.ddkit_version}"
    )
    if c.source_file:
        out.print(f"Sites file: {c.source_file} (SHA-256 {(c.source_sha256 or '')[:12]}…)", markup=False)


def campaigns(json_output: JsonOption = False, db: DbOption = None) -> None:
    """List the campaigns stored in the database, with how many sites of each are stored.

    Example:

        ddkit audit campaigns --db campaign.db
    """
    from a11y_audit.campaign import CampaignStore

    store = CampaignStore(database_url(db))
    try:
        rows = store.list_campaigns()
    finally:
        store.close()
    if json_output:
        print_json("audit.campaigns", rows)
        return
    if not rows:
        out.print("No campaigns yet. Start one with: ddkit audit campaign sites.csv")
        return
    table = Table(title="Campaigns")
    for col in (
        "campaign",
        "name",
        "status",
        "created (UTC)",
        "sites",
        "done",
        "failed",
        "not yet",
        "scheduler",
    ):
        table.add_column(col)
    for c in rows:
        table.add_row(
            str(c.id),
            c.name or "",
            c.status,
            f"{c.created_at:%Y-%m-%d %H:%M}",
            str(c.sites_total),
            str(c.states["done"]),
            str(c.states["failed"]),
            str(c.states["pending"] + c.states["running"]),
            c.scheduler or "",
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command(name="campaign")(campaign)
    app.command(name="campaign-summary")(campaign_summary)
    app.command(name="campaigns")(campaigns)

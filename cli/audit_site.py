"""`ddkit audit site | runs | show | sample`: crawl and audit a whole site, list and inspect stored runs,
and choose the representative template pages of a run."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from a11y_audit.crawl.frontier import SKIP_REASONS, CrawlLimits
from a11y_audit.crawl.politeness import Politeness
from a11y_audit.errors import AuditUsageError
from a11y_audit.models import IMPACT_ORDER
from a11y_audit.template_signature import DEFAULT_THRESHOLD
from cli.exit_codes import ExitCode
from cli.options import DbOption, JsonOption, database_url
from cli.output import err, out, print_json, progress_enabled

if TYPE_CHECKING:
    from a11y_audit.site import SiteAuditConfig, SiteProgress
    from a11y_audit.store import AuditStore, RunSummary

# The crawler, the store (SQLAlchemy) and the sampler are imported inside the commands: `ddkit --help`
# and the other commands stay fast.


class Impact(StrEnum):
    minor = "minor"
    moderate = "moderate"
    serious = "serious"
    critical = "critical"


class Scope(StrEnum):
    host = "host"
    domain = "domain"


RunArg = Annotated[int, typer.Argument(help="Run id (see 'ddkit audit runs').", show_default=False)]
FailOnOption = Annotated[
    Impact | None, typer.Option("--fail-on", help="Exit 1 if any violation has this impact or worse.")
]

_DEFAULT_LIMITS = CrawlLimits()
_DEFAULT_POLITE = Politeness()


@contextlib.contextmanager
def _open_store(db: str | None) -> Iterator[AuditStore]:
    from a11y_audit.store import AuditStore

    store = AuditStore(database_url(db))
    try:
        yield store
    finally:
        store.close()


def _violations_at_or_above(store: AuditStore, run_id: int, fail_on: Impact | None) -> int:
    from sqlalchemy import func, select

    from a11y_audit.store import FindingRow

    if fail_on is None:
        return 0
    impacts = [name for name, rank in IMPACT_ORDER.items() if rank >= IMPACT_ORDER[fail_on.value]]
    with store.engine.connect() as conn:
        return int(
            conn.scalar(
                select(func.count())
                .select_from(FindingRow)
                .where(
                    FindingRow.run_id == run_id,
                    FindingRow.outcome == "violation",
                    FindingRow.impact.in_(impacts),
                )
            )
            or 0
        )


def _summary_payload(summary: RunSummary) -> dict[str, Any]:
    data = asdict(summary)
    data["skipped_total"] = sum(summary.skipped.values())
    return data


def _print_summary(summary: RunSummary, *, extra: str | None = None) -> None:
    from a11y_audit.site import ERROR_KINDS

    out.print(
        f"[bold]Run {summary.id}[/] ({summary.status}): {summary.pages} pages audited, "
        f"{summary.errors} with errors, {summary.queued} still queued; {summary.violations} violations; "
        f"{summary.templates} distinct template signatures."
    )
    if extra:
        out.print(extra)
    out.print(f"Seeds: {', '.join(summary.seeds)}")
    out.print(
        f"ddkit {summary.ddkit_version}, axe-core {summary.axe_version or '—'}; started {summary.started_at:%Y-%m-%d %H:%M}"
    )
    if summary.devices and set(summary.devices) != {"desktop"}:
        out.print("Devices: " + ", ".join(f"{d} {n}" for d, n in summary.devices.items()))
    for site in summary.mobile_sites:
        out.print(f"Separate mobile site: {site['host']} — {site['message']}", markup=False)
    if summary.error_kinds:
        out.print("Page errors:")
        for kind, n in sorted(summary.error_kinds.items(), key=lambda kv: -kv[1]):
            out.print(f"  {n:>5}  {kind}: {ERROR_KINDS.get(kind or '', kind or '')}")
    if summary.run_errors:
        out.print("Run errors:")
        for e in summary.run_errors:
            out.print(f"  {e['kind']}: {e['source']}: {e['message']}", markup=False)
    if summary.skipped:
        out.print("URLs not audited:")
        for reason, n in sorted(summary.skipped.items(), key=lambda kv: -kv[1]):
            label = SKIP_REASONS.get(
                reason, "same page as an audited URL (redirect)" if reason == "alias" else reason
            )
            out.print(f"  {n:>5}  {reason}: {label}")
    if summary.top_rules:
        table = Table(title="Violations by rule (pages affected)")
        for col in ("rule", "impact", "pages", "elements"):
            table.add_column(col)
        for r in summary.top_rules[:15]:
            table.add_row(r["rule_id"], r["impact"] or "", str(r["pages"]), str(r["elements"]))
        out.print(table)
    if summary.item_fail_pages:
        items = ", ".join(f"{k} ({v})" for k, v in summary.item_fail_pages.items())
        out.print(f"KWCAG items failing (pages): {items}")


def site(
    urls: Annotated[
        list[str] | None, typer.Argument(help="Start URL(s) of the site.", show_default=False)
    ] = None,
    url_list: Annotated[
        list[Path] | None,
        typer.Option("--urls", help="File with one URL per line (# comments allowed); repeatable."),
    ] = None,
    sitemap: Annotated[
        list[str] | None,
        typer.Option("--sitemap", help="sitemap.xml URL or file (indexes and .xml.gz followed); repeatable."),
    ] = None,
    resume: Annotated[
        int | None,
        typer.Option("--resume", help="Continue run RUN with its stored settings (after Ctrl-C or a crash)."),
    ] = None,
    max_pages: Annotated[
        int | None, typer.Option("--max-pages", help=f"Pages to audit at most [{_DEFAULT_LIMITS.max_pages}].")
    ] = None,
    max_depth: Annotated[
        int | None, typer.Option("--max-depth", help=f"Links away from a seed [{_DEFAULT_LIMITS.max_depth}].")
    ] = None,
    scope: Annotated[
        Scope | None,
        typer.Option("--scope", help="Same 'host' (default) or same registrable 'domain' (*.example.go.kr)."),
    ] = None,
    include: Annotated[
        list[str] | None, typer.Option("--include", help="Only follow URLs matching this regex; repeatable.")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Never follow URLs matching this regex; repeatable.")
    ] = None,
    max_query_variants: Annotated[
        int | None,
        typer.Option(
            "--max-query-variants",
            help=f"Query-string variants of one path [{_DEFAULT_LIMITS.max_query_variants}] (trap bound).",
        ),
    ] = None,
    max_pattern_variants: Annotated[
        int | None,
        typer.Option(
            "--max-pattern-variants",
            help=f"URLs of one numeric pattern, /cal/{{n}}/{{n}} [{_DEFAULT_LIMITS.max_pattern_variants}] (trap bound).",
        ),
    ] = None,
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", help="Browser pages auditing at the same time.", min=1)
    ] = 2,
    per_host: Annotated[
        int | None,
        typer.Option("--per-host", help=f"Pages of one host in flight at once [{_DEFAULT_POLITE.per_host}]."),
    ] = None,
    delay: Annotated[
        float | None,
        typer.Option("--delay", help=f"Seconds between requests to one host [{_DEFAULT_POLITE.delay_s}]."),
    ] = None,
    jitter: Annotated[
        float | None,
        typer.Option("--jitter", help=f"Random share of the delay, 0-1 [{_DEFAULT_POLITE.jitter}]."),
    ] = None,
    retries: Annotated[
        int | None,
        typer.Option(
            "--retries", help=f"Retries on 408/429/5xx and network errors [{_DEFAULT_POLITE.retries}]."
        ),
    ] = None,
    ignore_robots: Annotated[
        bool, typer.Option("--ignore-robots", help="Do not read or obey robots.txt (prints a warning).")
    ] = False,
    user_agent: Annotated[
        str | None, typer.Option("--user-agent", help="User-Agent for every request [ddkit/VERSION …].")
    ] = None,
    timeout: Annotated[float | None, typer.Option("--timeout", help="Seconds per page load [30].")] = None,
    device: Annotated[
        str | None,
        typer.Option(
            "--device",
            help="desktop, mobile (a phone, with the mobile criteria) or both (one crawl, every URL on the "
            "desktop, then on the phone) [desktop].",
            show_default=False,
        ),
    ] = None,
    mobile_profile: Annotated[
        str | None,
        typer.Option(
            "--mobile-profile",
            help="The phone of --device mobile/both: android (Pixel 7) or iphone (iPhone 15), emulated "
            "in Chromium [android].",
            show_default=False,
        ),
    ] = None,
    axe_js: Annotated[
        Path | None, typer.Option("--axe-js", help="Use this axe.min.js instead of the bundled axe-core.")
    ] = None,
    screenshots: Annotated[
        bool | None,
        typer.Option(
            "--screenshots/--no-screenshots",
            help="Store a small JPEG of each page for the report's thumbnails [on].",
            show_default=False,
        ),
    ] = None,
    crops: Annotated[
        int | None,
        typer.Option(
            "--crops",
            help="Screenshots of elements with violations per page, one per KWCAG item, for the "
            "review checklist; 0 = none [10].",
            min=0,
            show_default=False,
        ),
    ] = None,
    fail_on: FailOnOption = None,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Crawl a site and audit every page in a real browser; results are stored as a run.

    Polite by default: robots.txt obeyed, 2 pages per host at once, 0.5 s ± 50 % between requests to a
    host, 2 retries on 408/429/5xx honouring Retry-After. Ctrl-C stops cleanly; continue with --resume.

    Examples:

        ddkit audit site https://www.example.go.kr/ --max-pages 300

        ddkit audit site https://www.example.go.kr/ --sitemap https://www.example.go.kr/sitemap.xml --exclude /eng/

        ddkit audit site --urls sample.txt --max-depth 0 --json

        ddkit audit site https://www.example.go.kr/ --crops 0   # no element screenshots

        ddkit audit site https://www.example.go.kr/ --device both   # every URL on the desktop and a phone

        ddkit audit site --resume 4
    """
    from a11y_audit.site import SiteAuditConfig, audit_site

    given = {
        "--max-pages": max_pages,
        "--max-depth": max_depth,
        "--scope": scope,
        "--include": include,
        "--exclude": exclude,
        "--max-query-variants": max_query_variants,
        "--max-pattern-variants": max_pattern_variants,
        "--per-host": per_host,
        "--delay": delay,
        "--jitter": jitter,
        "--retries": retries,
        "--ignore-robots": ignore_robots or None,
        "--user-agent": user_agent,
        "--timeout": timeout,
        "--device": device,
        "--mobile-profile": mobile_profile,
        "--axe-js": axe_js,
        "--screenshots/--no-screenshots": screenshots,
        "--crops": crops,
    }
    config: SiteAuditConfig | None = None
    if resume is not None:
        if urls or url_list or sitemap:
            raise AuditUsageError(
                "--resume continues a stored run: give no start URL, --urls or --sitemap with it.",
                hint=f"ddkit audit site --resume {resume}",
            )
        ignored = [name for name, value in given.items() if value not in (None, [], ())]
        if ignored:
            err.print(
                f"[yellow]Warning:[/] {', '.join(ignored)} ignored: run {resume} continues with its stored "
                "settings (only --concurrency can change)."
            )
    else:
        limits = CrawlLimits(
            scope=(scope.value if scope else _DEFAULT_LIMITS.scope),  # type: ignore[arg-type]
            include=tuple(include or ()),
            exclude=tuple(exclude or ()),
            max_pages=max_pages if max_pages is not None else _DEFAULT_LIMITS.max_pages,
            max_depth=max_depth if max_depth is not None else _DEFAULT_LIMITS.max_depth,
            max_query_variants=max_query_variants or _DEFAULT_LIMITS.max_query_variants,
            max_pattern_variants=max_pattern_variants or _DEFAULT_LIMITS.max_pattern_variants,
        )
        polite = Politeness(
            per_host=per_host if per_host is not None else _DEFAULT_POLITE.per_host,
            delay_s=delay if delay is not None else _DEFAULT_POLITE.delay_s,
            jitter=jitter if jitter is not None else _DEFAULT_POLITE.jitter,
            retries=retries if retries is not None else _DEFAULT_POLITE.retries,
        )
        config = SiteAuditConfig(
            seeds=tuple(urls or ()),
            url_lists=tuple(str(p) for p in url_list or ()),
            sitemaps=tuple(sitemap or ()),
            limits=limits,
            politeness=polite,
            concurrency=concurrency,
            ignore_robots=ignore_robots,
            axe_js=str(axe_js) if axe_js else None,
            timeout_ms=int((timeout or 30) * 1000),
            device=device or "desktop",
            mobile_profile=mobile_profile or "android",
            user_agent=user_agent,
            screenshots=screenshots is not False,
            crops=10 if crops is None else crops,
        )
        if ignore_robots:
            err.print(
                "[yellow]Warning:[/] robots.txt is ignored (--ignore-robots). Audit only sites you are "
                "allowed to, and keep the delay polite."
            )
    db_url = database_url(db)
    run_id: list[int] = []
    bar = _ProgressBar() if progress_enabled() and not json_output else None

    def on_progress(p: SiteProgress) -> None:
        if not run_id:
            run_id.append(p.run_id)
        if bar is not None:
            bar.update(p)

    try:
        with bar or contextlib.nullcontext():
            result = audit_site(
                config,
                db_url,
                resume=resume,
                progress=on_progress,
                concurrency=concurrency if resume is not None else None,
            )
    except KeyboardInterrupt:
        if run_id:
            err.print(
                f"Interrupted: the pages audited so far are stored in run {run_id[0]}. "
                f"Continue with: ddkit audit site --resume {run_id[0]}",
                soft_wrap=True,
            )
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        raise
    with _open_store(db) as store:
        failing = _violations_at_or_above(store, result.run_id, fail_on)
    if json_output:
        payload = _summary_payload(result.summary)
        payload["session"] = {
            "pages": result.pages_this_session,
            "elapsed_s": round(result.elapsed_s, 2),
            "pages_per_minute": round(result.pages_per_minute, 1),
        }
        print_json("audit.site", payload)
    else:
        _print_summary(
            result.summary,
            extra=f"This session: {result.pages_this_session} pages in {result.elapsed_s:.1f} s "
            f"({result.pages_per_minute:.1f} pages/min).",
        )
        out.print(
            f"Next: ddkit audit sample {result.run_id} --size 10   ·   ddkit audit score {result.run_id}"
        )
    if failing:
        if not json_output:
            err.print(f"{failing} violations with impact {fail_on.value} or worse (--fail-on).")
        raise typer.Exit(ExitCode.FINDINGS)


class _ProgressBar:
    """done / queued / errors / pages per minute on stderr (a terminal only)."""

    def __init__(self) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("run {task.fields[run]}"),
            BarColumn(),
            TextColumn(
                "{task.completed}/{task.total} done · {task.fields[queued]} queued · "
                "{task.fields[errors]} errors · {task.fields[ppm]:.1f} pages/min"
            ),
            TimeElapsedColumn(),
            TextColumn("{task.fields[url]}", style="dim"),
            console=err,
            transient=False,
        )
        self.task = self.progress.add_task("audit", total=None, run="…", queued=0, errors=0, ppm=0.0, url="")

    def __enter__(self) -> _ProgressBar:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)

    def update(self, p: SiteProgress) -> None:
        url = (p.last_url or "")[-60:]
        self.progress.update(
            self.task,
            completed=p.done,
            total=p.done + p.queued,
            run=p.run_id,
            queued=p.queued,
            errors=p.errors,
            ppm=p.pages_per_minute,
            url=url,
        )


def runs(json_output: JsonOption = False, db: DbOption = None) -> None:
    """List the audit runs stored in the database.

    Example:

        ddkit audit runs --db audits.db
    """
    with _open_store(db) as store:
        rows = store.list_runs()
    if json_output:
        print_json("audit.runs", [_summary_payload(r) for r in rows])
        return
    if not rows:
        out.print("No audit runs yet. Start one with: ddkit audit site https://www.example.go.kr/")
        return
    table = Table(title="Audit runs")
    for col in ("run", "status", "started (UTC)", "pages", "errors", "queued", "violations", "seeds"):
        table.add_column(col)
    for r in rows:
        seeds = ", ".join(r.seeds[:2]) + (f" (+{len(r.seeds) - 2})" if len(r.seeds) > 2 else "")
        table.add_row(
            str(r.id),
            r.status,
            f"{r.started_at:%Y-%m-%d %H:%M}",
            str(r.pages),
            str(r.errors),
            str(r.queued),
            str(r.violations),
            seeds,
        )
    out.print(table)


def show(
    run: RunArg,
    pages: Annotated[bool, typer.Option("--pages", help="Also list every page with its status.")] = False,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Summarise one run: pages, errors by kind, URLs left out and why, violations by rule.

    Examples:

        ddkit audit show 4

        ddkit audit show 4 --pages --json
    """
    with _open_store(db) as store:
        summary = store.summary(run)
        stored = store.pages(run) if pages or json_output else []
    if json_output:
        payload = _summary_payload(summary)
        payload["pages_list"] = [asdict(p) for p in stored]
        print_json("audit.show", payload)
        return
    _print_summary(summary)
    if summary.status in ("interrupted", "failed", "running") and summary.queued:
        out.print(f"Continue with: ddkit audit site --resume {summary.id}")
    if pages:
        several = len({p.device for p in stored}) > 1
        table = Table(title=f"Pages of run {run}")
        for col in ("depth", "status", "violations", *(["device"] if several else []), "url", "error"):
            table.add_column(col)
        for p in stored:
            device = [p.device] if several else []
            table.add_row(
                str(p.depth), str(p.status or ""), str(p.n_violations), *device, p.url, p.error or ""
            )
        out.print(table)


def sample(
    run: RunArg,
    size: Annotated[int, typer.Option("--size", help="Pages in the sample (home + templates).", min=1)] = 10,
    threshold: Annotated[
        int,
        typer.Option(
            "--threshold",
            help="Template signatures this many bits apart or closer are one template.",
            min=0,
            max=64,
        ),
    ] = DEFAULT_THRESHOLD,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the sample's URLs, one per line (the --urls of a deep audit)."
        ),
    ] = None,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Choose representative pages of a run: the home page plus one page per template cluster.

    Each chosen page says which cluster it stands for and how many pages that cluster has.

    Examples:

        ddkit audit sample 4 --size 10

        ddkit audit sample 4 --size 10 -o sample.txt && ddkit audit site --urls sample.txt --max-depth 0
    """
    from a11y_audit.sampling import sample_run

    result = sample_run(database_url(db), run, size=size, threshold=threshold)
    if output is not None:
        try:
            output.write_text("".join(u + "\n" for u in result.urls), encoding="utf-8")
        except OSError as exc:
            raise AuditUsageError(f"Cannot write {output}: {exc.strerror}.") from None
    if json_output:
        print_json("audit.sample", result)
        return
    if not result.entries:
        out.print(
            f"Run {run} has no page audited without error ({result.pages_excluded} pages with errors): "
            "nothing to sample."
        )
        return
    out.print(f"[bold]Representative sample of run {run}[/]")
    for e in result.entries:
        out.print(f"{e.rank:>3}. {e.url}", markup=False)
        out.print(f"     {e.reason}", markup=False, style="dim")
    out.print(
        f"{result.pages_considered} pages in {len(result.clusters)} template clusters "
        f"(signatures ≤ {result.threshold} bits apart); {result.pages_excluded} pages with errors left out."
    )
    if result.uncovered_clusters:
        out.print(
            f"Not represented: {result.uncovered_clusters} smaller cluster"
            f"{'s' if result.uncovered_clusters != 1 else ''} ({result.uncovered_pages} pages); "
            "raise --size to include them."
        )
    if output is not None:
        out.print(f"Wrote {len(result.urls)} URLs to {output}")


def register(app: typer.Typer) -> None:
    app.command(name="site")(site)
    app.command(name="runs")(runs)
    app.command(name="show")(show)
    app.command(name="sample")(sample)

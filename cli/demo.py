"""`ddkit demo`: the whole product on the bundled sample, written into ./ddkit-demo/.

The demo runs the same commands a user would, in this process, and prints each one so a newcomer
can repeat any step by hand: it serves the bundled sample government website on 127.0.0.1, crawls and
audits it, samples and scores it, checks the audit against the barriers planted in the site and
against the fixed twins, computes the gap index from synthetic survey files, loads sample training
records, and writes every report and an index page.
"""

from __future__ import annotations

import contextlib
import io
import json
import shlex
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.exit_codes import ExitCode
from cli.options import JsonOption
from cli.output import err, out, print_json

DEMO_YEARS = (2023, 2024)
TRAINING_YEAR = 2025


class DemoStepFailed(Exception):
    def __init__(self, step: str, code: int) -> None:
        super().__init__(f"demo step '{step}' exited with code {code}")
        self.step, self.code = step, code


def sample_site_facts() -> dict:
    """What the sample site holds (pages, planted barriers, fixed twins)."""
    from a11y_audit.samples import load_barriers, load_twins, site_pages

    barriers = load_barriers()
    automated = [b for b in barriers if b.machine_detectable]
    return {
        "pages": len(site_pages()),
        "barriers": len(barriers),
        "machine_detectable": len(automated),
        "kwcag_items": sorted({b.item for b in automated}),
        "fixed_twins": len(load_twins()),
    }


class _Runner:
    """Runs ddkit commands in this process, shows them, and returns their JSON data."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.commands: list[str] = []

    def __call__(self, *args: str, ok: tuple[int, ...] = (0,)) -> Any:
        from cli import main

        argv = [str(a) for a in args]
        shown = "ddkit " + " ".join(shlex.quote(a) for a in argv)
        self.commands.append(shown)
        if not self.quiet:
            err.print(f"  [dim]$ {shown}[/]", highlight=False, soft_wrap=True)
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            code = main(argv)
        if code not in ok:
            raise DemoStepFailed(" ".join(argv[:2]), code)
        text = buffer.getvalue().strip()
        return json.loads(text)["data"] if "--json" in argv and text else text


def _fresh_database(folder: Path) -> Path:
    """The demo starts from an empty database each time; its reports are rewritten too."""
    db = folder / "ddkit.db"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return db


def _relative_path(url: str, base: str) -> str:
    return url[len(base) :] if url.startswith(base) else url


def run_demo(folder: Path, *, lang: str = "ko", port: int = 0, quiet: bool = False) -> dict[str, Any]:
    """All demo steps; returns what was produced (paths, figures)."""
    from a11y_audit.samples import FIXED_INDEX, serve_sample_site
    from a11y_audit.samples.matching import match_barriers, unplanned_findings
    from a11y_audit.store import AuditStore

    started = time.monotonic()
    folder.mkdir(parents=True, exist_ok=True)
    db = _fresh_database(folder)
    db_url = f"sqlite:///{db}"
    key_file = folder / "pseudonym.key"
    ddkit = _Runner(quiet)
    result: dict[str, Any] = {"folder": str(folder), "database": str(db)}
    steps = 6

    def step(n: int, text: str) -> None:
        if not quiet:
            err.print(f"[bold][{n}/{steps}][/] {text}")

    facts = sample_site_facts()
    with serve_sample_site(port) as site:
        base = site.url("")
        step(
            1,
            f"Auditing the sample site of 디지털포용부 at {site.url('index.html')} "
            f"({facts['pages']} pages, {facts['machine_detectable']} machine-detectable barriers planted)",
        )
        # The sample site is local: no politeness delay.
        local = ("--db", db_url, "--delay", "0", "--jitter", "0", "--json")
        audit = ddkit("audit", "site", site.url("index.html"), *local)
        run = audit["id"]
        sample = ddkit("audit", "sample", run, "--size", "10", "--db", db_url, "--json")
        sample_file = folder / "sample-urls.txt"
        sample_file.write_text("".join(f"{e['url']}\n" for e in sample["entries"]), encoding="utf-8")
        # The certification estimate is made on the representative sample, audited as its own run.
        sampled = ddkit("audit", "site", "--urls", sample_file, "--max-depth", "0", *local)
        score = ddkit("audit", "score", sampled["id"], "--db", db_url, "--json")
        est = score["estimate"]
        with contextlib.closing(AuditStore(db_url)) as store:
            pages = store.page_results(run)
        findings = {_relative_path(p.final_url or p.url, base): p.findings for p in pages if not p.error}
        matches = match_barriers(findings)
        found = [m for m in matches if m.found]
        unplanned = unplanned_findings(findings)
        result["audit"] = {
            "run": run,
            "sample_run": sampled["id"],
            "pages": audit["pages"],
            "errors": audit["errors"],
            "violations": audit["violations"],
            "sample": [e["url"] for e in sample["entries"]],
            "clusters": len(sample["clusters"]),
            "estimate_lower": est["mean_lower"],
            "estimate_upper": est["mean_upper"],
            "verdict_mean": est["verdict_mean"],
            "verdict_every_item": est["verdict_every_item"],
            "barriers_found": len(found),
            "barriers_machine_detectable": len(matches),
            "barriers_missed": [m.barrier.id for m in matches if not m.found],
            "unplanned_violations": len(unplanned),
        }

        step(2, "Auditing the fixed twins (every planted barrier removed)")
        twins = ddkit("audit", "site", site.url(FIXED_INDEX), "--include", "/fixed/", *local)
        result["twins"] = {"run": twins["id"], "pages": twins["pages"], "violations": twins["violations"]}

    step(3, "Computing the Digital Information Gap Index from synthetic survey files")
    index_files = []
    for year in DEMO_YEARS:
        survey = folder / f"survey-{year}.parquet"
        ddkit("survey", "synth", "--year", year, "--n", "15000", "--seed", year, "--out", survey, "--json")
        index_file = folder / f"index-{year}.json"
        ddkit("survey", "index", survey, "--year", year, "--out", index_file, "--json")
        index_files.append(index_file)
    result["survey"] = {"years": list(DEMO_YEARS), "results": [str(p) for p in index_files]}

    step(4, "Loading sample training records, KPIs and a forecast")
    records = folder / "training-sample"
    sample_files = ddkit("training", "sample", "--out", records, "--seed", "1", "--json")
    as_of = sample_files["as_of"]
    ddkit("training", "init", "--db", db_url)
    for f in sample_files["files"]:
        ddkit(
            "training",
            "import",
            f["file"],
            "--mapping",
            f["mapping"],
            "--key-file",
            key_file,
            "--db",
            db_url,
            "--json",
        )
    ddkit("training", "complete", "--all", "--final", "--as-of", as_of, "--db", db_url, "--json")
    kpis = ddkit("training", "kpis", "--year", TRAINING_YEAR, "--as-of", as_of, "--db", db_url, "--json")
    forecast = ddkit("training", "forecast", "--until", as_of[:7], "--db", db_url, "--json")
    result["training"] = {
        "year": TRAINING_YEAR,
        "as_of": as_of,
        "kpis": kpis.get("totals", kpis) if isinstance(kpis, dict) else kpis,
        "forecast_method": forecast.get("method") if isinstance(forecast, dict) else None,
    }

    step(5, "Writing the reports")
    reports = []
    for report_lang in dict.fromkeys([lang, "en" if lang == "ko" else "ko"]):
        suffix = f"-{report_lang}.html"
        reports.append(
            ddkit(
                "report",
                "audit",
                result["audit"]["sample_run"],
                "--db",
                db_url,
                "--lang",
                report_lang,
                "--out",
                folder / f"audit-report{suffix}",
                "--json",
            )["path"]
        )
        reports.append(
            ddkit(
                "report",
                "gap",
                *index_files,
                "--lang",
                report_lang,
                "--out",
                folder / f"gap-report{suffix}",
                "--json",
            )["path"]
        )
        reports.append(
            ddkit(
                "report",
                "training",
                "--year",
                TRAINING_YEAR,
                "--db",
                db_url,
                "--lang",
                report_lang,
                "--out",
                folder / f"training-report{suffix}",
                "--json",
            )["path"]
        )
    step(6, "Writing the index page")
    index_page = ddkit("report", "index", folder, "--lang", lang, "--json")["path"]
    result["reports"] = reports
    result["index"] = index_page
    result["commands"] = ddkit.commands
    result["elapsed_s"] = round(time.monotonic() - started, 1)
    return result


def _serve_only(port: int, json_output: bool) -> None:
    from a11y_audit.samples import FIXED_INDEX, serve_sample_site

    facts = sample_site_facts()  # read before the server starts, so Ctrl-C finds us serving
    with serve_sample_site(port) as site:
        summary = {"site_url": site.url("index.html"), "fixed_index_url": site.url(FIXED_INDEX), **facts}
        if json_output:
            print_json("demo.sample_site", summary)
        else:
            out.print(f"Sample site (디지털포용부, a fictional ministry): {summary['site_url']}")
            out.print(
                f"  {summary['pages']} pages, {summary['barriers']} planted barriers "
                f"({summary['machine_detectable']} machine-detectable on {len(summary['kwcag_items'])} KWCAG items), "
                f"{summary['fixed_twins']} fixed twins listed at {summary['fixed_index_url']}"
            )
        err.print("Serving the sample site; press Ctrl-C to stop.")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            err.print("Stopped.")


def demo(
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the database and the reports.")
    ] = Path("ddkit-demo"),
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the index page and the first reports: ko or en.")
    ] = "ko",
    port: Annotated[
        int,
        typer.Option(
            "--port", min=0, max=65535, help="Port for the sample site on 127.0.0.1 (0: any free port)."
        ),
    ] = 0,
    serve: Annotated[
        bool, typer.Option("--serve", help="Only serve the sample site until Ctrl-C, to browse it.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Run the whole product on the bundled sample and write the reports into ./ddkit-demo/.

    Serves a sample Korean government website on 127.0.0.1, crawls, audits, samples and scores it,
    checks the audit against the barriers planted in it and against its fixed twins, computes the gap
    index from synthetic survey data, loads sample training records with KPIs and a forecast, and writes
    every report (Korean and English) with an index page. Each step prints the ddkit command it runs.

    Examples:

        ddkit demo

        ddkit demo --out /tmp/demo --lang en

        ddkit demo --serve --port 8000
    """
    if lang not in ("ko", "en"):
        err.print(f"Error: --lang must be ko or en, not {lang!r}.")
        raise typer.Exit(ExitCode.USAGE)
    if serve:
        _serve_only(port, json_output)
        return
    try:
        result = run_demo(out_dir, lang=lang, port=port, quiet=json_output)
    except DemoStepFailed as exc:
        err.print(f"[bold red]Error:[/] {exc}. The messages above say why.")
        raise typer.Exit(exc.code) from None
    if json_output:
        print_json("demo", result)
        return
    a, t = result["audit"], result["twins"]
    out.print()
    out.print(
        f"[bold]Audit[/] (run {a['run']}): {a['pages']} pages, {a['violations']} violations; "
        f"estimate on the sample {a['estimate_lower']:.1f}–{a['estimate_upper']:.1f} "
        f"(95-point rule: mean {a['verdict_mean']}, every item {a['verdict_every_item']})"
    )
    out.print(
        f"  planted barriers found: {a['barriers_found']} of {a['barriers_machine_detectable']} "
        f"machine-detectable; violations that match no planted barrier: {a['unplanned_violations']}"
    )
    out.print(f"  fixed twins (run {t['run']}): {t['pages']} pages, {t['violations']} violations")
    out.print(
        f"  representative sample: {len(a['sample'])} pages, audited as run {a['sample_run']} and scored"
    )
    out.print(f"[bold]Gap index[/]: years {', '.join(map(str, result['survey']['years']))}")
    out.print(f"[bold]Training[/]: KPIs for {result['training']['year']} as of {result['training']['as_of']}")
    out.print(f"[bold]Reports[/] ({len(result['reports'])}) in {result['folder']}/")
    out.print(f"Open [bold]{result['index']}[/] in a browser. Done in {result['elapsed_s']:.0f} s.")

"""Where report inputs come from: the audit store, gap-index result files, the training database.

Each loader returns the report's own input type (``reports.audit.AuditReportData`` …) and the
provenance facts to print, so the renderers never touch a database or a domain file format.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from a11y_audit.errors import AuditError
from reports.audit import AuditedPage, AuditReportData, FindingRef, RunChanges, item_status
from reports.errors import ReportError
from reports.render import InputFile, input_file, redact_url


def _sqlite_path(url: str) -> str | None:
    """The file behind an ``sqlite:///path`` URL (None for other databases or in-memory SQLite)."""
    if not url.startswith("sqlite"):
        return None
    path = url.split("///", 1)[1] if "///" in url else ""
    return path if path and path != ":memory:" else None


def database_input(url: str) -> list[InputFile]:
    """The SQLite file as an input with its SHA-256 (its state when the report was written)."""
    path = _sqlite_path(url)
    if path and os.path.isfile(path):
        return [input_file(path)]
    return []


def _site_of(seeds: list[str]) -> str:
    if not seeds:
        return "?"
    parts = urlsplit(seeds[0])
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else seeds[0]


def _same_site(a: list[str], b: list[str]) -> bool:
    return bool(a and b) and urlsplit(a[0]).netloc.lower() == urlsplit(b[0]).netloc.lower()


def load_audit_run(
    db_url: str, run_id: int, *, previous: int | None = None, compare: bool = True
) -> tuple[AuditReportData, list[tuple[str, str]], list[InputFile]]:
    """A stored run as report input, with what changed since ``previous`` (default: the latest earlier
    run of the same site that has audited pages)."""
    from a11y_audit.rules import load_registry
    from a11y_audit.scoring.runs import score_run
    from a11y_audit.store import AuditStore
    from a11y_audit.user_review import user_review_summary

    require_database(db_url)
    inputs = database_input(db_url)  # hash before opening: reading never changes it, migrating might
    store = AuditStore(db_url)
    try:
        run = store.run(run_id)
        results = store.page_results(run_id, thumbnails=True)
        summary = store.summary(run_id, detail=True)
        devices = sorted({r.device for r in results})
        device_estimates = []
        for device in devices if len(devices) > 1 else []:
            try:
                device_estimates.append((device, score_run(store, run_id, device=device).estimate))
            except AuditError:
                device_estimates.append((device, None))
        if device_estimates:
            # A run on several devices: the headline figures are the first device's (desktop).
            estimate = device_estimates[0][1]
        else:
            try:
                estimate = score_run(store, run_id).estimate
            except AuditError:
                estimate = None  # no successfully audited page: the report says so
        registry = load_registry()
        tags = list((run.config or {}).get("tags") or [])
        pages = [
            AuditedPage(
                url=r.url,
                title=r.title,
                final_url=r.final_url,
                status=r.status,
                lang=r.lang,
                device=r.device,
                findings=list(r.findings),
                item_status=dict(r.item_status),
                screenshot=r.thumbnail,
                error=r.error,
            )
            for r in results
        ]
        notes = []
        skipped = sum(summary.skipped.values())
        if skipped:
            notes.append(", ".join(f"{reason}: {n}" for reason, n in summary.skipped.items()))
        data = AuditReportData(
            site=_site_of(list(run.seeds)),
            run_id=str(run.id),
            started_at=run.started_at,
            finished_at=run.finished_at,
            audit_ddkit_version=run.ddkit_version,
            axe_version=run.axe_version or next((r.axe_version for r in results if r.axe_version), None),
            ruleset=f"{registry.version} ({registry.standard})",
            tags=tags,
            pages=pages,
            estimate=estimate,
            pages_not_audited=summary.queued,
            notes=notes,
            user_review=user_review_summary(store, run_id),
            device_estimates=device_estimates,
            mobile_sites=[s["host"] for s in summary.mobile_sites],
        )
        if compare:
            data.changes = _changes(store, run, results, estimate, previous)
    finally:
        store.close()
    facts = [("database", redact_url(db_url)), ("run", str(run_id))]
    return data, facts, inputs


def _changes(store, run, results, estimate, previous: int | None) -> RunChanges | None:
    from a11y_audit.diff import diff_results
    from a11y_audit.scoring.runs import score_run

    if previous is None:
        earlier = [
            r
            for r in store.list_runs()
            if r.id < run.id and r.pages > 0 and _same_site(r.seeds, list(run.seeds))
        ]
        if not earlier:
            return None
        previous = earlier[-1].id
    prev_run = store.run(previous)
    prev_results = store.page_results(previous)
    try:
        prev_estimate = score_run(store, previous).estimate
    except AuditError:
        prev_estimate = None
    diff = diff_results(prev_results, results)
    host = _site_of(list(run.seeds)).rstrip("/")
    new, fixed = [], []
    for change in diff.changes:
        kwcag = [] if change.item == "best-practice" else [change.item]
        for brief in change.new:
            new.append(FindingRef(host + change.page, brief["rule_id"], brief.get("selector"), kwcag))
        for brief in change.fixed:
            fixed.append(FindingRef(host + change.page, brief["rule_id"], brief.get("selector"), kwcag))
    item_changes = []
    if prev_estimate and estimate:
        for score in estimate.items:
            before = item_status(prev_estimate.item(score.item))
            after = item_status(score)
            if before != after:
                item_changes.append((score.item, before, after))
    return RunChanges(
        previous_run_id=str(prev_run.id),
        previous_date=prev_run.started_at,
        previous_estimate=prev_estimate,
        new_findings=new,
        fixed_findings=fixed,
        item_changes=item_changes,
    )


def require_database(url: str) -> None:
    """A report reads a database: it must never create an empty one as a side effect of a typo."""
    path = _sqlite_path(url)
    if path and not os.path.isfile(path):
        raise ReportError(
            f"The database file {path} does not exist.",
            hint="Give the database the data were stored in with --db (or DDKIT_DB).",
        )


def load_training(db_url: str, year: int, *, programme=None, region=None, min_cell=None, lang: str = "ko"):
    """The training report's input from the tracker's database: its KPIs (``training_tracker.kpis``),
    and yearly totals with a forecast when ``training_tracker.forecast`` is available."""
    from reports.i18n import translator
    from reports.training import EquityRow, Forecast, ForecastPoint, FunnelStep, KpiRow, TrainingReportData
    from training_tracker.db import open_database
    from training_tracker.kpis import compute_kpis
    from training_tracker.privacy import MIN_CELL

    t = translator(lang)
    require_database(db_url)
    inputs = database_input(db_url)
    engine = open_database(db_url)
    try:
        kpis = compute_kpis(
            engine, year=year, programme=programme, region=region, min_cell=min_cell or MIN_CELL
        )
        trend = _training_trend(engine, year, programme, region, t)
    finally:
        engine.dispose()

    def row(raw: dict, key: str, targets: tuple[int | None, int | None] | None = None) -> KpiRow:
        hidden = {"enrolments": "enrolled", "completed": "completed"}
        target_enrolled, target_completed = targets or (
            raw.get("target_enrolled"),
            raw.get("target_completed"),
        )
        return KpiRow(
            key=key,
            enrolled=raw.get("enrolments"),
            completed=raw.get("completed"),
            target_enrolled=target_enrolled,
            target_completed=target_completed,
            suppressed=[hidden[f] for f in raw.get("suppressed", []) if f in hidden],
        )

    overall = [t for t in kpis.targets if t["group"] == "all" and t["region"] == "all"]
    total_targets = (
        sum(t["target"] for t in overall if t["target"] is not None) if overall else None,
        sum(t["target_completed"] for t in overall if t["target_completed"] is not None) if overall else None,
    )
    notes = list(trend["notes"])
    data = TrainingReportData(
        year=year,
        programme=programme,
        region=region,
        min_cell=kpis.min_cell,
        total=row(kpis.headline, "all", total_targets),
        by_group=[row(r, r["group"]) for r in kpis.by_group],
        by_region=[row(r, r["region"]) for r in kpis.by_region],
        funnel=[
            FunnelStep(r["step"], r["count"], suppressed="count" in r.get("suppressed", []))
            for r in kpis.funnel
        ],
        trend_years=trend["years"],
        trend_enrolled=trend["enrolled"],
        trend_completed=trend["completed"],
        forecast=None
        if not trend["forecast"]
        else Forecast(
            model=trend["model"],
            level=0.95,
            points=[ForecastPoint(p["year"], p["mean"], p["lower"], p["upper"]) for p in trend["forecast"]],
        ),
        equity=[
            EquityRow(
                group=r["group"],
                trainees=r.get("learners"),
                trainee_share=None if r.get("share_of_trainees") is None else 100 * r["share_of_trainees"],
                population_share=None
                if r.get("share_of_population") is None
                else 100 * r["share_of_population"],
                ratio=r.get("equity_ratio"),
                gap_level=r.get("gap_index_level"),
                gap_year=r.get("gap_index_year"),
                suppressed="learners" in r.get("suppressed", []),
            )
            for r in kpis.equity
        ],
        notes=notes,
    )
    facts = [("database", redact_url(db_url)), ("as_of", kpis.as_of), ("target_basis", kpis.target_basis)]
    return data, facts, inputs


def _training_trend(engine, year: int, programme, region, t) -> dict:
    """Enrolments and completions per year up to ``year`` (the tracker's KPIs for each year, so the
    definitions and the suppression are the same as in the year's tables), and a two-year forecast
    of enrolments when ``training_tracker.forecast`` is available."""
    from training_tracker.errors import TrainingError
    from training_tracker.kpis import compute_kpis

    everything = compute_kpis(engine, programme=programme, region=region)
    years = sorted({int(r["month"][:4]) for r in everything.by_month if int(r["month"][:4]) <= year})
    enrolled, completed = [], []
    for y in years:
        headline = compute_kpis(engine, year=y, programme=programme, region=region).headline
        enrolled.append(headline.get("enrolments"))
        completed.append(headline.get("completed"))
    out = {
        "years": years,
        "enrolled": enrolled,
        "completed": completed,
        "forecast": [],
        "model": "",
        "notes": [],
    }
    try:
        from training_tracker.forecast import breaks_from_db, forecast_series
    except ImportError:
        out["notes"].append(t("training.no_forecast_module"))
        return out
    known = [(str(y), float(v)) for y, v in zip(years, enrolled, strict=True) if v is not None]
    if len(known) < 3:
        out["notes"].append(t("training.too_few_years", n=len(known)))
        return out
    try:
        result = forecast_series(
            known, frequency="year", horizon=2, breaks=breaks_from_db(engine, programme), measure="enrolments"
        )
    except TrainingError as exc:
        out["notes"].append(t("training.no_forecast", reason=str(exc)))
        return out
    out["model"] = result.method
    out["forecast"] = [
        {"year": int(p["period"][:4]), "mean": p["mean"], "lower": p["lower_95"], "upper": p["upper_95"]}
        for p in result.forecast
    ]
    out["notes"] += result.notes
    return out

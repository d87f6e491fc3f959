"""Build a report end to end: load its input, render it, write it. What ``ddkit report …`` calls.

Each function returns a :class:`WrittenReport`; none decides an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reports.i18n import translator
from reports.render import Provenance, data_fingerprint, write_html

DEFAULT_FOLDER = Path("ddkit-reports")


@dataclass
class WrittenReport:
    path: Path
    kind: str
    lang: str
    summary: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "kind": self.kind, "lang": self.lang, "summary": self.summary}


def _facts(lang: str, facts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    t = translator(lang)
    return [(t(f"provenance.{key}") if t.has(f"provenance.{key}") else key, value) for key, value in facts]


def build_audit_report(
    db_url: str, run_id: int, *, lang: str = "ko", out: str | Path | None = None, previous: int | None = None
) -> WrittenReport:
    from reports.audit import audit_summary, render_audit_report
    from reports.sources import load_audit_run

    translator(lang)  # an unknown language fails before any work
    data, facts, inputs = load_audit_run(db_url, run_id, previous=previous)
    provenance = Provenance(
        inputs=inputs,
        data_sha256=data_fingerprint(data),
        axe_version=data.axe_version,
        facts=_facts(lang, facts),
    )
    html = render_audit_report(data, lang, provenance)
    path = write_html(html, out or DEFAULT_FOLDER / f"audit-run-{run_id}-{lang}.html")
    return WrittenReport(path=path, kind="audit", lang=lang, summary=audit_summary(data))


def build_index(folder: str | Path, *, lang: str = "ko", out: str | Path | None = None) -> WrittenReport:
    from reports.index import write_index

    path, summary = write_index(folder, lang, out)
    return WrittenReport(path=path, kind="index", lang=lang, summary=summary)


def build_gap_report(
    results: list[str | Path], *, lang: str = "ko", out: str | Path | None = None
) -> WrittenReport:
    from reports.gap import gap_summary, load_results, render_gap_report

    translator(lang)
    data, inputs = load_results(list(results))
    provenance = Provenance(inputs=inputs, data_sha256=data_fingerprint(data))
    html = render_gap_report(data, lang, provenance)
    path = write_html(html, out or DEFAULT_FOLDER / f"gap-{data.latest.year}-{lang}.html")
    return WrittenReport(path=path, kind="gap", lang=lang, summary=gap_summary(data))


def render_training(
    data, *, lang: str = "ko", out: str | Path | None = None, inputs=(), facts=()
) -> WrittenReport:
    """Render and write a training report from its input (see reports.training.TrainingReportData)."""
    from reports.training import render_training_report, training_summary

    translator(lang)
    provenance = Provenance(
        inputs=list(inputs), data_sha256=data_fingerprint(data), facts=_facts(lang, list(facts))
    )
    html, suppressed = render_training_report(data, lang, provenance)
    path = write_html(html, out or DEFAULT_FOLDER / f"training-{data.year}-{lang}.html")
    return WrittenReport(path=path, kind="training", lang=lang, summary=training_summary(data, suppressed))


def build_training_report(
    year: int,
    *,
    db_url: str | None = None,
    data_file: str | Path | None = None,
    programme: str | None = None,
    region: str | None = None,
    min_cell: int | None = None,
    lang: str = "ko",
    out: str | Path | None = None,
) -> WrittenReport:
    """From a JSON file of the report's input (``data_file``), or from the training database."""
    import json

    from reports.errors import ReportError, ReportUsageError
    from reports.render import input_file
    from reports.training import fill_gap_levels, parse_training_json

    translator(lang)
    if data_file is not None:
        inputs = [input_file(data_file)]
        try:
            raw = json.loads(Path(data_file).read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ReportError(
                f"{data_file}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
                hint="See docs/how-to/reports.md for the training report's JSON input.",
            ) from exc
        data = parse_training_json(raw, str(data_file))
        if data.year != year:
            raise ReportUsageError(
                f"{data_file} holds {data.year}, not {year}.", hint=f"Use --year {data.year} or another file."
            )
        if min_cell is not None:
            data.min_cell = max(data.min_cell, min_cell)
        facts: list[tuple[str, str]] = []
    else:
        from reports.sources import load_training

        data, facts, inputs = load_training(
            db_url, year, programme=programme, region=region, min_cell=min_cell
        )
    fill_gap_levels(data)
    return render_training(data, lang=lang, out=out, inputs=inputs, facts=facts)

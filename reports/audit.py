"""The audit report: one site's run as a self-contained, printable HTML page.

:class:`AuditReportData` is the report's input. It is built from the audit store
(:func:`reports.sources.load_audit_run`) or from a JSON file of the same shape, so the report does not
depend on how a run was stored. Everything from the audited site (titles, URLs, selectors, snippets,
messages) is untrusted and is only ever escaped text here.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from a11y_audit.models import IMPACT_ORDER, Finding
from a11y_audit.rules.registry import load_registry
from a11y_audit.scoring import Estimate, ItemScore
from reports.charts import Series, bar_chart
from reports.i18n import Translator, translator
from reports.render import (
    Provenance,
    display_host,
    format_number,
    format_percent,
    lang_attr,
    render_template,
)
from reports.tables import Column, Table

#: Item statuses, worst first (same order as a11y_audit.models.ItemStatus).
STATUSES = ("fail", "review", "manual", "pass", "inapplicable")
#: At most this many elements are listed per rule and page; the rest are counted, never silently dropped.
MAX_ELEMENTS_PER_RULE = 50


@dataclass
class AuditedPage:
    url: str
    title: str | None = None
    final_url: str | None = None
    status: int | None = None
    lang: str | None = None
    device: str = "desktop"
    findings: list[Finding] = field(default_factory=list)
    item_status: dict[str, str] = field(default_factory=dict)
    screenshot: bytes | None = None
    error: str | None = None


@dataclass
class FindingRef:
    url: str
    rule_id: str
    selector: str | None = None
    kwcag: list[str] = field(default_factory=list)


@dataclass
class RunChanges:
    """What changed since the previous run of the same site."""

    previous_run_id: str
    previous_date: dt.datetime | None = None
    previous_estimate: Estimate | None = None
    new_findings: list[FindingRef] = field(default_factory=list)
    fixed_findings: list[FindingRef] = field(default_factory=list)
    #: (item id, status before, status after)
    item_changes: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class AuditReportData:
    site: str
    run_id: str
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    audit_ddkit_version: str | None = None
    axe_version: str | None = None
    ruleset: str | None = None
    tags: list[str] = field(default_factory=list)
    pages: list[AuditedPage] = field(default_factory=list)
    #: The certification estimate of a11y_audit.scoring (None when the run has no audited page).
    estimate: Estimate | None = None
    changes: RunChanges | None = None
    #: Pages planned but not audited (errors, limits), reported, never silently dropped.
    pages_not_audited: int = 0
    notes: list[str] = field(default_factory=list)
    #: The user review (a11y_audit.user_review.UserReviewSummary); None: no user results, no section.
    user_review: Any = None
    #: A run audited on several devices (``--device both``): (device, its estimate or None) in order;
    #: ``estimate`` is then the first device's. Empty for a run on one device.
    device_estimates: list[tuple[str, Estimate | None]] = field(default_factory=list)
    #: Separate mobile sites the run followed (host names).
    mobile_sites: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- helpers


def image_data_uri(data: bytes | None) -> str | None:
    """A ``data:`` URI for a PNG, JPEG or WebP screenshot; anything else is refused (None)."""
    if not data:
        return None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        mime = "image/png"
    elif data.startswith(b"\xff\xd8\xff"):
        mime = "image/jpeg"
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        mime = "image/webp"
    else:
        return None
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _message(f: Finding, lang: str) -> str:
    return (f.message_ko if lang == "ko" and f.message_ko else f.message_en) or f.rule_id


def _item_name(item_id: str, lang: str) -> str:
    try:
        it = load_registry().item(item_id)
    except Exception:  # noqa: BLE001 - an unknown id is shown as it is
        return item_id
    return it.name_ko if lang == "ko" else it.name_en


@dataclass
class RuleGroup:
    rule_id: str
    outcome: str
    impact: str | None
    kwcag: list[str]
    message: str
    help_url: str | None
    elements: list[Finding]
    hidden: int


@dataclass
class PageView:
    anchor: str
    page: AuditedPage
    heading: str
    screenshot_uri: str | None
    violations: int
    needs_review: int
    groups: list[RuleGroup]


def _group_findings(findings: list[Finding], lang: str) -> list[RuleGroup]:
    buckets: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.outcome in ("violation", "incomplete"):
            buckets[(f.outcome, f.rule_id)].append(f)
    groups = []
    for (outcome, rule_id), items in buckets.items():
        impact = max(
            (f.impact for f in items if f.impact), key=lambda i: IMPACT_ORDER.get(i, 0), default=None
        )
        first = items[0]
        groups.append(
            RuleGroup(
                rule_id=rule_id,
                outcome=outcome,
                impact=impact,
                kwcag=sorted({k for f in items for k in f.kwcag}),
                message=_message(first, lang),
                help_url=first.help_url,
                elements=items[:MAX_ELEMENTS_PER_RULE],
                hidden=max(0, len(items) - MAX_ELEMENTS_PER_RULE),
            )
        )
    groups.sort(key=lambda g: (g.outcome != "violation", -IMPACT_ORDER.get(g.impact or "", 0), g.rule_id))
    return groups


# ---------------------------------------------------------------------------------------------- context


def item_status(score: ItemScore | None) -> str:
    """The site-level status of an item: the worst page outcome, as the item-status vocabulary."""
    if score is None or score.state == "not_assessed":
        return "manual"
    if score.state == "not_applicable":
        return "inapplicable"
    if score.failing_pages:
        return "fail"
    if score.review_pages:
        return "review"
    return "pass"


def _rate_text(score: ItemScore | None, t: Translator) -> str:
    if score is None or score.lower is None or score.upper is None:
        return format_percent(None, 1, t)
    if abs(score.lower - score.upper) < 1e-9:
        return format_percent(score.lower, 1, t)
    return t(
        "audit.rate_range", low=format_percent(score.lower, 1, t), high=format_percent(score.upper, 1, t)
    )


@dataclass
class ReadingRow:
    key: str
    lower: float | None
    upper: float | None
    verdict: str


def audit_context(data: AuditReportData, t: Translator) -> dict[str, Any]:
    lang = t.lang
    registry = load_registry()
    est = data.estimate
    scores = {s.item: s for s in est.items} if est else {}

    evidence: Counter[str] = Counter()
    for page in data.pages:
        for f in page.findings:
            if f.outcome in ("violation", "incomplete"):
                for item in f.kwcag:
                    evidence[item] += 1

    items_table = Table(
        id="items-table",
        caption=t("audit.items_caption"),
        columns=[
            Column(t("audit.col_item")),
            Column(t("audit.col_item_name")),
            Column(t("audit.col_rate"), numeric=True),
            Column(t("audit.col_status")),
            Column(t("audit.col_evidence"), numeric=True),
        ],
    )
    status_counts: Counter[str] = Counter()
    item_rows = []
    for it in registry.items:
        score = scores.get(it.id)
        status = item_status(score)
        status_counts[status] += 1
        item_rows.append(
            {
                "id": it.id,
                "name": it.name_ko if lang == "ko" else it.name_en,
                "automation": t("automation." + it.automation),
                "rate": _rate_text(score, t),
                "status": status,
                "evidence": evidence[it.id],
                "reviewed": bool(score and score.reviewed),
            }
        )

    status_chart = bar_chart(
        "chart-item-status",
        t("audit.status_chart_title"),
        [t("status." + s) for s in STATUSES],
        [Series(t("audit.items_count"), [float(status_counts[s]) for s in STATUSES])],
        t,
        category_label=t("audit.col_status"),
        digits=0,
    )

    readings: list[ReadingRow] = []
    estimate_chart = None
    if est:
        readings = [
            ReadingRow("mean", est.mean_lower, est.mean_upper, est.verdict_mean),
            ReadingRow("every_item", est.min_lower, est.min_upper, est.verdict_every_item),
        ]
        estimate_chart = bar_chart(
            "chart-estimate",
            t("audit.estimate_chart_title"),
            [t("audit.reading_mean"), t("audit.reading_every_item")],
            [
                Series(t("audit.bound_lower"), [est.mean_lower, est.min_lower]),
                Series(t("audit.bound_upper"), [est.mean_upper, est.min_upper]),
            ],
            t,
            category_label=t("audit.col_reading"),
            axis_max=100.0,
            reference=(
                est.threshold,
                t("audit.threshold_label", threshold=format_number(est.threshold, 0, t)),
            ),
        )

    pages_table_columns = [
        Column(t("audit.col_page")),
        Column(t("audit.col_url")),
        Column(t("audit.col_http"), numeric=True),
        Column(t("audit.col_violations"), numeric=True),
        Column(t("audit.col_review"), numeric=True),
    ]
    page_views = []
    several_devices = len({p.device for p in data.pages}) > 1
    for n, page in enumerate(data.pages, start=1):
        heading = page.title.strip() if page.title and page.title.strip() else t("audit.untitled_page", n=n)
        if several_devices:
            heading = f"{heading} ({device_label(page.device, t)})"
        page_views.append(
            PageView(
                anchor=f"page-{n}",
                page=page,
                heading=heading,
                screenshot_uri=image_data_uri(page.screenshot),
                violations=sum(1 for f in page.findings if f.outcome == "violation"),
                needs_review=sum(1 for f in page.findings if f.outcome == "incomplete"),
                groups=_group_findings(page.findings, lang),
            )
        )

    user_review = None
    if data.user_review is not None:
        from reports.user_review import PageRef, user_review_view

        refs = {
            v.page.url: PageRef(v.page.url, v.anchor, v.heading, lang_attr(v.page.lang)) for v in page_views
        }
        user_review = user_review_view(data.user_review, est, refs, t)

    manual_rows = []
    for it in registry.items:
        score = scores.get(it.id)
        status = item_status(score)
        if status == "manual":
            manual_rows.append(
                {
                    "id": it.id,
                    "name": it.name_ko if lang == "ko" else it.name_en,
                    "reason": t("audit.reason_manual"),
                    "count": len(data.pages),
                    "pages": [],
                }
            )
        elif status == "review" or (score and score.review_pages):
            manual_rows.append(
                {
                    "id": it.id,
                    "name": it.name_ko if lang == "ko" else it.name_en,
                    "reason": t("audit.reason_review"),
                    "count": len(score.review_pages),
                    "pages": score.review_pages,
                }
            )

    toc = [
        ("summary", t("audit.sec_summary")),
        ("estimate", t("audit.sec_estimate")),
        ("items", t("audit.sec_items")),
        ("pages", t("audit.sec_pages")),
        ("findings", t("audit.sec_findings")),
        ("manual", t("audit.sec_manual")),
    ]
    if user_review:
        toc.append(("user-review", t("user_review.sec")))
    if data.changes:
        toc.append(("changes", t("audit.sec_changes")))
    toc.append(("method", t("audit.sec_method")))

    change_rows = []
    if data.changes and data.changes.previous_estimate and est:
        prev = data.changes.previous_estimate
        for key, before, after in (
            ("mean_lower", prev.mean_lower, est.mean_lower),
            ("mean_upper", prev.mean_upper, est.mean_upper),
            ("min_lower", prev.min_lower, est.min_lower),
            ("min_upper", prev.min_upper, est.min_upper),
        ):
            delta = None if before is None or after is None else after - before
            change_rows.append(
                {
                    "key": key,
                    "before": before,
                    "after": after,
                    "delta": "" if delta is None else f"{delta:+.1f}",
                }
            )

    device_counts = Counter(p.device for p in data.pages)
    device_rows = [
        {
            "device": device_label(device, t),
            "pages": device_counts[device],
            "est": device_est,
        }
        for device, device_est in data.device_estimates
    ]

    return {
        "data": data,
        "est": est,
        "device_rows": device_rows,
        "devices_text": ", ".join(
            t("audit.device_pages", device=device_label(d, t), n=format_number(n, 0, t))
            for d, n in sorted(device_counts.items())
        ),
        "first_device": device_label(data.device_estimates[0][0], t) if data.device_estimates else None,
        "device_label": lambda d: device_label(d, t),
        "toc": toc,
        "items": item_rows,
        "items_table": items_table,
        "status_chart": status_chart,
        "readings": readings,
        "estimate_chart": estimate_chart,
        "pages_table_columns": pages_table_columns,
        "page_views": page_views,
        "manual_rows": manual_rows,
        "ur": user_review,
        "pages_without_shot": sum(1 for v in page_views if not v.screenshot_uri),
        "change_rows": change_rows,
        "total_violations": sum(v.violations for v in page_views),
        "total_review": sum(v.needs_review for v in page_views),
        "ruleset_title": (est.ruleset_title_ko if lang == "ko" else est.ruleset_title_en) if est else None,
        "disclaimer": (est.disclaimer_ko if lang == "ko" else est.disclaimer_en) if est else None,
        "item_name": lambda item_id: _item_name(item_id, lang),
        "message": lambda f: _message(f, lang),
    }


def device_label(device: str, t: Translator) -> str:
    """``desktop`` / ``mobile`` in the report's language (anything else as it is)."""
    return t("audit.device_" + device) if device in ("desktop", "mobile") else device


def render_audit_report(data: AuditReportData, lang: str = "ko", provenance: Provenance | None = None) -> str:
    t = translator(lang)
    prov = provenance or Provenance()
    if prov.axe_version is None:
        prov.axe_version = data.axe_version
    context = audit_context(data, t)
    return render_template(
        "audit.html.j2",
        lang,
        report_kind="audit",
        page_title=t("audit.title", site=display_host(data.site)),
        provenance=prov,
        **context,
    )


def audit_summary(data: AuditReportData) -> dict[str, Any]:
    """What ``ddkit report audit --json`` prints beside the path."""
    est = data.estimate
    return {
        "site": data.site,
        "run_id": data.run_id,
        "pages": len(data.pages),
        "violations": sum(1 for p in data.pages for f in p.findings if f.outcome == "violation"),
        "needs_review": sum(1 for p in data.pages for f in p.findings if f.outcome == "incomplete"),
        "devices": dict(Counter(p.device for p in data.pages)),
        "mobile_sites": list(data.mobile_sites),
        "estimate": None
        if est is None
        else {
            "ruleset": est.ruleset,
            "threshold": est.threshold,
            "mean_lower": est.mean_lower,
            "mean_upper": est.mean_upper,
            "min_lower": est.min_lower,
            "min_upper": est.min_upper,
            "verdict_mean": est.verdict_mean,
            "verdict_every_item": est.verdict_every_item,
        },
    }

"""From findings to KWCAG item statuses: per page, and summed over the pages of one run.

Per page, every one of the 33 items gets exactly one status, worst first:

- ``fail``: a decisive rule or check found a violation;
- ``review``: something needs a person: an ``incomplete`` finding, or a violation of an advisory rule
  (registry ``advisory_rules``) or of a non-decisive check;
- ``manual``: the item is manual-only, or no check could decide it on this page;
- ``pass``: at least one decisive rule or check passed, and nothing failed or needs review;
- ``inapplicable``: every rule and check that ran for the item found nothing to test.

An item is never ``pass`` on the strength of advisory rules or non-decisive checks alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from a11y_audit.models import IMPACT_ORDER, Finding, PageResult
from a11y_audit.rules.registry import Registry, load_registry

STATUS_ORDER = ("fail", "review", "manual", "pass", "inapplicable")


def item_statuses(findings: Iterable[Finding], registry: Registry | None = None) -> dict[str, str]:
    """The status of every KWCAG item on one page (keys in registry order)."""
    registry = registry or load_registry()
    by_item: dict[str, list[Finding]] = {it.id: [] for it in registry.items}
    for f in findings:
        for item_id in f.kwcag:
            if item_id in by_item:
                by_item[item_id].append(f)
    statuses: dict[str, str] = {}
    for it in registry.items:
        statuses[it.id] = _status(it.automation, by_item[it.id], registry)
    return statuses


def _status(automation: str, findings: list[Finding], registry: Registry) -> str:
    decisive = {f.rule_id: registry.is_decisive(f.rule_id) for f in findings}
    if any(f.outcome == "violation" and decisive[f.rule_id] for f in findings):
        return "fail"
    if any(
        f.outcome == "incomplete" or (f.outcome == "violation" and not decisive[f.rule_id]) for f in findings
    ):
        return "review"
    if automation == "manual":
        return "manual"
    if any(f.outcome == "pass" and decisive[f.rule_id] for f in findings):
        return "pass"
    if findings and all(f.outcome == "inapplicable" for f in findings):
        return "inapplicable"
    return "manual"


def is_counted_violation(f: Finding, registry: Registry | None = None) -> bool:
    """A violation that fails its KWCAG item (what ``--fail-on`` counts)."""
    registry = registry or load_registry()
    return f.outcome == "violation" and bool(f.kwcag) and registry.is_decisive(f.rule_id)


def violations_at_or_above(
    results: Iterable[PageResult], level: str, registry: Registry | None = None
) -> int:
    """Decisive violations whose impact is ``level`` or worse, over all pages."""
    registry = registry or load_registry()
    floor = IMPACT_ORDER[level]
    return sum(
        1
        for r in results
        for f in r.findings
        if is_counted_violation(f, registry) and IMPACT_ORDER.get(f.impact or "minor", 1) >= floor
    )


@dataclass
class ItemSummary:
    id: str
    name_ko: str
    name_en: str
    automation: str
    unit: str
    status: str  # worst page status over the pages
    pages: dict[str, int] = field(default_factory=dict)  # status -> number of pages
    violations: int = 0
    incomplete: int = 0
    passes: int = 0


@dataclass
class RunSummary:
    pages: int
    pages_with_errors: int
    items: list[ItemSummary]
    findings: dict[str, int]  # outcome -> count

    def item(self, item_id: str) -> ItemSummary:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)


def summarise(results: list[PageResult], registry: Registry | None = None) -> RunSummary:
    """Item by item over the pages that were audited (pages with an error are counted apart)."""
    registry = registry or load_registry()
    audited = [r for r in results if r.error is None]
    items: list[ItemSummary] = []
    for it in registry.items:
        pages = Counter(r.item_status.get(it.id, "manual") for r in audited)
        worst = next((s for s in STATUS_ORDER if pages.get(s)), "manual")
        summary = ItemSummary(
            id=it.id,
            name_ko=it.name_ko,
            name_en=it.name_en,
            automation=it.automation,
            unit=it.unit,
            status=worst,
            pages=dict(pages),
        )
        for r in audited:
            for f in r.findings:
                if it.id not in f.kwcag:
                    continue
                if f.outcome == "violation":
                    summary.violations += 1
                elif f.outcome == "incomplete":
                    summary.incomplete += 1
                elif f.outcome == "pass":
                    summary.passes += 1
        items.append(summary)
    outcomes = Counter(f.outcome for r in audited for f in r.findings)
    return RunSummary(
        pages=len(results),
        pages_with_errors=len(results) - len(audited),
        items=items,
        findings=dict(outcomes),
    )

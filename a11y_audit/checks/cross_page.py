"""Checks that need several pages: KWCAG 2.4.2 unique page titles.

A title shared by two or more audited pages (different final URLs) is a violation on each of them; a
title no other audited page has passes. With a single page the check does not run (nothing to
compare), so it never adds a pass on its own.
"""

from __future__ import annotations

from collections import defaultdict

from a11y_audit.checks.findings import check_finding
from a11y_audit.models import PageResult
from a11y_audit.page_summary import item_statuses
from a11y_audit.rules.registry import Registry, load_registry

RULE = "kwcag-title-unique"


def _normal(title: str | None) -> str:
    return " ".join((title or "").split()).casefold()


def apply_title_uniqueness(results: list[PageResult], registry: Registry | None = None) -> int:
    """Add ``kwcag-title-unique`` findings to every audited page and refresh its item statuses.

    Returns the number of pages whose title is shared. Pages with an error or an empty title are left
    out (an empty title is already a violation of ``kwcag-title-quality``).
    """
    registry = registry or load_registry()
    pages = [r for r in results if r.error is None and _normal(r.title)]
    by_title: dict[str, set[str]] = defaultdict(set)
    for r in pages:
        by_title[_normal(r.title)].add(r.final_url or r.url)
    distinct_pages = {r.final_url or r.url for r in pages}
    if len(distinct_pages) < 2:
        return 0
    shared = 0
    for r in pages:
        r.findings = [f for f in r.findings if f.rule_id != RULE]
        same = by_title[_normal(r.title)]
        title = (r.title or "").strip()[:80]
        if len(same) > 1:
            shared += 1
            r.findings.append(
                check_finding(
                    registry,
                    RULE,
                    "violation",
                    "title-duplicate",
                    {"title": title, "count": len(same)},
                    "title",
                    f"<title>{title}</title>",
                    {"same_title": sorted(u for u in same if u != (r.final_url or r.url))[:10]},
                )
            )
        else:
            r.findings.append(
                check_finding(
                    registry,
                    RULE,
                    "pass",
                    "title-unique",
                    {"title": title, "others": len(distinct_pages) - 1},
                    "title",
                    f"<title>{title}</title>",
                )
            )
        r.item_status = item_statuses(r.findings, registry)
    return shared

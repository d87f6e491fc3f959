"""Compare two audits of a site: new, fixed and unchanged findings per page and KWCAG item.

Pages are matched by path and query (so a run against a staging host compares with production).
Findings are matched robustly, because selectors and snippets shift a little between runs: first the
same rule with the same selector and snippet, then the same rule and selector, then the same rule with
the selector's positional parts (``:nth-child(3)``) removed and a similar snippet, then the same rule
with a near-identical snippet.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from a11y_audit.models import Finding, PageResult

_POSITIONAL = re.compile(r":nth-(?:child|of-type)\(\d+\)|:(?:first|last)-(?:child|of-type)")
REPORTED = ("violation", "incomplete")


def page_key(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _loose_selector(selector: str | None) -> str:
    return _POSITIONAL.sub("", selector or "").strip()


def _similar(a: str | None, b: str | None) -> float:
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a or "", b or "", autojunk=False).ratio()


def match_findings(
    before: list[Finding], after: list[Finding]
) -> tuple[list[tuple[Finding, Finding]], list[Finding], list[Finding]]:
    """(matched pairs, fixed = only before, new = only after); each finding used at most once."""
    left = list(before)
    right = list(after)
    pairs: list[tuple[Finding, Finding]] = []
    passes = (
        lambda a, b: a.selector == b.selector and a.snippet == b.snippet,
        lambda a, b: a.selector == b.selector,
        lambda a, b: (
            _loose_selector(a.selector) == _loose_selector(b.selector)
            and _similar(a.snippet, b.snippet) >= 0.6
        ),
        lambda a, b: _similar(a.snippet, b.snippet) >= 0.9,
    )
    for same in passes:
        for a in list(left):
            for b in right:
                if a.rule_id == b.rule_id and a.outcome == b.outcome and same(a, b):
                    pairs.append((a, b))
                    left.remove(a)
                    right.remove(b)
                    break
    return pairs, left, right


@dataclass
class ItemChange:
    page: str
    item: str
    new: list[dict] = field(default_factory=list)
    fixed: list[dict] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class RunDiff:
    pages_only_before: list[str]
    pages_only_after: list[str]
    pages_compared: int
    new: int
    fixed: int
    unchanged: int
    changes: list[ItemChange]
    by_item: dict[str, dict[str, int]]


def _brief(f: Finding) -> dict:
    return {
        "rule_id": f.rule_id,
        "outcome": f.outcome,
        "impact": f.impact,
        "selector": f.selector,
        "snippet": (f.snippet or "")[:200],
    }


def _device_key(p: PageResult) -> str:
    """A page's key; a page audited on a phone (``--device both|mobile``) is another page than the
    same URL on the desktop, so the two are never compared with each other."""
    key = page_key(p.url)
    return key if p.device == "desktop" else f"{key} [{p.device}]"


def diff_results(before: list[PageResult], after: list[PageResult]) -> RunDiff:
    a_pages = {_device_key(p): p for p in before if not p.error}
    b_pages = {_device_key(p): p for p in after if not p.error}
    common = [k for k in a_pages if k in b_pages]
    changes: list[ItemChange] = []
    by_item: dict[str, dict[str, int]] = defaultdict(lambda: {"new": 0, "fixed": 0, "unchanged": 0})
    totals = {"new": 0, "fixed": 0, "unchanged": 0}
    for key in common:
        per_item_a: dict[str, list[Finding]] = defaultdict(list)
        per_item_b: dict[str, list[Finding]] = defaultdict(list)
        for f in a_pages[key].findings:
            if f.outcome in REPORTED:
                for item in f.kwcag or ["best-practice"]:
                    per_item_a[item].append(f)
        for f in b_pages[key].findings:
            if f.outcome in REPORTED:
                for item in f.kwcag or ["best-practice"]:
                    per_item_b[item].append(f)
        for item in sorted(set(per_item_a) | set(per_item_b)):
            pairs, fixed, new = match_findings(per_item_a[item], per_item_b[item])
            change = ItemChange(
                page=key,
                item=item,
                new=[_brief(f) for f in new],
                fixed=[_brief(f) for f in fixed],
                unchanged=len(pairs),
            )
            changes.append(change)
            for name, n in (("new", len(new)), ("fixed", len(fixed)), ("unchanged", len(pairs))):
                by_item[item][name] += n
                totals[name] += n
    return RunDiff(
        pages_only_before=sorted(k for k in a_pages if k not in b_pages),
        pages_only_after=sorted(k for k in b_pages if k not in a_pages),
        pages_compared=len(common),
        new=totals["new"],
        fixed=totals["fixed"],
        unchanged=totals["unchanged"],
        changes=[c for c in changes if c.new or c.fixed],
        by_item=dict(sorted(by_item.items())),
    )

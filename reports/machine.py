"""Machine-readable audit outputs: findings as CSV, and W3C EARL 1.0 as JSON-LD.

EARL: one assertion per page × KWCAG item and per page × WCAG success criterion, with outcomes
earl:passed / failed / cantTell / inapplicable / untested; the assertor is ddkit (with its version)
using axe-core (with its version).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from importlib.metadata import version as package_version
from typing import Any

from a11y_audit.models import PageResult
from a11y_audit.rules import load_registry

FINDING_COLUMNS = [
    "page",
    "rule_id",
    "source",
    "outcome",
    "impact",
    "kwcag",
    "wcag",
    "selector",
    "snippet",
    "message_en",
    "message_ko",
    "help_url",
]

#: Page item status → EARL outcome.
EARL_OUTCOME = {
    "fail": "earl:failed",
    "review": "earl:cantTell",
    "manual": "earl:untested",
    "pass": "earl:passed",
    "inapplicable": "earl:inapplicable",
}
_WORST = ["earl:failed", "earl:cantTell", "earl:untested", "earl:passed", "earl:inapplicable"]
KWCAG_BASE = "https://nia-a11y.github.io/kwcag22tech/"  # NIA's guide: one page per item, e.g. …/1/1/1
WCAG_BASE = "https://www.w3.org/TR/WCAG22/#"

CONTEXT: dict[str, Any] = {
    "earl": "http://www.w3.org/ns/earl#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sch": "https://schema.org/",
    "ptr": "http://www.w3.org/2009/pointers#",
    "WCAG22": WCAG_BASE,
    "earl:outcome": {"@type": "@id"},
    "earl:mode": {"@type": "@id"},
    "dct:date": {"@type": "http://www.w3.org/2001/XMLSchema#dateTime"},
}

# WCAG success criteria are identified as WCAG22:sc-1.1.1: the number is the stable part that EARL
# consumers match on (the W3C anchors are names such as #non-text-content).


def findings_csv(results: Iterable[PageResult]) -> str:
    """Every finding of every page, one CSV row each (lists joined with ';')."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FINDING_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for page in results:
        for f in page.findings:
            writer.writerow(
                {
                    "page": page.final_url or page.url,
                    "rule_id": f.rule_id,
                    "source": f.source,
                    "outcome": f.outcome,
                    "impact": f.impact or "",
                    "kwcag": ";".join(f.kwcag),
                    "wcag": ";".join(f.wcag),
                    "selector": f.selector or "",
                    "snippet": f.snippet or "",
                    "message_en": f.message_en,
                    "message_ko": f.message_ko,
                    "help_url": f.help_url or "",
                }
            )
    return buffer.getvalue()


def _worst(outcomes: Iterable[str]) -> str:
    found = set(outcomes)
    return next((o for o in _WORST if o in found), "earl:untested")


def earl_jsonld(
    results: list[PageResult],
    *,
    axe_version: str | None,
    audited_at: dt.datetime | None = None,
    verdicts: dict[tuple[str, str], str] | None = None,
) -> dict[str, Any]:
    """EARL 1.0 assertions as a JSON-LD document.

    ``verdicts`` maps (page URL, item) to a reviewer verdict (pass / fail / n/a); such assertions are
    made in earl:manual mode instead of earl:automatic.
    """
    registry = load_registry()
    verdicts = verdicts or {}
    date = (audited_at or dt.datetime.now(dt.UTC)).isoformat()
    ddkit = package_version("ddkit")
    assertor = {
        "@id": "_:ddkit",
        "@type": ["earl:Assertor", "earl:Software"],
        "dct:title": f"ddkit {ddkit}",
        "dct:hasVersion": ddkit,
        "dct:description": f"ddkit {ddkit} with axe-core {axe_version or 'unknown'}",
        "dct:requires": {
            "@type": "earl:Software",
            "dct:title": "axe-core",
            "dct:hasVersion": axe_version or "unknown",
        },
    }
    graph: list[dict[str, Any]] = [assertor]
    verdict_outcome = {"pass": "earl:passed", "fail": "earl:failed", "n/a": "earl:inapplicable"}
    for page in results:
        url = page.final_url or page.url
        subject = {"@id": url, "@type": ["earl:TestSubject", "sch:WebPage"], "dct:source": url}
        if page.title:
            subject["dct:title"] = page.title
        by_sc: dict[str, list[str]] = {}
        for item in registry.items:
            manual_verdict = verdicts.get((url, item.id))
            if manual_verdict:
                outcome, mode = verdict_outcome[manual_verdict], "earl:manual"
            elif page.error:
                outcome, mode = "earl:untested", "earl:automatic"
            else:
                outcome, mode = EARL_OUTCOME[page.item_status.get(item.id, "manual")], "earl:automatic"
            pointers = [
                f.selector
                for f in page.findings
                if item.id in f.kwcag and f.outcome in ("violation", "incomplete") and f.selector
            ]
            graph.append(
                _assertion(
                    subject,
                    KWCAG_BASE + item.id.replace(".", "/"),
                    f"KWCAG 2.2 {item.id} {item.name_en}",
                    outcome,
                    mode,
                    date,
                    pointers,
                )
            )
            for sc in item.wcag:
                by_sc.setdefault(sc, []).append(outcome)
        for sc, outcomes in sorted(by_sc.items()):
            graph.append(
                _assertion(
                    subject,
                    f"WCAG22:sc-{sc}",
                    f"WCAG 2.2 success criterion {sc}",
                    _worst(outcomes),
                    "earl:automatic",
                    date,
                    [],
                )
            )
    return {"@context": CONTEXT, "@graph": graph}


def _assertion(
    subject: dict, test_id: str, title: str, outcome: str, mode: str, date: str, pointers: list[str]
) -> dict[str, Any]:
    result: dict[str, Any] = {"@type": "earl:TestResult", "earl:outcome": outcome, "dct:date": date}
    if pointers:
        result["earl:pointer"] = [
            {"@type": "ptr:CSSSelectorPointer", "ptr:expression": p} for p in pointers[:50]
        ]
    return {
        "@type": "earl:Assertion",
        "earl:assertedBy": {"@id": "_:ddkit"},
        "earl:subject": subject,
        "earl:test": {"@id": test_id, "@type": "earl:TestRequirement", "dct:title": title},
        "earl:result": result,
        "earl:mode": mode,
    }

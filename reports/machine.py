"""Machine-readable audit outputs: findings as CSV, and W3C EARL 1.0 as JSON-LD.

EARL: one assertion per page × KWCAG item and per page × WCAG success criterion, with outcomes
earl:passed / failed / cantTell / inapplicable / untested; the assertor is ddkit (with its version)
using axe-core (with its version).

User review (사용자 심사), when given: the CSV gains one row per task attempt (source ``user``); EARL
gains, per attempt, an assertion on the task and one per KWCAG item the tester linked a barrier to,
asserted by the tester (a pseudonym) in earl:manual mode.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterable
from importlib.metadata import version as package_version
from typing import TYPE_CHECKING, Any

from a11y_audit.models import PageResult
from a11y_audit.rules import load_registry

if TYPE_CHECKING:
    from a11y_audit.user_review import Attempt

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
    "device",  # desktop / mobile: a run audited on both devices has a row per device
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


def findings_csv(results: Iterable[PageResult], user_attempts: Iterable[Attempt] | None = None) -> str:
    """Every finding of every page, one CSV row each (lists joined with ';').

    ``user_attempts``: the user review's task attempts, one row each after the findings, with source
    ``user``, rule_id ``user-task:<task>``, outcome ``pass`` (success) or ``violation`` (partial or
    no), kwcag the items the tester linked a barrier to (else the task's items)."""
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
                    "device": page.device,
                }
            )
    registry = load_registry()
    for a in user_attempts or ():
        items = list(a.barrier_items or a.task_items)
        wcag = sorted({sc for i in items for sc in registry.item(i).wcag}, key=_sc_key)
        writer.writerow(
            {
                "page": a.page_url,
                "rule_id": f"user-task:{a.task_id}",
                "source": "user",
                "outcome": "pass" if a.success == "yes" else "violation",
                "impact": "",
                "kwcag": ";".join(items),
                "wcag": ";".join(wcag),
                "selector": "",
                "snippet": "",
                "message_en": _attempt_text_en(a),
                "message_ko": _attempt_text_ko(a),
                "help_url": "",
                "device": "",
            }
        )
    return buffer.getvalue()


def _sc_key(sc: str) -> tuple[int, ...]:
    return tuple(int(p) for p in sc.split("."))


def _attempt_text_en(a: Attempt) -> str:
    parts = [f"User review, {a.profile} tester {a.tester}, task {a.task_id}: success {a.success}"]
    if a.satisfaction is not None:
        parts.append(f"satisfaction {a.satisfaction}")
    if a.minutes is not None:
        parts.append(f"{a.minutes:g} min")
    if a.assistive_tech:
        parts.append(f"with {a.assistive_tech}")
    text = "; ".join(parts) + "."
    return f"{text} {a.note}" if a.note else text


def _attempt_text_ko(a: Attempt) -> str:
    success = {"yes": "성공", "partial": "부분성공", "no": "실패"}.get(a.success, a.success)
    parts = [f"사용자 심사, {a.profile} 평가자 {a.tester}, 과업 {a.task_id}: {success}"]
    if a.satisfaction is not None:
        parts.append(f"만족도 {a.satisfaction}")
    if a.minutes is not None:
        parts.append(f"{a.minutes:g}분")
    if a.assistive_tech:
        parts.append(f"보조기기 {a.assistive_tech}")
    text = "; ".join(parts) + "."
    return f"{text} {a.note}" if a.note else text


def _worst(outcomes: Iterable[str]) -> str:
    found = set(outcomes)
    return next((o for o in _WORST if o in found), "earl:untested")


def earl_jsonld(
    results: list[PageResult],
    *,
    axe_version: str | None,
    audited_at: dt.datetime | None = None,
    verdicts: dict[tuple[str, str], str] | None = None,
    user_attempts: Iterable[Attempt] | None = None,
) -> dict[str, Any]:
    """EARL 1.0 assertions as a JSON-LD document.

    ``verdicts`` maps (page URL, item) to a reviewer verdict (pass / fail / n/a); such assertions are
    made in earl:manual mode instead of earl:automatic.

    ``user_attempts``: the user review's task attempts. Each adds, asserted by its tester in earl:manual
    mode, an assertion on the task (an earl:TestCase part of the KWCAG items it exercises: passed for
    success, failed for partial or no) and one per KWCAG item the tester linked a barrier to (failed
    when the task was not fully successful, cantTell otherwise).
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
    if user_attempts is not None:
        graph.extend(_user_assertions(results, list(user_attempts), date))
    return {"@context": CONTEXT, "@graph": graph}


def _user_assertions(results: list[PageResult], attempts: list[Attempt], date: str) -> list[dict[str, Any]]:
    registry = load_registry()
    titles = {p.url: p.title for p in results}
    final = {p.url: p.final_url or p.url for p in results}
    nodes: list[dict[str, Any]] = []
    assertors: dict[tuple[str, str], str] = {}
    for a in attempts:
        key = (a.profile, a.tester)
        if key not in assertors:
            digest = hashlib.sha256(f"{a.profile}\n{a.tester}".encode()).hexdigest()[:12]
            assertors[key] = f"_:tester-{digest}"
            nodes.append(
                {
                    "@id": assertors[key],
                    "@type": "earl:Assertor",
                    "dct:title": f"user reviewer {a.tester} ({a.profile})",
                    "dct:description": f"Tester with disability profile '{a.profile}' (pseudonym {a.tester})",
                }
            )
        url = final.get(a.page_url, a.page_url)
        subject = {"@id": url, "@type": ["earl:TestSubject", "sch:WebPage"], "dct:source": url}
        if titles.get(a.page_url):
            subject["dct:title"] = titles[a.page_url]
        description = _attempt_text_en(a)
        task_test = {
            "@id": f"urn:ddkit:user-task:{a.task_id}",
            "@type": "earl:TestCase",
            "dct:title": f"User task {a.task_id} ({a.template})",
            "dct:isPartOf": [{"@id": KWCAG_BASE + i.replace(".", "/")} for i in a.task_items],
        }
        outcome = "earl:passed" if a.success == "yes" else "earl:failed"
        nodes.append(
            _assertion(
                subject,
                "",
                "",
                outcome,
                "earl:manual",
                date,
                [],
                assertor=assertors[key],
                test=task_test,
                description=description,
            )
        )
        for item in a.barrier_items:
            it = registry.item(item)
            nodes.append(
                _assertion(
                    subject,
                    KWCAG_BASE + item.replace(".", "/"),
                    f"KWCAG 2.2 {item} {it.name_en}",
                    "earl:failed" if a.success != "yes" else "earl:cantTell",
                    "earl:manual",
                    date,
                    [],
                    assertor=assertors[key],
                    description=description,
                )
            )
    return nodes


def _assertion(
    subject: dict,
    test_id: str,
    title: str,
    outcome: str,
    mode: str,
    date: str,
    pointers: list[str],
    *,
    assertor: str = "_:ddkit",
    test: dict[str, Any] | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    result: dict[str, Any] = {"@type": "earl:TestResult", "earl:outcome": outcome, "dct:date": date}
    if description:
        result["dct:description"] = description
    if pointers:
        result["earl:pointer"] = [
            {"@type": "ptr:CSSSelectorPointer", "ptr:expression": p} for p in pointers[:50]
        ]
    return {
        "@type": "earl:Assertion",
        "earl:assertedBy": {"@id": assertor},
        "earl:subject": subject,
        "earl:test": test or {"@id": test_id, "@type": "earl:TestRequirement", "dct:title": title},
        "earl:result": result,
        "earl:mode": mode,
    }

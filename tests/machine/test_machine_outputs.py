"""Findings CSV and EARL 1.0 JSON-LD, parsed back with real parsers."""

from __future__ import annotations

import csv
import io
import json

import rdflib

from a11y_audit.models import Finding, PageResult
from a11y_audit.rules import load_registry
from reports.machine import FINDING_COLUMNS, earl_jsonld, findings_csv

EARL = rdflib.Namespace("http://www.w3.org/ns/earl#")
REGISTRY = load_registry()
N_SC = len({sc for it in REGISTRY.items for sc in it.wcag})


def _page(url: str, **status: str) -> PageResult:
    item_status = {it.id: "inapplicable" for it in REGISTRY.items}
    item_status.update({k.replace("_", "."): v for k, v in status.items()})
    findings = [
        Finding(
            "image-alt",
            "axe",
            "violation",
            "critical",
            ["1.1.1"],
            ["1.1.1"],
            "#logo",
            '<img id="logo">',
            "Images must have alternative text",
            "이미지에 대체 텍스트가 있어야 합니다",
            None,
        ),
        Finding(
            "kwcag-skip-link",
            "kwcag",
            "pass",
            None,
            ["2.4.1"],
            ["2.4.1"],
            "a.skip",
            "<a class=skip>",
            "Skip link works",
            "건너뛰기 링크가 동작합니다",
            None,
        ),
    ]
    return PageResult(
        url=url,
        final_url=url,
        status=200,
        title='Say "안녕", <b>',
        findings=findings,
        item_status=item_status,
    )


def test_csv_has_one_row_per_finding_with_lists_joined():
    text = findings_csv([_page("http://127.0.0.1/a"), _page("http://127.0.0.1/b")])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == FINDING_COLUMNS
    assert len(rows) == 4
    assert rows[0]["page"] == "http://127.0.0.1/a"
    assert rows[0]["kwcag"] == "1.1.1" and rows[0]["outcome"] == "violation"
    assert rows[1]["message_ko"] == "건너뛰기 링크가 동작합니다"


def test_earl_parses_as_json_ld_with_one_assertion_per_page_item_and_sc():
    pages = [
        _page("http://127.0.0.1/a", **{"1_1_1": "fail", "2_4_1": "pass", "3_1_1": "review"}),
        _page("http://127.0.0.1/b", **{"1_3_3": "manual"}),
    ]
    doc = earl_jsonld(pages, axe_version="4.12.1", verdicts={("http://127.0.0.1/b", "1.3.3"): "pass"})
    graph = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    assertions = list(graph.subjects(rdflib.RDF.type, EARL.Assertion))
    assert len(assertions) == 2 * (33 + N_SC)

    def outcome(page: str, test: str) -> rdflib.term.Node:
        for a in assertions:
            subj = graph.value(a, EARL.subject)
            if str(subj) == page and str(graph.value(a, EARL.test)) == test:
                return graph.value(graph.value(a, EARL.result), EARL.outcome)
        raise AssertionError((page, test))

    base = "https://nia-a11y.github.io/kwcag22tech/"
    assert outcome("http://127.0.0.1/a", base + "1/1/1") == EARL.failed
    assert outcome("http://127.0.0.1/a", base + "2/4/1") == EARL.passed
    assert outcome("http://127.0.0.1/a", base + "3/1/1") == EARL.cantTell
    assert outcome("http://127.0.0.1/a", base + "1/2/1") == EARL.inapplicable
    assert outcome("http://127.0.0.1/b", base + "1/3/3") == EARL.passed  # the reviewer's verdict
    assert outcome("http://127.0.0.1/a", "https://www.w3.org/TR/WCAG22/#sc-1.1.1") == EARL.failed
    titles = {str(o) for o in graph.objects(None, rdflib.URIRef("http://purl.org/dc/terms/title"))}
    assert any(t.startswith("ddkit ") for t in titles)
    assert 'Say "안녕", <b>' in titles  # untrusted text is data, carried verbatim
    pointers = list(graph.objects(None, rdflib.URIRef("http://www.w3.org/2009/pointers#expression")))
    assert {str(p) for p in pointers} == {"#logo"}

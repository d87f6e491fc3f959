"""User-review results in the machine outputs (CSV, EARL parsed back as RDF) and through the CLI."""

from __future__ import annotations

import csv
import io
import json

import pytest
import rdflib
from openpyxl import load_workbook
from user_review_site import APPLY, HOME, site

from a11y_audit.crawl.frontier import Decision, url_hash, url_key
from a11y_audit.rules import load_registry
from a11y_audit.store import AuditStore
from a11y_audit.user_review import Attempt
from cli import main
from reports.machine import FINDING_COLUMNS, earl_jsonld, findings_csv

EARL = rdflib.Namespace("http://www.w3.org/ns/earl#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
REGISTRY = load_registry()
N_SC = len({sc for it in REGISTRY.items for sc in it.wcag})

ATTEMPTS = [
    Attempt(
        "P01-images",
        "images",
        HOME,
        ("1.1.1", "1.4.1", "2.4.3"),
        "blind",
        "U1",
        "no",
        4.5,
        "nvda",
        1,
        ("1.1.1",),
        "배너 대체 텍스트가 내용을 전하지 않음",
    ),
    Attempt(
        "P02-form",
        "form",
        APPLY,
        ("3.3.2", "3.3.1"),
        "physical",
        "P1",
        "yes",
        4.0,
        "keyboard-only",
        5,
        (),
        None,
    ),
]


def test_csv_gains_one_user_row_per_attempt_and_keeps_the_findings():
    pages = site()
    plain = findings_csv(pages)
    with_users = findings_csv(pages, user_attempts=ATTEMPTS)
    assert with_users.startswith(plain)  # the findings rows are unchanged
    rows = list(csv.DictReader(io.StringIO(with_users)))
    assert list(rows[0]) == FINDING_COLUMNS
    n_findings = sum(len(p.findings) for p in pages)
    assert len(rows) == n_findings + 2
    images, form = rows[-2], rows[-1]
    assert (images["page"], images["rule_id"], images["source"], images["outcome"]) == (
        HOME,
        "user-task:P01-images",
        "user",
        "violation",
    )
    assert images["kwcag"] == "1.1.1" and images["wcag"] == "1.1.1"  # the barrier item
    assert "blind tester U1" in images["message_en"] and "satisfaction 1" in images["message_en"]
    assert images["message_ko"].startswith("사용자 심사, blind 평가자 U1, 과업 P01-images: 실패")
    assert form["outcome"] == "pass" and form["kwcag"] == "3.3.2;3.3.1"  # no barrier: the task's items
    # WCAG criteria of 3.3.2 (1.3.1, 3.3.2, 4.1.2) and of 3.3.1 (3.3.1, 3.3.3), in order
    assert form["wcag"] == "1.3.1;3.3.1;3.3.2;3.3.3;4.1.2"


def test_earl_user_assertions_are_manual_and_asserted_by_the_tester():
    pages = site()
    doc = earl_jsonld(pages, axe_version="4.12.1", user_attempts=ATTEMPTS)
    graph = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    assertions = list(graph.subjects(rdflib.RDF.type, EARL.Assertion))
    # machine: per page 33 items + the WCAG criteria; users: a task assertion per attempt, plus one
    # per barrier item (1 for U1, 0 for P1)
    assert len(assertions) == len(pages) * (33 + N_SC) + 2 + 1
    manual = [a for a in assertions if graph.value(a, EARL.mode) == EARL.manual]
    assert len(manual) == 3
    testers = {graph.value(graph.value(a, EARL.assertedBy), DCT.title) for a in manual}
    assert testers == {
        rdflib.Literal("user reviewer U1 (blind)"),
        rdflib.Literal("user reviewer P1 (physical)"),
    }
    outcomes = {}
    for a in manual:
        test = graph.value(a, EARL.test)
        outcomes[str(test)] = graph.value(graph.value(a, EARL.result), EARL.outcome)
    assert outcomes["urn:ddkit:user-task:P01-images"] == EARL.failed
    assert outcomes["urn:ddkit:user-task:P02-form"] == EARL.passed
    assert outcomes["https://nia-a11y.github.io/kwcag22tech/1/1/1"] == EARL.failed
    task = rdflib.URIRef("urn:ddkit:user-task:P02-form")
    assert set(graph.objects(task, DCT.isPartOf)) == {
        rdflib.URIRef("https://nia-a11y.github.io/kwcag22tech/3/3/2"),
        rdflib.URIRef("https://nia-a11y.github.io/kwcag22tech/3/3/1"),
    }
    # Without attempts the document is what it was.
    assert earl_jsonld(pages, axe_version="4.12.1", audited_at=None) is not None
    plain = earl_jsonld(pages, axe_version="4.12.1")
    assert len(plain["@graph"]) == 1 + len(pages) * (33 + N_SC)


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'ddkit.db'}"
    store = AuditStore(url)
    results = site()
    run = store.create_run([results[0].url], {}, "test")
    decisions = []
    for r in results:
        key = url_key(r.url)
        decisions.append(Decision(r.url, key, url_hash(key), 0))
    store.add_decisions(run, decisions)
    queued = {q.url: q for q in store.queued(run)}
    for r in results:
        store.record_page(run, queued[r.url], r)
    store.finish_run(run, "finished", axe_version="4.12.1")
    store.close()
    return url


def test_cli_export_import_results_and_errors(db, tmp_path, capsys):
    book = tmp_path / "tasks.xlsx"
    assert main(["audit", "tasks", "1", "--export", str(book), "--db", db]) == 0
    assert "12 tasks on 5 pages" in capsys.readouterr().out
    assert main(["audit", "tasks", "1", "--json", "--db", db]) == 0
    empty = json.loads(capsys.readouterr().out)
    assert empty["kind"] == "audit.tasks"
    assert empty["data"]["user_review"]["verdict"] == "not_done"
    wb = load_workbook(book)
    for name, tester, success in (("blind", "U1", "yes"), ("physical", "P1", "yes"), ("hearing", "H1", "no")):
        ws = wb[name]
        ws["B2"] = tester
        ws["E5"], ws["H5"] = success, 4
    wb["hearing"]["I5"] = "2.4.1"
    wb.save(book)
    assert main(["audit", "tasks", "1", "--import", str(book), "--db", db]) == 0
    assert "Imported 3 results" in capsys.readouterr().out
    assert main(["audit", "tasks", "1", "--json", "--db", db]) == 0
    data = json.loads(capsys.readouterr().out)["data"]
    # 2 of 3 attempts succeeded: 66.7 % against the 100 % bar
    assert data["user_review"]["overall"]["success_rate"] == pytest.approx(200 / 3)
    assert data["user_review"]["verdict"] == "fail"
    assert [s["stage"] for s in data["combined"]["stages"]] == ["expert", "user"]
    assert data["user_review"]["missed_by_machine"][0]["item"] == "2.4.1"  # machine: pass on the home page
    assert main(["audit", "tasks", "1", "--bar", "60", "--db", db]) == 0
    text = capsys.readouterr().out
    assert "Users failed where the machine passed: P01-navigate 2.4.1" in text
    # 66.7 % passes a 60 % bar overall, but the hearing tester's 0 % does not: the stage fails.
    assert "user stage: fail (66.7 against 60)" in text
    assert main(["audit", "tasks", "1", "--bar", "60", "--json", "--db", db]) == 0
    user = json.loads(capsys.readouterr().out)["data"]["combined"]["stages"][1]
    assert user["readings"] == {"all tasks ≥ 60 %": "pass", "every profile ≥ 60 %": "fail"}
    # broken workbook: exit 3, message names sheet and cell, no traceback
    wb["hearing"]["H5"] = 9
    wb.save(book)
    assert main(["audit", "tasks", "1", "--import", str(book), "--db", db]) == 3
    err = capsys.readouterr().err
    assert "sheet 'hearing' cell H5: satisfaction 9" in err and "Traceback" not in err
    assert main(["audit", "tasks", "1", "--import", str(book), "--export", str(book), "--db", db]) == 2
    assert main(["audit", "tasks", "7", "--db", db]) == 2  # no such run

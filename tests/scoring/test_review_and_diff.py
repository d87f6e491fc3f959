"""Expert review round-trip through a real workbook and a real SQLite store; diff of two runs."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from scoring_builders import finding, page

from a11y_audit.diff import diff_results
from a11y_audit.errors import AuditError
from a11y_audit.review import export_checklist, import_verdicts, verdicts_for_run
from a11y_audit.scoring.runs import score_run

BASE = "http://127.0.0.1:8000"


def _run_a():
    return [
        page(
            f"{BASE}/index.html",
            [
                finding("image-alt", "violation", "1.1.1", "#banner > img:nth-child(2)", '<img src="b.png">'),
                finding("image-alt", "pass", "1.1.1", "#logo", '<img alt="디지털포용부">'),
                finding("html-has-lang", "pass", "3.1.1", "html"),
            ],
            **{"1_1_1": "fail", "3_1_1": "pass"},
        ),
        page(
            f"{BASE}/board.html",
            [
                finding("label", "violation", "3.3.2", "#q", '<input id="q">'),
                finding("color-contrast", "incomplete", "1.4.3", ".notice", '<p class="notice">공지</p>'),
                finding("html-has-lang", "pass", "3.1.1", "html"),
            ],
            **{"3_3_2": "fail", "1_4_3": "review", "3_1_1": "pass"},
        ),
    ]


def test_checklist_export_then_import_changes_the_score(store, add_run, tmp_path):
    run = add_run(_run_a())
    before = score_run(store, run).estimate
    # image-alt: contents 2 on 2 pages -> 1 of 2 compliant
    assert before.item("1.1.1").lower == pytest.approx(50.0)
    assert before.item("1.4.3").lower == pytest.approx(50.0)
    assert before.item("1.4.3").upper == pytest.approx(100.0)
    assert "1.3.3" in before.not_assessed
    path = export_checklist(store, run, tmp_path / "checklist.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["about", "pages", "evidence", "P01", "P02"]
    p1 = wb["P01"]
    assert p1["B1"].value == f"{BASE}/index.html"
    assert [c.value for c in p1[4]] == [
        "item",
        "name_ko",
        "name_en",
        "automation",
        "machine",
        "evidence",
        "verdict",
        "note",
    ]
    assert p1["A5"].value == "1.1.1" and p1["E5"].value == "fail"
    assert "image-alt" in p1["F5"].value
    assert [str(r) for r in p1.data_validations.dataValidation[0].sqref.ranges] == ["G5:G37"]
    evidence_rows = list(wb["evidence"].iter_rows(min_row=2, values_only=True))
    assert len(evidence_rows) == 3  # two violations and one needs-review finding
    # The reviewer: contrast is fine on the board page; instructions (1.3.3) pass on both pages.
    p2 = wb["P02"]
    p1["B3"] = p2["B3"] = "김심사"
    rows = {p2.cell(r, 1).value: r for r in range(5, 38)}
    p2.cell(rows["1.4.3"], 7, "적합")
    p2.cell(rows["1.3.3"], 7, "pass")
    p1.cell(rows["1.3.3"], 7, "fail").parent.cell(rows["1.3.3"], 8, "색으로만 안내")
    wb.save(path)
    summary = import_verdicts(store, run, path)
    assert (summary.verdicts, summary.added, summary.changed, summary.unchanged) == (3, 3, 0, 0)
    after = score_run(store, run).estimate
    assert after.item("1.4.3").lower == pytest.approx(100.0)
    assert after.item("1.3.3").state == "scored"
    assert after.item("1.3.3").lower == pytest.approx(50.0)
    stored = verdicts_for_run(store, run)
    assert stored[(f"{BASE}/index.html", "1.3.3")].note == "색으로만 안내"
    assert stored[(f"{BASE}/index.html", "1.3.3")].reviewer == "김심사"
    again = import_verdicts(store, run, path)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 3)
    assert len(verdicts_for_run(store, run)) == 3


def test_broken_workbook_names_sheet_and_cell_and_imports_nothing(store, add_run, tmp_path):
    run = add_run(_run_a())
    path = export_checklist(store, run, tmp_path / "checklist.xlsx")
    wb = load_workbook(path)
    p1, p2 = wb["P01"], wb["P02"]
    p1["B3"] = "김심사"
    p1["G5"] = "pass"  # a good verdict, which must not be stored either
    p1["G6"] = "maybe"
    p1["A7"] = "9.9.9"
    p2["B1"] = "http://elsewhere.example/"
    wb.save(path)
    with pytest.raises(AuditError) as info:
        import_verdicts(store, run, path)
    message = str(info.value)
    assert "3 problem(s); nothing was imported" in message
    assert "sheet 'P01' cell G6: verdict 'maybe' is not pass, fail or n/a" in message
    assert "sheet 'P01' cell A7: unknown KWCAG item '9.9.9'" in message
    assert "sheet 'P02' cell B1: page 'http://elsewhere.example/' is not a page of this run" in message
    assert verdicts_for_run(store, run) == {}


def test_reviewer_name_is_required(store, add_run, tmp_path):
    run = add_run(_run_a())
    path = export_checklist(store, run, tmp_path / "c.xlsx")
    wb = load_workbook(path)
    wb["P02"]["G5"] = "n/a"
    wb.save(path)
    with pytest.raises(AuditError, match=r"sheet 'P02' cell B3: verdicts without a reviewer name"):
        import_verdicts(store, run, path)


def test_not_a_workbook_is_a_clear_error(store, add_run, tmp_path):
    run = add_run(_run_a())
    bad = tmp_path / "c.xlsx"
    bad.write_text("not a zip")
    with pytest.raises(AuditError, match="not a readable .xlsx workbook"):
        import_verdicts(store, run, bad)


def test_diff_matches_shifted_selectors_and_counts_new_and_fixed():
    a = _run_a()
    b = [
        # the banner image moved one position; its snippet gained an attribute: still the same finding
        page(
            f"{BASE}/index.html",
            [
                finding(
                    "image-alt",
                    "violation",
                    "1.1.1",
                    "#banner > img:nth-child(3)",
                    '<img src="b.png" class="x">',
                ),
                finding("link-name", "violation", "2.4.3", "#more", '<a id="more" href="/n"></a>'),
            ],
            **{"1_1_1": "fail", "2_4_3": "fail"},
        ),
        # the label was fixed, the contrast question remains
        page(
            f"{BASE}/board.html",
            [finding("color-contrast", "incomplete", "1.4.3", ".notice", '<p class="notice">공지</p>')],
            **{"1_4_3": "review"},
        ),
        page(f"{BASE}/new.html", [], **{"3_1_1": "pass"}),
    ]
    d = diff_results(a, b)
    assert d.pages_compared == 2
    assert d.pages_only_after == ["/new.html"]
    assert (d.new, d.fixed, d.unchanged) == (1, 1, 2)
    assert d.by_item["1.1.1"] == {"new": 0, "fixed": 0, "unchanged": 1}
    assert d.by_item["2.4.3"] == {"new": 1, "fixed": 0, "unchanged": 0}
    assert d.by_item["3.3.2"] == {"new": 0, "fixed": 1, "unchanged": 0}
    assert [(c.page, c.item) for c in d.changes] == [("/index.html", "2.4.3"), ("/board.html", "3.3.2")]


def test_finishing_a_run_applies_the_cross_page_title_rule(store, add_run):
    pages = _run_a() + [page(f"{BASE}/other.html", [], **{"3_1_1": "pass"})]
    pages[2].title = pages[1].title = "공지사항"  # board.html and other.html share a title
    run = add_run(pages)
    by_url = {p.url: p for p in store.page_results(run)}
    dup = [f for f in by_url[f"{BASE}/board.html"].findings if f.rule_id == "kwcag-title-unique"]
    assert [f.outcome for f in dup] == ["violation"]
    assert by_url[f"{BASE}/board.html"].item_status["2.4.2"] == "fail"
    unique = [f for f in by_url[f"{BASE}/index.html"].findings if f.rule_id == "kwcag-title-unique"]
    assert [f.outcome for f in unique] == ["pass"]
    # The pages' stored counts follow their findings (the title rule's violations included).
    results = {r.url: r for r in store.page_results(run)}
    for stored in store.pages(run):
        findings = results[stored.url].findings
        assert stored.n_violations == sum(1 for f in findings if f.outcome == "violation"), stored.url
    assert store.apply_cross_page_rules(run) == 0  # applying again changes nothing

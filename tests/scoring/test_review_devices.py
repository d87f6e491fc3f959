"""The expert checklist of a run audited on the desktop and a phone: verdicts are per URL, so there is
one sheet per URL with the findings of both devices, and a filled-in sheet imports cleanly."""

from __future__ import annotations

from openpyxl import load_workbook

from a11y_audit.crawl.frontier import Decision, url_hash, url_key
from a11y_audit.models import Finding, PageResult
from a11y_audit.review import FIRST_ROW, export_checklist, import_verdicts
from a11y_audit.rules import load_registry
from a11y_audit.scoring.runs import score_run_devices
from a11y_audit.store import AuditStore

URL = "http://127.0.0.1:8000/"
ITEMS = [it.id for it in load_registry().items]


def _result(device: str, findings: list[Finding], status_213: str) -> PageResult:
    status = dict.fromkeys(ITEMS, "manual")
    status["2.1.3"] = status_213
    return PageResult(
        url=URL, final_url=URL, status=200, title="홈", device=device, findings=findings, item_status=status
    )


def test_checklist_has_one_sheet_per_url_with_both_devices_findings(tmp_path):
    db = f"sqlite:///{tmp_path / 'r.db'}"
    store = AuditStore(db)
    run = store.create_run([URL], {"device": "both"}, "1")
    store.add_decisions(run, [Decision(URL, url_key(URL), url_hash(url_key(URL)), 0)])
    (item,) = store.queued(run)
    small = Finding(
        "mobile-target-size",
        "kwcag",
        "violation",
        "moderate",
        ["2.1.3"],
        ["2.5.8"],
        "#tiny",
        "<a>",
        "en",
        "ko",
    )
    store.record_page(run, item, _result("desktop", [], "pass"), finish_queue=False)
    store.record_page(run, item, _result("mobile", [small], "fail"))
    out = export_checklist(store, run, tmp_path / "c.xlsx")
    wb = load_workbook(out)
    sheets = [ws.title for ws in wb.worksheets if ws.title.startswith("P")]
    assert sheets == ["P01"]
    ws = wb["P01"]
    row = next(r for r in ws.iter_rows(min_row=FIRST_ROW, values_only=True) if r[0] == "2.1.3")
    assert row[4] == "fail"  # the worst of the two devices
    assert row[5] == "[mobile] [violation] mobile-target-size #tiny"
    evidence = [r for r in wb["evidence"].iter_rows(min_row=2, values_only=True)]
    assert [r[1] for r in evidence] == [URL + " [mobile]"]
    ws["B3"] = "김심사"
    ws.cell(row=FIRST_ROW + ITEMS.index("2.1.3"), column=7, value="pass")
    wb.save(out)
    summary = import_verdicts(store, run, out)
    assert summary.verdicts == 1
    scores = {s.device: s for s in score_run_devices(store, run)}
    assert scores["mobile"].verdicts == scores["desktop"].verdicts == 1
    assert (
        scores["mobile"].estimate.item("2.1.3").lower == 100.0
    )  # the expert's pass replaces the machine's fail
    store.close()

"""The audit report of a run audited on the desktop and on a phone (``--device both``): an estimate per
device, the device of every page, and the separate mobile site the run followed."""

from __future__ import annotations

import json

from a11y_audit.crawl.frontier import Decision, url_hash, url_key
from a11y_audit.store import AuditStore
from cli import main
from tests.reports.builders import SITE, finding, page
from tests.reports.html_checks import by_id, parse, structure_problems, table_rows, text


def _both_run(db_url: str) -> int:
    """Two URLs on both devices; on the phone the home page fails 2.1.3 (touch targets)."""
    store = AuditStore(db_url)
    run = store.create_run([SITE], {"device": "both"}, "0.1.0")
    urls = [SITE, SITE + "notice"]
    store.add_decisions(run, [Decision(u, url_key(u), url_hash(url_key(u)), 0) for u in urls])
    queued = {q.url: q for q in store.queued(run)}
    for url in urls:
        desktop = page(url, [], "홈" if url == SITE else "공지")
        store.record_page(run, queued[url], desktop, finish_queue=False)
        small = [finding("mobile-target-size", "violation", "2.1.3", "a.tiny", "<a class=tiny>")]
        phone = page(
            url, small if url == SITE else [], desktop.title, **({"2_1_3": "fail"} if url == SITE else {})
        )
        phone.device = "mobile"
        store.record_page(run, queued[url], phone)
    store.add_run_error(run, "m.example.go.kr", "mobile_site", "phones are redirected to m.example.go.kr")
    store.finish_run(run, "finished", axe_version="4.12.1")
    store.close()
    return run


def test_report_shows_an_estimate_per_device_and_the_mobile_site(sqlite_url, tmp_path, capsys):
    run = _both_run(sqlite_url)
    out = tmp_path / "both.html"
    code = main(
        ["report", "audit", str(run), "--db", sqlite_url, "--out", str(out), "--json", "--lang", "en"]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    doc = json.loads(captured.out)["data"]["summary"]
    assert doc["devices"] == {"desktop": 2, "mobile": 2}
    assert doc["mobile_sites"] == ["m.example.go.kr"]
    html = out.read_text(encoding="utf-8")
    assert structure_problems(html) == []
    tree, _ = parse(html)
    rows = table_rows(tree, "device-estimates")
    assert [r[0] for r in rows] == ["desktop", "mobile (phone emulation)"]
    assert [r[1] for r in rows] == ["2", "2"]
    assert rows[0][2] == "100.0 – 100.0"  # the desktop pages pass every automatic item
    assert rows[1][2] != rows[0][2]  # the phone fails 2.1.3 on one of two pages
    body = text(tree)
    assert "desktop: 2 pages, mobile (phone emulation): 2 pages" in body
    assert "phones are redirected to m.example.go.kr" in body
    assert "홈 (mobile (phone emulation))" in body and "홈 (desktop)" in body


def test_a_single_device_run_has_no_device_table(sqlite_url, tmp_path, capsys):
    store = AuditStore(sqlite_url)
    run = store.create_run([SITE], {}, "0.1.0")
    store.add_decisions(run, [Decision(SITE, url_key(SITE), url_hash(url_key(SITE)), 0)])
    (item,) = store.queued(run)
    store.record_page(run, item, page(SITE, [], "홈"))
    store.finish_run(run, "finished", axe_version="4.12.1")
    store.close()
    out = tmp_path / "one.html"
    assert main(["report", "audit", str(run), "--db", sqlite_url, "--out", str(out)]) == 0
    tree, _ = parse(out.read_text(encoding="utf-8"))
    assert by_id(tree, "device-estimates") is None

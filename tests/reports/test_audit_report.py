"""`ddkit report audit`: a stored run becomes an accessible, escaped, self-contained report."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from cli import main
from tests.reports.builders import XSS_SELECTOR, XSS_SNIPPET, XSS_TITLE, two_runs
from tests.reports.html_checks import by_id, parse, structure_problems, table_rows, text


@pytest.fixture
def runs(sqlite_url):
    return two_runs(sqlite_url)


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def report(runs, sqlite_url, tmp_path, capsys):
    db_path = sqlite_url.split("///", 1)[1]
    db_sha = hashlib.sha256(Path(db_path).read_bytes()).hexdigest()
    out = tmp_path / "audit.html"
    code, stdout, stderr = _run(
        capsys, "report", "audit", str(runs[1]), "--db", db_path, "--out", str(out), "--json"
    )
    assert code == 0, stderr
    return json.loads(stdout), out.read_text(encoding="utf-8"), db_sha


def test_json_summary_carries_the_estimate_and_both_verdicts(report):
    doc, _, _ = report
    assert doc["kind"] == "report.audit"
    est = doc["data"]["summary"]["estimate"]
    # 23 scored items: 22 at 100 and 3.3.2 at 50 (1 compliant unit of max(2 pages, 1 content)).
    assert est["mean_lower"] == pytest.approx(2250 / 23)
    assert est["min_lower"] == 50.0 and est["min_upper"] == 50.0
    assert (est["verdict_mean"], est["verdict_every_item"]) == ("pass", "fail")
    assert doc["data"]["summary"]["violations"] == 1


def test_report_lists_33_items_with_rate_status_and_evidence(report):
    _, html, _ = report
    tree, _ = parse(html)
    rows = table_rows(tree, "items-table")
    assert len(rows) == 33
    by_item = {r[0]: r for r in rows}
    assert by_item["3.3.2"][1:] == ["레이블 제공 (자동화: 부분 자동)", "50.0%", "실패", "1"]
    assert by_item["1.1.1"][2:] == ["없음", "해당 없음", "0"]
    assert by_item["3.1.1"][2:] == ["100.0%", "통과", "0"]
    assert by_item["1.3.3"][1:4] == [
        "명확한 지시사항 제공 (자동화: 수동)",
        "없음",
        "수동 검사",
    ]  # a manual item
    verdicts = table_rows(tree, "verdicts")
    assert verdicts == [
        ["항목 준수율의 평균", "97.8", "97.8", "기준 충족"],
        ["가장 낮은 항목 준수율", "50.0", "50.0", "기준 미달"],
    ]


def test_changes_since_the_previous_run(report):
    _, html, _ = report
    tree, _ = parse(html)
    section = next(el for el in tree.iter() if el.get("aria-labelledby") == "changes")
    assert "직전 진단 회차 1(" in text(section)
    assert table_rows(tree, "changes-items") == [
        ["1.1.1", "적절한 대체 텍스트 제공", "실패", "해당 없음"],
        ["1.4.3", "텍스트 콘텐츠의 명도 대비", "검토 필요", "통과"],
        ["3.3.2", "레이블 제공", "해당 없음", "실패"],  # run 1 had no form control: not applicable
    ]
    assert [r[0] for r in table_rows(tree, "changes-new")] == ["label"]
    assert sorted(r[0] for r in table_rows(tree, "changes-fixed")) == ["color-contrast", "image-alt"]


def test_untrusted_content_is_escaped_everywhere(report):
    _, html, _ = report
    assert XSS_TITLE not in html and XSS_SNIPPET not in html and XSS_SELECTOR not in html
    assert "<script" not in html.lower()
    assert "&lt;script&gt;window.__xss=" in html
    tree, _ = parse(html)
    assert by_id(tree, "injected-sel") is None
    assert not any(el.get("onerror") for el in tree.iter())
    # The escaped title is the page's heading, as text.
    assert text(by_id(tree, "page-1")) == XSS_TITLE


def test_report_is_structurally_sound_and_self_contained(report):
    _, html, db_sha = report
    assert structure_problems(html) == []
    tree, _ = parse(html)
    csp = next(el.get("content") for el in tree.iter() if el.get("http-equiv") == "Content-Security-Policy")
    assert csp.startswith("default-src 'none';") and "img-src data:" in csp  # no script, no fetch
    assert db_sha in html  # the database file with its SHA-256


def test_english_report_and_default_path(runs, sqlite_url, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = _run(capsys, "report", "audit", "1", "--db", sqlite_url, "--lang", "en")
    assert code == 0
    path = tmp_path / stdout.strip()
    assert stdout.strip() == "ddkit-reports/audit-run-1-en.html"
    html = path.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Skip to main content" in html
    assert 'id="changes"' not in html  # run 1 has no earlier run
    assert structure_problems(html) == []


def test_missing_run_database_and_language_are_clear_errors(runs, sqlite_url, tmp_path, capsys):
    code, _, err = _run(capsys, "report", "audit", "9", "--db", sqlite_url, "--out", str(tmp_path / "x.html"))
    assert code == 2 and "There is no audit run 9" in err and "Traceback" not in err
    missing = tmp_path / "nothere.db"
    code, _, err = _run(capsys, "report", "audit", "1", "--db", str(missing))
    assert code == 3 and "does not exist" in err and not missing.exists()
    code, _, err = _run(capsys, "report", "audit", "1", "--db", sqlite_url, "--lang", "fr")
    assert code == 2
    assert not (tmp_path / "x.html").exists()


def test_same_input_renders_the_same_bytes(runs, sqlite_url, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    outs = [tmp_path / "a.html", tmp_path / "b.html"]
    for out in outs:
        assert main(["report", "audit", "2", "--db", sqlite_url, "--out", str(out)]) == 0
    assert outs[0].read_bytes() == outs[1].read_bytes()
    assert "2026-01-01 00:00 UTC" in outs[0].read_text(encoding="utf-8")


PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_screenshot_thumbnails_are_data_uris_with_alt_text():
    from reports.audit import AuditedPage, AuditReportData, render_audit_report

    data = AuditReportData(
        site="https://www.example.go.kr/",
        run_id="7",
        pages=[
            AuditedPage(url="https://www.example.go.kr/", title="홈", screenshot=PNG_1x1),
            # Not an image: never embedded, whatever it claims to be.
            AuditedPage(url="https://www.example.go.kr/b", title="B", screenshot=b"<svg onload=alert(1)>"),
        ],
    )
    html = render_audit_report(data, "ko")
    tree, _ = parse(html)
    images = [
        el for el in tree.iter("{http://www.w3.org/1999/xhtml}img") if "shot" in (el.get("class") or "")
    ]
    assert len(images) == 1
    assert images[0].get("src").startswith("data:image/png;base64,iVBORw0KGgo")
    assert images[0].get("alt") == "홈 페이지의 첫 화면"
    assert "onload" not in html
    assert structure_problems(html) == []

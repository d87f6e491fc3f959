"""The audit report's user-evaluation section: a real SQLite store, user results imported through the
real workbook round trip, every figure worked out by hand below; no section without results; and the
report with the section still passes ddkit's own audit in the real Chromium.

Seven attempts by three testers on the five-page site of ``tests/user_review/user_review_site.py``
(success bar 100 %, partial credit 0):

| profile | tester | task | result | satisfaction | items named |
|---|---|---|---|---|---|
| blind | U1 | P01-navigate | yes | 5 | |
| blind | U1 | P01-images | no | 1 | 1.1.1 |
| blind | U1 | P02-form | partial | 3 | 3.3.2 |
| physical | P1 | P01-navigate | yes | 4 | |
| physical | P1 | P02-form | yes | 5 | |
| hearing | H1 | P04-media | partial | 2 | 1.2.1 |
| hearing | H1 | P05-login | no | 2 | (none) |

- all: 3 yes / 2 partial / 2 no of 7 → 3/7 = 42.857… → 42.9 %. Satisfaction 5 1 3 4 5 2 2: sum 22,
  mean 22/7 = 3.142… → 3.14; squares 84, variance (84 − 7·(22/7)²)/6 = (84 − 484/7)/6 = 104/42 =
  2.476…, SD 1.5736… → 1.57.
- blind: 1/1/1 of 3 → 33.3 %; 5 1 3: mean 3.00, variance ((25+1+9) − 3·9)/2 = 4, SD 2.00.
- physical: 2/0/0 of 2 → 100.0 %; 4 5: mean 4.50, variance (41 − 2·20.25)/1 = 0.5, SD 0.707… → 0.71.
- hearing: 0/1/1 of 2 → 0.0 %; 2 2: mean 2.00, SD 0.00.
- low vision, cognitive: no attempt. The user stage fails (42.9 < 100; lowest profile hearing 0.0).
- barriers: 1.1.1 on the home page (machine pass, expert "적합" from the checklist), 1.2.1 on the
  media page (machine pass, no verdict), 3.3.2 on the form page (machine fail: #phone has no label).
  Users failed where the machine passed: 1.1.1 (U1) and 1.2.1 (H1). No item named: P05-login (H1).
"""

from __future__ import annotations

import base64

import pytest
from openpyxl import load_workbook

from a11y_audit.review import export_checklist, import_verdicts
from a11y_audit.scoring.runs import score_run
from a11y_audit.store import AuditStore
from a11y_audit.user_review import export_tasks, import_results
from cli import main
from tests.reports.html_checks import parse, structure_problems, table_rows
from tests.reports.html_checks import text as raw_text
from tests.user_review.user_review_site import site

#: Nothing but the loopback server is reachable from the browser.
NO_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"

COLUMNS = {"success": "E", "minutes": "F", "at": "G", "sat": "H", "items": "I", "note": "J"}
RESULTS = {
    "blind": (
        "U1",
        {
            "P01-navigate": ("yes", 2, "NVDA", 5),
            "P01-images": ("no", 4, "NVDA", 1, "1.1.1", "배너 대체 텍스트가 내용을 전하지 않음"),
            "P02-form": ("부분 성공", 6, "NVDA", 3, "3.3.2", "전화번호 칸 이름을 읽지 않음"),
        },
    ),
    "physical": ("P1", {"P01-navigate": ("yes", 1, "키보드만", 4), "P02-form": ("yes", 4, "키보드만", 5)}),
    "hearing": (
        "H1",
        {
            "P04-media": ("부분성공", 5, "없음", 2, "1.2.1", "자막이 음성보다 늦음"),
            "P05-login": ("실패", 10, "없음", 2, None, "로그인 버튼을 찾지 못함"),
        },
    ),
}
BLIND = "시각장애(전맹) · 화면낭독기 사용자"
PHYSICAL = "지체·뇌병변장애 (키보드·스위치 사용자)"
HEARING = "청각장애 (농·난청)"


def _store_run(db_url: str, tmp_path, *, with_results: bool = True, thumbnail: bytes | None = None) -> int:
    store = AuditStore(db_url)
    try:
        pages = site()
        for p in pages:
            p.thumbnail = thumbnail
        run = store.create_run([pages[0].url], {}, "test")
        from a11y_audit.crawl.frontier import Decision, url_hash, url_key

        store.add_decisions(
            run, [Decision(p.url, url_key(p.url), url_hash(url_key(p.url)), 0) for p in pages]
        )
        queued = {q.url: q for q in store.queued(run)}
        for p in pages:
            store.record_page(run, queued[p.url], p)
        store.finish_run(run, "finished", axe_version="4.12.1")
        if not with_results:
            return run
        # The expert found the home page's images fine (1.1.1 "적합"), as the machine did.
        checklist = export_checklist(store, run, tmp_path / "checklist.xlsx")
        cwb = load_workbook(checklist)
        cwb["P01"]["B3"] = "김심사"
        cwb["P01"]["G5"] = "적합"  # row 5 is item 1.1.1
        cwb.save(checklist)
        import_verdicts(store, run, checklist)
        path = tmp_path / "tasks.xlsx"
        export_tasks(store, run, path)
        wb = load_workbook(path)
        for profile, (tester, results) in RESULTS.items():
            ws = wb[profile]
            ws["B2"] = tester
            rows = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value}
            for task, values in results.items():
                for key, value in zip(COLUMNS, values, strict=False):
                    ws[f"{COLUMNS[key]}{rows[task]}"] = value
        wb.save(path)
        summary = import_results(store, run, path)
        assert summary.attempts == 7
        return run
    finally:
        store.close()


def _report(db_url: str, run: int, out, lang: str = "ko") -> str:
    assert main(["report", "audit", str(run), "--db", db_url, "--lang", lang, "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def text(element) -> str:
    """The element's text with runs of white space as one space."""
    return " ".join(raw_text(element).split())


def _section(tree):
    return next(el for el in tree.iter() if el.get("aria-labelledby") == "user-review")


def test_the_section_shows_the_figures_worked_out_by_hand(sqlite_url, tmp_path):
    run = _store_run(sqlite_url, tmp_path)
    html = _report(sqlite_url, run, tmp_path / "ko.html")
    assert structure_problems(html) == []
    tree, _ = parse(html)
    section = _section(tree)
    words = text(section)
    assert "장애인 사용자 심사 (품질인증 사용자 심사 단계) (kwcag22-user-review-2024.09)" in words
    assert "평가자 3명, 시도 7회" in words

    # The two stages side by side, each against its own bar, each with its own verdict.
    store = AuditStore(sqlite_url)
    est = score_run(store, run).estimate
    store.close()

    def rng(lo, hi):
        return f"{lo:.1f}" if abs(lo - hi) < 1e-9 else f"{lo:.1f} – {hi:.1f}"

    verdict = {"pass": "기준 충족", "fail": "기준 미달", "undecided": "검토 결과에 달림"}
    assert table_rows(tree, "stage-expert-readings") == [
        ["항목 준수율의 평균", rng(est.mean_lower, est.mean_upper), "95", verdict[est.verdict_mean]],
        ["가장 낮은 항목 준수율", rng(est.min_lower, est.min_upper), "95", verdict[est.verdict_every_item]],
    ]
    assert table_rows(tree, "stage-user-readings") == [
        ["전체 과업 성공률", "42.9%", "100%", "기준 미달"],
        [f"가장 낮은 유형의 성공률({HEARING})", "0.0%", "100%", "기준 미달"],
    ]
    stage_user = next(el for el in tree.iter() if el.get("aria-labelledby") == "stage-user")
    assert "이 단계의 판정: 기준 미달" in text(stage_user)
    assert "평가자 3명의 과업 시도 7회" in text(stage_user)
    assert "각 단계는 따로 판정하며 모두 통과해야 합니다. 현재 상태로는 인증 불가: " in words
    assert "사용자 심사 미달." in words

    # Per profile, then everyone.
    assert table_rows(tree, "user-profiles") == [
        [f"{BLIND} (필수)", "1", "3", "1 / 1 / 1", "33.3%", "3.00 ± 2.00 (n = 3)"],
        ["시각장애(저시력)", "0", "0", "0 / 0 / 0", "없음", "없음"],
        [f"{PHYSICAL} (필수)", "1", "2", "2 / 0 / 0", "100.0%", "4.50 ± 0.71 (n = 2)"],
        [f"{HEARING} (필수)", "1", "2", "0 / 1 / 1", "0.0%", "2.00 ± 0.00 (n = 2)"],
        ["지적·발달장애 (인지장애)", "0", "0", "0 / 0 / 0", "없음", "없음"],
        ["전체", "3", "7", "3 / 2 / 2", "42.9%", "3.14 ± 1.57 (n = 7)"],
    ]
    # The chart: the profiles with results and everyone, the 100 % bar drawn; the same numbers in a table.
    assert table_rows(tree, "chart-user-success-data") == [
        [BLIND, "33.3%"],
        [PHYSICAL, "100.0%"],
        [HEARING, "0.0%"],
        ["전체", "42.9%"],
    ]
    img = next(
        el
        for el in tree.iter("{http://www.w3.org/1999/xhtml}img")
        if el.get("src", "").startswith("data:image/svg+xml") and "장애 유형별 과업 성공률" in el.get("alt")
    )
    assert f"{BLIND} 33.3%; {PHYSICAL} 100.0%; {HEARING} 0.0%; 전체 42.9%" in img.get("alt")
    svg = base64.b64decode(img.get("src").split(",", 1)[1]).decode("utf-8")
    assert "기준 100%" in svg and 'stroke-dasharray="5 4"' in svg

    # Barriers by item, beside the machine status and the expert verdict on the same page.
    assert table_rows(tree, "user-barriers-table") == [
        ["1.1.1", "적절한 대체 텍스트 제공", "디지털포용부", "1 (1)", BLIND, "통과", "적합"],
        ["1.2.1", "자막 제공", "소개 영상 | 디지털포용부", "1 (1)", HEARING, "통과", "판정 없음"],
        ["3.3.2", "레이블 제공", "교육 신청 | 디지털포용부", "1 (1)", BLIND, "실패", "판정 없음"],
    ]
    missed = next(el for el in tree.iter() if "missed" in (el.get("class") or "").split())
    items = [text(li) for li in missed.iter("{http://www.w3.org/1999/xhtml}li")]
    assert items == [
        f"1.1.1 적절한 대체 텍스트 제공 · 디지털포용부 · 과업 P01-images, {BLIND} 평가자 U1: 실패 · "
        "자동 검사: 통과 · 전문가 판정: 적합메모: 배너 대체 텍스트가 내용을 전하지 않음",
        f"1.2.1 자막 제공 · 소개 영상 | 디지털포용부 · 과업 P04-media, {HEARING} 평가자 H1: 부분 성공 · "
        "자동 검사: 통과 · 전문가 판정: 판정 없음메모: 자막이 음성보다 늦음",
    ]
    assert table_rows(tree, "user-without-items") == [
        ["P05-login", "로그인 | 디지털포용부", HEARING, "H1", "실패", "로그인 버튼을 찾지 못함"]
    ]
    # Page names link to the page's findings in the same report.
    links = {a.get("href") for a in section.iter("{http://www.w3.org/1999/xhtml}a")}
    assert {"#page-1", "#page-2", "#page-4", "#page-5"} <= links
    toc = [
        a.get("href") for a in tree.iter("{http://www.w3.org/1999/xhtml}a") if a.get("href") == "#user-review"
    ]
    assert toc == ["#user-review"]


def test_english_section(sqlite_url, tmp_path):
    run = _store_run(sqlite_url, tmp_path)
    html = _report(sqlite_url, run, tmp_path / "en.html", "en")
    tree, _ = parse(html)
    words = text(_section(tree))
    assert (
        "User review by people with disabilities (quality-mark user stage) (kwcag22-user-review-2024.09)"
        in words
    )
    assert "user stage: fail (42.9 against 100)" in words
    assert table_rows(tree, "user-profiles")[-1] == [
        "All profiles",
        "3",
        "7",
        "3 / 2 / 2",
        "42.9%",
        "3.14 ± 1.57 (n = 7)",
    ]
    assert table_rows(tree, "stage-user-readings")[1] == [
        "Lowest profile's success rate (Deaf and hard-of-hearing users)",
        "0.0%",
        "100%",
        "Below the threshold",
    ]
    assert "What automation missed: users failed where the machine passed" in words


def test_no_section_without_user_results(sqlite_url, tmp_path):
    run = _store_run(sqlite_url, tmp_path, with_results=False)
    html = _report(sqlite_url, run, tmp_path / "plain.html")
    tree, _ = parse(html)
    assert not [el for el in tree.iter() if el.get("aria-labelledby") == "user-review"]
    assert 'id="user-review"' not in html and "#user-review" not in html
    assert "장애 유형별 결과" not in html and 'id="user-profiles"' not in html
    assert "chart-user-success" not in html


@pytest.mark.browser
def test_report_with_the_section_passes_ddkits_own_audit(sqlite_url, tmp_path, serve):
    """The section (stages, tables, chart, highlighted list) and the thumbnail gallery (thumbnails
    taken by the engine itself), in one report, audited by ddkit on a desktop viewport: no violation,
    no failing KWCAG item."""
    import asyncio

    from a11y_audit.engine import AuditOptions, Browser

    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "screen.html").write_text(
        '<!doctype html><html lang="ko"><meta charset="utf-8"><title>화면</title><main><h1>디지털포용부</h1></main></html>',
        encoding="utf-8",
    )
    base = serve(folder)

    async def audit() -> tuple:
        options = AuditOptions(launch_args=(NO_NETWORK,), timeout_ms=15_000, thumbnail=True)
        browser = await Browser.launch(options)
        try:
            worker = await browser.worker()
            screen = await worker.audit(f"{base}/screen.html")
            assert screen.thumbnail and screen.thumbnail.startswith(b"\xff\xd8\xff")
            run = _store_run(sqlite_url, tmp_path, thumbnail=screen.thumbnail)
            html = _report(sqlite_url, run, folder / "audit-ko.html")
            return html, await worker.audit(f"{base}/audit-ko.html")
        finally:
            await browser.close()

    html, result = asyncio.run(audit())
    assert html.count('class="shot"') == 5
    assert result.error is None
    assert [(f.rule_id, f.selector) for f in result.findings if f.outcome == "violation"] == []
    assert {k: v for k, v in result.item_status.items() if v == "fail"} == {}
    for item in ("1.1.1", "1.4.3", "2.4.1", "3.1.1", "4.1.1"):
        assert result.item_status[item] == "pass", item

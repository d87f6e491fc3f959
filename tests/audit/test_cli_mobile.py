"""`--device both` and `--mobile-profile` end to end: `ddkit audit page`, `ddkit audit site`, then
`ddkit audit show` and `ddkit audit score` on the stored run (real Chromium, pages on 127.0.0.1)."""

from __future__ import annotations

import json
import shutil

import pytest
from audit_site import FIXTURES

from a11y_audit.serve import serve
from cli import main
from cli.exit_codes import ExitCode

pytestmark = pytest.mark.browser


def _run(capsys, *args: str) -> tuple[int, dict | str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    out = json.loads(captured.out) if "--json" in args and captured.out.strip() else captured.out
    return code, out, captured.err


def test_page_both_audits_each_page_on_the_desktop_and_the_phone(tmp_path, capsys, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(FIXTURES / "mobile" / "target_size.html", site / "a.html")
    shutil.copy(FIXTURES / "mobile" / "zoom_blocked.html", site / "b.html")
    monkeypatch.chdir(tmp_path)
    code, doc, err = _run(capsys, "audit", "page", "site", "--device", "both", "--json")
    assert code == ExitCode.OK, err
    data = doc["data"]
    assert data["device"] == "both" and data["mobile_profile"] == "android"
    pages = data["pages"]
    assert [(p["source"], p["device"]) for p in pages] == [
        ("site/a.html", "desktop"),
        ("site/a.html", "mobile"),
        ("site/b.html", "desktop"),
        ("site/b.html", "mobile"),
    ]
    rules = [
        sorted({f["rule_id"] for f in p["findings"] if f["rule_id"].startswith("mobile-")}) for p in pages
    ]
    mobile = [
        "mobile-orientation",
        "mobile-reflow",
        "mobile-target-size",
        "mobile-touch-gesture",
        "mobile-zoom",
    ]
    assert rules == [[], mobile, [], mobile]
    # 2.1.3 on the phone: two crowded 16 px links fail; on the desktop the 17 px diagonal rule decides.
    assert pages[1]["item_status"]["2.1.3"] == "fail"
    assert set(data["by_device"]) == {"desktop", "mobile"}
    assert data["by_device"]["mobile"]["pages"] == 2
    # The same title on both devices of a page is not a duplicate title (titles compared per device).
    unique = [[f["outcome"] for f in p["findings"] if f["rule_id"] == "kwcag-title-unique"] for p in pages]
    assert unique == [["pass"], ["pass"], ["pass"], ["pass"]]


def test_page_mobile_terminal_report_lists_wcag_only_findings(capsys):
    page = str(FIXTURES / "mobile" / "zoom_blocked.html")
    code, out, err = _run(
        capsys, "audit", "page", page, "--device", "mobile", "--mobile-profile", "iphone", "--lang", "en"
    )
    assert code == ExitCode.OK, err
    assert "iPhone 15" in out
    assert "mobile-zoom" in out and "WCAG 1.4.4" in out
    assert "user-scalable=no" in out


def test_site_both_then_show_and_score_per_device(tmp_path, capsys):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text(
        (FIXTURES / "mobile" / "target_size.html")
        .read_text(encoding="utf-8")
        .replace("<main>", '<main><a href="zoom_ok.html">확대 허용 안내 페이지로 이동</a>'),
        encoding="utf-8",
    )
    shutil.copy(FIXTURES / "mobile" / "zoom_ok.html", folder / "zoom_ok.html")
    db = str(tmp_path / "m.db")
    with serve(folder) as server:
        code, doc, err = _run(
            capsys,
            "audit",
            "site",
            server.url_for(folder / "index.html"),
            "--device",
            "both",
            "--delay",
            "0",
            "--no-screenshots",
            "--crops",
            "0",
            "--db",
            db,
            "--json",
        )
    assert code == ExitCode.OK, err
    data = doc["data"]
    assert data["devices"] == {"desktop": 2, "mobile": 2}
    assert data["config"]["device"] == "both"
    code, out, err = _run(capsys, "audit", "show", str(data["id"]), "--db", db, "--pages")
    assert code == ExitCode.OK, err
    assert "Devices: desktop 2, mobile 2" in out
    code, doc, err = _run(capsys, "audit", "show", str(data["id"]), "--db", db, "--json")
    listed = sorted((p["url"].rsplit("/", 1)[1], p["device"]) for p in doc["data"]["pages_list"])
    assert listed == [
        ("index.html", "desktop"),
        ("index.html", "mobile"),
        ("zoom_ok.html", "desktop"),
        ("zoom_ok.html", "mobile"),
    ]
    code, doc, err = _run(capsys, "audit", "score", str(data["id"]), "--db", db, "--json")
    assert code == ExitCode.OK, err
    by_device = {s["device"]: s for s in doc["data"]["by_device"]}
    assert sorted(by_device) == ["desktop", "mobile"]
    assert by_device["desktop"]["pages_scored"] == by_device["mobile"]["pages_scored"] == 2
    assert doc["data"]["device"] == "desktop"  # the top-level fields are the first device's
    mobile_213 = next(s for s in by_device["mobile"]["estimate"]["items"] if s["item"] == "2.1.3")
    assert mobile_213["lower"] < 100  # the crowded links fail on the phone's home page
    code, out, err = _run(capsys, "audit", "score", str(data["id"]), "--db", db)
    assert code == ExitCode.OK, err
    assert "desktop: 2 pages" in out and "mobile: 2 pages" in out


def test_unknown_device_and_profile_are_usage_errors(tmp_path, capsys):
    db = str(tmp_path / "u.db")
    code, _, err = _run(capsys, "audit", "site", "http://127.0.0.1:9/", "--device", "tablet", "--db", db)
    assert code == ExitCode.USAGE and "tablet" in err
    code, _, err = _run(capsys, "audit", "page", "http://127.0.0.1:9/", "--mobile-profile", "galaxy")
    assert code == ExitCode.USAGE and "galaxy" in err


def test_a_phone_redirected_to_the_m_host_is_reported_as_a_separate_mobile_site():
    from a11y_audit.crawl.mobile_host import is_mobile_host
    from a11y_audit.models import PageResult
    from cli.audit_page import _mobile_site

    phone = PageResult(
        url="https://www.example.go.kr/", final_url="https://m.example.go.kr/main", device="mobile"
    )
    assert _mobile_site(phone, is_mobile_host) == "m.example.go.kr"
    desktop = PageResult(url=phone.url, final_url=phone.url, device="desktop")
    assert _mobile_site(desktop, is_mobile_host) is None
    elsewhere = PageResult(url=phone.url, final_url="https://m.other.go.kr/", device="mobile")
    assert _mobile_site(elsewhere, is_mobile_host) is None

"""`ddkit audit page` end to end: local folder and file, JSON envelope, --fail-on, and bad input."""

from __future__ import annotations

import json
import shutil

import pytest
from audit_site import FIXTURES

from cli import main
from cli.exit_codes import ExitCode


def _folder(tmp_path, pages):
    site = tmp_path / "site"
    (site / "img").mkdir(parents=True)
    shutil.copy(FIXTURES / "img" / "dot.svg", site / "img" / "dot.svg")
    for name in pages:
        shutil.copy(FIXTURES / name, site / name)
    return site


@pytest.mark.browser
def test_folder_json_audits_every_page_and_compares_titles(tmp_path, capsys, monkeypatch):
    site = _folder(tmp_path, ["skip_ok.html", "skip_missing.html", "title_ok.html"])
    (site / "notes.txt").write_text("not a page")
    monkeypatch.chdir(tmp_path)
    code = main(["audit", "page", "site", "--json", "--fail-on", "critical"])
    captured = capsys.readouterr()
    assert code == ExitCode.OK, captured.err
    doc = json.loads(captured.out)
    assert doc["kind"] == "audit.page" and doc["schema_version"]
    data = doc["data"]
    assert (data["fail_on"], data["violations_at_or_above_fail_on"]) == ("critical", 0)
    pages = data["pages"]
    assert [p["source"] for p in pages] == [
        "site/skip_missing.html",
        "site/skip_ok.html",
        "site/title_ok.html",
    ]
    assert all(p["url"].startswith("http://127.0.0.1:") and p["error"] is None for p in pages)
    # skip_ok and skip_missing share the title "건너뛰기 | 테스트": a KWCAG 2.4.2 violation on both.
    unique = [[f["outcome"] for f in p["findings"] if f["rule_id"] == "kwcag-title-unique"] for p in pages]
    assert unique == [["violation"], ["violation"], ["pass"]]
    assert [p["item_status"]["2.4.1"] for p in pages] == ["fail", "pass", "manual"]
    items = {it["id"]: it for it in data["summary"]["items"]}
    assert len(items) == 33 and items["2.4.1"]["status"] == "fail"
    assert items["2.4.1"]["pages"] == {"fail": 1, "pass": 1, "manual": 1}
    finding = pages[0]["findings"][0]
    assert {"rule_id", "source", "outcome", "impact", "kwcag", "wcag", "selector", "snippet"} <= set(finding)
    assert {"message_en", "message_ko", "help_url"} <= set(finding)


@pytest.mark.browser
def test_file_report_fail_on_and_english(capsys):
    code = main(
        ["audit", "page", str(FIXTURES / "alt.html"), "--fail-on", "serious", "--lang", "en", "--show", "2"]
    )
    captured = capsys.readouterr()
    assert code == ExitCode.FINDINGS
    assert "Results by KWCAG 2.2 item" in captured.out
    assert "1.1.1 Appropriate text alternatives — fail" in captured.out
    assert "more (--show, --json)" in captured.out
    assert "KWCAG violation(s) at or above 'serious' (--fail-on)." in captured.err


@pytest.mark.browser
def test_a_page_error_is_one_line_and_exit_3(site, capsys):
    url = site.url + "_/status/404"
    code = main(["audit", "page", url, "--json"])
    captured = capsys.readouterr()
    assert code == ExitCode.RUNTIME
    page = json.loads(captured.out)["data"]["pages"][0]
    assert (page["status"], page["error"]) == (404, "HTTP 404 Not Found")
    assert f"Error: {url}: HTTP 404 Not Found" in captured.err
    assert "Hint: Check the URL" in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["no-such-page.html"],
            ExitCode.RUNTIME,
            "'no-such-page.html' is neither a URL nor an existing file or folder.",
        ),
        (["http://"], ExitCode.USAGE, "'http://': invalid URL: no host name."),
        (["ftp://example.go.kr/x.html"], ExitCode.USAGE, "only http:// and https:// URLs can be audited"),
    ],
)
def test_bad_targets_fail_before_any_browser(args, code, message, capsys):
    assert main(["audit", "page", *args]) == code
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    assert captured.out == ""


def test_folders_without_pages_and_non_html_files(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4")
    assert main(["audit", "page", str(tmp_path / "empty")]) == ExitCode.RUNTIME
    assert "contains no .html files" in capsys.readouterr().err
    assert main(["audit", "page", str(tmp_path / "doc.pdf")]) == ExitCode.RUNTIME
    assert "is not an HTML file" in capsys.readouterr().err


def test_help_has_an_example():
    from typer.testing import CliRunner

    from cli import app

    result = CliRunner().invoke(app, ["audit", "page", "--help"])
    assert result.exit_code == 0
    assert "ddkit audit page https://www.example.go.kr/" in result.output

"""Every report, rendered and opened in the real Chromium: audited by ddkit's own engine (zero
violations, no KWCAG item failing), screenshotted at desktop and phone widths, attacked with hostile
content from an audited site, and driven by keyboard."""

from __future__ import annotations

import json

import pytest

from a11y_audit.engine import AuditOptions, audit_urls
from cli import main
from reports.build import render_training
from tests.reports.builders import XSS_SELECTOR, XSS_SNIPPET, XSS_TITLE, two_runs
from tests.reports.gap_fixture import gap_result
from tests.reports.training_fixture import training_data

pytestmark = pytest.mark.browser

#: Nothing but the loopback server is reachable from the browser.
NO_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
DESKTOP = ("audit-ko.html", "gap-en.html", "training-ko.html", "index.html")
MOBILE = ("audit-en.html", "gap-ko.html", "training-en.html")
WIDTHS = {"desktop": 1280, "mobile": 390}


@pytest.fixture(scope="module")
def site(tmp_path_factory, serve):
    """Every kind of report in both languages, written by the real commands, served on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("reports")
    db = f"sqlite:///{folder.parent / 'ddkit.db'}"
    _, second = two_runs(db)
    gap_file = folder.parent / "index-2025.json"
    gap_file.write_text(json.dumps(gap_result(2025)), encoding="utf-8")
    for lang in ("ko", "en"):
        assert (
            main(
                [
                    "report",
                    "audit",
                    str(second),
                    "--db",
                    db,
                    "--lang",
                    lang,
                    "--out",
                    str(folder / f"audit-{lang}.html"),
                ]
            )
            == 0
        )
        assert (
            main(["report", "gap", str(gap_file), "--lang", lang, "--out", str(folder / f"gap-{lang}.html")])
            == 0
        )
        render_training(training_data(), lang=lang, out=folder / f"training-{lang}.html")
    assert main(["report", "index", str(folder)]) == 0
    return folder, serve(folder)


@pytest.fixture(scope="module")
def engine_results(site):
    """ddkit's own audit of the reports, on a desktop and on a phone (Pixel 7) viewport."""
    _, base = site
    results = {}
    for device, names in (("desktop", DESKTOP), ("mobile", MOBILE)):
        options = AuditOptions(device=device, launch_args=(NO_NETWORK,), timeout_ms=15_000)
        for name, result in zip(names, audit_urls([f"{base}/{n}" for n in names], options), strict=True):
            results[(device, name)] = result
    return results


@pytest.mark.parametrize(
    ("device", "name"), [("desktop", n) for n in DESKTOP] + [("mobile", n) for n in MOBILE]
)
def test_ddkit_finds_no_violation_and_no_failing_kwcag_item(engine_results, device, name):
    result = engine_results[(device, name)]
    assert result.error is None
    assert result.axe_version
    violations = [(f.rule_id, f.impact, f.selector) for f in result.findings if f.outcome == "violation"]
    assert violations == []
    assert {k: v for k, v in result.item_status.items() if v == "fail"} == {}
    # The automatic items are decided, and decided as passing.
    for item in ("1.4.3", "2.4.1", "3.1.1", "4.1.1"):
        assert result.item_status[item] == "pass", item


@pytest.fixture
def page_at(browser):
    contexts = []

    def open_page(url: str, width: int, **options):
        context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url)
        return page, requests

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("name", ["audit-ko.html", "gap-ko.html", "training-en.html", "index.html"])
def test_screenshots_at_desktop_and_phone_width_and_no_network(site, page_at, tmp_path, name):
    _, base = site
    for device, width in WIDTHS.items():
        page, requests = page_at(f"{base}/{name}", width)
        # One request: the report itself. Charts and screenshots are data: URIs, CSS is inline.
        assert [r for r in requests if not r.startswith("data:")] == [f"{base}/{name}"]
        # Nothing wider than the viewport (no horizontal scrolling on a phone).
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot = tmp_path / f"{name}-{device}.png"
        page.screenshot(path=str(shot), full_page=True)
        data = shot.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000


def test_hostile_page_content_executes_nothing_and_shows_as_text(site, page_at):
    _, base = site
    dialogs = []
    # bypass_csp: the report's Content-Security-Policy would stop scripts anyway; this proves escaping.
    page, _ = page_at(f"{base}/audit-ko.html", 1280, bypass_csp=True)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.reload()
    for details in page.locator("article details").all():
        details.locator("summary").click()
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.evaluate("window.__xss") is None
    assert page.locator("#injected-sel").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("script").count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0
    # The hostile strings are visible, as text.
    assert page.locator("#page-1").inner_text() == XSS_TITLE
    codes = page.locator("article pre code").all_inner_texts()
    assert XSS_SNIPPET in codes
    assert XSS_SELECTOR in page.locator("article").first.inner_text()


def test_keyboard_skip_link_and_disclosures(site, page_at):
    _, base = site
    page, _ = page_at(f"{base}/audit-ko.html", 1280)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "본문 바로가기"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert page.evaluate("document.activeElement.id") == "main"
    # A disclosure opens and closes with Enter and Space.
    summary = page.locator("article details summary").first
    summary.focus()
    details = summary.locator("xpath=..")
    assert details.evaluate("d => d.open") is False
    page.keyboard.press("Enter")
    assert details.evaluate("d => d.open") is True
    page.keyboard.press("Space")
    assert details.evaluate("d => d.open") is False


def test_print_shows_disclosure_content_and_hides_navigation(site, page_at):
    _, base = site
    page, _ = page_at(f"{base}/audit-en.html", 1280)
    inside = page.locator("article details pre").first
    assert not inside.is_visible()
    page.emulate_media(media="print")
    assert inside.is_visible()
    assert not page.locator("nav.toc").is_visible()
    assert not page.locator(".skip-link").is_visible()

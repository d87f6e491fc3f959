"""Fixtures for the sample-site tests: the site served on 127.0.0.1 and one shared Chromium."""

from __future__ import annotations

import pytest

from a11y_audit.samples import serve_sample_site

#: The axe-core run the engine makes: WCAG 2.x A/AA and best-practice tags, plus the rules KWCAG needs
#: that axe leaves off by default.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "rules": {
        rule: {"enabled": True}
        for rule in (
            "duplicate-id",
            "duplicate-id-active",
            "target-size",
            "label-content-name-mismatch",
            "table-fake-caption",
            "td-has-header",
            "p-as-heading",
        )
    },
}


@pytest.fixture(scope="session")
def sample_site():
    with serve_sample_site() as server:
        yield server


@pytest.fixture(scope="module")  # sync Playwright holds an event loop: never past its module
def chromium():
    from playwright.sync_api import sync_playwright

    from a11y_audit.browser import LAUNCH_ARGS, find_chromium

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")  # sync Playwright holds an event loop: never past its module
def browser_page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def run_axe(browser_page):
    """``run_axe(url)``: load the page and run axe-core on it with the engine's rule set."""
    from a11y_audit.axe import load_axe

    script = load_axe().script

    def run(url: str) -> dict:
        browser_page.goto(url, wait_until="load")
        browser_page.evaluate(script)
        return browser_page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)

    return run

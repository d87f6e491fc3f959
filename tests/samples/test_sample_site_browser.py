"""The sample site in the real Chromium: axe-core finds exactly the planted barriers, the twins are clean."""

from __future__ import annotations

import asyncio
import concurrent.futures

import pytest

from a11y_audit.rules import load_registry
from a11y_audit.samples import govsite_root, load_barriers, serve_sample_site, twin_pages
from a11y_audit.samples.matching import covers, page_doc

pytestmark = pytest.mark.browser

ROOT = govsite_root()
BARRIERS = load_barriers()
MAIN_HTML = sorted(
    str(p.relative_to(ROOT))
    for p in ROOT.rglob("*.html")
    if not str(p.relative_to(ROOT)).startswith("fixed/")
)
FIXED_HTML = twin_pages()
REGISTRY = load_registry()
AXE_RULES = REGISTRY.axe_rules


class AxeNode:
    """One node of an axe-core result, shaped like a finding."""

    def __init__(self, rule_id: str, outcome: str, target: list) -> None:
        item = REGISTRY.item_for_rule(rule_id)
        self.rule_id = rule_id
        self.outcome = outcome
        self.kwcag = [item.id] if item else []
        self.selector = " >>> ".join(target) if all(isinstance(t, str) for t in target) else None


def nodes(result: dict, bucket: str, outcome: str) -> list[AxeNode]:
    return [AxeNode(rule["id"], outcome, node["target"]) for rule in result[bucket] for node in rule["nodes"]]


@pytest.mark.parametrize("path", FIXED_HTML)
def test_fixed_twins_have_no_axe_violation(sample_site, run_axe, path):
    result = run_axe(sample_site.url(path))
    assert [(r["id"], r["impact"], [n["target"] for n in r["nodes"]]) for r in result["violations"]] == []
    assert len(result["passes"]) >= 20  # axe really ran on a full page


@pytest.mark.parametrize("path", MAIN_HTML)
def test_axe_finds_exactly_the_planted_barriers(sample_site, run_axe, browser_page, path):
    result = run_axe(sample_site.url(path))
    on_page = [b for b in BARRIERS if b.page == path]
    doc = page_doc(path)
    problems = []
    # In the rendered DOM too, each barrier selector matches exactly one element.
    for b in on_page:
        count = browser_page.evaluate("s => document.querySelectorAll(s).length", b.element)
        if count != 1:
            problems.append(f"{b.id}: {b.element} matches {count} elements in the browser")
    # Every violation is planted: on a barrier's item and element, by a rule the barrier lists.
    for node in nodes(result, "violations", "violation"):
        if not any(node.rule_id in b.rules and covers(doc, b, node) for b in on_page):
            problems.append(f"unplanned {node.rule_id} at {node.selector}")
    # Every axe-core rule a barrier lists reports it (as a violation or as needs review).
    reported = nodes(result, "violations", "violation") + nodes(result, "incomplete", "incomplete")
    for b in on_page:
        for rule in (r for r in b.rules if r in AXE_RULES):
            if not any(n.rule_id == rule and covers(doc, b, n) for n in reported):
                problems.append(f"{b.id}: axe-core rule {rule} does not report {b.element}")
    assert problems == []


CONTROL_SIZES = """() => {
  const CONTROLS = 'a[href], button, input:not([type=hidden]), select, textarea';
  const small = [];
  for (const el of document.querySelectorAll(CONTROLS)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;                // not rendered
    if (r.bottom <= 0 || r.right <= 0) continue;                  // a skip link parked off screen
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    if (el.localName === 'a' && style.display === 'inline') {
      const own = el.textContent.trim().length;
      const all = el.parentElement.textContent.trim().length;
      if (all - own >= 10) continue;                              // a link inside a sentence
    }
    if (r.width < 17 || r.height < 17) small.push(`${el.outerHTML.slice(0, 80)} ${r.width}x${r.height}`);
  }
  return small;
}"""


@pytest.mark.parametrize("path", FIXED_HTML)
def test_fixed_twins_controls_are_17px_and_the_skip_link_works(sample_site, browser_page, path):
    page = browser_page
    page.goto(sample_site.url(path), wait_until="load")
    assert page.evaluate(CONTROL_SIZES) == []
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "본문 바로가기"
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0  # visible when focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main#contents')")


def test_the_page_audit_reports_no_violation_on_the_twins(sample_site):
    from a11y_audit.engine import AuditOptions, Browser

    async def audit_all() -> dict:
        async with await Browser.launch(AuditOptions()) as browser:
            worker = await browser.worker()
            return {path: await worker.audit(sample_site.url(path)) for path in FIXED_HTML}

    # The sync Playwright of the other tests owns this thread's event loop: run the engine beside it.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        results = pool.submit(asyncio.run, audit_all()).result()
    assert {path: r.error for path, r in results.items() if r.error} == {}
    violations = {
        path: [(f.rule_id, f.kwcag, f.selector) for f in r.findings if f.outcome == "violation"]
        for path, r in results.items()
    }
    assert violations == {path: [] for path in FIXED_HTML}
    assert all("fail" not in r.item_status.values() for r in results.values())


def test_serve_sample_site_is_reachable_from_chromium(browser_page):
    with serve_sample_site() as site:
        browser_page.goto(site.url("en/index.html"))
        assert browser_page.title() == "Ministry of Digital Inclusion (English)"
        assert browser_page.evaluate("document.documentElement.lang") == "en"

"""Hand-made report inputs, including hostile content from an "audited site"."""

from __future__ import annotations

from a11y_audit.crawl.frontier import Decision, url_hash, url_key
from a11y_audit.models import Finding, PageResult
from a11y_audit.rules import load_registry
from a11y_audit.store import AuditStore

REGISTRY = load_registry()
SITE = "https://www.example.go.kr/"

#: What a hostile page can put in its title and in an element's markup.
XSS_TITLE = "<script>window.__xss='title';alert('title')</script>"
XSS_SNIPPET = "</textarea><img src=x onerror=\"window.__xss='snippet';alert('snippet')\">"
XSS_SELECTOR = "a[href=\"javascript:alert('sel')\"] > </code><b id=injected-sel>sel</b>"
XSS_URL = "javascript:alert('url')"


def finding(rule: str, outcome: str, item: str, selector: str, snippet: str, impact: str | None = "serious"):
    return Finding(
        rule,
        "axe",
        outcome,
        impact if outcome == "violation" else None,
        [item],
        [item],
        selector,
        snippet,
        f"{rule}: message",
        f"{rule}: 메시지",
        f"https://dequeuniversity.com/rules/axe/4.12/{rule}",
    )


def page(url: str, findings: list[Finding], title: str, **status: str) -> PageResult:
    item_status = {it.id: ("manual" if it.automation == "manual" else "pass") for it in REGISTRY.items}
    item_status.update({k.replace("_", "."): v for k, v in status.items()})
    return PageResult(
        url=url,
        final_url=url,
        status=200,
        title=title,
        lang="ko",
        findings=findings,
        item_status=item_status,
        axe_version="4.12.1",
    )


def add_run(store: AuditStore, results: list[PageResult], seed: str = SITE) -> int:
    run = store.create_run([seed], {"tags": ["wcag2a", "wcag2aa"]}, "0.1.0")
    decisions = [Decision(r.url, url_key(r.url), url_hash(url_key(r.url)), 0) for r in results]
    store.add_decisions(run, decisions)
    queued = {q.url: q for q in store.queued(run)}
    for r in results:
        store.record_page(run, queued[r.url], r)
    store.finish_run(run, "finished", axe_version="4.12.1")
    return run


def two_runs(db_url: str) -> tuple[int, int]:
    """Run 1 then run 2 of the same site: 1.1.1 fixed, a new 3.3.2 failure on a hostile page.

    Run 2 scoring, worked out: two pages; 1.1.1 is content-based with 0 contents → not applicable;
    3.3.2 has one failing content on 2 pages → max(2, 1) = 2 units, 1 compliant → 50.0 (lower = upper);
    1.4.3 passes on both pages; every other automatic item passes on both pages → 100.
    """
    store = AuditStore(db_url)
    try:
        first = add_run(
            store,
            [
                page(
                    SITE,
                    [finding("image-alt", "violation", "1.1.1", "img.logo", "<img src=logo.png>")],
                    "홈",
                    **{"1_1_1": "fail"},
                ),
                page(
                    SITE + "notice",
                    [finding("color-contrast", "incomplete", "1.4.3", "p.c", "<p class=c>x</p>")],
                    "공지",
                    **{"1_4_3": "review"},
                ),
            ],
        )
        second = add_run(
            store,
            [
                page(
                    SITE,
                    [finding("label", "violation", "3.3.2", XSS_SELECTOR, XSS_SNIPPET, "critical")],
                    XSS_TITLE,
                    **{"3_3_2": "fail"},
                ),
                page(SITE + "notice", [], "공지사항"),
            ],
        )
    finally:
        store.close()
    return first, second

"""`audit_site` with the real engine in the real Chromium, against sites served on 127.0.0.1:
no state leaks between pages of a warm worker, and bad input never stops a run or leaves scope."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from site_server import LocalSite, page, serve

from a11y_audit.crawl.frontier import CrawlLimits
from a11y_audit.crawl.politeness import Politeness
from a11y_audit.site import SiteAuditConfig, audit_site
from a11y_audit.store import AuditStore

pytestmark = pytest.mark.browser

#: Every host name resolves to nothing except 127.0.0.1; a small V8 heap makes a memory hog crash fast.
LAUNCH = ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--js-flags=--max-old-space-size=128")
FAST = Politeness(delay_s=0, jitter=0, backoff_s=0.05)


def cfg(*seeds: str, **kw) -> SiteAuditConfig:
    kw.setdefault("politeness", FAST)
    return SiteAuditConfig(seeds=seeds, launch_args=LAUNCH, timeout_ms=8000, **kw)


@pytest.fixture
def other_site() -> Iterator[LocalSite]:
    yield from serve(LocalSite())


def _violations(store: AuditStore, run_id: int, url: str) -> tuple[set, dict]:
    for result in store.page_results(run_id):
        if result.url == url:
            found = {
                (f.rule_id, f.selector) for f in result.findings if f.outcome in ("violation", "incomplete")
            }
            return found, result.item_status
    raise AssertionError(f"{url} not stored")


LEAKY = """
<main><h1>Leaky</h1><label for="q">검색</label><input id="q" autofocus>
<iframe title="other origin" src="{other}/set-cookie"></iframe></main>
<script>
document.cookie = "seen=1; path=/";
localStorage.setItem("seen", "1");
sessionStorage.setItem("seen", "1");
if (navigator.serviceWorker) navigator.serviceWorker.register("/sw.js").catch(() => {{}});
window.addEventListener("beforeunload", (e) => {{ e.preventDefault(); e.returnValue = ""; }});
setTimeout(() => alert("leaky says hi"), 20);
window.open("/popup");
document.getElementById("q").focus();
</script>"""

VICTIM = """
<main><h1>Victim</h1><p id="state">clean</p></main>
<script>
if (document.cookie || localStorage.getItem("seen") || sessionStorage.getItem("seen")) {
  document.querySelector("main").insertAdjacentHTML("beforeend", '<img src="/x.png"><input type="text">');
}
</script>"""

SERVICE_WORKER = b"""
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (e) => {
  if (new URL(e.request.url).pathname === "/victim")
    e.respondWith(new Response("<html><body><img src=/y.png><input></body></html>",
                               {headers: {"Content-Type": "text/html"}}));
});"""


def test_no_state_leaks_from_one_page_into_the_next_audit(local_site, other_site, tmp_path):
    other_site.routes["/set-cookie"] = (
        200,
        {"Content-Type": "text/html", "Set-Cookie": "other=1; Path=/"},
        b"<!doctype html><title>x</title><p>cookie from another origin",
    )
    s = local_site

    def victim(n):
        cookie = [h for p, h in s.headers if p == "/victim"][-1].get("cookie", "")
        body = VICTIM + ('<img src="/cookie.png">' if cookie else "")
        return page(body, "피해자")

    s.routes["/"] = page(
        '<main><h1>홈</h1><a href="/leaky">leaky</a> <a href="/victim">victim</a></main>', "홈"
    )
    s.routes["/leaky"] = page(LEAKY.format(other=other_site.base), "누수")
    s.routes["/victim"] = victim
    s.routes["/sw.js"] = (200, {"Content-Type": "text/javascript"}, SERVICE_WORKER)
    s.routes["/popup"] = page("<p>popup</p>", "팝업")
    db = f"sqlite:///{tmp_path / 'leak.db'}"
    crawl = audit_site(cfg(s.url("/"), concurrency=1), db)
    assert crawl.summary.pages == 3 and crawl.summary.errors == 0
    solo = audit_site(cfg(s.url("/victim"), limits=CrawlLimits(max_depth=0)), db)
    store = AuditStore(db)
    after_leaky, status_after = _violations(store, crawl.run_id, s.url("/victim"))
    alone, status_alone = _violations(store, solo.run_id, s.url("/victim"))
    assert after_leaky == alone
    assert status_after == status_alone
    assert not any(rule == "image-alt" for rule, _ in after_leaky)  # nothing injected by leftover state
    victim_requests = [h for p, h in s.headers if p == "/victim"]
    assert len(victim_requests) == 2  # served by the site both times, never by the service worker
    assert all("cookie" not in h for h in victim_requests)  # no cookie of /leaky or of the other origin
    assert other_site.count("/set-cookie") == 1


def test_bad_pages_are_recorded_and_the_crawler_never_leaves_scope(local_site, other_site, tmp_path):
    s = local_site
    s.routes["/"] = page(
        '<main><h1>홈</h1><a href="/away">away</a> <a href="/crash">crash</a> <a href="/gone">gone</a>'
        ' <a href="/cal?m=0">calendar</a> <a href="/report.pdf">pdf</a>'
        f' <a href="{other_site.url("/direct")}">elsewhere</a></main>',
        "홈",
    )
    s.routes["/away"] = (302, {"Location": other_site.url("/")}, b"")
    s.routes["/crash"] = page(
        "<p>x</p><script>const h = []; while (true) h.push(new Array(1e6).fill(1));</script>"
    )
    s.routes["/sitemap.xml"] = page("<p>This is the home page, not a sitemap</p>")

    def calendar(path: str, n: int):
        if not path.startswith("/cal?m="):
            return None
        m = int(path.split("=")[1])
        links = "".join(f'<a href="/cal?m={m + k}">{m + k}</a> ' for k in (1, 2, 3))
        return page(f"<main><h1>{m}월</h1>{links}</main>", f"달력 {m}")

    s.fallback = calendar
    other_site.routes["/"] = page('<a href="/inner">inner</a>', "다른 사이트")
    db = f"sqlite:///{tmp_path / 'bad.db'}"
    limits = CrawlLimits(max_query_variants=4, max_depth=20)
    result = audit_site(cfg(s.url("/"), sitemaps=(s.url("/sitemap.xml"),), limits=limits), db)
    summary = result.summary
    assert result.status == "finished"
    store = AuditStore(db)
    pages = {p.url: p for p in store.pages(result.run_id)}
    assert pages[s.url("/away")].error_kind == "out_of_scope"
    assert pages[s.url("/crash")].error_kind == "crash"
    assert pages[s.url("/gone")].error_kind == "http" and pages[s.url("/gone")].status == 404
    calendar_pages = sorted(u for u in pages if "/cal?" in u)
    assert len(calendar_pages) == 4  # the endless calendar is cut at --max-query-variants
    assert summary.skipped["trap_query"] >= 1
    assert summary.skipped["non_html"] == 1 and summary.skipped["out_of_scope"] == 1
    assert summary.error_kinds == {"out_of_scope": 1, "crash": 1, "http": 1}
    [sitemap_error] = summary.run_errors
    assert sitemap_error["kind"] == "sitemap" and sitemap_error["message"].startswith("an HTML page, not XML")
    # Never left the site: every stored or queued URL is on it, and nothing linked from the other
    # site was fetched (the browser followed the one redirect, nothing more).
    assert all(u.startswith(s.base) for u, _ in store.queue_decisions(result.run_id) if _ is None)
    assert other_site.count("/") == 1 and other_site.count("/inner") == 0
    assert pages[s.url("/")].error is None and pages[s.url("/cal?m=0")].error is None


def test_site_answering_500_everywhere(local_site, tmp_path):
    local_site.fallback = lambda path, n: page("<p>서버 오류</p>", "오류", status=500)
    db = f"sqlite:///{tmp_path / '500.db'}"
    polite = audit_site(cfg(local_site.url("/")), db)
    [start] = AuditStore(db).pages(polite.run_id)
    assert start.error_kind == "robots" and "robots.txt unreachable (HTTP 500)" in start.error
    assert local_site.count("/") == 0  # robots.txt failed: RFC 9309 says disallow everything
    assert polite.summary.run_errors[0]["kind"] == "robots"
    forced = audit_site(cfg(local_site.url("/"), ignore_robots=True), db)
    [start] = AuditStore(db).pages(forced.run_id)
    assert (start.status, start.error_kind, start.error) == (500, "http", "HTTP 500 Internal Server Error")
    assert local_site.count("/") == 3  # the first request and 2 bounded retries
    assert forced.status == "finished"


def test_robots_txt_that_disallows_everything(local_site, tmp_path):
    local_site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /\n")
    local_site.routes["/"] = page('<a href="/a">a</a>')
    db = f"sqlite:///{tmp_path / 'robots.db'}"
    result = audit_site(cfg(local_site.url("/"), sitemaps=(local_site.url("/sitemap.xml"),)), db)
    [start] = AuditStore(db).pages(result.run_id)
    assert (start.error_kind, start.error) == ("robots", "not fetched: disallowed by robots.txt")
    assert result.status == "finished" and result.summary.errors == 1
    assert local_site.hits == ["/robots.txt", "/sitemap.xml"]  # the pages themselves were never requested

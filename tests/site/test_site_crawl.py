"""The site crawl, store and resume logic, driven by a plain-HTTP stand-in for the browser engine."""

from __future__ import annotations

import time

import pytest
from site_server import page
from standin import StandInBrowser, factory

from a11y_audit.crawl.frontier import CrawlLimits
from a11y_audit.crawl.politeness import Politeness
from a11y_audit.errors import AuditError, AuditUsageError
from a11y_audit.site import SiteAuditConfig, audit_site
from a11y_audit.store import AuditStore

FAST = Politeness(delay_s=0, jitter=0, backoff_s=0.05)


def config(site, **kw) -> SiteAuditConfig:
    kw.setdefault("politeness", FAST)
    return SiteAuditConfig(seeds=(site.url("/"),), **kw)


def small_site(site):
    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private\n")
    site.routes["/"] = page(
        '<a href="/a">A</a><a href="/b/">B</a><a href="/b">B again</a><a href="/a#top">A again</a>'
        '<a href="http://other.invalid/">elsewhere</a><a href="/file.pdf">PDF</a>'
        '<a href="/private/x">private</a><a href="/gone">gone</a><a href="/c?sessionid=9&amp;x=1">C</a>',
        "홈",
    )
    site.routes["/a"] = page('<img src="/i.png"><a href="/">home</a><a href="/a/deeper">deeper</a>', "A")
    site.routes["/b/"] = page('<a href="/">home</a>', "B")
    site.routes["/a/deeper"] = page("<p>deep</p>", "D")
    site.routes["/c?x=1"] = page("<p>c</p>", "C")


def test_crawl_stores_each_page_once_and_counts_every_skip(local_site, tmp_path):
    small_site(local_site)
    browser = StandInBrowser()
    db = f"sqlite:///{tmp_path / 'a.db'}"
    result = audit_site(config(local_site), db, browser_factory=factory(browser))
    assert result.status == "finished"
    s = result.summary
    expected = {local_site.url(p) for p in ("/", "/a", "/b/", "/gone", "/c?x=1", "/a/deeper")}
    store = AuditStore(db)
    pages = store.pages(result.run_id)
    assert {p.url for p in pages} == expected
    assert sorted(browser.audits) == sorted(expected)  # each fetched once: no duplicate audits
    assert [p.depth for p in pages] == [0, 1, 1, 1, 1, 2]
    assert s.pages == 6 and s.errors == 1 and s.error_kinds == {"http": 1}
    assert s.skipped == {"non_html": 1, "out_of_scope": 1, "robots": 1}
    assert s.violations == 1 and s.item_fail_pages == {"1.1.1": 1}
    assert s.queued == 0 and s.status == "finished"


def test_retry_honours_retry_after_then_succeeds(local_site, tmp_path):
    local_site.routes["/"] = lambda n: (
        page("busy", status=503, headers={"Retry-After": "1"}) if n == 0 else page("ok")
    )
    t0 = time.monotonic()
    result = audit_site(
        config(local_site), f"sqlite:///{tmp_path / 'r.db'}", browser_factory=factory(StandInBrowser())
    )
    assert time.monotonic() - t0 >= 1.0
    assert local_site.count("/") == 2
    assert result.summary.errors == 0


def test_500_everywhere_is_retried_a_bounded_number_of_times_then_recorded(local_site, tmp_path):
    local_site.fallback = lambda path, n: page("down", status=500)
    result = audit_site(
        config(local_site, ignore_robots=True),
        f"sqlite:///{tmp_path / 'e.db'}",
        browser_factory=factory(StandInBrowser()),
    )
    assert result.status == "finished"
    assert local_site.count("/") == 3  # 1 + 2 retries
    assert result.summary.pages == 1 and result.summary.error_kinds == {"http": 1}
    assert "/robots.txt" not in local_site.hits  # --ignore-robots: never asked


def test_redirect_to_a_known_page_is_not_audited_twice(local_site, tmp_path):
    local_site.routes["/"] = page('<a href="/old">old</a><a href="/new">new</a>')
    local_site.routes["/old"] = (301, {"Location": "/new"}, b"")
    local_site.routes["/new"] = page('<a href="/">home</a>')
    browser = StandInBrowser()
    db = f"sqlite:///{tmp_path / 'd.db'}"
    result = audit_site(config(local_site, concurrency=1), db, browser_factory=factory(browser))
    pages = {p.url: p for p in AuditStore(db).pages(result.run_id)}
    # /old was audited first and landed on /new, so /new's own queue entry became an alias
    assert set(pages) == {local_site.url("/"), local_site.url("/old")}
    assert pages[local_site.url("/old")].final_url == local_site.url("/new")
    assert result.summary.skipped == {"alias": 1}
    assert local_site.count("/new") == 1


def test_failed_browser_keeps_stored_pages_and_resume_finishes_exactly_once(local_site, tmp_path):
    local_site.fallback = lambda path, n: (
        page("".join(f'<a href="/p{i}">{i}</a>' for i in range(12)))
        if path.startswith("/p") or path == "/"
        else None
    )
    db = f"sqlite:///{tmp_path / 'k.db'}"
    with pytest.raises(AuditError, match="stand-in browser is gone"):
        audit_site(
            config(local_site, concurrency=2), db, browser_factory=factory(StandInBrowser(fail_after=5))
        )
    store = AuditStore(db)
    run_id = store.list_runs()[0].id
    first = store.summary(run_id)
    assert first.status == "failed" and 3 <= first.pages <= 5 and first.queued == 13 - first.pages
    browser = StandInBrowser()
    result = audit_site(None, db, resume=run_id, browser_factory=factory(browser))
    assert result.status == "finished" and result.summary.pages == 13
    urls = [p.url for p in store.pages(run_id)]
    assert len(urls) == len(set(urls)) == 13
    assert len(browser.audits) == 13 - first.pages  # only what was missing
    again = audit_site(None, db, resume=run_id, browser_factory=factory(StandInBrowser()))
    assert again.pages_this_session == 0 and again.summary.pages == 13


def test_unknown_run_and_empty_config_are_usage_errors(tmp_path):
    db = f"sqlite:///{tmp_path / 'u.db'}"
    with pytest.raises(AuditUsageError, match="There is no audit run 7"):
        audit_site(None, db, resume=7)
    with pytest.raises(AuditUsageError, match="Nothing to audit"):
        SiteAuditConfig()
    with pytest.raises(AuditUsageError, match="not an http"):
        SiteAuditConfig(seeds=("www.x.go.kr",))


def test_config_round_trips_through_the_stored_run():
    cfg = SiteAuditConfig(
        seeds=("https://x.go.kr/",),
        limits=CrawlLimits(max_pages=7, exclude=("/eng/",)),
        politeness=Politeness(delay_s=2),
        tags=("wcag2a",),
    )
    assert SiteAuditConfig.from_dict(cfg.to_dict()) == cfg


def test_sitemap_only_run_keeps_its_scope_across_resume(local_site, tmp_path):
    urls = [local_site.url(f"/s{i}") for i in range(4)] + ["http://other.invalid/x"]
    local_site.routes["/sitemap.xml"] = (
        200,
        {"Content-Type": "application/xml"},
        (
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>{u}</loc></url>" for u in urls)
            + "</urlset>"
        ).encode(),
    )
    local_site.fallback = lambda path, n: (
        page(f'<a href="/s{int(path[2:]) + 10}">next</a>') if path.startswith("/s") else None
    )
    db = f"sqlite:///{tmp_path / 's.db'}"
    cfg = SiteAuditConfig(sitemaps=(local_site.url("/sitemap.xml"),), politeness=FAST, concurrency=1)
    with pytest.raises(AuditError):
        audit_site(cfg, db, browser_factory=factory(StandInBrowser(fail_after=2)))
    result = audit_site(None, db, resume=1, browser_factory=factory(StandInBrowser()))
    pages = sorted(p.url for p in AuditStore(db).pages(1))
    # 4 chains /sN -> /sN+10 -> ..., from depth 0 (the sitemap) to --max-depth 5, all on the sitemap's site
    assert len(pages) == 4 * 6 and all(p.startswith(local_site.base) for p in pages)
    assert result.summary.skipped == {"max_depth": 4, "out_of_scope": 1}

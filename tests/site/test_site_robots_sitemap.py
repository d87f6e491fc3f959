"""robots.txt, sitemaps and retry timing against a server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import random
import time

import httpx
from site_server import page

from a11y_audit.crawl.politeness import HostGate, Politeness, parse_retry_after
from a11y_audit.crawl.robots import RobotsCache
from a11y_audit.crawl.sitemap import read_sitemaps

XML = {"Content-Type": "application/xml"}


def _robots(site, **kw):
    async def go():
        async with httpx.AsyncClient() as client:
            cache = RobotsCache(client, Politeness(backoff_s=0.01), **kw)
            rules = await cache.ensure(site.url("/"))
            return cache, rules

    return asyncio.run(go())


def test_robots_rules_and_crawl_delay(local_site):
    local_site.routes["/robots.txt"] = (
        200,
        {"Content-Type": "text/plain"},
        b"User-agent: *\nDisallow: /private\nCrawl-delay: 2\n\nUser-agent: ddkit\nDisallow: /nobots\n",
    )
    cache, rules = _robots(local_site)
    assert cache.allows(local_site.url("/private/x")) is True  # a ddkit group exists: only it applies
    assert cache.allows(local_site.url("/nobots/x")) is False
    assert cache.allows(local_site.url("/")) is True
    assert rules.note == "HTTP 200"


def test_missing_robots_allows_everything_and_5xx_disallows_everything(local_site):
    cache, rules = _robots(local_site)  # 404 from the test server
    assert cache.allows(local_site.url("/anything")) and rules.note.startswith("HTTP 404")
    local_site.routes["/robots.txt"] = (503, {}, b"busy")
    local_site.hits.clear()
    cache, rules = _robots(local_site)
    assert not cache.allows(local_site.url("/"))
    assert "treated as disallowing everything (RFC 9309)" in rules.note
    assert local_site.count("/robots.txt") == 3  # first try + 2 bounded retries
    cache, rules = _robots(local_site, ignore=True)
    assert rules is None and cache.allows(local_site.url("/"))


def _sitemaps(sources, max_urls=100):
    async def go():
        async with httpx.AsyncClient() as client:
            return await read_sitemaps(sources, client, max_urls)

    return asyncio.run(go())


def test_sitemap_index_and_gzip(local_site):
    urlset = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{local_site.url(f'/p{i}')}</loc></url>" for i in range(3))
        + "</urlset>"
    ).encode()
    local_site.routes["/a.xml.gz"] = (200, {"Content-Type": "application/gzip"}, gzip.compress(urlset))
    local_site.routes["/b.xml"] = (
        200,
        XML,
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> {local_site.url("/q")} </loc></url></urlset>'.encode(),
    )
    local_site.routes["/index.xml"] = (
        200,
        XML,
        (
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{local_site.url('/a.xml.gz')}</loc></sitemap>"
            f"<sitemap><loc>{local_site.url('/b.xml')}</loc></sitemap></sitemapindex>"
        ).encode(),
    )
    got = _sitemaps([local_site.url("/index.xml")])
    assert got.urls == [local_site.url(p) for p in ("/p0", "/p1", "/p2", "/q")]
    assert got.errors == [] and got.files_read == 3
    capped = _sitemaps([local_site.url("/index.xml")], max_urls=2)
    assert len(capped.urls) == 2 and capped.truncated == 2


def test_sitemap_that_is_not_xml_is_an_error_not_a_crash(local_site, tmp_path):
    local_site.routes["/sitemap.xml"] = page("<p>Welcome</p><p>oops")
    local_site.routes["/broken.xml"] = (200, XML, b"<urlset><url><loc>x</loc></url>")
    local_file = tmp_path / "sitemap.xml"
    local_file.write_text("not xml at all", encoding="utf-8")
    got = _sitemaps(
        [
            local_site.url("/sitemap.xml"),
            local_site.url("/broken.xml"),
            local_site.url("/gone.xml"),
            str(local_file),
        ]
    )
    assert got.urls == []
    reasons = dict(got.errors)
    assert reasons[local_site.url("/sitemap.xml")] == "an HTML page, not XML (line 1, column 1: syntax error)"
    assert reasons[local_site.url("/broken.xml")] == "not XML (line 1, column 32: no element found)"
    assert reasons[local_site.url("/gone.xml")] == "HTTP 404"
    assert reasons[str(local_file)] == "not XML (line 1, column 1: syntax error)"


def test_retry_after_seconds_and_http_date():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert parse_retry_after("soon") is None
    p = Politeness(retries=2, backoff_s=1.0, max_retry_after_s=60)
    assert p.retry_wait(1, "3") == 3.0
    assert p.retry_wait(1, "120") is None  # longer than we are willing to wait: give up
    assert p.retry_wait(3, "1") is None  # retries used up
    rng = random.Random(1)
    assert 2.0 <= p.retry_wait(2, None, rng) <= 3.0  # backoff doubles, jitter up to +50 %


def test_host_gate_spaces_requests_and_limits_concurrency():
    gate = HostGate(Politeness(per_host=1, delay_s=0.1, jitter=0.0))
    starts: list[float] = []
    active = 0
    peak = 0

    async def one(url):
        nonlocal active, peak
        async with gate.slot(url):
            starts.append(time.monotonic())
            active += 1
            peak = max(peak, active)
            await asyncio.sleep(0.01)
            active -= 1

    async def go():
        await asyncio.gather(*(one(f"http://a.go.kr/{i}") for i in range(4)))

    asyncio.run(go())
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert peak == 1
    # 0.1 s between request starts; a loaded machine may record a start a little late, never early
    assert starts[-1] - starts[0] >= 0.3 and all(g >= 0.06 for g in gaps), gaps

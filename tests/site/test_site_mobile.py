"""``--device both`` site audits in the real Chromium: every URL on the desktop and on a phone, and a
separate mobile site (www. redirects phones to m.) followed as part of the site. Two servers on
127.0.0.1 stand for www.example.test and m.example.test; Chromium's host resolver maps both names to
127.0.0.1 and every other name to nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from a11y_audit.crawl.politeness import Politeness
from a11y_audit.scoring.runs import score_run, score_run_devices
from a11y_audit.site import SiteAuditConfig, audit_site
from a11y_audit.store import AuditStore

pytestmark = pytest.mark.browser

LAUNCH = (
    "--host-resolver-rules=MAP www.example.test 127.0.0.1, MAP m.example.test 127.0.0.1, "
    "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)
FAST = Politeness(delay_s=0, jitter=0, backoff_s=0.05)


def _html(title: str, body: str) -> bytes:
    return (
        '<!doctype html><html lang="ko"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head><body><main><h1>{title}</h1>{body}</main></body></html>"
    ).encode()


class _Server:
    """Pages by path; ``redirect_phones`` sends a mobile user agent to another origin."""

    def __init__(self, pages: dict[str, bytes], redirect_phones: str | None = None) -> None:
        self.pages, self.redirect_phones, self.hits = pages, redirect_phones, []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                ua = self.headers.get("User-Agent", "")
                server.hits.append((self.path, "Mobile" in ua))
                if server.redirect_phones and "Mobile" in ua and self.path in server.pages:
                    self.send_response(302)
                    self.send_header("Location", server.redirect_phones + self.path)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = server.pages.get(self.path)
                self.send_response(200 if body else 404)
                body = body or b"not found"
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def two_hosts() -> Iterator[tuple[str, str]]:
    mobile = _Server(
        {
            "/": _html("모바일 홈", '<a href="/news">소식</a> <a href="/a">안내</a>'),
            "/a": _html("모바일 안내", '<a href="/">홈</a>'),
            "/news": _html("모바일 소식", '<a href="/">홈</a>'),
        }
    )
    m = f"http://m.example.test:{mobile.port}"
    www = _Server(
        {
            "/": _html("홈", '<a href="/a">안내</a>'),
            "/a": _html("안내", '<a href="/">홈</a>'),
        },
        redirect_phones=m,
    )
    yield f"http://www.example.test:{www.port}", m
    www.stop()
    mobile.stop()


def test_both_devices_with_a_separate_mobile_site(two_hosts, tmp_path):
    www, m = two_hosts
    db = f"sqlite:///{tmp_path / 'm.db'}"
    cfg = SiteAuditConfig(
        seeds=(www + "/",),
        device="both",
        politeness=FAST,
        launch_args=LAUNCH,
        timeout_ms=8000,
        ignore_robots=True,  # robots.txt is fetched outside the browser, where these names do not resolve
        concurrency=1,
        screenshots=False,
        crops=0,
    )
    result = audit_site(cfg, db)
    assert result.status == "finished"
    store = AuditStore(db)
    pages = store.page_results(result.run_id)
    got = sorted((r.device, r.url, r.final_url, r.error) for r in pages)
    assert got == [
        ("desktop", www + "/", www + "/", None),
        ("desktop", www + "/a", www + "/a", None),
        ("mobile", m + "/news", m + "/news", None),  # a page of the mobile site: on the phone only
        ("mobile", www + "/", m + "/", None),
        ("mobile", www + "/a", m + "/a", None),
    ]
    assert not [
        f for r in pages if r.device == "desktop" for f in r.findings if f.rule_id.startswith("mobile-")
    ]
    assert any(f.rule_id == "mobile-reflow" for r in pages if r.device == "mobile" for f in r.findings)
    summary = store.summary(result.run_id)
    assert summary.devices == {"desktop": 2, "mobile": 3}
    assert [s["host"] for s in summary.mobile_sites] == [m.removeprefix("http://")]
    assert "separate mobile site" in summary.mobile_sites[0]["message"]
    assert summary.run_errors == []
    assert summary.queued == 0
    scores = score_run_devices(store, result.run_id)
    assert [(s.device, s.pages_scored) for s in scores] == [("desktop", 2), ("mobile", 3)]
    headline = score_run(store, result.run_id)  # never a mix of devices: the first one, desktop
    assert (headline.device, headline.pages_scored) == ("desktop", 2)
    store.close()


def test_a_desktop_audit_does_not_follow_the_mobile_site(two_hosts, tmp_path):
    www, m = two_hosts
    db = f"sqlite:///{tmp_path / 'd.db'}"
    cfg = SiteAuditConfig(
        seeds=(www + "/",),
        device="mobile",
        mobile_profile="iphone",
        politeness=FAST,
        launch_args=LAUNCH,
        timeout_ms=8000,
        ignore_robots=True,
        concurrency=1,
        screenshots=False,
        crops=0,
    )
    phone = audit_site(cfg, db)
    store = AuditStore(db)
    assert {r.device for r in store.page_results(phone.run_id)} == {"mobile"}
    assert len(phone.summary.mobile_sites) == 1
    desktop = audit_site(SiteAuditConfig(**{**cfg.__dict__, "device": "desktop"}), db)
    results = store.page_results(desktop.run_id)
    assert sorted(r.url for r in results) == [www + "/", www + "/a"]
    assert desktop.summary.mobile_sites == []
    store.close()

"""Bad input never hangs and never raises: each case gives a one-line page error (or an audited page
with a note), and the same worker goes on to audit the next page cleanly."""

from __future__ import annotations

import socket
import time

import pytest

pytestmark = pytest.mark.browser


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("target", "status", "error"),
    [
        ("/_/status/404", 404, "HTTP 404 Not Found"),
        ("/_/status/410", 410, "HTTP 410 Gone"),
        ("/_/status/500", 500, "HTTP 500 Internal Server Error"),
        ("/_/status/503", 503, "HTTP 503 Service Unavailable"),
        ("/_/doc.pdf", 200, "not an HTML page (content type application/pdf)"),
        ("/_/img.png", 200, "not an HTML page (content type image/png)"),
        ("/_/tone.wav", 200, "not an HTML page (content type audio/wav)"),
        ("/_/redirect-loop", 302, "redirect loop: too many HTTP redirects"),
        ("/_/big", 200, "page too large: 20.0 MB of HTML (the limit is 10 MB)"),
        ("http://no-such-host.invalid/", None, "DNS lookup failed: host 'no-such-host.invalid' not found"),
        ("htp:/missing-slash", None, "invalid URL: only http:// and https:// URLs can be audited"),
        ("http:///no-host", None, "invalid URL: no host name"),
        ("http://127.0.0.1:99999/", None, "invalid URL: bad port number"),
    ],
)
def test_page_errors_are_one_line(audit, target, status, error):
    result = audit(target)
    assert result.error == error
    assert result.status == status
    assert result.findings == [] and result.item_status == {}
    assert "\n" not in result.error


def test_download_is_a_page_error(audit):
    result = audit("/_/download")
    assert result.error == "the URL starts a file download, not a web page"


def test_connection_refused(audit):
    port = _closed_port()
    result = audit(f"http://127.0.0.1:{port}/")
    assert result.error == f"connection refused by 127.0.0.1:{port}"


@pytest.mark.parametrize(
    ("target", "error"),
    [
        ("/_/slow", "timed out: no complete HTML within 4 s"),  # no answer at all
        ("/_/endless", "timed out: no complete HTML within 4 s"),  # HTML that never ends
        ("busy_loop.html", "timed out: no complete HTML within 4 s"),  # a script that never returns
    ],
)
def test_timeouts_end_in_time(audit, target, error):
    started = time.monotonic()
    result = audit(target)
    assert result.error == error
    assert time.monotonic() - started < 15  # 4 s navigation timeout + resetting the page


@pytest.mark.parametrize("page", ["meta_loop.html", "js_loop.html"])
def test_redirect_loops_in_the_page_are_stopped(audit, page):
    result = audit(page)
    assert result.error.startswith("redirect loop: the page navigated ")
    assert result.error.endswith(" times by itself (meta refresh or script)")


def test_page_that_never_finishes_loading_is_audited_with_a_note(audit):
    result = audit("hang_image.html")
    assert result.error is None
    assert result.title == "끝나지 않는 로딩 | 테스트"
    note = [f for f in result.findings if f.rule_id == "page-still-loading"]
    assert len(note) == 1 and note[0].outcome == "incomplete" and note[0].kwcag == []
    assert note[0].message_en == "The page was still loading after 2.0 s; it was audited as it was then."
    assert result.timings_ms["load_wait"] == 2000.0


@pytest.mark.parametrize(("page", "kind"), [("alert.html", "alert"), ("confirm.html", "confirm")])
def test_dialogs_are_dismissed_and_recorded(audit, page, kind):
    result = audit(page)
    assert result.error is None
    found = [
        f for f in result.findings if f.rule_id == "kwcag-unrequested-popup" and f.outcome == "violation"
    ]
    assert [f.data["type"] for f in found] == [kind]
    assert found[0].data["phase"] == "load"


def test_nothing_leaks_into_the_next_audit(audit):
    """beforeunload dialog, localStorage, sessionStorage and a cookie: the next page sees none."""
    first = audit("beforeunload.html", fresh=True)
    assert first.error is None
    after = audit("leakcheck.html", fresh=True)
    assert after.title == "clean"


def test_worker_recovers_after_a_hung_renderer(audit):
    assert audit("busy_loop.html", fresh=True).error is not None
    result = audit("title_ok.html", fresh=True)
    assert result.error is None and result.title == "공지사항 | 행정안전부"


def test_popup_windows_are_closed(audit, worker):
    result = audit("popup_open.html", fresh=True)
    popup = next(f for f in result.findings if f.rule_id == "kwcag-unrequested-popup")
    assert popup.outcome == "violation" and "popup_notice.html" in popup.message_en
    assert len(worker._context.pages) == 1


def test_a_page_that_breaks_our_checks_gets_review_not_a_crash(audit):
    result = audit("hostile.html")
    assert result.error is None
    failed = {f.rule_id for f in result.findings if f.data.get("code") == "check-failed"}
    assert {"kwcag-alt-quality", "kwcag-control-size", "kwcag-skip-link"} <= failed
    assert all(
        "broken by the page" in f.message_en for f in result.findings if f.data.get("code") == "check-failed"
    )
    assert result.item_status["1.1.1"] in ("review", "fail")  # never pass on a check that did not run
    assert result.item_status["2.4.1"] in ("review", "fail")
    assert any(f.rule_id == "image-alt" for f in result.findings)  # axe still ran

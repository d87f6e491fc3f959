"""`ddkit audit diff` on runs audited on several devices: a URL on the phone is compared with the same
URL on the phone, never with its desktop result."""

from __future__ import annotations

from a11y_audit.diff import diff_results
from a11y_audit.models import Finding, PageResult

URL = "https://www.example.go.kr/notice?id=1"


def _page(device: str, *rules: str) -> PageResult:
    findings = [
        Finding(r, "kwcag", "violation", "moderate", ["2.1.3"], ["2.5.8"], f"#{r}", "<a>", "en", "ko")
        for r in rules
    ]
    return PageResult(url=URL, device=device, findings=findings)


def test_each_device_is_compared_with_itself():
    before = [_page("desktop", "kwcag-control-size"), _page("mobile", "mobile-target-size")]
    after = [_page("desktop", "kwcag-control-size"), _page("mobile")]
    diff = diff_results(before, after)
    assert diff.pages_compared == 2
    assert (diff.new, diff.fixed, diff.unchanged) == (0, 1, 1)
    (change,) = diff.changes
    assert change.page == "/notice?id=1 [mobile]"
    assert [f["rule_id"] for f in change.fixed] == ["mobile-target-size"]


def test_a_desktop_run_compared_with_a_both_run_matches_the_desktop_pages():
    diff = diff_results([_page("desktop")], [_page("desktop"), _page("mobile", "mobile-target-size")])
    assert diff.pages_compared == 1
    assert diff.pages_only_after == ["/notice?id=1 [mobile]"]
    assert diff.new == 0

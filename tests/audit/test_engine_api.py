"""The engine's contract with its callers (the CLI and the site crawler): PageResult fields, links,
template signatures, device and user agent, the synchronous helper, and a browser that always closes."""

from __future__ import annotations

import asyncio
import os
import re
import time
from pathlib import Path

import pytest
from audit_site import NO_NETWORK, TEST_OPTIONS

from a11y_audit.axe import load_axe
from a11y_audit.engine import AuditOptions, Browser, audit_urls
from a11y_audit.errors import AuditError, AuditUsageError
from a11y_audit.rules import load_registry
from a11y_audit.template_signature import hamming, simhash

pytestmark = pytest.mark.browser


def test_page_result_fields(audit, site):
    result = audit("title_ok.html")
    assert result.url == site.url + "title_ok.html"
    assert result.final_url == result.url
    assert (result.status, result.content_type) == (200, "text/html; charset=utf-8")
    assert (result.title, result.lang, result.device) == ("공지사항 | 행정안전부", "ko", "desktop")
    assert result.axe_version == load_axe().version
    assert {"nav", "axe", "checks", "total"} <= set(result.timings_ms)
    assert result.timings_ms["total"] >= result.timings_ms["nav"] + result.timings_ms["axe"]
    assert re.fullmatch(r"[0-9a-f]{16}", result.template_signature)
    assert len(result.item_status) == 33
    assert result.error is None and result.ok


def test_links_are_absolute_deduplicated_and_without_fragments(audit, site):
    result = audit("links.html")
    base = site.url
    assert result.links == [
        base + "sub/page-a.html",
        "https://www.example.go.kr/x?y=1",
        base + "sub/",
        base + "area.html",
        base + "frame.html",
    ]


def test_template_signature_is_the_simhash_of_the_tag_paths(audit):
    paths = {
        "body": 1,
        "body>div.hd": 1,
        "body>div.hd>ul": 1,
        "body>div.hd>ul>li": 2,
        "body>main": 1,
        "body>main>p": 3,
        "body>section": 1,
        "body>section>div": 1,
        "body>section>div>div": 1,
        "body>section>div>div>div": 1,
        "body>section>div>div>div>div": 1,
        "body>section>div>div>div>div>div": 1,
    }
    assert audit("signature.html").template_signature == simhash(paths)


def test_same_template_same_signature_other_layout_far_away(audit):
    ok, stays, tables = audit("skip_ok.html"), audit("skip_focus_stays.html"), audit("tables.html")
    assert ok.template_signature == stays.template_signature  # same markup, other behaviour
    assert hamming(ok.template_signature, tables.template_signature) >= 12


def test_default_user_agent_is_chromium_plus_ddkit(audit):
    title = audit("ua.html").title
    assert title.startswith("Mozilla/5.0 ")
    assert re.search(r" ddkit/\S+ \(\+accessibility audit\)$", title)


def test_axe_runs_with_the_rules_kwcag_needs_enabled(audit):
    result = audit("markup.html")
    ran = {f.rule_id for f in result.findings if f.source == "axe"}
    # Off by default in axe (deprecated / experimental / disabled), on for KWCAG:
    assert set(load_registry().axe_enable) <= ran
    assert "duplicate-id" in {f.rule_id for f in result.findings if f.outcome == "violation"}


def _descendants(root: int) -> dict[int, str]:
    """pid -> command name of every process below ``root`` (Linux /proc)."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
        names[int(entry)] = name
    found: dict[int, str] = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        for child, parent in parents.items():
            if parent == pid and child not in found:
                found[child] = names[child]
                todo.append(child)
    return found


def _alive_now(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _alive(pid: int, grace_s: float = 10.0) -> bool:
    """Still running after a grace period: a closed browser's processes take a moment to exit."""
    deadline = time.monotonic() + grace_s
    while _alive_now(pid):
        if time.monotonic() > deadline:
            return True
        time.sleep(0.1)
    return False


def _chromium_below_us() -> set[int]:
    return {pid for pid, name in _descendants(os.getpid()).items() if "chrom" in name}


def test_audit_urls_mobile_reports_progress_and_closes_the_browser(site):
    before = _chromium_below_us()  # e.g. the shared test browser
    seen: list[tuple[str, list[int]]] = []

    def progress(result):
        seen.append((result.url, sorted(_chromium_below_us() - before)))

    urls = [site.url_for("control_size.html"), site.url_for("title_ok.html")]
    options = AuditOptions(device="mobile", timeout_ms=4000, launch_args=(NO_NETWORK,))
    results = audit_urls(urls, options, progress)
    assert [r.url for r in results] == urls == [u for u, _ in seen]
    assert all(r.device == "mobile" for r in results)
    small = sorted(
        f.selector
        for f in results[0].findings
        if f.rule_id == "mobile-target-size" and f.outcome == "violation"
    )
    # On a phone 2.1.3 is judged by 24 x 24 px targets with WCAG 2.5.8's spacing exception: the lone
    # 30 x 8 button, checkbox and image link are spaced; the row of one-letter links and the 10 px
    # link beside the OK button are not. The desktop diagonal check does not run.
    assert small == ["#cs-a", "#cs-b", "#cs-c", "#cs-small"]
    assert not [f for f in results[0].findings if f.rule_id == "kwcag-control-size"]
    assert results[0].item_status["2.1.3"] == "fail"
    pids = {pid for _, chromium in seen for pid in chromium}
    assert pids, "Chromium ran below this process"
    assert not [pid for pid in pids if _alive(pid)]


def test_browser_closes_when_the_caller_fails(site):
    before = _chromium_below_us()
    pids: list[int] = []

    def progress(result):
        pids.extend(_chromium_below_us() - before)
        raise RuntimeError("caller failed")

    with pytest.raises(RuntimeError, match="caller failed"):
        audit_urls([site.url_for("title_ok.html")], TEST_OPTIONS, progress)
    assert pids and not [pid for pid in pids if _alive(pid)]


def test_bad_options_fail_before_chromium_starts(tmp_path):
    with pytest.raises(AuditUsageError, match="Unknown device 'tablet'"):
        asyncio.run(Browser.launch(AuditOptions(device="tablet")))
    missing = tmp_path / "axe.min.js"
    with pytest.raises(AuditError, match="does not exist"):
        asyncio.run(Browser.launch(AuditOptions(axe_js=str(missing))))


def test_axe_rules_lists_the_bundled_rules(loop, browser):
    rules = loop.run_until_complete(browser.axe_rules())
    ids = {r["id"] for r in rules}
    assert {"image-alt", "color-contrast", "duplicate-id", "target-size"} <= ids
    assert next(r for r in rules if r["id"] == "duplicate-id")["enabled"] is False

"""The mobile criteria on their fixture pages (fixtures/mobile/), in the real Chromium with phone
emulation: one module-scoped browser with a phone view and a desktop view of the same process."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
import yaml
from audit_site import FIXTURES, TEST_OPTIONS, by_rule

from a11y_audit.crawl.mobile_host import is_mobile_host
from a11y_audit.engine import Browser
from a11y_audit.errors import AuditUsageError
from a11y_audit.rules import load_registry

MOBILE = FIXTURES / "mobile"
EXPECTED = yaml.safe_load((MOBILE / "expected.yaml").read_text(encoding="utf-8"))
PHONE = replace(TEST_OPTIONS, device="mobile", keyboard_checks=False)


@pytest.fixture(scope="module")
def phone(site):
    """audit(name, device="mobile"|"desktop", profile="android"|"iphone") on one Chromium."""
    loop = asyncio.new_event_loop()
    browser = loop.run_until_complete(Browser.launch(PHONE))
    workers: dict[tuple[str, str], object] = {}
    iphone = loop.run_until_complete(Browser.launch(replace(PHONE, mobile_profile="iphone")))
    cache: dict[tuple[str, str, str], object] = {}

    def audit(name: str, device: str = "mobile", profile: str = "android"):
        key = (name, device, profile)
        if key not in cache:
            if (device, profile) not in workers:
                owner = iphone if profile == "iphone" else browser
                view = loop.run_until_complete(owner.for_device(device))
                workers[(device, profile)] = loop.run_until_complete(view.worker())
            url = site.url_for(name) if name.endswith(".html") else site.url.rstrip("/") + name
            cache[key] = loop.run_until_complete(workers[(device, profile)].audit(url))
        return cache[key]

    yield audit
    loop.run_until_complete(browser.close())
    loop.run_until_complete(iphone.close())
    loop.close()


@pytest.mark.browser
@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_mobile_fixture_gives_the_expected_findings(phone, page):
    spec = EXPECTED[page]
    result = phone(f"mobile/{page}")
    assert result.error is None
    assert result.device == "mobile"
    for check, outcomes in spec.get("checks", {}).items():
        assert by_rule(result, check) == outcomes, check
    for item, status in (spec.get("items") or {}).items():
        assert result.item_status[item] == status, item


@pytest.mark.browser
def test_target_size_uses_the_spacing_exception(phone):
    result = phone("mobile/target_size.html")
    small = [f for f in result.findings if f.rule_id == "mobile-target-size" and f.outcome == "violation"]
    assert {f.data["neighbour"] for f in small} == {"#ts-crowded-1", "#ts-crowded-2"}
    assert (small[0].data["code"], small[0].kwcag, small[0].wcag) == ("target-small", ["2.1.3"], ["2.5.8"])
    assert "16×16" in small[0].message_en and "24×24" in small[0].message_ko
    summary = next(f for f in result.findings if f.rule_id == "mobile-target-size" and f.outcome == "pass")
    # #ts-big is large enough; the lone 16 px #ts-alone is spaced; the inline link is exempt.
    assert summary.message_en.startswith("1 of 4 touch targets are at least 24×24 CSS px; 1 smaller")


@pytest.mark.browser
def test_wcag_only_findings_carry_their_criterion_and_no_item(phone):
    registry = load_registry()
    zoom = next(f for f in phone("mobile/zoom_blocked.html").findings if f.rule_id == "mobile-zoom")
    assert (zoom.kwcag, zoom.wcag, zoom.impact) == ([], ["1.4.4"], "serious")
    assert zoom.help_url == "https://www.w3.org/WAI/WCAG22/Understanding/resize-text.html"
    assert "user-scalable=no, maximum-scale=1" in zoom.message_en
    assert "확대를 막습니다" in zoom.message_ko
    assert not registry.is_decisive("mobile-zoom")
    reflow = next(f for f in phone("mobile/reflow_fail.html").findings if f.rule_id == "mobile-reflow")
    assert reflow.wcag == ["1.4.10"] and "sticks out 680 px" in reflow.message_en
    lock = next(
        f for f in phone("mobile/orientation_script.html").findings if f.rule_id == "mobile-orientation"
    )
    assert lock.snippet == 'screen.orientation.lock("portrait")' and lock.wcag == ["1.3.4"]


@pytest.mark.browser
def test_reflow_restores_the_phone_viewport(phone):
    result = phone("mobile/reflow_fail.html")
    assert result.timings_ms["mobile"] > 0
    # The next audit on the same worker renders at the phone's own width again, not at 320 px.
    after = phone("mobile/zoom_ok.html")
    assert by_rule(after, "mobile-reflow") == {"pass": [None]}


@pytest.mark.browser
def test_desktop_view_runs_no_mobile_check_and_keeps_the_desktop_control_size(phone):
    result = phone("mobile/target_size.html", device="desktop")
    assert result.device == "desktop"
    assert not [f for f in result.findings if f.rule_id.startswith("mobile-")]
    assert by_rule(result, "kwcag-control-size")  # the 17 px desktop check ran
    assert "mobile" not in result.timings_ms


@pytest.mark.browser
def test_the_iphone_profile_is_emulated_in_chromium(phone, site):
    result = phone("mobile/ua.html", profile="iphone")
    assert result.error is None
    assert "iPhone" in result.title and "393" in result.title
    android = phone("mobile/ua.html")
    assert "Pixel 7" in android.title and "412" in android.title


def test_unknown_mobile_profile_is_a_usage_error():
    async def launch():
        await Browser.launch(replace(PHONE, mobile_profile="galaxy"))

    with pytest.raises(AuditUsageError, match="Unknown mobile profile 'galaxy'"):
        asyncio.run(launch())


@pytest.mark.parametrize(
    ("url", "site", "mobile"),
    [
        ("https://m.gov.kr/x", "https://www.gov.kr/", True),
        ("https://m.gov.kr/", "https://gov.kr/", True),
        ("https://mobile.seoul.go.kr/", "https://www.seoul.go.kr/", True),
        ("http://m.example.test:8081/", "http://www.example.test:8080/", True),
        ("https://www.gov.kr/", "https://m.gov.kr/", False),
        ("https://m.other.go.kr/", "https://www.gov.kr/", False),
        ("https://m.kr/", "https://kr/", False),
        ("https://www.gov.kr/a", "https://www.gov.kr/", False),
    ],
)
def test_mobile_host_of_a_site(url, site, mobile):
    assert is_mobile_host(url, site) is mobile


def test_the_site_audit_knows_every_mobile_profile():
    from a11y_audit.engine import MOBILE_PROFILES
    from a11y_audit.site import MOBILE_PROFILE_NAMES

    assert tuple(MOBILE_PROFILES) == MOBILE_PROFILE_NAMES

"""`--device both` crawl bookkeeping with the plain-HTTP stand-in browser: every URL gets one result per
device, and a run stopped between the two devices of a URL resumes with only the missing device."""

from __future__ import annotations

import pytest
from site_server import page
from standin import StandInBrowser, factory

from a11y_audit.crawl.politeness import Politeness
from a11y_audit.errors import AuditError
from a11y_audit.site import SiteAuditConfig, audit_site
from a11y_audit.store import AuditStore

FAST = Politeness(delay_s=0, jitter=0, backoff_s=0.05)


class _Options:
    def __init__(self, device: str) -> None:
        self.device = device


class DeviceStandIn(StandInBrowser):
    """The stand-in with device views, as ``Browser.for_device`` gives them; audits are (url, device)."""

    def __init__(self, fail_after: int | None = None, device: str = "desktop", owner=None) -> None:
        super().__init__(fail_after)
        self.options = _Options(device)
        self.owner = owner or self
        if owner is not None:
            self.audits = owner.audits  # one log and one failure budget for the whole process

    async def for_device(self, device: str):
        return DeviceStandIn(self.fail_after, device, owner=self)

    async def worker(self):
        worker = await super().worker()
        device = self.options.device
        audit = worker.audit

        async def on_device(url: str):
            result = await audit(url)
            result.device = device
            self.audits[-1] = (url, device)
            return result

        worker.audit = on_device  # type: ignore[method-assign]
        return worker


def _site(local_site) -> None:
    local_site.routes["/"] = page('<a href="/a">A</a><a href="/b">B</a><a href="/c">C</a>', "홈")
    for name in "abc":
        local_site.routes[f"/{name}"] = page('<a href="/">home</a>', name.upper())


def _cfg(local_site) -> SiteAuditConfig:
    return SiteAuditConfig(
        seeds=(local_site.url("/"),), device="both", politeness=FAST, concurrency=1, ignore_robots=True
    )


def test_both_devices_then_resume_after_a_stop_between_devices(local_site, tmp_path):
    _site(local_site)
    db = f"sqlite:///{tmp_path / 'b.db'}"
    with pytest.raises(AuditError, match="stand-in browser is gone"):
        audit_site(_cfg(local_site), db, browser_factory=factory(DeviceStandIn(fail_after=3)))
    store = AuditStore(db)
    first = store.page_results(1)
    # "/" on both devices, then "/a" on the desktop only: the browser went away before its phone audit.
    assert sorted((r.url.removeprefix(local_site.url("")), r.device) for r in first) == [
        ("/", "desktop"),
        ("/", "mobile"),
        ("/a", "desktop"),
    ]
    assert [q.url for q in store.queued(1)][0] == local_site.url("/a")
    again = DeviceStandIn()
    result = audit_site(None, db, resume=1, browser_factory=factory(again))
    assert result.status == "finished"
    assert [a for a in again.audits if a[0] == local_site.url("/a")] == [(local_site.url("/a"), "mobile")]
    assert len(again.audits) == 1 + 2 * 2  # /a on the phone, /b and /c on both
    pages = store.page_results(1)
    assert sorted((r.url, r.device) for r in pages) == sorted(
        (local_site.url(p), d) for p in ("/", "/a", "/b", "/c") for d in ("desktop", "mobile")
    )
    assert result.summary.devices == {"desktop": 4, "mobile": 4}
    assert result.summary.queued == 0
    store.close()

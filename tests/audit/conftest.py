"""One Chromium, one warm worker and one loopback site (audit_site.py) for every audit test here."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from audit_site import FIXTURES, STOP, TEST_OPTIONS, SiteHandler

from a11y_audit.engine import Browser, PageWorker
from a11y_audit.models import PageResult
from a11y_audit.serve import start_server


@pytest.fixture(scope="session")
def site():
    server = start_server(FIXTURES, SiteHandler)
    yield server
    STOP.set()
    server.stop()


@pytest.fixture(scope="session")
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="session")
def browser(loop):
    b = loop.run_until_complete(Browser.launch(TEST_OPTIONS))
    yield b
    loop.run_until_complete(b.close())


@pytest.fixture(scope="session")
def worker(loop, browser) -> PageWorker:
    return loop.run_until_complete(browser.worker())


@pytest.fixture(scope="session")
def audit(loop, worker, site) -> Callable[[str], PageResult]:
    """``audit("alt.html")`` or ``audit("/_/status/404")`` or an absolute URL."""
    cache: dict[str, PageResult] = {}

    def run(target: str, fresh: bool = False) -> PageResult:
        if target.startswith(("http://", "https://")) or ":" in target.split("/")[0]:
            url = target
        elif target.startswith("/"):
            url = site.url.rstrip("/") + target
        else:
            url = site.url_for(target)
        if fresh or url not in cache:
            cache[url] = loop.run_until_complete(worker.audit(url))
        return cache[url]

    return run

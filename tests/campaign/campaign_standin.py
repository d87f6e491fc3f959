"""A plain-HTTP stand-in for the browser engine, importable by Dask worker processes (the campaign's
fault-tolerance tests need separate processes, and each must be able to launch it).

Every launch, close and audit is appended to the file named by ``CAMPAIGN_STANDIN_LOG`` (when set) as
``<event> <pid> [<url>]``, so a test can count browsers per worker and audits per page across processes.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from urllib.parse import urldefrag, urljoin

import httpx

from a11y_audit.errors import AuditError
from a11y_audit.models import Finding, PageResult
from a11y_audit.template_signature import simhash

_LINK = re.compile(r'href="([^"]+)"')
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_TAG = re.compile(r"<([a-z][a-z0-9]*)[\s>]")


def _log(event: str, detail: str = "") -> None:
    path = os.environ.get("CAMPAIGN_STANDIN_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"{event} {os.getpid()} {detail}".rstrip() + "\n")


async def launch(_settings) -> StandInBrowser:
    _log("launch")
    return StandInBrowser()


class StandInBrowser:
    def __init__(self) -> None:
        self.client = httpx.AsyncClient(follow_redirects=True, timeout=30)
        # CAMPAIGN_STANDIN_FAIL_AFTER=N: the browser "dies" when asked for its (N+1)-th page.
        fail_after = os.environ.get("CAMPAIGN_STANDIN_FAIL_AFTER")
        self.fail_after = int(fail_after) if fail_after else None
        self.audits = 0

    async def worker(self) -> StandInPage:
        if self.fail_after is not None and self.audits >= self.fail_after:
            raise AuditError("the stand-in browser is gone")
        return StandInPage(self)

    async def close(self) -> None:
        _log("close")
        await self.client.aclose()


class StandInPage:
    def __init__(self, browser: StandInBrowser) -> None:
        self.browser = browser

    async def audit(self, url: str) -> PageResult:
        b = self.browser
        if b.fail_after is not None and b.audits >= b.fail_after:
            raise AuditError("the stand-in browser is gone")
        b.audits += 1
        _log("audit", url)
        try:
            r = await self.browser.client.get(url)
        except httpx.HTTPError as exc:
            return PageResult(url=url, error=f"net::ERR_CONNECTION_FAILED {exc}")
        result = PageResult(
            url=url, final_url=str(r.url), status=r.status_code, content_type=r.headers.get("content-type")
        )
        if r.status_code >= 400:
            result.error = f"HTTP {r.status_code}"
            return result
        text = r.text
        m = _TITLE.search(text)
        result.title = m.group(1) if m else None
        result.links = [urldefrag(urljoin(str(r.url), raw))[0] for raw in dict.fromkeys(_LINK.findall(text))]
        result.template_signature = simhash(Counter("body>" + t for t in _TAG.findall(text)))
        good_images = text.count("<img alt=")
        bad_images = text.count("<img ") - good_images
        result.findings = [
            Finding(
                "image-alt", "axe", outcome, "critical", ["1.1.1"], ["1.1.1"], "img", "<img>", "img", "이미지"
            )
            for outcome, n in (("violation", bad_images), ("pass", good_images))
            for _ in range(n)
        ]
        result.item_status = {"1.1.1": "fail" if bad_images else "pass"}
        return result

    async def close(self) -> None:
        pass

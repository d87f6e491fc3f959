"""A stand-in for the browser engine (plain HTTP, links by regular expression) so the crawler, store
and resume logic can be tested in milliseconds. Browser tests use the real engine."""

from __future__ import annotations

import html
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


class StandInBrowser:
    def __init__(self, fail_after: int | None = None) -> None:
        self.audits: list[str] = []
        self.fail_after = fail_after
        self.client = httpx.AsyncClient(follow_redirects=True)

    async def worker(self) -> StandInWorker:
        if self.fail_after is not None and len(self.audits) >= self.fail_after:
            raise AuditError("the stand-in browser is gone")
        return StandInWorker(self)

    async def close(self) -> None:
        await self.client.aclose()


class StandInWorker:
    def __init__(self, browser: StandInBrowser) -> None:
        self.browser = browser

    async def audit(self, url: str) -> PageResult:
        b = self.browser
        if b.fail_after is not None and len(b.audits) >= b.fail_after:
            raise AuditError("the stand-in browser is gone")
        b.audits.append(url)
        try:
            r = await b.client.get(url)
        except httpx.HTTPError as exc:
            return PageResult(url=url, error=f"net::ERR_CONNECTION_FAILED {exc}")
        result = PageResult(
            url=url, final_url=str(r.url), status=r.status_code, content_type=r.headers.get("content-type")
        )
        result.retry_after = r.headers.get("retry-after")  # type: ignore[attr-defined]
        if r.status_code >= 400:
            result.error = f"HTTP {r.status_code}"
            return result
        if "html" not in (result.content_type or ""):
            result.error = f"not an HTML page ({result.content_type})"
            return result
        text = r.text
        m = _TITLE.search(text)
        result.title = m.group(1) if m else None
        links = []
        for raw in map(html.unescape, _LINK.findall(text)):
            absolute = urldefrag(urljoin(str(r.url), raw))[0]
            if absolute.startswith("http") and absolute not in links:
                links.append(absolute)
        result.links = links
        result.template_signature = simhash(Counter("body>" + t for t in _TAG.findall(text)))
        if "<img " in text and "alt=" not in text:
            result.findings = [
                Finding(
                    "image-alt",
                    "axe",
                    "violation",
                    "critical",
                    ["1.1.1"],
                    ["1.1.1"],
                    "img",
                    "<img>",
                    "img",
                    "이미지",
                )
            ]
            result.item_status = {"1.1.1": "fail"}
        return result

    async def close(self) -> None:
        pass


def factory(browser: StandInBrowser):
    async def make(_config):
        return browser

    return make

"""robots.txt, fetched once per origin and obeyed (RFC 9309), parsed with Protego.

What an unreadable robots.txt means follows RFC 9309 §2.3.1: a 4xx answer means there are no rules
(everything allowed); a 5xx answer or a network failure, after the bounded retries, means the whole
origin is disallowed. ``ignore=True`` (``--ignore-robots``) skips all of this.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from protego import Protego

from a11y_audit.crawl.politeness import Politeness, is_retryable

#: RFC 9309 §2.5: crawlers must parse at least 500 KiB.
MAX_ROBOTS_BYTES = 512 * 1024
#: The product token matched against ``User-agent:`` lines.
ROBOTS_TOKEN = "ddkit"


@dataclass
class RobotsRules:
    origin: str
    parser: Protego | None  # None: no rules (allow all) or disallow all, see ``allow_all``
    allow_all: bool
    note: str  # what was found, for the run summary: "HTTP 200", "HTTP 404: no rules", ...

    def allows(self, url: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return bool(self.parser.can_fetch(url, ROBOTS_TOKEN))

    def crawl_delay(self) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(ROBOTS_TOKEN)
        return float(delay) if delay is not None else None

    def sitemaps(self) -> list[str]:
        return list(self.parser.sitemaps) if self.parser is not None else []


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class RobotsCache:
    """One robots.txt per origin. ``await ensure(url)`` before the synchronous ``allows(url)``."""

    def __init__(
        self, client: httpx.AsyncClient, politeness: Politeness = Politeness(), *, ignore: bool = False
    ) -> None:
        self.client = client
        self.politeness = politeness
        self.ignore = ignore
        self.rules: dict[str, RobotsRules] = {}
        self._pending: dict[str, asyncio.Task] = {}

    async def ensure(self, url: str) -> RobotsRules | None:
        if self.ignore:
            return None
        origin = origin_of(url)
        if origin in self.rules:
            return self.rules[origin]
        task = self._pending.get(origin)
        if task is None:
            task = asyncio.ensure_future(self._fetch(origin))
            self._pending[origin] = task
        rules = await task
        self.rules[origin] = rules
        self._pending.pop(origin, None)
        return rules

    def allows(self, url: str) -> bool:
        if self.ignore:
            return True
        rules = self.rules.get(origin_of(url))
        # An origin whose robots.txt was not read yet is not fetched: the caller awaits ensure() first.
        return rules.allows(url) if rules is not None else False

    def rules_for(self, url: str) -> RobotsRules | None:
        return self.rules.get(origin_of(url))

    async def _fetch(self, origin: str) -> RobotsRules:
        url = origin + "/robots.txt"
        attempt = 0
        while True:
            attempt += 1
            status: int | None = None
            retry_after = None
            try:
                response = await self.client.get(url, follow_redirects=True)
                status = response.status_code
                retry_after = response.headers.get("retry-after")
                if 200 <= status < 300:
                    text = response.content[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
                    return RobotsRules(origin, Protego.parse(text), True, f"HTTP {status}")
                if 400 <= status < 500 and status not in (408, 429):
                    return RobotsRules(origin, None, True, f"HTTP {status}: no rules, everything allowed")
                failure = f"HTTP {status}"
            except httpx.HTTPError as exc:
                failure = f"network error: {type(exc).__name__}: {exc}"
            wait = self.politeness.retry_wait(attempt, retry_after) if is_retryable(status, True) else None
            if wait is None:
                return RobotsRules(
                    origin,
                    None,
                    False,
                    f"{url} unreachable ({failure}): treated as disallowing everything (RFC 9309)",
                )
            await asyncio.sleep(wait)

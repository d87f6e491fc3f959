"""How gently a site is asked: per-host concurrency, a delay with jitter between requests to one host,
and bounded retries on 408/429/5xx and network errors that honour ``Retry-After``.

Defaults follow Scrapy's polite habits; every value is a ``ddkit audit site`` option.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from a11y_audit.errors import AuditUsageError

#: HTTP statuses worth asking again: the server said "later", not "no".
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


@dataclass(frozen=True)
class Politeness:
    per_host: int = 2  # pages of one host being fetched/rendered at the same time
    delay_s: float = 0.5  # between the starts of two requests to one host
    jitter: float = 0.5  # the delay is drawn uniformly from delay × [1 - jitter, 1 + jitter]
    retries: int = 2  # extra attempts after the first, only for RETRY_STATUSES and network errors
    backoff_s: float = 1.0  # first wait when no Retry-After is given; doubles each attempt
    max_retry_after_s: float = 60.0  # a longer Retry-After is not waited for: the page is an error

    def __post_init__(self) -> None:
        if self.per_host < 1:
            raise AuditUsageError("--per-host must be at least 1.")
        if self.delay_s < 0 or not 0 <= self.jitter <= 1:
            raise AuditUsageError("--delay must be 0 or more and --jitter between 0 and 1.")
        if self.retries < 0:
            raise AuditUsageError("--retries must be 0 or more.")

    def retry_wait(
        self, attempt: int, retry_after: str | None, rng: random.Random | None = None
    ) -> float | None:
        """Seconds to wait before attempt ``attempt + 1`` (attempts count from 1), or None to give up."""
        if attempt > self.retries:
            return None
        parsed = parse_retry_after(retry_after)
        if parsed is not None:
            return parsed if parsed <= self.max_retry_after_s else None
        base = self.backoff_s * 2 ** (attempt - 1)
        return base * (rng or random).uniform(1.0, 1.5)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds: either delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def is_retryable(status: int | None, network_error: bool) -> bool:
    return network_error or (status is not None and status in RETRY_STATUSES)


class HostGate:
    """Per-host concurrency and spacing. ``async with gate.slot(url): ...`` around one page fetch."""

    def __init__(self, politeness: Politeness, rng: random.Random | None = None) -> None:
        self.politeness = politeness
        self._rng = rng or random.Random()
        self._sems: dict[str, asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = defaultdict(float)
        self._extra_delay: dict[str, float] = {}
        self._lock = asyncio.Lock()

    def set_min_delay(self, host: str, seconds: float) -> None:
        """A host's own floor (robots.txt ``Crawl-delay``)."""
        self._extra_delay[host] = seconds

    def slot(self, url: str) -> _Slot:
        return _Slot(self, urlsplit(url).netloc)

    async def _acquire(self, host: str) -> None:
        sem = self._sems.setdefault(host, asyncio.Semaphore(self.politeness.per_host))
        await sem.acquire()
        async with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start[host])
            p = self.politeness
            delay = max(
                p.delay_s * self._rng.uniform(1 - p.jitter, 1 + p.jitter), self._extra_delay.get(host, 0.0)
            )
            self._next_start[host] = start + delay
        if start > now:
            try:
                await asyncio.sleep(start - now)
            except asyncio.CancelledError:
                sem.release()
                raise
            late = time.monotonic() - start
            if late > 0:  # a busy event loop woke us late: keep the full delay before the next request
                async with self._lock:
                    self._next_start[host] = max(self._next_start[host], time.monotonic() + delay)

    def _release(self, host: str) -> None:
        self._sems[host].release()


class _Slot:
    def __init__(self, gate: HostGate, host: str) -> None:
        self.gate, self.host = gate, host

    async def __aenter__(self) -> None:
        await self.gate._acquire(self.host)

    async def __aexit__(self, *exc: object) -> None:
        self.gate._release(self.host)

"""Audit a whole site: seeds → frontier → a pool of warm browser pages → the store, resumable.

``audit_site`` runs one asyncio event loop with one Chromium and ``concurrency`` reused pages
(:class:`a11y_audit.engine.PageWorker`). Each audited page is stored in one transaction together with
the links it added to the crawl queue, so a run stopped at any moment (Ctrl-C, ``kill -9``, a crash)
can be continued with ``resume=RUN`` and ends with every page audited exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import heapq
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, fields
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urlsplit

import httpx

from a11y_audit.crawl.frontier import (
    CrawlLimits,
    Decision,
    Frontier,
    canonical_url,
    read_url_list,
    site_of,
    url_key,
)
from a11y_audit.crawl.mobile_host import is_mobile_host
from a11y_audit.crawl.politeness import HostGate, Politeness, is_retryable
from a11y_audit.crawl.robots import RobotsCache, origin_of
from a11y_audit.crawl.sitemap import read_sitemaps
from a11y_audit.errors import AuditError, AuditUsageError
from a11y_audit.models import PageResult
from a11y_audit.store import AuditStore, QueueItem, RunSummary

#: Longest robots.txt Crawl-delay honoured; a site asking for more is audited at this pace.
MAX_CRAWL_DELAY_S = 30.0
#: Times one URL may take a browser page down with it before it is recorded as an error.
MAX_WORKER_LOSSES_PER_URL = 2

ERROR_KINDS = {
    "http": "the server answered with an HTTP error status",
    "network": "network error or timeout (after the retries)",
    "robots": "disallowed by robots.txt (or robots.txt unreachable)",
    "non_html": "not an HTML page (by Content-Type)",
    "out_of_scope": "redirected outside the site's scope: not audited",
    "duplicate": "redirected to a page that is already audited",
    "crash": "the page crashed the renderer",
    "redirect": "redirect loop, or the page never stopped navigating",
    "audit": "the page loaded but could not be audited",
}

_HTML_TYPES = ("text/html", "application/xhtml+xml")
#: ``--device`` of a site audit: ``both`` audits every URL on the desktop and on the phone.
SITE_DEVICES = ("desktop", "mobile", "both")
#: ``--mobile-profile`` (the keys of ``a11y_audit.engine.MOBILE_PROFILES``, checked by a test).
MOBILE_PROFILE_NAMES = ("android", "iphone")


def ddkit_version() -> str:
    try:
        return version("ddkit")
    except PackageNotFoundError:
        return "0+unknown"


def default_user_agent() -> str:
    return f"ddkit/{ddkit_version()} (+accessibility audit)"


@dataclass(frozen=True)
class SiteAuditConfig:
    """Everything a site audit needs; stored with the run, so ``--resume`` continues with the same."""

    seeds: tuple[str, ...] = ()
    url_lists: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    limits: CrawlLimits = field(default_factory=CrawlLimits)
    politeness: Politeness = field(default_factory=Politeness)
    concurrency: int = 2
    ignore_robots: bool = False
    # engine options (a11y_audit.engine.AuditOptions)
    tags: tuple[str, ...] | None = None
    axe_js: str | None = None
    timeout_ms: int = 30_000
    device: str = "desktop"  # desktop, mobile, or both (every URL on the desktop, then on the phone)
    mobile_profile: str = "android"  # the phone of device mobile / both (engine.MOBILE_PROFILES)
    user_agent: str | None = None
    launch_args: tuple[str, ...] = ()  # extra Chromium flags (a proxy, host resolver rules …)
    screenshots: bool = True  # a small JPEG per page in the store, for the report's thumbnails
    crops: int = 10  # element screenshots per page (one per KWCAG item) for the review checklist; 0 = none

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise AuditUsageError("--concurrency must be at least 1.")
        if self.device not in SITE_DEVICES:
            raise AuditUsageError(
                f"Unknown device {self.device!r}.", hint=f"Use one of: {', '.join(SITE_DEVICES)}."
            )
        if self.mobile_profile not in MOBILE_PROFILE_NAMES:
            raise AuditUsageError(
                f"Unknown mobile profile {self.mobile_profile!r}.",
                hint=f"Use one of: {', '.join(MOBILE_PROFILE_NAMES)}.",
            )
        if self.crops < 0:
            raise AuditUsageError("--crops must be 0 (none) or more.", hint="Example: --crops 10")
        if not (self.seeds or self.url_lists or self.sitemaps):
            raise AuditUsageError(
                "Nothing to audit: give a start URL, --urls FILE or --sitemap URL.",
                hint="Example: ddkit audit site https://www.example.go.kr/ --max-pages 200",
            )
        for seed in self.seeds:
            if canonical_url(seed) is None:
                raise AuditUsageError(
                    f"{seed!r} is not an http(s) URL.",
                    hint="Give an absolute URL such as https://www.example.go.kr/.",
                )

    @property
    def devices(self) -> tuple[str, ...]:
        """The devices every URL is audited on, in order."""
        return ("desktop", "mobile") if self.device == "both" else (self.device,)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SiteAuditConfig:
        data = dict(data)
        limits = data.pop("limits", {}) or {}
        polite = data.pop("politeness", {}) or {}
        known = {f.name for f in fields(cls)}
        kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
        return cls(
            limits=CrawlLimits(**{k: tuple(v) if isinstance(v, list) else v for k, v in limits.items()}),
            politeness=Politeness(**polite),
            **kwargs,
        )

    def engine_options(self):
        from a11y_audit.engine import AuditOptions

        kwargs: dict[str, Any] = {
            "timeout_ms": self.timeout_ms,
            "device": self.devices[0],
            "mobile_profile": self.mobile_profile,
            "axe_js": self.axe_js,
            "thumbnail": self.screenshots,
            "crops": self.crops,
        }
        if self.tags:
            kwargs["tags"] = tuple(self.tags)
        if self.user_agent:
            kwargs["user_agent"] = self.user_agent
        if self.launch_args:
            kwargs["launch_args"] = tuple(self.launch_args)
        return AuditOptions(**kwargs)


@dataclass(frozen=True)
class SiteProgress:
    run_id: int
    done: int  # pages stored in this run (including earlier sessions of a resumed run)
    queued: int  # admitted, not audited yet
    errors: int  # stored pages with an error
    pages_per_minute: float  # in this session
    elapsed_s: float
    last_url: str | None = None


@dataclass
class SiteAuditResult:
    run_id: int
    status: str  # finished / interrupted / failed
    summary: RunSummary
    pages_this_session: int
    elapsed_s: float

    @property
    def pages_per_minute(self) -> float:
        return 60.0 * self.pages_this_session / self.elapsed_s if self.elapsed_s > 0 else 0.0


BrowserFactory = Callable[[Any], Awaitable[Any]]


def audit_site(
    config: SiteAuditConfig | None,
    db_url: str,
    *,
    resume: int | None = None,
    progress: Callable[[SiteProgress], None] | None = None,
    browser_factory: BrowserFactory | None = None,
    concurrency: int | None = None,
) -> SiteAuditResult:
    """Audit a site (``config``) or continue run ``resume``; returns the run's summary.

    Ctrl-C (KeyboardInterrupt) stops the workers, marks the run ``interrupted`` and re-raises; every
    page stored before that is kept and ``resume=RUN`` continues from there.
    """
    store = AuditStore(db_url)
    try:
        if resume is not None:
            run = store.claim_run(resume)
            config = SiteAuditConfig.from_dict(run.config)
            run_id = run.id
        else:
            if config is None:
                raise AuditUsageError("Give either a site configuration or a run to resume.")
            seeds = list(config.seeds)
            for path in config.url_lists:
                seeds.extend(read_url_list(path))
            config = SiteAuditConfig(**{**_shallow(config), "seeds": tuple(seeds), "url_lists": ()})
            run_id = store.create_run(
                list(config.seeds) + list(config.sitemaps), config.to_dict(), ddkit_version()
            )
        if concurrency is not None:
            config = SiteAuditConfig(**{**_shallow(config), "concurrency": concurrency})
        crawl = _SiteCrawl(store, run_id, config, progress, browser_factory)
        try:
            asyncio.run(crawl.run())
        except KeyboardInterrupt:
            store.finish_run(run_id, "interrupted", crawl.axe_version)
            raise
        return SiteAuditResult(
            run_id=run_id,
            status=crawl.status,
            summary=store.summary(run_id),
            pages_this_session=crawl.done_this_session,
            elapsed_s=crawl.elapsed,
        )
    finally:
        store.close()


def _shallow(config: SiteAuditConfig) -> dict[str, Any]:
    return {f.name: getattr(config, f.name) for f in fields(config)}


class _SiteCrawl:
    """One session of one run (a fresh run, or a resumed one)."""

    def __init__(
        self,
        store: AuditStore,
        run_id: int,
        config: SiteAuditConfig,
        progress: Callable[[SiteProgress], None] | None,
        browser_factory: BrowserFactory | None,
    ) -> None:
        self.store, self.run_id, self.config = store, run_id, config
        self.progress_cb = progress
        self.browser_factory = browser_factory
        self.frontier = Frontier(list(config.seeds), config.limits)
        self.status = "running"
        self.axe_version: str | None = None
        self.done_this_session = 0
        self.started = time.monotonic()
        self.elapsed = 0.0
        self._heap: list[tuple[int, int, QueueItem]] = []
        self._queued_keys: dict[str, int] = {}  # url key -> queue row id, for pages not audited yet
        self._alias_skips: set[int] = set()  # queue rows whose page was audited under another URL
        self._in_flight = 0
        self._wake = asyncio.Event()
        self._losses: dict[int, int] = {}
        self._last_url: str | None = None
        #: Devices already stored for a queued URL (a run stopped between its devices): url hash -> set.
        self._stored_devices: dict[str, set[str]] = {}
        #: Where a URL's redirect landed (url key), so its next device is not called a duplicate.
        self._landed: dict[int, str] = {}
        #: Sites (host[:port]) of separate mobile sites the run follows: phones only.
        self._mobile_sites: set[str] = set()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ddkit-store")

    def _loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        # After Ctrl-C the browser driver dies with the terminal's process group; the futures it leaves
        # behind would print "Future exception was never retrieved" tracebacks. Nothing is lost.
        if self.status != "running":
            return
        loop.default_exception_handler(context)

    # -- setup -----------------------------------------------------------------------------------------
    async def run(self) -> None:
        asyncio.get_running_loop().set_exception_handler(self._loop_exception)
        cfg = self.config
        headers = {"User-Agent": cfg.user_agent or default_user_agent()}
        timeout = httpx.Timeout(cfg.timeout_ms / 1000)
        async with httpx.AsyncClient(headers=headers, timeout=timeout, follow_redirects=True) as client:
            self.robots = RobotsCache(client, cfg.politeness, ignore=cfg.ignore_robots)
            self.gate = HostGate(cfg.politeness)
            stored = self.store.queue_decisions(self.run_id)
            if stored:
                if not cfg.seeds:
                    # A sitemap-only run: its site is where the first admitted page lives (as in _seed).
                    first = next((url for url, reason in stored if reason is None), None)
                    self.frontier = Frontier([first] if first else [], cfg.limits)
                self.frontier.restore(stored)
            else:
                await self._seed(client)
            for source, _ in self.store.run_notes(self.run_id, "mobile_site"):
                self._adopt_mobile_site(source)
            self._stored_devices = self.store.stored_devices(self.run_id)
            for origin in {origin_of(c) for c in (canonical_url(s) for s in cfg.seeds) if c}:
                await self._ensure_robots(origin + "/")
            pages, errors, _ = self.store.counts(self.run_id)
            self.pages_total, self.errors_total = pages, errors
            for item in self.store.queued(self.run_id):
                if not self.robots.ignore:
                    await self._ensure_robots(item.url)
                    if not self.robots.allows(item.url):
                        await self._record_robots_block(item)  # no browser needed for these
                        continue
                self._push(item)
            self._report()
            if not self._heap:
                self._writer.shutdown(wait=True)
                self.status = "finished"
                self.store.finish_run(self.run_id, "finished")
                return
            await self._crawl()

    async def _seed(self, client: httpx.AsyncClient) -> None:
        cfg = self.config
        decisions: list[Decision] = []
        for seed in cfg.seeds:
            decision = self.frontier.consider(seed, 0, seed=True)
            if decision is not None:
                decisions.append(decision)
        if cfg.sitemaps:
            for seed in cfg.seeds:
                await self._ensure_robots(seed)
            room = max(cfg.limits.max_pages * 10, 10_000)
            found = await read_sitemaps(list(cfg.sitemaps), client, room)
            for source, message in found.errors:
                self.store.add_run_error(self.run_id, source, "sitemap", message)
            if found.truncated:
                self.store.add_run_error(
                    self.run_id,
                    ",".join(cfg.sitemaps),
                    "sitemap",
                    f"{found.truncated} URLs beyond {room} not read",
                )
            if not cfg.seeds:
                # A sitemap-only run: its site is where the sitemap's first in-scope page lives.
                sites = [canonical_url(u) for u in found.urls[:1]] or [canonical_url(s) for s in cfg.sitemaps]
                self.frontier = Frontier([s for s in sites if s], cfg.limits)
            for url in found.urls:
                if self.frontier.in_scope(url):
                    await self._ensure_robots(url)
                decision = self.frontier.consider(url, 0, self.robots.allows)
                if decision is not None:
                    decisions.append(decision)
        self.store.add_decisions(self.run_id, decisions)
        if not any(d.admitted for d in decisions):
            self.store.add_run_error(
                self.run_id,
                ", ".join(cfg.seeds or cfg.sitemaps),
                "seeds",
                "no page to audit: every seed was skipped",
            )

    async def _ensure_robots(self, url: str) -> None:
        rules = await self.robots.ensure(url)
        if rules is None:
            return
        if rules.parser is None and not rules.allow_all:
            self.store.add_run_error(self.run_id, rules.origin + "/robots.txt", "robots", rules.note)
        delay = rules.crawl_delay()
        if delay:
            self.gate.set_min_delay(urlsplit(rules.origin).netloc, min(delay, MAX_CRAWL_DELAY_S))

    def _push(self, item: QueueItem) -> None:
        heapq.heappush(self._heap, (item.depth, item.id, item))
        self._queued_keys[url_key(item.url)] = item.id
        self._wake.set()

    # -- the crawl -------------------------------------------------------------------------------------
    async def _crawl(self) -> None:
        factory = self.browser_factory or _launch_engine_browser
        browser = await factory(self.config.engine_options())
        tasks: list[asyncio.Task] = []
        try:
            # --device both: one Chromium, a phone view of it beside the desktop one.
            browsers = {self.config.devices[0]: browser}
            for device in self.config.devices[1:]:
                browsers[device] = await browser.for_device(device)
            slots = [
                {d: await b.worker() for d, b in browsers.items()} for _ in range(self.config.concurrency)
            ]
            tasks = [asyncio.create_task(self._work(browsers, w)) for w in slots]
            await asyncio.gather(*tasks)
            self.status = "finished"
        except asyncio.CancelledError:
            self.status = "interrupted"
            raise
        except AuditError:
            self.status = "failed"
            raise
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            # A page write already handed to the store thread finishes (it is one whole transaction).
            await asyncio.get_running_loop().run_in_executor(None, self._writer.shutdown, True)
            self.elapsed = time.monotonic() - self.started
            # Chromium goes first: finishing a run reads the stored pages back (cross-page rules),
            # and with the browser still open that was the peak of the run's memory. Closing a
            # broken browser must not hide the real outcome.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(browser.close(), 30)
            self.store.finish_run(
                self.run_id, self.status if self.status != "running" else "failed", self.axe_version
            )

    async def _next(self) -> QueueItem | None:
        while True:
            while self._heap:
                _, row_id, item = heapq.heappop(self._heap)
                if row_id in self._alias_skips:
                    continue
                self._queued_keys.pop(url_key(item.url), None)
                return item
            if self._in_flight == 0:
                self._wake.set()  # let the other workers see the end too
                return None
            self._wake.clear()
            await self._wake.wait()

    async def _work(self, browsers: dict[str, Any], workers: dict[str, Any]) -> None:
        while True:
            item = await self._next()
            if item is None:
                return
            self._in_flight += 1
            try:
                done = self._stored_devices.pop(item.url_hash, set())
                devices = [d for d in self._devices_for(item) if d not in done]
                if not devices:  # every device was stored before the run stopped
                    await asyncio.get_running_loop().run_in_executor(
                        self._writer, self.store.finish_queue_row, item.id
                    )
                for n, device in enumerate(devices):
                    last = n == len(devices) - 1
                    workers[device] = await self._audit_one(
                        browsers[device], workers[device], item, last_device=last
                    )
            finally:
                self._in_flight -= 1
                self._wake.set()

    def _devices_for(self, item: QueueItem) -> tuple[str, ...]:
        """A page of a separate mobile site is audited on the phone only."""
        canon = canonical_url(item.url)
        if self._mobile_sites and canon and site_of(canon, self.config.limits.scope) in self._mobile_sites:
            return ("mobile",) if "mobile" in self.config.devices else self.config.devices
        return self.config.devices

    def _adopt_mobile_site(self, url: str) -> str:
        site = site_of(canonical_url(url) or url, self.config.limits.scope)
        self._mobile_sites.add(site)
        self.frontier.sites.add(site)
        return site

    async def _audit_one(
        self, browser: Any, worker: Any, item: QueueItem, *, last_device: bool = True
    ) -> Any:
        if not self.robots.ignore:
            await self._ensure_robots(item.url)
            if not self.robots.allows(item.url):
                await self._record_robots_block(item, browser, last_device)
                return worker
        attempt = 0
        while True:
            attempt += 1
            try:
                async with self.gate.slot(item.url):
                    result = await worker.audit(item.url)
            except AuditError as exc:
                losses = self._losses.get(item.id, 0) + 1
                self._losses[item.id] = losses
                worker = await self._replace_worker(browser, worker)
                if losses >= MAX_WORKER_LOSSES_PER_URL:
                    result = PageResult(
                        url=item.url,
                        device=_device_of(browser),
                        error=f"the browser failed on this page {losses} times: {exc}",
                    )
                    await self._store(item, result, [], "crash", attempts=attempt, finish_queue=last_device)
                    return worker
                continue
            kind = _error_kind(result)
            retry_after = _retry_after(worker, result)
            if kind in ("http", "network") and is_retryable(result.status, kind == "network"):
                wait = self.config.politeness.retry_wait(attempt, retry_after)
                if wait is not None:
                    await asyncio.sleep(wait)
                    continue
            break
        if result.axe_version:
            self.axe_version = result.axe_version
        await self._finish(item, result, kind, attempt, finish_queue=last_device)
        return worker

    async def _record_robots_block(self, item: QueueItem, browser: Any = None, last: bool = True) -> None:
        rules = self.robots.rules_for(item.url)
        why = rules.note if rules is not None and rules.parser is None else "disallowed by robots.txt"
        devices = [_device_of(browser)] if browser is not None else self._devices_for(item)
        for n, device in enumerate(devices):
            result = PageResult(url=item.url, device=device, error=f"not fetched: {why}")
            done = last and n == len(devices) - 1
            await self._store(item, result, [], "robots", attempts=0, finish_queue=done)

    async def _replace_worker(self, browser: Any, worker: Any) -> Any:
        with contextlib.suppress(Exception):  # the old page is already broken
            await asyncio.wait_for(worker.close(), 10)
        return await browser.worker()  # an AuditError here means the browser is gone: the run stops

    async def _finish(
        self,
        item: QueueItem,
        result: PageResult,
        kind: str | None,
        attempts: int,
        *,
        finish_queue: bool = True,
    ) -> None:
        if kind == "http" and result.error is None:
            result.error = f"HTTP {result.status}"
        final = result.final_url or result.url
        duplicate_of = None
        decisions: list[Decision] = []
        aliases: list[int] = []
        final_canon = canonical_url(final) if final else None
        if kind is None and final_canon and url_key(final_canon) != url_key(item.url):
            if not self.frontier.in_scope(final_canon) and self._is_mobile_redirect(result, final_canon):
                site = self._adopt_mobile_site(final_canon)
                self.store.add_run_error(
                    self.run_id,
                    site,
                    "mobile_site",
                    f"phones are redirected from {item.url} to the separate mobile site {final_canon}; "
                    f"its pages are audited on the phone",
                )
            if not self.frontier.in_scope(final_canon):
                result.error = f"redirected outside the site's scope to {final}: not audited"
                kind = "out_of_scope"
            else:
                final_key = url_key(final_canon)
                if final_key in self._queued_keys:
                    # Audited now under another URL: the landing page's own queue row needs no second audit.
                    row = self._queued_keys.pop(final_key)
                    self._alias_skips.add(row)
                    aliases.append(row)
                    self._landed[item.id] = final_key
                elif self._landed.get(item.id) == final_key:
                    pass  # the same URL's earlier device landed here too: not a duplicate
                elif self.frontier.is_seen(final_canon):
                    duplicate_of = final_canon
                    result.error = f"same page as {final_canon} (a redirect), which is audited on its own"
                    kind = "duplicate"
                else:
                    # Remember where it landed, so a later link to it is not audited again (after resume too).
                    landed = self.frontier.consider(final_canon, item.depth, seed=True)
                    self._landed[item.id] = final_key
                    if landed is not None:
                        decisions.append(Decision(landed.url, landed.key, landed.hash, landed.depth, "alias"))
                        self.frontier.skipped["alias"] += 1
        if kind is None:
            for link in result.links or []:
                if not self.robots.ignore and self.frontier.in_scope(link):
                    await self._ensure_robots(link)
                decision = self.frontier.consider(link, item.depth + 1, self.robots.allows)
                if decision is not None:
                    decisions.append(decision)
        elif kind in ("out_of_scope", "duplicate"):
            result.item_status = {}
        await self._store(
            item,
            result,
            decisions,
            kind,
            attempts=attempts,
            duplicate_of=duplicate_of,
            keep=kind is None,
            aliases=aliases,
            finish_queue=finish_queue,
        )

    def _is_mobile_redirect(self, result: PageResult, final_canon: str) -> bool:
        """A phone sent from an in-scope page to the site's m. / mobile. host."""
        if result.device != "mobile":
            return False
        sites = [canonical_url(s) for s in self.config.seeds] or [canonical_url(result.url)]
        return any(s and is_mobile_host(final_canon, s) for s in sites)

    async def _store(
        self,
        item: QueueItem,
        result: PageResult,
        decisions: list[Decision],
        kind: str | None,
        *,
        attempts: int,
        duplicate_of: str | None = None,
        keep: bool = True,
        aliases: list[int] | None = None,
        finish_queue: bool = True,
    ) -> None:
        # The write runs in the store's own thread so the browser pages keep working meanwhile.
        added = await asyncio.get_running_loop().run_in_executor(
            self._writer,
            functools.partial(
                self.store.record_page,
                self.run_id,
                item,
                result,
                decisions=decisions,
                error_kind=kind,
                attempts=attempts,
                duplicate_of=duplicate_of,
                keep_findings=keep,
                alias_queue_ids=aliases or [],
                finish_queue=finish_queue,
            ),
        )
        if added is None:
            return
        self.done_this_session += 1
        self.pages_total += 1
        if result.error:
            self.errors_total += 1
        self._last_url = item.url
        for queued in added:
            self._push(queued)
        self._report(stored_in_flight=1)

    def _report(self, stored_in_flight: int = 0) -> None:
        """``stored_in_flight``: pages just stored whose worker has not yet counted itself idle."""
        if self.progress_cb is None:
            return
        elapsed = time.monotonic() - self.started
        self.progress_cb(
            SiteProgress(
                run_id=self.run_id,
                done=self.pages_total,
                queued=sum(1 for _, i, _ in self._heap if i not in self._alias_skips)
                + max(0, self._in_flight - stored_in_flight),
                errors=self.errors_total,
                pages_per_minute=60.0 * self.done_this_session / elapsed if elapsed > 0 else 0.0,
                elapsed_s=elapsed,
                last_url=self._last_url,
            )
        )


def _device_of(browser: Any) -> str:
    options = getattr(browser, "options", None)
    return getattr(options, "device", "desktop") or "desktop"


async def _launch_engine_browser(options: Any) -> Any:
    from a11y_audit.engine import Browser

    return await Browser.launch(options)


_NETWORK_WORDS = (
    "net::",
    "timed out",
    "timeout",
    "connection",
    "dns lookup",
    "unreachable",
    "no answer",
    "network",
    "tls ",
    "certificate",
    "empty response",
    "invalid http response",
)


def _error_kind(result: PageResult) -> str | None:
    """Sort a page-level failure into one of :data:`ERROR_KINDS` (None when the page was audited)."""
    if result.status is not None and result.status >= 400:
        return "http"
    if result.error is None:
        return None
    text = result.error.lower()
    content_type = (result.content_type or "").split(";")[0].strip().lower()
    if (content_type and content_type not in _HTML_TYPES) or "download" in text:
        return "non_html"
    if "crash" in text:
        return "crash"
    if "redirect loop" in text or "kept navigating" in text:
        return "redirect"
    if any(word in text for word in _NETWORK_WORDS):
        return "network"
    return "audit"


def _retry_after(worker: Any, result: PageResult) -> str | None:
    """The ``Retry-After`` header of the page's last HTTP response.

    ``PageResult`` carries no response headers, so this asks the worker for the navigation response it
    saw (``PageWorker._visit.main_response``); a worker that does not expose it gives None and the
    retry falls back to exponential backoff.
    """
    value = getattr(result, "retry_after", None)
    if value is not None:
        return str(value)
    try:
        response = worker._visit.main_response  # noqa: SLF001 - see the docstring
        return response.headers.get("retry-after") if response is not None else None
    except Exception:  # noqa: BLE001 - any other worker: no header known
        return None

"""The single-page audit engine: render a page in Chromium, run axe-core and ddkit's KWCAG checks.

One :class:`Browser` is one Chromium process (Playwright async API). A :class:`PageWorker` owns one
warm browser context and one page that are reused from audit to audit (a fresh renderer costs 3-5
times more), and is reset between audits: about:blank, cookies, storage, permissions, pop-ups.

Per page (:meth:`PageWorker.audit`):

1. navigate; at commit, refuse what is not an HTML page (HTTP 4xx/5xx, PDF, image, download, too big);
   wait for DOMContentLoaded, then for ``load`` a bounded time, then for redirects to settle;
2. parse the raw HTTP body (the navigation response, never a second fetch) for KWCAG 4.1.1 in a
   thread while the browser works;
3. inject axe-core into every frame, run it with the WCAG + best-practice tags and the rules KWCAG
   needs enabled explicitly, trimmed inside the page to what scoring needs;
4. run the DOM check bundle, the keyboard checks (real key presses), the media check ~3 s after load;
5. turn everything into :class:`~a11y_audit.models.Finding` objects and KWCAG item statuses.

Page-level trouble never raises: it is recorded in ``PageResult.error``. A hard per-page budget
bounds everything. Only a browser that cannot go on raises :class:`AuditError`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import http
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Playwright, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

from a11y_audit.axe import AxeSource, load_axe
from a11y_audit.browser import INSTALL_HINT, LAUNCH_ARGS, find_chromium
from a11y_audit.checks import bundle, script
from a11y_audit.checks.findings import check_finding
from a11y_audit.checks.findings import raw_finding as _raw
from a11y_audit.checks.keyboard import SKIP_PATTERN, shortcut_probe, skip_link_check, tab_walk
from a11y_audit.checks.markup import MarkupReport, check_markup
from a11y_audit.checks.messages import axe_messages, render
from a11y_audit.checks.mobile import MOBILE_RULES, mobile_checks
from a11y_audit.errors import AuditError, AuditUsageError
from a11y_audit.models import ElementCrop, Finding, PageResult
from a11y_audit.page_summary import item_statuses
from a11y_audit.rules.registry import Registry, load_registry
from a11y_audit.template_signature import simhash

DEFAULT_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
DEVICES = ("desktop", "mobile")
#: Playwright device descriptors of the phones ``device="mobile"`` emulates (``mobile_profile``). Only
#: their viewport, screen, scale factor, touch, is_mobile and user agent are used, always in Chromium
#: (Playwright's iPhone descriptors name WebKit as their browser).
MOBILE_PROFILES = {"android": "Pixel 7", "iphone": "iPhone 15"}
#: KWCAG 2.1.3: NIA turns 6 mm into 17 x 17 CSS px on a PC and 24 x 24 px on a phone.
TARGET_SIDE_PX = {"desktop": 17, "mobile": 24}
#: KWCAG 1.4.2 tolerates sound shorter than 3 s.
AUTOPLAY_GRACE_S = 3.0
#: Main-frame navigations after the first one before a page counts as a redirect loop.
MAX_REDIRECTS = 8
SNIPPET_CHARS = 200
#: Findings per check and page that cross from the page to Python (the rest are counted).
MAX_PER_CHECK = 2000
#: Page thumbnails (option ``thumbnail``): the viewport scaled down to at most this many pixels wide,
#: as a JPEG of this quality: 4-26 KB on the sample site's pages (benchmarks/audit_page.md).
THUMBNAIL_WIDTH = 640
THUMBNAIL_QUALITY = 40
#: Element crops (option ``crops``): the element's box plus this margin, at most this much of it
#: (CSS px), scaled down to fit the JPEG size below (benchmarks/audit_page.md).
CROP_MARGIN = 8
CROP_MAX_AREA = (800, 600)
CROP_MAX_SIZE = (320, 240)
CROP_QUALITY = 60
#: Crops kept for reuse per browser (about 3 KB each).
CROP_CACHE_SIZE = 2000


@dataclass(frozen=True)
class AuditOptions:
    tags: tuple[str, ...] = DEFAULT_TAGS
    axe_js: str | None = None  # path to another axe.min.js
    timeout_ms: int = 30_000  # navigation timeout per page
    device: str = "desktop"
    #: The phone of ``device="mobile"``: a key of :data:`MOBILE_PROFILES`.
    mobile_profile: str = "android"
    user_agent: str | None = (
        None  # default: f"ddkit/{version} (+accessibility audit)" appended to Chromium's UA
    )
    viewport: tuple[int, int] = (1280, 900)
    #: Hard limit for everything done on one page (navigation, axe, checks), in ms.
    page_budget_ms: int = 120_000
    #: How long to wait for the ``load`` event after DOMContentLoaded before auditing anyway, in ms.
    load_wait_ms: int = 10_000
    #: Larger HTML documents are refused with a page error.
    max_html_bytes: int = 10_000_000
    #: Extra Chromium command-line flags (e.g. a proxy, host resolver rules).
    launch_args: tuple[str, ...] = ()
    #: Key presses in the page (skip link, single-key shortcuts); off = those checks are skipped.
    keyboard_checks: bool = True
    #: Keep a small JPEG of the viewport as loaded in ``PageResult.thumbnail`` (site audits store it).
    thumbnail: bool = False
    #: Screenshots of elements with violations or needs-review findings in ``PageResult.crops``: at most
    #: one per KWCAG item and this many per page (0 = none).
    crops: int = 0


def _ddkit_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ddkit")
    except PackageNotFoundError:
        return "0+unknown"


def validate_url(url: str) -> str | None:
    """Why ``url`` cannot be audited, or None when it is an absolute http(s) URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        return f"invalid URL ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return "invalid URL: only http:// and https:// URLs can be audited"
    if not parts.hostname:
        return "invalid URL: no host name"
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return "invalid URL: bad port number"
    if any(c.isspace() for c in url.strip()):
        return "invalid URL: contains spaces"
    return None


def _validate_options(options: AuditOptions) -> None:
    if options.device not in DEVICES:
        raise AuditUsageError(
            f"Unknown device {options.device!r}.", hint=f"Use one of: {', '.join(DEVICES)}."
        )
    if options.mobile_profile not in MOBILE_PROFILES:
        raise AuditUsageError(
            f"Unknown mobile profile {options.mobile_profile!r}.",
            hint=f"Use one of: {', '.join(MOBILE_PROFILES)}.",
        )
    if options.timeout_ms <= 0 or options.page_budget_ms <= 0:
        raise AuditUsageError(
            "Timeouts must be positive.", hint="Give the timeout in seconds, e.g. --timeout 30."
        )
    width, height = options.viewport
    if width < 200 or height < 200:
        raise AuditUsageError(
            f"Viewport {width}x{height} is too small.", hint="Use at least 200x200 CSS pixels."
        )
    if not options.tags:
        raise AuditUsageError("No axe-core tags given.", hint="Leave --tags out to use the default set.")


class Browser:
    """One Chromium process (Playwright async API)."""

    def __init__(
        self,
        playwright: Playwright,
        browser: Any,
        options: AuditOptions,
        axe: AxeSource,
        registry: Registry,
        context_args: dict[str, Any],
    ) -> None:
        self._playwright = playwright
        self._browser = browser
        self.options = options
        self.axe = axe
        self.registry = registry
        self._context_args = context_args
        self._workers: list[PageWorker] = []
        self._closed = False
        self._views: list[Browser] = []  # the same process with another device (for_device)
        self._view_of: Browser | None = None
        #: Element crops already taken in this browser (one device), by rule, selector, snippet and
        #: box size: the same element of a site's header or footer on the next page is not captured
        #: again (80 pages of the benchmark site: 483 crops, 29 different images).
        self.crop_cache: dict[tuple, bytes] = {}

    @classmethod
    async def launch(cls, options: AuditOptions = AuditOptions()) -> Browser:  # noqa: B008 - frozen dataclass
        _validate_options(options)
        axe = load_axe(options.axe_js)
        registry = load_registry()
        executable = find_chromium()
        playwright = await async_playwright().start()
        try:
            browser = await playwright.chromium.launch(
                executable_path=executable,
                headless=True,
                args=[*LAUNCH_ARGS, "--autoplay-policy=no-user-gesture-required", *options.launch_args],
                timeout=60_000,
            )
        except Exception as exc:
            await playwright.stop()
            raise AuditError(
                f"Chromium ({executable}) could not start: {_first_line(exc)}", hint=INSTALL_HINT
            ) from exc
        try:
            context_args = await _context_args(playwright, browser, options)
        except Exception as exc:
            await browser.close()
            await playwright.stop()
            raise AuditError(
                f"Chromium started but does not answer: {_first_line(exc)}", hint=INSTALL_HINT
            ) from exc
        return cls(playwright, browser, options, axe, registry, context_args)

    async def worker(self) -> PageWorker:
        """A warm context + page, reused across audits."""
        if self._closed:
            raise AuditError("The browser is already closed.")
        worker = PageWorker(self)
        await worker._open()
        self._workers.append(worker)
        return worker

    async def for_device(self, device: str) -> Browser:
        """This Chromium with another device's emulation (``--device both`` audits every page on the
        desktop and on a phone in one browser process). Closing this browser closes its views too."""
        if device == self.options.device:
            return self
        if self._closed:
            raise AuditError("The browser is already closed.")
        options = replace(self.options, device=device)
        _validate_options(options)
        context_args = await _context_args(self._playwright, self._browser, options)
        view = Browser(self._playwright, self._browser, options, self.axe, self.registry, context_args)
        view._view_of = self
        self._views.append(view)
        return view

    async def axe_rules(self) -> list[dict[str, Any]]:
        """``axe.getRules()`` of the loaded axe-core: id, tags and whether axe enables it by default."""
        context = await self._browser.new_context()
        try:
            page = await context.new_page()
            await page.set_content("<!doctype html><title>axe</title>")
            await page.evaluate(self.axe.script)
            return await page.evaluate(
                "() => axe.getRules().map((r) => ({id: r.ruleId, tags: r.tags,"
                " enabled: axe._audit.rules.find((x) => x.id === r.ruleId).enabled !== false}))"
            )
        finally:
            await context.close()

    @property
    def connected(self) -> bool:
        owner = self._view_of or self
        return not self._closed and not owner._closed and self._browser.is_connected()

    async def close(self) -> None:
        """Close every worker, the browser and the Playwright driver; never raises.

        A device view (:meth:`for_device`) closes only its own workers: the process is its owner's."""
        if self._closed:
            return
        self._closed = True
        for view in self._views:
            await view.close()
        for worker in self._workers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(worker.close(), 10)
        if self._view_of is not None:
            return
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._browser.close(), 15)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._playwright.stop(), 15)

    async def __aenter__(self) -> Browser:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def _context_args(playwright: Playwright, browser: Any, options: AuditOptions) -> dict[str, Any]:
    suffix = f"ddkit/{_ddkit_version()} (+accessibility audit)"
    args: dict[str, Any] = {
        "service_workers": "block",
        "accept_downloads": False,
        "locale": "ko-KR",
        "timezone_id": "Asia/Seoul",
    }
    if options.device == "mobile":
        descriptor = dict(playwright.devices[MOBILE_PROFILES[options.mobile_profile]])
        descriptor.pop("default_browser_type", None)  # always Chromium, even for the iPhone
        base_ua = descriptor.pop("user_agent")
        args.update(descriptor)
    else:
        session = await browser.new_browser_cdp_session()
        try:
            base_ua = (await session.send("Browser.getVersion"))["userAgent"]
        finally:
            await session.detach()
        args["viewport"] = {"width": options.viewport[0], "height": options.viewport[1]}
    args["user_agent"] = options.user_agent or f"{base_ua} {suffix}"
    return args


@dataclass
class _Visit:
    """What happened during one audit, gathered from page events."""

    phase: str = "load"
    main_response: Any = None
    nav_requests: int = 0
    last_nav_at: float = 0.0
    dialogs: list[dict[str, Any]] = field(default_factory=list)
    popups: list[dict[str, Any]] = field(default_factory=list)
    downloads: list[dict[str, Any]] = field(default_factory=list)
    origins: set[str] = field(default_factory=set)
    crashed: bool = False
    #: The page ran out of time: its renderer may be stuck, so it is replaced rather than reset.
    stuck: bool = False
    load_at: float | None = None


class PageWorker:
    """A warm browser context and page; audits one URL at a time."""

    def __init__(self, browser: Browser) -> None:
        self._owner = browser
        self._context: Any = None
        self._page: Page | None = None
        self._cdp: Any = None
        self._visit = _Visit()
        self._stale_origins: set[str] = set()

    # ---- lifecycle ----
    async def _open(self) -> None:
        try:
            self._context = await self._owner._browser.new_context(**self._owner._context_args)
            await self._context.add_init_script(script=script("instrument.js"))
            self._context.on("page", self._on_new_page)
            page = await self._context.new_page()
            page.on("dialog", self._on_dialog)
            page.on("download", self._on_download)
            page.on("crash", self._on_crash)
            page.on("request", self._on_request)
            page.on("response", self._on_response)
            self._page = page
            self._cdp = await self._context.new_cdp_session(page)
        except PlaywrightError as exc:
            raise AuditError(
                f"The browser cannot open a page: {_first_line(exc)}", hint=INSTALL_HINT
            ) from exc

    async def close(self) -> None:
        context, self._context, self._page = self._context, None, None
        if context is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(context.close(), 10)

    async def _reopen(self) -> None:
        await self.close()
        if not self._owner.connected:
            raise AuditError(
                "The browser closed unexpectedly.", hint="Run again; if it repeats, run 'ddkit doctor'."
            )
        await self._open()

    # ---- page events ----
    def _on_new_page(self, page: Page) -> None:
        if page is self._page or self._page is None:
            return
        record = {"url": page.url, "phase": self._visit.phase}
        self._visit.popups.append(record)
        asyncio.ensure_future(self._close_popup(page, record))

    async def _close_popup(self, page: Page, record: dict[str, Any]) -> None:
        with contextlib.suppress(Exception):
            await page.wait_for_load_state("commit", timeout=2000)
        record["url"] = page.url
        with contextlib.suppress(Exception):
            await page.close()

    def _on_dialog(self, dialog: Any) -> None:
        if self._visit.phase != "reset":
            self._visit.dialogs.append(
                {"type": dialog.type, "message": (dialog.message or "")[:200], "phase": self._visit.phase}
            )
        asyncio.ensure_future(self._settle_dialog(dialog))

    @staticmethod
    async def _settle_dialog(dialog: Any) -> None:
        with contextlib.suppress(Exception):
            if dialog.type == "beforeunload":
                await dialog.accept()  # let the page go
            else:
                await dialog.dismiss()

    def _on_download(self, download: Any) -> None:
        self._visit.downloads.append({"url": download.url, "filename": download.suggested_filename})
        asyncio.ensure_future(_quietly(download.cancel()))

    def _on_crash(self, page: Page) -> None:
        self._visit.crashed = True

    def _on_request(self, request: Any) -> None:
        with contextlib.suppress(Exception):
            if request.is_navigation_request() and request.frame == self._page.main_frame:
                self._visit.nav_requests += 1
                self._visit.last_nav_at = time.monotonic()

    def _on_response(self, response: Any) -> None:
        with contextlib.suppress(Exception):
            request = response.request
            if request.is_navigation_request() and request.frame == self._page.main_frame:
                self._visit.main_response = response
                parts = urlsplit(response.url)
                if parts.scheme in ("http", "https"):
                    self._visit.origins.add(f"{parts.scheme}://{parts.netloc}")

    # ---- the audit ----
    async def audit(self, url: str) -> PageResult:
        """Audit one page. Page-level problems end up in ``PageResult.error``, never as exceptions."""
        options = self._owner.options
        result = PageResult(url=url, device=options.device, axe_version=self._owner.axe.version)
        started = time.monotonic()
        problem = validate_url(url)
        if problem:
            result.error = problem
            result.timings_ms = {"nav": 0.0, "axe": 0.0, "checks": 0.0, "total": 0.0}
            result.item_status = {}
            return result
        if self._page is None or self._page.is_closed():
            await self._reopen()
        self._visit = _Visit()
        budget = options.page_budget_ms / 1000
        try:
            await asyncio.wait_for(self._audit(url, result), budget)
        except TimeoutError:
            self._visit.stuck = True
            result.error = f"the audit did not finish within {budget:g} s (the page kept the browser busy)"
        except PlaywrightError as exc:
            if self._visit.crashed:
                result.error = "the page crashed the browser tab (renderer crash)"
            elif not self._owner.connected:
                raise AuditError(
                    "The browser closed unexpectedly.", hint="Run again; if it repeats, run 'ddkit doctor'."
                ) from exc
            else:
                result.error = f"the browser failed on this page: {_first_line(exc)}"
        if self._visit.crashed and result.error is None:
            result.error = "the page crashed the browser tab (renderer crash)"
        result.timings_ms["total"] = _ms(started)
        for key in ("nav", "axe", "checks"):
            result.timings_ms.setdefault(key, 0.0)
        if result.error:
            result.findings = []
            result.item_status = {}
        await self._reset()
        return result

    async def _audit(self, url: str, result: PageResult) -> None:
        options = self._owner.options
        t_nav = time.monotonic()
        if not await self._navigate(url, result):
            result.timings_ms["nav"] = _ms(t_nav)
            return
        result.timings_ms["nav"] = _ms(t_nav)
        if options.thumbnail:
            await self._thumbnail(result)
        for attempt in range(2):
            try:
                await self._inspect(result)
                if options.crops > 0:
                    await self._crops(result, options.crops)
                return
            except PlaywrightError as exc:
                if self._visit.crashed or not _is_navigation_race(exc):
                    raise
                # The page navigated away under us (meta refresh or script). Settle and try once more.
                if attempt == 1 or not await self._settle(
                    result, time.monotonic() + options.timeout_ms / 1000
                ):
                    if result.error is None:
                        result.error = (
                            "the page kept navigating during the audit (script or meta refresh redirects)"
                        )
                    return

    async def _navigate(self, url: str, result: PageResult) -> bool:
        options = self._owner.options
        page = self._page
        deadline = time.monotonic() + options.timeout_ms / 1000
        self._visit.phase = "load"
        try:
            response = await page.goto(url, wait_until="commit", timeout=options.timeout_ms)
        except PlaywrightError as exc:
            self._fill_response(result)
            result.error = self._navigation_error(exc, url)
            return False
        main = self._visit.main_response or response
        if main is not None:
            self._visit.main_response = main
        self._fill_response(result)
        if result.status is not None and result.status >= 400:
            result.error = f"HTTP {result.status} {_reason(result.status)}"
            return False
        if result.content_type and not _is_html(result.content_type):
            result.error = f"not an HTML page (content type {result.content_type.split(';')[0].strip()})"
            return False
        length = _content_length(main)
        if length is not None and length > options.max_html_bytes:
            result.error = _too_big(length, options.max_html_bytes)
            return False
        try:
            await page.wait_for_load_state("domcontentloaded", timeout=_left_ms(deadline))
        except PlaywrightError as exc:
            result.error = self._navigation_error(exc, url)
            return False
        try:
            await page.wait_for_load_state("load", timeout=min(_left_ms(deadline) + 1, options.load_wait_ms))
            self._visit.load_at = time.monotonic()
        except PlaywrightTimeout:
            self._visit.load_at = time.monotonic()
            result.timings_ms["load_wait"] = float(min(options.load_wait_ms, options.timeout_ms))
        except PlaywrightError as exc:
            if not _is_navigation_race(exc):
                result.error = self._navigation_error(exc, url)
                return False
        return await self._settle(result, deadline)

    async def _settle(self, result: PageResult, deadline: float) -> bool:
        """Wait while the main frame keeps navigating (redirects by script or meta refresh)."""
        page = self._page
        quiet = 0.4
        first = True
        while True:
            if self._visit.nav_requests > MAX_REDIRECTS + 1:
                result.error = (
                    f"redirect loop: the page navigated {self._visit.nav_requests - 1} times by itself "
                    "(meta refresh or script)"
                )
                return False
            pending = False
            if first:
                first = False
                refresh = await _quiet_eval(page, _META_REFRESH_JS)
                if isinstance(refresh, int | float) and refresh <= AUTOPLAY_GRACE_S:
                    pending = True
                    await asyncio.sleep(min(refresh + 0.3, _left_s(deadline)))
            since = time.monotonic() - self._visit.last_nav_at
            if self._visit.nav_requests > 1 and since < quiet:
                pending = True
                await asyncio.sleep(quiet - since)
            if not pending:
                break
            if time.monotonic() > deadline:
                result.error = "the page kept navigating and never settled (script or meta refresh redirects)"
                return False
            try:
                await page.wait_for_load_state("domcontentloaded", timeout=_left_ms(deadline))
                await page.wait_for_load_state("load", timeout=min(_left_ms(deadline) + 1, 5000))
            except PlaywrightError:
                pass
        self._fill_response(result)
        if result.status is not None and result.status >= 400:
            result.error = f"HTTP {result.status} {_reason(result.status)}"
            return False
        if result.content_type and not _is_html(result.content_type):
            result.error = f"not an HTML page (content type {result.content_type.split(';')[0].strip()})"
            return False
        return True

    def _fill_response(self, result: PageResult) -> None:
        main = self._visit.main_response
        if main is None:
            return
        result.final_url = main.url
        result.status = main.status
        try:
            result.content_type = main.headers.get("content-type")
        except Exception:  # noqa: BLE001
            result.content_type = None

    def _navigation_error(self, exc: Exception, url: str) -> str:
        text = str(exc)
        if self._visit.downloads or "Download is starting" in text:
            name = self._visit.downloads[0]["filename"] if self._visit.downloads else None
            return f"the URL starts a file download{f' ({name})' if name else ''}, not a web page"
        if isinstance(exc, PlaywrightTimeout) or "Timeout" in text.split("\n")[0]:
            self._visit.stuck = True
            return f"timed out: no complete HTML within {self._owner.options.timeout_ms / 1000:g} s"
        return describe_net_error(text, url)

    async def _inspect(self, result: PageResult) -> None:
        """Everything after the page settled: raw HTML, axe, our checks, statuses."""
        owner = self._owner
        options = owner.options
        page = self._page
        self._visit.phase = "checks"
        findings: list[Finding] = []

        # 4.1.1 from the navigation response body, parsed in a thread while the browser works.
        markup_task = asyncio.ensure_future(self._markup(result))

        t_media = time.monotonic()
        media_first = await self._media_states()
        media_ms = _ms(t_media)
        t_axe = time.monotonic()
        for frame in page.frames:
            if frame.is_detached():
                continue
            try:
                await asyncio.wait_for(frame.evaluate(owner.axe.script), 20)
            except (PlaywrightError, TimeoutError):
                if frame is page.main_frame:
                    raise
        axe_options = {
            "runOnly": {"type": "tag", "values": list(options.tags)},
            "rules": {rule: {"enabled": True} for rule in owner.registry.axe_enable},
            "elementRef": False,
            "ancestry": False,
            "xpath": False,
            "performanceTimer": False,
            "iframes": True,
            # Our reporter (in _AXE_RUN_JS): every passing element only for the rules of content-based
            # items, which scoring counts element by element; one per rule elsewhere.
            "reporter": "ddkit",
            "fullPasses": list(owner.registry.content_rules),
        }
        result.timings_ms["axe_inject"] = _ms(t_axe)
        raw_axe = json.loads(
            await page.evaluate(_AXE_RUN_JS, {"options": axe_options, "snippet": SNIPPET_CHARS})
        )
        result.axe_version = raw_axe.get("version") or result.axe_version
        findings.extend(self._axe_findings(raw_axe))
        result.timings_ms["axe"] = _ms(t_axe)

        t_checks = time.monotonic()
        dom_json = await page.evaluate(
            bundle("dom_checks.js"),
            {
                "maxPerCheck": MAX_PER_CHECK,
                "snippetLength": SNIPPET_CHARS,
                "minTargetSide": TARGET_SIDE_PX[options.device],
                "skipPattern": SKIP_PATTERN,
            },
        )
        dom = json.loads(dom_json)
        result.timings_ms["dom_checks"] = _ms(t_checks)
        facts = dom["page"]
        result.title = facts.get("title")
        result.lang = facts.get("lang")
        result.links = facts.get("links") or []
        result.template_signature = simhash(facts.get("paths") or {})
        raw = list(dom["findings"])
        for rule, count in (facts.get("truncated") or {}).items():
            raw.append(_note(rule, "check-truncated", {"count": count, "limit": MAX_PER_CHECK}))
        failed_notes = []
        for failure in facts.get("failures") or []:
            if failure["check"].startswith("kwcag-"):
                raw.append(_note(failure["check"], "check-failed", {"message": failure["message"]}))
            else:
                failed_notes.append(failure)
        if options.device == "mobile":
            t_mobile = time.monotonic()
            mobile = mobile_checks(page, raw, MAX_PER_CHECK, SNIPPET_CHARS)
            raw.extend(await self._guarded(MOBILE_RULES, mobile))
            result.timings_ms["mobile"] = _ms(t_mobile)

        t_keys = time.monotonic()
        if options.keyboard_checks:
            self._visit.phase = "probe"
            raw.extend(await self._guarded("kwcag-skip-link", skip_link_check(page, facts, cdp=self._cdp)))
            walk = tab_walk(page, facts, cdp=self._cdp)
            raw.extend(await self._guarded(("kwcag-keyboard-trap", "kwcag-focus-visible"), walk))
            self._visit.phase = "checks"
        result.timings_ms["keyboard"] = _ms(t_keys)
        t_media = time.monotonic()
        raw.extend(await self._guarded("kwcag-autoplay", self._autoplay(media_first)))
        result.timings_ms["media"] = round(media_ms + _ms(t_media), 1)
        raw.extend(self._popup_findings(facts))
        if options.keyboard_checks:
            self._visit.phase = "probe"
            t_probe = time.monotonic()
            probe = shortcut_probe(page, facts, lambda: len(self._visit.dialogs))
            raw.extend(await self._guarded("kwcag-char-shortcut", probe))
            self._visit.phase = "checks"
            result.timings_ms["keyboard"] += _ms(t_probe)
        findings.extend(self._check_findings(raw))

        t_markup = time.monotonic()
        report: MarkupReport | str = await markup_task
        result.timings_ms["markup_wait"] = _ms(t_markup)
        findings.extend(self._markup_findings(report))
        if "load_wait" in result.timings_ms:
            findings.append(
                engine_note("page-still-loading", {"seconds": result.timings_ms["load_wait"] / 1000})
            )
        for failure in failed_notes:
            findings.append(engine_note("page-facts-failed", failure))
        result.timings_ms["checks"] = round(_ms(t_checks) + media_ms, 1)
        result.findings = findings
        result.item_status = item_statuses(findings, owner.registry)

    async def _guarded(self, rules: str | tuple[str, ...], work: Any) -> list[dict]:
        """Run checks; if the page breaks them (not a navigation or a crash), say so for review."""
        try:
            return await work
        except PlaywrightError as exc:
            if self._visit.crashed or _is_navigation_race(exc) or not self._owner.connected:
                raise
            names = (rules,) if isinstance(rules, str) else rules
            return [_note(rule, "check-failed", {"message": _first_line(exc)[:200]}) for rule in names]

    async def _thumbnail(self, result: PageResult) -> None:
        """The viewport as it loaded (before any check moves focus or scrolls) as a small JPEG.

        Playwright's screenshot cannot scale down (a 1280 x 900 JPEG of a portal page is 40-80 KB),
        so Chromium is asked directly for a scaled capture. A page that refuses simply has no
        thumbnail (the report says so); it is never an audit error."""
        started = time.monotonic()
        try:
            metrics = await asyncio.wait_for(self._cdp.send("Page.getLayoutMetrics"), 5)
            view = metrics["cssVisualViewport"]
            clip = {
                "x": view["pageX"],
                "y": view["pageY"],
                "width": view["clientWidth"],
                "height": view["clientHeight"],
                "scale": min(1.0, THUMBNAIL_WIDTH / max(view["clientWidth"], 1)),
            }
            shot = await asyncio.wait_for(
                self._cdp.send(
                    "Page.captureScreenshot", {"format": "jpeg", "quality": THUMBNAIL_QUALITY, "clip": clip}
                ),
                5,
            )
            result.thumbnail = base64.b64decode(shot["data"])
        except (PlaywrightError, TimeoutError, KeyError, ValueError):
            result.thumbnail = None
        result.timings_ms["thumbnail"] = _ms(started)

    async def _crops(self, result: PageResult, limit: int) -> None:
        """A small JPEG of the element of the first violation (else needs-review finding) of each KWCAG
        item, at most ``limit`` per page, for the reviewer's checklist.

        Taken after the checks, in document coordinates (the keyboard checks may have scrolled); the
        boxes of all candidates are read in one evaluate, then one scaled CDP capture per crop. An
        element outside the viewport is scrolled to the middle of it first on a desktop: capturing
        beyond the viewport makes Chromium lay out the whole page again, 3-6 times slower on a long
        page (benchmarks/audit_page.md). It remains the way on a phone (after the reflow check has
        resized the viewport, a capture at the scrolled position came out blank) and when the window
        cannot scroll there.
        An element that is gone, hidden, in a frame or the whole page has no crop; a page that
        refuses keeps the crops taken so far. Never an audit error.
        An element already cropped by this browser (same rule, selector, snippet and box size: a
        site's header, menu or footer on page after page) reuses that image instead of a capture."""
        started = time.monotonic()
        per_item: dict[str, list[Finding]] = {}
        for outcome in ("violation", "incomplete"):
            for f in result.findings:
                if f.outcome != outcome or not f.kwcag or not f.selector or ">>>" in f.selector:
                    continue
                candidates = per_item.setdefault(f.kwcag[0], [])
                if len(candidates) < 3 and all(c.selector != f.selector for c in candidates):
                    candidates.append(f)
        chosen = [f for group in per_item.values() for f in group]
        crops: list[ElementCrop] = []
        cache = self._owner.crop_cache
        if chosen:
            try:
                found = await asyncio.wait_for(
                    self._page.evaluate(_ELEMENT_BOXES_JS, [f.selector for f in chosen]), 5
                )
                page = found["page"]
                done: set[str] = set()
                # scrollX, scrollY, width, height of the viewport (scrolling below moves the first two)
                view: list[float] = [page["viewX"], page["viewY"], page["viewW"], page["viewH"]]
                for f, box in zip(chosen, found["boxes"], strict=True):
                    item = f.kwcag[0]
                    if box is None or item in done or len(crops) >= limit:
                        continue
                    key = (f.rule_id, f.selector, f.snippet, round(box["w"]), round(box["h"]))
                    cached = cache.get(key)
                    if cached is not None:
                        crops.append(ElementCrop(item, f.rule_id, f.selector, cached))
                        done.add(item)
                        continue
                    x, y = max(0.0, box["x"] - CROP_MARGIN), max(0.0, box["y"] - CROP_MARGIN)
                    max_w, max_h = min(CROP_MAX_AREA[0], page["viewW"]), min(CROP_MAX_AREA[1], page["viewH"])
                    width = min(box["w"] + 2 * CROP_MARGIN, max_w, page["pageW"] - x)
                    height = min(box["h"] + 2 * CROP_MARGIN, max_h, page["pageH"] - y)
                    if width < 1 or height < 1:
                        continue
                    # In CSS pixels: a phone's device pixel ratio does not enlarge the capture.
                    scale = min(1.0, CROP_MAX_SIZE[0] / width, CROP_MAX_SIZE[1] / height)
                    inside = _inside(x, y, width, height, view)
                    if not inside and self._owner.options.device == "desktop":
                        target = [x + width / 2 - view[2] / 2, y + height / 2 - view[3] / 2]
                        view[:2] = await asyncio.wait_for(self._page.evaluate(_SCROLL_TO_JS, target), 5)
                        inside = _inside(x, y, width, height, view)
                    clip = {"x": x, "y": y, "width": width, "height": height, "scale": scale}
                    shot = await asyncio.wait_for(
                        self._cdp.send(
                            "Page.captureScreenshot",
                            {
                                "format": "jpeg",
                                "quality": CROP_QUALITY,
                                "clip": clip,
                                "captureBeyondViewport": not inside,
                            },
                        ),
                        5,
                    )
                    image = base64.b64decode(shot["data"])
                    crops.append(ElementCrop(item, f.rule_id, f.selector, image))
                    done.add(item)
                    if len(cache) < CROP_CACHE_SIZE:
                        cache[key] = image
            except (PlaywrightError, TimeoutError, KeyError, TypeError, ValueError):
                pass
        result.crops = crops
        result.timings_ms["crops"] = _ms(started)

    async def _markup(self, result: PageResult) -> MarkupReport | str:
        main = self._visit.main_response
        if main is None:
            return "no HTTP response was recorded"
        try:
            body = await main.body()
        except PlaywrightError as exc:
            return f"the browser kept no copy of the response body ({_first_line(exc)})"
        if len(body) > self._owner.options.max_html_bytes:
            return f"the body is larger than {self._owner.options.max_html_bytes} bytes"
        return await asyncio.to_thread(check_markup, body, result.content_type)

    async def _media_states(self) -> list[dict[str, Any]]:
        states = []
        for frame in self._page.frames:
            if frame.is_detached():
                continue
            try:
                state = await asyncio.wait_for(frame.evaluate(script("media_state.js")), 10)
            except (PlaywrightError, TimeoutError):
                continue
            if state:
                state["main"] = frame is self._page.main_frame
                states.append(state)
        return states

    async def _autoplay(self, first: list[dict[str, Any]]) -> list[dict]:
        """KWCAG 1.4.2: media still audible about 3 s after load."""
        rule = "kwcag-autoplay"
        if not any(s["media"] or s["embeds"] or s["bgsound"] for s in first):
            return [_raw(rule, "inapplicable", "autoplay-none", {})]
        if self._visit.load_at is not None:
            wait = AUTOPLAY_GRACE_S - (time.monotonic() - self._visit.load_at)
            if wait > 0:
                await asyncio.sleep(wait)
        seconds = round(time.monotonic() - (self._visit.load_at or time.monotonic()), 1)
        states = await self._media_states()
        out: list[dict] = []
        for state in states:
            for m in state["media"]:
                audible = (
                    not m["paused"]
                    and not m["ended"]
                    and not m["muted"]
                    and m["volume"] > 0
                    and m["currentTime"] > 0
                    and m["hasAudio"]
                )
                where = {"selector": m["selector"], "snippet": m["html"]}
                data = {
                    k: m[k]
                    for k in ("paused", "muted", "volume", "currentTime", "duration", "loop", "controls")
                }
                if not audible:
                    out.append(_raw(rule, "pass", "autoplay-silent", {}, where, data))
                elif m["controls"] or state["stopControl"]:
                    out.append(
                        _raw(rule, "incomplete", "autoplay-sound-control", {"seconds": seconds}, where, data)
                    )
                else:
                    out.append(_raw(rule, "violation", "autoplay-sound", {"seconds": seconds}, where, data))
            for e in state["embeds"]:
                out.append(
                    _raw(rule, "incomplete", "autoplay-embed", {"src": e["src"][:80]}, {"snippet": e["html"]})
                )
            if state["bgsound"]:
                out.append(_raw(rule, "violation", "autoplay-bgsound", {}, {"selector": "bgsound"}))
        return out or [_raw(rule, "inapplicable", "autoplay-none", {})]

    def _popup_findings(self, facts: dict[str, Any]) -> list[dict]:
        """KWCAG 3.2.1: windows and dialogs that opened without a user action."""
        rule = "kwcag-unrequested-popup"
        out = []
        for d in self._visit.dialogs:
            if d["phase"] in ("load", "checks") and d["type"] != "beforeunload":
                out.append(
                    _raw(
                        rule,
                        "violation",
                        "popup-dialog",
                        {"kind": d["type"], "text": d["message"][:80]},
                        None,
                        d,
                    )
                )
        opens = [o for o in facts.get("opens") or [] if not o.get("userAction")]
        popups = [p for p in self._visit.popups if p["phase"] in ("load", "checks")]
        for i in range(max(len(opens), len(popups))):
            url = opens[i]["url"] if i < len(opens) else popups[i]["url"]
            out.append(_raw(rule, "violation", "popup-window", {"url": url[:120] or "about:blank"}))
        return out or [_raw(rule, "pass", "popup-none", {})]

    # ---- conversion ----
    def _axe_findings(self, raw: dict[str, Any]) -> list[Finding]:
        registry = self._owner.registry
        out: list[Finding] = []
        for key, outcome in (("violations", "violation"), ("incomplete", "incomplete"), ("passes", "pass")):
            for rule in raw.get(key) or []:
                item = registry.item_for_rule(rule["id"])
                wcag = wcag_from_tags(rule.get("tags") or []) or (list(item.wcag) if item else [])
                en, ko = axe_messages(rule.get("help") or rule["id"], outcome, item)
                for node in rule.get("nodes") or []:
                    summary = node.get("summary")
                    out.append(
                        Finding(
                            rule_id=rule["id"],
                            source="axe",
                            outcome=outcome,
                            impact=(node.get("impact") or rule.get("impact")) if outcome != "pass" else None,
                            kwcag=[item.id] if item else [],
                            wcag=wcag,
                            selector=_selector(node.get("target")),
                            snippet=node.get("html"),
                            message_en=en,
                            message_ko=ko,
                            help_url=rule.get("helpUrl"),
                            data={"summary": summary} if summary else {},
                        )
                    )
        for rule in raw.get("inapplicable") or []:
            item = registry.item_for_rule(rule["id"])
            en, ko = axe_messages(rule.get("help") or rule["id"], "inapplicable", item)
            out.append(
                Finding(
                    rule_id=rule["id"],
                    source="axe",
                    outcome="inapplicable",
                    impact=None,
                    kwcag=[item.id] if item else [],
                    wcag=wcag_from_tags(rule.get("tags") or []) or (list(item.wcag) if item else []),
                    selector=None,
                    snippet=None,
                    message_en=en,
                    message_ko=ko,
                    help_url=rule.get("helpUrl"),
                )
            )
        return out

    def _check_findings(self, raw: list[dict]) -> list[Finding]:
        registry = self._owner.registry
        out = []
        for r in raw:
            out.append(check_finding(registry, r["rule"], r["outcome"], r["code"], r.get("params") or {},
                                     r.get("selector"), r.get("snippet"), r.get("data") or {}))  # fmt: skip
        return out

    def _markup_findings(self, report: MarkupReport | str) -> list[Finding]:
        registry = self._owner.registry
        rule = "kwcag-markup"
        if isinstance(report, str):
            return [check_finding(registry, rule, "incomplete", "markup-no-source", {"reason": report})]
        out = []
        for e in report.errors:
            if e.kind == "duplicate-id":
                code, params = (
                    "markup-duplicate-id",
                    {"id": e.data.get("id"), "first_line": e.data.get("first_line")},
                )
            elif e.kind == "duplicate-attribute":
                code = "markup-duplicate-attribute"
                params = {"tag": e.tag or "?", "attributes": ", ".join(e.data.get("attributes") or []) or "?"}
            elif e.code.startswith("end-tag-too-early"):
                code, params = "markup-closed-early", {"tag": e.tag or "?", "code": e.code}
            elif e.code == "non-void-element-with-trailing-solidus":
                code, params = "markup-self-closed", {"tag": e.tag or "?"}
            elif e.code.startswith("eof-in-attribute"):
                code, params = "markup-unclosed-attribute", {"code": e.code}
            elif e.kind == "unclosed":
                code, params = "markup-unclosed", {"tag": e.tag or "?", "code": e.code}
            else:
                code, params = "markup-misnested", {"tag": e.tag or "?", "code": e.code}
            data = {"line": e.line, "column": e.column, "code": e.code, "kind": e.kind, **e.data}
            out.append(check_finding(registry, rule, "violation", code, params, None, e.snippet, data))
        if report.total > len(report.errors):
            out.append(
                check_finding(
                    registry,
                    rule,
                    "violation",
                    "check-truncated",
                    {"count": report.total - len(report.errors), "limit": len(report.errors)},
                )  # fmt: skip
            )
        if report.checked < report.size:
            out.append(
                check_finding(
                    registry,
                    rule,
                    "incomplete",
                    "markup-truncated",
                    {"checked": report.checked, "size": report.size},
                )
            )
        if not out:
            out.append(
                check_finding(
                    registry, rule, "pass", "markup-ok", {}, None, None, {"encoding": report.encoding}
                )
            )
        return out

    # ---- between audits ----
    async def _reset(self) -> None:
        """Leave nothing behind for the next audit: page, dialogs, pop-ups, cookies, storage."""
        self._visit.phase = "reset"
        page = self._page
        try:
            if self._visit.crashed or self._visit.stuck or page is None or page.is_closed():
                raise RuntimeError("page gone")
            if self._visit.main_response is not None:  # a document ran: it may have used sessionStorage
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(_quiet_eval(page, _CLEAR_STORAGE_JS), 1)
            # A navigation the page scheduled itself (meta refresh, a script's location change) can
            # still be on its way: stop it first, or it lands during the next audit.
            await asyncio.wait_for(self._cdp.send("Page.stopLoading"), 5)
            await asyncio.wait_for(page.goto("about:blank", timeout=5_000), 6)
            if page.main_frame.url != "about:blank":
                raise RuntimeError("the page navigated away from about:blank by itself")
            for other in list(self._context.pages):
                if other is not page:
                    await _quietly(other.close())
            await asyncio.wait_for(self._context.clear_cookies(), 5)
            await asyncio.wait_for(self._context.clear_permissions(), 5)
            for origin in self._visit.origins | self._stale_origins:
                await asyncio.wait_for(
                    self._cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"}), 5
                )
            self._stale_origins = set()
        except Exception:  # noqa: BLE001 - a page that will not reset is replaced
            self._stale_origins |= self._visit.origins
            await self._reopen()


def engine_note(code: str, params: dict[str, Any]) -> Finding:
    """A note about the audit itself (not a KWCAG result): feeds no item, never changes a status."""
    en, ko = render(code, params)
    return Finding(
        rule_id=code,
        source="kwcag",
        outcome="incomplete",
        impact=None,
        kwcag=[],
        wcag=[],
        selector=None,
        snippet=None,
        message_en=en,
        message_ko=ko,
        data=dict(params),
    )


def _note(rule: str, code: str, params: dict[str, Any]) -> dict:
    return _raw(rule, "incomplete", code, params)


def _inside(x: float, y: float, width: float, height: float, view: list[float]) -> bool:
    """Whether a box in document coordinates lies within the viewport ``view`` (x, y, width, height)."""
    return (
        x >= view[0] and y >= view[1] and x + width <= view[0] + view[2] and y + height <= view[1] + view[3]
    )


def wcag_from_tags(tags: list[str]) -> list[str]:
    """axe tags ``wcag111``, ``wcag1412`` -> WCAG success criteria ``1.1.1``, ``1.4.12``."""
    out = []
    for tag in tags:
        m = re.fullmatch(r"wcag(\d)(\d)(\d{1,2})", tag)
        if m:
            sc = f"{m.group(1)}.{m.group(2)}.{m.group(3)}"
            if sc not in out:
                out.append(sc)
    return out


def _selector(target: Any) -> str | None:
    """axe's node target (a list; nested for frames and shadow DOM) as one string."""
    if target is None:
        return None
    if isinstance(target, str):
        return target
    parts = []
    for part in target:
        parts.append(" >>> ".join(part) if isinstance(part, list) else str(part))
    return " >>> ".join(parts) if len(parts) > 1 else (parts[0] if parts else None)


def describe_net_error(text: str, url: str) -> str:
    """One line for a Chromium network error (``net::ERR_…``)."""
    parts = urlsplit(url)
    host = parts.hostname or url
    m = re.search(r"net::(ERR_[A-Z_]+)", text)
    code = m.group(1) if m else None
    known = {
        "ERR_NAME_NOT_RESOLVED": f"DNS lookup failed: host {host!r} not found",
        "ERR_NAME_RESOLUTION_FAILED": f"DNS lookup failed for host {host!r}",
        "ERR_CONNECTION_REFUSED": f"connection refused by {host}:{parts.port or _default_port(parts.scheme)}",
        "ERR_CONNECTION_TIMED_OUT": f"no answer from {host} (connection timed out)",
        "ERR_TIMED_OUT": f"no answer from {host} (timed out)",
        "ERR_ADDRESS_UNREACHABLE": f"host {host} is unreachable",
        "ERR_INTERNET_DISCONNECTED": "no network connection",
        "ERR_NETWORK_CHANGED": "the network changed during the request",
        "ERR_TOO_MANY_REDIRECTS": "redirect loop: too many HTTP redirects",
        "ERR_EMPTY_RESPONSE": f"{host} closed the connection without an answer",
        "ERR_CONNECTION_RESET": f"{host} reset the connection",
        "ERR_CONNECTION_CLOSED": f"{host} closed the connection",
        "ERR_UNSAFE_PORT": f"port {parts.port} is blocked by the browser (unsafe port)",
        "ERR_INVALID_URL": "invalid URL",
        "ERR_ABORTED": "the browser aborted the navigation (net::ERR_ABORTED)",
        "ERR_INVALID_RESPONSE": f"{host} sent an invalid HTTP response",
        "ERR_SSL_PROTOCOL_ERROR": f"TLS handshake with {host} failed",
    }
    if code in known:
        return known[code]
    if code and code.startswith("ERR_CERT"):
        return f"TLS certificate error for {host} ({code})"
    if code:
        return f"the page could not be loaded (net::{code})"
    return _first_line(text)


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _is_html(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media in ("text/html", "application/xhtml+xml", "")


def _content_length(response: Any) -> int | None:
    try:
        value = response.headers.get("content-length") if response is not None else None
        return int(value) if value else None
    except (ValueError, TypeError, PlaywrightError):
        return None


def _too_big(size: int, limit: int) -> str:
    return f"page too large: {size / 1e6:.1f} MB of HTML (the limit is {limit / 1e6:g} MB)"


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _is_navigation_race(exc: Exception) -> bool:
    text = str(exc)
    return any(
        s in text
        for s in (
            "Execution context was destroyed",
            "navigation",
            "Navigating frame was detached",
            "frame was detached",
            "Cannot find context",
        )
    )


def _first_line(exc: Exception | str) -> str:
    text = str(exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    return re.sub(r"^\w+\.\w+: ", "", line)[:300]


def _ms(since: float) -> float:
    return round((time.monotonic() - since) * 1000, 1)


def _left_ms(deadline: float) -> float:
    return max(1.0, (deadline - time.monotonic()) * 1000)


def _left_s(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


async def _quietly(awaitable: Any) -> None:
    with contextlib.suppress(Exception):
        await awaitable


async def _quiet_eval(page: Page, js: str) -> Any:
    try:
        return await page.evaluate(js)
    except PlaywrightError:
        return None


_META_REFRESH_JS = """() => {
  const m = document.querySelector('meta[http-equiv="refresh" i]');
  if (!m) return null;
  const n = parseFloat((m.getAttribute("content") || "").split(/[;,]/)[0]);
  return Number.isFinite(n) ? n : null;
}"""

_SCROLL_TO_JS = """([x, y]) => {
  window.scrollTo(Math.max(0, x), Math.max(0, y));
  return [window.scrollX, window.scrollY];
}"""

# Document-coordinate boxes of elements (null: gone, not rendered, or the page itself), with what
# PageWorker._crops needs to clip, scale and decide whether to capture beyond the viewport.
_ELEMENT_BOXES_JS = """(selectors) => {
  const de = document.documentElement;
  const page = { viewX: window.scrollX, viewY: window.scrollY, viewW: window.innerWidth, viewH: window.innerHeight,
                 pageW: Math.max(de.scrollWidth, window.innerWidth), pageH: Math.max(de.scrollHeight, window.innerHeight) };
  const boxes = selectors.map((s) => {
    let el = null;
    try { el = document.querySelector(s); } catch (e) { return null; }
    if (!el || el === de || el === document.body || el.closest("head")) return null;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return null;
    return { x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height };
  });
  return { page, boxes };
}"""

_CLEAR_STORAGE_JS = """() => {
  try { sessionStorage.clear(); } catch (e) {}
  try { localStorage.clear(); } catch (e) {}
  return true;
}"""

# axe.run with options passed as an argument; results trimmed in the page to what scoring needs.
# axe builds a CSS selector and a snippet for every node it returns, and on a typical page most of its
# time goes there, into passing nodes. The "ddkit" reporter keeps every passing node only for the rules
# listed in ``fullPasses`` and the first one elsewhere (enough for the item's page status), then hands
# over to axe's own v1 reporter: violations and needs-review nodes are untouched. About 40 % of axe's
# time on the benchmark site's pages (benchmarks/site_audit.md).
_AXE_RUN_JS = """async (o) => {
  if (!axe.__ddkitReporter) {
    axe.addReporter("ddkit", (raw, options, resolve, reject) => {
      const keep = new Set(options.fullPasses || []);
      for (const rule of raw) {
        if (!keep.has(rule.id) && rule.passes && rule.passes.length > 1) rule.passes = rule.passes.slice(0, 1);
      }
      axe.getReporter("v1")(raw, options, resolve, reject);
    });
    axe.__ddkitReporter = true;
  }
  const r = await axe.run(document, o.options);
  const cut = (s, n) => (s && s.length > n ? s.slice(0, n) + "…" : s || "");
  const trim = (list) => list.map((rule) => ({
    id: rule.id, impact: rule.impact, tags: rule.tags, help: rule.help, helpUrl: rule.helpUrl,
    nodes: rule.nodes.map((n) => ({
      target: n.target, html: cut(n.html, o.snippet), impact: n.impact,
      summary: n.failureSummary ? cut(n.failureSummary, 400) : null,
    })),
  }));
  // One JSON string crosses to Python much faster than the same data as a structured value.
  return JSON.stringify({
    version: axe.version,
    violations: trim(r.violations), incomplete: trim(r.incomplete), passes: trim(r.passes),
    inapplicable: r.inapplicable.map((x) => ({ id: x.id, tags: x.tags, help: x.help, helpUrl: x.helpUrl })),
  });
}"""


def audit_urls(
    urls: list[str],
    options: AuditOptions = AuditOptions(),  # noqa: B008 - frozen dataclass
    progress: Callable[[PageResult], None] | None = None,
    devices: tuple[str, ...] | None = None,
) -> list[PageResult]:
    """Synchronous convenience: one browser, one worker per device, pages in order.

    ``devices`` (default: ``options.device`` alone) audits every URL on each device in turn, in one
    Chromium: ``("desktop", "mobile")`` gives the desktop result of a URL, then its phone result."""
    devices = devices or (options.device,)

    async def run() -> list[PageResult]:
        browser = await Browser.launch(replace(options, device=devices[0]))
        try:
            workers = [await (await browser.for_device(d)).worker() for d in devices]
            results = []
            for url in urls:
                for worker in workers:
                    result = await worker.audit(url)
                    results.append(result)
                    if progress is not None:
                        progress(result)
            return results
        finally:
            await browser.close()

    return asyncio.run(run())

"""Mobile criteria, checked on pages rendered with phone emulation (``--device mobile|both``).

On top of the desktop checks, for a phone:

- ``mobile-target-size`` (KWCAG 2.1.3, WCAG 2.5.8): touch targets of at least 24 x 24 CSS px (NIA's
  mobile figure), or spaced so that a 24 px circle centred on a smaller target touches no other target
  or circle. On a phone it replaces the desktop diagonal check ``kwcag-control-size`` for item 2.1.3;
- ``mobile-zoom`` (WCAG 1.4.4): ``user-scalable=no`` or ``maximum-scale`` < 2 in the viewport meta;
- ``mobile-reflow`` (WCAG 1.4.10): the page is laid out 320 CSS px wide and must not scroll sideways,
  measured in the rendered page, then the viewport is put back;
- ``mobile-orientation`` (WCAG 1.3.4): ``screen.orientation.lock()`` calls (recorded by instrument.js)
  and orientation media rules that rotate or hide the whole page;
- ``mobile-touch-gesture`` (KWCAG 2.5.1): swipe / drag / multi-touch handlers with no button nearby,
  for review.

Zoom, reflow and orientation have no KWCAG 2.2 item: their findings carry the WCAG criterion and are
reported, never scored (registry ``wcag_only_checks``).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from playwright.async_api import Page

from a11y_audit.checks import bundle
from a11y_audit.checks.findings import raw_finding as _raw

MOBILE_RULES = (
    "mobile-target-size",
    "mobile-zoom",
    "mobile-reflow",
    "mobile-orientation",
    "mobile-touch-gesture",
)
#: NIA's KWCAG 2.1.3 figure for phones, and WCAG 2.5.8's.
TOUCH_TARGET_PX = 24
#: WCAG 1.4.10: 320 CSS px wide (1280 px at 400 % zoom).
REFLOW_WIDTH_PX = 320
#: How long the page gets to lay itself out again after the viewport changes (resize handlers).
RELAYOUT_WAIT_MS = 150


async def mobile_checks(
    page: Page, raw: list[dict[str, Any]], max_per_check: int, snippet: int
) -> list[dict]:
    """The mobile checks' raw findings (same shape as dom_checks.js).

    ``raw`` holds the desktop DOM checks' findings of the page; the ``kwcag-control-size`` ones are
    removed from it in place, since on a phone item 2.1.3 is judged by ``mobile-target-size``."""
    opts = {"maxPerCheck": max_per_check, "snippetLength": snippet, "minSide": TOUCH_TARGET_PX}
    dom = json.loads(await page.evaluate(bundle("mobile_checks.js"), opts))
    raw[:] = [r for r in raw if r.get("rule") != "kwcag-control-size"]
    out: list[dict] = list(dom["findings"])
    for rule, count in (dom.get("truncated") or {}).items():
        out.append(_raw(rule, "incomplete", "check-truncated", {"count": count, "limit": max_per_check}))
    for failure in dom.get("failures") or []:
        out.append(_raw(failure["check"], "incomplete", "check-failed", {"message": failure["message"]}))
    out.extend(await reflow_check(page))
    return out


async def reflow_check(page: Page, width: int = REFLOW_WIDTH_PX) -> list[dict]:
    """WCAG 1.4.10: lay the page out ``width`` CSS px wide, look for horizontal scrolling, restore."""
    rule = "mobile-reflow"
    size = page.viewport_size
    if not size:
        return [_raw(rule, "incomplete", "reflow-not-measured", {"reason": "no fixed viewport"})]
    try:
        await page.set_viewport_size({"width": width, "height": size["height"]})
        facts = await page.evaluate(bundle("reflow.js"), {"wait": RELAYOUT_WAIT_MS, "snippetLength": 200})
    finally:
        await page.set_viewport_size(size)
        await asyncio.sleep(0)
    viewport, scroll = facts["viewport"], facts["scrollWidth"]
    params = {"viewport": width, "width": scroll}
    if viewport > width + 1:
        return [_raw(rule, "incomplete", "reflow-fixed-width", {"viewport": width, "width": viewport})]
    if scroll <= viewport + 1:
        return [_raw(rule, "pass", "reflow-ok", {"viewport": width})]
    offenders = facts["offenders"]
    real = [o for o in offenders if not o["exempt"]]
    if offenders and not real:
        return [_raw(rule, "incomplete", "reflow-2d", params, offenders[0])]
    if not real:
        return [_raw(rule, "violation", "reflow-scroll", params, None, {"selector": "html"})]
    return [
        _raw(rule, "violation", "reflow-overflow", {**params, "overflow": o["overflow"]}, o) for o in real[:5]
    ]

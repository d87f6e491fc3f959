"""Checks that need real key presses in the page (Playwright keyboard, not synthetic DOM events).

- KWCAG 2.4.1 skip link: press Tab from the top of the page; the first element that takes focus must
  be a link to the main content ("본문 바로가기"), visible while focused; press Enter, and keyboard
  focus must really land in the target (focused, or the next Tab goes inside or after the target).
- KWCAG 2.1.4 single-character shortcuts: when the page listens for keys on window/document/body,
  press a few printable keys with nothing focused and watch for focus moves, scrolling, URL changes,
  dialogs and DOM changes that were not already happening before the first key. Only ever a flag for
  review: the check cannot know whether the shortcut can be turned off.

Each function returns raw findings in the same shape as ``dom_checks.js`` returns them.
"""

from __future__ import annotations

import asyncio
from typing import Any

from playwright.async_api import Page

#: Printable keys pressed by the shortcut probe, with nothing focused.
PROBE_KEYS = ("s", "/", "?", "k", "1")

# Back to "nothing focused, at the top": blur, and move the sequential focus navigation starting point
# to <body> (focusing it once with tabindex=-1), so the next Tab goes to the first focus stop.
_TO_TOP = """
  const a = document.activeElement;
  if (a && a !== document.body && typeof a.blur === "function") a.blur();
  const b = document.body;
  if (b) {
    const old = b.getAttribute("tabindex");
    b.setAttribute("tabindex", "-1");
    b.focus({ preventScroll: true });
    b.blur();
    if (old === null) b.removeAttribute("tabindex"); else b.setAttribute("tabindex", old);
  }
  window.scrollTo(0, 0);
"""

_BLUR_JS = "() => {" + _TO_TOP + "}"

# Describe the focused element: identity, whether it looks like a skip link, and whether a sighted
# keyboard user can see it (size, on screen, not clipped by an ancestor, not transparent).
_DESCRIBE_JS = r"""(skipSource) => {
  const SKIP_RE = new RegExp(skipSource, "i");
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  let selector = null;
  try {
    if (window.axe && window.axe.setup) {
      window.axe.setup(document);
      try { selector = window.axe.utils.getSelector(el); } finally { window.axe.teardown(); }
    }
  } catch (e) { selector = null; }
  if (!selector) selector = el.id ? "#" + CSS.escape(el.id) : el.localName;
  const labelled = (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean)
    .map((id) => document.getElementById(id)).filter(Boolean).map((n) => n.textContent).join(" ");
  const alt = Array.from(el.querySelectorAll("img[alt]")).map((i) => i.alt).join(" ");
  const own = (el.getAttribute("alt") || el.getAttribute("value") || el.getAttribute("placeholder") || "");
  const text = (el.textContent + " " + alt).replace(/\s+/g, " ").trim();
  const name = (labelled || el.getAttribute("aria-label") || text || el.getAttribute("title") || own || "")
    .replace(/\s+/g, " ").trim() || selector;
  const href = el.localName === "a" ? el.getAttribute("href") || "" : "";
  let hash = null;
  if (href.includes("#")) {
    try {
      const u = new URL(href, document.baseURI);
      if (u.origin + u.pathname + u.search === location.origin + location.pathname + location.search)
        hash = decodeURIComponent(u.hash.slice(1));
    } catch (e) { hash = null; }
  }
  const r = el.getBoundingClientRect();
  let left = r.left, top = r.top, right = r.right, bottom = r.bottom;
  for (let p = el.parentElement; p && p !== document.documentElement; p = p.parentElement) {
    const s = getComputedStyle(p);
    if (s.overflow !== "visible" || s.clipPath !== "none" || s.clip !== "auto") {
      const q = p.getBoundingClientRect();
      left = Math.max(left, q.left); top = Math.max(top, q.top);
      right = Math.min(right, q.right); bottom = Math.min(bottom, q.bottom);
    }
  }
  const style = getComputedStyle(el);
  const shown = el.checkVisibility ? el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) : true;
  const clipped = (style.clip !== "auto" && /rect\(\s*0/.test(style.clip)) || /inset\(\s*50%/.test(style.clipPath);
  const w = right - left, h = bottom - top;
  const onScreen = right > 0 && bottom > 0 && left < innerWidth && top < innerHeight;
  return {
    selector, name: name.slice(0, 80), snippet: (el.outerHTML || "").slice(0, 200), hash,
    isSkip: SKIP_RE.test(name), visible: shown && !clipped && w >= 2 && h >= 2 && onScreen,
    box: { x: Math.round(left), y: Math.round(top), width: Math.round(w), height: Math.round(h) },
  };
}"""

_TARGET_JS = """(hash) => {
  const t = document.getElementById(hash) || document.getElementsByName(hash)[0] || null;
  if (!t) return { exists: false };
  const a = document.activeElement;
  return { exists: true, focusedInside: !!a && (a === t || t.contains(a)) };
}"""

_AFTER_TARGET_JS = """(hash) => {
  const t = document.getElementById(hash) || document.getElementsByName(hash)[0] || null;
  const a = document.activeElement;
  if (!t || !a || a === document.body) return { ok: false, next: a ? a.localName : null };
  const inside = a === t || t.contains(a);
  const after = !!(t.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING);
  const alt = Array.from(a.querySelectorAll("img[alt]")).map((i) => i.alt).join(" ");
  const label = (a.getAttribute("aria-label") || (a.textContent || "") + " " + alt).replace(/\\s+/g, " ").trim().slice(0, 60);
  return { ok: inside || after, next: label || a.localName };
}"""

SKIP_PATTERN = (
    r"(본문|콘텐츠|컨텐츠|주\s*내용|내용|메인|본\s*문)\s*(으로|로)?\s*(바로\s*가기|바로\s*이동|건너\s*뛰기|이동|가기)"
    r"|skip\s*(to\s*)?(the\s*)?(main|content|navigation|nav)|jump\s*to\s*(main\s*)?content"
)


def _finding(outcome: str, code: str, params: dict[str, Any], where: dict[str, Any] | None = None) -> dict:
    return {
        "rule": "kwcag-skip-link",
        "outcome": outcome,
        "selector": (where or {}).get("selector"),
        "snippet": (where or {}).get("snippet"),
        "code": code,
        "params": params,
        "data": {"box": (where or {}).get("box")} if where else {},
    }


_TAB_DOWN = {
    "type": "rawKeyDown",
    "key": "Tab",
    "code": "Tab",
    "windowsVirtualKeyCode": 9,
    "nativeVirtualKeyCode": 9,
}
_TAB_UP = {**_TAB_DOWN, "type": "keyUp"}


async def press_tab(page: Page, times: int = 1, cdp: Any = None) -> None:
    """Press Tab ``times`` times, as from a keyboard (Chromium's input pipeline, not DOM events).

    With the page's CDP session the key events are sent back to back and Chromium handles them
    in order: one round trip for the lot instead of two per press (Playwright's ``press``)."""
    if cdp is None:
        for _ in range(times):
            await page.keyboard.press("Tab")
        return
    await asyncio.gather(
        *(cdp.send("Input.dispatchKeyEvent", event) for _ in range(times) for event in (_TAB_DOWN, _TAB_UP))
    )


async def skip_link_check(
    page: Page, facts: dict[str, Any], settle_ms: int = 60, cdp: Any = None
) -> list[dict]:
    """KWCAG 2.4.1 with the keyboard: Tab, look, Enter, look (and Tab once more if needed)."""
    if facts.get("focusableCount") == 0:
        return [_finding("inapplicable", "skip-no-focusable", {})]
    await page.evaluate(_BLUR_JS)
    await press_tab(page, 1, cdp)
    first = await page.evaluate(_DESCRIBE_JS, SKIP_PATTERN)
    candidates = facts.get("skipCandidates") or []
    if first is None:
        return [
            {
                **_finding("incomplete", "skip-missing", {"first": "(nothing took focus)"}),
                "data": {"note": "Tab moved focus nowhere; test by hand"},
            }
        ]
    if not first["isSkip"] or first["hash"] is None:
        if candidates:
            return [
                _finding(
                    "violation",
                    "skip-not-first",
                    {"name": candidates[0]["name"], "first": first["name"]},
                    first,
                )
            ]
        return [_finding("violation", "skip-missing", {"first": first["name"]}, first)]
    name, target = first["name"], first["hash"]
    if not first["visible"]:
        return [_finding("violation", "skip-invisible", {"name": name}, first)]
    state = await page.evaluate(_TARGET_JS, target)
    if not state["exists"]:
        return [_finding("violation", "skip-no-target", {"name": name, "target": target}, first)]
    await page.keyboard.press("Enter")
    state = await page.evaluate(_TARGET_JS, target)
    if state.get("focusedInside"):
        return [_finding("pass", "skip-ok", {"name": name}, first)]
    # Usually the target cannot take focus and only the focus navigation starting point moved:
    # the next Tab must then go inside or after the target.
    await press_tab(page, 1, cdp)
    after = await page.evaluate(_AFTER_TARGET_JS, target)
    if after["ok"]:
        return [_finding("pass", "skip-ok", {"name": name}, first)]
    # A script may move focus a moment later (setTimeout, smooth scrolling): look once more.
    await asyncio.sleep(settle_ms / 1000)
    state = await page.evaluate(_TARGET_JS, target)
    if state.get("focusedInside"):
        return [_finding("pass", "skip-ok", {"name": name}, first)]
    return [
        _finding(
            "violation", "skip-focus-stays", {"name": name, "target": target, "next": after["next"]}, first
        )
    ]


_PROBE_INSTALL_JS = """() => {
  const KEY = Symbol.for("ddkit.probe");
  const state = { key: null, events: [], noisy: new Set(), baseline: true };
  window[KEY] = state;
  const note = (what, target) => {
    if (state.baseline) { if (target) state.noisy.add(target); return; }
    if (target && [...state.noisy].some((n) => n === target || (n.contains && n.contains(target)))) return;
    if (state.key) state.events.push({ key: state.key, what });
  };
  state.observer = new MutationObserver((records) => {
    for (const r of records) note("DOM change", r.target);
  });
  state.observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  window.addEventListener("keydown", (e) => { state.key = e.key; }, true);
  window.addEventListener("focusin", (e) => note("focus moved", null), true);
  window.addEventListener("scroll", () => note("page scrolled", null), true);
  window.addEventListener("hashchange", () => note("URL changed", null), true);
  state.href = location.href;
  return true;
}"""

_PROBE_START_JS = """() => { const s = window[Symbol.for("ddkit.probe")]; if (s) s.baseline = false; }"""

_PROBE_COLLECT_JS = """() => {
  const s = window[Symbol.for("ddkit.probe")];
  if (!s) return null;
  s.observer.disconnect();
  const events = s.events.slice(0, 20);
  if (location.href !== s.href) events.push({ key: s.key, what: "URL changed" });
  return { events };
}"""


async def shortcut_probe(page: Page, facts: dict[str, Any], dialogs_seen: callable) -> list[dict]:
    """KWCAG 2.1.4: single printable keys on an unfocused page; any reaction is flagged for review."""
    where = facts.get("keyHandlers") or []
    base = {"rule": "kwcag-char-shortcut", "selector": None, "snippet": None, "data": {}}
    if not where:
        return [{**base, "outcome": "inapplicable", "code": "shortcut-none", "params": {}}]
    await page.evaluate(_BLUR_JS)
    await page.evaluate(_PROBE_INSTALL_JS)
    await asyncio.sleep(0.06)  # baseline: what changes on its own (carousels, clocks) is ignored
    await page.evaluate(_PROBE_START_JS)
    dialogs_before = dialogs_seen()
    url_before = page.url
    reacted: dict[str, str] | None = None
    for key in PROBE_KEYS:
        await page.keyboard.press(key)
        await asyncio.sleep(0.02)
        if dialogs_seen() > dialogs_before:
            reacted = {"key": key, "change": "a dialog opened"}
            break
        if page.url.split("#")[0] != url_before.split("#")[0]:
            reacted = {"key": key, "change": "the page navigated"}
            break
    if reacted is None:
        collected = await page.evaluate(_PROBE_COLLECT_JS)
        events = (collected or {}).get("events") or []
        if events:
            reacted = {"key": events[0]["key"], "change": events[0]["what"]}
    if reacted:
        return [
            {
                **base,
                "outcome": "violation",
                "code": "shortcut-reacts",
                "params": reacted,
                "data": {"listeners_on": where},
            }
        ]
    return [
        {
            **base,
            "outcome": "pass",
            "code": "shortcut-quiet",
            "params": {"where": ", ".join(where), "keys": " ".join(PROBE_KEYS)},
            "data": {"listeners_on": where},
        }
    ]


# ---- KWCAG 2.1.2: a short Tab walk from the top (traps), then the look of focus stops ----

#: Tab presses of the walk; a trap further down the page is left to people.
WALK_STEPS = 10

_WALK_INSTALL_JS = (
    """() => {
  const s = { stops: [] };
  window[Symbol.for("ddkit.walk")] = s;
  window.addEventListener("keydown", (e) => {
    if (e.key !== "Tab") return;
    const a = document.activeElement;
    s.stops.push(a && a !== document.body && a !== document.documentElement ? a : null);
  }, true);"""
    + _TO_TOP
    + """
}"""
)

_DESCRIBE_EL = """
  // axe-core's selectors (the same as on axe findings); its DOM tree is built once per call.
  let axeTree = false;
  const selectorOf = (el) => {
    try {
      if (window.axe && window.axe.setup) {
        if (!axeTree) { window.axe.setup(document); axeTree = true; }
        return window.axe.utils.getSelector(el);
      }
    } catch (e) { /* fall back below */ }
    return el.id ? "#" + CSS.escape(el.id) : el.localName;
  };
  const done = () => { if (axeTree) { try { window.axe.teardown(); } catch (e) { /* nothing to undo */ } } };
  const describe = (el) => {
    const alt = Array.from(el.querySelectorAll("img[alt]")).map((i) => i.alt).join(" ");
    const name = (el.getAttribute("aria-label") || ((el.textContent || "") + " " + alt).trim() ||
      el.getAttribute("title") || el.getAttribute("value") || el.getAttribute("placeholder") || el.localName)
      .replace(/\\s+/g, " ").trim().slice(0, 60);
    return { selector: selectorOf(el), name, snippet: (el.outerHTML || "").slice(0, 200) };
  };
"""

_WALK_COLLECT_JS = (
    """() => {
  const s = window[Symbol.for("ddkit.walk")];
  if (!s) return null;"""
    + _DESCRIBE_EL
    + """
  const last = document.activeElement;
  const stops = s.stops.concat([last && last !== document.body && last !== document.documentElement ? last : null]);
  const FOCUSABLE = 'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]';
  let trap = null;
  for (let i = 1; i + 2 < stops.length && !trap; i++) {
    const el = stops[i];
    if (!el || el !== stops[i + 1] || el !== stops[i + 2]) continue;
    if (/^(iframe|frame|object|embed)$/.test(el.localName) || el.shadowRoot) continue; // focus moved inside
    const later = Array.from(document.querySelectorAll(FOCUSABLE)).some((x) =>
      x !== el && !el.contains(x) && !x.disabled && x.tabIndex >= 0 &&
      (el.compareDocumentPosition(x) & Node.DOCUMENT_POSITION_FOLLOWING) &&
      (!x.checkVisibility || x.checkVisibility({ visibilityProperty: true })));
    if (later) trap = describe(el);
  }
  done();
  return { trap, stops: new Set(stops.filter(Boolean)).size };
}"""
)

_FOCUS_LOOK_JS = (
    """(LIMIT) => {
  // The first focus stops in tab order (positive tabindex first), visited or not: an element that
  // throws focus away (onfocus=blur) never shows up as a stop of the walk.
  const FOCUSABLE = 'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]';
  const all = Array.from(document.querySelectorAll(FOCUSABLE)).filter((el) => !el.disabled && el.tabIndex >= 0 &&
    (!el.checkVisibility || el.checkVisibility({ visibilityProperty: true, opacityProperty: true })));
  const positive = all.filter((el) => el.tabIndex > 0).sort((a, b) => a.tabIndex - b.tabIndex);
  const ordered = positive.concat(all.filter((el) => el.tabIndex === 0));
  // Focus styles often differ by kind: also sample form fields and the start of the main content.
  const fields = ordered.filter((el) => el.matches("input, select, textarea, button")).slice(0, 8);
  const main = document.querySelector("main, [role=main], #content, #contents, #container");
  const inMain = main ? ordered.filter((el) => main.contains(el)).slice(0, 6) : [];
  const els = Array.from(new Set(ordered.slice(0, LIMIT).concat(fields, inMain)));"""
    + _DESCRIBE_EL
    + """
  const PROPS = ["outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "backgroundColor", "backgroundImage",
    "borderTopColor", "borderBottomColor", "borderLeftColor", "borderRightColor", "borderBottomWidth", "borderTopWidth",
    "color", "textDecorationLine", "opacity", "transform", "fontWeight"];
  const look = (el) => {
    const parts = [];
    const add = (node, pseudo) => {
      const cs = getComputedStyle(node, pseudo);
      parts.push(PROPS.map((p) => cs[p]).join("|"));
    };
    add(el); add(el, "::before"); add(el, "::after");
    for (const c of Array.from(el.children).slice(0, 3)) add(c);
    if (el.parentElement) add(el.parentElement);
    return parts.join("#");
  };
  const a = document.activeElement;
  if (a && a !== document.body && typeof a.blur === "function") a.blur();
  const out = [];
  for (const el of els) {
    if (!el.isConnected || (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true }))) continue;
    if (/^(iframe|frame|object|embed)$/.test(el.localName)) continue;
    const before = look(el);
    el.focus({ preventScroll: true });
    const kept = document.activeElement === el;
    const after = kept ? look(el) : before;
    if (kept) el.blur();
    const changed = before !== after;
    out.push(kept && changed ? { kept, changed } : { ...describe(el), kept, changed });
  }
  done();
  return out;
}"""
)


async def tab_walk(page: Page, facts: dict[str, Any], cdp: Any = None) -> list[dict]:
    """Press Tab from the top up to WALK_STEPS times; then compare each stop focused and not."""
    if facts.get("focusableCount") == 0:
        return [
            {
                **_base("kwcag-keyboard-trap"),
                "outcome": "inapplicable",
                "code": "skip-no-focusable",
                "params": {},
            },
            {
                **_base("kwcag-focus-visible"),
                "outcome": "inapplicable",
                "code": "skip-no-focusable",
                "params": {},
            },
        ]
    await page.evaluate(_WALK_INSTALL_JS)
    steps = min(WALK_STEPS, (facts.get("focusableCount") or WALK_STEPS) + 2)
    await press_tab(page, steps, cdp)
    walked = await page.evaluate(_WALK_COLLECT_JS) or {"trap": None, "stops": 0}
    out: list[dict] = []
    if walked["trap"]:
        t = walked["trap"]
        out.append(
            {
                **_base("kwcag-keyboard-trap"),
                "outcome": "violation",
                "code": "trap",
                "params": {"name": t["name"]},
                "selector": t["selector"],
                "snippet": t["snippet"],
            }  # fmt: skip
        )
    else:
        out.append(
            {
                **_base("kwcag-keyboard-trap"),
                "outcome": "pass",
                "code": "trap-none",
                "params": {"stops": walked["stops"]},
            }
        )
    looks = await page.evaluate(_FOCUS_LOOK_JS, WALK_STEPS)
    bad = 0
    for item in looks:
        if item["kept"] and item["changed"]:
            continue
        bad += 1
        code = "focus-invisible" if item["kept"] else "focus-removed"
        out.append(
            {
                **_base("kwcag-focus-visible"),
                "outcome": "violation",
                "code": code,
                "params": {"name": item["name"]},
                "selector": item["selector"],
                "snippet": item["snippet"],
            }  # fmt: skip
        )
    if looks and not bad:
        out.append(
            {
                **_base("kwcag-focus-visible"),
                "outcome": "pass",
                "code": "focus-visible-ok",
                "params": {"count": len(looks)},
            }
        )
    elif not looks:
        out.append(
            {
                **_base("kwcag-focus-visible"),
                "outcome": "inapplicable",
                "code": "skip-no-focusable",
                "params": {},
            }
        )
    return out


def _base(rule: str) -> dict:
    return {"rule": rule, "selector": None, "snippet": None, "data": {}}

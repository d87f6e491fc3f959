// ddkit's mobile checks that need only the DOM, evaluated in the main frame of a page rendered with
// phone emulation (a11y_audit.checks.mobile runs them, after the desktop DOM checks):
//   mobile-target-size   KWCAG 2.1.3 / WCAG 2.5.8: touch targets of 24 x 24 CSS px, or spaced so that a
//                        24 px circle centred on each small target touches no other target or circle;
//   mobile-zoom          WCAG 1.4.4: the viewport meta must not block pinch zoom;
//   mobile-orientation   WCAG 1.3.4: screen.orientation.lock() calls and CSS orientation media rules
//                        that rotate or hide the page;
//   mobile-touch-gesture KWCAG 2.5.1: touch / pointer-move handlers (swipe, drag) with no button nearby.
// Findings come from kit.js, as dom_checks.js's do: rule, outcome, selector, snippet, code, params, data.
(opts, kit) => {
  const SIDE = opts.minSide || 24;
  const instrument = window[Symbol.for("ddkit.instrument")] || null;
  const html = document.documentElement;
  const body = document.body;
  const { findings, truncated, failures, selectorOf, clip, add, safely, visible } = kit;
  const round = (x) => Math.round(x * 10) / 10;

  // ---------- KWCAG 2.1.3 / WCAG 2.5.8 target size with the spacing exception ----------
  safely("mobile-target-size", () => {
    const CONTROL =
      'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="link"], [role="checkbox"], [role="radio"], [role="switch"], [role="tab"], [role="menuitem"], [role="option"]';
    const docW = Math.max(html.scrollWidth, innerWidth);
    const docH = Math.max(html.scrollHeight, innerHeight);
    const looseText = new Map();
    const inlineInText = (el) => {
      // WCAG 2.5.8 exempts targets inside a sentence or block of text.
      if (el.localName !== "a" || getComputedStyle(el).display !== "inline") return false;
      const parent = el.parentElement;
      if (!parent) return false;
      if (!looseText.has(parent)) {
        let loose = 0;
        for (const c of parent.childNodes) {
          if (c.nodeType === 3) loose += c.nodeValue.trim().length;
          else if (c.nodeType === 1 && !c.matches('a, button, input, select, textarea, [role="link"], [role="button"]'))
            loose += (c.textContent || "").trim().length;
        }
        looseText.set(parent, loose);
      }
      return looseText.get(parent) >= 10;
    };
    const targets = [];
    for (const el of document.querySelectorAll(CONTROL)) {
      if (el.disabled) continue;
      if (el.parentElement && el.parentElement.closest(CONTROL)) continue;
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      let left = r.left, top = r.top, right = r.right, bottom = r.bottom;
      if ((el.type === "checkbox" || el.type === "radio") && el.labels) {
        for (const lab of el.labels) {
          if (!visible(lab)) continue;
          const q = lab.getBoundingClientRect();
          if (q.width && q.height) {
            left = Math.min(left, q.left); top = Math.min(top, q.top);
            right = Math.max(right, q.right); bottom = Math.max(bottom, q.bottom);
          }
        }
      }
      const w = right - left;
      const h = bottom - top;
      if (w <= 1 || h <= 1) continue; // visually hidden (a skip link before focus)
      const x = left + scrollX, y = top + scrollY;
      if (x + w <= 0 || y + h <= 0 || x >= docW || y >= docH) continue; // parked off-screen
      if (inlineInText(el)) continue;
      targets.push({ el, left: x, top: y, right: x + w, bottom: y + h, w, h, cx: x + w / 2, cy: y + h / 2 });
    }
    if (!targets.length) {
      add("mobile-target-size", "inapplicable", null, "target-none", {});
      return;
    }
    const small = targets.filter((t) => t.w + 0.05 < SIDE || t.h + 0.05 < SIDE);
    const radius = SIDE / 2;
    const circleHitsRect = (t, o) => {
      const dx = Math.max(o.left - t.cx, 0, t.cx - o.right);
      const dy = Math.max(o.top - t.cy, 0, t.cy - o.bottom);
      return dx * dx + dy * dy < radius * radius - 0.01;
    };
    let spaced = 0;
    for (const t of small) {
      let neighbour = null;
      for (const o of targets) {
        if (o === t || o.el.contains(t.el) || t.el.contains(o.el)) continue;
        const oSmall = o.w + 0.05 < SIDE || o.h + 0.05 < SIDE;
        const hit = circleHitsRect(t, o) || (oSmall && Math.hypot(o.cx - t.cx, o.cy - t.cy) < SIDE - 0.01);
        if (hit) {
          neighbour = o;
          break;
        }
      }
      const size = { width: round(t.w), height: round(t.h), min: SIDE };
      if (neighbour) {
        add("mobile-target-size", "violation", t.el, "target-small", size, {
          data: { neighbour: selectorOf(neighbour.el) },
        });
      } else spaced += 1;
    }
    const ok = targets.length - small.length;
    if (ok + spaced)
      add("mobile-target-size", "pass", null, "target-ok", { ok, spaced, checked: targets.length, min: SIDE });
  });

  // ---------- WCAG 1.4.4 zoom not blocked by the viewport meta ----------
  safely("mobile-zoom", () => {
    const metas = document.querySelectorAll('meta[name="viewport" i]');
    if (!metas.length) {
      add("mobile-zoom", "pass", null, "zoom-no-viewport", {}, { selector: "head" });
      return;
    }
    const meta = metas[metas.length - 1]; // the browser applies the last one
    const content = meta.getAttribute("content") || "";
    const props = {};
    for (const part of content.split(/[,;]/)) {
      const [k, v] = part.split("=").map((s) => (s || "").trim().toLowerCase());
      if (k) props[k] = v || "";
    }
    const problems = [];
    const scalable = props["user-scalable"];
    if (scalable !== undefined && (scalable === "no" || scalable === "false" || (Number.isFinite(parseFloat(scalable)) && Math.abs(parseFloat(scalable)) < 1)))
      problems.push(`user-scalable=${scalable}`);
    const maxScale = parseFloat(props["maximum-scale"]);
    if (props["maximum-scale"] !== undefined && Number.isFinite(maxScale) && maxScale < 2)
      problems.push(`maximum-scale=${props["maximum-scale"]}`);
    const params = { content: clip(content, 120) };
    if (problems.length) add("mobile-zoom", "violation", meta, "zoom-blocked", { ...params, problems: problems.join(", ") });
    else add("mobile-zoom", "pass", meta, "zoom-ok", params);
  });

  // ---------- WCAG 1.3.4 orientation locked by script or CSS ----------
  safely("mobile-orientation", () => {
    let found = 0;
    const locks = instrument && instrument.orientationLocks ? instrument.orientationLocks : [];
    for (const lock of locks.slice(0, 5)) {
      if (lock.orientation === "any" || lock.orientation === "natural") continue;
      found += 1;
      add("mobile-orientation", "violation", null, "orientation-script", { orientation: lock.orientation }, {
        selector: null,
        snippet: `screen.orientation.lock("${clip(lock.orientation, 30)}")`,
      });
    }
    // CSS: an orientation media rule that rotates (90 / 270 degrees) or hides the whole page.
    const ROTATE = /rotate(z)?\(\s*(-?(90|270)deg|-?(0?\.25|0?\.75)turn|-?(1\.5708|4\.712)\d*rad|-?(100|300)grad)\s*\)|matrix\(\s*-?0(\.0+)?\s*,\s*-?1(\.0+)?\s*,\s*-?1(\.0+)?\s*,\s*-?0(\.0+)?/i;
    const elementCount = document.getElementsByTagName("*").length || 1;
    const isPageWide = (el) =>
      el === html || el === body || (body && body.contains(el) && el.getElementsByTagName("*").length >= 0.5 * elementCount);
    let unreadable = 0;
    const visit = (rules, media) => {
      for (const rule of rules) {
        if (rule.type === CSSRule.MEDIA_RULE || rule.type === CSSRule.SUPPORTS_RULE) {
          const text = rule.media ? rule.media.mediaText : "";
          visit(rule.cssRules, /orientation\s*:\s*(portrait|landscape)/i.test(text) ? text : media);
        } else if (rule.type === CSSRule.STYLE_RULE && media) {
          const style = rule.style;
          const rotates = ROTATE.test(style.transform || "") || ROTATE.test(style.rotate ? `rotate(${style.rotate})` : "");
          const hides = style.display === "none" || style.visibility === "hidden";
          if (!rotates && !hides) continue;
          let targets = [];
          try {
            targets = Array.from(document.querySelectorAll(rule.selectorText));
          } catch (e) {
            continue;
          }
          const page = targets.find(isPageWide);
          if (!page) continue;
          found += 1;
          add("mobile-orientation", "violation", page, "orientation-css", {
            media: clip(media, 80),
            how: rotates ? "rotate" : "hide",
          }, { data: { rule: clip(rule.cssText, 200) } });
          if (found >= 5) return;
        }
      }
    };
    for (const sheet of document.styleSheets) {
      let rules;
      try {
        rules = sheet.cssRules;
      } catch (e) {
        unreadable += 1; // a cross-origin sheet: its rules cannot be read
        continue;
      }
      if (rules) visit(rules, sheet.media && /orientation\s*:/i.test(sheet.media.mediaText) ? sheet.media.mediaText : null);
      if (found >= 5) break;
    }
    if (!found) add("mobile-orientation", "pass", null, "orientation-ok", { unreadable }, { data: { unreadable } });
  });

  // ---------- KWCAG 2.5.1 touch gestures without a single-pointer alternative ----------
  safely("mobile-touch-gesture", () => {
    const GESTURE = ["touchmove", "gesturestart", "gesturechange"];
    const NATIVE = 'a[href], button, input, select, textarea, [role="button"], [role="link"], [role="slider"]';
    const candidates = new Map();
    const consider = (el, why) => {
      if (!(el instanceof Element) || el === html || el === body || !visible(el)) return;
      const r = el.getBoundingClientRect();
      if (r.width * r.height < 400) return; // a gesture needs room: icons and handles are not swipe areas
      if (!candidates.has(el)) candidates.set(el, why);
    };
    if (instrument) {
      for (const t of instrument.listeningTargets()) {
        const types = instrument.listenersOf(t);
        // pointermove alone is hover tracking; with pointerdown it is a drag.
        const moves = types.filter((x) => GESTURE.includes(x) || (x === "pointermove" && types.includes("pointerdown")));
        // touchstart + touchend without click on a control is a fast tap, which is a single pointer.
        const swipe = types.includes("touchstart") && types.includes("touchend") && !types.includes("click")
          && !(t instanceof Element && t.matches(NATIVE));
        if (moves.length) consider(t, moves.join(", "));
        else if (swipe) consider(t, "touchstart, touchend");
      }
    }
    for (const el of document.querySelectorAll("[ontouchmove], [ontouchstart][ontouchend]")) consider(el, "ontouch*");
    for (const el of document.querySelectorAll('[draggable="true"]')) consider(el, "draggable");
    const BUTTONS = 'button, [role="button"], input[type="button"], input[type="image"], input[type="range"], a[href]';
    const STEP = /이전|다음|앞|뒤|처음|마지막|확대|축소|prev|next|previous|back|forward|zoom|[‹›<>«»◀▶◁▷←→+−-]/i;
    const isStep = (b) => {
      if (b.localName !== "a") return true;
      // A link in a slide goes somewhere; only a link that works like a button (#, javascript:, a prev /
      // next name) counts as a way to move the gesture area.
      const href = (b.getAttribute("href") || "").trim();
      const name = (b.getAttribute("aria-label") || b.textContent || b.getAttribute("title") || "").trim();
      return href === "#" || /^javascript:/i.test(href) || b.hasAttribute("aria-controls") || STEP.test(name);
    };
    const alternative = (el) => {
      // Buttons inside the gesture area or beside it (prev / next, +/-) give a single-pointer way:
      // carousels put them inside their container or next to the sliding track.
      let scope = el;
      for (let up = 0; up < 2 && scope; up += 1) {
        const buttons = Array.from(scope.querySelectorAll(BUTTONS)).filter((b) => b !== el && visible(b) && isStep(b));
        if (buttons.length) return buttons[0];
        scope = scope.parentElement;
        if (scope === body || scope === html) break;
      }
      return null;
    };
    let n = 0;
    for (const [el, why] of candidates) {
      if (++n > 20) break;
      const button = alternative(el);
      if (button) add("mobile-touch-gesture", "pass", el, "gesture-with-buttons", { events: why }, { data: { button: selectorOf(button) } });
      else add("mobile-touch-gesture", "incomplete", el, "gesture-no-alternative", { events: why });
    }
    if (!candidates.size) add("mobile-touch-gesture", "inapplicable", null, "gesture-none", {});
  });

  kit.done();
  return JSON.stringify({ findings, truncated, failures, layoutWidth: html.clientWidth });
}

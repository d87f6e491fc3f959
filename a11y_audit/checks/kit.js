// What every bundle of ddkit's in-page checks shares (dom_checks.js, mobile_checks.js and the reflow
// measurement of a11y_audit.checks.mobile): findings in one shape, capped per check; axe-core's
// selectors when axe is loaded, so a finding of ours and an axe finding on one element line up;
// snippets; checks that fail are reported instead of stopping the bundle. `bundle()` in
// a11y_audit/checks/__init__.py passes the kit to a bundle as its second argument; the bundle calls
// kit.done() before it returns (it undoes axe's set-up).
(opts) => {
  const MAX = opts.maxPerCheck || 400;
  const SNIPPET = opts.snippetLength || 200;
  const findings = [];
  const counts = {};
  const truncated = {};
  const failures = [];

  let idCounts = null;
  const ownSelector = (el) => {
    if (idCounts === null) {
      idCounts = new Map();
      for (const x of document.querySelectorAll("[id]")) idCounts.set(x.id, (idCounts.get(x.id) || 0) + 1);
    }
    const parts = [];
    let node = el;
    while (node && node.nodeType === 1) {
      if (node.id && idCounts.get(node.id) === 1) {
        parts.unshift("#" + CSS.escape(node.id));
        break;
      }
      let part = node.localName;
      const parent = node.parentElement;
      if (parent) {
        const same = Array.prototype.filter.call(parent.children, (c) => c.localName === node.localName);
        if (same.length > 1) part += `:nth-of-type(${same.indexOf(node) + 1})`;
      }
      parts.unshift(part);
      node = parent;
    }
    return parts.join(" > ");
  };
  // axe's DOM tree is built on the first selector asked for, not for a bundle that needs none.
  let axeState = null; // null: not tried; true: set up; false: no axe or it failed
  const selectorOf = (el) => {
    if (axeState === null) {
      axeState = false;
      if (typeof window.axe !== "undefined" && window.axe.utils && window.axe.setup) {
        try {
          window.axe.setup(document);
          axeState = true;
        } catch (e) { /* own selectors below */ }
      }
    }
    if (axeState) {
      try {
        return window.axe.utils.getSelector(el);
      } catch (e) { /* fall through */ }
    }
    return ownSelector(el);
  };
  const snippetOf = (el) => {
    const html = el.outerHTML || "";
    if (html.length <= SNIPPET) return html;
    const end = html.indexOf(">");
    const open = end > 0 ? html.slice(0, end + 1) : html;
    return (open.length > SNIPPET ? open.slice(0, SNIPPET) : open) + "…";
  };
  const clip = (s, n = 120) => {
    s = String(s == null ? "" : s).replace(/\s+/g, " ").trim();
    return s.length > n ? s.slice(0, n) + "…" : s;
  };
  const add = (rule, outcome, el, code, params = {}, extra = {}) => {
    counts[rule] = (counts[rule] || 0) + 1;
    if (counts[rule] > MAX) {
      truncated[rule] = (truncated[rule] || 0) + 1;
      return;
    }
    findings.push({
      rule,
      outcome,
      selector: el ? selectorOf(el) : extra.selector || null,
      snippet: el ? snippetOf(el) : extra.snippet || null,
      code,
      params,
      data: extra.data || {},
    });
  };
  const safely = (name, fn) => {
    try {
      fn();
    } catch (e) {
      failures.push({ check: name, message: String((e && e.message) || e).slice(0, 200) });
    }
  };
  const rendered = (el) => {
    if (!el.isConnected) return false;
    if (el.checkVisibility) return el.checkVisibility({ visibilityProperty: true });
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  };
  const visible = (el) => {
    if (!el.checkVisibility) return rendered(el);
    return el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  };
  const done = () => {
    if (axeState) {
      try {
        window.axe.teardown();
      } catch (e) { /* nothing to clean */ }
    }
  };
  return { findings, counts, truncated, failures, ownSelector, selectorOf, snippetOf, clip, add, safely, rendered, visible, done };
}

// WCAG 1.4.10, measured by a11y_audit.checks.mobile.reflow_check once the viewport is 320 CSS px wide.
// After the resize: wait for the page's own resize handlers and two frames, then measure. The
// offenders are the outermost visible elements that reach past the right edge (their parent does
// not), outside any element that scrolls sideways on its own; tables, images, maps, video, canvas and
// code are WCAG 1.4.10's two-dimensional exceptions.
async (opts, kit) => {
  await new Promise((r) => setTimeout(r, opts.wait));
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const html = document.documentElement;
  const body = document.body;
  const viewport = html.clientWidth;
  const scrollWidth = Math.max(html.scrollWidth, body ? body.scrollWidth : 0);
  const offenders = [];
  if (scrollWidth > viewport + 1 && body) {
    const TWO_D = "table, pre, code, img, picture, svg, canvas, video, iframe, object, embed, map, [role=img], [role=grid], [role=table], [role=application]";
    const { ownSelector, rendered } = kit;
    const scrollsItself = (el) => {
      const s = getComputedStyle(el);
      return (s.overflowX === "auto" || s.overflowX === "scroll" || s.overflowX === "hidden" || s.overflowX === "clip") && el.clientWidth <= viewport + 1;
    };
    const sticksOut = (el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.right + scrollX > viewport + 1;
    };
    const walk = (el) => {
      if (offenders.length >= 20) return;
      for (const child of el.children) {
        if (child.localName === "script" || child.localName === "style") continue;
        if (!rendered(child)) continue;
        if (sticksOut(child)) {
          const r = child.getBoundingClientRect();
          const html_ = child.outerHTML || "";
          const end = html_.indexOf(">");
          offenders.push({
            selector: ownSelector(child),
            snippet: (end > 0 ? html_.slice(0, end + 1) : html_).slice(0, opts.snippetLength),
            overflow: Math.round(r.right + scrollX - viewport),
            exempt: !!child.closest(TWO_D),
          });
        } else if (!scrollsItself(child)) walk(child);
      }
    };
    walk(body);
  }
  return { viewport, scrollWidth, offenders };
}

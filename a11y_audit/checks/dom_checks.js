// ddkit's own KWCAG DOM checks: one function, evaluated once in the main frame after axe-core ran.
// Each check is a small evaluator that returns findings with an outcome of
//   "violation" | "pass" | "incomplete" (a person must decide) | "inapplicable",
// a message code (Python turns it into Korean and English text) and evidence in `params` / `data`.
// The function also returns what the engine needs of the page (title, lang, links, tag paths, the
// skip-link candidates for the keyboard test). Selectors come from axe-core when it is loaded, so a
// finding of ours and an axe finding on the same element carry the same selector.
async (opts, kit) => {
  const MIN_SIDE = opts.minTargetSide || 17;
  const instrument = window[Symbol.for("ddkit.instrument")] || null;
  const { findings, counts, truncated, failures, selectorOf, clip, add, safely, rendered, visible } = kit;

  // ---------- helpers (the shared ones come from kit.js) ----------
  const textOf = (node) => {
    // Text a screen reader would get from the subtree: text nodes plus alt of images.
    let out = "";
    const walk = (n) => {
      if (n.nodeType === 3) out += n.nodeValue;
      else if (n.nodeType === 1) {
        const tag = n.localName;
        if (tag === "script" || tag === "style" || tag === "template" || tag === "noscript") return;
        if (n.getAttribute("aria-hidden") === "true") return;
        if (n !== node && n.checkVisibility && !n.checkVisibility({ visibilityProperty: true })) return;
        if (tag === "img" || (tag === "input" && n.type === "image") || tag === "area") {
          out += " " + (n.getAttribute("alt") || "") + " ";
          return;
        }
        for (const c of n.childNodes) walk(c);
      }
    };
    walk(node);
    return out.replace(/\s+/g, " ").trim();
  };
  const byIds = (ids) =>
    (ids || "")
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id))
      .filter(Boolean);
  const nameOf = (el) => {
    const labelled = byIds(el.getAttribute("aria-labelledby"));
    if (labelled.length) return labelled.map(textOf).join(" ").trim();
    const label = (el.getAttribute("aria-label") || "").trim();
    if (label) return label;
    const text = textOf(el);
    if (text) return text;
    return (el.getAttribute("title") || "").trim();
  };
  const LETTER = /[\p{L}\p{N}]/u;

  // ---------- page facts ----------
  const html = document.documentElement;
  const body = document.body;
  const page = {
    title: document.title,
    lang: html.getAttribute("lang"),
    xmlLang: html.getAttribute("xml:lang"),
    elementCount: document.getElementsByTagName("*").length,
  };
  safely("links", () => {
    const links = [];
    const seen = new Set();
    const push = (raw) => {
      if (!raw) return;
      let u;
      try {
        u = new URL(raw, document.baseURI);
      } catch (e) {
        return;
      }
      if (u.protocol !== "http:" && u.protocol !== "https:") return;
      u.hash = "";
      const s = u.href;
      if (!seen.has(s)) {
        seen.add(s);
        links.push(s);
      }
    };
    for (const el of document.querySelectorAll("a[href], area[href], iframe[src], frame[src]")) {
      push(el.localName === "a" || el.localName === "area" ? el.getAttribute("href") : el.getAttribute("src"));
    }
    page.links = links;
  });
  safely("paths", () => {
    const SKIP = new Set(["script", "style", "svg", "noscript", "template"]);
    const paths = {};
    const walk = (el, prefix, depth) => {
      const tag = el.localName;
      if (SKIP.has(tag)) return;
      const cls = el.classList && el.classList.length ? "." + el.classList[0] : "";
      const path = prefix ? `${prefix}>${tag}${cls}` : `${tag}${cls}`;
      paths[path] = (paths[path] || 0) + 1;
      if (depth >= 6) return;
      for (const c of el.children) walk(c, path, depth + 1);
    };
    if (body) walk(body, "", 0);
    page.paths = paths;
  });

  // ---------- 2.4.1 skip link: candidates for the keyboard test in Python ----------
  const SKIP_RE = new RegExp(opts.skipPattern, "i");
  page.focusableCount = null; // unknown unless counted below
  page.skipCandidates = [];
  safely("kwcag-skip-link", () => {
    const FOCUSABLE =
      'a[href], area[href], button, input:not([type="hidden"]), select, textarea, iframe, summary, [tabindex], [contenteditable=""], [contenteditable="true"]';
    const focusables = Array.from(document.querySelectorAll(FOCUSABLE)).filter(
      (el) => !el.disabled && el.tabIndex >= 0 && rendered(el),
    );
    page.focusableCount = focusables.length;
    for (const a of document.querySelectorAll('a[href*="#"]')) {
      const href = a.getAttribute("href") || "";
      const hash = href.slice(href.indexOf("#") + 1);
      if (!hash) continue;
      let sameDoc = href.startsWith("#");
      if (!sameDoc) {
        try {
          const u = new URL(href, document.baseURI);
          sameDoc = u.origin + u.pathname + u.search === location.origin + location.pathname + location.search;
        } catch (e) {
          sameDoc = false;
        }
      }
      if (!sameDoc) continue;
      const name = nameOf(a);
      if (!SKIP_RE.test(name)) continue;
      page.skipCandidates.push({ selector: selectorOf(a), name: clip(name, 60), hash });
      if (page.skipCandidates.length >= 5) break;
    }
  });

  // ---------- 1.1.1 meaningless alternative text ----------
  safely("kwcag-alt-quality", () => {
    const GENERIC = new Set(
      [
        "이미지", "사진", "그림", "아이콘", "이미지입니다", "사진입니다", "그림입니다", "배너", "배너이미지",
        "로고", "썸네일", "버튼", "버튼이미지", "화살표", "공백", "빈이미지", "대체텍스트", "텍스트", "내용",
        "설명", "이미지설명", "사진설명", "제목", "타이틀", "링크", "바로가기", "image", "img", "picture", "pic",
        "photo", "icon", "graphic", "banner", "logo", "thumbnail", "thumb", "button", "btn", "arrow", "spacer",
        "blank", "bullet", "dot", "alt", "title", "text", "undefined", "null", "none", "empty", "untitled",
        "placeholder", "image1", "img1", "click", "clickhere", "here", "link", "imagelink", "클릭", "여기",
      ].map((w) => w.toLowerCase()),
    );
    const WORD = /(이미지|사진|그림|아이콘)(입니다)?$|^(이미지|사진|그림|아이콘)\s|\b(image|picture|photo|icon|graphic)\s*(of)?\b/i;
    const FILE = /\.(jpe?g|png|gif|bmp|webp|svg|tiff?|ico|avif)$/i;
    const CAMERA = /^(img|image|dsc|dscn|dcim|pxl|photo|screenshot|스크린샷|캡처)[_\- ]?\d{2,}/i;
    const baseName = (src) => {
      try {
        const p = new URL(src, document.baseURI).pathname;
        return decodeURIComponent(p.slice(p.lastIndexOf("/") + 1)).toLowerCase();
      } catch (e) {
        return "";
      }
    };
    const items = [];
    for (const el of document.querySelectorAll("img[alt], input[type=image][alt], area[alt], [role=img][aria-label]")) {
      const alt = (el.localName === "img" || el.localName === "input" || el.localName === "area"
        ? el.getAttribute("alt")
        : el.getAttribute("aria-label")) || "";
      if (!alt.trim()) continue; // empty alt: decorative, judged by axe and the reviewer
      if (el.localName !== "area" && !rendered(el)) continue;
      items.push([el, alt.replace(/\s+/g, " ").trim()]);
    }
    for (const [el, alt] of items) {
      const compact = alt.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, "");
      const src = el.getAttribute("src") || "";
      const file = src ? baseName(src) : "";
      if (!LETTER.test(alt)) add("kwcag-alt-quality", "violation", el, "alt-punctuation", { alt: clip(alt, 60) });
      else if (FILE.test(alt) || CAMERA.test(alt) || (file && alt.toLowerCase() === file))
        add("kwcag-alt-quality", "violation", el, "alt-filename", { alt: clip(alt, 60) });
      else if (GENERIC.has(compact)) add("kwcag-alt-quality", "violation", el, "alt-generic", { alt: clip(alt, 60) });
      else if (WORD.test(alt)) add("kwcag-alt-quality", "incomplete", el, "alt-generic-word", { alt: clip(alt, 60) });
      else add("kwcag-alt-quality", "pass", el, "alt-ok", { alt: clip(alt, 60) });
    }
  });

  // ---------- 3.2.1 new-window notice ----------
  safely("kwcag-new-window", () => {
    const NOTICE = /새\s*(창|탭|윈도우?)|팝업|new\s*(window|tab)|opens?\s+(in\s+)?(a\s+)?new|새로운\s*창/i;
    const OPENER = /window\.open\s*\(|\bopen(win|window|popup|pop)\w*\s*\(|\b\w*popup\w*\s*\(|\bwin_?open\s*\(/i;
    const frameNames = new Set(
      Array.from(document.querySelectorAll("iframe[name], frame[name]")).map((f) => f.getAttribute("name")),
    );
    const baseTarget = (document.querySelector("base[target]") || { getAttribute: () => "" }).getAttribute("target");
    const opensWindow = (el) => {
      const own = el.hasAttribute("target") ? el.getAttribute("target") : el.localName === "form" ? "" : baseTarget;
      const target = (own || "").trim().toLowerCase();
      if (target && !["_self", "_parent", "_top"].includes(target) && !frameNames.has((own || "").trim()))
        return "target";
      const onclick = el.getAttribute("onclick") || "";
      const href = el.localName === "a" ? el.getAttribute("href") || "" : "";
      if (OPENER.test(onclick) || (/^\s*javascript:/i.test(href) && OPENER.test(href))) return "script";
      return null;
    };
    for (const el of document.querySelectorAll("a[href], area[href], form[target], [onclick]")) {
      const how = opensWindow(el);
      if (!how) continue;
      if (el.localName !== "area" && !rendered(el)) continue;
      let notice = [nameOf(el), el.getAttribute("title") || "", byIds(el.getAttribute("aria-describedby")).map(textOf).join(" ")];
      if (el.localName === "form") {
        notice = notice.concat(
          Array.from(el.querySelectorAll("button, input[type=submit], input[type=image]")).map(
            (b) => nameOf(b) + " " + (b.getAttribute("value") || "") + " " + (b.getAttribute("title") || ""),
          ),
        );
      }
      const text = notice.join(" ");
      const params = { how, name: clip(nameOf(el), 60) };
      if (NOTICE.test(text)) add("kwcag-new-window", "pass", el, "new-window-notice", params);
      else add("kwcag-new-window", "violation", el, "new-window-no-notice", params);
    }
  });

  // ---------- 1.3.1 table structure ----------
  safely("kwcag-table-structure", () => {
    for (const table of document.querySelectorAll("table")) {
      if (!rendered(table)) continue;
      const role = (table.getAttribute("role") || "").trim().toLowerCase();
      const rows = Array.from(table.rows || []);
      const ths = Array.from(table.querySelectorAll("th")).filter((th) => th.closest("table") === table);
      const caption = table.caption && table.caption.textContent.trim() ? table.caption : null;
      const summary = (table.getAttribute("summary") || "").trim();
      const label = (table.getAttribute("aria-label") || "").trim() || byIds(table.getAttribute("aria-labelledby")).map(textOf).join(" ").trim();
      if (role === "presentation" || role === "none") {
        const data = [];
        if (ths.length) data.push("th");
        if (table.caption) data.push("caption");
        if (summary) data.push("summary");
        if (data.length) add("kwcag-table-structure", "violation", table, "table-layout-with-data-markup", { markup: data.join(", ") });
        continue;
      }
      const cols = rows.reduce((m, r) => Math.max(m, r.cells.length), 0);
      if (!ths.length) {
        if (caption || summary || role === "table" || role === "grid")
          add("kwcag-table-structure", "violation", table, "table-no-th", { rows: rows.length, cols });
        else if (rows.length >= 2 && cols >= 2 && !table.querySelector("table"))
          add("kwcag-table-structure", "incomplete", table, "table-maybe-data", { rows: rows.length, cols });
        continue;
      }
      const problems = [];
      let outcome = "pass";
      if (!caption && !label && !summary) {
        problems.push("caption");
        outcome = "violation";
      }
      const usesHeaders = !!table.querySelector("td[headers], th[headers]");
      const noScope = ths.filter((th) => !th.hasAttribute("scope"));
      if (noScope.length && !usesHeaders) {
        problems.push("scope");
        if (outcome === "pass") outcome = "incomplete";
      }
      const params = { rows: rows.length, cols, th: ths.length, th_without_scope: noScope.length };
      if (outcome === "pass") add("kwcag-table-structure", "pass", table, "table-ok", params);
      else add("kwcag-table-structure", outcome, table, "table-" + problems.join("-"), params);
    }
  });

  // ---------- 2.1.3 control size (6 mm diagonal ~ a 17 x 17 CSS px square on a desktop) ----------
  safely("kwcag-control-size", () => {
    const minDiagonal = MIN_SIDE * Math.SQRT2;
    const CONTROL =
      'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="link"], [role="checkbox"], [role="radio"], [role="switch"], [role="tab"], [role="menuitem"], [role="option"]';
    let ok = 0;
    let checked = 0;
    const docW = Math.max(html.scrollWidth, innerWidth);
    const docH = Math.max(html.scrollHeight, innerHeight);
    const textLength = new Map();
    const inlineInText = (el) => {
      if (el.localName !== "a") return false;
      if (getComputedStyle(el).display !== "inline") return false;
      const parent = el.parentElement;
      if (!parent) return false;
      if (!textLength.has(parent)) {
        // Text around the link that is not itself a link or control: a sentence, not a row of links.
        let loose = 0;
        for (const c of parent.childNodes) {
          if (c.nodeType === 3) loose += c.nodeValue.trim().length;
          else if (c.nodeType === 1 && !c.matches('a, button, input, select, textarea, [role="link"], [role="button"]'))
            loose += (c.textContent || "").trim().length;
        }
        textLength.set(parent, loose);
      }
      return textLength.get(parent) >= 10; // inside a sentence: WCAG/KWCAG leave inline links to people
    };
    for (const el of document.querySelectorAll(CONTROL)) {
      if (el.disabled || el.localName === "area") continue;
      if (el.parentElement && el.parentElement.closest(CONTROL.replace(/, area\[href\]/, ""))) continue;
      if (!visible(el)) continue;
      let r = el.getBoundingClientRect();
      let left = r.left, top = r.top, right = r.right, bottom = r.bottom;
      for (const m of el.querySelectorAll("img, svg, canvas")) {
        const q = m.getBoundingClientRect();
        if (q.width && q.height) {
          left = Math.min(left, q.left); top = Math.min(top, q.top);
          right = Math.max(right, q.right); bottom = Math.max(bottom, q.bottom);
        }
      }
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
      if (w <= 1 || h <= 1) continue; // visually hidden (e.g. a skip link before focus)
      const x = left + scrollX, y = top + scrollY;
      if (x + w <= 0 || y + h <= 0 || x >= docW || y >= docH) continue; // parked off-screen
      if (inlineInText(el)) continue;
      checked += 1;
      const diag = Math.sqrt(w * w + h * h);
      const size = { width: Math.round(w * 10) / 10, height: Math.round(h * 10) / 10, diagonal: Math.round(diag * 10) / 10 };
      if (diag + 0.05 < minDiagonal) add("kwcag-control-size", "violation", el, "control-small", { ...size, min: Math.round(minDiagonal * 10) / 10 });
      else ok += 1;
    }
    if (checked === 0) add("kwcag-control-size", "inapplicable", null, "control-none", {});
    else if (ok) add("kwcag-control-size", "pass", null, "control-ok", { ok, checked, min: Math.round(minDiagonal * 10) / 10 }, { selector: null });
  });

  // ---------- 3.1.1 declared language vs the language of the text ----------
  safely("kwcag-lang-mismatch", () => {
    const declared = (page.lang || "").trim().toLowerCase().split(/[-_]/)[0];
    if (!declared) add("kwcag-lang-mismatch", "inapplicable", null, "lang-none", {}, { selector: "html" });
    else {
      const SCRIPTS = {
        Hang: /[\uAC00-\uD7A3\u1100-\u11FF\u3130-\u318F]/gu,
        Latn: /[A-Za-z\u00C0-\u024F]/gu,
        Hani: /[\u3400-\u4DBF\u4E00-\u9FFF]/gu,
        Kana: /[\u3040-\u30FF]/gu,
        Cyrl: /[\u0400-\u04FF]/gu,
        Arab: /[\u0600-\u06FF]/gu,
        Thai: /[\u0E00-\u0E7F]/gu,
      };
      // One syllable / ideograph carries about as much as two or three Latin letters.
      const WEIGHT = { Hang: 2.5, Hani: 2.5, Kana: 2, Latn: 1, Cyrl: 1, Arab: 1, Thai: 1 };
      const EXPECT = {
        ko: ["Hang"], ja: ["Kana", "Hani"], zh: ["Hani"], ru: ["Cyrl"], uk: ["Cyrl"], bg: ["Cyrl"], mn: ["Cyrl"],
        kk: ["Cyrl"], sr: ["Cyrl", "Latn"], ar: ["Arab"], fa: ["Arab"], ur: ["Arab"], th: ["Thai"],
      };
      const LATIN = new Set("en fr de es pt it nl vi id ms tl sv no nb nn da fi pl cs sk hu ro tr uz et lv lt sl hr sq eu ca ga cy is mt sw".split(" "));
      // Frequent short words of the main Latin-script languages: enough to tell English from French.
      const STOPWORDS = {
        en: "the and of to is are was were this that with for not have has from which you your will be by on it".split(" "),
        fr: "le les des et est une du que pour pas sur avec dans ce cette il au qui sont mais nous vous aux".split(" "),
        de: "der die das und ist nicht mit von den ein eine zu auf für sich dem auch sind wird oder bei".split(" "),
        es: "el los las que es por con una del para se como más pero sus al está son este esta".split(" "),
        it: "il che di non per una sono della con gli si più ma anche questo delle nel alla".split(" "),
        pt: "não os uma com para por mais são do da dos em um como mas ao pelo pela também".split(" "),
        nl: "het een van niet dat met voor op zijn ook aan er maar om bij wordt deze naar".split(" "),
      };
      const latinLanguage = (t) => {
        const counts = new Map();
        for (const w of t.toLowerCase().match(/[a-zà-ÿ]+/g) || []) counts.set(w, (counts.get(w) || 0) + 1);
        const hits = {};
        let best = null;
        for (const [lang, list] of Object.entries(STOPWORDS)) {
          hits[lang] = list.reduce((sum, w) => sum + (counts.get(w) || 0), 0);
          if (!best || hits[lang] > hits[best]) best = lang;
        }
        return STOPWORDS[declared] ? { best, hits } : null;
      };
      let text = "";
      const walker = document.createTreeWalker(body || html, NodeFilter.SHOW_TEXT);
      const skipTags = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "CODE", "PRE"]);
      let n;
      while ((n = walker.nextNode()) && text.length < 20000) {
        const p = n.parentElement;
        if (!p || skipTags.has(p.tagName)) continue;
        const owner = p.closest("[lang]");
        if (owner && owner !== html) continue; // marked as another language: not the page's language
        if (!n.nodeValue.trim()) continue;
        if (!rendered(p)) continue;
        text += n.nodeValue + " ";
      }
      const weighted = {};
      let total = 0;
      for (const [script, re] of Object.entries(SCRIPTS)) {
        const c = (text.match(re) || []).length * WEIGHT[script];
        weighted[script] = c;
        total += c;
      }
      const expected = EXPECT[declared] || (LATIN.has(declared) ? ["Latn"] : null);
      const letters = Math.round(total);
      if (!expected) add("kwcag-lang-mismatch", "inapplicable", null, "lang-unknown", { lang: page.lang }, { selector: "html" });
      else if (letters < 60) add("kwcag-lang-mismatch", "inapplicable", null, "lang-little-text", { lang: page.lang, letters }, { selector: "html" });
      else {
        const share = (s) => (weighted[s] || 0) / total;
        const expShare = expected.reduce((a, s) => a + share(s), 0);
        let dominant = null;
        for (const s of Object.keys(weighted)) if (!dominant || weighted[s] > weighted[dominant]) dominant = s;
        const shares = {};
        for (const s of Object.keys(weighted)) if (weighted[s]) shares[s] = Math.round(share(s) * 100);
        const params = { lang: page.lang, detected: dominant, shares: JSON.stringify(shares) };
        const words = expShare >= 0.5 && expected[0] === "Latn" ? latinLanguage(text) : null;
        if (words && words.best !== declared && words.hits[words.best] >= 8 && (words.hits[declared] || 0) * 4 <= words.hits[words.best]) {
          params.detected = words.best;
          params.shares = JSON.stringify(words.hits);
          add("kwcag-lang-mismatch", "violation", null, "lang-mismatch-words", params, { selector: "html", snippet: `<html lang="${page.lang}">` });
        } else if (expShare >= 0.5) add("kwcag-lang-mismatch", "pass", null, "lang-ok", params, { selector: "html" });
        else if (share(dominant) >= 0.7) add("kwcag-lang-mismatch", "violation", null, "lang-mismatch", params, { selector: "html", snippet: `<html lang="${page.lang}">` });
        else add("kwcag-lang-mismatch", "incomplete", null, "lang-mixed", params, { selector: "html", snippet: `<html lang="${page.lang}">` });
      }
    }
  });

  // ---------- 2.4.2 page title quality ----------
  safely("kwcag-title-quality", () => {
    const title = (document.title || "").replace(/\s+/g, " ").trim();
    const extra = { selector: "title", snippet: `<title>${clip(title, 150)}</title>` };
    if (!title) add("kwcag-title-quality", "violation", null, "title-empty", {}, extra);
    else if (!LETTER.test(title)) add("kwcag-title-quality", "violation", null, "title-no-words", { title: clip(title, 80) }, extra);
    else {
      const m = title.match(/([^\p{L}\p{N}\s])\s?\1/u);
      if (m) add("kwcag-title-quality", "violation", null, "title-repeated-special", { title: clip(title, 80), chars: m[0] }, extra);
      else add("kwcag-title-quality", "pass", null, "title-ok", { title: clip(title, 80) }, extra);
    }
  });

  // ---------- 2.5.2 activation on pointer down ----------
  safely("kwcag-pointer-down", () => {
    const DOWN = ["pointerdown", "mousedown", "touchstart"];
    const UP = ["pointerup", "mouseup", "touchend", "click"];
    const candidates = new Map();
    const consider = (el, types) => {
      if (!(el instanceof Element) || el === html || el === body) return;
      const downs = types.filter((t) => DOWN.includes(t));
      if (!downs.length || types.some((t) => UP.includes(t))) return;
      if (!visible(el)) return;
      candidates.set(el, downs);
    };
    if (instrument) for (const t of instrument.listeningTargets()) consider(t, instrument.listenersOf(t));
    for (const el of document.querySelectorAll("[onmousedown], [onpointerdown], [ontouchstart]")) {
      const types = [];
      for (const t of [...DOWN, ...UP]) if (el.hasAttribute("on" + t) || typeof el["on" + t] === "function") types.push(t);
      if (instrument) types.push(...instrument.listenersOf(el));
      consider(el, types);
    }
    if (!candidates.size) add("kwcag-pointer-down", "inapplicable", null, "pointer-none", {});
    for (const [el, downs] of candidates) add("kwcag-pointer-down", "incomplete", el, "pointer-down-only", { events: downs.join(", ") });
  });

  // ---------- 2.1.4 single-character key shortcuts: where key handlers listen (probe in Python) ----------
  safely("kwcag-char-shortcut", () => {
    const where = [];
    const KEYS = ["keydown", "keypress", "keyup"];
    for (const [name, target] of [["window", window], ["document", document], ["html", html], ["body", body]]) {
      if (!target) continue;
      const types = instrument ? instrument.listenersOf(target) : [];
      const props = KEYS.filter((k) => typeof target["on" + k] === "function");
      if (types.some((t) => KEYS.includes(t)) || props.length) where.push(name);
    }
    page.keyHandlers = where;
    page.accesskeys = document.querySelectorAll("[accesskey]").length;
  });

  // ---------- 1.2.1 captions: inventory of media ----------
  safely("kwcag-media-captions", () => {
    const HOSTS = /(youtube(-nocookie)?\.com|youtu\.be|vimeo\.com|tv\.naver\.com|serviceapi\.nmv\.naver\.com|tv\.kakao\.com|play-tv\.kakao\.com|dailymotion\.com|ktv\.go\.kr|facebook\.com\/plugins\/video)/i;
    const MEDIA_EXT = /\.(mp4|webm|ogv|ogg|mov|m4v|avi|wmv|flv|mp3|wav|m4a|aac|swf)(\?|$)/i;
    let n = 0;
    for (const el of document.querySelectorAll("video, audio, iframe[src], object, embed")) {
      const tag = el.localName;
      if (tag === "video") {
        if (el.muted && (el.autoplay || el.loop) && !el.controls) continue; // decorative background video
        const track = el.querySelector('track[kind="captions"], track[kind="subtitles"]');
        n += 1;
        if (track) add("kwcag-media-captions", "pass", el, "media-track", { kind: track.getAttribute("kind") });
        else add("kwcag-media-captions", "incomplete", el, "media-video-no-track", {});
      } else if (tag === "audio") {
        n += 1;
        add("kwcag-media-captions", "incomplete", el, "media-audio", {});
      } else if (tag === "iframe") {
        if (!HOSTS.test(el.getAttribute("src") || "")) continue;
        n += 1;
        add("kwcag-media-captions", "incomplete", el, "media-embed", { src: clip(el.getAttribute("src"), 80) });
      } else {
        const src = el.getAttribute("data") || el.getAttribute("src") || "";
        const type = el.getAttribute("type") || "";
        if (!MEDIA_EXT.test(src) && !/^(video|audio)\//i.test(type) && !/flash/i.test(type)) continue;
        n += 1;
        add("kwcag-media-captions", "incomplete", el, "media-embed", { src: clip(src, 80) });
      }
    }
    const MEDIA_LINK = /\.(mp4|webm|ogv|mov|m4v|avi|wmv|flv|mp3|wav|m4a|aac|oga|ogg)$/i;
    for (const a of document.querySelectorAll("a[href]")) {
      let path = "";
      try {
        path = new URL(a.getAttribute("href"), document.baseURI).pathname;
      } catch (e) {
        continue;
      }
      if (!MEDIA_LINK.test(path) || !rendered(a)) continue;
      n += 1;
      add("kwcag-media-captions", "incomplete", a, "media-link", { src: clip(path.slice(path.lastIndexOf("/") + 1), 80) });
    }
    if (!n) add("kwcag-media-captions", "inapplicable", null, "media-none", {});
  });

  // ---------- 2.2.2 content that moves by itself ----------
  safely("kwcag-auto-moving", () => {
    const CAROUSEL = ".swiper, .swiper-container, .slick-slider, .owl-carousel, .bx-wrapper, .flexslider, .carousel, [data-ride='carousel'], .splide, .glide, .slick, .rolling, marquee";
    const movers = new Set();
    if (document.getAnimations) {
      for (const a of document.getAnimations()) {
        try {
          const t = a.effect && a.effect.getComputedTiming ? a.effect.getComputedTiming() : null;
          const target = a.effect && a.effect.target;
          if (!t || t.iterations !== Infinity || a.playState !== "running" || !(target instanceof Element)) continue;
          const r = target.getBoundingClientRect();
          if (r.width * r.height < 2500 || !visible(target)) continue; // spinners and tiny decorations
          movers.add(target);
        } catch (e) { /* an animation we cannot read */ }
      }
    }
    for (const el of document.querySelectorAll(CAROUSEL)) {
      if (visible(el) && !Array.from(movers).some((m) => m.contains(el))) movers.add(el);
    }
    const STOP = /정지|일시\s*정지|멈춤|중지|stop|pause/i;
    const controls = Array.from(document.querySelectorAll("button, a[href], [role=button], input[type=button], input[type=image]"));
    const hasStop = (el) => {
      const scope = el.closest("section, article, aside, div") || el;
      const inScope = controls.filter((c) => scope.contains(c) || el.contains(c));
      return inScope.some((c) => STOP.test(nameOf(c) + " " + (c.getAttribute("title") || "") + " " + (c.getAttribute("value") || "")));
    };
    if (!movers.size) add("kwcag-auto-moving", "inapplicable", null, "moving-none", {});
    let k = 0;
    for (const el of movers) {
      if (++k > 20) break;
      if (hasStop(el)) add("kwcag-auto-moving", "pass", el, "moving-stop", {});
      else add("kwcag-auto-moving", "incomplete", el, "moving-no-stop", {});
    }
  });

  // ---------- 2.4.3 link text that says nothing on its own ----------
  safely("kwcag-link-text", () => {
    const GENERIC = /^(더\s*보기|더\s*많은\s*정보|자세히(\s*보기)?|상세(\s*보기)?|바로\s*가기|클릭(\s*하세요)?|여기(를\s*클릭)?|이곳|이동|보기|링크|more|more\s*info(rmation)?|read\s*more|learn\s*more|see\s*more|view(\s*more)?|details|click(\s*here)?|here|go|link|this\s*link|\+|＋|[>›»→▶▸]+|\.+)$/i;
    let links = 0;
    let vague = 0;
    for (const a of document.querySelectorAll("a[href], [role=link]")) {
      if (!rendered(a)) continue;
      links += 1;
      const name = nameOf(a).replace(/\s+/g, " ").trim();
      if (!name) continue; // no name at all: axe-core's link-name
      const bare = name.replace(/^[\s()\[\]{}"'“”‘’·:|+>›»-]+|[\s()\[\]{}"'“”‘’·:|+>›»-]+$/g, "");
      if (!GENERIC.test(bare || name)) continue;
      const extra = [a.getAttribute("title") || "", byIds(a.getAttribute("aria-describedby")).map(textOf).join(" ")]
        .join(" ").replace(/\s+/g, " ").trim();
      if (extra && extra.toLowerCase() !== name.toLowerCase()) continue; // a title says where it goes
      vague += 1;
      add("kwcag-link-text", "incomplete", a, "link-generic", { name: clip(name, 40) });
    }
    if (!links) add("kwcag-link-text", "inapplicable", null, "link-none", {});
    else if (!vague) add("kwcag-link-text", "pass", null, "link-ok", { links });
  });

  // ---------- 2.1.1 elements that react to clicks but cannot take keyboard focus ----------
  safely("kwcag-click-focusable", () => {
    const NATIVE = 'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, iframe, [contenteditable=""], [contenteditable="true"]';
    const IGNORE = new Set(["html", "body", "label", "option", "optgroup", "video", "audio", "details", "form", "svg"]);
    const targets = new Set(document.querySelectorAll("[onclick]"));
    if (instrument) for (const t of instrument.listeningTargets()) if (t instanceof Element && instrument.listenersOf(t).includes("click")) targets.add(t);
    let clickable = 0;
    for (const el of targets) {
      if (IGNORE.has(el.localName) || el.closest("svg") || !visible(el)) continue;
      clickable += 1;
      if (el.matches(NATIVE) && !el.disabled) continue;
      if (el.hasAttribute("tabindex") && el.tabIndex >= 0) continue;
      if (el.querySelector(NATIVE + ', [tabindex]:not([tabindex^="-"])')) continue; // a wrapper around real controls
      add("kwcag-click-focusable", "incomplete", el, "click-not-focusable", { tag: el.localName, name: clip(nameOf(el), 40) });
    }
    if (!clickable) add("kwcag-click-focusable", "inapplicable", null, "click-none", {});
    else if (!counts["kwcag-click-focusable"]) add("kwcag-click-focusable", "pass", null, "click-ok", { count: clickable });
  });

  // ---------- 3.2.1 a select that acts as soon as its value changes ----------
  safely("kwcag-select-onchange", () => {
    let n = 0;
    for (const sel of document.querySelectorAll("select")) {
      const listens = typeof sel.onchange === "function" || (instrument && instrument.listenersOf(sel).includes("change"));
      if (!listens || !rendered(sel)) continue;
      n += 1;
      // A button in the same form, or in a small container around the select, confirms the choice.
      const parent = sel.parentElement;
      const scope = sel.form || (parent && parent.children.length <= 6 && parent !== body ? parent : null);
      const button = scope && scope.querySelector('button, input[type="submit"], input[type="button"], input[type="image"]');
      if (button && visible(button)) add("kwcag-select-onchange", "pass", sel, "select-with-button", { name: clip(nameOf(button) || button.value, 40) });
      else {
        const label = (sel.labels && sel.labels.length ? textOf(sel.labels[0]) : "") || sel.getAttribute("aria-label") || sel.getAttribute("title") || "";
        add("kwcag-select-onchange", "incomplete", sel, "select-onchange", { name: clip(label, 40) });
      }
    }
    if (!n) add("kwcag-select-onchange", "inapplicable", null, "select-none", {});
  });

  page.opens = instrument ? instrument.opens.slice(0, 20) : [];
  page.instrumented = !!instrument;
  page.truncated = truncated;
  page.failures = failures;
  kit.done();
  return JSON.stringify({ page, findings }); // one string crosses to Python fastest
}

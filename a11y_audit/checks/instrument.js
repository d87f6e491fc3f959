// ddkit instrumentation, added to every document before the page's own scripts run
// (BrowserContext.add_init_script). It records, without changing behaviour:
//  - which event types each element / document / window listens to (addEventListener and removal),
//    so the checks can find pointer-down-only controls and single-key shortcut handlers;
//  - every window.open call, and whether it happened during a user action (navigator.userActivation),
//    so windows opened on page load can be reported;
//  - every screen.orientation.lock() call (the mobile orientation check, WCAG 1.3.4).
// Everything lives under one Symbol.for key; a wrapper never throws into the page.
(() => {
  const KEY = Symbol.for("ddkit.instrument");
  if (window[KEY]) return;
  const INFO = Symbol("ddkit.listeners");
  const WATCHED = new Set([
    "pointerdown", "mousedown", "touchstart", "pointerup", "mouseup", "touchend", "click",
    "keydown", "keypress", "keyup", "change", "devicemotion", "deviceorientation",
    "touchmove", "pointermove", "gesturestart", "gesturechange",
  ]);
  const state = { targets: [], opens: [], orientationLocks: [], started: performance.now() };
  Object.defineProperty(window, KEY, { value: state, enumerable: false });

  const record = (target, type, delta) => {
    if (!WATCHED.has(type)) return;
    let info = target[INFO];
    if (!info) {
      if (delta < 0) return;
      info = Object.create(null);
      Object.defineProperty(target, INFO, { value: info, enumerable: false });
      state.targets.push(new WeakRef(target));
    }
    info[type] = Math.max(0, (info[type] || 0) + delta);
  };
  state.listenersOf = (target) => {
    const info = target && target[INFO];
    if (!info) return [];
    return Object.keys(info).filter((t) => info[t] > 0);
  };
  state.listeningTargets = () => state.targets.map((r) => r.deref()).filter(Boolean);

  const proto = EventTarget.prototype;
  const add = proto.addEventListener;
  const remove = proto.removeEventListener;
  proto.addEventListener = function addEventListener(type, listener, options) {
    try {
      if (listener) record(this, String(type), 1);
    } catch (e) { /* never break the page */ }
    return add.call(this, type, listener, options);
  };
  proto.removeEventListener = function removeEventListener(type, listener, options) {
    try {
      if (listener) record(this, String(type), -1);
    } catch (e) { /* never break the page */ }
    return remove.call(this, type, listener, options);
  };

  const open = window.open;
  window.open = function open_(...args) {
    try {
      const ua = navigator.userActivation;
      state.opens.push({
        url: args.length ? String(args[0] ?? "") : "",
        at: Math.round(performance.now()),
        userAction: !!(ua && ua.isActive),
      });
    } catch (e) { /* never break the page */ }
    return open.apply(this, args);
  };

  const orientation = window.ScreenOrientation && ScreenOrientation.prototype;
  if (orientation && typeof orientation.lock === "function") {
    const lock = orientation.lock;
    orientation.lock = function lock_(type) {
      try {
        if (state.orientationLocks.length < 20)
          state.orientationLocks.push({ orientation: String(type), at: Math.round(performance.now()) });
      } catch (e) { /* never break the page */ }
      return lock.apply(this, arguments);
    };
  }
})();

// State of every <audio>/<video> in one frame, and embeds asked to autoplay (KWCAG 1.4.2).
// Evaluated in every frame, once right after load (to know whether there is media at all) and again
// about 3 s after load, when sound that is still playing is no longer a short cue.
() => {
  const STOP = /정지|일시\s*정지|멈춤|중지|소리\s*끄기|음소거|stop|pause|mute/i;
  const AUTOPLAY_EMBED = /[?&](autoplay|auto_play|autostart)=(1|true)/i;
  const MUTED_EMBED = /[?&](mute|muted)=(1|true)/i;
  const nameOf = (el) =>
    ((el.getAttribute("aria-label") || "") + " " + (el.textContent || "") + " " + (el.getAttribute("title") || "") + " " +
      (el.getAttribute("value") || "") + " " + Array.from(el.querySelectorAll("img[alt]")).map((i) => i.alt).join(" ")).trim();
  const stopControl = Array.from(
    document.querySelectorAll("button, a[href], [role=button], input[type=button], input[type=image]"),
  ).some((c) => STOP.test(nameOf(c)));
  const media = [];
  for (const el of document.querySelectorAll("audio, video")) {
    let selector = null;
    try {
      if (window.axe && window.axe.utils && window.axe.setup) {
        window.axe.setup(document);
        try {
          selector = window.axe.utils.getSelector(el);
        } finally {
          window.axe.teardown();
        }
      }
    } catch (e) {
      selector = null;
    }
    if (!selector) selector = el.id ? "#" + CSS.escape(el.id) : el.localName;
    const hasAudio =
      el.localName === "audio" ||
      (typeof el.webkitAudioDecodedByteCount === "number" ? el.webkitAudioDecodedByteCount > 0 || el.currentTime === 0 : true);
    media.push({
      tag: el.localName,
      id: el.id || null,
      src: (el.currentSrc || el.getAttribute("src") || "").slice(0, 200),
      html: (el.outerHTML || "").slice(0, 200),
      paused: el.paused,
      ended: el.ended,
      muted: el.muted,
      volume: el.volume,
      currentTime: el.currentTime,
      duration: Number.isFinite(el.duration) ? el.duration : null,
      loop: el.loop,
      autoplay: el.autoplay,
      controls: el.controls,
      hasAudio,
      selector,
    });
  }
  const embeds = [];
  for (const f of document.querySelectorAll("iframe[src], embed[src], object[data]")) {
    const src = f.getAttribute("src") || f.getAttribute("data") || "";
    if (AUTOPLAY_EMBED.test(src) && !MUTED_EMBED.test(src)) embeds.push({ src: src.slice(0, 200), html: (f.outerHTML || "").slice(0, 200) });
  }
  const bgsound = document.querySelectorAll("bgsound").length;
  return { media, embeds, bgsound, stopControl, url: location.href };
}

"""The script added to every page and frame before its own scripts run
(``page.add_init_script``): it wraps the APIs fingerprinters call and tells
privwatch, through the exposed binding ``BINDING``, which script called which
API how often, and which forms were submitted.

A call is reported the first time an (API, script) pair is seen, with its
time; later calls are counted in the page and sent 250 ms after the last one
(``flush``), and on ``pagehide``. The calling script is the first URL in the
call's stack (the wrapper itself has none); a page's inline script is the
page's URL.

An API's name is the brief's (``webgl.getParameter``); a call whose argument
matters is named after it too: ``webgl.getParameter:UNMASKED_RENDERER_WEBGL``
(the two parameters of WEBGL_debug_renderer_info; other parameters stay
``webgl.getParameter``) and ``webgl.getExtension:<extension name>``. The checks
match names as prefixes, so both read as the brief's name. Drawing text
(``canvas.fillText``/``strokeText``) is counted: drawn text read back is canvas
fingerprinting, a read-back alone is not.
"""

from __future__ import annotations

BINDING = "__privwatchReport"

SCRIPT = r"""
(() => {
  const report = window.%(binding)s;
  if (typeof report !== "function" || window.__privwatchWrapped) return;
  Object.defineProperty(window, "__privwatchWrapped", {value: true});
  const pending = new Map();
  const seen = new Set();
  let timer = null;
  const urlOf = () => {
    const stack = String(new Error().stack || "");
    const found = stack.match(/(?:https?|file):\/\/[^\s)]+?(?=:\d+:\d+)/);
    return found ? found[0] : String(location.href);
  };
  const flush = () => {
    timer = null;
    if (!pending.size) return;
    const batch = [...pending.values()];
    pending.clear();
    try { report({kind: "counts", items: batch}); } catch (e) {}
  };
  window.__privwatchFlush = flush;
  const count = (api) => {
    const script = urlOf();
    const key = api + " " + script;
    if (!seen.has(key)) {
      seen.add(key);
      try { report({kind: "api_call", api, script, t: Date.now()}); } catch (e) {}
      return;
    }
    const item = pending.get(key) || {api, script, n: 0};
    item.n += 1;
    pending.set(key, item);
    if (timer === null) timer = setTimeout(flush, 250);
  };
  // api: a name, or a function of the call's arguments giving one
  const wrap = (proto, name, api) => {
    if (!proto) return;
    const original = proto[name];
    if (typeof original !== "function") return;
    const named = typeof api === "function" ? api : () => api;
    const wrapped = {[name](...args) {
      let called = "";
      try { called = named(args); } catch (e) { called = String(api); }
      count(called);
      return original.apply(this, args);
    }}[name];
    Object.defineProperty(proto, name, {value: wrapped, writable: true, configurable: true});
  };
  const canvas = window.HTMLCanvasElement && HTMLCanvasElement.prototype;
  wrap(canvas, "toDataURL", "canvas.toDataURL");
  wrap(canvas, "toBlob", "canvas.toBlob");
  const c2d = window.CanvasRenderingContext2D && CanvasRenderingContext2D.prototype;
  wrap(c2d, "getImageData", "canvas.getImageData");
  wrap(c2d, "measureText", "canvas.measureText");
  wrap(c2d, "fillText", "canvas.fillText");
  wrap(c2d, "strokeText", "canvas.strokeText");
  // WEBGL_debug_renderer_info's two parameters (Khronos): the GPU's real
  // vendor and renderer, named after the call; other parameters are not
  const unmasked = {0x9245: "UNMASKED_VENDOR_WEBGL", 0x9246: "UNMASKED_RENDERER_WEBGL"};
  for (const gl of [window.WebGLRenderingContext, window.WebGL2RenderingContext]) {
    if (!gl) continue;
    wrap(gl.prototype, "getParameter", (args) => unmasked[args[0]]
      ? "webgl.getParameter:" + unmasked[args[0]] : "webgl.getParameter");
    wrap(gl.prototype, "getExtension", (args) =>
      "webgl.getExtension:" + String(args[0]).slice(0, 64));
    wrap(gl.prototype, "getSupportedExtensions", "webgl.getSupportedExtensions");
  }
  const base = window.BaseAudioContext && BaseAudioContext.prototype;
  wrap(base, "createOscillator", "audio.createOscillator");
  wrap(base, "createDynamicsCompressor", "audio.createDynamicsCompressor");
  if (window.OfflineAudioContext) {
    const Original = window.OfflineAudioContext;
    const Wrapped = function OfflineAudioContext(...args) {
      count("audio.OfflineAudioContext");
      return new Original(...args);
    };
    Wrapped.prototype = Original.prototype;
    Object.defineProperty(window, "OfflineAudioContext", {value: Wrapped, writable: true, configurable: true});
  }
  const nav = window.Navigator && Navigator.prototype;
  for (const [name, api] of [["plugins", "navigator.plugins"], ["mimeTypes", "navigator.mimeTypes"]]) {
    const described = nav && Object.getOwnPropertyDescriptor(nav, name);
    if (!described || !described.get) continue;
    const getter = described.get;
    Object.defineProperty(nav, name, {
      get() { count(api); return getter.call(this); },
      configurable: true, enumerable: described.enumerable,
    });
  }
  const describe = (el) => {
    if (!el || !el.tagName) return "";
    if (el.id) return "#" + el.id;
    const name = el.getAttribute && el.getAttribute("name");
    if (name) return el.tagName.toLowerCase() + "[name=\"" + name + "\"]";
    const action = el.getAttribute && el.getAttribute("action");
    return el.tagName.toLowerCase() + (action ? "[action=\"" + action + "\"]" : "");
  };
  document.addEventListener("submit", (event) => {
    try { report({kind: "submit", selector: describe(event.target), t: Date.now()}); } catch (e) {}
  }, true);
  addEventListener("pagehide", flush, true);
})();
""".replace("%(binding)s", BINDING)

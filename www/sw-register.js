// Registers the service worker (sw.js) that lets the app open with the network gone after
// the first visit. A file of its own because the page's CSP allows no inline script;
// scripts/post-build.mjs adds it to index.html only (the single-file tsunagari.html runs
// from file://, where there is no service worker).
//
// Only over http(s): browsers offer service workers on https and on localhost; on a plain
// http intranet address navigator.serviceWorker is missing and the app simply works
// online. Any failure here is left at a console warning: the app never depends on it.
(() => {
  try {
    if (!/^https?:$/.test(location.protocol) || !navigator.serviceWorker) return;
    // After the page has loaded, so the worker's own downloads don't compete with the
    // app's start.
    const register = () =>
      navigator.serviceWorker
        .register("./sw.js", { scope: "./" })
        .catch((e) => console.warn("offline use unavailable (service worker):", e));
    if (document.readyState === "complete") register();
    else addEventListener("load", register, { once: true });
  } catch (e) {
    console.warn("offline use unavailable (service worker):", e);
  }
})();

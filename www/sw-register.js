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
    // Registered once the app has started: its install downloads the whole build again
    // (about 5 MB, each file hashed), and on a first visit that competed with the page's
    // start and the reading worker's (a fresh page of the bench's 10k file: the page ready
    // at 149 ms without it against 273, the worker at 460 against 581, median of 8). So:
    // after the page has loaded, after the reading worker's first message (it is ready,
    // scripts/post-build.mjs), and a second more, when a file dropped at once has usually
    // been read; 10 s at the latest, whatever the worker does.
    const register = () =>
      navigator.serviceWorker
        .register("./sw.js", { scope: "./" })
        .catch((e) => console.warn("offline use unavailable (service worker):", e));
    const loaded = new Promise((done) => {
      if (document.readyState === "complete") done();
      else addEventListener("load", () => done(), { once: true });
    });
    const started = loaded.then(() => globalThis.__tsunagariWorkerStarted);
    const late = new Promise((done) => setTimeout(done, 10000));
    Promise.race([started.then(() => new Promise((done) => setTimeout(done, 1000))), late]).then(register);
  } catch (e) {
    console.warn("offline use unavailable (service worker):", e);
  }
})();

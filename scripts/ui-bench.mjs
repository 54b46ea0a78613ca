// What a staff member feels in the browser (issue 16), measured on the built app. A
// measurement, not a test: it prints tables of figures.
//
//  1. Start-up: from navigation to the app ready for a file (`__bench.init_ms`).
//  2. A typical file (the 1,200-row, 16-column CP932 survey) dropped six times in a row on
//     one page: from the input's `change` to the first question's table painted, split
//     into phases by the `tsunagari:` performance marks the page sets (backend.rs,
//     replies.rs) and the worker's own figures (`tsunagari:worker-*` measures).
//  3. The first crosstab after a 10k load (the bench harness's protocol, `?bench=1`),
//     three fresh pages, with the wasm code the page's thread compiled on first use
//     meanwhile (a trace's wasm.CompileLazy events).
//  4. Switching the crosstab's column on a big file (issue 6: under 100 ms with 100k rows).
//
// Usage: node scripts/ui-bench.mjs [BIG.csv] [dist-dir]        (make bench-ui)
//   env SMALL=tests/fixtures/municipal_labelled.csv (SMALL_ROW=性別 SMALL_COL=居住地区: two of its
//   columns, for the crosstab ?bench=1 asks for)  TENK=target/bench/data/survey_10k.csv
import { chromium } from "playwright-core";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { serve } from "../tests/e2e/serve.mjs";

const big = resolve(process.argv[2] || "target/bench/data/survey_100k.csv");
const dist = resolve(process.argv[3] || "dist");
const small = resolve(process.env.SMALL || "tests/fixtures/municipal_labelled.csv");
const tenk = resolve(process.env.TENK || "target/bench/data/survey_10k.csv");
const server = await serve(dist);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const newPage = async () => (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (x) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(1));

// 1 and 2.
{
  const page = await newPage();
  // ?bench=1 asks for a crosstab after each load (src/ui/bench.rs): name two columns of
  // the small file, or its refusal would be a reply that draws the page early.
  const spec = new URLSearchParams({ bench: "1", row: process.env.SMALL_ROW || "性別", col: process.env.SMALL_COL || "居住地区", weight: "" });
  await page.goto(`${server.origin}/?${spec}`);
  await page.waitForFunction(() => window.__bench?.status === "ready");
  console.log(`start-up (init, navigation to ready): ${f(await page.evaluate(() => window.__bench.init_ms))} ms`);
  // Let the worker started at start-up finish loading, as a person would before a drop.
  await page.waitForTimeout(1500);
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => window.__long.push(...l.getEntries().map((e) => ({ start: e.startTime, ms: e.duration })))).observe({ type: "longtask" });
    document.addEventListener("change", () => { window.__t0 = performance.now(); }, true);
  });
  const rows = [];
  for (let i = 0; i < 6; i++) {
    // The table of the file before is marked, so the wait is for the new one.
    await page.evaluate(() => document.querySelector("#tab-table")?.setAttribute("data-old", ""));
    const waited = page.evaluate(async () => {
      while (!document.querySelector("#tab-table:not([data-old])")) await new Promise((r) => requestAnimationFrame(r));
      // Painted: the frame after the one that inserted it.
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const t0 = window.__t0, t1 = performance.now();
      const at = (name) => performance.getEntriesByName(name, "mark").filter((m) => m.startTime >= t0).at(0)?.startTime;
      const dur = (name) => performance.getEntriesByName(name, "measure").filter((m) => m.startTime >= t0 - 1).at(-1)?.duration;
      const long = window.__long.filter((l) => l.start >= t0);
      return {
        total: t1 - t0,
        sent: at("tsunagari:load-sent") - t0,
        loaded: at("tsunagari:loaded-received"),
        decoded: at("tsunagari:loaded-decoded"),
        rendered: at("tsunagari:loaded-rendered"),
        tabSent: at("tsunagari:tabulate-sent"),
        tabReceived: at("tsunagari:tabulations-received"),
        t0, t1,
        read: dur("tsunagari:worker-read"),
        infer: dur("tsunagari:worker-infer"),
        encode: dur("tsunagari:worker-encode"),
        long: long.length ? `${long.length} (max ${Math.max(...long.map((l) => l.ms)).toFixed(0)})` : "0",
      };
    });
    await page.setInputFiles("#file-input", small);
    rows.push(await waited);
    await page.waitForTimeout(300);
  }
  console.log(`\ndrop → first table painted, ${small.split("/").at(-1)}, six loads in a row (ms):`);
  // The first table is asked for once the Loaded reply is decoded, and the results wait
  // for it (src/ui/hold.rs): "tab reply" counts from the decode, "render" from the later
  // of the tab reply and the decode (the results and the table are drawn together).
  const header = ["run", "total", "→Loaded msg", "decode", "tab reply (from decode)", "render", "→painted", "wk read", "wk infer", "wk encode", "long tasks"];
  console.log(header.join(" | "));
  rows.forEach((r, i) => {
    const d = (a, b) => (a === undefined || b === undefined ? undefined : b - a);
    const drawnFrom = Math.max(r.tabReceived ?? 0, r.decoded ?? 0) || undefined;
    console.log([
      i + 1, f(r.total), f(d(r.t0, r.loaded)), f(d(r.loaded, r.decoded)), f(d(r.decoded, r.tabReceived)),
      f(d(drawnFrom, r.rendered)), f(d(Math.max(r.rendered ?? 0, drawnFrom ?? 0) || undefined, r.t1)),
      f(r.read), f(r.infer), f(r.encode), r.long,
    ].join(" | "));
  });
  console.log(`median total: ${f(median(rows.map((r) => r.total)))} ms`);
  await page.context().close();
}

// 3.
if (existsSync(tenk)) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const page = await newPage();
    await page.goto(`${server.origin}/?bench=1`);
    await page.waitForFunction(() => window.__bench?.status === "ready");
    await page.waitForTimeout(1000);
    // V8 compiles a wasm function on its first call, whole, on the thread that calls it:
    // the trace's wasm.CompileLazy events are that work on the page's thread.
    const cdp = await page.context().newCDPSession(page);
    const events = [];
    cdp.on("Tracing.dataCollected", (d) => events.push(...d.value));
    const traced = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
    await cdp.send("Tracing.start", { categories: "v8.wasm,__metadata", transferMode: "ReportEvents" });
    await page.setInputFiles("#file-input", tenk);
    await page.waitForFunction(() => ["done", "error"].includes(window.__bench.status), null, { timeout: 120000 });
    await cdp.send("Tracing.end");
    await traced;
    const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
    const lazy = events.filter((e) => e.name === "wasm.CompileLazy" && e.dur !== undefined && main && e.pid === main.pid && e.tid === main.tid).map((e) => e.dur / 1000);
    runs.push({
      ...(await page.evaluate(() => ({ load: window.__bench.load_ms, xtab: window.__bench.crosstab_ms, error: window.__bench.error }))),
      lazy: lazy.length ? `${lazy.length} functions, ${lazy.reduce((a, b) => a + b, 0).toFixed(0)} ms (largest ${Math.max(...lazy).toFixed(0)})` : "none",
    });
    await page.context().close();
  }
  console.log(`\n10k (${tenk.split("/").at(-1)}), three fresh pages: load ${runs.map((r) => f(r.load)).join(", ")} ms; first crosstab after the load ${runs.map((r) => f(r.xtab)).join(", ")} ms${runs.some((r) => r.error) ? ` (error: ${runs.find((r) => r.error).error})` : ""}`);
  console.log(`  wasm compiled on first use on the page's thread, drop → crosstab: ${runs.map((r) => r.lazy).join("; ")}`);
}

// 4.
if (existsSync(big)) {
  const page = await newPage();
  await page.goto(`${server.origin}/`);
  const t0 = Date.now();
  await page.setInputFiles("#file-input", big);
  await page.waitForSelector("#questions button", { timeout: 120000 });
  console.log(`\nload + question inference: ${Date.now() - t0} ms (${big})`);
  await page.click("#view-crosstab");
  await page.selectOption("#xtab-row", "q1");
  await page.waitForSelector("#xtab-0 tbody tr");
  // Long tasks on the page's thread while switching.
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => window.__long.push(...l.getEntries().map((e) => e.duration))).observe({ type: "longtask", buffered: false });
  });
  const columns = ["region", "sex", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10", "region"];
  const times = [];
  for (const col of columns) {
    const ms = await page.evaluate(async (col) => {
      const select = document.querySelector("#xtab-col");
      const caption = () => document.querySelector("#xtab-0 caption")?.textContent || "";
      const start = performance.now();
      select.value = col;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      // Done when the table's caption names the new column and its rows are drawn.
      while (!caption().includes(`× ${col}`)) await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - start;
    }, col);
    times.push(ms);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const long = await page.evaluate(() => window.__long);
  console.log(`switch the crosstab's column (q1 × …), ${times.length} times: median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, max ${sorted.at(-1).toFixed(0)} ms`);
  console.log(`  each: ${times.map((t) => t.toFixed(0)).join(", ")} ms`);
  console.log(`long tasks (> 50 ms) on the page's thread meanwhile: ${long.length}${long.length ? ` (max ${Math.max(...long).toFixed(0)} ms)` : ""}`);
}
// Download: what a first visit fetches.
{
  const { readdirSync, readFileSync } = await import("node:fs");
  const { gzipSync } = await import("node:zlib");
  const sizes = readdirSync(dist).filter((n) => n.endsWith(".wasm")).map((n) => {
    const raw = readFileSync(`${dist}/${n}`);
    return `${n}: ${(raw.length / 1e6).toFixed(2)} MB raw, ${(gzipSync(raw, { level: 9 }).length / 1e6).toFixed(2)} MB gzip`;
  });
  console.log(`\nwasm: ${sizes.join("; ")}`);
}
await browser.close();
await server.close();

// Responsiveness of the crosstab view on a big file (issue 6's target: switching the
// column variable updates the table in under 100 ms with 100k rows loaded). A
// measurement, not a test: it prints the figures.
//
// Usage: node scripts/ui-bench.mjs FILE.csv [dist-dir]   (make bench-ui)
import { chromium } from "playwright-core";
import { resolve } from "node:path";
import { serve } from "../tests/e2e/serve.mjs";

const file = resolve(process.argv[2] || "target/bench/data/survey_100k.csv");
const dist = resolve(process.argv[3] || "dist");
const server = await serve(dist);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
await page.goto(`${server.origin}/`);
const t0 = Date.now();
await page.setInputFiles("#file-input", file);
await page.waitForSelector("#questions button", { timeout: 120000 });
console.log(`load + question inference: ${Date.now() - t0} ms (${file})`);
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
await browser.close();
await server.close();

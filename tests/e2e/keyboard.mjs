// Keyboard only, as a staff member without a mouse would work (issue 15, "done when"):
// load the sample, open questions and pin three tabulations, build two filtered crosstabs
// with the filter builder and pin them, pin the national comparison, open the report and
// print it. Every step reaches its control with Tab (never a click or a focus() call) and
// checks that the focus ring is drawn on that very control. Then the printed report is
// read as its reader would: page count, no table wider than the page, no English words in
// the Japanese PDF.
//
// Usage: node tests/e2e/keyboard.mjs [dist-dir]   (make test-e2e runs it)
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "./serve.mjs";
import { launchChromium } from "./chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const dist = resolve(process.argv[2] || join(root, "dist"));
const out = join(here, "out", "keyboard");
mkdirSync(out, { recursive: true });

let failures = 0;
const check = (ok, what, detail = "") => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${detail && !ok ? `\n     ${detail}` : ""}`);
  if (!ok) failures++;
};

const server = await serve(dist);
const browser = await launchChromium();
const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "ja-JP" });
const page = await context.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
const offHost = [];
context.on("request", (r) => {
  if (!r.url().startsWith(server.origin)) offHost.push(r.url());
});

// Presses Tab (Shift+Tab when `back`) until the focused element matches `selector`, and
// checks that the focus is drawn on it: :focus-visible matches and an outline or a box
// shadow is painted. Returns the number of presses.
async function tabTo(selector, what, { back = false, max = 160 } = {}) {
  for (let n = 1; n <= max; n++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    const hit = await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
    if (hit) {
      const ring = await page.evaluate(() => {
        const e = document.activeElement;
        const st = getComputedStyle(e);
        const drawn = (st.outlineStyle !== "none" && parseFloat(st.outlineWidth) > 0) || st.boxShadow !== "none";
        const r = e.getBoundingClientRect();
        const inView = r.bottom > 0 && r.top < innerHeight && r.width > 0 && r.height > 0;
        return { visible: e.matches(":focus-visible"), drawn, inView };
      });
      check(ring.visible && ring.drawn && ring.inView, `${what}: reached with ${n} × ${back ? "Shift+Tab" : "Tab"}, focus ring drawn on it and in view`, JSON.stringify(ring));
      return n;
    }
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
  check(false, `${what}: ${selector} reached with the keyboard`, `focus stayed at ${at}`);
  throw new Error(`cannot reach ${selector}`);
}

// Chooses the option `value` of the focused <select> with the arrow keys (what a keyboard
// user does on a closed list box); each step fires the change event as a user's would.
async function choose(selector, value, what, how = {}) {
  await tabTo(selector, what, how);
  const [index, target] = await page.$eval(selector, (s, v) => [s.selectedIndex, [...s.options].findIndex((o) => o.value === v)], value);
  check(target >= 0, `${what}: 「${value}」 is offered`);
  for (let i = index; i !== target; i += target > index ? 1 : -1) {
    await page.keyboard.press(target > index ? "ArrowDown" : "ArrowUp");
  }
  const now = await page.$eval(selector, (s) => s.value);
  check(now === value, `${what}: 「${value}」 chosen with the arrow keys`, `value is ${now}`);
}

const pinned = () => page.$eval("#view-report", (b) => b.textContent);

await page.goto(`${server.origin}/`);
await page.waitForSelector("#sample-button");

// 1. Load the sample.
await tabTo("#sample-button", "「サンプルデータで試す」");
await page.keyboard.press("Enter");
await page.waitForSelector("#tab-table", { timeout: 30000 });
await page.waitForFunction(() => document.activeElement?.id === "results", null, { timeout: 5000 }).catch(() => {});
check(await page.evaluate(() => document.activeElement?.id === "results"), "after loading, the focus is on the results' heading");

// 2. Three tabulations, each opened and pinned from the keyboard.
for (const id of ["問1", "問3", "性別"]) {
  await tabTo(`#questions button[data-id="${id}"]`, `question ${id} in the list`);
  await page.keyboard.press("Enter");
  await page.waitForFunction((c) => document.querySelector("#questions button[aria-pressed=true]")?.dataset.id === c, id);
  await page.waitForSelector("#tab-table tbody tr");
  await tabTo("#pin-question", `「レポートに追加」 of ${id}`);
  await page.keyboard.press("Enter");
  // Back to the list for the next one (it is above the button).
  await page.keyboard.press("Shift+Tab");
}
check((await pinned()).includes("（3）"), "three tabulations pinned", await pinned());

// 3. Two crosstabs with a filter built by the builder.
await tabTo("#view-crosstab", "「クロス集計」 view button", { back: true });
await page.keyboard.press("Enter");
await page.waitForSelector("#xtab-row");
await choose("#xtab-row", "年代", "rows (表側)");
await choose("#xtab-col", "問1", "columns (表頭)");
await page.waitForSelector("#xtab-0 tbody tr");
const totalBefore = await page.$eval("#xtab-0", (t) => t.textContent);
await tabTo("#xtab-filter-builder > summary", "the filter builder");
await page.keyboard.press("Enter");
await choose("#xtab-filter-question", "性別", "the builder's question");
await tabTo("#xtab-filter-answer-0", "the builder's first answer");
await page.keyboard.press("Space");
await tabTo("#xtab-filter-add", "「この条件を絞り込みに加える」");
await page.keyboard.press("Enter");
const filter = await page.$eval("#xtab-filter", (i) => i.value);
check(/^性別 (=|in) /.test(filter), `the builder wrote the filter (${filter})`);
await page.waitForFunction((before) => document.querySelector("#xtab-0")?.textContent !== before, totalBefore, { timeout: 10000 }).catch(() => {});
const totalAfter = await page.$eval("#xtab-0", (t) => t.textContent);
check(totalAfter !== totalBefore, "the crosstab is recomputed on the filtered respondents");
await tabTo("#xtab-pin", "「レポートに追加」 of the crosstab");
await page.keyboard.press("Enter");
await choose("#xtab-col", "問3", "columns (表頭), second crosstab", { back: true });
await page.waitForFunction(() => document.querySelector("#xtab-0 thead")?.textContent.includes("週"), null, { timeout: 10000 }).catch(() => {});
await tabTo("#xtab-pin", "「レポートに追加」 of the second crosstab");
await page.keyboard.press("Enter");
check((await pinned()).includes("（5）"), "two filtered crosstabs pinned", await pinned());

// 4. The national comparison.
await tabTo("#view-national", "「全国調査との比較」 view button", { back: true });
await page.keyboard.press("Enter");
await page.waitForSelector("#national-pin");
await tabTo("#national-pin", "「レポートに追加」 of the national comparison");
await page.keyboard.press("Enter");
check((await pinned()).includes("（6）"), "the national comparison pinned", await pinned());

// 5. The report, printed.
await tabTo("#view-report", "「レポート」 view button", { back: true });
await page.keyboard.press("Enter");
await page.waitForFunction(() => document.querySelectorAll(".report-item").length === 6, null, { timeout: 20000 });
// window.print() opens a dialog a headless browser cannot show: count the call instead,
// then print the page as the dialog would (page.pdf uses the print stylesheet).
await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed++; }; });
await tabTo("#report-print", "「印刷・PDF に保存」");
await page.keyboard.press("Enter");
check((await page.evaluate(() => window.__printed)) === 1, "Enter on 「印刷・PDF に保存」 prints");
await page.screenshot({ path: join(out, "report.png"), fullPage: true });

await page.emulateMedia({ media: "print" });
const pdf = await page.pdf({ format: "A4", margin: { top: "15mm", bottom: "15mm", left: "15mm", right: "15mm" } });
const pdfPath = join(out, "report.pdf");
writeFileSync(pdfPath, pdf);
const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
// The budget, from the content: three tabulations with their bars ≈ 2 pages, two 年代 ×
// answer crosstabs (8 answers × 4 lines each) with their charts ≈ 1.5 pages each, the
// national comparison (4 editions × 6 answers) with its chart and sources ≈ 2.5 pages.
// More than 8 means half-empty pages or items pushed apart.
check(pages >= 2 && pages <= 8, `the report of 6 items prints on 2–8 A4 pages (${pages})`);
await page.setViewportSize({ width: 680, height: 900 });
const overflow = await page.$$eval("table.report-table", (ts) => ts.filter((t) => t.scrollWidth > 690).length);
check(overflow === 0, `no report table is wider than the printed page (${overflow} over 680 px)`);
const narrow = await page.$$eval("table.report-table th, table.report-table td", (cs) =>
  cs.filter((c) => c.textContent.trim().length > 1 && c.getBoundingClientRect().width < 24).map((c) => c.textContent.trim()));
check(narrow.length === 0, "no column is squeezed to one character per line", narrow.slice(0, 5).join(", "));
// The PDF's text as a reader sees it: Japanese only. English words written by the app
// would show as runs of ASCII letters; the sample's own values have none.
if (existsSync("/usr/bin/pdftotext")) {
  const text = spawnSync("/usr/bin/pdftotext", ["-layout", pdfPath, "-"], { encoding: "utf8" }).stdout;
  const allowed = new Set(["PDF", "CSV", "UCLA", "URL", "https", "www", "cas", "go", "jp", "html", "pdf", "kodoku", "wic", "net", "healthy", "life21", "mhlw", "com"]);
  const english = [...new Set(text.match(/[A-Za-z]{3,}/g) || [])].filter((w) => !allowed.has(w) && !allowed.has(w.toLowerCase()));
  check(text.includes("孤独") && english.length === 0, `the Japanese PDF has no English words (${english.length})`, english.slice(0, 20).join(" "));
} else {
  check(false, "pdftotext (poppler-utils) is installed to read the PDF's text");
}

check(errors.length === 0, "no script error on the page", errors.join("\n"));
check(offHost.length === 0, "nothing requested outside the page's origin", offHost.join(", "));
await browser.close();
await server.close();
if (failures) {
  console.error(`keyboard.mjs: ${failures} check(s) failed`);
  process.exit(1);
}
console.log("keyboard.mjs: all checks passed");

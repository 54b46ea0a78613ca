// Screenshots for a person to look at (not a test): the municipal fixture loaded, 問1,
// 問3, a crosstab and the printed report. Usage: node scripts/screens.mjs dist OUT_DIR
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../tests/e2e/serve.mjs";
import { launchChromium } from "../tests/e2e/chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const dist = resolve(process.argv[2] || join(root, "dist"));
const out = resolve(process.argv[3] || join(root, "tests/e2e/out/screens"));
mkdirSync(out, { recursive: true });
const server = await serve(dist);
const browser = await launchChromium();
const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "ja-JP" });
const page = await context.newPage();
await page.goto(`${server.origin}/`);
await page.setInputFiles("#file-input", join(root, "tests/fixtures/municipal_labelled.csv"));
await page.waitForSelector("#tab-table");
await page.screenshot({ path: join(out, "loaded.png") });
for (const q of ["問1", "問3", "問4", "年齢"]) {
  await page.click(`#questions button:has-text("${q}")`);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(out, `${q}.png`), fullPage: true });
}
await page.click("#view-crosstab");
await page.selectOption("#xtab-row", "性別");
await page.selectOption("#xtab-col", "問1");
await page.waitForTimeout(800);
await page.screenshot({ path: join(out, "crosstab.png"), fullPage: true });
console.log(`screens in ${out}`);
await browser.close();
await server.close();

// End-to-end test of 「市町村の比較」 in headless Chromium: three towns' aggregate files
// made by the CLI (`tsunagari aggregate`) from three different fixtures with a template
// that tabulates the direct question, loaded into the page with no survey file at all;
// every % and 「x」 of the table is checked against the JSON files cell by cell, the chart
// has one bar per file (and one national bar), a file that is not an aggregate is
// refused by name and can be removed, and nothing is requested outside the page.
//
// Usage: node tests/e2e/municipal.mjs [dist-dir]   (make test-e2e runs it)
import { existsSync, readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "./serve.mjs";
import { launchChromium } from "./chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const dist = resolve(process.argv[2] || join(root, "dist"));
const out = join(here, "out");
const work = join(out, "municipal");
mkdirSync(work, { recursive: true });

let failures = 0;
const check = (ok, what, detail = "") => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${detail && !ok ? `\n     ${detail}` : ""}`);
  if (!ok) failures++;
};

// ---- the towns' files, made as a town makes them ----
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};
// `make test-e2e` builds the CLI first (cargo needs the real HOME, which the test
// replaces); run by hand, the script builds it when it is missing.
const cli = join(root, "target/debug/tsunagari");
if (!existsSync(cli)) run("cargo", ["build", "--quiet", "--bin", "tsunagari"]);
const sampleCsv = join(work, "sample.csv");
run(cli, ["sample", "--out", sampleCsv]);
const template = (question) =>
  JSON.stringify({
    format: "tsunagari-analysis",
    version: 1,
    title: "つながり調査",
    tables: [{ type: "tabulation", question }],
  });
// Each file names the direct question its own way; the aggregates say it is the
// national item, so the page puts them side by side.
const towns = [
  { name: "甲市", file: join(root, "tests/fixtures/coded.csv"), extra: ["--codebook", join(root, "tests/fixtures/coded_codebook.csv")], question: "q1" },
  { name: "乙町", file: join(root, "tests/fixtures/google_forms.csv"), extra: [], question: "あなたはどの程度、孤独であると感じることがありますか。" },
  { name: "丙村", file: sampleCsv, extra: [], question: "問1 あなたはどの程度、孤独であると感じることがありますか。" },
];
for (const t of towns) {
  const tpl = join(work, `${t.name}_template.json`);
  writeFileSync(tpl, template(t.question));
  // Every town saves under the same file name (as the page did before towns were named):
  // the page must show the municipality stored in the file, not the file's name.
  mkdirSync(join(work, t.name), { recursive: true });
  t.json = join(work, t.name, "集計表（秘匿処理済み）.json");
  run(cli, ["aggregate", t.file, ...t.extra, "--template", tpl, "--out", t.json, "--municipality", t.name]);
  t.agg = JSON.parse(readFileSync(t.json, "utf8"));
  t.table = t.agg.tables.find((x) => x.national === "direct");
}
check(towns.every((t) => t.table), "every aggregate marks its direct question as the national item");
check(towns.every((t) => t.agg.municipality === t.name), "every aggregate stores its municipality's name");
check(
  towns.some((t) => t.table.cells.some((r) => r[0] === "x")),
  "at least one file hides counts as x (so the test sees them)",
);
// Not an aggregate: a template.
const notAggregate = join(work, "メモ.json");
writeFileSync(notAggregate, template("q1"));

// What each cell must say, from the JSON alone: count / base to one decimal, x if hidden.
const expected = (t) => {
  const total = t.table.total === "x" && t.table.col_totals.length === 1 ? t.table.col_totals[0] : t.table.total;
  const cells = new Map();
  t.table.rows.forEach((label, r) => {
    const c = t.table.cells[r][0];
    cells.set(label, c === "x" ? "x" : ((c * 100) / total).toFixed(1));
  });
  return { n: String(total), cells };
};

const browser = await launchChromium();
const server = await serve(dist);
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "ja-JP" });
  const requests = [];
  context.on("request", (r) => requests.push(r.url()));
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${server.origin}/`);

  // No survey loaded: the view is reachable from the start page.
  await page.click("#view-municipalities");
  await page.waitForSelector("#town-input", { state: "attached" });
  await page.setInputFiles("#town-input", [...towns.map((t) => t.json), notAggregate]);
  await page.waitForSelector("#municipal-table");
  const listed = await page.$$eval("#town-files li", (lis) => lis.map((li) => li.dataset.name));
  check(
    JSON.stringify(listed) === JSON.stringify([...towns.map((t) => t.name), "メモ"]),
    "every file is listed in the order chosen",
    JSON.stringify(listed),
  );
  const err = await page.textContent('#town-files li[data-name="メモ"] .town-error');
  check(err?.includes("「メモ.json」は集計ファイルではありません"), "a file that is not an aggregate is refused by name", err);

  // Pick the direct question.
  const option = await page.$$eval("#municipal-question option", (os) =>
    os.filter((o) => o.textContent.includes("孤独であると感じる")).map((o) => o.value),
  );
  check(option.length === 1, "the direct question is one choice across the three files", JSON.stringify(option));
  await page.selectOption("#municipal-question", option[0]);
  await page.waitForSelector("#municipal-table");

  const header = await page.$$eval("#municipal-table thead th", (ths) => ths.map((th) => th.textContent.trim()));
  for (const t of towns) {
    const want = expected(t);
    const row = await page.$$eval(`#municipal-table tr.town[data-name="${t.name}"] td`, (tds) =>
      tds.map((td) => td.textContent.trim()),
    );
    check(row.length === header.length - 1, `${t.name}: one cell per answer and n`, JSON.stringify(row));
    // The page writes n with thousands separators (1,000).
    check(row[row.length - 1].replace(/,/g, "") === want.n, `${t.name}: n = ${want.n}`, row[row.length - 1]);
    let same = true;
    const detail = [];
    for (const [label, text] of want.cells) {
      const j = header.indexOf(label) - 1;
      if (j < 0 || row[j] !== text) {
        same = false;
        detail.push(`${label}: page ${j < 0 ? "(no column)" : row[j]} json ${text}`);
      }
    }
    // Answers the file lacks are "—", never a number.
    header.slice(1, -1).forEach((label, j) => {
      if (!want.cells.has(label) && row[j] !== "—") {
        same = false;
        detail.push(`${label}: page ${row[j]}, not in the file`);
      }
    });
    check(same, `${t.name}: every % and x matches the JSON file`, detail.join("; "));
  }
  const hiddenCells = await page.$$eval("#municipal-table td.hidden", (tds) => tds.map((td) => td.textContent));
  const hiddenInJson = towns.reduce((n, t) => n + t.table.cells.filter((r) => r[0] === "x").length, 0);
  check(
    hiddenCells.length === hiddenInJson && hiddenCells.every((x) => x === "x"),
    `the ${hiddenInJson} hidden counts show as x`,
    JSON.stringify(hiddenCells),
  );
  const national = await page.$$eval("#municipal-table tr.national th", (ths) => ths.map((th) => th.textContent.trim()));
  check(national.includes("全国 R5（未確認）") && national.includes("全国 R6（未確認）"), "national rows, R6 marked unverified", JSON.stringify(national));

  // The chart: one bar per file, then the national one.
  const bars = await page.$$eval("#municipal-chart svg text.label", (ts) => ts.map((t) => t.textContent));
  const ns = await page.$$eval("#municipal-chart svg text.n", (ts) => ts.map((t) => t.textContent));
  check(ns.length === towns.length + 1, `the chart has ${towns.length} town bars and 1 national bar`, JSON.stringify(ns));
  check(
    towns.every((t, i) => bars[i]?.startsWith(t.name)) && bars[towns.length] === "全国 R5（未確認）",
    "bars in the order of the files, the national one last",
    JSON.stringify(bars),
  );
  const hatched = await page.$$eval("#municipal-chart svg rect.seg-hidden", (rs) => rs.length);
  const withHidden = towns.filter((t) => t.table.cells.some((r) => r[0] === "x")).length;
  check(hatched === withHidden, "one hatched x share per town with hidden counts", `${hatched} vs ${withHidden}`);

  await page.screenshot({ path: join(out, "municipal.png"), fullPage: true });

  // Removing the refused file leaves the others.
  await page.click('#town-files li[data-name="メモ"] .remove-town');
  await page.waitForFunction(() => !document.querySelector('#town-files li[data-name="メモ"]'));
  check((await page.$$("#town-files li")).length === towns.length, "the refused file is removed, the others stay");

  const outside = requests.filter((u) => !u.startsWith(server.origin) && !u.startsWith("data:") && !u.startsWith("blob:"));
  check(outside.length === 0, "no request leaves the page's origin", outside.join(" "));
  const posted = server.log.filter((r) => r.method !== "GET");
  check(posted.length === 0, "nothing was sent to the server", JSON.stringify(posted.map((r) => r.url)));
  check(errors.length === 0, "no error in the page", errors.join("\n"));
} finally {
  await server.close();
  await browser.close();
}
console.log(failures === 0 ? "municipal: all passed" : `municipal: ${failures} failed`);
process.exit(failures);

// End-to-end test of sharing (issue 7), in headless Chromium:
//  1. Town A configures an analysis on tests/fixtures/google_forms.csv (three tables in the
//     report), makes the share link and copies it. The link holds no response: the test
//     inflates it itself and looks for every personal value of the file; the address, the
//     title and history hold no cell value at all.
//  2. The aggregate export of A's crosstab (direct question × 性別, 40 respondents, small
//     cells) is checked cell by cell against counts computed here from the CSV: 1–2 → x,
//     shown counts exact, and no hidden cell can be had by subtracting from a total.
//  3. A fresh browser context opens the link, drops town B's file
//     (tests/fixtures/google_forms_town_b.csv: other people, other column order, an answer
//     A never had) and gets the same tables, with B's counts computed here.
//  3b. A link made on the labelled municipal file (by the CLI) opened on the coded file +
//     codebook numbered Q1/F1 …: the matching screen, a select changed by keyboard, and
//     the labelled file's tables (issue 15 item 3).
//
// Usage: node tests/e2e/share.mjs [dist-dir]   (make test runs it)
import { readFileSync, mkdirSync, writeFileSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { inflateRawSync } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "./serve.mjs";
import { launchChromium } from "./chromium.mjs";
import { parseCsv } from "./fixtures.mjs";
import { audit } from "./audit.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const dist = resolve(process.argv[2] || join(root, "dist"));
const out = join(here, "out");
mkdirSync(out, { recursive: true });

let failures = 0;
const check = (ok, what, detail = "") => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${detail && !ok ? `\n     ${detail}` : ""}`);
  if (!ok) failures++;
};

// ---- the two towns' files, read here independently of the app ----
const town = (name) => {
  const [header, ...rows] = parseCsv(readFileSync(join(root, "tests/fixtures", name), "utf8"));
  const col = (h) => rows.map((r) => r[header.indexOf(h)]);
  return { path: join(root, "tests/fixtures", name), header, rows, col };
};
const A = town("google_forms.csv");
const B = town("google_forms_town_b.csv");
const DIRECT = "あなたはどの程度、孤独であると感じることがありますか。";
const CONSULT = "困ったときに相談できる相手（あてはまるものすべて）";
const count = (xs, v) => xs.filter((x) => x === v).length;
// Values that identify or are somebody's own words: never in a link.
const personalOf = (t) =>
  ["タイムスタンプ", "メールアドレス", "ご意見があればご自由にお書きください"]
    .filter((h) => t.header.includes(h))
    .flatMap((h) => t.col(h))
    .filter((v) => v);
// Every distinctive cell value: never in the address, the title or history.
const cellsOf = (t) => [...new Set(t.rows.flat().filter((v) => v.length >= 2 && !/^\d+$/.test(v)))];

const browser = await launchChromium();
const server = await serve(dist);

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "ja-JP", acceptDownloads: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin });
  const requests = [];
  context.on("request", (r) => requests.push({ url: r.url(), method: r.method(), body: r.postDataBuffer(), from: r.resourceType() }));
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return { context, page, requests, errors };
}

// The report's tables as text: [[cells of a row]] per table of item i.
const reportTables = (page, i) =>
  page.$$eval(`.report-item[data-index="${i}"] table.report-table`, (ts) =>
    ts.map((t) => [...t.querySelectorAll("tr")].map((tr) => [...tr.children].map((c) => c.textContent.trim()))));

async function traces(page) {
  return page.evaluate(() => ({ url: decodeURIComponent(location.href), title: document.title, state: JSON.stringify(history.state) }));
}

// ---- 1. town A: configure, link, aggregates ----
let link = "";
let aTables = [];
{
  const { context, page, requests, errors } = await newPage();
  await page.goto(`${server.origin}/`);
  await page.setInputFiles("#file-input", A.path);
  await page.waitForSelector("#questions button");
  // Three tables: the direct question, direct × 性別, and the joined multiple answer.
  await page.click(`#questions button[data-id="${DIRECT}"]`);
  await page.waitForFunction((c) => document.querySelector("#tab-table")?.dataset.column === c, DIRECT);
  await page.click("#pin-question");
  await page.click("#view-crosstab");
  await page.selectOption("#xtab-row", DIRECT);
  await page.selectOption("#xtab-col", "性別");
  await page.waitForSelector("#xtab-0 tbody tr");
  await page.click("#xtab-pin");
  await page.click("#view-questions");
  await page.click(`#questions button[data-id="${CONSULT}"]`);
  await page.waitForFunction((c) => document.querySelector("#tab-table")?.dataset.column === c, CONSULT);
  await page.click("#pin-question");
  await page.click("#view-report");
  await page.waitForFunction(() => document.querySelectorAll(".report-item table.report-table").length >= 3);
  aTables = [await reportTables(page, 0), await reportTables(page, 1), await reportTables(page, 2)];

  // The link.
  await page.click("#make-share-link");
  await page.waitForFunction(() => document.querySelector("#share-link")?.value.includes("#s1."));
  link = await page.inputValue("#share-link");
  await page.click("#copy-share-link");
  await page.waitForSelector("#share-copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  check(copied === link, "「リンクをコピー」 puts the link on the clipboard");
  console.log(`     info: share link for 3 tables on A's file: ${link.length} characters`);
  check(link.startsWith(`${server.origin}/#s1.`) && link.length < 2500, `the link is this app's address plus #s1.… (${link.length} characters)`);
  const leftOut = await page.textContent("#share-left-out");
  check(leftOut.includes("メールアドレス") && leftOut.includes("列名だけ"), "the page says the personal columns go in by name only", leftOut);
  // What the link carries, read here: base64url → raw deflate → CBOR, whose strings are UTF-8.
  const payload = inflateRawSync(Buffer.from(link.split("#s1.")[1], "base64url"));
  const inLink = personalOf(A).filter((v) => payload.includes(Buffer.from(v, "utf8")));
  check(inLink.length === 0 && personalOf(A).length > 60, `no timestamp, e-mail or free-text answer of A is in the link (${personalOf(A).length} values looked for)`, inLink.join(" | "));
  const ages = A.col("年齢").filter((v) => payload.includes(Buffer.concat([Buffer.from([0x60 + v.length]), Buffer.from(v)])));
  check(ages.length === 0, "no age of A is in the link", ages.join(","));
  check(payload.includes(Buffer.from(DIRECT)) && payload.includes(Buffer.from("家族・親族")), "the link carries the questions and their answer options");
  const t = await traces(page);
  const leaked = cellsOf(A).filter((v) => t.url.includes(v) || t.title.includes(v) || t.state.includes(v));
  check(leaked.length === 0, "no cell value of A is in the address, the title or history", leaked.join(" | "));

  // ---- 2. the aggregates of A's tables, checked cell by cell ----
  // The town's name goes into the file and names it (issue 15: towns by name).
  await page.fill("#aggregate-municipality", "つながり市/東部");
  await page.click("#make-aggregate");
  await page.waitForSelector(".aggregate-table");
  const agg = await page.$$eval(".aggregate-table", (ts) =>
    ts.map((t) => ({
      title: t.dataset.title,
      cols: [...t.querySelectorAll("thead th")].slice(1, -1).map((c) => c.textContent.trim()),
      rows: [...t.querySelectorAll("tbody tr:not(.totals)")].map((tr) => ({
        label: tr.querySelector("th").textContent.trim(),
        cells: [...tr.querySelectorAll("td.count")].map((c) => c.dataset.count),
      })),
      totals: [...t.querySelectorAll("tr.totals td.count")].map((c) => c.dataset.count),
    })),
  );
  const x = agg.find((t) => t.title.includes("×"));
  check(!!x, "the crosstab is among the aggregates", JSON.stringify(agg.map((t) => t.title)));
  if (x) {
    const label = (v) => v || "無回答";
    // 「その他（少数）」: the answers fewer than 3 gave, merged so their words stay out.
    const RARE = "その他（少数）";
    const rowNames = x.rows.map((r) => r.label.replace(/ \*$/, ""));
    const is = (v, name, names) => (name === RARE ? v !== "" && !names.includes(v) : label(v) === name);
    const exp = (r, c) => A.rows.filter((row) => is(row[A.header.indexOf(DIRECT)], r, rowNames) && is(row[A.header.indexOf("性別")], c, x.cols)).length;
    let wrong = [], small = 0, complementary = 0;
    const grid = x.rows.map((row) => {
      const name = row.label.replace(/ \*$/, "");
      const n = x.cols.map((c) => exp(name, c));
      n.push(n.reduce((a, b) => a + b, 0));
      return { name, n, shown: row.cells };
    });
    const colN = x.cols.map((_, j) => grid.reduce((a, r) => a + r.n[j], 0));
    colN.push(A.rows.length);
    const judge = (n, shown, where) => {
      if (n >= 1 && n <= 2) {
        small++;
        if (shown !== "x") wrong.push(`${where}: ${n} shown as ${shown}`);
      } else if (shown === "x") complementary++;
      else if (Number(shown) !== n) wrong.push(`${where}: ${shown} ≠ ${n}`);
    };
    for (const r of grid) r.n.forEach((n, j) => judge(n, r.shown[j], `${r.name} × ${x.cols[j] || "合計"}`));
    colN.forEach((n, j) => judge(n, x.totals[j], `合計 × ${x.cols[j] || "合計"}`));
    check(wrong.length === 0, `every cell of the published crosstab is its count or x, with 1–2 always x (${small} small cells)`, wrong.join("; "));
    check(small > 0 && complementary > 0, `the table has x cells and complementary suppression (${small} cells of 1–2, ${complementary} more hidden so they can't be worked out)`);
    // Subtraction: a row or column with its total shown and one hidden cell gives it away.
    const lines = [...grid.map((r) => r.shown), x.totals];
    const byCol = lines[0].map((_, j) => lines.map((l) => l[j]));
    const givesAway = [...lines, ...byCol].filter((l) => l[l.length - 1] !== "x" && l.slice(0, -1).filter((v) => v === "x").length === 1);
    check(givesAway.length === 0, "no hidden cell is the only one in a row or column with a shown total", JSON.stringify(givesAway));
    // The rows with a base under 10 are marked *, but for a hidden base (「x」): its row
    // carries no % at all, and a * would tell that the hidden total is under 10.
    const starred = grid.filter((r) => r.n[r.n.length - 1] < 10 && r.shown[r.shown.length - 1] !== "x").map((r) => r.name);
    const marked = x.rows.filter((r) => r.label.endsWith(" *")).map((r) => r.label.replace(/ \*$/, ""));
    check(JSON.stringify(starred) === JSON.stringify(marked), "rows whose shown base is under 10 are marked *", `${marked} vs ${starred}`);
  }
  const [jsonDownload] = await Promise.all([page.waitForEvent("download"), page.click("#save-aggregate-json")]);
  const saved = JSON.parse(readFileSync(await jsonDownload.path(), "utf8"));
  check(saved.municipality === "つながり市/東部" && jsonDownload.suggestedFilename() === "つながり市_東部_集計表（秘匿処理済み）.json",
    "the aggregate stores the municipality and is saved under its name", `${saved.municipality} ${jsonDownload.suggestedFilename()}`);
  const savedX = saved.tables.find((t) => t.title.includes("×"));
  check(saved.format === "tsunagari-aggregate" && savedX && x && JSON.stringify(savedX.cells.map((r) => r.map(String))) === JSON.stringify(x.rows.map((r) => r.cells.slice(0, -1))),
    "the saved aggregate JSON holds what the page showed", `${JSON.stringify(savedX?.cells)} vs ${JSON.stringify(x?.rows.map((r) => r.cells))}`);
  const personalInAgg = personalOf(A).filter((v) => JSON.stringify(saved).includes(v));
  check(personalInAgg.length === 0, "no personal value is in the aggregate file");
  const [xlsxDownload] = await Promise.all([page.waitForEvent("download"), page.click("#save-aggregate-xlsx")]);
  check(readFileSync(await xlsxDownload.path()).subarray(0, 2).toString() === "PK", "the aggregate saves as an .xlsx workbook too");
  // One's own survey in 「市町村の比較」: the pinned tables' aggregates, first in the list.
  await page.click("#view-municipalities");
  await page.waitForSelector("#municipal-table tbody tr");
  await page.selectOption("#municipal-question", { index: 0 });
  const ownRow = await page.$$eval("#municipal-table tbody tr", (trs) =>
    trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())).find((r) => r[0].includes("自分の調査")));
  const directAgg = agg.find((t) => t.title === DIRECT);
  const ownN = ownRow && Number(ownRow.find((c, i) => i > 0 && /^[\d,]+$/.test(c))?.replace(/,/g, ""));
  check(!!ownRow && ownN === A.rows.length && directAgg, "「市町村の比較」 shows one's own survey (n = A's respondents)", JSON.stringify(ownRow));
  await page.click("#view-report");
  await page.screenshot({ path: join(out, "share-a.png"), fullPage: true });
  await page.locator("#share-panel").screenshot({ path: join(out, "share-link.png") });
  await page.locator("#aggregate-panel").screenshot({ path: join(out, "share-aggregate.png") });
  const violations = audit(requests, (u) => u.startsWith(`${server.origin}/`), []);
  check(violations.length === 0, "town A: no request leaves the page's origin", violations.join("\n     "));
  check(errors.length === 0, "town A: no script errors", errors.join("\n     "));
  await context.close();
}

// ---- 3. town B: a fresh browser opens the link and drops its own file ----
{
  const { context, page, requests, errors } = await newPage();
  await page.goto(link);
  await page.waitForSelector("#shared-banner");
  check((await page.textContent("#shared-summary")).includes("表 3"), "the link opens with a banner naming its 3 tables");
  await page.setInputFiles("#file-input", B.path);
  await page.waitForSelector("#shared-applied");
  await page.waitForFunction(() => document.querySelectorAll(".report-item table.report-table").length >= 3);
  const applied = await page.textContent("#shared-applied");
  check(applied.includes("わからない") && applied.includes("メールアドレス"), "the page says what didn't match: B's answer わからない, and A's e-mail column", applied);
  const bTables = [await reportTables(page, 0), await reportTables(page, 1), await reportTables(page, 2)];
  // Same tables: the same items with the same titles and header rows…
  const heads = (ts) => ts.map((t) => t.map((tab) => tab[0].join("|")));
  // (B may add columns for answers A's link did not carry, e.g. an option fewer than 3 of
  // A's respondents gave: the banner lists them.)
  const sameHeads = heads(aTables).every((item, i) => item.every((h, k) => {
    const a = h.split("|").map((c) => c.replace(/^\([A-Z]\) /, ""));
    const b = (heads(bTables)[i][k] || "").split("|").map((c) => c.replace(/^\([A-Z]\) /, ""));
    return JSON.stringify(b.filter((c) => a.includes(c))) === JSON.stringify(a);
  }));
  check(bTables.length === 3 && sameHeads, "B's report has A's three tables with A's headings, in A's order", `${JSON.stringify(heads(aTables))}\n     ${JSON.stringify(heads(bTables))}`);
  // …A's answer order (B's extra answer after), and B's own counts.
  const rowsOf = (tab) => tab.slice(1).filter((r) => r[0] && r[0] !== "合計");
  const aOrder = rowsOf(aTables[0][0]).map((r) => r[0]);
  const bRows = rowsOf(bTables[0][0]);
  check(JSON.stringify(bRows.map((r) => r[0]).filter((l) => aOrder.includes(l))) === JSON.stringify(aOrder.filter((l) => bRows.some((r) => r[0] === l))),
    "B's direct-question table keeps A's answer order", JSON.stringify(bRows.map((r) => r[0])));
  const direct = B.col(DIRECT);
  const wrong = bRows.filter((r) => Number(r[1].replace(/,/g, "")) !== count(direct, r[0] === "無回答" ? "" : r[0]));
  check(bRows.length >= 5 && wrong.length === 0, `B's direct-question counts are B's file's (${bRows.map((r) => `${r[0]} ${r[1]}`).join(", ")})`, JSON.stringify(wrong));
  const xt = bTables[1][0];
  const sexes = xt[0].slice(2, -1).map((h) => h.replace(/^\([A-Z]\) /, ""));
  const xWrong = [];
  for (const r of xt.filter((r) => r[1] === "件数" && r[0] !== "合計")) {
    sexes.forEach((s, j) => {
      const n = B.rows.filter((row) => row[B.header.indexOf(DIRECT)] === r[0] && row[B.header.indexOf("性別")] === s).length;
      if (Number(r[j + 2]) !== n) xWrong.push(`${r[0]} × ${s}: ${r[j + 2]} ≠ ${n}`);
    });
  }
  check(xWrong.length === 0 && sexes.length >= 2, `B's crosstab with 性別 has B's counts, cell by cell (${sexes.join(", ")})`, xWrong.join("; "));
  const consult = B.col(CONSULT);
  const family = rowsOf(bTables[2][0]).find((r) => r[0] === "医師, 看護師などの医療関係者");
  check(family && Number(family[1]) === consult.filter((v) => v.includes("医師, 看護師などの医療関係者")).length,
    "B's multiple answer splits the option holding \", \" as A's setup knows it", JSON.stringify(family));
  const body = await page.textContent("body");
  check(!personalOf(B).some((v) => body.includes(v)), "B's timestamps and free text are shown nowhere (a link never turns personal columns on)");
  const t = await traces(page);
  const leaked = cellsOf(B).filter((v) => t.url.includes(v) || t.title.includes(v) || t.state.includes(v));
  check(leaked.length === 0, "no cell value of B is in the address, the title or history", leaked.join(" | "));
  await page.screenshot({ path: join(out, "share-b.png"), fullPage: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(out, "share-b-top.png") });
  // 「データを消去」: B's data leaves the page; the setup stays for the next file (the
  // link brought the tables, so nothing is lost and nothing is asked).
  let asked = false;
  page.once("dialog", (d) => { asked = true; d.accept(); });
  await page.click("#clear-data");
  await page.waitForFunction(() => !document.querySelector("#file-name"));
  const after = await page.textContent("body");
  const remaining = cellsOf(B).filter((v) => after.includes(v) && !A.rows.flat().includes(v) && !aTables.flat(3).includes(v));
  check(remaining.length === 0 && (await page.isVisible("#shared-banner")), "「データを消去」 leaves none of B's values on the page and keeps the shared setup", remaining.join(" | "));
  check(!asked, "clearing asks nothing when the tables came from a link (nothing is lost)");
  const violations = audit(requests, (u) => u.startsWith(`${server.origin}/`), []);
  check(violations.length === 0, "town B: no request leaves the page's origin", violations.join("\n     "));
  check(errors.length === 0, "town B: no script errors", errors.join("\n     "));
  await context.close();
}

// ---- 3b. a link made on the labelled municipal file, opened on the coded file + codebook
// numbered otherwise (Q1, F1 …: no id in common; issue 15 item 3). The matching screen
// says how each question met, a select changed with the keyboard recomputes the tables at
// once, and they come out as the labelled file's. The link is made by the CLI (built as
// municipal.mjs builds it).
{
  const cli = join(root, "target/debug/tsunagari");
  if (!existsSync(cli)) spawnSync("cargo", ["build", "--quiet", "--bin", "tsunagari"], { cwd: root, stdio: "inherit" });
  const tpl = join(out, "municipal-link-template.json");
  writeFileSync(tpl, JSON.stringify({
    format: "tsunagari-analysis", version: 1, title: "つながり市 住民調査",
    tables: [
      { type: "tabulation", question: "問1" },
      { type: "tabulation", question: "問4" },
      { type: "crosstab", row: "性別", col: "問1" },
      { type: "crosstab", row: "居住地区", col: "問5" },
      { type: "national", measure: "direct" },
    ],
  }));
  const fixture = (name) => join(root, "tests/fixtures", name);
  const made = spawnSync(cli, ["share-link", tpl, fixture("municipal_labelled.csv")], { cwd: root, encoding: "utf8" });
  check(made.status === 0 && made.stdout.includes("#s1."), "the CLI makes a link on the labelled municipal file", made.stderr);
  const municipalLink = `${server.origin}/#s1.${made.stdout.trim().split("#s1.")[1]}`;
  const all = (page) => Promise.all([0, 1, 2, 3, 4].map((i) => reportTables(page, i)));
  // The report follows each re-application: wait until it shows what is wanted (or give up
  // after 10 s and compare what it shows).
  const settled = async (page, want) => {
    for (let k = 0; k < 50; k++) {
      const got = JSON.stringify(await all(page));
      if (got === want) return got;
      await page.waitForTimeout(200);
    }
    return JSON.stringify(await all(page));
  };
  const reportReady = (page) => page.waitForFunction(() => document.querySelectorAll(".report-item").length === 5 &&
    document.querySelectorAll(".report-item table.report-table").length >= 5);

  // The labelled file: the link's own tables.
  let labelledTables = [];
  {
    const { context, page } = await newPage();
    await page.goto(municipalLink);
    await page.setInputFiles("#file-input", fixture("municipal_labelled.csv"));
    await page.waitForSelector("#shared-applied");
    await reportReady(page);
    labelledTables = await all(page);
    await context.close();
  }
  const { context, page, requests, errors } = await newPage();
  await page.goto(municipalLink);
  await page.setInputFiles("#file-input", fixture("municipal_coded_q.csv"));
  await page.waitForSelector("#link-matching");
  await page.setInputFiles("#codebook-input", fixture("municipal_codebook_q.csv"));
  // After the codebook, every shared question meets one of Q1 … / F1 …
  await page.waitForFunction(() => document.querySelector('#link-matching tr[data-shared="性別"] select')?.value === "F1");
  const row = (q) => page.$eval(`#link-matching tr[data-shared="${q}"]`, (tr) => ({
    how: tr.querySelector(".match-how").textContent, value: tr.querySelector("select").value,
    label: tr.querySelector("label").textContent,
  }));
  const q5 = await row("問5");
  check(q5.value === "Q5" && q5.how.includes("同じ問番号"), "the matching screen: 問5 met Q5 by its question number", JSON.stringify(q5));
  const q1 = await row("問1");
  check(q1.value === "Q1" && q1.how.includes("全国調査の同じ設問"), "the matching screen: 問1 met Q1 as the same national item", JSON.stringify(q1));
  const area = await row("居住地区");
  check(area.value === "F3" && area.how.includes("文言が似ている") && area.label.includes("居住地区"), "the matching screen: 居住地区 met F3 by its wording; its select has a label", JSON.stringify(area));
  check(await page.$eval("#link-matching details", (d) => d.open), "the matching screen is open (matches by number and wording are guesses to look at)");
  await reportReady(page);
  const want = JSON.stringify(labelledTables);
  const got = await settled(page, want);
  check(got === want, "the coded file + codebook numbered otherwise gives the labelled file's five tables", `${got}\n     ${want}`);
  await page.screenshot({ path: join(out, "share-matching.png"), fullPage: true });

  // The keyboard: 居住地区 set to 「（対応なし）」 (Home) — its table says once that it can't
  // be made — then back to F3 (ArrowDown past F1, F2; 回答者ID, a personal column, is not
  // offered to an answer question).
  await page.focus('#link-matching tr[data-shared="居住地区"] select');
  await page.keyboard.press("Home");
  await page.waitForFunction(() => document.querySelector('#link-matching tr[data-shared="居住地区"] .match-how')?.textContent.includes("未対応"));
  await page.waitForFunction(() => document.querySelector('.report-item[data-index="3"] .warning'));
  const refusedItem = await page.textContent('.report-item[data-index="3"]');
  const warning = await page.textContent('.report-item[data-index="3"] .warning');
  check(refusedItem.split(warning.trim()).length === 2 && !(await page.$('.report-item[data-index="3"] table')),
    "a table whose question met nothing says why once (not three times)", refusedItem);
  for (let k = 0; k < 3; k++) await page.keyboard.press("ArrowDown");
  await page.waitForFunction(() => document.querySelector('#link-matching tr[data-shared="居住地区"] .match-how')?.textContent.includes("選んだ対応"));
  await reportReady(page);
  const chosen = await row("居住地区");
  check(chosen.value === "F3" && chosen.how.includes("選んだ対応"), "the select changed with the keyboard: 居住地区 → F3, chosen", JSON.stringify(chosen));
  const again = await settled(page, want);
  check(again === want, "after the keyboard choice the five tables are the labelled file's again", again);
  const violations = audit(requests, (u) => u.startsWith(`${server.origin}/`), []);
  check(violations.length === 0 && errors.length === 0, "matching: no request leaves the origin, no script error", [...violations, ...errors].join("\n     "));
  await context.close();
}

// ---- 4. hostile links (tests/fixtures/hostile-links.json, made by tests/hostile_links.rs) ----
const hostile = JSON.parse(readFileSync(join(root, "tests/fixtures/hostile-links.json"), "utf8"));
{
  // 300 nested parentheses in a filter: refused with a message, and the app stays usable.
  const { context, page, errors } = await newPage();
  await page.goto(`${server.origin}/#${hostile.deep}`);
  await page.waitForSelector("#shared-error");
  const msg = await page.textContent("#shared-error");
  check(msg.includes("64"), "a link with a filter nested 300 deep is refused with a message (no crash)", msg);
  await page.setInputFiles("#file-input", A.path);
  await page.waitForSelector("#questions button");
  check(errors.length === 0, "after the hostile link, a file still loads and the page has no script error", errors.join("\n     "));
  await context.close();
}
{
  // A link that re-kinds the e-mail and free-text columns as answers turned on, recodes
  // the free text, and filters a table on an e-mail address.
  const { context, page, errors, requests } = await newPage();
  await page.goto(`${server.origin}/#${hostile.widen}`);
  await page.waitForSelector("#shared-banner");
  await page.setInputFiles("#file-input", A.path);
  await page.waitForSelector("#shared-applied");
  await page.waitForFunction(() => document.querySelectorAll(".report-item").length >= 5);
  const applied = await page.textContent("#shared-applied");
  check(applied.includes("メールアドレス") && applied.includes("集計から除いた"), "the banner says the link was not allowed to turn the e-mail column on", applied);
  const body = await page.textContent("body");
  const shown = personalOf(A).filter((v) => body.includes(v));
  check(shown.length === 0, "no e-mail address or free-text answer of the file appears anywhere on the page", shown.slice(0, 3).join(" | "));
  await page.click("#make-aggregate");
  await page.waitForSelector("#aggregate-status");
  const aggText = await page.textContent("#aggregate-panel");
  const inAgg = personalOf(A).filter((v) => aggText.includes(v));
  check(inAgg.length === 0, "the aggregate made from the hostile link's tables holds no e-mail address or free text", inAgg.slice(0, 3).join(" | "));
  await page.screenshot({ path: join(out, "share-hostile.png"), fullPage: true });
  const violations = audit(requests, (u) => u.startsWith(`${server.origin}/`), []);
  check(violations.length === 0 && errors.length === 0, "hostile link: no request leaves the origin, no script error", [...violations, ...errors].join("\n     "));
  await context.close();
}

// ---- a damaged link says so ----
{
  const { context, page } = await newPage();
  await page.goto(link.slice(0, link.length - 40));
  await page.waitForSelector("#shared-error");
  check((await page.textContent("#shared-error")).includes("壊れています"), "a cut-off link is refused with a message saying what to do");
  await context.close();
}

await browser.close();
await server.close();
console.log(failures ? `${failures} check(s) failed` : "share: all checks passed");
process.exit(failures ? 1 : 0);

// Browser test of the civsearch page: Debian's chromium, headless, driven by
// playwright-core. Run by .ci/run:
//
//   node tests/browser/page.test.mjs --bin target/release/civsearch [--out DIR]
//
// It indexes the sample corpus plus one hostile page into a temporary index,
// starts `civsearch serve` on 127.0.0.1 (a free port), and checks: a query
// gives the API's exact total with highlighted snippets; a date range and an
// outlet facet narrow it; the coverage chart is drawn; an article opens with its
// clean text; hostile HTML shows as text and never runs; keyboard use works;
// the layout holds on a phone. Screenshots go to --out (default target/browser).
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const bin = resolve(arg("--bin", join(root, "target", "release", "civsearch")));
const out = resolve(arg("--out", join(root, "target", "browser")));
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
mkdirSync(out, { recursive: true });

const work = mkdtempSync(join(tmpdir(), "civsearch-browser-"));
const hostileDir = join(work, "hostile");
mkdirSync(hostileDir);
// Markup-looking text, entity-escaped in the page, so the extracted article
// text holds literal "<script>" and "<img onerror>" strings.
writeFileSync(join(hostileDir, "hostile.html"), `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>&lt;script&gt;window.__pwned=1&lt;/script&gt; Zeppelin hangar vote | Evil Gazette</title>
<meta property="og:site_name" content="Evil &lt;b&gt;Gazette&lt;/b&gt;">
<meta property="article:published_time" content="2018-01-20T10:00:00Z">
<link rel="canonical" href="https://evil.example/2018/01/zeppelin-hangar-vote/">
</head><body><article>
<h1>&lt;script&gt;window.__pwned=1&lt;/script&gt; Zeppelin hangar vote</h1>
<p>The zeppelin hangar vote drew a crowd to the council chamber on Tuesday night, where
residents argued for hours about the plan and its cost to the city budget.</p>
<p>One speaker held up a sign reading &lt;img src=x onerror="window.__pwned=2"&gt; and
another read a statement that ended with &lt;script&gt;window.__pwned=3&lt;/script&gt; in it.</p>
<p>The council will take up the zeppelin hangar plan again next month after the city
manager reports on the cost, the mayor said after the meeting ended late in the evening.</p>
</article></body></html>
`);

const index = join(work, "index");
execFileSync(bin, ["index", join(root, "corpus"), hostileDir, "--index", index], { stdio: "ignore" });

let server;
let browser;
let passed = 0;
let failed = 0;

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log("ok   " + name);
  } catch (err) {
    failed++;
    console.log("FAIL " + name + "\n     " + String(err && err.stack || err).split("\n").join("\n     "));
  }
}

function startServer() {
  return new Promise((resolveAddr, reject) => {
    server = spawn(bin, ["serve", "--index", index, "--addr", "127.0.0.1:0"], { stdio: ["ignore", "ignore", "pipe"] });
    let buf = "";
    server.stderr.on("data", (d) => {
      buf += d.toString();
      const m = buf.match(/http:\/\/(127\.0\.0\.1:\d+)\//);
      if (m) resolveAddr(m[1]);
    });
    server.on("exit", (code) => reject(new Error("server exited with " + code + ": " + buf)));
    setTimeout(() => reject(new Error("server did not start: " + buf)), 20000);
  });
}

async function apiTotal(base, params) {
  const r = await fetch(base + "/api/search?" + new URLSearchParams(params).toString());
  assert.equal(r.status, 200);
  return (await r.json()).total;
}

try {
  const addr = await startServer();
  const base = "http://" + addr;
  const profile = mkdtempSync(join(tmpdir(), "civsearch-chromium-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run"],
  });
  const page = browser.pages()[0] || (await browser.newPage());
  const consoleErrors = [];
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  // Only the server under test is ever contacted.
  await page.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if (u.host === addr) return route.continue();
    consoleErrors.push("blocked request to " + u.href);
    return route.abort();
  });

  const totalShown = async () => Number(await page.locator("#status").getAttribute("data-total"));
  const waitForSearch = async (before) => {
    await page.waitForFunction((prev) => {
      const s = document.getElementById("status");
      return s.dataset.total !== undefined && s.textContent !== "Searching…" && location.href !== prev;
    }, before);
    await page.waitForFunction(() => document.getElementById("status").textContent !== "Searching…");
  };

  await check("page loads with security headers and the search box focused", async () => {
    const resp = await page.goto(base + "/");
    assert.equal(resp.status(), 200);
    const h = resp.headers();
    assert.match(h["content-security-policy"], /default-src 'self'/);
    assert.match(h["content-security-policy"], /frame-ancestors 'none'/);
    assert.equal(h["x-content-type-options"], "nosniff");
    assert.ok(h["referrer-policy"]);
    assert.equal(await page.evaluate(() => document.activeElement.id), "q");
  });

  const phrase = '"sanctuary city"';
  let fullTotal = 0;
  await check("Enter runs a query: exact total and highlighted snippets", async () => {
    fullTotal = await apiTotal(base, { q: phrase });
    assert.ok(fullTotal > 5, "corpus should have several matches, got " + fullTotal);
    const before = page.url();
    await page.locator("#q").fill(phrase);
    await page.keyboard.press("Enter");
    await waitForSearch(before);
    assert.equal(await totalShown(), fullTotal);
    assert.match(await page.locator("#status").textContent(), new RegExp(fullTotal + " articles match"));
    const hits = page.locator("#hits > li");
    assert.equal(await hits.count(), Math.min(10, fullTotal));
    const marks = await page.locator("#hits mark").allTextContents();
    assert.ok(marks.length >= 5, "marks: " + marks.length);
    for (const m of marks) assert.equal(m.toLowerCase().replace(/\s+/g, " "), "sanctuary city");
    await page.locator("#chart svg").waitFor();
    assert.ok(await page.locator("#chart svg rect.bar").count() > 1);
    await page.screenshot({ path: join(out, "results.png"), fullPage: true });
  });

  await check("paging shows the next hits", async () => {
    if (fullTotal <= 10) return;
    const before = page.url();
    await page.locator("#next").click();
    await waitForSearch(before);
    assert.match(page.url(), /page=2/);
    assert.equal(await page.locator("#hits > li").first().getAttribute("value"), "11");
    await page.goBack();
    await page.waitForFunction(() => !location.search.includes("page=2"));
  });

  let rangedTotal = 0;
  await check("a date range narrows the results", async () => {
    rangedTotal = await apiTotal(base, { q: phrase, from: "2017-08", to: "2018-02" });
    assert.ok(rangedTotal > 0 && rangedTotal < fullTotal, `ranged ${rangedTotal} of ${fullTotal}`);
    const before = page.url();
    await page.locator("#from").fill("2017-08");
    await page.locator("#to").fill("2018-02");
    await page.locator("#to").press("Enter");
    await waitForSearch(before);
    assert.equal(await totalShown(), rangedTotal);
    // The status line says which range the count is for.
    assert.match(await page.locator("#status").textContent(), /from 2017-08 to 2018-02/);
    const dates = await page.locator("#hits .meta").allTextContents();
    for (const d of dates) {
      const day = d.slice(0, 10);
      assert.ok(day >= "2017-08-01" && day <= "2018-02-28", "date out of range: " + d);
    }
  });

  await check("an outlet facet narrows the results and can be removed", async () => {
    const facet = page.locator("#facet-list button.facet").first();
    const name = await facet.locator(".facet-name").textContent();
    const count = Number((await facet.locator(".count").textContent()).replace(/,/g, ""));
    const expected = await apiTotal(base, { q: phrase, from: "2017-08", to: "2018-02", outlet: name });
    assert.equal(count, expected);
    const before = page.url();
    await facet.click();
    await waitForSearch(before);
    assert.equal(await totalShown(), expected);
    assert.equal(await page.locator("#facet-list button[aria-pressed=true]").count(), 1);
    for (const m of await page.locator("#hits .meta").allTextContents()) assert.ok(m.includes(name), m);
    await page.screenshot({ path: join(out, "facet.png"), fullPage: true });
    const before2 = page.url();
    await page.locator("#chosen-outlets button.chip").click();
    await waitForSearch(before2);
    assert.equal(await totalShown(), rangedTotal);
  });

  await check("an article opens with its clean text and a link to the original", async () => {
    const first = page.locator("#hits .hit-title").first();
    const title = await first.textContent();
    await first.click();
    await page.locator("#article-view:not([hidden])").waitFor();
    await page.waitForFunction((t) => document.getElementById("article-title").textContent === t, title);
    assert.equal(await page.evaluate(() => document.activeElement.id), "article-title");
    const paras = await page.locator("#article-body p").count();
    assert.ok(paras >= 2, "paragraphs: " + paras);
    const href = await page.locator("#article-source a").getAttribute("href");
    assert.match(href, /^https:\/\//);
    assert.equal(await page.locator("#article-source a").getAttribute("rel"), "noopener noreferrer");
    await page.screenshot({ path: join(out, "article.png"), fullPage: true });
    await page.keyboard.press("Escape");
    await page.locator("#search-view:not([hidden])").waitFor();
    assert.equal(await totalShown(), rangedTotal);
  });

  await check("hostile HTML in titles, snippets, outlets and bodies shows as text", async () => {
    await page.goto(base + "/?q=" + encodeURIComponent('"zeppelin hangar"'));
    await page.waitForFunction(() => document.getElementById("status").dataset.total === "1");
    const title = await page.locator("#hits .hit-title").first().textContent();
    assert.ok(title.includes("<script>window.__pwned=1</script>"), title);
    const facets = await page.locator("#facet-list .facet-name").allTextContents();
    assert.ok(facets.some((f) => f.includes("<b>")), facets.join("|"));
    await page.locator("#hits .hit-title").first().click();
    await page.locator("#article-view:not([hidden])").waitFor();
    await page.waitForFunction(() => document.querySelectorAll("#article-body p").length > 0);
    const body = await page.locator("#article-body").textContent();
    assert.ok(body.includes('<img src=x onerror="window.__pwned=2">'), body);
    assert.ok(body.includes("<script>window.__pwned=3</script>"), body);
    await page.screenshot({ path: join(out, "hostile.png"), fullPage: true });
    assert.equal(await page.locator("main img, main script, main b").count(), 0);
    assert.equal(await page.evaluate(() => document.scripts.length), 1);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
  });

  await check("bad input shows the server's message on the field", async () => {
    await page.goto(base + "/");
    await page.locator("#q").fill("council");
    await page.locator("#from").fill("someday");
    await page.keyboard.press("Enter");
    await page.locator("#error:not([hidden])").waitFor();
    assert.match(await page.locator("#error").textContent(), /someday/);
    assert.equal(await page.locator("#from").getAttribute("aria-invalid"), "true");
    await page.locator("#from").fill("");
    await page.locator("#q").fill('council "unclosed');
    await page.locator("#q").press("Enter");
    await page.waitForFunction(() => /position/.test(document.getElementById("error").textContent));
  });

  await check("keyboard only: Tab order, visible focus, Enter on a result", async () => {
    await page.goto(base + "/");
    await page.keyboard.type("budget");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => Number(document.getElementById("status").dataset.total) > 0);
    await page.locator("#q").focus();
    const order = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press("Tab");
      order.push(await page.evaluate(() => document.activeElement.id || document.activeElement.className));
    }
    assert.deepEqual(order.slice(0, 4), ["go", "from", "to", "sort"]);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, "none");
    await page.locator("#hits .hit-title").first().focus();
    await page.keyboard.press("Enter");
    await page.locator("#article-view:not([hidden])").waitFor();
  });

  await check("readable on a phone", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(base + "/?q=" + encodeURIComponent(phrase));
    await page.waitForFunction(() => Number(document.getElementById("status").dataset.total) > 0);
    await page.locator("#chart svg").waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, "horizontal overflow " + overflow + "px");
    // The outlet buttons are folded away, so the first result is on the first screen.
    assert.equal(await page.evaluate(() => document.getElementById("facets-details").open), false);
    const top = await page.evaluate(() => document.querySelector("#hits > li").getBoundingClientRect().top);
    assert.ok(top < 844 * 2, "first result at " + top + "px");
    assert.equal(await page.locator("#facet-list button.facet").first().isVisible(), false);
    await page.screenshot({ path: join(out, "phone.png"), fullPage: false });
  });

  await check("a page past the end shows the last page, not the API's message", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(base + "/?q=" + encodeURIComponent(phrase) + "&page=5000");
    await page.waitForFunction(() => /past the last page/.test(document.getElementById("status").textContent));
    assert.equal(await page.locator("#error").isHidden(), true);
    assert.ok((await page.locator("#hits > li").count()) > 0);
    assert.doesNotMatch(page.url(), /page=5000/);
  });

  await check("date placeholders read as examples and the query limit is stated", async () => {
    await page.goto(base + "/");
    for (const id of ["from", "to"]) {
      assert.match(await page.locator("#" + id).getAttribute("placeholder"), /^e\.g\. /);
    }
    assert.match(await page.locator("#syntax").textContent(), /4,096 characters/);
    assert.equal(await page.locator("#q").getAttribute("maxlength"), "4096");
  });

  await check("no script errors and no request left this server", async () => {
    assert.deepEqual(consoleErrors.filter((e) => !/status of 400|status of 404/.test(e)), []);
  });
} catch (err) {
  failed++;
  console.log("FAIL setup: " + (err && err.stack || err));
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) server.kill();
  rmSync(work, { recursive: true, force: true });
}
console.log(`browser: ${passed} passed, ${failed} failed`);
console.log("screenshots in " + out);
process.exit(failed ? 1 : 0);

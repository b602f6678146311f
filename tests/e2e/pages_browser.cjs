// Drives Debian's Chromium (Playwright from web/node_modules, a test-only npm dependency) through
// the public pages of a running Cairn, under their real Content-Security-Policy: the /verify
// script checks a chosen file in place, and axe-core finds no WCAG 2.1 AA violation on the
// pages. Prints one JSON object; test_pages.py asserts on it.
//   node pages_browser.cjs BASE_URL CREDENTIAL_FILE [PAGE_PATH ...]
const path = require("node:path");
const fs = require("node:fs");
const modules = path.join(__dirname, "..", "..", "web", "node_modules");
const { chromium } = require(path.join(modules, "playwright-core"));
const axeSource = fs.readFileSync(path.join(modules, "axe-core", "axe.min.js"), "utf8");

async function accessibility(page) {
  // Through the DevTools protocol, not a <script> tag, so the page's strict CSP stays enforced.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
}

(async () => {
  const [base, credentialFile, ...pages] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CAIRN_CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  const out = { console_errors: [], failed_responses: [], axe: {}, script: {} };
  try {
    const page = await browser.newPage();
    // A 404 page is itself a failed load; responses are recorded by address instead.
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) out.console_errors.push(m.text());
    });
    page.on("response", (r) => { if (r.status() >= 400) out.failed_responses.push(new URL(r.url()).pathname); });
    page.on("pageerror", (e) => out.console_errors.push(String(e)));

    await page.goto(base + "/verify");
    out.axe["/verify"] = await accessibility(page);
    // The script path: choose a file, press Verify, and the report appears without a page load.
    let navigated = false;
    page.on("framenavigated", (f) => { if (f === page.mainFrame()) navigated = true; });
    const [api] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/v1/verify")),
      (async () => {
        await page.setInputFiles("#credential-file", credentialFile);
        await page.getByRole("button", { name: "Verify" }).click();
      })(),
    ]);
    await page.waitForSelector("#verify-result .report");
    out.script = {
      api_status: api.status(),
      navigated,
      verdict: await page.locator("#report-title").getAttribute("class"),
      rows: await page.locator("#verify-result tbody tr").count(),
      focused: await page.evaluate(() => document.activeElement && document.activeElement.id),
    };
    out.axe["/verify (report)"] = await accessibility(page);

    for (const p of pages) {
      await page.goto(base + p);
      out.axe[p] = await accessibility(page);
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => {
  process.stderr.write(String(e && e.stack || e));
  process.exit(1);
});

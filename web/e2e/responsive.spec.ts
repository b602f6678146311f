// Every screen at 360 px, the narrowest phone the app supports: nothing scrolls sideways. Wide
// tables may scroll inside their own box (which keeps them readable), never the whole page.
import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";

async function fits(page: Page, what: string) {
  await page.waitForLoadState("networkidle");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${what} scrolls sideways by ${overflow} px at 360 px`).toBeLessThanOrEqual(0);
}

async function fitsAt360(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /^Loading/ })).toHaveCount(0);
  // Sections load one after another; the page is measured once they are all in.
  await page.waitForLoadState("networkidle");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${path} scrolls sideways by ${overflow} px at 360 px`).toBeLessThanOrEqual(0);
}

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
});

test("public screens fit 360 px", async ({ page }) => {
  await fitsAt360(page, "/sign-in");
  await page.goto("/");
  await page.locator(".card h2 a").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, "a micro-credential page").toBeLessThanOrEqual(0);
});

test("an educator's screens fit 360 px", async ({ page }) => {
  await signIn(page, "dana.brooks@lakeview.example.org");
  await fitsAt360(page, "/my-work");
  await page.locator(".card h2 a").first().click();
  await expect(page.getByText(/Decision: Not yet/)).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, "the enrolment with feedback").toBeLessThanOrEqual(0);
  await fitsAt360(page, "/notifications");
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "sofia.romero@riverbend.example.org");
  await fitsAt360(page, "/my-credentials");
});

test("a reviewer's and the administrators' screens fit 360 px", async ({ page }) => {
  // Marcus's submission waits with two of the demo reviewers; either one's review is shown.
  for (const reviewer of ["helen.okafor@lakeview.example.org", "samuel.ortiz@lakeview.example.org",
                          "grace.kim@tpc.example.org", "aisha.rahman@riverbend.example.org"]) {
    await signIn(page, reviewer);
    await fitsAt360(page, "/reviews");
    const open = page.locator("table.queue tbody a");
    const waiting = (await open.count()) > 0;
    if (waiting) {
      await open.first().click();
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Submission");
      await fits(page, "a review workspace");
    }
    await page.getByRole("button", { name: "Sign out" }).click();
    if (waiting) break;
  }
  await signIn(page, "maria.alvarez@tpc.example.org");
  await fitsAt360(page, "/admin");
  await page.getByRole("link", { name: "Design a new micro-credential" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "New micro-credential" })).toBeVisible();
  await fits(page, "the designer");
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "james.whitfield@riverbend.example.org");
  await fitsAt360(page, "/admin");
});

// axe-core on every screen of the app, in its empty and loaded states, with the demo data's people:
// Priya has nothing yet, Dana has a Not yet with feedback and a draft, Sofia holds credentials, a
// reviewer has Marcus's submission waiting, Maria administers an issuer and James a district.
import type { Page } from "@playwright/test";
import { expect, expectAccessible, signIn, test } from "./fixtures";

async function settled(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /^Loading/ })).toHaveCount(0);
}

async function check(page: Page, path: string, state: string) {
  await settled(page, path);
  await expectAccessible(page, `${path} (${state})`);
}

test("an educator with nothing yet: My work, notifications, credentials and the reviews page", async ({ page }) => {
  await signIn(page, "priya.natarajan@riverbend.example.org");
  await check(page, "/my-work", "empty");
  await expect(page.getByRole("heading", { name: "You have not started a micro-credential yet" })).toBeVisible();
  await check(page, "/notifications", "empty");
  await check(page, "/my-credentials", "empty");
  await check(page, "/reviews", "no reviews");
  await check(page, "/admin", "no organisation");
});

test("an educator with a Not yet: My work, the enrolment with feedback, notifications", async ({ page }) => {
  await signIn(page, "dana.brooks@lakeview.example.org");
  await check(page, "/my-work", "loaded");
  await page.locator(".card h2 a").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText(/Decision: Not yet/)).toBeVisible();
  await expectAccessible(page, "enrolment with feedback");
  await check(page, "/notifications", "loaded");
});

test("an educator with credentials: My credentials and the portfolio settings", async ({ page }) => {
  await signIn(page, "sofia.romero@riverbend.example.org");
  await check(page, "/my-credentials", "loaded");
  await expect(page.locator(".card")).not.toHaveCount(0);
});

test("a reviewer with a submission waiting: the queue, the review and its dialogs", async ({ page, browser, cairn }) => {
  let email = "";
  for (const candidate of ["helen.okafor@lakeview.example.org", "samuel.ortiz@lakeview.example.org", "grace.kim@tpc.example.org", "aisha.rahman@riverbend.example.org"]) {
    const context = await browser.newContext({ baseURL: cairn.url });
    const probe = await context.newPage();
    await signIn(probe, candidate);
    const queue = await probe.evaluate(async () => (await fetch("/api/v1/reviews")).json());
    await context.close();
    if (queue.items.length > 0) {
      email = candidate;
      break;
    }
  }
  expect(email, "a demo reviewer with a waiting review").not.toBe("");
  await signIn(page, email);
  await check(page, "/reviews", "loaded");
  await page.locator("table.queue tbody a").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Submission");
  await expectAccessible(page, "review workspace");
  await page.getByRole("button", { name: "Return as incomplete" }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await expectAccessible(page, "return dialog");
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: "Recuse myself" }).click();
  await expectAccessible(page, "recuse dialog");
});

test("administrators: an issuer's and a district's screens, and the designer", async ({ page }) => {
  await signIn(page, "maria.alvarez@tpc.example.org");
  await check(page, "/admin", "issuer, loaded");
  // Marcus's waiting submission, with its two reviewers and their due dates.
  const flight = page.getByRole("table", { name: "Each submission's reviewers and due dates" });
  await expect(flight).toBeVisible();
  await expect(flight.getByRole("listitem")).toHaveCount(2);
  await page.getByRole("link", { name: "Design a new micro-credential" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "New micro-credential" })).toBeVisible();
  await expectAccessible(page, "designer, empty");
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expectAccessible(page, "designer, errors");
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "james.whitfield@riverbend.example.org");
  await check(page, "/admin", "district and issuer, loaded");
});

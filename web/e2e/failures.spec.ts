// The failure paths a user meets: a forbidden page, a file type the artifact does not take, and two
// tabs editing one draft. Each says what happened and what to do next, and passes axe.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { PEOPLE } from "./cairn";
import { expect, expectAccessible, signIn, test } from "./fixtures";

async function enrol(page: Page, search: string, title: string) {
  await page.goto("/");
  await page.getByLabel("Search").fill(search);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: title }).click();
  await page.getByRole("button", { name: "Start this micro-credential" }).click();
  await expect(page.getByRole("heading", { name: /Your submission, attempt 1/ })).toBeVisible();
}

test("an educator who opens an issuer's designer is told they have no access", async ({ page, cairn }) => {
  const found = await (await fetch(`${cairn.url}/api/v1/micro-credentials?q=accountable`)).json();
  await signIn(page, PEOPLE.educator);
  await page.goto(`/admin/micro-credentials/${found.items[0].id}`);
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("does not have access");
  await expect(alert.getByRole("link", { name: "Browse the catalog" })).toBeVisible();
  await expectAccessible(page, "forbidden designer");
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "You administer no organisation" })).toBeVisible();
});

test("a program renamed as a PDF is refused with a message that says what it is", async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), "cairn-bad-"));
  const fake = join(dir, "lesson-plan.pdf");
  // An ELF header: what libmagic sees, whatever the name says.
  writeFileSync(fake, Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(4096, 1)]));
  await signIn(page, "sofia.romero@riverbend.example.org");
  await enrol(page, "number talks", "Number Talks for Mental Math");
  await page.getByLabel(/Add a file for/).first().setInputFiles(fake);
  const alert = page.getByRole("alert");
  await expect(alert).toContainText(/executable|program/i);
  await expect(page.locator(".artifact")).toHaveCount(0);
  await expectAccessible(page, "refused upload");
});

test("two tabs editing one draft: the second save is a conflict, and nothing is overwritten", async ({ page, context }) => {
  await signIn(page, "marcus.lee@riverbend.example.org");
  await enrol(page, "family engagement", "Family Engagement Through Two-Way Communication");
  const second = await context.newPage();
  await second.goto(page.url());
  await expect(second.getByRole("heading", { name: /Your submission, attempt 1/ })).toBeVisible();

  await page.getByLabel("Overview question 1").fill("Written in the first tab.");
  await expect(page.getByText("All changes saved")).toBeVisible();
  await second.getByLabel("Overview question 1").fill("Written in the second tab.");
  const dialog = second.getByRole("alertdialog");
  await expect(dialog).toContainText("This draft changed somewhere else");
  await expect(second.getByText("This draft was changed in another tab or device")).toBeVisible();
  await expectAccessible(second, "draft conflict");
  await dialog.getByRole("button", { name: "Load the other version" }).click();
  await expect(second.getByLabel("Overview question 1")).toHaveValue("Written in the first tab.");
  await expect(second.getByText("All changes saved")).toBeVisible();
});

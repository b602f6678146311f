// The educator's flow with the keyboard alone: no clicks, no focus() calls; Tab moves through the
// page until the control wanted has focus, as a keyboard user would.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FileChooser, Page } from "@playwright/test";
import { PASSWORD, PEOPLE } from "./cairn";
import { expect, test } from "./fixtures";

async function tabTo(page: Page, describe: string, matches: () => boolean) {
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(matches)) return;
  }
  throw new Error(`Tab never reached ${describe}`);
}

const focusedLabel = (text: string) =>
  new Function(
    `const el = document.activeElement;
     if (!el || !["INPUT", "TEXTAREA", "SELECT", "BUTTON", "A"].includes(el.tagName)) return false;
     const label = el.id ? document.querySelector('label[for="' + el.id + '"]') : null;
     const name = (label ? label.textContent : '') + ' ' + (el.getAttribute('aria-label') || '') + ' ' + (el.textContent || '');
     return name.includes(${JSON.stringify(text)});`,
  ) as () => boolean;

test("an educator enrols, writes, attaches evidence and submits with the keyboard alone", async ({ page }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), "cairn-kbd-"));
  const plan = join(dir, "retrieval-plan.txt");
  writeFileSync(plan, "Retrieval plan: three low-stakes quizzes a week, spaced over the unit.\n");
  const samples = join(dir, "student-samples.txt");
  writeFileSync(samples, "Student work samples, anonymised: quiz 1 and quiz 3 compared.\n");

  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await tabTo(page, "the email field", focusedLabel("Email"));
  await page.keyboard.type(PEOPLE.educator);
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();

  await tabTo(page, "the catalog link", focusedLabel("Catalog"));
  await page.keyboard.press("Enter");
  await tabTo(page, "the search field", focusedLabel("Search"));
  await page.keyboard.type("retrieval");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("link", { name: "Retrieval Practice in Daily Routines" })).toBeVisible();
  await tabTo(page, "the result", focusedLabel("Retrieval Practice in Daily Routines"));
  await page.keyboard.press("Enter");
  await tabTo(page, "the start button", focusedLabel("Start this micro-credential"));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: /Your submission, attempt 1/ })).toBeVisible();

  await tabTo(page, "overview question 1", focusedLabel("Overview question 1"));
  await page.keyboard.type("Grade 5 mathematics, 24 students; we quiz from memory at the start of each lesson.");
  // Listening from here on, long before the first Space: file chooser interception is switched
  // on asynchronously, and on a loaded machine a listener added just before the key press could
  // miss the chooser it opens.
  const choosers: FileChooser[] = [];
  page.on("filechooser", (chooser) => choosers.push(chooser));
  for (const [i, file] of [plan, samples].entries()) {
    await tabTo(page, `the file picker ${i + 1}`, focusedLabel("Add a file for"));
    await page.keyboard.press("Space");
    await expect.poll(() => choosers.length, { timeout: 10_000 }).toBe(i + 1);
    await choosers[i].setFiles(file);
    await expect(page.locator(".artifact")).toHaveCount(i + 1, { timeout: 20_000 });
  }
  for (const n of [1, 2]) {
    await tabTo(page, `reflection ${n}`, focusedLabel(`Reflection ${n}`));
    await page.keyboard.type(`Reflection ${n}: students recalled more on the unit test than last year.`);
  }
  await expect(page.getByText("All changes saved")).toBeVisible({ timeout: 10_000 });
  await tabTo(page, "the submit button", focusedLabel("Submit attempt 1"));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: /Attempt 1: (Submitted|In review)/ })).toBeVisible();
});

import { gzipSync } from "node:zlib";
import { expect, expectAccessible, signIn, test } from "./fixtures";
import { PEOPLE } from "./cairn";

test("anyone can browse, search and filter the catalog", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Micro-credentials" })).toBeVisible();
  await expect(page.getByText("15 micro-credentials")).toBeVisible();
  await expect(page.locator(".card")).toHaveCount(12);
  await expectAccessible(page, "catalog, loaded");

  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page.getByText("Page 2 of 2")).toBeVisible();
  await expect(page.locator(".card")).toHaveCount(3);

  await page.getByLabel("Search").fill("retrieval");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("link", { name: "Retrieval Practice in Daily Routines" })).toBeVisible();
  await expect(page).toHaveURL(/q=retrieval/);

  await page.getByLabel("Grade band").selectOption("9-12");
  await expect(page).toHaveURL(/grade_band=9-12/);
  await expect(page.getByRole("link", { name: "Retrieval Practice in Daily Routines" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "No micro-credentials match" })).toBeVisible();
  await expectAccessible(page, "catalog, empty");
  await page.getByRole("button", { name: "Clear search and filters" }).click();
  await expect(page.getByText("15 micro-credentials")).toBeVisible();
});

test("a micro-credential page shows every section and the rubric as reviewers see it", async ({ page, cairn }) => {
  const found = await (await fetch(`${cairn.url}/api/v1/micro-credentials?q=retrieval`)).json();
  const id: string = found.items[0].id;
  const mc = await (await fetch(`${cairn.url}/api/v1/micro-credentials/${id}`)).json();

  await page.goto("/");
  await page.getByLabel("Search").fill("retrieval");
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: mc.title }).click();
  await expect(page).toHaveURL(new RegExp(`/micro-credentials/${id}$`));
  await expect(page.getByRole("heading", { level: 1, name: mc.title })).toBeVisible();
  for (const section of ["Competency", "Key method", "Supporting research", "Resources", "Submission requirements", "Rubric"]) {
    await expect(page.getByRole("heading", { level: 2, name: section })).toBeVisible();
  }
  for (const component of mc.key_method.components) {
    await expect(page.getByRole("heading", { level: 4, name: component.name })).toBeVisible();
  }
  const rubric = page.getByRole("table", { name: `Rubric for ${mc.title}` });
  await expect(rubric.getByRole("rowheader")).toHaveCount(mc.rubric.criteria.length);
  for (const level of mc.rubric.criteria[0].levels) {
    await expect(rubric.getByRole("columnheader", { name: level.name })).toBeVisible();
  }
  await expect(page.getByText(/Earned when/)).toBeVisible();
  await expectAccessible(page, "micro-credential page");
});

test("an unknown micro-credential says so and offers a way back", async ({ page }) => {
  await page.goto("/micro-credentials/mc_doesnotexist000000000000");
  const alert = page.getByRole("alert");
  await expect(alert).toBeVisible();
  await expect(alert.getByRole("link", { name: "Browse the catalog" })).toBeVisible();
  await expectAccessible(page, "micro-credential, error");
  await page.goto("/no/such/page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expectAccessible(page, "not found");
});

test("sign-in explains a wrong password and then signs in", async ({ page }) => {
  await page.goto("/sign-in");
  await expectAccessible(page, "sign-in, empty");
  await page.getByLabel("Email").fill(PEOPLE.educator);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("do not match");
  await expectAccessible(page, "sign-in, error");
  await signIn(page, PEOPLE.educator);
  await expect(page.getByText("Priya Natarajan")).toBeVisible();
});

test("the catalog fits a 360 px phone screen without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/");
  await expect(page.locator(".card").first()).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAccessible(page, "catalog at 360 px");
});

test("the catalog's first load stays under 200 KB of compressed JavaScript", async ({ page }) => {
  const scripts: string[] = [];
  page.on("response", (r) => {
    if (r.request().resourceType() === "script") scripts.push(r.url());
  });
  await page.goto("/");
  await expect(page.locator(".card").first()).toBeVisible();
  expect(scripts.length).toBeGreaterThan(0);
  let total = 0;
  for (const url of scripts) total += gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer())).length;
  expect(total).toBeLessThan(200 * 1024);
});

// One seeded Cairn per test file, an axe-core check that fails on any WCAG 2.1 AA violation, and a
// sign-in helper that goes through the real form.
import { test as base, expect, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { PASSWORD, startCairn, type RunningCairn } from "./cairn";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export async function expectAccessible(page: Page, state: string) {
  // Through the DevTools protocol, not a <script> tag, so the page's strict CSP stays enforced.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    });
    return result.violations.map(
      (v: { id: string; help: string; nodes: { target: string[] }[] }) =>
        `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
    );
  });
  expect(violations, `axe violations in ${state}`).toEqual([]);
}

export async function signIn(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

export const test = base.extend<{ cairn: RunningCairn }, { server: RunningCairn }>({
  server: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const cairn = await startCairn();
      await use(cairn);
      await cairn.stop();
    },
    { scope: "worker" },
  ],
  cairn: async ({ server }, use) => use(server),
  baseURL: async ({ server }, use) => use(server.url),
});

export { expect };

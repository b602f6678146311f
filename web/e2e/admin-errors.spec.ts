// Every admin section has an error state: its API call fails for real (the browser's request is
// aborted, as a dropped connection would), the section says what failed and what to do, offers
// "Try again", passes axe, and recovers once the network is back. James administers Riverbend as a
// district and as an issuer, so his screen has every section.
import type { Page } from "@playwright/test";
import { PEOPLE } from "./cairn";
import { expect, expectAccessible, signIn, test } from "./fixtures";

interface Case {
  section: string;
  // The request to cut, as a glob over the full URL, and its method.
  url: string;
  method?: string;
  message: string;
  // What the section shows once the request gets through again.
  recovered: (page: Page) => Promise<void>;
}

const region = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

const cases: Case[] = [
  {
    section: "reviewer pool",
    url: "**/api/v1/issuers/*/reviewers",
    message: "The reviewer pool could not be loaded.",
    recovered: async (page) => {
      await expect(page.getByRole("table", { name: "Reviewers, their load and their agreement with final decisions" }).first()).toBeVisible();
    },
  },
  {
    section: "review policy",
    url: "**/api/v1/issuers/*/review-policy",
    message: "The review policy could not be loaded.",
    recovered: async (page) => {
      await expect(page.getByRole("button", { name: "Save review policy" }).first()).toBeVisible();
    },
  },
  {
    section: "submissions in review",
    url: "**/api/v1/issuers/*/submissions",
    message: "Submissions in review could not be loaded.",
    recovered: async (page) => {
      await expect(region(page, "Submissions in review").getByRole("alert")).toHaveCount(0);
    },
  },
  {
    section: "coach sign-off",
    url: "**/api/v1/issuers/*/enrolments",
    message: "Coach sign-off could not be loaded.",
    recovered: async (page) => {
      await expect(region(page, "Educators waiting for a coach").getByText(/Nobody is waiting|Record the coaching session/).first()).toBeVisible();
    },
  },
  {
    section: "awards",
    url: "**/api/v1/issuers/*/awards",
    message: "Awards could not be loaded.",
    recovered: async (page) => {
      await expect(region(page, "Awards").getByText(/No credentials issued yet|Credentials issued/).first()).toBeVisible();
    },
  },
  {
    section: "district people",
    url: "**/api/v1/organizations/*/members",
    message: "The district's people could not be loaded.",
    recovered: async (page) => {
      await expect(page.getByText("James Whitfield (james.whitfield@riverbend.example.org)", { exact: false }).first()).toBeVisible();
    },
  },
  {
    section: "district schools",
    url: "**/api/v1/organizations/*/schools",
    message: "The district's schools could not be loaded.",
    recovered: async (page) => {
      await expect(page.getByText("Cedar Hollow Middle School", { exact: true })).toBeVisible();
    },
  },
  {
    section: "time frame",
    url: "**/api/v1/organizations/*/enrolment-policy",
    message: "The enrolment time frame could not be loaded.",
    recovered: async (page) => {
      await expect(page.getByLabel("Days (empty: no deadline)")).toBeVisible();
    },
  },
  {
    section: "review preferences",
    url: "**/api/v1/organizations/*/review-preferences",
    message: "Review preferences could not be loaded.",
    recovered: async (page) => {
      await expect(page.getByLabel("Review deadline in days (empty: the issuer's default)")).toBeVisible();
    },
  },
];

async function openAdmin(page: Page) {
  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1, name: "Administration" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /^Loading/ })).toHaveCount(0);
}

for (const c of cases) {
  test(`admin: the ${c.section} section says when it cannot load, and recovers on Try again`, async ({ page }) => {
    await signIn(page, PEOPLE.districtAdmin);
    let cut = true;
    await page.route(c.url, (route) => (cut && route.request().method() === (c.method ?? "GET") ? route.abort("internetdisconnected") : route.continue()));
    await openAdmin(page);
    const alert = page.getByRole("alert").filter({ hasText: c.message });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText("Cairn could not be reached. Check your connection and try again.");
    await expectAccessible(page, `/admin with the ${c.section} failing`);

    cut = false;
    await alert.getByRole("button", { name: /^Try again/ }).first().click();
    await expect(page.getByRole("alert").filter({ hasText: c.message })).toHaveCount(0);
    await c.recovered(page);
  });
}

test("admin: a failed invitation says it was not sent, passes axe, and Try again sends it", async ({ page }) => {
  await signIn(page, PEOPLE.districtAdmin);
  let cut = true;
  await page.route("**/api/v1/organizations/*/invitations", (route) => (cut ? route.abort("internetdisconnected") : route.continue()));
  await openAdmin(page);
  const invitations = region(page, "Invitations");
  await invitations.getByLabel("Invite by email").fill("new.teacher@riverbend.example.org");
  await invitations.getByRole("button", { name: "Send invitation" }).click();
  const alert = invitations.getByRole("alert");
  await expect(alert).toContainText("The invitation to new.teacher@riverbend.example.org was not sent. Cairn could not be reached.");
  await expectAccessible(page, "/admin with a failed invitation");
  cut = false;
  await alert.getByRole("button", { name: /^Try again/ }).click();
  await expect(invitations.getByRole("status")).toHaveText("Invitation sent to new.teacher@riverbend.example.org.");
  await expect(invitations.getByRole("alert")).toHaveCount(0);
});

test("admin: a real refusal from the server is shown with the server's reason", async ({ page }) => {
  // Maria administers another issuer: Riverbend's review policy is refused to her (403) for real.
  await signIn(page, PEOPLE.issuerAdmin);
  const answer = await page.evaluate(async () => {
    const me = await (await fetch("/api/v1/me")).json();
    const orgs = await (await fetch("/api/v1/micro-credentials?page_size=100")).json();
    const riverbend = orgs.items.map((i: { issuer_id: string }) => i.issuer_id).find((id: string) => !me.memberships.some((m: { organization_id: string }) => m.organization_id === id));
    const r = await fetch(`/api/v1/issuers/${riverbend}/review-policy`);
    return { status: r.status, riverbend };
  });
  expect(answer.status).toBe(403);
  // The same refusal, answered to the admin screen's own request for Maria's issuer.
  await page.route("**/api/v1/issuers/*/review-policy", async (route) => {
    const refused = await route.fetch({ url: route.request().url().replace(/issuers\/[^/]+/, `issuers/${answer.riverbend}`) });
    await route.fulfill({ response: refused });
  });
  await openAdmin(page);
  const alert = page.getByRole("alert").filter({ hasText: "The review policy could not be loaded." });
  await expect(alert).toContainText("Only the issuer's admins manage its reviews. Your account does not have access to this.");
  await expectAccessible(page, "/admin with a refused review policy");
});

// The error states of the educator, reviewer and account screens, each produced for real: one request
// cut on its way out (page.route(...).abort(), as a dropped connection does), the server's own
// refusals (another reviewer's review is 404, an incomplete review is 422) and a session that ends
// mid-use (its cookie deleted). Each screen must say what failed and what to do, keep what the user
// typed, offer a retry where one helps, announce the error, and pass axe.
import type { Browser, Page } from "@playwright/test";
import { PASSWORD } from "./cairn";
import { expect, expectAccessible, signIn, test } from "./fixtures";

const DANA = "dana.brooks@lakeview.example.org"; // a Not yet with feedback, and a draft for attempt 2
const MARCUS = "marcus.lee@riverbend.example.org"; // a submission waiting in two reviewers' queues
const SOFIA = "sofia.romero@riverbend.example.org"; // holds credentials
const REVIEWERS = [
  "helen.okafor@lakeview.example.org",
  "samuel.ortiz@lakeview.example.org",
  "grace.kim@tpc.example.org",
  "aisha.rahman@riverbend.example.org",
  "tom.becker@riverbend.example.org",
];

// Cuts the connection for the requests that match, until `restore` is called.
async function cut(page: Page, match: (url: URL, method: string) => boolean) {
  const handler = (route: import("@playwright/test").Route) =>
    match(new URL(route.request().url()), route.request().method()) ? route.abort("internetdisconnected") : route.continue();
  await page.route("**/api/v1/**", handler);
  return () => page.unroute("**/api/v1/**", handler);
}

async function api(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(
    async ([method, path, body]) => {
      const me = await (await fetch("/api/v1/me")).json();
      const r = await fetch(path as string, {
        method: method as string,
        headers: { "Content-Type": "application/json", "X-CSRF-Token": me.csrf_token ?? "" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: r.status === 204 ? null : await r.json() };
    },
    [method, path, body] as const,
  );
}

// Who holds a review of Marcus's waiting submission, and who does not.
async function reviewersOfWaitingSubmission(browser: Browser, url: string) {
  const holders: { email: string; reviewId: string }[] = [];
  const others: string[] = [];
  for (const email of REVIEWERS) {
    const context = await browser.newContext({ baseURL: url });
    const page = await context.newPage();
    await signIn(page, email);
    const queue = await api(page, "GET", "/api/v1/reviews");
    const open = (queue.body.items as { id: string; micro_credential_title?: string; state: string }[]).find(
      (r) => r.micro_credential_title === "Literacy Across the Disciplines",
    );
    if (open) holders.push({ email, reviewId: open.id });
    else others.push(email);
    await context.close();
  }
  expect(holders.length, "two reviewers hold Marcus's waiting submission").toBeGreaterThan(0);
  expect(others.length).toBeGreaterThan(0);
  return { holders, others };
}

async function signInAgain(page: Page, email: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("My work that cannot load says so, offers to try again, and loads when the connection is back", async ({ page }) => {
  await signIn(page, DANA);
  const restore = await cut(page, (u) => u.pathname === "/api/v1/enrolments");
  await page.goto("/my-work");
  const alert = page.getByRole("alert");
  await expect(alert.getByRole("heading", { name: "Could not load your work" })).toBeVisible();
  await expect(alert).toContainText("You appear to be offline");
  await expect(alert).toContainText("Check your connection and try again.");
  await expectAccessible(page, "My work, load failed");
  await restore();
  await alert.getByRole("button", { name: "Try again" }).click();
  await expect(page.locator(".card h2 a").first()).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("an enrolment whose feedback cannot load keeps the page and retries only the feedback", async ({ page }) => {
  await signIn(page, DANA);
  await page.goto("/my-work");
  const link = page.getByRole("link", { name: "Culturally Responsive Teaching" });
  const restore = await cut(page, (u) => /^\/api\/v1\/submissions\/[^/]+\/feedback$/.test(u.pathname));
  await link.click();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Could not load the reviewers' feedback.");
  await expect(alert).toContainText("Cairn could not be reached");
  // The rest of the page, the timeline and the draft, is there.
  await expect(page.getByRole("list", { name: "Timeline" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Your submission, attempt 2/ })).toBeVisible();
  await expectAccessible(page, "enrolment, feedback failed");
  await restore();
  await alert.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByText(/Decision: Not yet/)).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("a submission that does not go through keeps the draft and says the attempt was not submitted", async ({ page }) => {
  await signIn(page, DANA);
  await page.goto("/my-work");
  await page.getByRole("link", { name: "Culturally Responsive Teaching" }).click();
  const overview = page.getByLabel("Overview question 1");
  const text = "Eighth-grade social studies; the survey changed the unit. (Written for the failed submit.)";
  await overview.fill(text);
  await expect(page.getByText("All changes saved")).toBeVisible();
  const restore = await cut(page, (u, method) => method === "POST" && /^\/api\/v1\/enrolments\/[^/]+\/submissions$/.test(u.pathname));
  await page.getByRole("button", { name: /Submit attempt 2/ }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Attempt 2 was not submitted.");
  await expect(alert).toContainText("Your draft is saved; nothing you wrote is lost.");
  // The announcement takes focus: the button it replaces was disabled while it ran.
  await expect(alert).toBeFocused();
  await expect(overview).toHaveValue(text);
  await expectAccessible(page, "submit failed");
  await restore();
});

test("a withdrawal that fails says it did not happen, and the attempt stays submitted", async ({ page }) => {
  await signIn(page, MARCUS);
  await page.goto("/my-work");
  await page.getByRole("link", { name: "Literacy Across the Disciplines" }).click();
  await expect(page.getByRole("heading", { name: /Attempt 1: Submitted/ })).toBeVisible();
  const restore = await cut(page, (u) => /\/withdraw$/.test(u.pathname));
  await page.getByRole("button", { name: "Withdraw this attempt" }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Your attempt was not withdrawn.");
  await expect(alert).toContainText("Check your connection and try again.");
  await expect(alert).toBeFocused();
  await expect(page.getByRole("heading", { name: /Attempt 1: Submitted/ })).toBeVisible();
  await expectAccessible(page, "withdraw failed");
  await restore();
});

test("a session that ends while typing a draft: sign in again, come back, and the words are still there", async ({ page, context }) => {
  await signIn(page, DANA);
  await page.goto("/my-work");
  await page.getByRole("link", { name: "Culturally Responsive Teaching" }).click();
  const enrolment = new URL(page.url()).pathname;
  const overview = page.getByLabel("Overview question 1");
  await overview.fill("Saved while signed in.");
  await expect(page.getByText("All changes saved")).toBeVisible();
  await context.clearCookies();
  const typed = "Typed after the session ended: the interviews changed the unit.";
  await overview.fill(typed);
  // The autosave is refused with 401: the app sends the educator to sign in, and says why.
  await expect(page).toHaveURL(/\/sign-in$/);
  const notice = page.getByRole("alert");
  await expect(notice).toContainText("Your session has ended, so you were signed out.");
  await expect(notice).toContainText("kept in this browser");
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expectAccessible(page, "sign-in after the session ended");
  await signInAgain(page, DANA);
  await expect(page).toHaveURL(new RegExp(`${enrolment}$`));
  await expect(page.getByLabel("Overview question 1")).toHaveValue(typed);
  await expect(page.getByText("Changes you had not saved yet were put back from this browser.")).toBeVisible();
  await expect(page.getByText("All changes saved")).toBeVisible();
  const draft = await api(page, "GET", `/api/v1${enrolment}/draft`);
  expect(draft.body.overview[0]).toBe(typed);
});

test("navigating after the session ended leads to sign-in and back to where the user was going", async ({ page, context }) => {
  await signIn(page, SOFIA);
  await page.goto("/my-work");
  await expect(page.getByRole("heading", { level: 1, name: "My work" })).toBeVisible();
  await context.clearCookies();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Notifications/ }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("alert")).toContainText("Your session has ended");
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  await signInAgain(page, SOFIA);
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  await expect(page.getByText("Your session has ended")).toHaveCount(0);
});

test("the review queue that cannot load says so and retries", async ({ page, browser, cairn }) => {
  const { holders } = await reviewersOfWaitingSubmission(browser, cairn.url);
  await signIn(page, holders[0].email);
  const restore = await cut(page, (u) => u.pathname === "/api/v1/reviews");
  await page.goto("/reviews");
  const alert = page.getByRole("alert");
  await expect(alert.getByRole("heading", { name: "Could not load your reviews" })).toBeVisible();
  await expect(alert).toContainText("Check your connection and try again.");
  await expectAccessible(page, "review queue, load failed");
  await restore();
  await alert.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("table")).toBeVisible();
});

test("review statistics that cannot load say so above a queue that still works", async ({ page, browser, cairn }) => {
  const { holders } = await reviewersOfWaitingSubmission(browser, cairn.url);
  await signIn(page, holders[0].email);
  const restore = await cut(page, (u) => u.pathname === "/api/v1/reviews/stats");
  await page.goto("/reviews");
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Could not load your review statistics");
  await expect(page.getByRole("table")).toBeVisible();
  await expectAccessible(page, "review queue, statistics failed");
  await restore();
  await alert.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByText(/open · \d+ completed/)).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("a review that is not yours is not found, with a way back to your own queue", async ({ page, browser, cairn }) => {
  const { holders, others } = await reviewersOfWaitingSubmission(browser, cairn.url);
  await signIn(page, others[0]);
  await page.goto(`/reviews/${holders[0].reviewId}`);
  const alert = page.getByRole("alert");
  await expect(alert.getByRole("heading", { level: 1, name: "This review is not available" })).toBeVisible();
  await expect(alert).toContainText("No such review.");
  await expect(alert).toContainText("It is not assigned to you");
  // Retrying cannot help with a 404, so there is no "Try again".
  await expect(alert.getByRole("button", { name: "Try again" })).toHaveCount(0);
  await expectAccessible(page, "review not yours");
  await alert.getByRole("link", { name: "Go to your reviews" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Reviews" })).toBeVisible();
});

test("a review: a failed save keeps the ratings, and the session's end loses none of them", async ({ page, context, browser, cairn }) => {
  const { holders } = await reviewersOfWaitingSubmission(browser, cairn.url);
  const { email, reviewId } = holders[0];
  await signIn(page, email);
  await page.goto(`/reviews/${reviewId}`);
  const rubric = page.locator("form.rubric-form");
  await expect(rubric.getByRole("heading", { name: "Rubric" })).toBeVisible();
  const groups = rubric.locator("fieldset");
  const count = await groups.count();
  for (let i = 0; i < count; i++) await groups.nth(i).getByRole("radio").nth(1).check();
  const comment = rubric.getByLabel(/^Feedback on /).first();
  await comment.fill("Clear examples from two subjects.");
  await page.getByLabel("Overall feedback").fill("Convincing overall.");

  const restore = await cut(page, (u, method) => method === "PUT" && u.pathname === `/api/v1/reviews/${reviewId}`);
  await page.getByRole("button", { name: "Save and finish later" }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Your review was not saved.");
  await expect(alert).toContainText("Your ratings and comments are still here");
  await expect(alert).toBeFocused();
  await expect(comment).toHaveValue("Clear examples from two subjects.");
  for (let i = 0; i < count; i++) await expect(groups.nth(i).getByRole("radio").nth(1)).toBeChecked();
  await expectAccessible(page, "review, save failed");
  await restore();

  // The session ends before the retry: sign in again, and the ratings are put back.
  await context.clearCookies();
  await alert.getByRole("button", { name: "Try again" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("alert")).toContainText("Your session has ended");
  await signInAgain(page, email);
  await expect(page).toHaveURL(new RegExp(`/reviews/${reviewId}$`));
  await expect(page.getByText("Ratings and comments you had not saved yet were put back from this browser.")).toBeVisible();
  await expect(rubric.getByLabel(/^Feedback on /).first()).toHaveValue("Clear examples from two subjects.");
  await expect(page.getByLabel("Overall feedback")).toHaveValue("Convincing overall.");
  for (let i = 0; i < count; i++) await expect(groups.nth(i).getByRole("radio").nth(1)).toBeChecked();
  await expectAccessible(page, "review, restored after sign-in");
});

test("a review completed without every comment is refused, and each missing comment is named", async ({ page, browser, cairn }) => {
  const { holders } = await reviewersOfWaitingSubmission(browser, cairn.url);
  const { email, reviewId } = holders[holders.length - 1];
  await signIn(page, email);
  await page.goto(`/reviews/${reviewId}`);
  const rubric = page.locator("form.rubric-form");
  const groups = rubric.locator("fieldset");
  await expect(groups.first()).toBeVisible();
  const count = await groups.count();
  expect(count).toBeGreaterThan(1);
  for (let i = 0; i < count; i++) await groups.nth(i).getByRole("radio").nth(1).check();
  const first = groups.first().getByRole("textbox");
  await first.fill("Only the first criterion has feedback.");
  await page.getByRole("button", { name: /and complete/ }).click();

  // The server's 422: every criterion needs a comment.
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("The review was saved but not completed.");
  await expect(alert).toContainText("Every criterion needs a comment before the review can be completed.");
  await expect(alert.getByRole("listitem")).toHaveCount(count - 1);
  const second = groups.nth(1);
  const name = ((await second.locator("legend").textContent()) ?? "").trim();
  await expect(alert.getByRole("link", { name: `Feedback on ${name} is required.` })).toBeVisible();
  const missing = second.getByRole("textbox");
  await expect(missing).toHaveAttribute("aria-invalid", "true");
  await expect(missing).toHaveAccessibleDescription("Feedback is required.");
  await expect(first).toHaveValue("Only the first criterion has feedback.");
  await expect(first).not.toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "review, completion refused");
  // The summary's link takes the reviewer to the field.
  await alert.getByRole("link", { name: `Feedback on ${name} is required.` }).click();
  await expect(missing).toBeFocused();
});

test("notifications that cannot load, and marking them read when the connection drops", async ({ page, browser, cairn }) => {
  const { holders } = await reviewersOfWaitingSubmission(browser, cairn.url);
  await signIn(page, holders[0].email);
  const page50 = (u: URL) => u.pathname === "/api/v1/notifications" && u.searchParams.get("limit") === "50";
  let restore = await cut(page, page50);
  await page.goto("/notifications");
  const alert = page.getByRole("alert");
  await expect(alert.getByRole("heading", { name: "Could not load your notifications" })).toBeVisible();
  await expectAccessible(page, "notifications, load failed");
  await restore();
  await alert.getByRole("button", { name: "Try again" }).click();
  await expect(page.locator("ul.notifications li").first()).toBeVisible();

  await expect(page.getByRole("button", { name: "Mark all as read" })).toBeVisible();
  restore = await cut(page, (u) => u.pathname === "/api/v1/notifications/read-all");
  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(alert).toContainText("Your notifications were not marked as read.");
  await expect(alert).toBeFocused();
  await expect(page.locator("ul.notifications li.unread").first()).toBeVisible();
  await expectAccessible(page, "notifications, mark read failed");
  await restore();
  await alert.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("button", { name: "Mark all as read" })).toHaveCount(0);
  await expect(page.locator("ul.notifications li.unread")).toHaveCount(0);
});

test("my credentials: a failed load, a failed privacy change and a failed portfolio change", async ({ page }) => {
  await signIn(page, SOFIA);
  let restore = await cut(page, (u) => u.pathname === "/api/v1/me/credentials");
  await page.goto("/my-credentials");
  const alert = page.getByRole("alert");
  await expect(alert.getByRole("heading", { name: "Could not load your credentials" })).toBeVisible();
  await expectAccessible(page, "credentials, load failed");
  await restore();
  await alert.getByRole("button", { name: "Try again" }).click();
  const card = page.locator(".card").first();
  await expect(card).toBeVisible();

  const title = ((await card.locator("h2").textContent()) ?? "").trim();
  const privacy = card.getByRole("checkbox", { name: /^Private/ });
  const wasPrivate = await privacy.isChecked();
  restore = await cut(page, (u) => u.pathname.endsWith("/visibility"));
  await privacy.click();
  await expect(card.getByRole("alert")).toContainText(`“${title}” was not made ${wasPrivate ? "public" : "private"}; it is still ${wasPrivate ? "private" : "public"}.`);
  await expect(card.getByRole("alert")).toBeFocused();
  // The box shows what is true on the server, not what was asked for.
  await expect(privacy).toBeChecked({ checked: wasPrivate });
  await expectAccessible(page, "credentials, privacy change failed");
  await restore();

  await page.getByLabel("Address name").fill("sofia-romero-errors");
  const shown = page.getByRole("checkbox", { name: "Show my portfolio publicly" });
  const wasShown = await shown.isChecked();
  restore = await cut(page, (u, method) => method === "PUT" && u.pathname === "/api/v1/me/portfolio");
  await shown.click();
  const portfolio = page.getByRole("region", { name: "Public portfolio" });
  await expect(portfolio.getByRole("alert")).toContainText(wasShown ? "Your portfolio was not hidden." : "Your portfolio was not made public.");
  await expect(shown).toBeChecked({ checked: wasShown });
  await expect(page.getByLabel("Address name")).toHaveValue("sofia-romero-errors");
  await expectAccessible(page, "credentials, portfolio change failed");
  await restore();
  await portfolio.getByRole("alert").getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("checkbox", { name: "Show my portfolio publicly" })).toBeChecked({ checked: !wasShown });
});

// The whole loop, as real people would do it, in Chromium against the real server: an issuer admin
// designs and publishes a micro-credential and sets up reviewers; an educator enrols, writes,
// uploads a video and submits; two reviewers disagree and a third decides Not yet with feedback;
// the educator revises and resubmits; two reviewers agree on Earned; the educator finds the
// credential, its public page and the baked badge; the issuer revokes it behind a warning.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page, TestInfo } from "@playwright/test";
import { PASSWORD } from "./cairn";
import { expect, expectAccessible, test } from "./fixtures";

const ISSUER_ADMIN = "maria.alvarez@tpc.example.org";
const EDUCATOR = { email: "priya.natarajan@riverbend.example.org", name: "Priya Natarajan" };
const REVIEWERS = ["helen.okafor@lakeview.example.org", "samuel.ortiz@lakeview.example.org", "grace.kim@tpc.example.org"];
const TITLE = "Think-Pair-Share for Every Voice";

const MINIMAL_PDF = `%PDF-1.4
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj
trailer<</Root 1 0 R>>
%%EOF
`;

let shots = 0;
async function shot(page: Page, info: TestInfo, step: string) {
  shots += 1;
  await page.screenshot({ path: info.outputPath(`${String(shots).padStart(2, "0")}-${step}.png`), fullPage: true });
}

async function personPage(browser: Browser, baseURL: string, email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  return page;
}

async function apiAs(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = await (await fetch("/api/v1/me")).json();
      const r = await fetch(path, {
        method,
        headers: { "Content-Type": "application/json", "X-CSRF-Token": me.csrf_token ?? "" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: await r.json().catch(() => null) };
    },
    { method, path, body },
  );
}

async function designAndPublish(page: Page) {
  await page.goto("/admin");
  await page.getByRole("link", { name: "Design a new micro-credential" }).first().click();
  await page.getByLabel("Title").fill(TITLE);
  await page.getByLabel("Summary (one or two sentences for the catalog)").fill("Structure discussion so every student thinks, talks and is heard.");
  await page.getByLabel("Competency").fill("The educator uses think-pair-share so that every student rehearses and voices an idea.");
  await page.getByLabel("Subject").fill("Instructional Strategies");
  await page.getByLabel("The method").fill("Pose an open question, give silent think time, pair students, then share out.");
  await page.getByRole("button", { name: "Add a component" }).click();
  await page.getByLabel("Component 1 name").fill("Think time");
  await page.getByLabel("Component 1 description").fill("At least 30 seconds of silent thinking before talk.");
  await page.getByLabel("Supporting research").fill("Lyman (1981) introduced think-pair-share; wait time research by Rowe (1986).");
  await page.getByRole("button", { name: "Add a resource" }).click();
  await page.getByLabel("Resource 1 title").fill("Rowe (1986): Wait time");
  await page.getByLabel("Link").fill("https://doi.org/10.1177/002248718603700110");
  await page.getByRole("button", { name: "Add an overview question" }).click();
  await page.getByLabel("Question 1").fill("Describe the class and the lesson.");
  await page.getByRole("button", { name: "Add an artifact" }).click();
  await page.getByLabel("Artifact 1 title").fill("Video of a think-pair-share");
  await page.getByLabel("What to submit").fill("Three to five minutes of the routine in class.");
  await page.getByRole("checkbox", { name: "video" }).check();
  await page.getByRole("checkbox", { name: "document" }).uncheck();
  await page.getByRole("button", { name: "Add an artifact" }).click();
  await page.getByLabel("Artifact 2 title").fill("Lesson plan");
  await page.getByLabel("What to submit").nth(1).fill("The plan for the lesson, as a PDF or document.");
  await page.getByRole("button", { name: "Add a reflection prompt" }).click();
  await page.getByLabel("Prompt 1").fill("What changed in who spoke?");
  await page.getByRole("button", { name: "Add a criterion" }).click();
  await page.getByLabel("Criterion 1").fill("Think time");
  await page.getByRole("button", { name: "Add a criterion" }).click();
  await page.getByLabel("Criterion 2").fill("Every voice");
  for (const box of await page.getByLabel(/^What “.*” looks like$/).all()) await box.fill("Described in the rubric text.");
  await page.getByLabel("Criteria must reach").selectOption("meets");
  await page.getByRole("button", { name: "Preview as educators see it" }).click();
  await expect(page.getByRole("region", { name: "Preview" }).getByRole("table", { name: `Rubric for ${TITLE}` })).toBeVisible();
  await expectAccessible(page, "designer with preview");
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page).toHaveURL(/\/micro-credentials\/mc_[A-Za-z0-9]+$/);
  await expect(page.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
}

async function review(page: Page, code: string, level: "Meets" | "Approaching", comment: string) {
  await page.goto("/reviews");
  await page.getByRole("link", { name: code }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(code);
  const text = (await page.locator("main").innerText()) + (await page.content());
  expect(text).not.toContain(EDUCATOR.name);
  expect(text).not.toContain(EDUCATOR.email);
  for (const group of await page.locator(".rubric-form fieldset").all()) {
    await group.getByLabel(new RegExp(`^${level}:`)).check();
    await group.getByRole("textbox").fill(comment);
  }
  await expectAccessible(page, "review workspace");
  await page.getByRole("button", { name: /Confirm “.*” and complete/ }).click();
  await expect(page).toHaveURL(/\/reviews$/);
}

async function queued(pages: Page[], code: string): Promise<Page[]> {
  const found: Page[] = [];
  for (const p of pages) {
    const r = await apiAs(p, "GET", "/api/v1/reviews");
    if (r.body.items.some((x: { code?: string; state: string }) => x.code === code && ["assigned", "in_progress"].includes(x.state)))
      found.push(p);
  }
  return found;
}

test("the whole loop in the browser", async ({ browser, cairn }, info) => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), "cairn-video-"));
  const video = join(dir, "lesson.mp4");
  execFileSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=15", "-f", "lavfi", "-i", "sine=duration=2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", video]);
  const pdf = join(dir, "lesson-plan.pdf");
  // A long lesson plan (150 MB: 30 chunks of 5 MiB), so the upload can be cut between two chunks;
  // the padding is PDF comment lines.
  const line = "% " + "lesson plan padding ".repeat(50) + "\n";
  writeFileSync(pdf, MINIMAL_PDF.replace("%%EOF", line.repeat(Math.ceil((150 * 1024 * 1024) / line.length)) + "%%EOF"));

  const admin = await personPage(browser, cairn.url, ISSUER_ADMIN);
  await designAndPublish(admin);
  await shot(admin, info, "published");
  const issuer = (await apiAs(admin, "GET", "/api/v1/me")).body.memberships.find((m: { role: string }) => m.role === "issuer_admin").organization_id;
  const reviewers: Page[] = [];
  for (const email of REVIEWERS) {
    const page = await personPage(browser, cairn.url, email);
    reviewers.push(page);
    const name = (await apiAs(page, "GET", "/api/v1/me")).body.user.display_name;
    await admin.goto("/admin");
    const pool = admin.getByRole("region", { name: "Reviewer pool" }).first();
    const picker = pool.getByLabel("Reviewer", { exact: true });
    await expect(picker.locator("option", { hasText: name })).toHaveCount(1);
    await picker.selectOption((await picker.locator("option", { hasText: name }).getAttribute("value")) ?? "");
    await pool.getByRole("checkbox", { name: TITLE }).check();
    await pool.getByRole("button", { name: "Add to the pool or update" }).click();
    await expect(pool.getByRole("table", { name: /Reviewers, their load/ })).toContainText(name);
  }
  // The educator: find it, enrol, write, upload, submit.
  const educator = await personPage(browser, cairn.url, EDUCATOR.email);
  await educator.goto("/");
  await educator.getByLabel("Search").fill("think-pair-share");
  await educator.getByRole("button", { name: "Search" }).click();
  await educator.getByRole("link", { name: TITLE }).click();
  await educator.getByRole("button", { name: "Start this micro-credential" }).click();
  await expect(educator.getByRole("heading", { name: /Your submission, attempt 1/ })).toBeVisible();
  await educator.getByLabel("Overview question 1").fill("Grade 7 science, 28 students, a lesson on density.");
  await educator.getByLabel("Reflection 1").fill("Quiet students spoke in pairs first and then shared with the class.");
  await expect(educator.getByText("All changes saved")).toBeVisible();
  await educator.getByLabel(/Add a file for “Video/).setInputFiles(video);
  await expect(educator.locator("video.preview")).toBeVisible({ timeout: 60_000 });
  // The lesson plan's upload loses the connection partway, then resumes where it stopped.
  await educator.getByLabel(/Add a file for “Lesson plan”/).setInputFiles(pdf);
  const progress = educator.getByRole("progressbar", { name: /Uploading lesson-plan.pdf/ });
  await expect.poll(async () => Number(await progress.getAttribute("value")), { timeout: 60_000, intervals: [50] }).toBeGreaterThan(10);
  await educator.context().setOffline(true);
  await expect(educator.getByText("Connection lost: the upload will resume where it stopped.")).toBeVisible({ timeout: 30_000 });
  await shot(educator, info, "upload-interrupted");
  await educator.context().setOffline(false);
  await expect(educator.getByRole("link", { name: /Open lesson-plan.pdf/ })).toBeVisible({ timeout: 120_000 });

  await educator.getByLabel(/I have consent/).check();
  await educator.getByLabel("Caption").last().fill("Think-pair-share on density");
  await expect(educator.getByText("All changes saved")).toBeVisible();
  await expectAccessible(educator, "workspace, loaded");
  const draft = (await apiAs(educator, "GET", `/api/v1/enrolments/${educator.url().split("/").pop()}/draft`)).body;
  const planFile = draft.artifacts.find((a: { requirement: number }) => a.requirement === 1).file_id;
  const stored = (await apiAs(educator, "GET", `/api/v1/files/${planFile}`)).body;
  expect(stored.sha256).toBe(createHash("sha256").update(readFileSync(pdf)).digest("hex"));
  await shot(educator, info, "workspace-ready");
  await educator.getByRole("button", { name: "Submit attempt 1" }).click();
  await expect(educator.getByRole("heading", { name: /Attempt 1: (Submitted|In review)/ })).toBeVisible();
  await shot(educator, info, "submitted");
  const enrolment = educator.url().split("/").pop()!;
  const first = (await apiAs(educator, "GET", `/api/v1/enrolments/${enrolment}/submissions`)).body.items[0];

  // Two reviewers disagree; the third decides Not yet.
  await apiAs(admin, "POST", `/api/v1/issuers/${issuer}/assignments/run`);
  let assigned = await queued(reviewers, first.code);
  expect(assigned).toHaveLength(2);
  await review(assigned[0], first.code, "Meets", "Clear think time.");
  await review(assigned[1], first.code, "Approaching", "Pairs were uneven.");
  await apiAs(admin, "POST", `/api/v1/issuers/${issuer}/assignments/run`);
  assigned = await queued(reviewers, first.code);
  expect(assigned).toHaveLength(1);
  await review(assigned[0], first.code, "Approaching", "Share-out reached only a few students.");
  await shot(assigned[0], info, "tie-break-decided");

  await educator.reload();
  await expect(educator.getByText("Decision: Not yet (decided by a third reviewer)")).toBeVisible();
  await expect(educator.getByRole("table", { name: "Feedback for each criterion" })).toContainText("Share-out reached only a few students.");
  await expectAccessible(educator, "feedback");
  await shot(educator, info, "not-yet-feedback");

  // Revise and resubmit; two reviewers agree on Earned.
  await educator.getByLabel("Reflection 1").fill("After the feedback, every pair shared: 26 of 28 students spoke.");
  await expect(educator.getByText("All changes saved")).toBeVisible();
  await educator.getByRole("button", { name: "Submit attempt 2" }).click();
  await expect(educator.getByRole("heading", { name: /Attempt 2: (Submitted|In review)/ })).toBeVisible();
  const second = (await apiAs(educator, "GET", `/api/v1/enrolments/${enrolment}/submissions`)).body.items[1];
  await apiAs(admin, "POST", `/api/v1/issuers/${issuer}/assignments/run`);
  assigned = await queued(reviewers, second.code);
  expect(assigned).toHaveLength(2);
  for (const page of assigned) await review(page, second.code, "Meets", "Every voice was heard.");

  await educator.reload();
  await expect(educator.getByText("Decision: Earned")).toBeVisible();
  await shot(educator, info, "earned");
  await educator.goto("/my-credentials");
  await expect(educator.getByRole("link", { name: TITLE })).toBeVisible();
  await expectAccessible(educator, "my credentials");
  const badge = await educator.request.get(await educator.getByRole("link", { name: "Download badge image" }).getAttribute("href") ?? "");
  expect(badge.headers()["content-type"]).toBe("image/png");
  await educator.getByRole("link", { name: TITLE }).click();
  await expect(educator.locator("body")).toContainText(TITLE);
  await expect(educator.locator("body")).toContainText(/valid/i);
  await shot(educator, info, "public-page");

  // The issuer revokes it, behind a warning that says it cannot be undone.
  await admin.goto("/admin");
  await admin.getByRole("button", { name: new RegExp(`Revoke ${TITLE}`) }).click();
  await expect(admin.getByRole("alertdialog")).toContainText("Revocation cannot be undone.");
  await expectAccessible(admin, "revoke dialog");
  await admin.getByLabel("Reason").fill("Awarded in error during the pilot.");
  await admin.getByRole("button", { name: "Revoke permanently" }).click();
  await expect(admin.getByRole("row", { name: new RegExp(TITLE) }).getByRole("cell", { name: "revoked" })).toBeVisible();
  await shot(admin, info, "revoked");
});

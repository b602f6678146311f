// A district's review preferences, end to end in the browser: the issuer lets districts choose,
// the district admin sets a deadline and the never-same-district rule with the keyboard alone, a
// bad deadline is announced beside its field, and both screens then say which rule applies.
import { PEOPLE } from "./cairn";
import { expect, expectAccessible, signIn, test } from "./fixtures";

test("an issuer allows district preferences and a district sets its own", async ({ page, browser, cairn }) => {
  // Maria's issuer, the Teaching Practice Collaborative, lets districts choose.
  await signIn(page, PEOPLE.issuerAdmin);
  await page.goto("/admin");
  const allow = page.getByLabel("Let districts set their own review deadline and conflict-of-interest rule");
  await expect(allow).not.toBeChecked();
  await allow.check();
  await page.getByRole("button", { name: "Save review policy" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Review policy saved." })).toBeVisible();

  // James, Riverbend's district admin, in his own browser.
  const context = await browser.newContext({ baseURL: cairn.url });
  const james = await context.newPage();
  await signIn(james, PEOPLE.districtAdmin);
  await james.goto("/admin");
  const prefs = james.getByRole("region", { name: "Review preferences", exact: true });
  const honoured = prefs.getByRole("list", { name: "Issuers that apply your review preferences" });
  await expect(honoured.getByRole("listitem")).toHaveCount(1);
  await expect(honoured).toContainText("Teaching Practice Collaborative: Reviews are due 14 days after assignment (the issuer's deadline)");
  await expectAccessible(james, "/admin review preferences, not chosen yet");

  // Out of range: announced beside the field, nothing saved. Keyboard only from here.
  const deadline = prefs.getByLabel("Review deadline in days (empty: the issuer's default)");
  await deadline.focus();
  await james.keyboard.type("75");
  await james.keyboard.press("Enter");
  const fieldError = prefs.getByRole("alert");
  await expect(fieldError).toHaveText("Enter between 1 and 60 days, or leave it empty for the issuer's deadline.");
  await expect(deadline).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(james, "/admin review preferences, bad deadline");

  await deadline.fill("");
  await deadline.focus();
  await james.keyboard.type("5");
  await james.keyboard.press("Tab");
  await expect(prefs.getByLabel("Never have our educators reviewed by reviewers from our own district")).toBeFocused();
  await james.keyboard.press("Space");
  await james.keyboard.press("Tab");
  await expect(prefs.getByRole("button", { name: "Save review preferences" })).toBeFocused();
  await james.keyboard.press("Enter");
  await expect(prefs.getByRole("status")).toHaveText("Review preferences saved.");
  await expect(honoured).toContainText(
    "Teaching Practice Collaborative: Reviews are due 5 days after assignment (your deadline); reviewers from your own district never review your educators.",
  );
  await expect(prefs.getByLabel("Review deadline in days (empty: the issuer's default)")).toHaveValue("5");
  await expect(prefs.getByLabel("Never have our educators reviewed by reviewers from our own district")).toBeChecked();
  await expectAccessible(james, "/admin review preferences, saved");

  // What the API says is what the screen said.
  const stored = await james.evaluate(async () => {
    const me = await (await fetch("/api/v1/me")).json();
    const district = me.memberships.find((m: { role: string }) => m.role === "district_admin").organization_id;
    return (await fetch(`/api/v1/organizations/${district}/review-preferences`)).json();
  });
  expect(stored.sla_days).toBe(5);
  expect(stored.never_same_district).toBe(true);
  expect(stored.honoured_by.map((i: { name: string }) => i.name)).toEqual(["Teaching Practice Collaborative"]);
  await context.close();

  // Maria's policy now lists Riverbend's choice as applied.
  await page.reload();
  const districts = page.getByRole("list", { name: "Districts that chose their own review rules" });
  await expect(districts).toContainText("Riverbend Unified School District: 5 days, never the same district · applies: due in 5 days, never the same district");
  await expectAccessible(page, "/admin issuer policy with a district's choice");

  // Taking the permission back: the district's choice no longer applies, and its screen says so.
  await page.getByLabel("Let districts set their own review deadline and conflict-of-interest rule").uncheck();
  await page.getByRole("button", { name: "Save review policy" }).click();
  await expect(districts).toContainText("not applied (districts may not choose)");
});

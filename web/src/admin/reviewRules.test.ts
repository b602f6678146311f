import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { asSentence, describeRule, parseDeadline, sectionErrorText } from "./reviewRules";

describe("parseDeadline", () => {
  it("reads empty as the issuer's deadline", () => {
    expect(parseDeadline("")).toEqual({ ok: true, days: null });
    expect(parseDeadline("   ")).toEqual({ ok: true, days: null });
  });
  it("accepts whole days from 1 to 60", () => {
    expect(parseDeadline("1")).toEqual({ ok: true, days: 1 });
    expect(parseDeadline(" 60 ")).toEqual({ ok: true, days: 60 });
  });
  it("refuses what the server would refuse, saying what to enter", () => {
    for (const bad of ["0", "61", "-3", "2.5", "soon", "1e1"]) {
      const got = parseDeadline(bad);
      expect(got.ok, bad).toBe(false);
      if (!got.ok) expect(got.message).toMatch(/days/);
    }
  });
});

describe("describeRule", () => {
  it("says whose deadline applies and what the conflict rule is", () => {
    expect(describeRule({ sla_days: 5, never_same_district: true, deadline_from: "district" })).toBe(
      "Reviews are due 5 days after assignment (your deadline); reviewers from your own district never review your educators.",
    );
    expect(describeRule({ sla_days: 1, never_same_district: false, deadline_from: "issuer" })).toBe(
      "Reviews are due 1 day after assignment (the issuer's deadline); reviewers from your district's other schools may review your educators.",
    );
  });
});

describe("sectionErrorText", () => {
  it("names what failed, why and what to do", () => {
    const offline = new ApiError(0, {});
    expect(sectionErrorText("The reviewer pool could not be loaded", offline)).toBe(
      "The reviewer pool could not be loaded. Cairn could not be reached. Check your connection and try again.",
    );
    const forbidden = new ApiError(403, { title: "Forbidden", detail: "you are not allowed to do this" });
    expect(sectionErrorText("Review preferences could not be loaded", forbidden)).toMatch(
      /^Review preferences could not be loaded\. You are not allowed to do this\. Your account does not have access/,
    );
  });
});

describe("asSentence", () => {
  it("capitalises and ends a server clause, and leaves sentences alone", () => {
    expect(asSentence("no such district")).toBe("No such district.");
    expect(asSentence("Saved!")).toBe("Saved!");
    expect(asSentence("  ")).toBe("");
  });
});

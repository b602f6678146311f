import { ApiError, withQuery } from "./client";

describe("withQuery", () => {
  it("drops empty values and encodes the rest", () => {
    expect(withQuery("/api/v1/micro-credentials", { q: "exit tickets & more", page: 2, subject: "", tag: undefined })).toBe(
      "/api/v1/micro-credentials?q=exit+tickets+%26+more&page=2",
    );
  });
  it("leaves a path without parameters alone", () => {
    expect(withQuery("/api/v1/me", {})).toBe("/api/v1/me");
  });
});

describe("ApiError", () => {
  it("carries the problem's title, detail and field errors", () => {
    const e = new ApiError(422, {
      title: "Invalid input",
      detail: "2 fields need attention",
      errors: [{ pointer: "/overview/0", detail: "Use at most 300 words (you have 312)." }],
    });
    expect(e.message).toBe("2 fields need attention");
    expect(e.fieldMessage("/overview/0")).toBe("Use at most 300 words (you have 312).");
    expect(e.fieldMessage("/reflection/0")).toBeUndefined();
    expect(e.advice).toMatch(/highlighted fields/);
  });
  it("tells an offline user to check the connection", () => {
    expect(new ApiError(0, { title: "You appear to be offline" }).advice).toMatch(/connection/);
  });
  it("tells a signed-out user to sign in", () => {
    expect(new ApiError(401, {}).advice).toMatch(/Sign in/);
    expect(new ApiError(401, {}).title).toBe("Request failed (401)");
  });
});

import { ApiError, api, failureText, get, onUnauthorized, sentence, toApiError, withQuery } from "./client";

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

describe("error messages", () => {
  it("turns a server's lower-case detail into a sentence", () => {
    expect(sentence("no such review")).toBe("No such review.");
    expect(sentence("Already a sentence.")).toBe("Already a sentence.");
    expect(sentence("  ")).toBe("");
  });
  it("says what failed, why, and what to do, in that order", () => {
    const offline = new ApiError(0, { title: "You appear to be offline" });
    expect(failureText("Your review was not saved", offline)).toBe(
      "Your review was not saved. Cairn could not be reached. Check your connection and try again.",
    );
    const refused = new ApiError(422, {
      detail: "every criterion needs a comment before the review can be completed",
      errors: [{ pointer: "/ratings/0/comment", detail: "is required" }],
    });
    expect(failureText("The review was not completed", refused)).toBe(
      "The review was not completed. Every criterion needs a comment before the review can be completed. Check the highlighted fields and try again.",
    );
  });
  it("does not ask for highlighted fields when the server named none", () => {
    expect(new ApiError(422, { detail: "the handle is taken" }).advice).toBe("Check what you entered and try again.");
  });
  it("keeps an ApiError and reports anything else as a fault of the page, not the connection", () => {
    const api = new ApiError(404, {});
    expect(toApiError(api)).toBe(api);
    const bug = toApiError(new TypeError("x is undefined"));
    expect(bug.status).toBe(-1);
    expect(bug.message).toBe("x is undefined");
    expect(bug.advice).toMatch(/Reload the page/);
  });
});

describe("api and an ended session", () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });
  function answer(status: number, body: unknown) {
    globalThis.fetch = vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/problem+json" } }));
  }

  it("tells the listeners when a request is answered 401, and still rejects the call", async () => {
    const heard = vi.fn();
    const stop = onUnauthorized(heard);
    answer(401, { title: "Unauthenticated", detail: "please sign in" });
    await expect(get("/api/v1/enrolments")).rejects.toMatchObject({ status: 401, message: "please sign in" });
    expect(heard).toHaveBeenCalledTimes(1);
    stop();
    await expect(get("/api/v1/enrolments")).rejects.toMatchObject({ status: 401 });
    expect(heard).toHaveBeenCalledTimes(1);
  });

  it("does not treat a wrong password at sign-in, or any other refusal, as an ended session", async () => {
    const heard = vi.fn();
    const stop = onUnauthorized(heard);
    answer(401, { title: "Unauthenticated" });
    await expect(api("POST", "/api/v1/auth/signin", { email: "a@b.c", password: "x" })).rejects.toMatchObject({ status: 401 });
    answer(403, { title: "Forbidden" });
    await expect(get("/api/v1/reviews")).rejects.toMatchObject({ status: 403 });
    expect(heard).not.toHaveBeenCalled();
    stop();
  });

  it("reports a request that never reached the server as offline", async () => {
    globalThis.fetch = vi.fn(async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(get("/api/v1/me")).rejects.toMatchObject({ status: 0, title: "You appear to be offline" });
  });
});

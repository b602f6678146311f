import { clearBackup, readBackup, sameContent, writeBackup } from "./backup";

describe("backups in this browser", () => {
  beforeEach(() => localStorage.clear());

  it("give back what was written, with the revision it was typed over", () => {
    writeBackup("k", 4, { overall: "Clear think time." });
    expect(readBackup("k")).toEqual({ revision: 4, value: { overall: "Clear think time." } });
    clearBackup("k");
    expect(readBackup("k")).toBeNull();
  });

  it("ignore what they cannot trust: missing, not JSON, or the old format without a revision", () => {
    expect(readBackup("missing")).toBeNull();
    localStorage.setItem("broken", "{not json");
    expect(readBackup("broken")).toBeNull();
    localStorage.setItem("old", JSON.stringify({ overview: ["a"], artifacts: [], reflection: [] }));
    expect(readBackup("old")).toBeNull();
  });
});

describe("sameContent", () => {
  it("compares by content whatever the order of keys", () => {
    expect(sameContent({ a: 1, b: [{ x: "1", y: 2 }] }, { b: [{ y: 2, x: "1" }], a: 1 })).toBe(true);
    expect(sameContent({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameContent({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameContent({ a: "" }, { a: null })).toBe(false);
  });
});

import { recommend } from "./recommend";

const levels = [{ id: "not-yet" }, { id: "approaching" }, { id: "meets" }, { id: "exceeds" }];
const rubric = {
  criteria: ["a", "b", "c"].map((id) => ({ id, levels })),
  earned_rule: { level: "meets", minimum_criteria: 2, floor_level: "approaching" },
};

describe("recommend", () => {
  it("is undecided until every criterion is rated", () => {
    expect(recommend(rubric, { a: "meets", b: "meets" })).toBeNull();
  });
  it("earns when enough criteria meet the level and none is below the floor", () => {
    expect(recommend(rubric, { a: "meets", b: "exceeds", c: "approaching" })).toBe("earned");
  });
  it("is not yet when too few criteria meet the level", () => {
    expect(recommend(rubric, { a: "meets", b: "approaching", c: "approaching" })).toBe("not_yet");
  });
  it("is not yet when one criterion is below the floor, however strong the rest", () => {
    expect(recommend(rubric, { a: "exceeds", b: "exceeds", c: "not-yet" })).toBe("not_yet");
  });
  it("asks every criterion when no minimum is set", () => {
    const all = { ...rubric, earned_rule: { level: "meets" } };
    expect(recommend(all, { a: "meets", b: "meets", c: "approaching" })).toBe("not_yet");
    expect(recommend(all, { a: "meets", b: "meets", c: "meets" })).toBe("earned");
  });
});

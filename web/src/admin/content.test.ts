import { contentOf, emptyContent, newCriterion, slug } from "./content";

describe("contentOf", () => {
  it("keeps what an issuer writes and drops rendered HTML and metadata", () => {
    const mc = {
      id: "mc_1",
      version: 2,
      state: "draft",
      title: "Exit tickets",
      summary: "Short",
      summary_html: "<p>Short</p>",
      key_method: { description: "Do it", description_html: "<p>Do it</p>", components: [{ name: "A", description: "a", description_html: "<p>a</p>" }] },
      tags: ["assessment"],
    };
    expect(contentOf(mc)).toEqual({
      title: "Exit tickets",
      summary: "Short",
      key_method: { description: "Do it", components: [{ name: "A", description: "a" }] },
      tags: ["assessment"],
    });
  });
});

describe("rubric helpers", () => {
  it("makes slugs the API accepts", () => {
    expect(slug("Évidence of Learning!")).toBe("evidence-of-learning");
  });
  it("gives a new criterion the same level ids as the first", () => {
    const c = emptyContent();
    c.rubric.criteria.push({ id: "x", name: "X", description: "", levels: [{ id: "low", name: "Low", descriptor: "l" }, { id: "high", name: "High", descriptor: "h" }] });
    expect(newCriterion(c, "Student voice").levels).toEqual([
      { id: "low", name: "Low", descriptor: "" },
      { id: "high", name: "High", descriptor: "" },
    ]);
    expect(newCriterion(c, "Student voice").id).toBe("student-voice");
  });
});

import { render, screen, within } from "@testing-library/react";
import type { Rubric } from "../api/types";
import { EarnedRule, RubricTable } from "./RubricTable";

const level = (id: string, name: string) => ({ id, name, descriptor: name, descriptor_html: `<p>${name} work</p>` });
const rubric: Rubric = {
  criteria: ["Planning", "Evidence", "Reflection"].map((name) => ({
    id: name.toLowerCase(),
    name,
    levels: [level("not-yet", "Not yet"), level("approaching", "Approaching"), level("meets", "Meets")],
  })),
  earned_rule: { level: "meets", minimum_criteria: 2, floor_level: "approaching" },
};

describe("RubricTable", () => {
  it("shows every criterion as a row header and every level as a column", () => {
    render(<RubricTable rubric={rubric} caption="Rubric for Exit Tickets" />);
    const table = screen.getByRole("table", { name: "Rubric for Exit Tickets" });
    expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).toEqual([
      "Criterion",
      "Not yet",
      "Approaching",
      "Meets",
    ]);
    expect(within(table).getAllByRole("rowheader").map((h) => h.textContent)).toEqual(["Planning", "Evidence", "Reflection"]);
    expect(within(table).getAllByRole("cell")).toHaveLength(9);
  });
});

describe("EarnedRule", () => {
  it("states the rule in words, with the floor", () => {
    const { container } = render(<EarnedRule rubric={rubric} />);
    expect(container.textContent).toContain("Earned when 2 of 3 criteria are rated Meets or higher, and none is below Approaching.");
  });
  it("says every criterion when no minimum is set", () => {
    const { container } = render(<EarnedRule rubric={{ ...rubric, earned_rule: { level: "meets" } }} />);
    expect(container.textContent).toContain("Earned when every criterion is rated Meets or higher.");
  });
});

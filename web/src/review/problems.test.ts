import { ApiError } from "../api/client";
import { reviewProblems } from "./problems";

const criteria = [
  { id: "crit_plan", name: "Planning" },
  { id: "crit_q", name: "Questioning" },
  { id: "crit_ref", name: "Reflection" },
];
// The order the ratings were sent in, which is what the server's pointers index.
const sent = [
  { criterion_id: "crit_q", level_id: "meets", comment: "" },
  { criterion_id: "crit_plan", level_id: "meets", comment: "Clear plan." },
  { criterion_id: "crit_ref", level_id: "approaching", comment: " " },
];

describe("reviewProblems", () => {
  it("names the criterion of each missing comment by the order the ratings were sent in", () => {
    const error = new ApiError(422, {
      title: "Invalid input",
      detail: "every criterion needs a comment before the review can be completed",
      errors: [
        { pointer: "/ratings/0/comment", detail: "is required" },
        { pointer: "/ratings/2/comment", detail: "is required" },
      ],
    });
    const problems = reviewProblems(error, sent, criteria);
    expect(problems.map((p) => [p.criterionId, p.field, p.detail, p.summary])).toEqual([
      ["crit_q", "comment", "Feedback is required.", "Feedback on Questioning is required."],
      ["crit_ref", "comment", "Feedback is required.", "Feedback on Reflection is required."],
    ]);
  });

  it("keeps review-wide problems apart from the criteria", () => {
    const error = new ApiError(422, {
      errors: [{ pointer: "/recommendation", detail: 'must be "not_yet" for these ratings' }],
    });
    const [p] = reviewProblems(error, sent, criteria);
    expect(p.criterionId).toBeNull();
    expect(p.field).toBe("recommendation");
    expect(p.summary).toBe('The recommendation must be "not_yet" for these ratings.');
  });

  it("still says something when a pointer names a rating that was not sent", () => {
    const error = new ApiError(422, { errors: [{ pointer: "/ratings/7/level_id", detail: "is not a level of this criterion" }] });
    const [p] = reviewProblems(error, sent, criteria);
    expect(p.criterionId).toBeNull();
    expect(p.summary).toBe("The level is not a level of this criterion.");
  });

  it("finds nothing in an error without field errors, or in no error", () => {
    expect(reviewProblems(new ApiError(0, { title: "You appear to be offline" }), sent, criteria)).toEqual([]);
    expect(reviewProblems(null, sent, criteria)).toEqual([]);
  });
});

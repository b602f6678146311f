import { sentence, type ApiError } from "../api/client";
import type { ReviewRating } from "../api/types";

// The server names a review's problems by JSON Pointer into the ratings it was sent
// ("/ratings/2/comment"); the reviewer thinks in criteria ("Feedback on Questioning"). This turns
// one into the other, so each problem shows beside its field and in the summary by name.

export interface ReviewProblem {
  // The criterion the problem belongs to, or null for the review as a whole.
  criterionId: string | null;
  field: "comment" | "level" | "criterion" | "overall" | "recommendation" | "other";
  // Beside the field: "Feedback is required."
  detail: string;
  // In the summary: "Feedback on Questioning is required."
  summary: string;
}

const kFieldNames: Record<string, { field: ReviewProblem["field"]; name: string }> = {
  comment: { field: "comment", name: "Feedback" },
  level_id: { field: "level", name: "The level" },
  criterion_id: { field: "criterion", name: "The criterion" },
};

export function reviewProblems(
  error: ApiError | null,
  sent: ReviewRating[],
  criteria: { id: string; name: string }[],
): ReviewProblem[] {
  if (!error) return [];
  return error.fields.map(({ pointer, detail }) => {
    const rating = /^\/ratings\/(\d+)(?:\/(\w+))?$/.exec(pointer);
    if (rating) {
      const criterionId = sent[Number(rating[1])]?.criterion_id ?? null;
      const criterion = criteria.find((c) => c.id === criterionId);
      const known = kFieldNames[rating[2] ?? ""] ?? { field: "other" as const, name: "The rating" };
      return {
        criterionId: criterion ? criterion.id : null,
        field: known.field,
        detail: sentence(`${known.name} ${detail}`),
        summary: sentence(`${known.name} ${criterion ? `on ${criterion.name} ` : ""}${detail}`),
      };
    }
    if (pointer === "/comment")
      return { criterionId: null, field: "overall", detail: sentence(`Overall feedback ${detail}`), summary: sentence(`Overall feedback ${detail}`) };
    if (pointer === "/recommendation")
      return {
        criterionId: null,
        field: "recommendation",
        detail: sentence(`The recommendation ${detail}`),
        summary: sentence(`The recommendation ${detail}`),
      };
    return { criterionId: null, field: "other", detail: sentence(detail), summary: sentence(`${pointer.slice(1) || "The review"} ${detail}`) };
  });
}

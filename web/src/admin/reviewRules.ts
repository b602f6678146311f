// What the admin screens say about review rules: a district's deadline field, and which rule an
// issuer's reviews of a district's educators follow.
import { ApiError } from "../api/client";
import type { EffectiveReviewRule } from "../api/types";

export const kMaxDistrictSlaDays = 60;

export type DeadlineInput = { ok: true; days: number | null } | { ok: false; message: string };

// The district's deadline field: empty means each issuer's own deadline.
export function parseDeadline(text: string): DeadlineInput {
  const t = text.trim();
  if (t === "") return { ok: true, days: null };
  if (!/^\d+$/.test(t)) return { ok: false, message: "Enter a whole number of days, or leave it empty for the issuer's deadline." };
  const days = Number(t);
  if (days < 1 || days > kMaxDistrictSlaDays)
    return { ok: false, message: `Enter between 1 and ${kMaxDistrictSlaDays} days, or leave it empty for the issuer's deadline.` };
  return { ok: true, days };
}

function days(n: number) {
  return n === 1 ? "1 day" : `${n} days`;
}

// One sentence per issuer for the district screen.
export function describeRule(rule: EffectiveReviewRule): string {
  const deadline =
    rule.deadline_from === "district" ? `Reviews are due ${days(rule.sla_days)} after assignment (your deadline)` : `Reviews are due ${days(rule.sla_days)} after assignment (the issuer's deadline)`;
  const coi = rule.never_same_district
    ? "reviewers from your own district never review your educators"
    : "reviewers from your district's other schools may review your educators";
  return `${deadline}; ${coi}.`;
}

// Server details are lower-case clauses ("no such district"); shown alone they read as sentences.
export function asSentence(text: string): string {
  const t = text.trim();
  if (!t) return "";
  const first = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

// A section that could not load or save: what failed, why, and what to do next.
export function sectionErrorText(what: string, error: ApiError): string {
  const why = error.status === 0 ? "Cairn could not be reached." : asSentence(error.message);
  return [asSentence(what), why, error.advice].filter(Boolean).join(" ");
}

// Whatever a failed call threw, as an ApiError (anything but one reads as a failed connection).
export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, {});
}

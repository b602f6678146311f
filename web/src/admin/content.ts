import type { Content } from "../api/types";

export const CONTENT_KEYS: (keyof Content)[] = [
  "title", "summary", "competency", "key_method", "research", "resources", "submission", "rubric",
  "alignments", "subject", "grade_band", "estimated_hours", "max_attempts", "tags", "image_url",
];

// The editable part of a micro-credential the API returns (it also carries rendered HTML and
// metadata, which a save must not send back).
export function contentOf(mc: Record<string, unknown>): Content {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).filter(([k]) => !k.endsWith("_html")).map(([k, v]) => [k, strip(v)]),
      );
    }
    return value;
  };
  const out: Record<string, unknown> = {};
  for (const key of CONTENT_KEYS) if (key in mc && mc[key] !== undefined) out[key] = strip(mc[key]);
  return out as unknown as Content;
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
}

export const STARTER_LEVELS = [
  { id: "not-yet", name: "Not yet", descriptor: "" },
  { id: "approaching", name: "Approaching", descriptor: "" },
  { id: "meets", name: "Meets", descriptor: "" },
];

export function emptyContent(): Content {
  return {
    title: "",
    summary: "",
    competency: "",
    key_method: { description: "", components: [] },
    research: "",
    resources: [],
    submission: { overview: [], artifacts: [], reflection: [] },
    rubric: { criteria: [], earned_rule: { level: "meets" } },
    alignments: [],
    subject: "",
    grade_band: "k-12",
    estimated_hours: 10,
    max_attempts: 3,
    tags: [],
  };
}

// A new criterion copies the level ids of the first, because the Earned rule names levels that
// every criterion must define.
export function newCriterion(content: Content, name: string) {
  const levels = content.rubric.criteria[0]?.levels.map((l) => ({ ...l, descriptor: "" })) ?? STARTER_LEVELS.map((l) => ({ ...l }));
  return { id: slug(name) || `criterion-${content.rubric.criteria.length + 1}`, name, description: "", levels };
}

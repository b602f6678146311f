// The rubric's Earned rule, as the server applies it (core/catalog/rubric.cpp: Recommend), so a
// reviewer sees the recommendation as they rate. The server checks it again when they confirm.
export interface RubricLike {
  criteria: { id: string; levels: { id: string }[] }[];
  earned_rule: { level: string; minimum_criteria?: number | null; floor_level?: string | null };
}

export function recommend(rubric: RubricLike, levels: Record<string, string>): "earned" | "not_yet" | null {
  let atOrAbove = 0;
  for (const c of rubric.criteria) {
    const chosen = levels[c.id];
    if (!chosen) return null; // incomplete: no recommendation yet
    const rank = c.levels.findIndex((l) => l.id === chosen);
    if (rank < 0) return null;
    const target = c.levels.findIndex((l) => l.id === rubric.earned_rule.level);
    if (rank >= target) atOrAbove += 1;
    if (rubric.earned_rule.floor_level) {
      const floor = c.levels.findIndex((l) => l.id === rubric.earned_rule.floor_level);
      if (rank < floor) return "not_yet";
    }
  }
  const needed = rubric.earned_rule.minimum_criteria ?? rubric.criteria.length;
  return atOrAbove >= needed ? "earned" : "not_yet";
}

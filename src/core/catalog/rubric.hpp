#pragma once
// The rubric is published exactly as reviewers use it, so the rule that turns their ratings into a
// recommendation lives here as a pure function that the catalog, the review screens and the
// decision step all share.
#include <optional>
#include <string>
#include <vector>

#include "core/common/result.hpp"

namespace cairn::core::catalog {

struct RubricLevel {
  std::string id;          // slug, unique within its criterion, e.g. "meets"
  std::string name;        // "Meets"
  std::string descriptor;  // Markdown: what work at this level looks like
};

struct Criterion {
  std::string id;  // slug, unique within the rubric
  std::string name;
  std::string description;          // Markdown, may be empty
  std::vector<RubricLevel> levels;  // ordered from lowest to highest
};

// Earned when at least `minimum_criteria` criteria (all of them when unset) are rated at or above
// `level`, and, when `floor_level` is set, no criterion is rated below it. The level ids must exist
// in every criterion, which is what lets one rule speak across criteria.
struct EarnedRule {
  std::string level;
  std::optional<int> minimum_criteria;
  std::string floor_level;
};

struct Rubric {
  std::vector<Criterion> criteria;
  EarnedRule earned_rule;
};

struct CriterionRating {
  std::string criterion_id;
  std::string level_id;
};

enum class Recommendation { kEarned, kNotYet };

std::string_view ToString(Recommendation r);

// Position of a level within a criterion (0 = lowest), or -1 when the criterion has no such level.
int LevelRank(const Criterion& criterion, std::string_view level_id);

// Applies the rubric's Earned rule to one rating per criterion. A missing, duplicated or unknown
// criterion, or a level the criterion does not define, is kInvalidInput naming the rating by
// JSON Pointer (/ratings/<i>), because a reviewer's incomplete form must never read as "Not yet".
Result<Recommendation> Recommend(const Rubric& rubric, const std::vector<CriterionRating>& ratings);

}  // namespace cairn::core::catalog

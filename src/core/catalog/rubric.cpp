#include "core/catalog/rubric.hpp"

#include <string>

namespace cairn::core::catalog {

std::string_view ToString(Recommendation r) {
  return r == Recommendation::kEarned ? "earned" : "not_yet";
}

int LevelRank(const Criterion& criterion, std::string_view level_id) {
  for (std::size_t i = 0; i < criterion.levels.size(); ++i)
    if (criterion.levels[i].id == level_id) return static_cast<int>(i);
  return -1;
}

Result<Recommendation> Recommend(const Rubric& rubric,
                                 const std::vector<CriterionRating>& ratings) {
  std::vector<FieldError> errors;
  std::vector<int> rank(rubric.criteria.size(), -1);
  for (std::size_t i = 0; i < ratings.size(); ++i) {
    const std::string pointer = "/ratings/" + std::to_string(i);
    std::size_t c = 0;
    while (c < rubric.criteria.size() && rubric.criteria[c].id != ratings[i].criterion_id) ++c;
    if (c == rubric.criteria.size()) {
      errors.push_back({pointer + "/criterion_id", "unknown criterion"});
      continue;
    }
    if (rank[c] != -1) {
      errors.push_back({pointer + "/criterion_id", "criterion rated twice"});
      continue;
    }
    const int r = LevelRank(rubric.criteria[c], ratings[i].level_id);
    if (r < 0) {
      errors.push_back({pointer + "/level_id", "level not defined for this criterion"});
      continue;
    }
    rank[c] = r;
  }
  for (std::size_t c = 0; c < rubric.criteria.size() && errors.empty(); ++c)
    if (rank[c] == -1)
      errors.push_back({"/ratings", "criterion \"" + rubric.criteria[c].id + "\" is not rated"});
  if (!errors.empty()) return Error::InvalidInput("the ratings do not match the rubric", errors);
  if (rubric.criteria.empty()) return Error::InvalidInput("the rubric has no criteria");

  const EarnedRule& rule = rubric.earned_rule;
  int at_or_above = 0;
  for (std::size_t c = 0; c < rubric.criteria.size(); ++c) {
    const int threshold = LevelRank(rubric.criteria[c], rule.level);
    if (threshold < 0) return Error::InvalidInput("the Earned rule names an unknown level");
    if (rank[c] >= threshold) ++at_or_above;
    if (!rule.floor_level.empty()) {
      const int floor = LevelRank(rubric.criteria[c], rule.floor_level);
      if (floor < 0) return Error::InvalidInput("the Earned rule names an unknown floor level");
      if (rank[c] < floor) return Recommendation::kNotYet;
    }
  }
  const int needed = rule.minimum_criteria.value_or(static_cast<int>(rubric.criteria.size()));
  return at_or_above >= needed ? Recommendation::kEarned : Recommendation::kNotYet;
}

}  // namespace cairn::core::catalog

#include "core/catalog/validation.hpp"

#include <set>
#include <string>

#include "core/catalog/text.hpp"

namespace cairn::core::catalog {
namespace {

class Checker {
 public:
  explicit Checker(std::vector<FieldError>& errors) : errors_(errors) {}

  void Fail(const std::string& pointer, std::string message) {
    errors_.push_back({pointer, std::move(message)});
  }

  // Text with a character limit; `required` makes an empty value an error.
  void Text(const std::string& pointer, const std::string& value, std::size_t max_chars,
            bool required) {
    if (!IsValidUtf8(value)) return Fail(pointer, "must be valid UTF-8");
    if (required && IsBlank(value)) return Fail(pointer, "must not be empty");
    if (CountCharacters(value) > max_chars)
      Fail(pointer, "must be at most " + std::to_string(max_chars) + " characters");
    for (unsigned char c : value)
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
        return Fail(pointer, "must not contain control characters");
  }

  void Url(const std::string& pointer, const std::string& value, bool required) {
    if (value.empty()) {
      if (required) Fail(pointer, "must not be empty");
      return;
    }
    if (value.size() > kMaxUrlChars)
      return Fail(pointer, "must be at most " + std::to_string(kMaxUrlChars) + " characters");
    if (!IsHttpUrl(value)) Fail(pointer, "must be an http or https URL");
  }

  void WordLimit(const std::string& pointer, int limit) {
    if (limit < 1 || limit > kMaxWordLimit)
      Fail(pointer, "must be between 1 and " + std::to_string(kMaxWordLimit));
  }

  template <class T>
  bool ListSize(const std::string& pointer, const std::vector<T>& list, std::size_t min,
                std::size_t max) {
    if (list.size() < min) {
      Fail(pointer, min == 1 ? "must have at least one item"
                             : "must have at least " + std::to_string(min) + " items");
      return false;
    }
    if (list.size() > max) {
      Fail(pointer, "must have at most " + std::to_string(max) + " items");
      return false;
    }
    return true;
  }

  static bool IsBlank(const std::string& s) {
    return s.find_first_not_of(" \t\r\n") == std::string::npos;
  }

 private:
  std::vector<FieldError>& errors_;
};

std::string At(const std::string& base, std::size_t i) { return base + "/" + std::to_string(i); }

void ValidateRubric(Checker& check, const Rubric& rubric, bool publishable) {
  const bool sized =
      check.ListSize("/rubric/criteria", rubric.criteria, publishable ? 1 : 0, kMaxCriteria);
  if (!sized && !rubric.criteria.empty()) return;
  std::set<std::string> criterion_ids;
  for (std::size_t c = 0; c < rubric.criteria.size(); ++c) {
    const Criterion& criterion = rubric.criteria[c];
    const std::string base = At("/rubric/criteria", c);
    if (!IsSlug(criterion.id))
      check.Fail(base + "/id", "must be a slug of lowercase letters, digits and hyphens");
    else if (!criterion_ids.insert(criterion.id).second)
      check.Fail(base + "/id", "duplicates another criterion's id");
    check.Text(base + "/name", criterion.name, kMaxNameChars, true);
    check.Text(base + "/description", criterion.description, kMaxMarkdownChars, false);
    // Ordered levels need at least two rungs, even in a draft: one level cannot rank anything.
    if (!check.ListSize(base + "/levels", criterion.levels, kMinLevels, kMaxLevels)) continue;
    std::set<std::string> level_ids;
    for (std::size_t l = 0; l < criterion.levels.size(); ++l) {
      const RubricLevel& level = criterion.levels[l];
      const std::string lbase = At(base + "/levels", l);
      if (!IsSlug(level.id))
        check.Fail(lbase + "/id", "must be a slug of lowercase letters, digits and hyphens");
      else if (!level_ids.insert(level.id).second)
        check.Fail(lbase + "/id", "duplicates another level of this criterion");
      check.Text(lbase + "/name", level.name, kMaxNameChars, true);
      check.Text(lbase + "/descriptor", level.descriptor, kMaxMarkdownChars, publishable);
    }
  }

  const EarnedRule& rule = rubric.earned_rule;
  if (rule.level.empty()) {
    if (publishable) check.Fail("/rubric/earned_rule/level", "must name the threshold level");
  } else {
    for (std::size_t c = 0; c < rubric.criteria.size(); ++c)
      if (LevelRank(rubric.criteria[c], rule.level) < 0) {
        check.Fail("/rubric/earned_rule/level", "level \"" + rule.level +
                                                    "\" is not defined for criterion \"" +
                                                    rubric.criteria[c].id + "\"");
        break;
      }
  }
  if (!rule.floor_level.empty()) {
    for (std::size_t c = 0; c < rubric.criteria.size(); ++c) {
      const int floor = LevelRank(rubric.criteria[c], rule.floor_level);
      const int threshold = LevelRank(rubric.criteria[c], rule.level);
      if (floor < 0) {
        check.Fail("/rubric/earned_rule/floor_level", "level \"" + rule.floor_level +
                                                          "\" is not defined for criterion \"" +
                                                          rubric.criteria[c].id + "\"");
        break;
      }
      if (threshold >= 0 && floor > threshold) {
        check.Fail("/rubric/earned_rule/floor_level", "must not be above the threshold level");
        break;
      }
    }
  }
  if (rule.minimum_criteria) {
    const int n = *rule.minimum_criteria;
    const int count = static_cast<int>(rubric.criteria.size());
    if (n < 1 || (count > 0 && n > count))
      check.Fail("/rubric/earned_rule/minimum_criteria",
                 "must be between 1 and the number of criteria (" + std::to_string(count) + ")");
  }
}

}  // namespace

bool IsHttpUrl(std::string_view url) {
  std::string_view rest;
  if (url.substr(0, 7) == "http://") {
    rest = url.substr(7);
  } else if (url.substr(0, 8) == "https://") {
    rest = url.substr(8);
  } else {
    return false;
  }
  const std::size_t host_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, host_end);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  if (authority.empty() || authority.front() == ':' || authority.front() == '.') return false;
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7F || c == '"' || c == '<' || c == '>' || c == '\\') return false;
  return true;
}

bool IsSlug(std::string_view text) {
  if (text.empty() || text.size() > 64 || text.front() == '-' || text.back() == '-') return false;
  char prev = 0;
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && prev == '-')) return false;
    prev = c;
  }
  return true;
}

std::vector<FieldError> Validate(const Content& content, Completeness completeness) {
  const bool publishable = completeness == Completeness::kPublishable;
  std::vector<FieldError> errors;
  Checker check(errors);

  check.Text("/title", content.title, kMaxTitleChars, true);
  check.Text("/summary", content.summary, kMaxSummaryChars, publishable);
  check.Text("/competency", content.competency, kMaxMarkdownChars, publishable);
  check.Text("/key_method/description", content.key_method.description, kMaxMarkdownChars,
             publishable);
  if (check.ListSize("/key_method/components", content.key_method.components, publishable ? 1 : 0,
                     kMaxListItems)) {
    for (std::size_t i = 0; i < content.key_method.components.size(); ++i) {
      const auto& component = content.key_method.components[i];
      const std::string base = At("/key_method/components", i);
      check.Text(base + "/name", component.name, kMaxNameChars, true);
      check.Text(base + "/description", component.description, kMaxMarkdownChars, publishable);
    }
  }
  check.Text("/research", content.research, kMaxMarkdownChars, publishable);

  if (check.ListSize("/resources", content.resources, 0, kMaxListItems)) {
    for (std::size_t i = 0; i < content.resources.size(); ++i) {
      const auto& resource = content.resources[i];
      const std::string base = At("/resources", i);
      check.Text(base + "/title", resource.title, kMaxNameChars, true);
      if (resource.url.empty() == resource.file.empty()) {
        check.Fail(base, "must have either a url or a file, not both");
      } else if (!resource.url.empty()) {
        check.Url(base + "/url", resource.url, true);
      } else if (resource.file.rfind("sha256:", 0) != 0 || resource.file.size() != 7 + 64) {
        check.Fail(base + "/file", "must be a blob reference \"sha256:<64 hex digits>\"");
      }
    }
  }

  const SubmissionRequirements& sub = content.submission;
  if (check.ListSize("/submission/overview", sub.overview, publishable ? 1 : 0, kMaxListItems)) {
    for (std::size_t i = 0; i < sub.overview.size(); ++i) {
      const std::string base = At("/submission/overview", i);
      check.Text(base + "/prompt", sub.overview[i].prompt, kMaxMarkdownChars, true);
      check.WordLimit(base + "/word_limit", sub.overview[i].word_limit);
    }
  }
  if (check.ListSize("/submission/artifacts", sub.artifacts, publishable ? 1 : 0, kMaxListItems)) {
    for (std::size_t i = 0; i < sub.artifacts.size(); ++i) {
      const auto& artifact = sub.artifacts[i];
      const std::string base = At("/submission/artifacts", i);
      check.Text(base + "/title", artifact.title, kMaxNameChars, true);
      check.Text(base + "/description", artifact.description, kMaxMarkdownChars, publishable);
      if (check.ListSize(base + "/accepted_kinds", artifact.accepted_kinds, 1, 5)) {
        std::set<ArtifactKind> seen;
        for (std::size_t k = 0; k < artifact.accepted_kinds.size(); ++k)
          if (!seen.insert(artifact.accepted_kinds[k]).second)
            check.Fail(At(base + "/accepted_kinds", k), "is listed twice");
      }
      if (artifact.min_count < 0 || artifact.min_count > kMaxArtifactCount)
        check.Fail(base + "/min_count",
                   "must be between 0 and " + std::to_string(kMaxArtifactCount));
      if (artifact.max_count < 1 || artifact.max_count > kMaxArtifactCount)
        check.Fail(base + "/max_count",
                   "must be between 1 and " + std::to_string(kMaxArtifactCount));
      else if (artifact.min_count > artifact.max_count)
        check.Fail(base + "/max_count", "must not be less than min_count");
    }
  }
  if (check.ListSize("/submission/reflection", sub.reflection, publishable ? 1 : 0,
                     kMaxListItems)) {
    for (std::size_t i = 0; i < sub.reflection.size(); ++i) {
      const std::string base = At("/submission/reflection", i);
      check.Text(base + "/prompt", sub.reflection[i].prompt, kMaxMarkdownChars, true);
      check.WordLimit(base + "/word_limit", sub.reflection[i].word_limit);
    }
  }

  ValidateRubric(check, content.rubric, publishable);

  if (check.ListSize("/alignments", content.alignments, 0, kMaxListItems)) {
    for (std::size_t i = 0; i < content.alignments.size(); ++i) {
      const auto& alignment = content.alignments[i];
      const std::string base = At("/alignments", i);
      check.Text(base + "/framework", alignment.framework, kMaxNameChars, true);
      check.Text(base + "/code", alignment.code, kMaxNameChars, true);
      check.Text(base + "/name", alignment.name, kMaxSummaryChars, true);
      check.Url(base + "/url", alignment.url, false);
    }
  }

  check.Text("/subject", content.subject, kMaxNameChars, publishable);
  if (!(content.estimated_hours >= 0 && content.estimated_hours <= kMaxEstimatedHours))
    check.Fail("/estimated_hours", "must be between 0 and 200");
  else if (publishable && content.estimated_hours == 0)
    check.Fail("/estimated_hours", "must be more than 0");
  if (content.max_attempts < kMinAttempts || content.max_attempts > kMaxAttempts)
    check.Fail("/max_attempts", "must be between 1 and 10");
  if (check.ListSize("/tags", content.tags, 0, kMaxTags)) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < content.tags.size(); ++i) {
      const std::string& tag = content.tags[i];
      if (!IsSlug(tag) || tag.size() > kMaxTagChars)
        check.Fail(At("/tags", i), "must be a lowercase slug of at most 40 characters");
      else if (!seen.insert(tag).second)
        check.Fail(At("/tags", i), "is listed twice");
    }
  }
  check.Url("/image_url", content.image_url, false);
  return errors;
}

}  // namespace cairn::core::catalog

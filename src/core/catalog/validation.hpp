#pragma once
// Rules a micro-credential must satisfy, reported as field errors located by JSON Pointer into
// the same document the API accepts, so a form can put each message beside its field.
#include <cstddef>
#include <vector>

#include "core/catalog/micro_credential.hpp"
#include "core/common/result.hpp"

namespace cairn::core::catalog {

inline constexpr std::size_t kMaxTitleChars = 200;
inline constexpr std::size_t kMaxNameChars = 200;
inline constexpr std::size_t kMaxSummaryChars = 600;
inline constexpr std::size_t kMaxMarkdownChars = 20000;
inline constexpr std::size_t kMaxUrlChars = 2048;
inline constexpr std::size_t kMaxTagChars = 40;
inline constexpr std::size_t kMaxTags = 20;
inline constexpr std::size_t kMaxListItems = 30;
inline constexpr std::size_t kMaxCriteria = 12;
inline constexpr std::size_t kMinLevels = 2;
inline constexpr std::size_t kMaxLevels = 6;
inline constexpr int kMaxWordLimit = 5000;
inline constexpr int kMaxArtifactCount = 20;
inline constexpr double kMaxEstimatedHours = 200;
inline constexpr int kMinAttempts = 1;
inline constexpr int kMaxAttempts = 10;

enum class Completeness {
  // A draft may be unfinished (empty lists, empty text) but what it holds must be well-formed.
  kDraft,
  // Publishing needs everything a reviewer and an educator rely on.
  kPublishable,
};

std::vector<FieldError> Validate(const Content& content, Completeness completeness);

// http(s) with a host and no spaces or control characters.
bool IsHttpUrl(std::string_view url);
// Lowercase letters, digits and single hyphens: "growth-mindset".
bool IsSlug(std::string_view text);

}  // namespace cairn::core::catalog

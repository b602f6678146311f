#include "core/catalog/repository.hpp"

namespace cairn::core::catalog {

std::optional<SortOrder> ParseSortOrder(std::string_view text) {
  if (text == "relevance") return SortOrder::kRelevance;
  if (text == "title") return SortOrder::kTitle;
  if (text == "newest") return SortOrder::kNewest;
  if (text == "hours") return SortOrder::kHours;
  return std::nullopt;
}

std::string_view ToString(SortOrder s) {
  switch (s) {
    case SortOrder::kRelevance:
      return "relevance";
    case SortOrder::kTitle:
      return "title";
    case SortOrder::kNewest:
      return "newest";
    case SortOrder::kHours:
      return "hours";
  }
  return "relevance";
}

}  // namespace cairn::core::catalog

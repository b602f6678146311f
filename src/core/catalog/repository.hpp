#pragma once
// The catalog's storage port. Implementations keep each version's full content as one document
// plus the columns that search filters and sorts on, so reading a version is one indexed query.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/catalog/micro_credential.hpp"
#include "core/common/result.hpp"

namespace cairn::core::catalog {

enum class SortOrder { kRelevance, kTitle, kNewest, kHours };
std::optional<SortOrder> ParseSortOrder(std::string_view text);
std::string_view ToString(SortOrder s);

inline constexpr int kMaxPageSize = 100;

struct SearchQuery {
  std::string text;  // full-text query; empty lists everything published
  std::string issuer_id;
  std::string subject;                  // exact, case-insensitive
  std::optional<GradeBand> grade_band;  // matches every band that overlaps it
  std::optional<double> min_hours;
  std::optional<double> max_hours;
  std::string tag;
  SortOrder sort = SortOrder::kRelevance;  // relevance without text falls back to newest
  int page = 1;                            // 1-based
  int page_size = 20;
};

// A catalog card: enough to list and filter, without the whole document.
struct CatalogCard {
  std::string id;
  int version = 0;
  std::string issuer_id;
  std::string issuer_name;
  std::string title;
  std::string summary;
  std::string subject;
  GradeBand grade_band = GradeBand::kK12;
  double estimated_hours = 0;
  std::vector<std::string> tags;
  std::string image_url;
  TimePoint published_at{};
};

struct SearchPage {
  std::vector<CatalogCard> items;
  std::int64_t total = 0;
  int page = 1;
  int page_size = 20;
};

struct VersionSummary {
  int version = 0;
  State state = State::kDraft;
  std::string title;
  TimePoint created_at{};
  std::optional<TimePoint> published_at;
  std::optional<TimePoint> retired_at;
};

// A version's public JSON as the app rendered it when the version last changed, with what a
// reader needs to decide who may see it.
struct VersionDocument {
  std::string issuer_id;
  int version = 0;
  State state = State::kDraft;
  std::string json;
};

class CatalogRepository {
 public:
  virtual ~CatalogRepository() = default;

  // Every write takes `document`, the version's public JSON rendered by the caller from mc as it
  // is being stored; storage keeps it verbatim and serves it from GetDocument.

  // Stores a new version (version 1 of a new micro-credential, or the next version's draft).
  // kConflict when that id and version exist already.
  virtual core::Status InsertVersion(const MicroCredential& mc, const std::string& document) = 0;
  // Saves a draft's content. kConflict when the stored revision is not expected_revision (someone
  // saved in between) and kNotFound when the version is gone; mc.revision is the new revision.
  virtual core::Status UpdateDraft(const MicroCredential& mc, std::int64_t expected_revision,
                                   const std::string& document) = 0;
  // Records a state change made by MicroCredential::Publish or Retire. Publishing a version
  // makes it the one the catalog shows; earlier versions stay readable by number.
  virtual core::Status SaveState(const MicroCredential& mc, const std::string& document) = 0;

  // The version the catalog shows: the latest published one, or the retired one after
  // retirement. kNotFound when nothing was ever published.
  virtual Result<MicroCredential> GetCurrent(const std::string& id) = 0;
  virtual Result<MicroCredential> GetVersion(const std::string& id, int version) = 0;
  // The stored document of the current version (version unset) or of one version: one indexed
  // lookup, no decoding. kNotFound as for GetCurrent / GetVersion.
  virtual Result<VersionDocument> GetDocument(const std::string& id,
                                              std::optional<int> version) = 0;
  // The open draft of a micro-credential, if it has one.
  virtual Result<std::optional<MicroCredential>> FindDraft(const std::string& id) = 0;
  // Every version, newest first; kNotFound for an unknown id.
  virtual Result<std::vector<VersionSummary>> ListVersions(const std::string& id) = 0;
  virtual Result<std::vector<MicroCredential>> ListIssuerDrafts(const std::string& issuer_id) = 0;
  // Published micro-credentials only.
  virtual Result<SearchPage> Search(const SearchQuery& query) = 0;
};

}  // namespace cairn::core::catalog

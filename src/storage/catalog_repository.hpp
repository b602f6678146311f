#pragma once
// core::catalog::CatalogRepository over SOCI. One SQL text serves both dialects except full-text
// search: FTS5 on SQLite, a tsvector column on PostgreSQL.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/catalog/repository.hpp"
#include "storage/database.hpp"

namespace cairn::storage {

class SqlCatalogRepository final : public core::catalog::CatalogRepository {
 public:
  explicit SqlCatalogRepository(Tx& tx) : tx_(tx) {}

  core::Status InsertVersion(const core::catalog::MicroCredential& mc,
                             const std::string& document) override;
  core::Status UpdateDraft(const core::catalog::MicroCredential& mc, std::int64_t expected_revision,
                           const std::string& document) override;
  core::Status SaveState(const core::catalog::MicroCredential& mc,
                         const std::string& document) override;
  core::Result<core::catalog::MicroCredential> GetCurrent(const std::string& id) override;
  core::Result<core::catalog::MicroCredential> GetVersion(const std::string& id,
                                                          int version) override;
  core::Result<core::catalog::VersionDocument> GetDocument(const std::string& id,
                                                           std::optional<int> version) override;
  core::Result<std::optional<core::catalog::MicroCredential>> FindDraft(
      const std::string& id) override;
  core::Result<std::vector<core::catalog::VersionSummary>> ListVersions(
      const std::string& id) override;
  core::Result<std::vector<core::catalog::MicroCredential>> ListIssuerDrafts(
      const std::string& issuer_id) override;
  core::Result<core::catalog::SearchPage> Search(const core::catalog::SearchQuery& query) override;

 private:
  // Runs a SELECT of kVersionColumns and returns its rows.
  std::vector<core::catalog::MicroCredential> SelectVersions(const std::string& where,
                                                             const std::string& id_or_issuer,
                                                             const int* version);
  void ReplaceTags(std::int64_t row_id, const std::vector<std::string>& tags);

  Tx& tx_;
};

// The words a search matches, split from free text the way both dialects tokenise: runs of letters
// and digits (any non-ASCII byte counts as a letter), lowercased. Operators are never passed on.
std::vector<std::string> SearchTerms(std::string_view text);

}  // namespace cairn::storage

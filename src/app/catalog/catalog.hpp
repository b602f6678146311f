#pragma once
// Catalog use cases. Reads of published versions are public; every change is one UnitOfWork::Write
// with an audit record, and only the issuer's admins (or a platform admin) make it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/catalog/micro_credential.hpp"
#include "core/catalog/repository.hpp"
#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/identity/principal.hpp"
#include "core/ports/transaction.hpp"

namespace cairn::app::catalog {

struct CatalogContext {
  core::UnitOfWork& uow;
  core::Clock& clock;
  core::IdGenerator& ids;
};

using core::identity::Principal;
using MaybePrincipal = std::optional<Principal>;
using core::catalog::Content;
using core::catalog::MicroCredential;

// True for the issuer's admins and platform admins: the only people who edit its catalog.
bool MayEdit(const Principal& principal, const std::string& issuer_id);

// Version 1 as a draft. The issuer must be an organisation that issues; its name is copied for
// catalog cards and search.
core::Result<MicroCredential> CreateDraft(CatalogContext& ctx, const Principal& actor,
                                          const std::string& issuer_id, const Content& content);
// The next version as a draft, copied from the published one (published versions never change).
core::Result<MicroCredential> StartNewVersion(CatalogContext& ctx, const Principal& actor,
                                              const std::string& id);
// Saves the open draft; kConflict when expected_revision is stale.
core::Result<MicroCredential> UpdateDraft(CatalogContext& ctx, const Principal& actor,
                                          const std::string& id, const Content& content,
                                          std::int64_t expected_revision);
// Publishes the open draft after full validation; it becomes what the catalog shows.
core::Result<MicroCredential> Publish(CatalogContext& ctx, const Principal& actor,
                                      const std::string& id, std::int64_t expected_revision);
// Takes the micro-credential out of the catalog. Submissions already pinned to a version keep it.
core::Result<MicroCredential> Retire(CatalogContext& ctx, const Principal& actor,
                                     const std::string& id);

// Public: the version the catalog shows (published, or retired with its retirement date).
core::Result<MicroCredential> GetPublished(CatalogContext& ctx, const std::string& id);
// The same reads as GetPublished / GetVersion, answered with the JSON stored when the version last
// changed (see Present): one indexed lookup, nothing decoded or rendered. The key names the
// version and state, which is all that can change a stored rendering, so it serves as an ETag.
struct RenderedVersion {
  std::string key;  // "<id>/<version>/<state>"
  std::string json;
};
core::Result<RenderedVersion> GetPublishedJson(CatalogContext& ctx, const std::string& id);
core::Result<RenderedVersion> GetVersionJson(CatalogContext& ctx, const MaybePrincipal& viewer,
                                             const std::string& id, int version);

// A specific version: public once published; a draft only for those who may edit it (others get
// kNotFound, so drafts do not leak through guessed numbers).
core::Result<MicroCredential> GetVersion(CatalogContext& ctx, const MaybePrincipal& viewer,
                                         const std::string& id, int version);
core::Result<MicroCredential> GetDraft(CatalogContext& ctx, const Principal& actor,
                                       const std::string& id);
// Versions newest first; drafts are listed only for those who may edit.
core::Result<std::vector<core::catalog::VersionSummary>> ListVersions(CatalogContext& ctx,
                                                                      const MaybePrincipal& viewer,
                                                                      const std::string& id);
core::Result<std::vector<MicroCredential>> ListIssuerDrafts(CatalogContext& ctx,
                                                            const Principal& actor,
                                                            const std::string& issuer_id);

inline constexpr int kMaxPage = 10000;
// Public search. Pages beyond kMaxPage and page sizes outside 1..100 are kInvalidInput.
core::Result<core::catalog::SearchPage> Search(CatalogContext& ctx,
                                               const core::catalog::SearchQuery& query);

}  // namespace cairn::app::catalog

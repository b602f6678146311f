#include "app/catalog/catalog.hpp"

#include <nlohmann/json.hpp>

#include "app/catalog/markdown.hpp"
#include "core/catalog/validation.hpp"
#include "core/identity/organization.hpp"
#include "core/identity/repository.hpp"

namespace cairn::app::catalog {
namespace {

using core::Error;
using core::Status;
using core::Transaction;
using core::catalog::State;

constexpr const char* kEntity = "microcredential";

void AppendAudit(Transaction& tx, const Principal& actor, const char* action,
                 const MicroCredential& mc, std::string_view from, core::TimePoint at) {
  core::AuditRecord record;
  record.actor_id = actor.user_id.empty() ? "system" : actor.user_id;
  record.action = action;
  record.entity_type = kEntity;
  record.entity_id = mc.id;
  record.from_state = std::string(from);
  record.to_state = std::string(ToString(mc.state));
  record.detail_json = nlohmann::json{{"version", mc.version}, {"revision", mc.revision}}.dump();
  record.at = at;
  tx.Audit().Append(record);
}

Status CheckContent(const Content& content, core::catalog::Completeness completeness) {
  auto errors = core::catalog::Validate(content, completeness);
  if (errors.empty()) return core::Ok();
  return Error::InvalidInput(completeness == core::catalog::Completeness::kPublishable
                                 ? "the draft is not complete enough to publish"
                                 : "the micro-credential has invalid fields",
                             std::move(errors));
}

// Loads whichever version tells us who owns the micro-credential, then checks the actor.
Status RequireEditor(Transaction& tx, const Principal& actor, const std::string& id) {
  auto versions = tx.Catalog().ListVersions(id);
  if (!versions.ok()) return versions.error();
  auto any = tx.Catalog().GetVersion(id, versions->front().version);
  if (!any.ok()) return any.error();
  if (!MayEdit(actor, any->issuer_id))
    return Error::Forbidden("only the issuer's admins may change this micro-credential");
  return core::Ok();
}

bool ViewerMayEdit(const MaybePrincipal& viewer, const std::string& issuer_id) {
  return viewer && MayEdit(*viewer, issuer_id);
}

std::string KeyOf(const std::string& id, int version, State state) {
  return id + "/" + std::to_string(version) + "/" + std::string(ToString(state));
}

// The stored public JSON of a version as it is being saved.
std::string Document(const MicroCredential& mc) { return Present(mc).dump(); }

core::Result<RenderedVersion> ReadDocument(CatalogContext& ctx, const MaybePrincipal& viewer,
                                           const std::string& id, std::optional<int> version) {
  RenderedVersion out;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    auto doc = tx.Catalog().GetDocument(id, version);
    if (!doc.ok()) return doc.error();
    if (doc->state == State::kDraft && !ViewerMayEdit(viewer, doc->issuer_id))
      return Error::NotFound("no such micro-credential version");
    out.key = KeyOf(id, doc->version, doc->state);
    out.json = std::move(doc->json);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return out;
}

}  // namespace

bool MayEdit(const Principal& principal, const std::string& issuer_id) {
  return principal.IsPlatformAdmin() ||
         principal.HasRoleIn(core::identity::Role::kIssuerAdmin, issuer_id);
}

core::Result<MicroCredential> CreateDraft(CatalogContext& ctx, const Principal& actor,
                                          const std::string& issuer_id, const Content& content) {
  if (issuer_id.empty())
    return Error::InvalidInput("the issuer is required", {{"/issuer_id", "is required"}});
  if (!MayEdit(actor, issuer_id))
    return Error::Forbidden("only the issuer's admins may create its micro-credentials");
  if (auto ok = CheckContent(content, core::catalog::Completeness::kDraft); !ok.ok())
    return ok.error();
  MicroCredential mc;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    auto org = tx.Identity().FindOrganization(issuer_id);
    if (!org || !org->issuer)
      return Error::InvalidInput("the issuer does not exist or does not issue micro-credentials",
                                 {{"/issuer_id", "is not an issuing organisation"}});
    const auto now = ctx.clock.Now();
    mc = MicroCredential{};
    mc.id = ctx.ids.NewId("mc");
    mc.issuer_id = issuer_id;
    mc.issuer_name = org->name;
    mc.version = 1;
    mc.state = State::kDraft;
    mc.revision = 1;
    mc.content = content;
    mc.created_at = mc.updated_at = now;
    mc.created_by = actor.user_id;
    if (auto s = tx.Catalog().InsertVersion(mc, Document(mc)); !s.ok()) return s;
    AppendAudit(tx, actor, "microcredential.create", mc, "", now);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return mc;
}

core::Result<MicroCredential> StartNewVersion(CatalogContext& ctx, const Principal& actor,
                                              const std::string& id) {
  MicroCredential draft;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    if (auto s = RequireEditor(tx, actor, id); !s.ok()) return s;
    auto existing = tx.Catalog().FindDraft(id);
    if (!existing.ok()) return existing.error();
    if (*existing)
      return Error::InvalidState("version " + std::to_string((*existing)->version) +
                                 " is already open as a draft");
    auto current = tx.Catalog().GetCurrent(id);
    if (!current.ok()) return current.error();
    const auto now = ctx.clock.Now();
    auto next = core::catalog::NewDraftFrom(*current, now, actor.user_id);
    if (!next.ok()) return next.error();
    draft = std::move(next).value();
    if (auto s = tx.Catalog().InsertVersion(draft, Document(draft)); !s.ok()) return s;
    AppendAudit(tx, actor, "microcredential.new_version", draft, "", now);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return draft;
}

core::Result<MicroCredential> UpdateDraft(CatalogContext& ctx, const Principal& actor,
                                          const std::string& id, const Content& content,
                                          std::int64_t expected_revision) {
  if (auto ok = CheckContent(content, core::catalog::Completeness::kDraft); !ok.ok())
    return ok.error();
  MicroCredential draft;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    if (auto s = RequireEditor(tx, actor, id); !s.ok()) return s;
    auto found = tx.Catalog().FindDraft(id);
    if (!found.ok()) return found.error();
    if (!*found) return Error::NotFound("this micro-credential has no open draft");
    draft = std::move(**found);
    const auto now = ctx.clock.Now();
    draft.content = content;
    draft.revision = expected_revision + 1;
    draft.updated_at = now;
    if (auto s = tx.Catalog().UpdateDraft(draft, expected_revision, Document(draft)); !s.ok())
      return s;
    AppendAudit(tx, actor, "microcredential.update_draft", draft, "draft", now);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return draft;
}

core::Result<MicroCredential> Publish(CatalogContext& ctx, const Principal& actor,
                                      const std::string& id, std::int64_t expected_revision) {
  MicroCredential draft;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    if (auto s = RequireEditor(tx, actor, id); !s.ok()) return s;
    auto found = tx.Catalog().FindDraft(id);
    if (!found.ok()) return found.error();
    if (!*found) return Error::InvalidState("this micro-credential has no draft to publish");
    draft = std::move(**found);
    if (draft.revision != expected_revision)
      return Error::Conflict("the draft was changed by someone else (now at revision " +
                             std::to_string(draft.revision) + "); review it before publishing");
    auto current = tx.Catalog().GetCurrent(id);
    if (current.ok() && current->state == State::kRetired)
      return Error::InvalidState("a retired micro-credential cannot be published again");
    if (auto s = CheckContent(draft.content, core::catalog::Completeness::kPublishable); !s.ok())
      return s;
    const auto now = ctx.clock.Now();
    if (auto s = draft.Publish(now); !s.ok()) return s;
    if (auto s = tx.Catalog().SaveState(draft, Document(draft)); !s.ok()) return s;
    AppendAudit(tx, actor, "microcredential.publish", draft, "draft", now);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return draft;
}

core::Result<MicroCredential> Retire(CatalogContext& ctx, const Principal& actor,
                                     const std::string& id) {
  MicroCredential current;
  auto status = ctx.uow.Write([&](Transaction& tx) -> Status {
    if (auto s = RequireEditor(tx, actor, id); !s.ok()) return s;
    auto found = tx.Catalog().GetCurrent(id);
    if (!found.ok())
      return found.error().code == core::ErrorCode::kNotFound
                 ? Error::InvalidState("only a published micro-credential can be retired")
                 : found.error();
    current = std::move(found).value();
    const auto now = ctx.clock.Now();
    if (auto s = current.Retire(now); !s.ok()) return s;
    if (auto s = tx.Catalog().SaveState(current, Document(current)); !s.ok()) return s;
    AppendAudit(tx, actor, "microcredential.retire", current, "published", now);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return current;
}

core::Result<MicroCredential> GetPublished(CatalogContext& ctx, const std::string& id) {
  MicroCredential mc;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    auto found = tx.Catalog().GetCurrent(id);
    if (!found.ok()) return found.error();
    mc = std::move(found).value();
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return mc;
}

core::Result<RenderedVersion> GetPublishedJson(CatalogContext& ctx, const std::string& id) {
  return ReadDocument(ctx, std::nullopt, id, std::nullopt);
}

core::Result<RenderedVersion> GetVersionJson(CatalogContext& ctx, const MaybePrincipal& viewer,
                                             const std::string& id, int version) {
  return ReadDocument(ctx, viewer, id, version);
}

core::Result<MicroCredential> GetVersion(CatalogContext& ctx, const MaybePrincipal& viewer,
                                         const std::string& id, int version) {
  MicroCredential mc;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    auto found = tx.Catalog().GetVersion(id, version);
    if (!found.ok()) return found.error();
    if (found->state == State::kDraft && !ViewerMayEdit(viewer, found->issuer_id))
      return Error::NotFound("no such micro-credential version");
    mc = std::move(found).value();
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return mc;
}

core::Result<MicroCredential> GetDraft(CatalogContext& ctx, const Principal& actor,
                                       const std::string& id) {
  MicroCredential mc;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    if (auto s = RequireEditor(tx, actor, id); !s.ok()) return s;
    auto found = tx.Catalog().FindDraft(id);
    if (!found.ok()) return found.error();
    if (!*found) return Error::NotFound("this micro-credential has no open draft");
    mc = std::move(**found);
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return mc;
}

core::Result<std::vector<core::catalog::VersionSummary>> ListVersions(CatalogContext& ctx,
                                                                      const MaybePrincipal& viewer,
                                                                      const std::string& id) {
  std::vector<core::catalog::VersionSummary> versions;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    auto all = tx.Catalog().ListVersions(id);
    if (!all.ok()) return all.error();
    auto first = tx.Catalog().GetVersion(id, all->back().version);
    if (!first.ok()) return first.error();
    const bool editor = ViewerMayEdit(viewer, first->issuer_id);
    for (auto& v : *all)
      if (editor || v.state != State::kDraft) versions.push_back(std::move(v));
    if (versions.empty()) return Error::NotFound("no published micro-credential with this id");
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return versions;
}

core::Result<std::vector<MicroCredential>> ListIssuerDrafts(CatalogContext& ctx,
                                                            const Principal& actor,
                                                            const std::string& issuer_id) {
  if (!MayEdit(actor, issuer_id))
    return Error::Forbidden("only the issuer's admins see its drafts");
  std::vector<MicroCredential> drafts;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    auto found = tx.Catalog().ListIssuerDrafts(issuer_id);
    if (!found.ok()) return found.error();
    drafts = std::move(found).value();
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return drafts;
}

core::Result<core::catalog::SearchPage> Search(CatalogContext& ctx,
                                               const core::catalog::SearchQuery& query) {
  // Query parameters are not a body, so problems are named in the message (400), not by pointer.
  std::string problems;
  auto problem = [&](const std::string& p) { problems += (problems.empty() ? "" : "; ") + p; };
  if (query.page < 1 || query.page > kMaxPage)
    problem("page must be between 1 and " + std::to_string(kMaxPage));
  if (query.page_size < 1 || query.page_size > core::catalog::kMaxPageSize)
    problem("page_size must be between 1 and " + std::to_string(core::catalog::kMaxPageSize));
  if (query.min_hours && query.max_hours && *query.min_hours > *query.max_hours)
    problem("max_hours must not be less than min_hours");
  if (query.text.size() > 500) problem("q must be at most 500 characters");
  if (!problems.empty()) return core::Error::InvalidInput(problems);
  core::catalog::SearchPage page;
  auto status = ctx.uow.Read([&](Transaction& tx) -> Status {
    auto found = tx.Catalog().Search(query);
    if (!found.ok()) return found.error();
    page = std::move(found).value();
    return core::Ok();
  });
  if (!status.ok()) return status.error();
  return page;
}

}  // namespace cairn::app::catalog

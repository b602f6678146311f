#include "platform/demo_loop.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>

#include "app/credentials/credentials.hpp"
#include "app/evidence/evidence.hpp"
#include "app/identity/context.hpp"
#include "app/review/review.hpp"
#include "app/uploads/uploads.hpp"
#include "blobs/disk_evidence_store.hpp"
#include "core/identity/repository.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "platform/application.hpp"
#include "platform/credential_signer.hpp"

namespace cairn::platform {
namespace {

using core::Error;
using core::identity::Principal;
using nlohmann::json;
namespace ev = core::evidence;

// Everything the loop drives, built the way the server builds it.
struct LoopServices {
  explicit LoopServices(Application& app)
      : evidence{app.unit_of_work(), app.clock(), app.ids()},
        review{app.unit_of_work(), app.clock(), app.ids(), app.config().review_sla_days,
               app.areas().awarder},
        store(std::filesystem::path(app.config().data_dir) / "blobs") {
    app::uploads::UploadLimits limits;
    limits.max_file_bytes = app.config().max_file_bytes;
    limits.max_submission_bytes = app.config().max_submission_bytes;
    limits.expiry = std::chrono::hours(app.config().upload_expiry_hours);
    uploads = std::make_unique<app::uploads::Uploads>(app.unit_of_work(), app.clock(), app.ids(),
                                                      store, limits);
  }
  app::evidence::EvidenceContext evidence;
  app::review::ReviewContext review;
  blobs::DiskEvidenceStore store;
  std::unique_ptr<app::uploads::Uploads> uploads;
  std::unique_ptr<core::Signer> signer;
  std::unique_ptr<app::credentials::KeyVault> vault;
  std::unique_ptr<app::credentials::CredentialsContext> credentials;
};

core::Result<Principal> PrincipalWhere(Application& app, const std::string& email,
                                       const std::string& user_id) {
  std::optional<Principal> found;
  auto status = app.unit_of_work().Read([&](core::Transaction& tx) -> core::Status {
    auto& repo = tx.Identity();
    auto user = email.empty() ? repo.FindUserById(user_id) : repo.FindUserByEmail(email);
    if (user) found = app::identity::LoadPrincipal(repo, *user);
    return core::Ok();
  });
  if (!status) return status.error();
  if (!found) return Error::Internal("demo loop: no user " + (email.empty() ? user_id : email));
  return *found;
}

core::Result<Principal> ByEmail(Application& app, const std::string& email) {
  return PrincipalWhere(app, email, "");
}

// A plain-text document uploaded the way a browser does it: create, then one PATCH.
core::Result<std::string> Upload(LoopServices& s, const Principal& educator,
                                 const std::string& enrolment_id, const json& artifact) {
  const std::string text = artifact.at("text").get<std::string>();
  std::map<std::string, std::string> metadata{
      {"enrolment", enrolment_id},
      {"filename", artifact.at("filename").get<std::string>()},
      {"filetype", "text/plain"},
      {"requirement", std::to_string(artifact.at("requirement").get<int>())}};
  auto upload = s.uploads->Create(educator, static_cast<std::int64_t>(text.size()), metadata);
  if (!upload) return upload.error();
  std::size_t sent = 0;
  auto read = [&](char* data, std::size_t size) {
    const std::size_t n = std::min(size, text.size() - sent);
    std::memcpy(data, text.data() + sent, n);
    sent += n;
    return n;
  };
  auto patched = s.uploads->Patch(educator, upload->id, 0, text.size(), read);
  if (!patched) return patched.error();
  if (patched->file_id.empty())
    return Error::Internal("demo loop: the upload of " + metadata["filename"] + " did not complete");
  return patched->file_id;
}

core::Result<ev::SubmissionContent> BuildContent(LoopServices& s, const Principal& educator,
                                                 const std::string& enrolment_id,
                                                 const json& content) {
  ev::SubmissionContent out;
  out.overview = content.at("overview").get<std::vector<std::string>>();
  out.reflection = content.at("reflection").get<std::vector<std::string>>();
  for (const auto& a : content.at("artifacts")) {
    ev::ArtifactEntry entry;
    entry.requirement = a.at("requirement").get<int>();
    if (a.contains("url")) {
      entry.url = a.at("url").get<std::string>();
    } else {
      auto file_id = Upload(s, educator, enrolment_id, a);
      if (!file_id) return file_id.error();
      entry.file_id = *file_id;
    }
    entry.caption = a.value("caption", "");
    entry.shareable = a.value("shareable", false);
    out.artifacts.push_back(std::move(entry));
  }
  return out;
}

// Saves content over whatever the draft holds now (the kept history has the rest).
core::Result<std::int64_t> SaveOver(LoopServices& s, const Principal& educator,
                                    const std::string& enrolment_id,
                                    const ev::SubmissionContent& content) {
  auto current = app::evidence::GetDraft(s.evidence, educator, enrolment_id);
  if (!current) return current.error();
  auto saved = app::evidence::SaveDraft(s.evidence, educator, enrolment_id,
                                        current->draft.revision, content);
  if (!saved) return saved.error();
  if (saved->conflict) return Error::Conflict("demo loop: the draft changed while seeding");
  return saved->draft.draft.revision;
}

// One reviewer's scoring, applied criterion by criterion in rubric order; the recommendation is
// what the rubric's Earned rule makes of it, as in the review workspace.
core::Result<app::review::CompleteOutcome> Score(LoopServices& s, const Principal& reviewer,
                                                 const std::string& review_id, const json& scoring) {
  auto detail = app::review::GetReview(s.review, reviewer, review_id);
  if (!detail) return detail.error();
  const auto& criteria = detail->micro_credential.content.rubric.criteria;
  const auto& given = scoring.at("ratings");
  if (given.size() != criteria.size())
    return Error::Internal("demo loop: " + detail->micro_credential.content.title + " has " +
                           std::to_string(criteria.size()) + " criteria, the demo data rates " +
                           std::to_string(given.size()));
  std::vector<core::review::Rating> ratings;
  for (std::size_t i = 0; i < criteria.size(); ++i)
    ratings.push_back({criteria[i].id, given[i].at("level").get<std::string>(),
                       given[i].value("comment", "")});
  auto saved = app::review::SaveReview(s.review, reviewer, review_id, detail->review.revision,
                                       ratings, scoring.value("comment", ""));
  if (!saved) return saved.error();
  if (!saved->suggested) return Error::Internal("demo loop: the ratings are incomplete");
  return app::review::CompleteReview(s.review, reviewer, review_id, saved->review.revision,
                                     *saved->suggested);
}

core::Status SeedPools(Application& app, LoopServices& s, const json& doc,
                       const DemoCatalog& catalog, DemoLoopSummary& summary) {
  for (const auto& pool : doc.at("reviewer_pools")) {
    const std::string issuer_key = pool.at("issuer").get<std::string>();
    const std::string& issuer_id = catalog.org_ids.at(issuer_key);
    const Principal& admin = catalog.admins.at(issuer_key);
    const json& p = pool.at("policy");
    auto policy = app::review::PutPolicy(
        s.review, admin, issuer_id,
        {p.at("sla_days").get<int>(), p.at("never_same_district").get<bool>(),
         p.at("review_pay_cents").get<std::int64_t>()});
    if (!policy) return policy.error();
    std::vector<std::string> qualified;
    for (const auto& title : pool.at("micro_credentials")) {
      auto mc = catalog.mc_ids_by_title.find(title.get<std::string>());
      if (mc == catalog.mc_ids_by_title.end())
        return Error::Internal("demo loop: no micro-credential titled " + title.get<std::string>());
      qualified.push_back(mc->second);
    }
    for (const auto& r : pool.at("reviewers")) {
      auto reviewer = ByEmail(app, r.at("email").get<std::string>());
      if (!reviewer) return reviewer.error();
      app::review::ReviewerInput input;
      input.load_cap = r.at("load_cap").get<int>();
      input.micro_credential_ids = qualified;
      auto put = app::review::PutReviewer(s.review, admin, issuer_id, reviewer->user_id, input);
      if (!put) return put.error();
      ++summary.reviewers;
    }
  }
  return core::Ok();
}

core::Status SeedSubmission(Application& app, LoopServices& s, const json& entry,
                            const DemoCatalog& catalog, DemoLoopSummary& summary) {
  const std::string title = entry.at("micro_credential").get<std::string>();
  const auto mc = catalog.mc_ids_by_title.find(title);
  if (mc == catalog.mc_ids_by_title.end())
    return Error::Internal("demo loop: no micro-credential titled " + title);
  auto educator = ByEmail(app, entry.at("educator").get<std::string>());
  if (!educator) return educator.error();

  auto enrolled = app::evidence::Enrol(s.evidence, *educator, mc->second);
  if (!enrolled) return enrolled.error();
  const std::string enrolment_id = enrolled->view.enrolment.id;
  auto content = BuildContent(s, *educator, enrolment_id, entry.at("content"));
  if (!content) return content.error();
  auto revision = SaveOver(s, *educator, enrolment_id, *content);
  if (!revision) return revision.error();
  auto submission = app::evidence::Submit(s.evidence, *educator, enrolment_id, *revision);
  if (!submission) return submission.error();
  ++summary.submissions;

  // What the "review.assign" job that Submit queued does; running it here makes the outcome known
  // before the server starts (the job then finds nothing left to assign).
  auto plan = app::review::RunAssignment(s.review, submission->issuer_id, "system");
  if (!plan) return plan.error();
  std::vector<app::review::PlannedReview> mine;
  for (const auto& a : plan->assigned)
    if (a.submission_id == submission->id) mine.push_back(a);
  if (mine.size() < 2)
    return Error::Internal("demo loop: " + title + " found " + std::to_string(mine.size()) +
                           " reviewers, not 2: check the pools in loop.json");

  if (!entry.contains("reviews")) {
    ++summary.waiting;
    return core::Ok();
  }
  const auto& reviews = entry.at("reviews");
  std::optional<std::string> decision;
  for (std::size_t i = 0; i < mine.size() && i < reviews.size(); ++i) {
    auto reviewer = PrincipalWhere(app, "", mine[i].reviewer_id);
    if (!reviewer) return reviewer.error();
    auto done = Score(s, *reviewer, mine[i].review_id, reviews[i]);
    if (!done) return done.error();
    decision = done->decision;
  }
  if (!decision)
    return Error::Internal("demo loop: the reviews of " + title + " did not reach a decision");
  ++summary.decided;

  if (*decision == core::review::kEarned) {
    ++summary.credentials;
    if (entry.contains("revoke")) {
      auto mine_list = app::credentials::ListMine(*s.credentials, *educator);
      if (!mine_list) return mine_list.error();
      auto it = std::find_if(mine_list->begin(), mine_list->end(), [&](const auto& c) {
        return c.micro_credential_id == mc->second;
      });
      if (it == mine_list->end())
        return Error::Internal("demo loop: the Earned decision on " + title + " issued no credential");
      auto revoker = ByEmail(app, entry.at("revoke").at("by").get<std::string>());
      if (!revoker) return revoker.error();
      auto revoked = app::credentials::Revoke(*s.credentials, *revoker, it->id,
                                              entry.at("revoke").at("reason").get<std::string>());
      if (!revoked) return revoked.error();
      ++summary.revoked;
    }
  }

  if (entry.contains("next_draft")) {
    // The next attempt starts from the frozen one: same evidence, rewritten text.
    ev::SubmissionContent next = *content;
    next.overview = entry.at("next_draft").at("overview").get<std::vector<std::string>>();
    next.reflection = entry.at("next_draft").at("reflection").get<std::vector<std::string>>();
    auto saved = SaveOver(s, *educator, enrolment_id, next);
    if (!saved) return saved.error();
  }
  return core::Ok();
}

}  // namespace

core::Result<DemoLoopSummary> SeedDemoLoop(Application& app, const json& doc,
                                           const DemoCatalog& catalog) {
  // The areas wire themselves as for serving, so the review decision awards through the real
  // Awarder (keys sealed under the KEK, which wiring creates on a fresh installation).
  http::Router router;
  http::ServerOptions options;
  options.port = 0;  // bound, never run
  options.handle_signals = false;
  http::Server server(options, router, {});
  app.AddRoutes(router, server);
  if (!app.areas().awarder) return Error::Internal("demo loop: credentials are not wired");

  LoopServices s(app);
  s.signer = MakeCredentialSigner();
  auto vault = app::credentials::KeyVault::Load(app.config().kek_file);
  if (!vault) return vault.error();
  s.vault = std::make_unique<app::credentials::KeyVault>(*vault);
  std::string public_url = app.config().public_url;
  while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
  s.credentials.reset(new app::credentials::CredentialsContext{
      app.unit_of_work(), app.clock(), app.ids(), *s.signer, *s.vault, public_url});

  DemoLoopSummary summary;
  if (auto pools = SeedPools(app, s, doc, catalog, summary); !pools) return pools.error();
  for (const auto& entry : doc.at("submissions"))
    if (auto done = SeedSubmission(app, s, entry, catalog, summary); !done) return done.error();
  return summary;
}

}  // namespace cairn::platform

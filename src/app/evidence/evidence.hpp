#pragma once
// The educator's use cases: enrol in a published micro-credential, keep a draft that is never
// lost (optimistic revisions, a kept history), submit it as an attempt, withdraw before review.
// Issuer admins read their issuer's enrolments and submissions and record coach sessions;
// district admins set the time frame for their educators. Each change is one UnitOfWork::Write
// with one audit record.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/evidence/evidence.hpp"
#include "core/evidence/rules.hpp"
#include "core/identity/principal.hpp"
#include "core/ports/transaction.hpp"

namespace cairn::app::evidence {

using core::identity::Principal;
namespace ev = core::evidence;

struct EvidenceContext {
  core::UnitOfWork& uow;
  core::Clock& clock;
  core::IdGenerator& ids;
};

// An enrolment as its educator (or an issuer admin) sees it.
struct EnrolmentView {
  ev::Enrolment enrolment;
  std::string title;  // of the pinned version
  std::string next_step;
  int attempts_left = 0;
  std::int64_t draft_revision = 0;
  std::optional<ev::Submission> latest;  // the newest attempt, without content
};

struct EnrolOutcome {
  EnrolmentView view;
  bool created = false;  // false: the open enrolment that already existed
};

struct DraftView {
  ev::Draft draft;
  ev::ContentChecks checks;
};

// A save either lands (saved) or finds someone else's newer save (conflict, with what is stored).
struct SaveOutcome {
  bool conflict = false;
  DraftView draft;  // the saved draft, or the current stored one on conflict
};

core::Result<EnrolOutcome> Enrol(EvidenceContext& ctx, const Principal& actor,
                                 const std::string& micro_credential_id);
core::Result<std::vector<EnrolmentView>> ListMyEnrolments(EvidenceContext& ctx,
                                                          const Principal& actor);
// The owner, the issuer's admins and platform admins; others kNotFound.
core::Result<EnrolmentView> GetEnrolment(EvidenceContext& ctx, const Principal& actor,
                                         const std::string& id);
core::Result<std::vector<EnrolmentView>> ListIssuerEnrolments(EvidenceContext& ctx,
                                                              const Principal& actor,
                                                              const std::string& issuer_id);

// The draft (revision 0 and empty content before the first save) with its checks.
core::Result<DraftView> GetDraft(EvidenceContext& ctx, const Principal& actor,
                                 const std::string& enrolment_id);
// Saves when expected_revision is the stored revision (0 before the first save).
core::Result<SaveOutcome> SaveDraft(EvidenceContext& ctx, const Principal& actor,
                                    const std::string& enrolment_id,
                                    std::int64_t expected_revision,
                                    const ev::SubmissionContent& content);
core::Result<std::vector<ev::DraftRevision>> ListDraftRevisions(EvidenceContext& ctx,
                                                                const Principal& actor,
                                                                const std::string& enrolment_id);
core::Result<ev::DraftRevision> GetDraftRevision(EvidenceContext& ctx, const Principal& actor,
                                                 const std::string& enrolment_id,
                                                 std::int64_t revision);

// Freezes the draft at `revision` into the next attempt and queues reviewer assignment.
core::Result<ev::Submission> Submit(EvidenceContext& ctx, const Principal& actor,
                                    const std::string& enrolment_id, std::int64_t revision);
core::Result<std::vector<ev::Submission>> ListSubmissions(EvidenceContext& ctx,
                                                          const Principal& actor,
                                                          const std::string& enrolment_id);
core::Result<ev::Submission> GetSubmission(EvidenceContext& ctx, const Principal& actor,
                                           const std::string& submission_id);
core::Result<ev::Submission> Withdraw(EvidenceContext& ctx, const Principal& actor,
                                      const std::string& submission_id);

// An issuer admin records a coach meeting: one more attempt past the cap.
core::Result<EnrolmentView> RecordCoachSession(EvidenceContext& ctx, const Principal& actor,
                                               const std::string& enrolment_id,
                                               const std::string& note);

// A district admin sets (or clears, with nullopt) the time frame of new enrolments.
core::Result<ev::EnrolmentPolicy> SetEnrolmentPolicy(EvidenceContext& ctx, const Principal& actor,
                                                     const std::string& organization_id,
                                                     std::optional<int> days);

// The district's time frame as its admins see it (days unset when none was ever set).
core::Result<ev::EnrolmentPolicy> GetEnrolmentPolicy(EvidenceContext& ctx, const Principal& actor,
                                                     const std::string& organization_id);

// Loads data/demo/evidence.json: enrols each listed educator (by email) in the micro-credential
// (by title, through mc_ids_by_title) and saves the draft if one is given. Returns how many
// enrolments were made; an unknown email or title is kInvalidInput naming it.
core::Result<int> SeedDemoEvidence(EvidenceContext& ctx, const nlohmann::json& doc,
                                   const std::map<std::string, std::string>& mc_ids_by_title);

inline constexpr int kMaxPolicyDays = 3650;
inline constexpr int kRevisionPage = 200;
inline constexpr int kIssuerPage = 500;

}  // namespace cairn::app::evidence

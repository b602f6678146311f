#pragma once
// Blind review use cases: the issuer's reviewer pool and policy, automatic assignment, the
// reviewer's side (queue, save, complete, return, recuse), the decision after two agreeing reviews
// or a tie-break, deadlines, calibration and the pay ledger. Every change is one UnitOfWork::Write
// with its audit records; whatever a reviewer receives carries the submission's code, never who
// the educator is.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/catalog/micro_credential.hpp"
#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/evidence/evidence.hpp"
#include "core/evidence/file.hpp"
#include "core/identity/principal.hpp"
#include "core/ports/awarder.hpp"
#include "core/ports/transaction.hpp"
#include "core/review/assignment.hpp"
#include "core/review/calibration.hpp"
#include "core/review/review_repository.hpp"
#include "core/review/review_rule.hpp"

namespace cairn::app::review {

using core::identity::Principal;

struct ReviewContext {
  core::UnitOfWork& uow;
  core::Clock& clock;
  core::IdGenerator& ids;
  int default_sla_days = 14;
  core::Awarder* awarder = nullptr;  // set when credentials are wired: awards inside the decision
};

bool IsIssuerAdmin(const Principal& p, const std::string& issuer_id);

// ---- pool and policy (issuer admins of that issuer, platform admins) ----

struct ReviewerInput {
  int load_cap = 5;
  std::vector<std::string> micro_credential_ids;
  std::vector<std::string> tags;
  bool active = true;
};

struct ReviewerSummary {
  core::review::ReviewerProfile profile;
  std::string display_name;
  std::string email;
  std::string school_id;
  std::string district_id;
  int open_load = 0;
  int completed_reviews = 0;
  core::review::Calibration calibration;
};

core::Result<ReviewerSummary> PutReviewer(ReviewContext& ctx, const Principal& actor,
                                          const std::string& issuer_id, const std::string& user_id,
                                          const ReviewerInput& input);
core::Result<ReviewerSummary> GetReviewer(ReviewContext& ctx, const Principal& actor,
                                          const std::string& issuer_id, const std::string& user_id);
core::Status DeleteReviewer(ReviewContext& ctx, const Principal& actor,
                            const std::string& issuer_id, const std::string& user_id);
// The issuer's submissions waiting for or in review, with each review's reviewer, state and due
// date: what an issuer admin watches, and where they override an assignment.
struct InFlightReview {
  std::string review_id;
  std::string reviewer_id;
  std::string reviewer_name;
  std::string state;
  bool tie_break = false;
  bool by_override = false;
  core::TimePoint due_at{};
  bool overdue = false;
};
struct InFlightSubmission {
  std::string submission_id;
  std::string code;
  std::string micro_credential_id;
  int version = 0;
  int attempt = 0;
  std::string state;
  core::TimePoint submitted_at{};
  std::vector<InFlightReview> reviews;  // open ones and closed ones, oldest first
};
core::Result<std::vector<InFlightSubmission>> ListInFlight(ReviewContext& ctx, const Principal& actor,
                                                           const std::string& issuer_id);

// Everyone who holds the reviewer role somewhere, for the issuer admin's people picker: name, email
// and the organisations they review for, never their reviews.
struct ReviewerCandidate {
  std::string user_id;
  std::string display_name;
  std::string email;
  std::vector<std::string> organizations;  // names
};
core::Result<std::vector<ReviewerCandidate>> ListReviewerCandidates(ReviewContext& ctx,
                                                                    const Principal& actor,
                                                                    const std::string& issuer_id);

core::Result<std::vector<ReviewerSummary>> ListReviewers(ReviewContext& ctx, const Principal& actor,
                                                         const std::string& issuer_id);

struct PolicyInput {
  int sla_days = 14;
  bool never_same_district = false;
  std::int64_t review_pay_cents = 0;
  bool allow_district_preferences = false;
};
// A district that has chosen, and the rule its educators' submissions get from this issuer.
struct DistrictRuleView {
  core::review::DistrictReviewPreferences preferences;
  std::string district_name;
  core::review::ReviewRule rule;
};
struct PolicyView {
  core::review::ReviewPolicy policy;
  std::vector<DistrictRuleView> districts;  // every district with saved preferences, by id
};
core::Result<PolicyView> GetPolicy(ReviewContext& ctx, const Principal& actor,
                                   const std::string& issuer_id);
core::Result<PolicyView> PutPolicy(ReviewContext& ctx, const Principal& actor,
                                   const std::string& issuer_id, const PolicyInput& input);

// ---- a district's review preferences (district admins of that district, platform admins) ----

inline constexpr int kMaxDistrictSlaDays = 60;

struct DistrictPreferencesInput {
  std::optional<int> sla_days;  // nullopt: the issuer's deadline
  bool never_same_district = false;
};
// An issuer that lets districts choose, and what that means for this district's educators.
struct HonouringIssuer {
  std::string issuer_id;
  std::string name;
  core::review::ReviewPolicy policy;
  core::review::ReviewRule rule;
};
struct DistrictPreferencesView {
  core::review::DistrictReviewPreferences preferences;
  bool saved = false;  // false: the district never chose; the fields are the defaults
  std::vector<HonouringIssuer> issuers;  // only issuers that allow district preferences
};
// An unknown organisation, one that is not a district, or one the actor does not administer is
// 404, so ids cannot be probed.
core::Result<DistrictPreferencesView> GetDistrictPreferences(ReviewContext& ctx,
                                                             const Principal& actor,
                                                             const std::string& district_id);
core::Result<DistrictPreferencesView> PutDistrictPreferences(
    ReviewContext& ctx, const Principal& actor, const std::string& district_id,
    const DistrictPreferencesInput& input);

// ---- assignment ----

struct PlannedReview {
  std::string review_id;
  std::string submission_id;
  std::string code;
  std::string reviewer_id;
  bool tie_break = false;
  bool by_override = false;
  core::TimePoint due_at{};
};
struct PlanUnassigned {
  std::string submission_id;
  std::string code;
  int missing = 0;
  std::string reason;
};
struct PlanSummary {
  std::vector<PlannedReview> assigned;
  std::vector<PlanUnassigned> unassigned;
  int slots_requested = 0;
};

// Fills the open review slots of the issuer's submissions, inside tx. actor_id is "system" for
// jobs. Safe to run concurrently: state is re-read here and (submission, reviewer) is unique.
PlanSummary RunAssignmentIn(ReviewContext& ctx, core::Transaction& tx, const std::string& issuer_id,
                            const std::string& actor_id);
core::Result<PlanSummary> RunAssignment(ReviewContext& ctx, const std::string& issuer_id,
                                        const std::string& actor_id);
// Every issuer in turn, each in its own transaction: the periodic sweep that fills slots nobody
// could take when they opened (a tie-break with no free reviewer, a pool that grew since). Returns
// the number of reviews assigned.
core::Result<int> RunAssignmentEverywhere(ReviewContext& ctx);
// The admin's button: the same, for issuer admins.
core::Result<PlanSummary> RunAssignmentAs(ReviewContext& ctx, const Principal& actor,
                                          const std::string& issuer_id);
// Override: assign this reviewer to the submission now (kept even past caps and district rules).
core::Result<PlannedReview> AssignOverride(ReviewContext& ctx, const Principal& actor,
                                           const std::string& submission_id,
                                           const std::string& reviewer_id);
// Takes back an unstarted review.
core::Status Unassign(ReviewContext& ctx, const Principal& actor, const std::string& submission_id,
                      const std::string& reviewer_id);

// ---- the reviewer's side (404 for reviews that are not the caller's) ----

struct QueueItem {
  core::review::Review review;
  std::string code;
  std::string micro_credential_title;
  bool overdue = false;
};
// open = assigned or in progress; otherwise completed ones.
core::Result<std::vector<QueueItem>> Queue(ReviewContext& ctx, const Principal& actor, bool open);

struct EarlierReview {
  std::string label;  // "Reviewer 1"
  std::vector<core::review::Rating> ratings;
  std::string comment;
  std::string recommendation;
};
struct ReviewDetail {
  core::review::Review review;
  std::string code;
  int attempt = 1;
  std::string submission_state;
  core::catalog::MicroCredential micro_credential;  // the pinned version
  core::evidence::SubmissionContent content;
  std::vector<std::string> artifact_kinds;  // per artifact: the file's kind, or "link"
  std::vector<EarlierReview> earlier;       // tie-break only: the two disagreeing reviews
  std::optional<std::string> suggested;     // Recommend() on the saved ratings, when complete
};
core::Result<ReviewDetail> GetReview(ReviewContext& ctx, const Principal& actor,
                                     const std::string& review_id);

core::Result<ReviewDetail> SaveReview(ReviewContext& ctx, const Principal& actor,
                                      const std::string& review_id, std::int64_t revision,
                                      const std::vector<core::review::Rating>& ratings,
                                      const std::string& comment);

struct CompleteOutcome {
  core::review::Review review;
  std::string submission_state;  // after this completion
  std::optional<std::string> decision;
  bool tie_break_opened = false;
};
core::Result<CompleteOutcome> CompleteReview(ReviewContext& ctx, const Principal& actor,
                                             const std::string& review_id, std::int64_t revision,
                                             const std::string& recommendation);

core::Result<core::review::Review> ReturnSubmission(ReviewContext& ctx, const Principal& actor,
                                                    const std::string& review_id,
                                                    const std::string& reason,
                                                    const std::string& note);
core::Result<core::review::Review> Recuse(ReviewContext& ctx, const Principal& actor,
                                          const std::string& review_id, const std::string& reason);

// ---- deadlines ----

struct OverdueOutcome {
  int released = 0;
  int cancelled = 0;
  int reassigned = 0;
};
core::Result<OverdueOutcome> ReleaseOverdue(ReviewContext& ctx, core::TimePoint now);

// ---- feedback, calibration and ledger ----

struct FeedbackEntry {
  std::string reviewer;  // "Reviewer 1/2/3"
  std::string level_id;
  std::string level_name;
  std::string comment;
};
struct CriterionFeedback {
  std::string criterion_id;
  std::string name;
  std::vector<FeedbackEntry> entries;
};
struct ReviewerComment {
  std::string reviewer;
  std::string recommendation;
  std::string comment;
  bool tie_break = false;
};
struct Feedback {
  std::string submission_id;
  std::string state;  // earned, not_yet, returned
  std::optional<std::string> decision;
  bool tie_break = false;
  std::string return_reason;
  std::string return_note;
  std::vector<CriterionFeedback> criteria;
  std::vector<ReviewerComment> reviewers;
};
core::Result<Feedback> GetFeedback(ReviewContext& ctx, const Principal& actor,
                                   const std::string& submission_id);

struct ReviewerStats {
  int open_reviews = 0;
  int completed_reviews = 0;
  core::review::Calibration calibration;
};
core::Result<ReviewerStats> MyStats(ReviewContext& ctx, const Principal& actor);

struct LedgerLine {
  core::review::LedgerEntry entry;
  std::string reviewer_name;
};
core::Result<std::vector<LedgerLine>> Ledger(ReviewContext& ctx, const Principal& actor,
                                             const std::string& issuer_id);

// ---- evidence files ----

enum class FileRole { kNone, kIssuerAdmin, kReviewer };
// Whether the principal reviews (or, for an issuer admin, oversees) a submission that uses the
// file.
FileRole FileAccessFor(core::Transaction& tx, const Principal& principal,
                       const core::evidence::EvidenceFile& file);

}  // namespace cairn::app::review

#pragma once
// Storage of reviews, the reviewer pool, issuer review policies, decisions, calibration and the
// ledger. Methods throw on driver errors (the UnitOfWork turns them into domain errors); "not
// found" is an empty optional, a stale revision is `false`.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/clock.hpp"
#include "core/review/review.hpp"

namespace cairn::core::review {

struct ReviewerProfile {
  std::string issuer_id;
  std::string user_id;
  int load_cap = 5;
  bool active = true;
  std::vector<std::string> micro_credential_ids;
  std::vector<std::string> tags;
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct ReviewPolicy {
  std::string issuer_id;
  int sla_days = 14;
  bool never_same_district = false;
  std::int64_t review_pay_cents = 0;
  TimePoint updated_at{};
  // Districts' own deadline and conflict rule count for this issuer's submissions only when set.
  bool allow_district_preferences = false;
};

// A district's choices for its educators' submissions, honoured by the issuers that allow them.
struct DistrictReviewPreferences {
  std::string district_id;
  std::optional<int> sla_days;  // nullopt: the issuer's deadline
  bool never_same_district = false;
  std::string updated_by;
  TimePoint updated_at{};
};

struct Decision {
  std::string submission_id;
  std::string issuer_id;
  std::string decision;  // "earned" / "not_yet"
  bool tie_break = false;
  std::string deciding_review_id;
  TimePoint decided_at{};
};

struct LedgerEntry {
  std::string review_id;
  std::string reviewer_id;
  std::string issuer_id;
  std::string submission_code;
  std::string micro_credential_id;
  std::int64_t amount_cents = 0;
  TimePoint completed_at{};
};

struct OverrideRecord {
  std::string submission_id;
  std::string reviewer_id;
  std::string issuer_id;
  std::string actor_id;
  TimePoint at{};
};

// One completed review of a decided submission: what calibration compares.
struct CalibrationRow {
  std::string reviewer_id;
  std::string issuer_id;
  std::string recommendation;
  std::string decision;
};

class ReviewRepository {
 public:
  virtual ~ReviewRepository() = default;

  // Pool.
  virtual void SaveReviewer(const ReviewerProfile& profile) = 0;  // insert or replace
  virtual std::optional<ReviewerProfile> FindReviewer(const std::string& issuer_id,
                                                      const std::string& user_id) = 0;
  virtual std::vector<ReviewerProfile> ListReviewers(const std::string& issuer_id) = 0;
  virtual bool DeleteReviewer(const std::string& issuer_id, const std::string& user_id) = 0;

  virtual std::optional<ReviewPolicy> FindPolicy(const std::string& issuer_id) = 0;
  virtual void SavePolicy(const ReviewPolicy& policy) = 0;  // insert or replace
  // Issuers whose stored policy allows district preferences, by id.
  virtual std::vector<ReviewPolicy> ListPoliciesAllowingDistricts() = 0;

  virtual std::optional<DistrictReviewPreferences> FindDistrictPreferences(
      const std::string& district_id) = 0;
  virtual void SaveDistrictPreferences(const DistrictReviewPreferences& prefs) = 0;  // upsert
  // Every district that has saved preferences, by district id.
  virtual std::vector<DistrictReviewPreferences> ListDistrictPreferences() = 0;

  // Reviews. InsertReview throws (kConflict through the UnitOfWork) when the reviewer is already on
  // the submission.
  virtual void InsertReview(const Review& review) = 0;
  // Saves when the stored revision equals expected_revision; false otherwise.
  virtual bool UpdateReview(const Review& review, std::int64_t expected_revision) = 0;
  virtual std::optional<Review> FindReview(const std::string& id) = 0;
  virtual std::vector<Review> ListSubmissionReviews(const std::string& submission_id) = 0;
  // A reviewer's reviews in the given states, earliest due first.
  virtual std::vector<Review> ListReviewerReviews(const std::string& reviewer_id,
                                                  const std::vector<ReviewState>& states) = 0;
  // An issuer's open reviews, oldest first.
  virtual std::vector<Review> ListOpenReviews(const std::string& issuer_id) = 0;
  // Open reviews per reviewer for an issuer.
  virtual std::map<std::string, int> OpenLoads(const std::string& issuer_id) = 0;
  // Open reviews due before `now`, oldest due first.
  virtual std::vector<Review> ListOverdue(TimePoint now, int limit) = 0;

  // Decisions: one per submission (a second insert throws, kConflict).
  virtual void InsertDecision(const Decision& decision) = 0;
  virtual std::optional<Decision> FindDecision(const std::string& submission_id) = 0;

  virtual void InsertLedger(const LedgerEntry& entry) = 0;
  virtual std::vector<LedgerEntry> ListLedger(const std::string& issuer_id) = 0;

  virtual void InsertOverride(const OverrideRecord& record) = 0;

  // Completed reviews of decided submissions; empty filters match all.
  virtual std::vector<CalibrationRow> ListCalibration(const std::string& issuer_id,
                                                      const std::string& reviewer_id) = 0;
};

}  // namespace cairn::core::review
